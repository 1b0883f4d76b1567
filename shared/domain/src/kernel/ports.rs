//! What the domain needs from a platform, as traits without `Send` bounds
//! (Workers futures are not `Send`). Adapters live beside this crate under `shared/`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// A bound SQL value. SQLite dialect; blobs are stored as base64 text so that
/// every adapter (D1's JSON, Spin, rusqlite) carries them the same way.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::Text(s.clone())
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// One SQL statement with positional `?` parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub sql: &'static str,
    pub params: Vec<Value>,
}

/// Builds a [`Stmt`]: `stmt!("SELECT … WHERE id = ?", id)`.
#[macro_export]
macro_rules! stmt {
    ($sql:expr $(, $p:expr)* $(,)?) => {
        $crate::kernel::ports::Stmt { sql: $sql, params: vec![$($crate::kernel::ports::Value::from($p)),*] }
    };
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row(pub BTreeMap<String, Value>);

impl Row {
    pub fn text(&self, col: &str) -> Option<&str> {
        match self.0.get(col) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }
    pub fn int(&self, col: &str) -> Option<i64> {
        match self.0.get(col) {
            Some(Value::Int(v)) => Some(*v),
            Some(Value::Text(s)) => s.parse().ok(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StmtResult {
    pub rows: Vec<Row>,
    pub changes: u64,
}

impl StmtResult {
    pub fn first(&self) -> Option<&Row> {
        self.rows.first()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DbError {
    /// A constraint or guard stopped the batch; nothing was written.
    /// The text names the constraint (never shown to clients).
    #[error("constraint: {0}")]
    Constraint(String),
    #[error("database: {0}")]
    Other(String),
}

impl DbError {
    /// Classifies an engine error message the same way for every adapter.
    /// The guards' own aborts (`stale_version`, `no_room`, the idempotency
    /// claim) are constraints on every runtime: Spin reports them by their
    /// message alone.
    pub fn from_message(msg: String) -> DbError {
        if msg.contains("constraint failed")
            || msg.contains("CONSTRAINT")
            || msg.contains("stale_version")
            || msg.contains("no_room")
            || msg.contains("idempotency key in progress")
        {
            DbError::Constraint(msg)
        } else {
            DbError::Other(msg)
        }
    }
}

/// The database (D1, Spin SQLite, or native SQLite in tests).
#[async_trait(?Send)]
pub trait Database {
    /// Runs the statements in order as one atomic transaction: all or nothing.
    /// One call is one round trip.
    ///
    /// # Errors
    /// [`DbError::Constraint`] when a constraint or version guard fails (nothing
    /// written); [`DbError::Other`] for anything else.
    async fn batch(&self, stmts: &[Stmt]) -> Result<Vec<StmtResult>, DbError>;
    /// Round trips made so far through this handle.
    fn round_trips(&self) -> u32;
    /// Of those, the round trips that wrote (held a statement that is not
    /// a `SELECT`: see [`writes`]).
    fn write_trips(&self) -> u32;
}

/// Whether a batch writes: any statement that is not a plain `SELECT`
/// (an `INSERT … RETURNING` that counts a rate window writes).
pub fn writes(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| {
        !s.sql
            .trim_start()
            .get(..6)
            .is_some_and(|w| w.eq_ignore_ascii_case("select"))
    })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PortError(pub String);

/// Object storage for documents (R2, Spin key-value, a folder in tests).
#[async_trait(?Send)]
pub trait BlobStore {
    /// # Errors
    /// When the store refuses or is unreachable.
    async fn put(&self, key: &str, bytes: &[u8], content_type: &str) -> Result<(), PortError>;
    /// # Errors
    /// When the store is unreachable; a missing key is `Ok(None)`.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, PortError>;
    /// Removes the object for good (destruction, rule R2); a missing key
    /// is not an error.
    ///
    /// # Errors
    /// When the store refuses or is unreachable.
    async fn delete(&self, key: &str) -> Result<(), PortError>;
}

/// A durable queue (Cloudflare Queues; an outbox table on Spin).
#[async_trait(?Send)]
pub trait Queue {
    /// # Errors
    /// When the message could not be handed to the queue.
    async fn send(&self, message: &serde_json::Value) -> Result<(), PortError>;
    /// For a queue kept in the request's own database: the statements that
    /// enqueue `messages`, to run inside the request's write batch. `None`
    /// (the default) for a real queue.
    fn as_statements(&self, _messages: &[serde_json::Value]) -> Option<Vec<Stmt>> {
        None
    }
    /// Sends messages together (Cloudflare: at most 100 messages or 256 KB
    /// a call; adapters split larger sets).
    ///
    /// # Errors
    /// When any message could not be handed to the queue.
    async fn send_batch(&self, messages: &[serde_json::Value]) -> Result<(), PortError> {
        for m in messages {
            self.send(m).await?;
        }
        Ok(())
    }
}

/// One notice to deliver: its channel (`sms`, `email`), template name (an
/// e-mail's subject comes from it), recipient and text.
#[derive(Debug, Clone, Copy)]
pub struct Notice<'a> {
    pub channel: &'a str,
    pub template: &'a str,
    pub recipient: &'a str,
    pub text: &'a str,
}

/// Delivers a notice (SMS, email) to the outside world.
#[async_trait(?Send)]
pub trait Notifier {
    /// # Errors
    /// When the provider did not take the message; the caller retries.
    async fn deliver(&self, notice: &Notice<'_>) -> Result<(), PortError>;
}

/// An outbound HTTP request to an outside service's API.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbound {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// What the outside service answered.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboundReply {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Outbound HTTP (the Workers `fetch`, Spin's outbound HTTP, a native
/// client in tests): how notices reach SMS and e-mail providers.
#[async_trait(?Send)]
pub trait HttpClient {
    /// # Errors
    /// When no answer came (refused, unreachable, not allowed); any answer,
    /// whatever its status, is `Ok`.
    async fn send(&self, request: Outbound) -> Result<OutboundReply, PortError>;
}

pub trait Clock {
    fn now(&self) -> DateTime<Utc>;
}

pub trait Random {
    fn fill(&self, buf: &mut [u8]);
}

pub trait Secrets {
    fn get(&self, name: &str) -> Option<String>;
}

/// Test and native clock.
pub struct SystemClock;
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

#[cfg(test)]
mod tests {
    use super::DbError;

    /// Each guard's abort is a constraint on every runtime, however the
    /// runtime words it (Spin gives the trigger's message alone: a `no_room`
    /// read as "other" answered 500 under parallel ADMS uploads).
    #[test]
    fn guard_aborts_are_constraints_whatever_the_runtime_says() {
        for msg in [
            "no_room",
            "Error::Io(\"no_room\")",
            "stale_version",
            "D1_ERROR: stale_version: SQLITE_CONSTRAINT",
            "UNIQUE constraint failed: audit_log.prev_hash",
            "idempotency key in progress",
        ] {
            assert!(
                matches!(DbError::from_message(msg.into()), DbError::Constraint(_)),
                "{msg}"
            );
        }
        assert!(matches!(
            DbError::from_message("no such table: x".into()),
            DbError::Other(_)
        ));
    }
}
