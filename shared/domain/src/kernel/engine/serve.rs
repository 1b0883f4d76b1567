//! Round trip 1: the caller is checked, the input parsed, then the
//! system's reads (idempotency key, session revocation) and the use case's
//! in one batch (or rows this instance remembers), then the decision.

use super::access::{authorize, Access};
use super::commit::{commit, respond};
use super::context::{Cx, Env};
use super::log::{internal, unreadable};
use super::plan::SessionChange;
use super::usecase::UseCase;
use crate::kernel::http::{Request, Response};
use crate::kernel::idempotency;
use crate::kernel::ports::{Stmt, StmtResult};
use crate::kernel::problem::Problem;
use crate::kernel::reads::ReadSet;
use crate::stmt;

/// Runs a use case for one HTTP request. `parse` turns the request into the
/// use case's input without I/O (the function crate's job).
pub async fn serve<U: UseCase>(
    uc: &U,
    req: &Request,
    cx: &Cx<'_>,
    parse: impl FnOnce(&Request) -> Result<U::Input, Problem>,
) -> Response {
    let lang = req.lang();
    let mut resp = match serve_inner(uc, req, cx, parse).await {
        Ok(r) => r,
        Err(p) => p.to_response(lang, &req.path),
    };
    // Every answer of the engine is about one caller (tokens, personal
    // data, a decision): no cache keeps it.
    resp.headers
        .push(("cache-control".into(), "no-store".into()));
    report_round_trips(&mut resp, cx);
    resp
}

/// Local development only: every response reports the database round trips
/// its request made in `x-db-round-trips` (the platforms call this for
/// responses that do not come through [`serve`]; tests fail on a response
/// without it).
pub fn report_round_trips(resp: &mut Response, cx: &Cx<'_>) {
    #[cfg(not(feature = "dev"))]
    let _ = (resp, cx);
    #[cfg(feature = "dev")]
    report_round_trips_dev(resp, cx);
}

#[cfg(feature = "dev")]
fn report_round_trips_dev(resp: &mut Response, cx: &Cx<'_>) {
    if !cx.config.dev() || resp.header("x-db-round-trips").is_some() {
        return;
    }
    // A shard may be the main database itself (Spin): count it once.
    let trips = cx.db.round_trips()
        + cx.shards
            .iter()
            .filter(|s| !std::ptr::addr_eq(**s, cx.db))
            .map(|s| s.round_trips())
            .sum::<u32>();
    resp.headers
        .push(("x-db-round-trips".into(), trips.to_string()));
    // Of the main database's round trips, those that wrote (benchmarks
    // report the main database's writes a second).
    resp.headers
        .push(("x-db-writes".into(), cx.db.write_trips().to_string()));
}

/// The generic part of a request: only what depends on the use case's
/// types (its reads, its rows, its decision). Everything else is shared
/// code, compiled once (the Worker's size budget).
async fn serve_inner<U: UseCase>(
    uc: &U,
    req: &Request,
    cx: &Cx<'_>,
    parse: impl FnOnce(&Request) -> Result<U::Input, Problem>,
) -> Result<Response, Problem> {
    let env = begin(uc.access(), req, cx)?;
    let input = parse(req)?;
    let idem = idempotency::Key::of(req, U::NAME, env.who.as_ref())?;
    // No round trip when this instance remembers the rows; a refusal on
    // remembered rows (a rotated secret, a change another instance made)
    // is decided again on fresh ones, so memory never refuses wrongly.
    let recalled = (env.who.is_none() && !without_memory(req, cx))
        .then(|| uc.recall(&input, &env))
        .flatten();
    if let Some((copy, rows)) = recalled {
        let remembered = Env {
            from_memory: true,
            who: None,
            ..env
        };
        match uc.decide(copy, rows, None, &remembered) {
            Err(p) if matches!(p.status, 401 | 403) => {}
            Ok(plan) => return commit(plan, req, cx, &remembered, U::NAME, None).await,
            Err(p) => return Err(p),
        }
    }
    let own = match read_round(cx, &env, idem.as_ref(), uc.reads(&input, &env).into_stmts()).await?
    {
        Fetched::Replay(r) => {
            return Ok(
                respond(r.status, r.body, r.session, "application/json", req, cx)
                    .with_header("idempotent-replayed", "true"),
            )
        }
        Fetched::Rows(own) => own,
    };
    let rows = U::Reads::rows(&mut own.into_iter()).map_err(unreadable)?;
    uc.remember(&input, &rows, &env);
    let shard = match uc.shard_reads(&input, &rows, &env) {
        Some((member, reads)) => match shard_round(cx, &member, reads.into_stmts()).await? {
            Some(results) => {
                Some(U::ShardReads::rows(&mut results.into_iter()).map_err(unreadable)?)
            }
            None => None,
        },
        None => None,
    };
    let plan = uc.decide(input, rows, shard, &env)?;
    commit(plan, req, cx, &env, U::NAME, idem.as_ref()).await
}

