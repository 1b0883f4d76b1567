//! How every request runs: who may call (checked before any read) → parse
//! (no I/O) → one read batch → decide (no I/O) → one atomic write batch. So
//! every request makes at most 2 database round trips, by construction.
//! Idempotency (IETF Idempotency-Key draft), session revocation and the
//! personal-data access log ride along in those same two batches.

use crate::kernel::crypto::Keys;
use crate::kernel::http::{Lang, Request, Response};
use crate::kernel::idempotency;
use crate::kernel::memo::Memo;
use crate::kernel::ports::{
    BlobStore, Clock, Database, DbError, HttpClient, Queue, Random, Stmt, StmtResult,
};
use crate::kernel::problem::Problem;
use crate::kernel::reads::{ReadError, ReadSet};
use crate::kernel::tokens::{self, TokenKind};
use crate::stmt;
use chrono::{DateTime, Utc};
use serde_json::Value as Json;

/// Configuration that a deployment may change. The kernel knows only the
/// dev switch (dev builds only); each area keeps its own settings type (fees, trial counts,
/// limits) and reads it with [`Config::area`], so the kernel imports no area.
#[derive(Clone, Default)]
pub struct Config {
    /// Dev builds only (cargo feature `dev`), when the local settings ask
    /// for it (`DEV_MODE=true`): see [`Config::dev`].
    #[cfg(feature = "dev")]
    pub dev: bool,
    areas: Vec<std::rc::Rc<dyn std::any::Any>>,
}

impl Config {
    /// Local development: responses carry `x-db-round-trips`, the
    /// `x-dev-clock-offset-secs` header moves the clock, `/__dev/*` and
    /// failure injection work. Always false in a release build, whatever
    /// the settings say: the code behind it is not compiled there.
    pub fn dev(&self) -> bool {
        #[cfg(feature = "dev")]
        return self.dev;
        #[cfg(not(feature = "dev"))]
        false
    }

    /// Dev builds: turns dev mode on when the local setting `DEV_MODE` is
    /// `true`. Release builds ignore the setting.
    pub fn dev_from_setting(&mut self, setting: Option<&str>) {
        #[cfg(feature = "dev")]
        {
            self.dev = setting == Some("true");
        }
        #[cfg(not(feature = "dev"))]
        let _ = setting;
    }

    /// Sets an area's settings (replacing earlier ones of the same type).
    pub fn with<T: std::any::Any>(mut self, settings: T) -> Config {
        self.areas.retain(|a| !a.is::<T>());
        self.areas.push(std::rc::Rc::new(settings));
        self
    }
    /// An area's settings: as set, or the area's defaults.
    pub fn area<T: std::any::Any + Default + Clone>(&self) -> T {
        self.areas
            .iter()
            .find_map(|a| a.downcast_ref::<T>())
            .cloned()
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("dev", &self.dev())
            .field("areas", &self.areas.len())
            .finish()
    }
}

/// The ports a request may use.
pub struct Cx<'a> {
    pub db: &'a dyn Database,
    /// Attendance shards (V4): a member's records live in
    /// `shards[sharding::shard_of(member_id, shards.len())]`.
    pub shards: &'a [&'a dyn Database],
    pub blobs: &'a dyn BlobStore,
    pub queue: &'a dyn Queue,
    /// Outbound HTTP to outside services (notice providers).
    pub http: &'a dyn HttpClient,
    pub clock: &'a dyn Clock,
    pub rng: &'a dyn Random,
    pub keys: &'a Keys,
    pub config: &'a Config,
    /// What this instance remembers between requests (`kernel::memo`).
    pub memo: &'a Memo,
}

crate::text_enum!(
    /// Staff roles (SPEC Actors, rule A4): least privilege, one role each.
    pub enum AdminRole {
        Reviewer = "reviewer",
        Mediator = "mediator",
        PrivacyOfficer = "privacy_officer",
        Billing = "billing",
        Auditor = "auditor",
        Owner = "owner",
    }
);

