//! Cloudflare adapters. The Worker crate builds `Cx` from these and mounts
//! the function crates; nothing here knows a use case.

use async_trait::async_trait;
use domain::kernel::http::{Request, Response};
use domain::kernel::ports::{
    BlobStore, Clock, Database, DbError, HttpClient, Outbound, OutboundReply, PortError, Queue,
    Random, Row, Secrets, Stmt, StmtResult, Value,
};
use std::cell::Cell;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use worker::{D1Database, Env};

/// D1: every `batch` is one round trip and one atomic transaction.
pub struct D1 {
    db: D1Database,
    trips: Cell<u32>,
    write_trips: Cell<u32>,
}

impl D1 {
    pub fn new(db: D1Database) -> Self {
        D1 {
            db,
            trips: Cell::new(0),
            write_trips: Cell::new(0),
        }
    }
}

fn js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        // D1 binds JS numbers; every integer we store is far below 2^53.
        Value::Int(i) => JsValue::from_f64(*i as f64),
        Value::Text(s) => JsValue::from_str(s),
    }
}

fn from_json(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Int(i64::from(b)),
        serde_json::Value::Number(n) => Value::Int(
            n.as_i64()
                .unwrap_or_else(|| n.as_f64().unwrap_or(0.0) as i64),
        ),
        serde_json::Value::String(s) => Value::Text(s),
        other => Value::Text(other.to_string()),
    }
}

/// How often a batch refused for a locked database is sent again (after
/// 50, 100, 200 and 400 ms).
const LOCKED_RETRIES: u32 = 4;

#[async_trait(?Send)]
impl Database for D1 {
    async fn batch(&self, stmts: &[Stmt]) -> Result<Vec<StmtResult>, DbError> {
        self.trips.set(self.trips.get() + 1);
        if domain::kernel::ports::writes(stmts) {
            self.write_trips.set(self.write_trips.get() + 1);
        }
        // A batch refused because the database file was locked wrote
        // nothing (it is one transaction): it is sent again, a few times,
        // after a short wait. Local D1 (a SQLite file) refuses at once
        // while another writer holds it; a refusal is never an answer.
        let mut attempt = 0u32;
        let results = loop {
            let mut prepared = Vec::with_capacity(stmts.len());
            for s in stmts {
                let params: Vec<JsValue> = s.params.iter().map(js).collect();
                prepared.push(
                    self.db
                        .prepare(s.sql)
                        .bind(&params)
                        .map_err(|e| DbError::Other(e.to_string()))?,
                );
            }
            match self.db.batch(prepared).await {
                Ok(r) => break r,
                Err(e) if attempt < LOCKED_RETRIES && e.to_string().contains("SQLITE_BUSY") => {
                    attempt += 1;
                    worker::Delay::from(std::time::Duration::from_millis(25 << attempt)).await;
                }
                Err(e) => return Err(DbError::from_message(e.to_string())),
            }
        };
        let mut out = Vec::with_capacity(results.len());
        for r in results {
            if let Some(err) = r.error() {
                return Err(DbError::from_message(err));
            }
            let rows: Vec<serde_json::Map<String, serde_json::Value>> =
                r.results().map_err(|e| DbError::Other(e.to_string()))?;
            let changes = r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0) as u64;
            out.push(StmtResult {
                rows: rows
                    .into_iter()
                    .map(|m| {
                        Row(m
                            .into_iter()
                            .map(|(k, v)| (k, from_json(v)))
                            .collect::<BTreeMap<_, _>>())
                    })
                    .collect(),
                changes,
            });
        }
        Ok(out)
    }
    fn round_trips(&self) -> u32 {
        self.trips.get()
    }
    fn write_trips(&self) -> u32 {
        self.write_trips.get()
    }
}

pub struct R2(pub worker::Bucket);