/// Local development only: `x-dev-no-memory` makes a request take the
/// database path (benchmarks compare the two in one run).
fn without_memory(req: &Request, cx: &Cx<'_>) -> bool {
    #[cfg(feature = "dev")]
    if cx.config.dev() && req.header("x-dev-no-memory").is_some() {
        return true;
    }
    let _ = (req, cx);
    false
}

/// The request's time and its caller, checked against the use case's access.
fn begin<'a>(access: Access, req: &'a Request, cx: &'a Cx<'a>) -> Result<Env<'a>, Problem> {
    #[allow(unused_mut)]
    let mut now = cx.clock.now();
    #[cfg(feature = "dev")]
    if cx.config.dev() {
        // Local development only: tests move the clock forward (code expiry).
        if let Some(secs) = req
            .header("x-dev-clock-offset-secs")
            .and_then(|v| v.parse::<i64>().ok())
        {
            now += chrono::Duration::seconds(secs);
        }
    }
    let who = authorize(access, req, cx.keys, now)?;
    Ok(Env {
        now,
        rng: cx.rng,
        keys: cx.keys,
        config: cx.config,
        client_ip: req.client_ip.as_deref(),
        who,
        memo: cx.memo,
        from_memory: false,
    })
}

enum Fetched {
    Replay(idempotency::Replayed),
    Rows(Vec<StmtResult>),
}

/// Round trip 1: the system's reads (idempotency key, session revocation),
/// then the use case's.
async fn read_round(
    cx: &Cx<'_>,
    env: &Env<'_>,
    idem: Option<&idempotency::Key>,
    own: Vec<Stmt>,
) -> Result<Fetched, Problem> {
    // Every token names a session row (signup tokens too: a newer one, or
    // activation, revokes it).
    let session_check = env.who.as_ref();
    let mut reads = Vec::new();
    if let Some(w) = session_check {
        reads.push(stmt!(
            "SELECT 1 AS ok FROM sessions WHERE jti = ? AND revoked_at IS NULL",
            w.jti.as_str()
        ));
    }
    if let Some(k) = idem {
        reads.push(k.lookup(env.now));
    }
    let system_reads = reads.len();
    reads.extend(own);
    let mut results = if reads.is_empty() {
        Vec::new()
    } else {
        cx.db.batch(&reads).await.map_err(internal)?
    };
    let own = results.split_off(system_reads);
    let mut system = results.into_iter();
    let revoked = session_check.is_some() && system.next().is_none_or(|r| r.rows.is_empty());
    let replay = match idem {
        Some(k) => k.replay(system.next(), env.keys)?,
        None => None,
    };
    // A revoked session is refused before anything stored for it is
    // replayed, but for the answer that replaced it: a caller whose first
    // answer (a new token, which revoked the one it sent) was lost gets it
    // again under the same key, as the key promises.
    let rotated = |r: &idempotency::Replayed| matches!((r.session, session_check), (Some(SessionChange::Started(k)), Some(w)) if k == w.kind);
    match replay {
        Some(r) if !revoked || rotated(&r) => Ok(Fetched::Replay(r)),
        _ if revoked => Err(Problem::unauthorized("detail.session_invalid")),
        _ => Ok(Fetched::Rows(own)),
    }
}

/// Reads from one member's attendance shard (`None` when no shard is bound).
async fn shard_round(
    cx: &Cx<'_>,
    member: &str,
    stmts: Vec<Stmt>,
) -> Result<Option<Vec<StmtResult>>, Problem> {
    if cx.shards.is_empty() {
        return Ok(None);
    }
    let shard = cx.shards[crate::kernel::sharding::shard_of(member, cx.shards.len())];
    shard.batch(&stmts).await.map(Some).map_err(internal)
}