impl AdminRole {
    pub const ALL: &'static [AdminRole] = <Self as crate::kernel::reads::TextEnum>::ALL;
}

/// The role claim's prefix of a partner in trial (`trial:partner`).
pub const TRIAL_ROLE: &str = "trial:";

/// Who is calling, checked before the use case runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub kind: TokenKind,
    pub id: String,
    pub jti: String,
    /// Admins only.
    pub role: Option<AdminRole>,
}

/// Who may call a use case. The engine refuses anyone else before any
/// database read: 401 without the right token, 403 for another admin role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No token: public routes, and devices that prove themselves by signature.
    Public,
    /// An applicant's signup token.
    Signup,
    /// Without a token the use case starts something new; with a signup
    /// token it continues it (signup step 1 redone).
    SignupOptional,
    /// A member user's session of an active member (a partner in trial is
    /// refused, 403).
    Member,
    /// A member user's session of this member kind (`partner`, `client`):
    /// the session token names the kind, so others are refused unread.
    MemberOf(&'static str),
    /// Like `Member`, and partners in trial too (rule S7: their trial
    /// matchings run through proposals and contracts).
    Matching,
    /// Like `MemberOf`, and partners in trial too.
    MatchingOf(&'static str),
    /// An admin session with one of these roles.
    Admin(&'static [AdminRole]),
}

impl Access {
    fn token_kind(self) -> Option<TokenKind> {
        match self {
            Access::Public => None,
            Access::Signup | Access::SignupOptional => Some(TokenKind::Signup),
            Access::Member | Access::MemberOf(_) | Access::Matching | Access::MatchingOf(_) => {
                Some(TokenKind::Member)
            }
            Access::Admin(_) => Some(TokenKind::Admin),
        }
    }
}

/// What `reads` and `decide` see: the time, the caller, and pure helpers.
pub struct Env<'a> {
    pub now: DateTime<Utc>,
    pub rng: &'a dyn Random,
    pub keys: &'a Keys,
    pub config: &'a Config,
    pub client_ip: Option<&'a str>,
    /// The verified caller; `None` only for public access.
    pub who: Option<Principal>,
    /// What this instance remembers between requests (`kernel::memo`).
    pub memo: &'a Memo,
    /// The rows being decided on came from `memo` (`UseCase::recall`), not
    /// from this request's read round.
    pub from_memory: bool,
}

impl Env<'_> {
    /// The caller's id (member, applicant or admin); empty for public access.
    pub fn caller(&self) -> &str {
        self.who.as_ref().map_or("", |w| w.id.as_str())
    }
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
    /// After the commit: this instance forgets what it remembered under
    /// keys with this prefix (the rows behind them changed).
    Forget(&'static str),
    /// After the commit: this instance remembers a value (what was just
    /// done, so a repeat can be recognised without a read).
    Keep(String, Json),
}

/// A person's personal data that an admin read or changed in this request:
/// the engine logs it in the request's own write batch (rule A3's hook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalData {
    /// Whose data: the member (company contact person) or other subject id.
    pub subject: String,
    /// What was done with it: a stable name (`review.read_contact`, …).
    pub what: &'static str,
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
    /// Personal data an admin touches in this request (logged by the engine).
    pub personal: Vec<PersonalData>,
    /// A stored file to answer with instead of `outcome`'s JSON.
    pub download: Option<Download>,
    /// A session this answer starts or ends (cookie sessions of the pages).
    pub session: Option<SessionChange>,
}

/// What an answer does to a session, for callers that keep it in a cookie
/// (`x-session: cookie`, the web pages): the engine moves a new token from
/// the body into an `HttpOnly` cookie, or clears the cookie on sign-out.
/// API clients get the token in the body as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionChange {
    /// The reply's field `kind.reply_field()` holds a new token of this kind.
    Started(TokenKind),
    Ended(TokenKind),
}

