//! How every request runs: parse (no I/O) → one read batch → decide (no I/O)
//! → one atomic write batch. So every request makes at most 2 database round
//! trips, by construction. Idempotency (IETF Idempotency-Key draft) and
//! session revocation ride along in those same two batches.

use crate::crypto::{sha256_hex, Keys};
use crate::http::{Lang, Request, Response};
use crate::ports::{BlobStore, Clock, Database, DbError, Queue, Random, Stmt, StmtResult};
use crate::problem::Problem;
use crate::stmt;
use crate::tokens::{self, TokenKind};
use chrono::{DateTime, Utc};
use serde_json::Value as Json;

/// Idempotency keys are kept this long (published in the OpenAPI document).
pub const IDEMPOTENCY_TTL_HOURS: i64 = 24;

/// Configuration that a deployment may change (defaults match SPEC.md).
#[derive(Debug, Clone)]
pub struct Config {
    /// Annual system fee in KRW (rule S4, S7).
    pub system_fee_krw: i64,
    /// Trial matchings before the system fee is billed (rule S7).
    pub trial_matchings: i64,
    /// True only in local development: responses carry `x-db-round-trips`.
    pub dev: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            system_fee_krw: 500_000,
            trial_matchings: 5,
            dev: false,
        }
    }
}

/// The ports a request may use.
pub struct Cx<'a> {
    pub db: &'a dyn Database,
    /// Attendance shards (V4); a member's records live in
    /// `shards[devices::shard_of(member_id, shards.len())]`.
    pub shards: &'a [&'a dyn Database],
    pub blobs: &'a dyn BlobStore,
    pub queue: &'a dyn Queue,
    pub clock: &'a dyn Clock,
    pub rng: &'a dyn Random,
    pub keys: &'a Keys,
    pub config: &'a Config,
}

/// What `decide` sees besides the rows.
pub struct Env<'a> {
    pub now: DateTime<Utc>,
    pub rng: &'a dyn Random,
    pub keys: &'a Keys,
    pub config: &'a Config,
    pub client_ip: Option<&'a str>,
}

/// Who is calling, checked before the use case runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub kind: TokenKind,
    pub id: String,
    pub jti: String,
    pub role: String,
}

/// What happens outside the database, around the commit.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Stored before the commit: a failed put writes no row.
    PutBlob {
        key: String,
        bytes: Vec<u8>,
        content_type: String,
    },
    /// Sent after the commit; whatever it refers to is already durable.
    Enqueue(Json),
    /// Sent before the commit, and the request fails (503, nothing written)
    /// unless the queue took every message: "accepted" means "queued".
    Publish(Vec<Json>),
}

/// The decision of a use case.
#[derive(Debug)]
pub struct Plan {
    pub writes: Vec<Stmt>,
    pub effects: Vec<Effect>,
    pub outcome: Result<(u16, Json), Problem>,
    /// Problem reported if the write batch hits a constraint or version guard.
    pub on_conflict: Problem,
    /// `application/json`, or `text/plain` for devices that speak text
    /// (the body is then a JSON string, sent as its contents).
    pub content_type: &'static str,
}

impl Plan {
    pub fn ok(status: u16, body: Json, writes: Vec<Stmt>) -> Plan {
        Plan {
            writes,
            effects: vec![],
            outcome: Ok((status, body)),
            on_conflict: Problem::conflict("detail.stale_version"),
            content_type: "application/json",
        }
    }
    /// A plain-text answer (ZKTeco ADMS devices expect `OK`).
    pub fn text(status: u16, body: impl Into<String>, writes: Vec<Stmt>) -> Plan {
        Plan {
            content_type: "text/plain; charset=utf-8",
            ..Plan::ok(status, Json::String(body.into()), writes)
        }
    }
    pub fn fail(p: Problem) -> Plan {
        Plan {
            writes: vec![],
            effects: vec![],
            outcome: Err(p),
            on_conflict: Problem::conflict("detail.stale_version"),
            content_type: "application/json",
        }
    }
    /// A failure that still records something (a failed login attempt, a try).
    pub fn fail_with(p: Problem, writes: Vec<Stmt>) -> Plan {
        Plan {
            writes,
            ..Plan::fail(p)
        }
    }
    pub fn effect(mut self, e: Effect) -> Plan {
        self.effects.push(e);
        self
    }
    pub fn conflict_means(mut self, p: Problem) -> Plan {
        self.on_conflict = p;
        self
    }
}

/// Which token a caller must (or may) present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    None,
    Required(TokenKind),
    /// Without a token the use case starts something new; with one it
    /// continues it (signup step 1 redone).
    Optional(TokenKind),
}