#[async_trait(?Send)]
impl BlobStore for R2 {
    async fn put(&self, key: &str, bytes: &[u8], content_type: &str) -> Result<(), PortError> {
        let meta = worker::HttpMetadata {
            content_type: Some(content_type.to_owned()),
            ..Default::default()
        };
        self.0
            .put(key, bytes.to_vec())
            .http_metadata(meta)
            .execute()
            .await
            .map(|_| ())
            .map_err(|e| PortError(e.to_string()))
    }
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, PortError> {
        let Some(obj) = self
            .0
            .get(key)
            .execute()
            .await
            .map_err(|e| PortError(e.to_string()))?
        else {
            return Ok(None);
        };
        match obj.body() {
            Some(b) => b
                .bytes()
                .await
                .map(Some)
                .map_err(|e| PortError(e.to_string())),
            None => Ok(None),
        }
    }
    async fn delete(&self, key: &str) -> Result<(), PortError> {
        self.0
            .delete(key)
            .await
            .map_err(|e| PortError(e.to_string()))
    }
}

/// Queues: notices go to `EVENTS`, attendance batches and terminals'
/// contacts to `ATTENDANCE`.
/// Messages travel as JSON text, so what is received is exactly what was sent.
pub struct CfQueue {
    pub events: worker::Queue,
    /// `None` in a Worker that binds no `ATTENDANCE` producer (least
    /// privilege): a send there is refused, never silently dropped.
    pub attendance: Option<worker::Queue>,
}

/// Cloudflare's limits for one `sendBatch` call, with headroom.
const BATCH_MESSAGES: usize = 100;
const BATCH_BYTES: usize = 250 * 1024;

impl CfQueue {
    fn route(&self, message: &serde_json::Value) -> Result<&worker::Queue, PortError> {
        // Terminals' batches and contacts go to edge-devices' own queue.
        if matches!(
            message.get("type").and_then(serde_json::Value::as_str),
            Some("attendance" | "seen")
        ) {
            self.attendance
                .as_ref()
                .ok_or_else(|| PortError("ATTENDANCE is not bound to this Worker".into()))
        } else {
            Ok(&self.events)
        }
    }
}

/// The blob store of a Worker that binds no `DOCS` bucket (least
/// privilege): every call is refused, never silently empty.
pub struct Unbound;

#[async_trait(?Send)]
impl BlobStore for Unbound {
    async fn put(&self, _: &str, _: &[u8], _: &str) -> Result<(), PortError> {
        Err(PortError("DOCS is not bound to this Worker".into()))
    }
    async fn get(&self, _: &str) -> Result<Option<Vec<u8>>, PortError> {
        Err(PortError("DOCS is not bound to this Worker".into()))
    }
    async fn delete(&self, _: &str) -> Result<(), PortError> {
        Err(PortError("DOCS is not bound to this Worker".into()))
    }
}

#[async_trait(?Send)]
impl Queue for CfQueue {
    async fn send(&self, message: &serde_json::Value) -> Result<(), PortError> {
        self.route(message)?
            .send(as_text(message.to_string()))
            .await
            .map_err(|e| PortError(e.to_string()))
    }

    async fn send_batch(&self, messages: &[serde_json::Value]) -> Result<(), PortError> {
        let mut chunk: Vec<String> = Vec::new();
        let mut bytes = 0;
        let mut queue: Option<&worker::Queue> = None;
        for m in messages {
            let text = m.to_string();
            let q = self.route(m)?;
            let full = chunk.len() >= BATCH_MESSAGES || bytes + text.len() > BATCH_BYTES;
            let other_queue = queue.is_some_and(|cur| !std::ptr::eq(cur, q));
            if !chunk.is_empty() && (full || other_queue) {
                send_chunk(queue.unwrap_or(q), std::mem::take(&mut chunk)).await?;
                bytes = 0;
            }
            queue = Some(q);
            bytes += text.len();
            chunk.push(text);
        }
        if let (Some(q), false) = (queue, chunk.is_empty()) {
            send_chunk(q, chunk).await?;
        }
        Ok(())
    }
}