/// A stored file served as an attachment: never rendered by the browser
/// (`Content-Disposition: attachment`, `nosniff`, a sandboxing CSP).
#[derive(Debug, Clone)]
pub struct Download {
    pub blob_key: String,
    pub content_type: String,
    pub filename: String,
}

impl Plan {
    /// A JSON answer: the body is a reply type (`reply!`), the same type
    /// the OpenAPI document describes.
    pub fn ok(status: u16, body: impl Reply, writes: Vec<Stmt>) -> Plan {
        Plan::of_json(status, serde_json::to_value(body), writes)
    }
    fn of_json(status: u16, body: Result<Json, serde_json::Error>, writes: Vec<Stmt>) -> Plan {
        Plan {
            writes,
            effects: vec![],
            outcome: body.map(|b| (status, b)).map_err(|e| {
                log_error(&format!("reply not serialisable: {e}"));
                Problem::internal()
            }),
            on_conflict: Problem::conflict("detail.stale_version"),
            content_type: "application/json",
            personal: vec![],
            download: None,
            session: None,
        }
    }
    /// A plain-text answer (ZKTeco ADMS devices expect `OK`).
    pub fn text(status: u16, body: impl Into<String>, writes: Vec<Stmt>) -> Plan {
        Plan {
            content_type: "text/plain; charset=utf-8",
            ..Plan::of_json(status, Ok(Json::String(body.into())), writes)
        }
    }
    /// A failure that still records something (a failed login attempt, a try).
    pub fn fail_with(p: Problem, writes: Vec<Stmt>) -> Plan {
        Plan {
            outcome: Err(p),
            ..Plan::of_json(0, Ok(Json::Null), writes)
        }
    }
    pub fn effect(mut self, e: Effect) -> Plan {
        self.effects.push(e);
        self
    }
    pub fn effects(mut self, e: impl IntoIterator<Item = Effect>) -> Plan {
        self.effects.extend(e);
        self
    }
    pub fn conflict_means(mut self, p: Problem) -> Plan {
        self.on_conflict = p;
        self
    }
    /// Declares that an admin reads or changes `subject`'s personal data.
    /// Answers with a stored file (fetched before the write batch, so a
    /// missing file is a 404 with nothing logged).
    pub fn download(download: Download, writes: Vec<Stmt>) -> Plan {
        Plan {
            download: Some(download),
            ..Plan::of_json(200, Ok(Json::Null), writes)
        }
    }

    /// The reply's `kind.reply_field()` is a new session token of `kind`.
    pub fn starts_session(mut self, kind: TokenKind) -> Plan {
        self.session = Some(SessionChange::Started(kind));
        self
    }
    /// The caller's session of `kind` ends.
    pub fn ends_session(mut self, kind: TokenKind) -> Plan {
        self.session = Some(SessionChange::Ended(kind));
        self
    }

    pub fn touches(mut self, subject: &str, what: &'static str) -> Plan {
        self.personal.push(PersonalData {
            subject: subject.to_owned(),
            what,
        });
        self
    }
}

/// The rows of a use case's reads, by name.
pub type Rows<U> = <<U as UseCase>::Reads as ReadSet>::Rows;
/// The rows of a use case's shard reads, by name.
pub type ShardRows<U> = <<U as UseCase>::ShardReads as ReadSet>::Rows;

