use async_trait::async_trait;
use domain::kernel::crypto::Keys;
use domain::kernel::engine::Handler;
use domain::kernel::engine::{Config, Cx};
use domain::kernel::http::Request;
use domain::kernel::notify::NoticeConfig;
use domain::kernel::ports::{
    BlobStore, Database, DbError, HttpClient, Outbound, OutboundReply, PortError, Random, Row,
    Secrets, Stmt, StmtResult, SystemClock, Value,
};
use domain::kernel::problem::body_too_large;
use domain::kernel::problem::Problem;
use domain::kernel::routing::{refusal, Found, Routes};
use spin_sdk::http::body::IncomingBodyExt;
use spin_sdk::sqlite::{Connection, Value as SqlValue};
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

/// spin:sqlite, the manifest's `default` database. A batch runs inside
/// BEGIN IMMEDIATE … COMMIT so it is atomic like a D1 batch.
pub struct SpinDb {
    conn: Connection,
    trips: Cell<u32>,
    write_trips: Cell<u32>,
}

fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Int(i) => SqlValue::Integer(*i),
        Value::Text(s) => SqlValue::Text(s.clone()),
    }
}

impl SpinDb {
    async fn exec(&self, sql: &str, params: Vec<SqlValue>) -> Result<StmtResult, DbError> {
        let mut q = self
            .conn
            .execute(sql, params)
            .await
            .map_err(|e| DbError::from_message(format!("{e:?}")))?;
        let cols: Vec<String> = q.columns().to_vec();
        let mut rows = Vec::new();
        while let Some(r) = q.next().await {
            let mut m = BTreeMap::new();
            for (i, c) in cols.iter().enumerate() {
                let v = match r.values.get(i) {
                    Some(SqlValue::Integer(n)) => Value::Int(*n),
                    Some(SqlValue::Real(f)) => Value::Int(*f as i64),
                    Some(SqlValue::Text(t)) => Value::Text(t.clone()),
                    _ => Value::Null,
                };
                m.insert(c.clone(), v);
            }
            rows.push(Row(m));
        }
        q.result()
            .await
            .map_err(|e| DbError::from_message(format!("{e:?}")))?;
        let changes = self.conn.changes().await;
        Ok(StmtResult { rows, changes })
    }
}

#[async_trait(?Send)]
impl Database for SpinDb {
    async fn batch(&self, stmts: &[Stmt]) -> Result<Vec<StmtResult>, DbError> {
        self.trips.set(self.trips.get() + 1);
        if domain::kernel::ports::writes(stmts) {
            self.write_trips.set(self.write_trips.get() + 1);
        }
        self.exec("BEGIN IMMEDIATE", vec![]).await?;
        let mut out = Vec::with_capacity(stmts.len());
        for s in stmts {
            match self
                .exec(s.sql, s.params.iter().map(to_sql).collect())
                .await
            {
                Ok(r) => out.push(r),
                Err(e) => {
                    let _ = self.exec("ROLLBACK", vec![]).await;
                    return Err(e);
                }
            }
        }
        self.exec("COMMIT", vec![]).await?;
        Ok(out)
    }
    fn round_trips(&self) -> u32 {
        self.trips.get()
    }
    fn write_trips(&self) -> u32 {
        self.write_trips.get()
    }
}

/// Documents in Spin key-value (`default` store). Spin's default store keeps
/// values in SQLite; the 20 MB document limit applies unchanged.
pub struct SpinBlobs;

#[async_trait(?Send)]
impl BlobStore for SpinBlobs {
    async fn put(&self, key: &str, bytes: &[u8], _content_type: &str) -> Result<(), PortError> {
        let store = spin_sdk::key_value::Store::open_default()
            .await
            .map_err(|e| PortError(format!("{e:?}")))?;
        store
            .set(key, bytes)
            .await
            .map_err(|e| PortError(format!("{e:?}")))
    }
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, PortError> {
        let store = spin_sdk::key_value::Store::open_default()
            .await
            .map_err(|e| PortError(format!("{e:?}")))?;
        store
            .get(key)
            .await
            .map_err(|e| PortError(format!("{e:?}")))
    }
    async fn delete(&self, key: &str) -> Result<(), PortError> {
        let store = spin_sdk::key_value::Store::open_default()
            .await
            .map_err(|e| PortError(format!("{e:?}")))?;
        store
            .delete(key)
            .await
            .map_err(|e| PortError(format!("{e:?}")))
    }
}

/// Spin's outbound HTTP; the manifest allows each component only the hosts
/// it needs (`allowed_outbound_hosts`).
pub struct SpinHttp;

#[async_trait(?Send)]
impl HttpClient for SpinHttp {
    async fn send(&self, r: Outbound) -> Result<OutboundReply, PortError> {
        let mut b = http::Request::builder().method(r.method).uri(&r.url);
        for (k, v) in &r.headers {
            b = b.header(*k, v);
        }
        let request = b
            .body(spin_sdk::http::FullBody::new(bytes::Bytes::from(r.body)))
            .map_err(|e| PortError(format!("outbound request: {e}")))?;
        let response = spin_sdk::http::send(request)
            .await
            .map_err(|e| PortError(format!("outbound: {e:?}")))?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .bytes()
            .await
            .map(|b| b.to_vec())
            .unwrap_or_default();
        Ok(OutboundReply { status, body })
    }
}

pub struct WasiRandom;
impl Random for WasiRandom {
    fn fill(&self, buf: &mut [u8]) {
        getrandom::fill(buf).expect("wasi has randomness");
    }
}