/// A message as text: the consumer reads it as it was written (no second
/// JSON encoding of the text on the way).
fn as_text(text: String) -> worker::SendMessage<String> {
    worker::MessageBuilder::new(text)
        .content_type(worker::QueueContentType::Text)
        .build()
}

/// One `send` for a single message (an accepted upload's usual case: a
/// batch call costs the queue more to take apart), else one `sendBatch`.
async fn send_chunk(queue: &worker::Queue, mut chunk: Vec<String>) -> Result<(), PortError> {
    let sent = if chunk.len() == 1 {
        queue.send(as_text(chunk.remove(0))).await
    } else {
        queue.send_batch(chunk.into_iter().map(as_text)).await
    };
    sent.map_err(|e| PortError(e.to_string()))
}

/// workerd's clock (`Date.now()`), which advances per I/O event.
/// Outbound HTTP through the Workers `fetch`.
pub struct Fetch;

#[async_trait(?Send)]
impl HttpClient for Fetch {
    async fn send(&self, r: Outbound) -> Result<OutboundReply, PortError> {
        let e = |e: worker::Error| PortError(format!("fetch: {e}"));
        let headers = worker::Headers::new();
        for (k, v) in &r.headers {
            headers.set(k, v).map_err(e)?;
        }
        let mut init = worker::RequestInit::new();
        init.with_method(worker::Method::from(r.method.to_owned()))
            .with_headers(headers)
            .with_body(Some(js_sys::Uint8Array::from(r.body.as_slice()).into()));
        let request = worker::Request::new_with_init(&r.url, &init).map_err(e)?;
        let mut response = worker::Fetch::Request(request).send().await.map_err(e)?;
        Ok(OutboundReply {
            status: response.status_code(),
            body: response.bytes().await.map_err(e)?,
        })
    }
}

pub struct JsClock;
impl Clock for JsClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
}

pub struct CryptoRandom;
impl Random for CryptoRandom {
    fn fill(&self, buf: &mut [u8]) {
        getrandom::fill(buf).expect("workerd has crypto.getRandomValues");
    }
}

pub struct EnvSecrets<'a>(pub &'a Env);
impl Secrets for EnvSecrets<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .secret(name)
            .map(|s| s.to_string())
            .or_else(|_| self.0.var(name).map(|v| v.to_string()))
            .ok()
    }
}

/// Reads a Worker request's head into the domain's request; the body is
/// read after routing, by [`read_body`], so an unknown path or an oversized
/// body is refused unread.
pub fn read_head(req: &worker::Request) -> worker::Result<Request> {
    let url = req.url()?;
    let headers = req
        .headers()
        .entries()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect::<Vec<_>>();
    // Set by Cloudflare's edge (a client's own value is replaced).
    let client_ip = req.headers().get("cf-connecting-ip").ok().flatten();
    Ok(Request {
        method: req.method().to_string(),
        path: url.path().to_owned(),
        query: url.query().unwrap_or("").to_owned(),
        headers,
        body: Vec::new(),
        client_ip,
        params: Vec::new(),
    })
}

/// Reads the body as it streams, at most `limit` bytes: `None` as soon as
/// it is larger (a body without a declared length is never buffered whole).
pub async fn read_body(req: &mut worker::Request, limit: usize) -> worker::Result<Option<Vec<u8>>> {
    use futures_util::StreamExt;
    if matches!(req.method(), worker::Method::Get | worker::Method::Head) {
        return Ok(Some(Vec::new()));
    }
    let Ok(mut stream) = req.stream() else {
        return Ok(Some(Vec::new()));
    };
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

pub fn write_response(r: Response) -> worker::Result<worker::Response> {
    let headers = worker::Headers::new();
    for (k, v) in &r.headers {
        headers.append(k, v)?;
    }
    let resp = if r.body.is_empty() {
        worker::Response::empty()?
    } else {
        worker::Response::from_bytes(r.body)?
    };
    Ok(resp.with_status(r.status).with_headers(headers))
}