/// A use case: who may call it, named reads, then a pure decision.
/// Implemented through [`use_case!`](crate::use_case), which keeps every
/// use case's declaration to one line.
pub trait UseCase {
    type Input;
    type Reads: ReadSet;
    /// Reads from one member's attendance shard, after the main reads.
    type ShardReads: ReadSet;
    /// Stable name: idempotency scope, logs.
    const NAME: &'static str;
    /// Who may call it; checked before any read.
    fn access(&self) -> Access;
    fn reads(&self, input: &Self::Input, env: &Env) -> Self::Reads;
    /// The member whose shard to read and what to read there (most use
    /// cases read no shard).
    fn shard_reads(
        &self,
        _input: &Self::Input,
        _rows: &Rows<Self>,
        _env: &Env,
    ) -> Option<(String, Self::ShardReads)> {
        None
    }
    /// # Errors
    /// The problem to answer with; nothing is written.
    fn decide(
        &self,
        input: Self::Input,
        rows: Rows<Self>,
        shard: Option<ShardRows<Self>>,
        env: &Env,
    ) -> Result<Plan, Problem>;
    /// Rows this instance remembers for the input, instead of the read
    /// round (with a copy of the input to decide on): public callers only
    /// (no session, no idempotency key). A refusal decided on remembered
    /// rows is decided again on fresh ones.
    fn recall(&self, _input: &Self::Input, _env: &Env) -> Option<(Self::Input, Rows<Self>)> {
        None
    }
    /// Keeps what `recall` will want from rows just read.
    fn remember(&self, _input: &Self::Input, _rows: &Rows<Self>, _env: &Env) {}
}