/// A use case: statements to read, then a pure decision.
pub trait UseCase {
    type Input;
    /// Stable name: idempotency scope, logs, OpenAPI operation id.
    const NAME: &'static str;
    /// Which token the caller must present, if any.
    const AUTH: Auth;
    fn reads(&self, input: &Self::Input, who: Option<&Principal>, env: &Env) -> Vec<Stmt>;
    /// Reads from the attendance shard of a member, after the main reads
    /// (still at most two round trips: such use cases write nothing).
    fn shard_reads(
        &self,
        _input: &Self::Input,
        _main: &[StmtResult],
    ) -> Option<(String, Vec<Stmt>)> {
        None
    }
    fn decide(
        &self,
        input: Self::Input,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan;
}

/// A version guard for the write batch: aborts the whole batch unless the
/// statement just before it changed exactly one row (see migration 0001,
/// view `expect_one_change`).
pub fn guard_one_change() -> Stmt {
    stmt!("INSERT INTO expect_one_change(n) VALUES (changes())")
}

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
    if cx.config.dev {
        // A shard may be the main database itself (Spin): count it once.
        let trips = cx.db.round_trips()
            + cx.shards
                .iter()
                .filter(|s| !std::ptr::addr_eq(**s, cx.db))
                .map(|s| s.round_trips())
                .sum::<u32>();
        resp.headers
            .push(("x-db-round-trips".into(), trips.to_string()));
    }
    resp
}

async fn serve_inner<U: UseCase>(
    uc: &U,
    req: &Request,
    cx: &Cx<'_>,
    parse: impl FnOnce(&Request) -> Result<U::Input, Problem>,
) -> Result<Response, Problem> {
    let mut now = cx.clock.now();
    if cx.config.dev {
        // Local development only: tests move the clock forward (code expiry).
        if let Some(secs) = req
            .header("x-dev-clock-offset-secs")
            .and_then(|v| v.parse::<i64>().ok())
        {
            now += chrono::Duration::seconds(secs);
        }
    }
    let env = Env {
        now,
        rng: cx.rng,
        keys: cx.keys,
        config: cx.config,
        client_ip: req.client_ip.as_deref(),
    };
    let who = match (U::AUTH, req.bearer()) {
        (Auth::None, _) | (Auth::Optional(_), None) => None,
        (Auth::Required(_), None) => return Err(Problem::unauthorized("detail.unauthorized")),
        (Auth::Required(kind) | Auth::Optional(kind), Some(token)) => {
            let v = tokens::verify(cx.keys, kind, token, now)
                .ok_or_else(|| Problem::unauthorized("detail.session_invalid"))?;
            Some(Principal {
                kind,
                id: v.subject,
                jti: v.jti,
                role: v.role,
            })
        }
    };
    let input = parse(req)?;

    let idem = req.header("idempotency-key").map(|k| {
        let scope = format!(
            "{}:{}",
            U::NAME,
            who.as_ref().map_or("anon", |w| w.id.as_str())
        );
        let hash = sha256_hex(&[
            req.method.as_bytes(),
            req.path.as_bytes(),
            req.query.as_bytes(),
            &req.body,
        ]);
        (scope, k.to_owned(), hash)
    });
    if let Some((_, key, _)) = &idem {
        if key.is_empty() || key.len() > 255 {
            return Err(Problem::field("Idempotency-Key", "field.type"));
        }
    }

    // Round trip 1: the system's reads, then the use case's.
    let session_check = who.as_ref().filter(|w| w.kind != TokenKind::Signup);
    let mut reads = Vec::new();
    if let Some((scope, key, _)) = &idem {
        reads.push(stmt!(
            "SELECT request_hash, status, body FROM idempotency WHERE scope = ? AND key = ? AND created_at > ?",
            scope.as_str(),
            key.as_str(),
            (now - chrono::Duration::hours(IDEMPOTENCY_TTL_HOURS)).to_rfc3339()
        ));
    }
    if let Some(w) = session_check {
        reads.push(stmt!(
            "SELECT 1 AS ok FROM sessions WHERE jti = ? AND revoked_at IS NULL",
            w.jti.as_str()
        ));
    }
    let system_reads = reads.len();
    reads.extend(uc.reads(&input, who.as_ref(), &env));
    let mut rows = if reads.is_empty() {
        Vec::new()
    } else {
        cx.db.batch(&reads).await.map_err(internal)?
    };
    let mut own_rows = rows.split_off(system_reads);
    if let Some((member, stmts)) = uc.shard_reads(&input, &own_rows) {
        if !cx.shards.is_empty() {
            let shard = cx.shards[crate::devices::shard_of(&member, cx.shards.len())];
            own_rows.extend(shard.batch(&stmts).await.map_err(internal)?);
        }
    }
    let mut system = rows.into_iter();
    if let Some((_, _, hash)) = &idem {
        if let Some(row) = system.next().and_then(|r| r.rows.into_iter().next()) {
            if row.text("request_hash") != Some(hash.as_str()) {
                return Err(Problem::new(
                    422,
                    "idempotency-mismatch",
                    "title.idempotency_mismatch",
                    "detail.validation",
                ));
            }
            let status = row
                .int("status")
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(200);
            let body = row.text("body").unwrap_or("{}").as_bytes().to_vec();
            return Ok(Response::text(status, "application/json", body)
                .with_header("idempotent-replayed", "true"));
        }
    }
    if session_check.is_some() && system.next().is_none_or(|r| r.rows.is_empty()) {
        return Err(Problem::unauthorized("detail.session_invalid"));
    }

    let plan = uc.decide(input, who.as_ref(), own_rows, &env);

    for e in &plan.effects {
        if let Effect::PutBlob {
            key,
            bytes,
            content_type,
        } = e
        {
            cx.blobs
                .put(key, bytes, content_type)
                .await
                .map_err(|e| internal(DbError::Other(e.0)))?;
        }
    }
    // A queue that lives in the database (Spin's table queue) takes its
    // messages in the write batch itself: atomic with the change, and no
    // extra round trip.
    let queue_in_db = cx.queue.as_statements(&[]).is_some();
    let mut queued_in_batch = Vec::new();
    for e in &plan.effects {
        let messages = match e {
            Effect::Publish(m) if !m.is_empty() => m.as_slice(),
            Effect::Enqueue(m) if queue_in_db => std::slice::from_ref(m),
            _ => continue,
        };
        if queue_in_db {
            queued_in_batch.extend(cx.queue.as_statements(messages).unwrap_or_default());
        } else {
            // Effect::Publish on a real queue: nothing is written unless it took every message.
            cx.queue.send_batch(messages).await.map_err(|e| {
                log_error(&format!("queue: {e}"));
                Problem::new(
                    503,
                    "queue-unavailable",
                    "title.unavailable",
                    "detail.resend",
                )
                .with_retry_after(30)
            })?;
        }
    }
    let mut writes = plan.writes;
    writes.extend(queued_in_batch);
    if let (Some((scope, key, hash)), Ok((status, body))) = (&idem, &plan.outcome) {
        writes.push(stmt!(
            "INSERT INTO idempotency (scope, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            scope.as_str(),
            key.as_str(),
            hash.as_str(),
            i64::from(*status),
            body.to_string(),
            now.to_rfc3339()
        ));
    }
    // Round trip 2: every write of the request, atomically.
    if !writes.is_empty() {
        match cx.db.batch(&writes).await {
            Ok(_) => {}
            Err(DbError::Constraint(msg)) if idem.is_some() && msg.contains("idempotency") => {
                return Err(Problem::new(
                    409,
                    "idempotency-in-progress",
                    "title.idempotency_in_progress",
                    "detail.idempotency_in_progress",
                ));
            }
            Err(DbError::Constraint(msg)) if msg.contains("stale_version") => {
                return Err(Problem::conflict("detail.stale_version"))
            }
            Err(DbError::Constraint(_)) => return Err(plan.on_conflict),
            Err(e) => return Err(internal(e)),
        }
    }
    for e in plan.effects.iter().filter(|_| !queue_in_db) {
        if let Effect::Enqueue(msg) = e {
            // The row it refers to is committed; the cron sweep resends what a
            // failed send leaves behind, so a failure here loses nothing.
            let _ = cx.queue.send(msg).await;
        }
    }
    let (status, body) = plan.outcome?;
    Ok(match body {
        Json::String(text) if plan.content_type.starts_with("text/") => {
            Response::text(status, plan.content_type, text)
        }
        body => Response::json(status, &body),
    })
}