struct VarSecrets(HashMap<String, String>);
impl Secrets for VarSecrets {
    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

const SECRETS: &[&str] = &[
    "DATA_KEY",
    "INDEX_KEY",
    "JWT_KEY",
    "ADMIN_BOOTSTRAP_TOKEN",
    "MAINTENANCE_TOKEN",
    "DEV_MODE",
    "CLIENT_ADDRESS_HEADER",
    "SIGNUP_APPLICATIONS_PER_HOUR",
    "SIGNUP_CONTACT_SAVES_PER_HOUR",
    "WEBHOOK_BATCHES_PER_MINUTE",
    "ADMS_REQUESTS_PER_MINUTE",
    "ADMS_UPLOADS_PER_MINUTE",
    "SUPPORT_CONTACT",
    "PAGES_ORIGIN",
    "NCP_ACCESS_KEY",
    "NCP_SECRET_KEY",
    "SENS_SERVICE_ID",
    "SMS_SENDER",
    "MAIL_SENDER",
    "NCP_SMS_ORIGIN",
    "NCP_MAIL_ORIGIN",
];

/// Converts Spin's request, builds the ports, runs the handler, converts back.
pub async fn serve(
    req: spin_sdk::http::Request,
    handler: Handler,
    routes: &'static [(&'static str, &'static str)],
    body_limit: usize,
) -> http::Response<spin_sdk::http::FullBody<bytes::Bytes>> {
    let (parts, body) = req.into_parts();
    let header = |n: &str| {
        parts
            .headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    // Spin passes the route-relative path and full URL as headers.
    let full = header("spin-full-url").unwrap_or_else(|| parts.uri.to_string());
    let path_and_query = full
        .find("://")
        .and_then(|i| full[i + 3..].find('/').map(|j| &full[i + 3 + j..]))
        .unwrap_or(full.as_str());
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut request = Request {
        method: parts.method.as_str().to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers: parts
            .headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect(),
        body: Vec::new(),
        client_ip: None,
        params: Vec::new(),
    };
    // Routed before the body is read: an unknown path or a declared length
    // over the function's limit is refused unread.
    let mut refused = match Routes::new(routes.iter().map(|(m, p)| (*m, *p, ())))
        .find(&request.method, &request.path)
    {
        Found::Handler((), params) => {
            request.params = params;
            body_too_large(&request, body_limit)
        }
        Found::MethodNotAllowed(allowed) => Some(refusal(&request, &allowed)),
        Found::NotFound => Some(refusal(&request, &[])),
    };
    if refused.is_none() {
        request.body = body.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        refused = body_too_large(&request, body_limit);
    }
    let mut vars = HashMap::new();
    for name in SECRETS {
        if let Ok(v) = spin_sdk::variables::get(name.to_ascii_lowercase()).await {
            vars.insert((*name).to_owned(), v);
        }
    }
    let secrets = VarSecrets(vars);
    // The peer Spin saw, unless a trusted proxy in front says who it saw.
    let trusted = secrets
        .get("CLIENT_ADDRESS_HEADER")
        .filter(|h| !h.is_empty());
    request.client_ip = domain::kernel::http::client_address(
        header("spin-client-addr").as_deref(),
        trusted.as_deref().map(|h| header(h)),
    );
    let response = match (
        Keys::from_secrets(&secrets),
        Connection::open_default().await,
        NoticeConfig::from_secrets(&secrets),
    ) {
        // The component that delivers notices (the manifest gives only it
        // their settings) runs without them too: it also drains the
        // attendance queue, which a missing provider key must not stop.
        // Without them notices wait in the outbox, undelivered and never
        // given up (the consumer counts no attempt), until the keys are set.
        (Ok(keys), Ok(conn), notices) => {
            if let (Err(missing), Some(_)) = (&notices, secrets.get("NCP_SMS_ORIGIN")) {
                domain::kernel::engine::log_error(&missing.to_string());
            }
            let mut config = Config::default()
                .with(domain::signup::SignupConfig::from_secrets(&secrets))
                .with(domain::devices::DevicesConfig::from_secrets(&secrets))
                .with(domain::kernel::notify::Links::from_secrets(&secrets));
            if let Ok(notices) = notices {
                config = config.with(notices);
            }
            config.dev_from_setting(secrets.get("DEV_MODE").as_deref());
            let db = SpinDb {
                conn,
                trips: Cell::new(0),
                write_trips: Cell::new(0),
            };
            let queue = domain::kernel::queue::TableQueue {
                db: &db,
                clock: &SystemClock,
            };
            // One SQLite database holds every attendance shard on Spin.
            let shards: [&dyn Database; 1] = [&db];
            let cx = Cx {
                db: &db,
                shards: &shards,
                blobs: &SpinBlobs,
                queue: &queue,
                http: &SpinHttp,
                clock: &SystemClock,
                rng: &WasiRandom,
                keys: &keys,
                config: &config,
                // One instance per request: it remembers nothing.
                memo: domain::kernel::memo::Memo::fleeting(),
            };
            let mut response = match refused {
                Some(r) => r,
                None => handler(&request, &cx).await,
            };
            domain::kernel::engine::report_round_trips(&mut response, &cx);
            response
        }
        _ => {
            domain::kernel::engine::log_error("spin: keys or database unavailable");
            Problem::internal().to_response(request.lang(), &request.path)
        }
    };
    let mut b = http::Response::builder().status(response.status);
    for (k, v) in &response.headers {
        b = b.header(k, v);
    }
    b.body(spin_sdk::http::FullBody::new(bytes::Bytes::from(
        response.body,
    )))
    .unwrap_or_else(|_| http::Response::new(spin_sdk::http::FullBody::new(bytes::Bytes::new())))
}