/// Declares a use case in one line; its inherent `reads` and `decide` (and,
/// with `sharded`, `shard_reads`) do the work:
///
/// ```ignore
/// use_case!(Terms, "signup.terms", |_uc| Access::SignupOptional, TermsInput => TermsReads);
/// impl Terms {
///     fn reads(&self, input: &TermsInput, env: &Env) -> TermsReads { … }
///     fn decide(&self, input: TermsInput, rows: TermsRows, env: &Env) -> Result<Plan, Problem> { … }
/// }
/// ```
#[macro_export]
macro_rules! use_case {
    ($ty:ty, $name:literal, |$uc:ident| $access:expr, $input:ty => $reads:ty) => {
        $crate::use_case!(@impl $ty, $name, |$uc| $access, $input => $reads, (), {
            $crate::use_case!(@decide $ty, $input);
        });
    };
    ($ty:ty, $name:literal, |$uc:ident| $access:expr, $input:ty => $reads:ty, remembered) => {
        $crate::use_case!(@impl $ty, $name, |$uc| $access, $input => $reads, (), {
            $crate::use_case!(@decide $ty, $input);
            fn recall(
                &self,
                input: &$input,
                env: &$crate::kernel::engine::Env,
            ) -> Option<($input, $crate::kernel::engine::Rows<Self>)> {
                <$ty>::recall(self, input, env)
            }
            fn remember(
                &self,
                input: &$input,
                rows: &$crate::kernel::engine::Rows<Self>,
                env: &$crate::kernel::engine::Env,
            ) {
                <$ty>::remember(self, input, rows, env)
            }
        });
    };
    ($ty:ty, $name:literal, |$uc:ident| $access:expr, $input:ty => $reads:ty, sharded $shard:ty) => {
        $crate::use_case!(@impl $ty, $name, |$uc| $access, $input => $reads, $shard, {
            fn shard_reads(
                &self,
                input: &$input,
                rows: &$crate::kernel::engine::Rows<Self>,
                env: &$crate::kernel::engine::Env,
            ) -> Option<(String, $shard)> {
                <$ty>::shard_reads(self, input, rows, env)
            }
            fn decide(
                &self,
                input: $input,
                rows: $crate::kernel::engine::Rows<Self>,
                shard: Option<$crate::kernel::engine::ShardRows<Self>>,
                env: &$crate::kernel::engine::Env,
            ) -> Result<$crate::kernel::engine::Plan, $crate::kernel::problem::Problem> {
                <$ty>::decide(self, input, rows, shard, env)
            }
        });
    };
    (@decide $ty:ty, $input:ty) => {
        fn decide(
            &self,
            input: $input,
            rows: $crate::kernel::engine::Rows<Self>,
            _: Option<()>,
            env: &$crate::kernel::engine::Env,
        ) -> Result<$crate::kernel::engine::Plan, $crate::kernel::problem::Problem> {
            <$ty>::decide(self, input, rows, env)
        }
    };
    (@impl $ty:ty, $name:literal, |$uc:ident| $access:expr, $input:ty => $reads:ty, $shard:ty, { $($decide:tt)* }) => {
        impl $crate::kernel::engine::UseCase for $ty {
            type Input = $input;
            type Reads = $reads;
            type ShardReads = $shard;
            const NAME: &'static str = $name;
            fn access(&self) -> $crate::kernel::engine::Access {
                let $uc = self;
                $access
            }
            fn reads(&self, input: &$input, env: &$crate::kernel::engine::Env) -> $reads {
                <$ty>::reads(self, input, env)
            }
            $($decide)*
        }
    };
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

/// The caller, verified against the use case's access before anything is read.
fn authorize(
    access: Access,
    req: &Request,
    keys: &Keys,
    now: DateTime<Utc>,
) -> Result<Option<Principal>, Problem> {
    let Some(kind) = access.token_kind() else {
        return Ok(None);
    };
    let Some(token) = req
        .bearer()
        .or_else(|| req.session_cookie(kind.cookie_name()))
    else {
        return if access == Access::SignupOptional {
            Ok(None)
        } else {
            Err(Problem::unauthorized("detail.unauthorized"))
        };
    };
    let v = tokens::verify(keys, kind, token, now)
        .ok_or_else(|| Problem::unauthorized("detail.session_invalid"))?;
    // A member session's role claim is the member kind, `trial:<kind>` for a
    // partner in trial (rule S7), who may use the matching routes only.
    let (trial, member_kind) = match v.role.strip_prefix(TRIAL_ROLE) {
        Some(k) => (true, k),
        None => (false, v.role.as_str()),
    };
    if trial && matches!(access, Access::Member | Access::MemberOf(_)) {
        return Err(Problem::forbidden("detail.in_trial"));
    }
    if let Access::MemberOf(kind) | Access::MatchingOf(kind) = access {
        if member_kind != kind {
            return Err(
                Problem::forbidden("detail.member_kind").with("member_kind", Json::from(kind))
            );
        }
    }
    let role = AdminRole::parse(&v.role);
    if let Access::Admin(allowed) = access {
        if !role.is_some_and(|r| allowed.contains(&r)) {
            return Err(Problem::forbidden("detail.forbidden_role"));
        }
    }
    Ok(Some(Principal {
        kind,
        id: v.subject,
        jti: v.jti,
        role,
    }))
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

/// Blobs before the commit, the queue (before the commit for `Publish`, in
/// the batch for a table queue), round trip 2 with every write, then the
/// response.
async fn commit(
    plan: Plan,
    req: &Request,
    cx: &Cx<'_>,
    env: &Env<'_>,
    name: &str,
    idem: Option<&idempotency::Key>,
) -> Result<Response, Problem> {
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
    let file = match &plan.download {
        Some(d) => match cx.blobs.get(&d.blob_key).await {
            Ok(Some(bytes)) => Some(bytes),
            Ok(None) => return Err(Problem::not_found()),
            Err(e) => {
                log_error(&format!("blob: {e}"));
                return Err(Problem::internal());
            }
        },
        None => None,
    };
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
    // The idempotency record goes first: a request racing one with the same
    // key fails on it (409 in progress) before any guard of the use case's
    // own writes can fail it for another reason.
    let mut writes = Vec::with_capacity(plan.writes.len() + 2);
    if let (Some(k), Ok((status, body))) = (idem, &plan.outcome) {
        writes.extend(k.store(env, *status, body, plan.session));
    }
    writes.extend(plan.writes);
    writes.extend(queued_in_batch);
    if let Some(admin) = env.who.as_ref().filter(|w| w.kind == TokenKind::Admin) {
        for p in &plan.personal {
            writes.push(crate::kernel::access_log::entry(env, admin, req, name, p));
        }
    }
    // Round trip 2: every write of the request, atomically.
    if !writes.is_empty() {
        match cx.db.batch(&writes).await {
            Ok(_) => {}
            Err(DbError::Constraint(msg)) if idem.is_some() && msg.contains("idempotency") => {
                return Err(idempotency::in_progress());
            }
            Err(DbError::Constraint(msg)) if msg.contains("stale_version") => {
                return Err(Problem::conflict("detail.stale_version"))
            }
            Err(DbError::Constraint(_)) => return Err(plan.on_conflict),
            Err(e) => return Err(internal(e)),
        }
    }
    for e in &plan.effects {
        match e {
            // Committed already. Every message sent after a commit is one
            // the database can drive again, so a failed send is logged and
            // loses nothing: a notice's row is re-sent by the sweep
            // (`ResendLost`, after 5 minutes), a job's next step too
            // (`ResendIdleJobs`, from the row, after 10), and terminals'
            // contacts are reported again with their next minute's report.
            // Work that must not wait goes out before the commit instead
            // (`Effect::Publish`: nothing is written unless it was taken).
            Effect::Enqueue(msg) if !queue_in_db => {
                if let Err(e) = cx.queue.send(msg).await {
                    log_error(&format!(
                        "queue send after commit ({}): {e}",
                        msg["type"].as_str().unwrap_or("?")
                    ));
                }
            }
            Effect::Forget(prefix) => cx.memo.forget(prefix),
            Effect::Keep(key, value) => cx.memo.keep(key.clone(), value.clone(), env.now),
            _ => {}
        }
    }
    let (status, body) = plan.outcome?;
    if let (Some(d), Some(bytes)) = (plan.download, file) {
        let disposition = format!(
            "attachment; filename=\"{}\"",
            d.filename.replace(['"', '\\', '\r', '\n'], "_")
        );
        return Ok(Response {
            status,
            headers: vec![
                ("content-type".into(), d.content_type),
                ("content-disposition".into(), disposition),
                ("x-content-type-options".into(), "nosniff".into()),
                (
                    "content-security-policy".into(),
                    "default-src 'none'; sandbox".into(),
                ),
            ],
            body: bytes,
        });
    }
    Ok(respond(
        status,
        body,
        plan.session,
        plan.content_type,
        req,
        cx,
    ))
}

/// An answer's body as sent: a session token moved into its cookie for a
/// caller with cookie sessions; text for devices that speak text.
fn respond(
    status: u16,
    body: Json,
    session: Option<SessionChange>,
    content_type: &'static str,
    req: &Request,
    cx: &Cx<'_>,
) -> Response {
    let (body, cookie) = session_cookie(session, req, cx.config.dev(), body);
    let mut response = match body {
        Json::String(text) if content_type.starts_with("text/") => {
            Response::text(status, content_type, text)
        }
        body => Response::json(status, &body),
    };
    response
        .headers
        .extend(cookie.map(|c| ("set-cookie".into(), c)));
    response
}

/// For a caller with cookie sessions: the body without the new token, and
/// the `Set-Cookie` that carries it (or clears it). `Secure` everywhere but
/// in dev builds' dev mode (plain-HTTP local runs).
fn session_cookie(
    change: Option<SessionChange>,
    req: &Request,
    dev: bool,
    mut body: Json,
) -> (Json, Option<String>) {
    let Some(change) = change.filter(|_| req.wants_cookie()) else {
        return (body, None);
    };
    let secure = if dev { "" } else { "; Secure" };
    let cookie = match change {
        SessionChange::Started(kind) => {
            let token = body
                .as_object_mut()
                .and_then(|o| o.remove(kind.reply_field()))
                .and_then(|t| t.as_str().map(str::to_owned));
            token.map(|t| {
                format!(
                    "{}={t}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
                    kind.cookie_name(),
                    kind.lifetime_secs()
                )
            })
        }
        SessionChange::Ended(kind) => Some(format!(
            "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}",
            kind.cookie_name()
        )),
    };
    (body, cookie)
}

pub(crate) fn internal(e: DbError) -> Problem {
    // The cause goes to the log without personal data: only the error class
    // and the engine's message (which never contains bound values).
    log_error(&e.to_string());
    Problem::internal()
}

fn unreadable(e: ReadError) -> Problem {
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
    ($handle:path, [$(($method:literal, $path:literal) => |$op:ident| $describe:expr),+ $(,)?]) => {
        $crate::function!($handle, body_limit = $crate::kernel::http::JSON_BODY_LIMIT, [$(($method, $path) => |$op| $describe),+]);
    };
    ($handle:path, body_limit = $limit:expr, [$(($method:literal, $path:literal) => |$op:ident| $describe:expr),+ $(,)?]) => {
        /// The routes this function serves: (method, path).
        pub const ROUTES: &[(&str, &str)] = &[$(($method, $path)),+];
        /// The largest request body it reads: a larger one is refused with
        /// 413 before it is read (by its declared length, or as it streams).
        pub const BODY_LIMIT: usize = $limit;
        /// `handle`, boxed: what the Worker router and the Spin export call.
        pub fn boxed<'a>(
            req: &'a $crate::kernel::http::Request,
            cx: &'a $crate::kernel::engine::Cx<'a>,
        ) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = $crate::kernel::http::Response> + 'a>> {
            ::std::boxed::Box::pin($handle(req, cx))
        }
        /// This function's operations in the OpenAPI document, one per
        /// route (native builds only).
        #[cfg(not(target_family = "wasm"))]
        pub fn operations() -> ::std::vec::Vec<$crate::kernel::api::Op> {
            ::std::vec![$({
                let $op = $crate::kernel::api::Op::new($method, $path);
                $describe
            }),+]
        }
    };
}

