//! Idempotency keys (IETF Idempotency-Key draft): a repeat after completion
//! gets the stored response, a repeat while running 409, the same key with
//! another payload 422. Read and written in the request's own two batches.
//!
//! Only for unsafe methods, and only for a caller with an identity (a token):
//! the key's scope is that caller, so no one else can be answered from it.
//! An anonymous request (signup step 1, sign-in) has no scope of its own to
//! keep an answer in, and its answer holds a credential: its key is not
//! used (a second client sending the same key and body once got the first
//! one's signup token). The stored answer is sealed, bound to its scope and
//! key (it may hold a terminal secret or personal data).

use crate::kernel::crypto::sha256_hex;
// The engine's parts this needs, by file: the engine's request path uses
// this module, so this one imports no file that imports it.
use crate::kernel::engine::access::Principal;
use crate::kernel::engine::context::Env;
use crate::kernel::engine::log::log_error;
use crate::kernel::engine::plan::SessionChange;
use crate::kernel::http::Request;
use crate::kernel::ports::{Stmt, StmtResult};
use crate::kernel::problem::Problem;
use crate::kernel::tokens::TokenKind;
use crate::stmt;
use chrono::{DateTime, Utc};
use serde_json::Value as Json;

/// Idempotency keys are kept this long (published in the OpenAPI document).
pub const TTL_HOURS: i64 = 24;

crate::row!(
    struct Stored {
        request_hash: String,
        status: i64,
        body: String,
        session_enc: Option<String>,
    }
);

/// A stored answer to repeat: its body as first sent, with the session
/// token (stored apart) back in its field; the engine then delivers it the
/// way the caller asks (cookie or body), as it did the first time.
pub struct Replayed {
    pub status: u16,
    pub body: Json,
    pub session: Option<SessionChange>,
}

/// A request's idempotency key with its scope and payload hash.
pub struct Key {
    scope: String,
    key: String,
    hash: String,
}

impl Key {
    /// The key the request carries, if any.
    ///
    /// # Errors
    /// 422 for an empty or overlong key.
    pub fn of(req: &Request, name: &str, who: Option<&Principal>) -> Result<Option<Key>, Problem> {
        // Only unsafe methods: a GET with a key once stored a decrypted profile.
        let Some(key) = req
            .header("idempotency-key")
            .filter(|_| !matches!(req.method.as_str(), "GET" | "HEAD" | "OPTIONS"))
        else {
            return Ok(None);
        };
        let Some(who) = who else {
            return Ok(None);
        };
        if key.is_empty() || key.len() > 255 {
            return Err(Problem::field("Idempotency-Key", "field.type"));
        }
        Ok(Some(Key {
            // A contact person (P10) shares its company's id: its own
            // scope, so it is never answered from another person's key.
            scope: match &who.person {
                Some(person) => format!("{name}:{}:{person}", who.id),
                None => format!("{name}:{}", who.id),
            },
            key: key.to_owned(),
            hash: sha256_hex(&[
                req.method.as_bytes(),
                req.path.as_bytes(),
                req.query.as_bytes(),
                &req.body,
            ]),
        }))
    }

    pub fn lookup(&self, now: DateTime<Utc>) -> Stmt {
        stmt!(
            "SELECT request_hash, status, body, session_enc FROM idempotency WHERE scope = ? AND key = ? AND created_at > ?",
            self.scope.as_str(),
            self.key.as_str(),
            (now - chrono::Duration::hours(TTL_HOURS)).to_rfc3339()
        )
    }