fn internal(e: DbError) -> Problem {
    // The cause goes to the log without personal data: only the error class
    // and the engine's message (which never contains bound values).
    log_error(&e.to_string());
    Problem::internal()
}

static LOGGER: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Lets a platform route the domain's log lines (workerd's console, say).
pub fn set_logger(f: fn(&str)) {
    let _ = LOGGER.set(f);
}

/// The one place the domain writes a log line. Callers pass error classes
/// and engine messages only: never personal data, tokens or bound values.
pub fn log_error(msg: &str) {
    match LOGGER.get() {
        Some(f) => f(msg),
        None => eprintln!("error: {msg}"),
    }
}

/// Maps a problem to a response in the request's language.
pub fn problem_response(req: &Request, p: &Problem) -> Response {
    p.to_response(req.lang(), &req.path)
}

pub fn lang_of(req: &Request) -> Lang {
    req.lang()
}

/// The shape of every function crate's entry point, boxed so a router (the
/// Worker) or a component export (Spin) can hold it as a plain fn pointer.
pub type Handler =
    for<'a> fn(
        &'a Request,
        &'a Cx<'a>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response> + 'a>>;

/// Declares a function crate's routes and its boxed handler:
/// `function!(handle, [("PUT", "/signup/contact")]);`
#[macro_export]
macro_rules! function {
    ($handle:path, [$(($method:literal, $path:literal)),+ $(,)?]) => {
        /// The routes this function serves: (method, path).
        pub const ROUTES: &[(&str, &str)] = &[$(($method, $path)),+];
        /// `handle`, boxed: what the Worker router and the Spin export call.
        pub fn boxed<'a>(
            req: &'a $crate::http::Request,
            cx: &'a $crate::runtime::Cx<'a>,
        ) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = $crate::http::Response> + 'a>> {
            ::std::boxed::Box::pin($handle(req, cx))
        }
    };
}