/// A reply body: what `Plan::ok` serialises, and what the OpenAPI document
/// describes (the schema is derived from this same type in native builds;
/// field doc comments become descriptions).
pub trait Reply: serde::Serialize {}
impl<T: Reply> Reply for &T {}

/// Declares a reply type (see [`Reply`]).
#[macro_export]
macro_rules! reply {
    ($($(#[$m:meta])* $vis:vis struct $name:ident { $($(#[$fm:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)? })+) => {$(
        #[derive(Debug, Clone, ::serde::Serialize)]
        #[cfg_attr(not(target_family = "wasm"), derive($crate::kernel::api::schemars::JsonSchema))]
        #[cfg_attr(not(target_family = "wasm"), schemars(crate = "::domain::kernel::api::schemars"))]
        $(#[$m])*
        $vis struct $name { $($(#[$fm])* $fvis $field: $ty),* }
        impl $crate::kernel::engine::Reply for $name {}
    )+};
}

/// Declares the JSON body a function's parser reads, for the OpenAPI
/// document only (native builds; the parser itself checks every field and
/// answers 422 with pointers). The end-to-end suite checks that every body
/// the server accepted matches it.
#[macro_export]
macro_rules! request {
    ($($(#[$m:meta])* $vis:vis struct $name:ident { $($(#[$fm:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)? })+) => {$(
        #[cfg(not(target_family = "wasm"))]
        #[derive($crate::kernel::api::schemars::JsonSchema)]
        #[schemars(crate = "::domain::kernel::api::schemars")]
        $(#[$m])*
        #[allow(dead_code)]
        $vis struct $name { $($(#[$fm])* $fvis $field: $ty),* }
    )+};
}

#[cfg(test)]
pub(crate) mod testkit {
    use super::*;

    /// An environment for calling `decide` directly in unit tests.
    pub fn env<'a>(keys: &'a Keys, rng: &'a dyn Random, config: &'a Config) -> Env<'a> {
        Env {
            now: Utc::now(),
            rng,
            keys,
            config,
            client_ip: None,
            who: None,
            // A fresh memory per test: nothing remembered from another.
            memo: Box::leak(Box::default()),
            from_memory: false,
        }
    }
}
