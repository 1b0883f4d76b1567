//! The test harness: one `Target` trait, two targets.
//! - `InProcess`: every function crate called through the catalog with real
//!   SQLite and the real migrations (fast; the function tests).
//! - `Wrangler`: `wrangler dev` on workerd with fresh local D1, Queues and R2,
//!   driven over HTTP (the end-to-end tests).
//!
//! `E2E_TARGET=wrangler` picks the second; scenarios are written once.

mod builds;
#[cfg(test)]
mod clocks;
pub mod conformance;
#[cfg(test)]
mod glossary;
pub mod receiver;
#[cfg(test)]
mod registry;
#[cfg(test)]
mod rule_index;

use adapter_sqlite::{MapSecrets, MemoryBlobs, MemoryQueue, OsRandom, SqliteDb};
use builds::{check_build, copy_dir, d1_template, succeed};
use domain::kernel::crypto::Keys;
use domain::kernel::engine::{Config, Cx};
use domain::kernel::ports::{Random, Row, Value};
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the project")
        .to_path_buf()
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Json {
        serde_json::from_slice(&self.body).unwrap_or(Json::Null)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// D1 round trips the request made (dev mode reports them on every
    /// response: a missing or malformed header fails the test, it never
    /// counts as 0).
    #[track_caller]
    pub fn round_trips(&self) -> u32 {
        let h = self.header("x-db-round-trips").unwrap_or_else(|| {
            panic!(
                "response {} without x-db-round-trips: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        });
        h.parse().expect("x-db-round-trips is a count")
    }
    /// Of the round trips, those that wrote the main database
    /// (`x-db-writes`; missing or malformed fails the test).
    #[track_caller]
    pub fn writes(&self) -> u32 {
        self.header("x-db-writes")
            .unwrap_or_else(|| panic!("response {} without x-db-writes", self.status))
            .parse()
            .expect("x-db-writes is a count")
    }
    /// The `pointer`s of a problem document's `errors`.
    pub fn pointers(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["pointer"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
    #[track_caller]
    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert!(
            self.round_trips() <= 2,
            "more than 2 D1 round trips: {}",
            self.round_trips()
        );
        self
    }
}

/// Something that serves the API.
pub trait Target: Sync {
    /// One request, as the target serves it.
    fn serve(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply;
    /// One request, its response checked against the OpenAPI document.
    #[track_caller]
    fn call(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let r = self.serve(method, path, headers, body);
        conformance::check(method, path, body, &r);
        r
    }
    /// One request from another client address (a loopback address such
    /// as `127.0.0.7`): over HTTP the connection really comes from there,
    /// so the server learns it as it does in production (workerd's client
    /// address, Spin's `spin-client-addr`); in-process it is the request's
    /// address.
    fn serve_from(
        &self,
        address: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply;
    /// A request that declares a body of `declared` bytes but sends only
    /// `body`: a server that reads before refusing never answers (the
    /// client gives up after 30 s and the test fails).
    fn serve_declared(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        declared: usize,
        body: &[u8],
    ) -> Reply;
    #[track_caller]
    fn call_from(
        &self,
        address: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let r = self.serve_from(address, method, path, headers, body);
        conformance::check(method, path, body, &r);
        r
    }
    /// Reads the database directly (tests only look).
    fn query(&self, sql: &str) -> Vec<Row>;
    /// Writes rows straight into the main database (benchmarks' and
    /// backlog tests' seeds only).
    fn seed(&self, sql: &str);
    /// Lets background work take one more step: the in-process queue is
    /// drained, Spin's scheduler calls `POST /maintenance/run` (the sweep,
    /// then the table queue); on `wrangler dev` the queue consumer runs by
    /// itself and this does nothing.
    fn background_round(&self) {}
    /// Runs a query on every attendance shard and concatenates the rows.
    fn query_shards(&self, sql: &str) -> Vec<Row>;
    /// How many attendance shards the target has.
    fn shard_count(&self) -> usize {
        SHARDS
    }
    /// Whether requests dependably interleave, so that a test may require a
    /// race to show (workerd under `wrangler dev`). In-process calls take a
    /// lock one at a time; the Spin test host runs requests on two worker
    /// threads but often finishes one before the next reads, so a race there
    /// is possible, not dependable. Invariants hold on every target.
    fn concurrent(&self) -> bool {
        false
    }
    /// Whether the instance that serves a request remembers earlier ones
    /// (`kernel::memo`): a Workers isolate does, and so does each test
    /// thread in-process; a Spin component instance serves one request.
    fn remembers(&self) -> bool {
        false
    }
    /// Whether requests from two threads are served by two instances that
    /// remember separately (in-process: one memo per thread), so a test can
    /// make a change on one that the other does not know of.
    fn threads_are_instances(&self) -> bool {
        false
    }
    /// Whether the queue is a table in the database (Spin's wiring): then
    /// sending to it is the request's one write round trip.
    fn queue_is_a_table(&self) -> bool {
        false
    }
    /// Where a browser finds the web pages (and the API beside them):
    /// `wrangler dev` serves them as static assets; the other targets serve
    /// the API only.
    fn pages_url(&self) -> Option<String> {
        None
    }
    /// The database file's bytes, to prove nothing personal is stored plain.
    fn database_bytes(&self) -> Vec<u8>;
    /// Whether the blob store holds `key`, where the test can see the store
    /// (`None`: it cannot; the in-process target's store is in memory).
    fn blob_exists(&self, _key: &str) -> Option<bool> {
        None
    }
    /// How many blobs the store holds under `prefix`, where the test can
    /// see the store (`None`: it cannot).
    fn blobs_under(&self, _prefix: &str) -> Option<usize> {
        None
    }
    fn keys(&self) -> Keys;
    fn bootstrap_token(&self) -> String;
    fn maintenance_token(&self) -> String;
    /// Triggers the scheduled maintenance sweep the target's way.
    fn trigger_sweep(&self);
    /// Runs the scheduled maintenance sweep and shows that it ran: every
    /// step's row in `sweep_steps` counts one more run, and none holds an
    /// error. A trigger that answered without running the sweep (or a step
    /// that failed) fails the test, so "nothing happened after the sweep"
    /// is never an assertion that passes on its own.
    #[track_caller]
    fn sweep(&self) {
        let runs = |t: &Self| -> HashMap<String, (i64, Option<String>)> {
            t.query("SELECT step, runs, last_error FROM sweep_steps")
                .iter()
                .map(|r| {
                    let step = r.text("step").expect("step").to_owned();
                    let runs = r.int("runs").expect("runs");
                    (step, (runs, r.text("last_error").map(str::to_owned)))
                })
                .collect()
        };
        let before = runs(self);
        self.trigger_sweep();
        let after = runs(self);
        for step in domain::jobs::sweep_step_names() {
            let (n, error) = after.get(step).cloned().unwrap_or((0, None));
            let was = before.get(step).map_or(0, |(n, _)| *n);
            assert!(n > was, "sweep step {step} did not run ({was} → {n} runs)");
            assert!(error.is_none(), "sweep step {step} failed: {error:?}");
        }
    }
}

// ------------------------------------------------------------------ in-process

pub struct InProcess {
    db: Mutex<SendDb>,
    secrets: MapSecrets,
    /// Spin's wiring: the queue is the `queue_messages` table, drained by
    /// `POST /maintenance/run`'s logic.
    table_queue: bool,
    /// The memory queue's failed deliveries: each with its count, when it
    /// was first taken and when it is due again (the Workers' backoff).
    retrying: Mutex<Vec<Retrying>>,
}

/// A failed delivery of the memory queue, waiting out its backoff.
struct Retrying {
    message: serde_json::Value,
    failures: u32,
    first: Instant,
    due: Instant,
}

/// Main database, blobs, queue, and the attendance shards.
struct SendDb(SqliteDb, MemoryBlobs, MemoryQueue, Vec<SqliteDb>);
// The in-process target is used from one test thread at a time (Mutex).
unsafe impl Send for SendDb {}

impl InProcess {
    /// Spin's wiring in-process: table queue and maintenance drain.
    pub fn spin_wiring() -> InProcess {
        InProcess {
            table_queue: true,
            ..InProcess::new()
        }
    }

    pub fn new() -> InProcess {
        let db = SqliteDb::with_migrations(&root().join("migrations")).expect("migrations apply");
        InProcess {
            db: Mutex::new(SendDb(
                db,
                MemoryBlobs::default(),
                MemoryQueue::default(),
                (0..SHARDS)
                    .map(|_| {
                        SqliteDb::with_migrations(&root().join("migrations"))
                            .expect("migrations apply")
                    })
                    .collect(),
            )),
            secrets: MapSecrets::random(),
            table_queue: false,
            retrying: Mutex::new(Vec::new()),
        }
    }
}

impl InProcess {
    /// Runs `f` with the ports of one request (round trips counted from 0).
    fn with_cx<R>(&self, f: impl FnOnce(&Cx<'_>) -> R) -> R {
        let guard = self.db.lock().unwrap_or_else(|e| e.into_inner());
        guard.0.reset_round_trips();
        for s in &guard.3 {
            s.reset_round_trips();
        }
        let keys = self.keys();
        let settings = MapSecrets(
            extra_vars()
                .into_iter()
                .chain(notice_settings())
                .chain(deployed_vars(&["SUPPORT_CONTACT", "PAGES_ORIGIN"]))
                .collect(),
        );
        let mut config = Config::default()
            .with(domain::signup::SignupConfig::from_secrets(&settings))
            .with(domain::devices::DevicesConfig::from_secrets(&settings))
            .with(domain::kernel::notify::Links::from_secrets(&settings))
            .with(
                domain::kernel::notify::NoticeConfig::from_secrets(&settings)
                    .expect("notice settings"),
            );
        config.dev = true;
        let shards: Vec<&dyn domain::kernel::ports::Database> = guard
            .3
            .iter()
            .map(|s| s as &dyn domain::kernel::ports::Database)
            .collect();
        let table = domain::kernel::queue::TableQueue {
            db: &guard.0,
            clock: &domain::kernel::ports::SystemClock,
        };
        let queue: &dyn domain::kernel::ports::Queue =
            if self.table_queue { &table } else { &guard.2 };
        f(&Cx {
            db: &guard.0,
            shards: &shards,
            blobs: &guard.1,
            queue,
            http: &NativeHttp,
            clock: &domain::kernel::ports::SystemClock,
            rng: &OsRandom,
            keys: &keys,
            config: &config,
            // Each test thread stands for one instance.
            memo: domain::kernel::memo::Memo::instance(),
        })
    }

    /// The queue consumer, in-process: delivers every queued message that
    /// is due the way the Worker's consumer does, a failed one again after
    /// the queue's backoff (2, 4, 8 … s), up to `MAX_RETRIES` retries and
    /// then the dead-letter table. Runs after every request, at every
    /// background round, and every 250 ms (`tick`), as Spin's scheduler
    /// and the Workers' queue would.
    fn drain(&self) {
        if self.table_queue {
            // As a scheduler calling POST /maintenance/run would, until the
            // table queue is empty.
            loop {
                let r = self
                    .with_cx(|cx| futures::executor::block_on(domain::jobs::drain_table_queue(cx)))
                    .expect("drain");
                if r.delivered + r.retried + r.dead_lettered == 0 {
                    return;
                }
            }
        }
        loop {
            let fresh: Vec<serde_json::Value> = {
                let guard = self.db.lock().unwrap_or_else(|e| e.into_inner());
                let taken: Vec<serde_json::Value> = guard.2 .0.borrow_mut().drain(..).collect();
                taken
            };
            let now = Instant::now();
            let mut round: Vec<(serde_json::Value, u32, Instant)> =
                fresh.into_iter().map(|m| (m, 0, now)).collect();
            {
                let mut waiting = self.retrying.lock().unwrap_or_else(|e| e.into_inner());
                let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut *waiting)
                    .into_iter()
                    .partition(|r| r.due <= now);
                *waiting = later;
                round.extend(due.into_iter().map(|r| (r.message, r.failures, r.first)));
            }
            if round.is_empty() {
                return;
            }
            // The same consumer as the Worker's `queue` handler.
            let bodies: Vec<serde_json::Value> = round.iter().map(|(m, _, _)| m.clone()).collect();
            let outcomes: Vec<bool> = self.with_cx(|cx| {
                futures::executor::block_on(domain::kernel::queue::Consumer::consume(
                    &domain::jobs::Areas::default(),
                    cx,
                    &bodies,
                ))
                .iter()
                .map(Result::is_ok)
                .collect()
            });
            for ((m, n, first), ok) in round.into_iter().zip(outcomes) {
                if ok {
                    continue;
                }
                if n + 1 > MAX_RETRIES {
                    let id = format!("dlq-{}", rand_below(1 << 60));
                    self.with_cx(|cx| {
                        futures::executor::block_on(domain::kernel::queue::keep_dead_letter(
                            cx.db,
                            &id,
                            "attendance-dlq",
                            &m,
                            chrono_now(),
                        ))
                    })
                    .expect("dead letter kept");
                } else {
                    // The Workers' backoff, by the message's age.
                    let age = first.elapsed().as_secs();
                    let backoff = domain::kernel::queue::retry_delay_secs(age);
                    self.retrying
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(Retrying {
                            message: m,
                            failures: n + 1,
                            first,
                            due: Instant::now() + Duration::from_secs(backoff.into()),
                        });
                }
            }
        }
    }
}

/// Shards in tests and local dev (wrangler.toml binds the same number).
pub const SHARDS: usize = 4;
/// Deliveries before a message goes to the dead-letter queue (wrangler.toml).
pub const MAX_RETRIES: u32 = 5;

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    domain::kernel::ports::Clock::now(&domain::kernel::ports::SystemClock)
}

impl Default for InProcess {
    fn default() -> Self {
        Self::new()
    }
}

impl Target for InProcess {
    fn remembers(&self) -> bool {
        true
    }
    fn threads_are_instances(&self) -> bool {
        true
    }
    fn queue_is_a_table(&self) -> bool {
        self.table_queue
    }
    fn serve(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        self.serve_from("127.0.0.1", method, path, headers, body)
    }
    fn serve_declared(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        declared: usize,
        body: &[u8],
    ) -> Reply {
        let declared = declared.to_string();
        let mut all = headers.to_vec();
        all.push(("content-length", &declared));
        self.serve(method, path, &all, body)
    }
    fn serve_from(
        &self,
        address: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let req = domain::kernel::http::Request {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), (*v).to_owned()))
                .collect(),
            body: body.to_vec(),
            client_ip: Some(address.into()),
            params: Vec::new(),
        };
        let resp = self.with_cx(|cx| {
            let mut req = req.clone();
            let mut resp = match catalog::route(&mut req).map(|(h, _)| h) {
                Ok(h) => futures::executor::block_on(h(&req, cx)),
                Err(refused) => refused,
            };
            domain::kernel::engine::report_round_trips(&mut resp, cx);
            resp
        });
        self.drain();
        Reply {
            status: resp.status,
            headers: resp.headers,
            body: resp.body,
        }
    }
    fn query(&self, sql: &str) -> Vec<Row> {
        self.db
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .peek(sql)
    }
    fn seed(&self, sql: &str) {
        self.db
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .script(sql)
            .expect("seed");
    }
    fn background_round(&self) {
        self.drain();
    }
    fn query_shards(&self, sql: &str) -> Vec<Row> {
        let guard = self.db.lock().unwrap_or_else(|e| e.into_inner());
        guard.3.iter().flat_map(|s| s.peek(sql)).collect()
    }
    fn blob_exists(&self, key: &str) -> Option<bool> {
        let guard = self.db.lock().unwrap_or_else(|e| e.into_inner());
        let found = guard.1 .0.borrow().contains_key(key);
        Some(found)
    }
    fn blobs_under(&self, prefix: &str) -> Option<usize> {
        let guard = self.db.lock().unwrap_or_else(|e| e.into_inner());
        let n = guard
            .1
             .0
            .borrow()
            .keys()
            .filter(|k| k.starts_with(prefix))
            .count();
        Some(n)
    }
    fn database_bytes(&self) -> Vec<u8> {
        // Every table's every value, as text: what a file dump would hold.
        let tables: Vec<String> = self
            .query("SELECT name FROM sqlite_master WHERE type = 'table'")
            .iter()
            .filter_map(|r| r.text("name").map(str::to_owned))
            .collect();
        let mut out = Vec::new();
        for t in tables {
            for r in self.query(&format!("SELECT * FROM \"{t}\"")) {
                for v in r.0.values() {
                    if let Value::Text(s) = v {
                        out.extend_from_slice(s.as_bytes());
                        out.push(b'\n');
                    }
                }
            }
        }
        out
    }
    fn keys(&self) -> Keys {
        Keys::from_secrets(&self.secrets).expect("test keys")
    }
    fn bootstrap_token(&self) -> String {
        domain::kernel::ports::Secrets::get(&self.secrets, "ADMIN_BOOTSTRAP_TOKEN")
            .unwrap_or_default()
    }
    fn maintenance_token(&self) -> String {
        domain::kernel::ports::Secrets::get(&self.secrets, "MAINTENANCE_TOKEN").unwrap_or_default()
    }
    fn trigger_sweep(&self) {
        self.with_cx(|cx| futures::executor::block_on(domain::jobs::sweep(cx)))
            .expect("sweep runs");
    }
}

/// Outbound HTTP for the in-process target (the Workers `fetch` and Spin's
/// outbound HTTP in the other targets).
struct NativeHttp;

#[async_trait::async_trait(?Send)]
impl domain::kernel::ports::HttpClient for NativeHttp {
    async fn send(
        &self,
        r: domain::kernel::ports::Outbound,
    ) -> Result<domain::kernel::ports::OutboundReply, domain::kernel::ports::PortError> {
        let mut req = ureq::http::Request::builder().method(r.method).uri(&r.url);
        for (k, v) in &r.headers {
            req = req.header(*k, v);
        }
        let req = req
            .body(r.body)
            .map_err(|e| domain::kernel::ports::PortError(e.to_string()))?;
        let mut response = agent()
            .run(req)
            .map_err(|e| domain::kernel::ports::PortError(e.to_string()))?;
        Ok(domain::kernel::ports::OutboundReply {
            status: response.status().as_u16(),
            body: response.body_mut().read_to_vec().unwrap_or_default(),
        })
    }
}

// ------------------------------------------------------------------ notices

/// The notice receiver of this test process (started once): the SMS and
/// e-mail providers every target sends to.
pub fn receiver() -> &'static receiver::Receiver {
    static RECEIVER: OnceLock<receiver::Receiver> = OnceLock::new();
    RECEIVER.get_or_init(|| {
        let vars = read_dev_vars();
        let key = |name: &str| {
            vars.get(name)
                .cloned()
                .unwrap_or_else(|| format!("test-{}", rand_below(1 << 60)))
        };
        receiver::Receiver::start(0, &key("NCP_ACCESS_KEY"), &key("NCP_SECRET_KEY"))
    })
}

/// The receiver's origin as both providers' (servers read the rest of
/// the notice settings from `.dev.vars`).
fn notice_origins() -> Vec<(String, String)> {
    notice_settings()
        .into_iter()
        .filter(|(k, _)| k.ends_with("_ORIGIN"))
        .collect()
}

/// The notice settings that point a platform at [`receiver`]: the origins
/// for every target; the in-process target also takes the rest from here
/// (the servers read them from `.dev.vars`).
fn notice_settings() -> Vec<(String, String)> {
    // Read once: the in-process target builds its settings every request.
    static SETTINGS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SETTINGS.get_or_init(read_notice_settings).clone()
}

fn read_notice_settings() -> Vec<(String, String)> {
    let r = receiver();
    let vars = read_dev_vars();
    let or = |k: &str, default: &str| vars.get(k).cloned().unwrap_or_else(|| default.to_owned());
    vec![
        ("NCP_ACCESS_KEY".into(), r.access_key.clone()),
        ("NCP_SECRET_KEY".into(), r.secret_key.clone()),
        (
            "SENS_SERVICE_ID".into(),
            or("SENS_SERVICE_ID", "ncp:sms:kr:0:local"),
        ),
        ("SMS_SENDER".into(), or("SMS_SENDER", "0200000000")),
        (
            "MAIL_SENDER".into(),
            or("MAIL_SENDER", "no-reply@member-platform.local"),
        ),
        ("NCP_SMS_ORIGIN".into(), r.origin.clone()),
        ("NCP_MAIL_ORIGIN".into(), r.origin.clone()),
    ]
}

// ------------------------------------------------------------------ wrangler dev

pub struct Wrangler {
    base: String,
    persist: PathBuf,
    vars: HashMap<String, String>,
    agent: ureq::Agent,
}

static CHILD: Mutex<Vec<Child>> = Mutex::new(Vec::new());

/// Bodies above this size are sent with `Expect: 100-continue`: the
/// smallest body limit of any route (a JSON body's), so every body a route
/// may refuse by its declared length waits for the go-ahead.
const LARGE_BODY: usize = domain::kernel::http::JSON_BODY_LIMIT;

/// One HTTP request to a server under test.
pub fn http_call(
    agent: &ureq::Agent,
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut req = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    // A large body waits for the server's go-ahead: a server that refuses
    // it unread (413 by its declared length) answers first, and the client
    // is not left writing into a closed connection (a broken pipe).
    if body.len() > LARGE_BODY {
        req = req.header("expect", "100-continue");
    }
    let req = req.body(body.to_vec()).expect("request");
    let resp = agent.run(req).expect("the server answers");
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = resp
        .into_body()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .unwrap_or_default();
    Reply {
        status,
        headers,
        body,
    }
}

/// One HTTP/1.1 request over a connection bound to `address` (any
/// 127.0.0.0/8 address reaches a server listening on 127.0.0.1); with
/// `declared`, the head announces that many body bytes whatever is sent.
fn http_call_from(
    address: &str,
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    declared: Option<usize>,
) -> Reply {
    use std::io::{Read, Write};
    let server: std::net::SocketAddr = base
        .trim_start_matches("http://")
        .parse()
        .expect("base is ip:port");
    let local: std::net::SocketAddr = format!("{address}:0").parse().expect("an IPv4 address");
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    socket.bind(&local.into()).expect("bind the client address");
    socket.connect(&server.into()).expect("connect");
    let mut stream: std::net::TcpStream = socket.into();
    stream
        .set_read_timeout(Some(Duration::from_secs(if declared.is_some() {
            30
        } else {
            120
        })))
        .expect("timeout");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {server}\r\nconnection: close\r\ncontent-length: {}\r\n",
        declared.unwrap_or(body.len())
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send");
    // A server may answer and close before taking the whole body: what it
    // answered is still read below.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    // A server that answers without reading the whole declared body may
    // close with the rest unread: a reset after the answer is not an error.
    if let Err(e) = stream.read_to_end(&mut raw) {
        assert!(
            !raw.is_empty(),
            "no answer: the server waited for the body ({e})"
        );
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        let mut out = Vec::new();
        loop {
            let eol = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .expect("chunk size");
            let size = usize::from_str_radix(
                String::from_utf8_lossy(&rest[..eol])
                    .split(';')
                    .next()
                    .unwrap_or("0")
                    .trim(),
                16,
            )
            .expect("hex chunk size");
            rest = &rest[eol + 2..];
            if size == 0 {
                break out;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
    } else {
        rest.to_vec()
    };
    Reply {
        status,
        headers,
        body,
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// Waits until `GET {base}/healthz` answers 200.
fn wait_healthy(agent: &ureq::Agent, base: &str, log: &Path) {
    wait_answering(agent, base, log, 200);
}

/// Waits until `GET {base}/healthz` answers `status`.
fn wait_answering(agent: &ureq::Agent, base: &str, log: &Path, status: u16) {
    let deadline = Instant::now() + Duration::from_secs(600);
    while !agent
        .get(format!("{base}/healthz"))
        .call()
        .is_ok_and(|r| r.status() == status)
    {
        assert!(
            Instant::now() < deadline,
            "the server did not start; see {}",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

extern "C" fn stop_wrangler() {
    if let Ok(mut c) = CHILD.lock() {
        for child in c.iter_mut() {
            // wrangler runs in its own process group: end workerd with it.
            let pgid = child.id() as i32;
            unsafe {
                libc::kill(-pgid, libc::SIGTERM);
            }
            let _ = child.wait();
        }
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(8799)
}

/// Settings of the deployment as `wrangler.toml`'s `[vars]` gives them
/// (`NAME = "value"` lines), for the in-process target to run as deployed.
pub fn deployed_vars(names: &[&str]) -> Vec<(String, String)> {
    let toml = std::fs::read_to_string(root().join("wrangler.toml")).unwrap_or_default();
    toml.lines()
        .filter_map(|l| l.split_once(" = "))
        .filter(|(k, _)| names.contains(&k.trim()))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().trim_matches('"').to_owned()))
        .collect()
}

/// The keys of `.dev.vars`, which the HTTP targets' servers also use.
fn dev_keys(vars: &HashMap<String, String>) -> Keys {
    Keys::from_secrets(&MapSecrets(vars.clone())).expect(".dev.vars has keys (scripts/setup.sh)")
}

/// Deployment settings a run adds (`E2E_VARS="NAME:value NAME:value"`): the
/// benchmarks raise the rate limits to measure the request path. Passed to
/// `wrangler dev` as `--var`, to the Spin host as Spin variables, and to the
/// in-process target's configuration.
pub fn extra_vars() -> Vec<(String, String)> {
    std::env::var("E2E_VARS")
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|kv| kv.split_once(':'))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// A fresh loopback address (127.x.y.z), for requests that must not share
/// the per-address limits of the rest of the suite.
pub fn loopback() -> String {
    format!(
        "127.{}.{}.{}",
        1 + rand_below(250),
        1 + rand_below(250),
        1 + rand_below(250)
    )
}

/// The local settings file `.dev.vars` (scripts/setup.sh writes it).
pub fn read_dev_vars() -> HashMap<String, String> {
    std::fs::read_to_string(root().join(".dev.vars"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

impl Wrangler {
    /// Starts `wrangler dev` with a fresh persist directory and migrations
    /// applied; waits until `/healthz` answers.
    pub fn start() -> Wrangler {
        Wrangler::start_build(false, &[])
    }

    /// `wrangler dev` on a release build (no cargo feature `dev`).
    pub fn start_release() -> Wrangler {
        Wrangler::start_build(true, &[])
    }

    /// A release build whose deployment lacks the notice providers' keys
    /// (given empty, over `.dev.vars`): it must refuse to serve.
    pub fn start_release_without_notice_keys() -> Wrangler {
        Wrangler::start_build(true, &["NCP_ACCESS_KEY", "NCP_SECRET_KEY"])
    }

    fn start_build(release: bool, blank: &[&str]) -> Wrangler {
        let root = root();
        // One directory per server (a test process may start two).
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let persist = std::env::temp_dir().join(format!(
            "e2e-wrangler-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&persist);
        // Fresh local databases: a copy of the run's migrated template.
        copy_dir(&d1_template().join("v3"), &persist.join("v3"));
        let port = free_port();
        // A devtools port of its own too (wrangler's default, 9229, is one
        // for every server): servers of other test binaries may run beside.
        let inspector = free_port();
        let log =
            std::fs::File::create(std::env::temp_dir().join(format!("e2e-wrangler-{port}.log")))
                .expect("log file");
        // The settings over .dev.vars, for every Worker: `--var` reaches
        // edge-members only, so the others get them in the .dev.vars of
        // their config's copy (scripts/worker-config.sh). The release check
        // starts a release build with DEV_MODE on, to show it does nothing
        // there.
        let settings: Vec<(String, String)> =
            std::iter::once(("DEV_MODE".to_owned(), "true".to_owned()))
                .chain(notice_origins())
                .chain(extra_vars())
                .chain(blank.iter().map(|k| ((*k).to_owned(), String::new())))
                .collect();
        // Each Worker's config (scripts/worker-config.sh): the build made
        // once per run, never built here; a stale build fails the start.
        let mut configs = String::new();
        for (group, _) in catalog::BINDINGS {
            let dir = persist.join(format!("edge-{group}"));
            succeed(
                Command::new("bash")
                    .arg(root.join("scripts/worker-config.sh"))
                    .arg(group)
                    .arg(&dir)
                    .args(settings.iter().map(|(k, v)| format!("{k}={v}")))
                    .env("WORKER_DEV", if release { "0" } else { "1" }),
                &format!("scripts/worker-config.sh {group}"),
            );
            configs.push_str(&format!(" -c '{}'", dir.join("wrangler.toml").display()));
        }
        let mut cmd = Command::new("bash");
        cmd.arg("-c")
            .arg(format!(
                "source scripts/env.sh && exec wrangler dev{configs} --local --test-scheduled --ip 127.0.0.1 --port {port} --inspector-port {inspector} --persist-to '{}' --show-interactive-dev-session=false{}",
                persist.display(),
                settings
                    .iter()
                    .map(|(k, v)| format!(" --var {k}:{v}"))
                    .collect::<String>()
            ))
            .current_dir(&root)
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .stdin(Stdio::null());
        unsafe {
            use std::os::unix::process::CommandExt;
            cmd.pre_exec(|| {
                libc::setpgid(0, 0);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("wrangler dev starts");
        CHILD.lock().unwrap_or_else(|e| e.into_inner()).push(child);
        unsafe {
            libc::atexit(stop_wrangler);
        }
        let agent = agent();
        let base = format!("http://127.0.0.1:{port}");
        wait_answering(
            &agent,
            &base,
            &std::env::temp_dir().join(format!("e2e-wrangler-{port}.log")),
            if blank.is_empty() { 200 } else { 503 },
        );
        Wrangler {
            base,
            persist,
            vars: read_dev_vars(),
            agent,
        }
    }

    fn sqlite_files(&self) -> Vec<PathBuf> {
        let dir = self.persist.join("v3/d1/miniflare-D1DatabaseObject");
        std::fs::read_dir(&dir)
            .expect("local D1 exists")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "sqlite")
                    && !p.to_string_lossy().contains("metadata")
            })
            .collect()
    }

    fn is_main(path: &Path) -> bool {
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| {
                c.query_row(
                    "SELECT COUNT(*) FROM dev_switches WHERE name = 'database' AND value = 'main'",
                    [],
                    |r| r.get::<_, i64>(0),
                )
            })
            .is_ok_and(|n| n == 1)
    }

    /// The main database's file (marked at start).
    fn sqlite_file(&self) -> PathBuf {
        static MAIN: OnceLock<PathBuf> = OnceLock::new();
        MAIN.get_or_init(|| {
            self.sqlite_files()
                .into_iter()
                .find(|p| Self::is_main(p))
                .expect("the main D1 file")
        })
        .clone()
    }

    /// Runs `sql` (statements separated by `;`) in one transaction on the
    /// database file, beside the running server (SQLite locks the file).
    fn write(path: &Path, sql: &str) {
        let mut conn = rusqlite::Connection::open(path).expect("open D1 file");
        conn.busy_timeout(Duration::from_secs(30))
            .expect("busy timeout");
        let tx = conn.transaction().expect("transaction");
        tx.execute_batch(sql).expect("seed");
        tx.commit().expect("commit");
    }

    /// How many objects local R2 (`wrangler dev`'s bucket, a SQLite file
    /// of object rows) holds whose key is `key`, or starts with it when
    /// `prefix`.
    fn r2_objects(&self, key: &str, prefix: bool) -> usize {
        let dir = self.persist.join("v3/r2/miniflare-R2BucketObject");
        let Ok(files) = std::fs::read_dir(&dir) else {
            return 0;
        };
        files
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "sqlite")
                    && !p.to_string_lossy().contains("metadata")
            })
            .map(|p| {
                let key = key.replace('\'', "''");
                let sql = if prefix {
                    format!("SELECT COUNT(*) AS n FROM _mf_objects WHERE substr(key, 1, length('{key}')) = '{key}'")
                } else {
                    format!("SELECT COUNT(*) AS n FROM _mf_objects WHERE key = '{key}'")
                };
                Self::read(&p, &sql)
                    .first()
                    .and_then(|r| r.int("n"))
                    .map_or(0, |n| usize::try_from(n).unwrap_or(0))
            })
            .sum()
    }

    fn read(path: &Path, sql: &str) -> Vec<Row> {
        let conn =
            rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("open D1 file");
        let mut st = conn.prepare(sql).expect("sql");
        let cols: Vec<String> = st.column_names().iter().map(|c| (*c).to_owned()).collect();
        let rows = st
            .query_map([], |r| {
                let mut m = std::collections::BTreeMap::new();
                for (i, c) in cols.iter().enumerate() {
                    let v = match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Integer(n) => Value::Int(n),
                        rusqlite::types::ValueRef::Text(t) => {
                            Value::Text(String::from_utf8_lossy(t).into_owned())
                        }
                        rusqlite::types::ValueRef::Real(f) => Value::Int(f as i64),
                        _ => Value::Null,
                    };
                    m.insert(c.clone(), v);
                }
                Ok(Row(m))
            })
            .expect("query");
        rows.filter_map(Result::ok).collect()
    }
}

/// The `Target` methods of a target reached over HTTP (`self.base`,
/// `self.agent`): pooled requests, requests from another loopback address,
/// and requests that declare a longer body than they send — sent as
/// declared where the server streams bodies, whole where it buffers them.
macro_rules! serve_over_http {
    (streams_bodies = $streams:expr) => {
        fn serve(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
            http_call(&self.agent, &self.base, method, path, headers, body)
        }
        fn serve_from(
            &self,
            address: &str,
            method: &str,
            path: &str,
            headers: &[(&str, &str)],
            body: &[u8],
        ) -> Reply {
            http_call_from(address, &self.base, method, path, headers, body, None)
        }
        fn serve_declared(
            &self,
            method: &str,
            path: &str,
            headers: &[(&str, &str)],
            declared: usize,
            body: &[u8],
        ) -> Reply {
            let local = "127.0.0.1";
            if $streams {
                http_call_from(
                    local,
                    &self.base,
                    method,
                    path,
                    headers,
                    body,
                    Some(declared),
                )
            } else {
                let mut whole = body.to_vec();
                whole.resize(declared.max(body.len()), b' ');
                http_call_from(local, &self.base, method, path, headers, &whole, None)
            }
        }
    };
}

impl Target for Wrangler {
    fn blob_exists(&self, key: &str) -> Option<bool> {
        Some(self.r2_objects(key, false) > 0)
    }
    fn blobs_under(&self, prefix: &str) -> Option<usize> {
        Some(self.r2_objects(prefix, true))
    }
    fn remembers(&self) -> bool {
        true
    }
    fn concurrent(&self) -> bool {
        true
    }
    fn pages_url(&self) -> Option<String> {
        Some(self.base.clone())
    }
    // `wrangler dev`'s local proxy reads a whole request body before the
    // Worker runs (Cloudflare's edge streams it to the Worker), so here a
    // declared body is sent whole: the refusal is still the Worker's, by its
    // limit, but "unread" can only be shown on the other targets.
    serve_over_http!(streams_bodies = false);
    fn query(&self, sql: &str) -> Vec<Row> {
        Self::read(&self.sqlite_file(), sql)
    }
    fn seed(&self, sql: &str) {
        Self::write(&self.sqlite_file(), sql);
    }
    fn query_shards(&self, sql: &str) -> Vec<Row> {
        let main = self.sqlite_file();
        self.sqlite_files()
            .iter()
            .filter(|p| **p != main)
            .flat_map(|p| Self::read(p, sql))
            .collect()
    }
    fn database_bytes(&self) -> Vec<u8> {
        let mut bytes = std::fs::read(self.sqlite_file()).unwrap_or_default();
        let wal = self.sqlite_file().with_extension("sqlite-wal");
        bytes.extend(std::fs::read(wal).unwrap_or_default());
        bytes
    }
    fn keys(&self) -> Keys {
        dev_keys(&self.vars)
    }
    fn bootstrap_token(&self) -> String {
        self.vars
            .get("ADMIN_BOOTSTRAP_TOKEN")
            .cloned()
            .unwrap_or_default()
    }
    fn maintenance_token(&self) -> String {
        self.vars
            .get("MAINTENANCE_TOKEN")
            .cloned()
            .unwrap_or_default()
    }
    fn trigger_sweep(&self) {
        // wrangler's own test endpoint for cron triggers, not part of our API.
        let r = self.serve("GET", "/__scheduled?cron=*/15+*+*+*+*", &[], b"");
        assert!(r.status < 300, "cron trigger");
    }
}

// ------------------------------------------------------------------ Spin test host

/// The project's Spin components under `tests/spin-host` (a wasmtime host
/// reading spin.toml; `scripts/test.sh` builds it first).
pub struct SpinHost {
    base: String,
    sqlite: PathBuf,
    vars: HashMap<String, String>,
    agent: ureq::Agent,
}

impl SpinHost {
    pub fn start() -> SpinHost {
        SpinHost::start_without(&[])
    }

    /// A host of its own (its own database) given `.dev.vars` and the
    /// harness's settings minus the variables `missing`.
    pub fn start_without(missing: &[&str]) -> SpinHost {
        let root = root();
        SpinHost::check_builds();
        let dir = std::env::temp_dir().join(format!(
            "e2e-spin-{}{}",
            std::process::id(),
            if missing.is_empty() { "" } else { "-bare" }
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let sqlite = dir.join("default.db");
        let vars = read_dev_vars();
        let port = free_port();
        let log_path = dir.join("host.log");
        let log = std::fs::File::create(&log_path).expect("log file");
        let mut cmd = Command::new(root.join("target/spin-host/release/spin-test-host"));
        cmd.arg(root.join("spin.toml"))
            .arg(format!("127.0.0.1:{port}"))
            .arg(&sqlite)
            .arg(root.join("migrations"))
            .current_dir(&root)
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .stdin(Stdio::null());
        let given = |k: &str| !missing.iter().any(|m| m.eq_ignore_ascii_case(k));
        for (k, v) in vars.iter().filter(|(k, _)| given(k)) {
            cmd.env(
                format!("SPIN_VARIABLE_{}", k.to_ascii_uppercase()),
                v.as_str(),
            );
        }
        cmd.env("SPIN_VARIABLE_DEV_MODE", "true");
        for (k, v) in notice_origins().into_iter().chain(extra_vars()) {
            if given(&k) {
                cmd.env(format!("SPIN_VARIABLE_{}", k.to_ascii_uppercase()), v);
            }
        }
        unsafe {
            use std::os::unix::process::CommandExt;
            cmd.pre_exec(|| {
                libc::setpgid(0, 0);
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .expect("the Spin test host starts (scripts/test.sh builds it)");
        CHILD.lock().unwrap_or_else(|e| e.into_inner()).push(child);
        unsafe {
            libc::atexit(stop_wrangler);
        }
        let agent = agent();
        let base = format!("http://127.0.0.1:{port}");
        wait_healthy(&agent, &base, &log_path);
        SpinHost {
            base,
            sqlite,
            vars,
            agent,
        }
    }
}

impl SpinHost {
    /// The components and the host are fresh; the components are dev builds
    /// (as `scripts/test.sh` makes them) unless `E2E_SPIN_BUILD=release`
    /// (the Spin signup benchmark).
    fn check_builds() {
        let flavour = std::env::var("E2E_SPIN_BUILD").unwrap_or_else(|_| "dev".into());
        check_build("spin", &flavour, "target/wasm32-wasip2/release/.inputs");
        check_build("spin-host", "release", "target/spin-host/release/.inputs");
    }
}

impl Target for SpinHost {
    fn queue_is_a_table(&self) -> bool {
        true
    }
    serve_over_http!(streams_bodies = true);
    fn pages_url(&self) -> Option<String> {
        Some(self.base.clone())
    }
    fn query(&self, sql: &str) -> Vec<Row> {
        Wrangler::read(&self.sqlite, sql)
    }
    fn seed(&self, sql: &str) {
        Wrangler::write(&self.sqlite, sql);
    }
    fn background_round(&self) {
        self.trigger_sweep();
    }
    fn query_shards(&self, sql: &str) -> Vec<Row> {
        // Spin keeps every attendance shard in the `default` database.
        Wrangler::read(&self.sqlite, sql)
    }
    fn shard_count(&self) -> usize {
        1
    }
    fn database_bytes(&self) -> Vec<u8> {
        let mut bytes = std::fs::read(&self.sqlite).unwrap_or_default();
        bytes.extend(std::fs::read(self.sqlite.with_extension("db-wal")).unwrap_or_default());
        bytes
    }
    fn keys(&self) -> Keys {
        dev_keys(&self.vars)
    }
    fn bootstrap_token(&self) -> String {
        self.vars
            .get("ADMIN_BOOTSTRAP_TOKEN")
            .cloned()
            .unwrap_or_default()
    }
    fn maintenance_token(&self) -> String {
        self.vars
            .get("MAINTENANCE_TOKEN")
            .cloned()
            .unwrap_or_default()
    }
    fn trigger_sweep(&self) {
        let auth = format!("Bearer {}", self.maintenance_token());
        let r = self.call("POST", "/maintenance/run", &[("authorization", &auth)], b"");
        assert_eq!(r.status, 200, "maintenance run");
    }
}

/// The target for this test run: `E2E_TARGET=wrangler`, `spin` (the Spin
/// components under the Spin test host), `spin-wiring` (in-process with
/// Spin's table queue and maintenance drain) or in-process.
pub fn target() -> &'static dyn Target {
    static IN_PROCESS: OnceLock<InProcess> = OnceLock::new();
    static WRANGLER: OnceLock<Wrangler> = OnceLock::new();
    static SPIN_WIRING: OnceLock<InProcess> = OnceLock::new();
    static SPIN: OnceLock<SpinHost> = OnceLock::new();
    match std::env::var("E2E_TARGET").as_deref() {
        Ok("wrangler") => WRANGLER.get_or_init(Wrangler::start),
        Ok("spin-wiring") => {
            SPIN_WIRING.get_or_init(|| InProcess::spin_wiring().tick(&SPIN_WIRING))
        }
        Ok("spin") => SPIN.get_or_init(SpinHost::start),
        _ => IN_PROCESS.get_or_init(|| InProcess::new().tick(&IN_PROCESS)),
    }
}

impl InProcess {
    /// Drains the queue every 250 ms from a thread of its own, as Spin's
    /// scheduler (the Spin test host's, `spin cron`) and the Workers'
    /// queue do: a delivery waiting out its backoff is taken when due,
    /// whether or not a test makes a request meanwhile.
    fn tick(self, cell: &'static OnceLock<InProcess>) -> InProcess {
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(250));
            if let Some(t) = cell.get() {
                t.drain();
            }
        });
        self
    }
}

// ------------------------------------------------------------------ data makers

/// A fresh random number below `n`.
pub fn rand_below(n: u64) -> u64 {
    let mut b = [0u8; 8];
    OsRandom.fill(&mut b);
    u64::from_le_bytes(b) % n
}

/// A valid, random business registration number (rule S4's check digit).
pub fn business_number() -> String {
    let mut d: Vec<u32> = (0..9).map(|_| rand_below(10) as u32).collect();
    d[0] = 1 + rand_below(9) as u32;
    const W: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
    let sum: u32 = d.iter().zip(W).map(|(a, b)| a * b).sum::<u32>() + d[8] * 5 / 10;
    d.push((10 - sum % 10) % 10);
    let s: String = d.iter().map(|x| char::from(b'0' + *x as u8)).collect();
    format!("{}-{}-{}", &s[..3], &s[3..5], &s[5..])
}

/// Fires `n` copies of one request at once (a barrier releases them
/// together) and returns their statuses.
pub fn at_once(
    t: &'static dyn Target,
    n: usize,
    call: impl Fn(&dyn Target) -> u16 + Sync,
) -> Vec<u16> {
    let start = std::sync::Barrier::new(n);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|_| {
                let (start, call) = (&start, &call);
                s.spawn(move || {
                    start.wait();
                    call(t)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// Runs one sweep with its clock `secs` ahead (a dev switch), then puts
/// the clock back.
pub fn sweep_ahead(t: &dyn Target, secs: i64) {
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        &json_body(&json!({"sweep_clock_offset_secs": secs.to_string()})),
    )
    .expect(200);
    t.sweep();
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        br#"{"sweep_clock_offset_secs": "0"}"#,
    )
    .expect(200);
}

/// The open clock about `subject` in a clocks list (`GET /member/clocks`,
/// `GET /admin/clocks`), if any.
pub fn clock_of<'a>(list: &'a Json, subject: &str) -> Option<&'a Json> {
    list["clocks"]
        .as_array()
        .expect("clocks")
        .iter()
        .find(|c| c["subject"] == subject)
}

pub fn mobile() -> String {
    format!("010-{:04}-{:04}", rand_below(10_000), rand_below(10_000))
}

pub fn login_id() -> String {
    format!("user_{}", rand_below(1_000_000_000_000))
}

pub fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec()
}

/// A well-formed 1×1 PNG: signature, `IHDR`, `IEND` (CRCs not checked).
pub fn png() -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    v.extend_from_slice(&[0, 0, 0, 13, b'I', b'H', b'D', b'R']);
    v.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    v.extend_from_slice(&[0x90, 0x77, 0x53, 0xDE]);
    v.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]);
    v
}

pub fn json_body(v: &Json) -> Vec<u8> {
    serde_json::to_vec(v).expect("json")
}

/// A signup driven step by step.
pub struct Applicant {
    pub t: &'static dyn Target,
    pub member_id: String,
    pub token: String,
    pub login_id: String,
    pub password: String,
    pub mobile: String,
    pub email: String,
    pub name: String,
    pub business_number: String,
}

pub const JSON: (&str, &str) = ("content-type", "application/json");

pub fn consents() -> Json {
    json!([
        {"kind": "terms_of_service", "version": "2026-01-01", "accepted": true},
        {"kind": "privacy_collection", "version": "2026-01-01", "accepted": true},
        {"kind": "marketing_email", "version": "2026-01-01", "accepted": false},
        {"kind": "marketing_sms", "version": "2026-01-01", "accepted": true},
    ])
}

impl Applicant {
    /// Step 1 as a partner.
    pub fn start(t: &'static dyn Target) -> Applicant {
        Applicant::start_as(t, "partner")
    }

    /// Step 1 as a member of `kind` (`partner`, `client`).
    pub fn start_as(t: &'static dyn Target, kind: &str) -> Applicant {
        Applicant::start_consenting(t, kind, &consents())
    }

    /// Step 1 as a member of `kind`, giving `consents` (rule S2).
    pub fn start_consenting(t: &'static dyn Target, kind: &str, consents: &Json) -> Applicant {
        // From an address of its own: the suite starts hundreds of
        // applications, the per-address limit is 20 an hour.
        let r = t
            .call_from(
                &loopback(),
                "POST",
                "/signup/terms",
                &[JSON],
                &json_body(&json!({"kind": kind, "over_14": true, "consents": consents})),
            )
            .expect(201);
        let v = r.json();
        Applicant {
            t,
            member_id: v["member_id"].as_str().expect("member id").to_owned(),
            token: v["signup_token"].as_str().expect("token").to_owned(),
            login_id: login_id(),
            password: "a long enough passphrase".into(),
            mobile: mobile(),
            email: format!("{}@example.co.kr", login_id()),
            name: "김담당".into(),
            business_number: business_number(),
        }
    }

    pub fn auth(&self) -> String {
        format!("Bearer {}", self.token)
    }

    pub fn call(&self, method: &str, path: &str, body: &Json) -> Reply {
        let auth = self.auth();
        self.t.call(
            method,
            path,
            &[JSON, ("authorization", &auth)],
            &json_body(body),
        )
    }

    pub fn contact_body(&self) -> Json {
        json!({
            "login_id": self.login_id, "password": self.password, "password_confirm": self.password,
            "name": self.name, "mobile": self.mobile, "email": self.email,
        })
    }

    pub fn contact(&self) -> Reply {
        self.call("PUT", "/signup/contact", &self.contact_body())
    }

    /// The latest code sent to this applicant, once the SMS provider (the
    /// receiver) got that very text: the outbox says which text is the
    /// latest (two applicants may share a phone), the receiver that it left.
    pub fn latest_code(&self) -> String {
        let rows = self.t.query(&format!(
            "SELECT id, body_enc FROM outbox WHERE member_id = '{}' AND template = 'phone_code' ORDER BY created_at DESC, rowid DESC LIMIT 1",
            self.member_id
        ));
        let row = rows.first().expect("a code was sent");
        let (id, sealed) = (
            row.text("id").expect("id"),
            row.text("body_enc").expect("body"),
        );
        let text = self
            .t
            .keys()
            .open_at(&domain::kernel::crypto::at("outbox.body", id), sealed)
            .expect("outbox body decrypts");
        let phone = self.mobile.clone();
        receiver().wait_for("the code's text", |got| {
            got.iter().any(|m| {
                m.channel == "sms" && m.text == text && receiver::same_recipient(&m.to, &phone)
            })
        });
        text.split_whitespace()
            .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
            .expect("six digits")
            .to_owned()
    }

    pub fn verify_phone(&self) {
        self.call("POST", "/signup/phone/send", &json!({}))
            .expect(202);
        let code = self.latest_code();
        self.call("POST", "/signup/phone/verify", &json!({"code": code}))
            .expect(200);
    }

    pub fn company_body(&self) -> Json {
        json!({
            "company_name": format!("테스트 주식회사 {}", rand_below(1_000_000)),
            "business_number": self.business_number,
            "representative_name": "이대표",
            "business_type": "서비스업",
            "business_item": "소프트웨어 개발",
            "address": "서울특별시 중구 세종대로 110",
            "revenue_krw": 1_200_000_000,
            "employees": 24,
            "founded_year": 2015,
            "homepage": "https://example.co.kr",
            "categories": ["software", "design"],
        })
    }

    pub fn company(&self) -> Reply {
        self.call("PUT", "/signup/company", &self.company_body())
    }

    pub fn upload(&self, kind: &str, bytes: &[u8]) -> Reply {
        let auth = self.auth();
        self.t.call(
            "PUT",
            &format!("/signup/documents?kind={kind}"),
            &[
                ("content-type", "application/octet-stream"),
                ("authorization", &auth),
            ],
            bytes,
        )
    }

    pub fn documents(&self) {
        self.upload("registration_certificate", &pdf()).expect(201);
        self.upload("brochure", &pdf()).expect(201);
        for _ in 0..5 {
            self.upload("portfolio", &png()).expect(201);
        }
    }

    pub fn submit(&self) -> Reply {
        self.call("POST", "/signup/submit", &json!({}))
    }

    /// Steps 1–5.
    pub fn submitted(t: &'static dyn Target) -> Applicant {
        Applicant::submitted_as(t, "partner")
    }

    /// Steps 1–5 as a member of `kind`.
    pub fn submitted_as(t: &'static dyn Target, kind: &str) -> Applicant {
        Applicant::submitted_consenting(t, kind, &consents())
    }

    /// Steps 1–5 as a member of `kind` that gave `consents` (rule S2).
    pub fn submitted_consenting(t: &'static dyn Target, kind: &str, consents: &Json) -> Applicant {
        let a = Applicant::start_consenting(t, kind, consents);
        a.contact().expect(200);
        a.verify_phone();
        a.company().expect(200);
        a.documents();
        a.submit().expect(200);
        a
    }

    /// Step 6 after submission: the reviewer approves.
    pub fn approve(&self) {
        admin_call(
            self.t,
            &admin(self.t, "reviewer"),
            "POST",
            "/admin/reviews",
            &json!({"member_id": self.member_id, "decision": "approve", "reason": "ok"}),
        )
        .expect(200);
    }

    /// Step 7: billing waives the trial matchings.
    pub fn waive_trials(&self) {
        self.activation(&admin(self.t, "billing"), &self.waiver())
            .expect(200);
    }

    /// Step 7: billing records the system fee's payment (200 when it
    /// completes the membership contract, 409 while trials are pending).
    pub fn pay(&self) -> Reply {
        self.activation(&admin(self.t, "billing"), &self.payment())
    }

    fn waiver(&self) -> Json {
        json!({"member_id": self.member_id, "action": "waive"})
    }

    fn payment(&self) -> Json {
        json!({"member_id": self.member_id, "action": "payment", "reference": format!("PAY-{}", rand_below(1 << 40)), "amount_krw": 500000})
    }

    /// `POST /admin/activation` as the billing admin `billing`.
    fn activation(&self, billing: &str, body: &Json) -> Reply {
        admin_call(self.t, billing, "POST", "/admin/activation", body)
    }

    /// Step 6 after submission: approved, in trial (rule S7); a partner
    /// in trial signs in to the matching routes: its member session.
    pub fn approve_in_trial(&self) -> String {
        self.approve();
        self.session()
    }

    /// `POST /auth/login` with this applicant's login ID and password.
    pub fn sign_in(&self) -> Reply {
        self.t.call(
            "POST",
            "/auth/login",
            &[JSON],
            &json_body(&json!({"login_id": self.login_id, "password": self.password})),
        )
    }

    /// A member session (the sign-in must succeed).
    pub fn session(&self) -> String {
        self.sign_in().expect(200).json()["token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    /// An application of `kind` in `categories`, submitted (steps 1–5).
    pub fn submitted_in(t: &'static dyn Target, kind: &str, categories: &[&str]) -> Applicant {
        let a = Applicant::start_as(t, kind);
        a.contact().expect(200);
        a.verify_phone();
        let mut company = a.company_body();
        company["categories"] = json!(categories);
        a.call("PUT", "/signup/company", &company).expect(200);
        a.documents();
        a.submit().expect(200);
        a
    }

    /// Steps 6 and 7 after submission: approved, trials waived, system fee
    /// paid; returns a member session.
    pub fn activate(&self) -> String {
        self.approve();
        let billing = admin(self.t, "billing");
        self.activation(&billing, &self.waiver()).expect(200);
        self.activation(&billing, &self.payment()).expect(200);
        self.session()
    }

    pub fn status(&self) -> Json {
        self.t
            .call(
                "GET",
                "/signup/status",
                &[("authorization", &self.auth())],
                b"",
            )
            .expect(200)
            .json()
    }
}

/// An admin session of the given role, creating the owner on first use.
/// A new staff account of `role` (added by the owner): its login ID and
/// password, for tests that sign in themselves (the browser tests).
pub fn admin_account(t: &'static dyn Target, role: &str) -> (String, String) {
    let id = format!(
        "{}_{}",
        &role[..role.len().min(6)],
        rand_below(1_000_000_000)
    );
    let pw = "staff passphrase for tests".to_owned();
    let auth = format!("Bearer {}", admin(t, "owner"));
    t.call(
        "POST",
        "/admin/admins",
        &[JSON, ("authorization", &auth)],
        &json_body(&json!({"login_id": id, "password": pw, "role": role})),
    )
    .expect(201);
    (id, pw)
}

pub fn admin(t: &'static dyn Target, role: &str) -> String {
    static OWNER: Mutex<Option<(usize, String)>> = Mutex::new(None);
    let key = std::ptr::from_ref(t).cast::<()>() as usize;
    let mut guard = OWNER.lock().unwrap_or_else(|e| e.into_inner());
    let owner_token = match guard.as_ref() {
        Some((k, tok)) if *k == key => tok.clone(),
        _ => {
            let pw = "owner passphrase for tests";
            let r = t.call(
                "POST",
                "/admin/bootstrap",
                &[JSON],
                &json_body(
                    &json!({"token": t.bootstrap_token(), "login_id": "owner", "password": pw}),
                ),
            );
            assert!(
                r.status == 201 || r.status == 409,
                "bootstrap: {}",
                String::from_utf8_lossy(&r.body)
            );
            let tok = t
                .call(
                    "POST",
                    "/admin/login",
                    &[JSON],
                    &json_body(&json!({"login_id": "owner", "password": pw})),
                )
                .expect(200)
                .json()["token"]
                .as_str()
                .expect("owner token")
                .to_owned();
            *guard = Some((key, tok.clone()));
            tok
        }
    };
    if role == "owner" {
        return owner_token;
    }
    drop(guard);
    let (id, pw) = admin_account(t, role);
    t.call(
        "POST",
        "/admin/login",
        &[JSON],
        &json_body(&json!({"login_id": id, "password": pw})),
    )
    .expect(200)
    .json()["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

pub fn admin_call(t: &dyn Target, token: &str, method: &str, path: &str, body: &Json) -> Reply {
    let auth = format!("Bearer {token}");
    t.call(
        method,
        path,
        &[JSON, ("authorization", &auth)],
        &json_body(body),
    )
}

// ------------------------------------------------------------------ devices

/// An active member company with a member session and a device count.
/// A contact person a company added (rule P10), signed in.
pub struct Person {
    pub t: &'static dyn Target,
    pub person_id: String,
    pub login_id: String,
    pub password: String,
    pub email: String,
    pub session: String,
}

impl Person {
    pub fn call(&self, method: &str, path: &str, body: &Json) -> Reply {
        admin_call(self.t, &self.session, method, path, body)
    }
}

pub struct Company {
    pub t: &'static dyn Target,
    pub member_id: String,
    pub session: String,
    /// where its notices go
    pub email: String,
    pub mobile: String,
}

impl Company {
    /// Signs up, is approved, pays, logs in; device count set by billing.
    pub fn active(t: &'static dyn Target, device_limit: i64) -> Company {
        let a = Applicant::submitted(t);
        let session = a.activate();
        admin_call(
            t,
            &admin(t, "billing"),
            "POST",
            "/admin/member-devices",
            &json!({"member_id": a.member_id, "device_limit": device_limit}),
        )
        .expect(200);
        Company::of(t, &a, session)
    }

    /// An active member company of `kind` (`partner`, `client`), signed in.
    pub fn member(t: &'static dyn Target, kind: &str) -> Company {
        Company::member_in(t, kind, &["software", "design"])
    }

    /// An active member company of `kind` in `categories`, signed in.
    pub fn member_in(t: &'static dyn Target, kind: &str, categories: &[&str]) -> Company {
        let a = Applicant::submitted_in(t, kind, categories);
        let session = a.activate();
        Company::of(t, &a, session)
    }

    /// The company of applicant `a`, with a member session.
    pub fn of(t: &'static dyn Target, a: &Applicant, session: String) -> Company {
        Company {
            t,
            member_id: a.member_id.clone(),
            session,
            email: a.email.clone(),
            mobile: a.mobile.clone(),
        }
    }

    pub fn call(&self, method: &str, path: &str, body: &Json) -> Reply {
        admin_call(self.t, &self.session, method, path, body)
    }

    /// A contact person this company's administrator adds (rule P10): the
    /// invitation e-mailed, accepted with a login of its own, signed in.
    pub fn add_person(&self) -> Person {
        let n = rand_below(1_000_000);
        let email = format!("person{n}@example.kr");
        let added = self
            .call(
                "POST",
                "/member/contacts",
                &json!({"name": format!("담당자 {n}"), "mobile": mobile(), "email": email}),
            )
            .expect(201)
            .json();
        let person_id = added["person_id"].as_str().expect("person").to_owned();
        let token = self.invitation_token(&email);
        let login_id = format!("person{n}");
        let password = "a long passphrase for the person 7".to_owned();
        self.t
            .call(
                "POST",
                "/contacts/accept",
                &[JSON],
                &json_body(&json!({"token": token, "login_id": login_id, "password": password, "password_confirm": password})),
            )
            .expect(200);
        let session = self
            .t
            .call(
                "POST",
                "/auth/login",
                &[JSON],
                &json_body(&json!({"login_id": login_id, "password": password})),
            )
            .expect(200)
            .json()["token"]
            .as_str()
            .expect("token")
            .to_owned();
        Person {
            t: self.t,
            person_id,
            login_id,
            password,
            email,
            session,
        }
    }

    /// The token of the latest invitation this company sent to `email`,
    /// once the mailer got it.
    pub fn invitation_token(&self, email: &str) -> String {
        let rows = self.t.query(&format!(
            "SELECT id, body_enc FROM outbox WHERE member_id = '{}' AND template = 'contact_invited' ORDER BY created_at DESC, rowid DESC LIMIT 1",
            self.member_id
        ));
        let row = rows.first().expect("an invitation was sent");
        let text = self
            .t
            .keys()
            .open_at(
                &domain::kernel::crypto::at("outbox.body", row.text("id").expect("id")),
                row.text("body_enc").expect("body"),
            )
            .expect("the notice opens");
        receiver().wait_for("the invitation", |got| {
            got.iter()
                .any(|m| m.text.contains(&text) && receiver::same_recipient(&m.to, email))
        });
        text.split("invite/")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("the invitation's link")
            .to_owned()
    }

    pub fn site(&self) -> String {
        let body = json!({"name": "판교 현장", "manager_name": "박소장", "manager_contact": "010-2222-3333", "address": "경기도 성남시 분당구 판교로 1", "services": ["attendance"]});
        self.call("POST", "/member/sites", &body).expect(201).json()["site_id"]
            .as_str()
            .expect("site")
            .to_owned()
    }

    pub fn terminal(&self, site: &str) -> Terminal {
        let r = self
            .call(
                "POST",
                "/member/terminals",
                &json!({"site_id": site, "name": "정문 단말기", "mode": "webhook"}),
            )
            .expect(201)
            .json();
        Terminal {
            id: r["terminal_id"].as_str().expect("id").to_owned(),
            secret: r["secret"].as_str().expect("secret").to_owned(),
        }
    }

    pub fn adms_terminal(&self, site: &str, serial: &str) -> String {
        self.call(
            "POST",
            "/member/terminals",
            &json!({"site_id": site, "name": "ZK 단말기", "mode": "adms", "serial": serial}),
        )
        .expect(201)
        .json()["terminal_id"]
            .as_str()
            .expect("id")
            .to_owned()
    }
}

pub struct Terminal {
    pub id: String,
    pub secret: String,
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `n` valid records starting at event number `from`.
pub fn records(from: usize, n: usize, worker_prefix: &str) -> Vec<Json> {
    (from..from + n)
        .map(|i| {
            json!({
                "event_id": format!("evt-{i:08}"),
                "terminal_time": format!("2026-11-22T{:02}:{:02}:00+09:00", 6 + (i % 12), i % 60),
                "worker_code": format!("{worker_prefix}{:04}", i % 50),
                "direction": if i % 2 == 0 { "in" } else { "out" },
                "method": "face",
                "result": "accepted",
            })
        })
        .collect()
}

impl Terminal {
    /// Posts a signed batch (Standard Webhooks) with `webhook_id` at `ts`.
    pub fn post_signed(
        &self,
        t: &dyn Target,
        webhook_id: &str,
        ts: i64,
        body: &[u8],
        secret: &str,
    ) -> Reply {
        let sig = domain::devices::v2_webhook::sign(secret, webhook_id, ts, body)
            .expect("secret decodes");
        let ts = ts.to_string();
        t.call(
            "POST",
            &format!("/devices/webhook?terminal={}", self.id),
            &[
                JSON,
                ("webhook-id", webhook_id),
                ("webhook-timestamp", &ts),
                ("webhook-signature", &sig),
            ],
            body,
        )
    }

    pub fn post(&self, t: &dyn Target, webhook_id: &str, records: &[Json]) -> Reply {
        self.post_signed(
            t,
            webhook_id,
            now_secs(),
            &json_body(&json!({ "records": records })),
            &self.secret,
        )
    }
}

/// Stored attendance rows matching `filter` (a SQL condition), across shards.
pub fn stored(t: &dyn Target, filter: &str) -> i64 {
    t.query_shards(&format!(
        "SELECT COUNT(*) AS n FROM attendance_records WHERE {filter}"
    ))
    .iter()
    .filter_map(|r| r.int("n"))
    .sum()
}

/// Says, in the test run's output, that a test does not run on this target
/// and why (straight to stderr: the harness keeps a passing test's own
/// output to itself, so an early return would otherwise read as a pass).
#[track_caller]
pub fn skip(why: &str) {
    use std::io::Write;
    let target = std::env::var("E2E_TARGET").unwrap_or_else(|_| "in-process".into());
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let line = format!(
        "SKIPPED {test} on {target} ({}): {why}\n",
        std::panic::Location::caller()
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// `SELECT COUNT(*) AS n …` on the main database (-1 when it returns nothing).
pub fn count(t: &dyn Target, sql: &str) -> i64 {
    t.query(sql).first().and_then(|r| r.int("n")).unwrap_or(-1)
}

/// Waits (up to `secs`) until `f` holds; returns whether it did.
pub fn eventually(secs: u64, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if f() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A client with an open request, and a partner ranked for it.
pub struct Deal {
    pub client: Company,
    pub partner: Company,
    pub request_id: String,
}

pub fn deal(category: &str) -> Deal {
    let t = target();
    let partner = Company::member_in(t, "partner", &[category]);
    partner
        .call(
            "PUT",
            "/member/profile",
            &json!({"capabilities": ["설계"], "capacity": 1, "regions": ["all"]}),
        )
        .expect(200);
    let client = Company::member(t, "client");
    let request_id = client
        .call(
            "POST",
            "/member/requests",
            &json!({"category": category, "title": "물류센터 설계", "scope": "도면과 시방서", "budget_krw": 12_000_000, "due_date": "2099-03-31", "region": "incheon", "location": "인천 현장"}),
        )
        .expect(201)
        .json()["request_id"]
        .as_str()
        .expect("id")
        .to_owned();
    Deal {
        client,
        partner,
        request_id,
    }
}

/// A formed contract: drafted, then both parties confirm its version.
pub fn formed_contract(d: &Deal) -> String {
    let id = drafted(d);
    let r = d
        .client
        .call("GET", &format!("/member/contracts/{id}"), &json!(null))
        .expect(200)
        .json();
    let n = r["current_version"].clone();
    let v = r["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .find(|v| v["number"] == n)
        .expect("current version")
        .clone();
    for party in [&d.partner, &d.client] {
        party
            .call(
                "POST",
                &format!("/member/contracts/{id}/confirm"),
                &json!({"version": v["number"], "sha256": v["sha256"]}),
            )
            .expect(200);
    }
    id
}

/// The client offers the request, the partner accepts: the contract's id.
pub fn drafted(d: &Deal) -> String {
    let sent = d
        .client
        .call(
            "POST",
            &format!("/member/requests/{}/proposals", d.request_id),
            &json!({"partner_id": d.partner.member_id}),
        )
        .expect(201)
        .json();
    let pid = sent["proposal_id"].as_str().expect("proposal");
    d.partner
        .call(
            "POST",
            &format!("/member/proposals/{pid}"),
            &json!({"decision": "accept"}),
        )
        .expect(200)
        .json()["contract_id"]
        .as_str()
        .expect("contract")
        .to_owned()
}