    /// The stored response to replay, if the key was used before.
    ///
    /// # Errors
    /// 422 when the key was used with another payload; 500 for an unreadable row.
    pub fn replay(
        &self,
        found: Option<StmtResult>,
        keys: &crate::kernel::crypto::Keys,
    ) -> Result<Option<Replayed>, Problem> {
        let Some(row) = found.and_then(|r| r.rows.into_iter().next()) else {
            return Ok(None);
        };
        let stored = <Stored as crate::kernel::reads::FromRow>::from_row(&row).map_err(|e| {
            log_error(&e.to_string());
            Problem::internal()
        })?;
        if stored.request_hash != self.hash {
            // The whole request differs from the first one sent with this key.
            return Err(Problem {
                errors: vec![crate::kernel::problem::FieldError {
                    pointer: "#".into(),
                    key: "detail.idempotency_mismatch",
                }],
                ..Problem::new(
                    422,
                    "idempotency-mismatch",
                    "title.idempotency_mismatch",
                    "detail.validation",
                )
            });
        }
        let status = u16::try_from(stored.status).map_err(|_| Problem::internal())?;
        let unreadable = |e: String| {
            log_error(&format!("stored idempotent answer: {e}"));
            Problem::internal()
        };
        let text = keys
            .open_for(&self.context(), &stored.body)
            .map_err(|e| unreadable(e.to_string()))?;
        let mut body: Json = serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
        let session = match &stored.session_enc {
            None => None,
            Some(sealed) => {
                let text = keys
                    .open_for(&self.session_context(), sealed)
                    .map_err(|e| unreadable(e.to_string()))?;
                let s: Json = serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
                let kind = s["kind"]
                    .as_str()
                    .and_then(TokenKind::from_name)
                    .ok_or_else(|| unreadable("session kind".into()))?;
                match (s["token"].as_str(), body.as_object_mut()) {
                    (Some(token), Some(fields)) => {
                        fields.insert(kind.reply_field().into(), Json::from(token));
                        Some(SessionChange::Started(kind))
                    }
                    _ => Some(SessionChange::Ended(kind)),
                }
            }
        };
        Ok(Some(Replayed {
            status,
            body,
            session,
        }))
    }

    fn session_context(&self) -> String {
        format!("idempotency.session:{}:{}", self.scope, self.key)
    }

    /// What a stored answer is sealed for: this scope and key only.
    fn context(&self) -> String {
        format!("idempotency.body:{}:{}", self.scope, self.key)
    }

    /// Claims the key: a new row, or the row of an expired use of the same
    /// key (reusable without waiting for the sweep). A live row makes the
    /// guard after it abort the whole batch: 409 in progress.
    ///
    /// A session token the answer carries is kept out of the stored body:
    /// it is sealed apart, so what a replay shows a script is never more
    /// than the first answer showed it.
    pub fn store(
        &self,
        env: &Env,
        status: u16,
        body: &Json,
        session: Option<SessionChange>,
    ) -> [Stmt; 2] {
        let now = env.now;
        let mut body = body.clone();
        let session = session.map(|change| {
            let kept = match change {
                SessionChange::Started(kind) => {
                    let token = body
                        .as_object_mut()
                        .and_then(|o| o.remove(kind.reply_field()));
                    serde_json::json!({ "kind": kind.name(), "token": token })
                }
                SessionChange::Ended(kind) => serde_json::json!({ "kind": kind.name() }),
            };
            env.keys
                .seal_for(env.rng, &self.session_context(), &kept.to_string())
        });
        let sealed = env
            .keys
            .seal_for(env.rng, &self.context(), &body.to_string());
        [
            stmt!(
                "INSERT INTO idempotency (scope, key, request_hash, status, body, session_enc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status,
                   body = excluded.body, session_enc = excluded.session_enc, created_at = excluded.created_at
                 WHERE idempotency.created_at <= ?",
                self.scope.as_str(),
                self.key.as_str(),
                self.hash.as_str(),
                i64::from(status),
                sealed,
                session,
                now.to_rfc3339(),
                (now - chrono::Duration::hours(TTL_HOURS)).to_rfc3339()
            ),
            stmt!("INSERT INTO expect_idempotency_claim(n) VALUES (changes())"),
        ]
    }
}

/// 409 while the first request with the key is still running.
pub fn in_progress() -> Problem {
    Problem::new(
        409,
        "idempotency-in-progress",
        "title.idempotency_in_progress",
        "detail.idempotency_in_progress",
    )
}

/// The sweep's purge of expired keys.
pub fn purge(now: DateTime<Utc>, rows: i64) -> Stmt {
    stmt!(
        "DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency WHERE created_at < ? LIMIT ?)",
        (now - chrono::Duration::hours(TTL_HOURS)).to_rfc3339(),
        rows
    )
}
