//! Rules V2 and V3: a terminal posts a batch signed per Standard Webhooks
//! v1 (HMAC-SHA256 over id, timestamp and raw body; any `v1` entry; the
//! previous secret during a rotation's grace), within ±5 minutes; checked
//! for size and schema, queued, and only then answered 202.

use super::v3_records::{messages, parse_batch, Acceptance, TIMESTAMP_TOLERANCE_SECS};
use super::v6_suspension::{
    read_terminal, remembered_key, terminal_allowed, TerminalAuth, REMEMBER_SECS,
};
use super::TerminalMode;
use crate::kernel::crypto::{at, constant_time_eq};
use crate::kernel::engine::{Access, Effect, Env, Plan};
use crate::kernel::limits::{Limit, Window};
use crate::kernel::problem::Problem;
use crate::kernel::types::parse_instant;
use crate::{read, read_set, row, use_case};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn webhook_key(secret: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()
}

/// `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>` (Standard Webhooks v1).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = webhook_key(secret)?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).ok()?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// True when any `v1` entry of the header matches any of the secrets, in
/// constant time per comparison.
pub fn signature_matches(
    secrets: &[&str],
    id: &str,
    timestamp: i64,
    body: &[u8],
    header: &str,
) -> bool {
    matching_secret(secrets, id, timestamp, body, header).is_some()
}

/// Which of the secrets signed the batch (its position), if any.
pub fn matching_secret(
    secrets: &[&str],
    id: &str,
    timestamp: i64,
    body: &[u8],
    header: &str,
) -> Option<usize> {
    let expected: Vec<Option<String>> = secrets
        .iter()
        .map(|s| sign(s, id, timestamp, body))
        .collect();
    header
        .split_whitespace()
        .filter(|entry| entry.starts_with("v1,"))
        .find_map(|entry| {
            expected.iter().position(|e| {
                e.as_ref()
                    .is_some_and(|e| constant_time_eq(e.as_bytes(), entry.as_bytes()))
            })
        })
}

/// A secret as the queued batch names it (`Acceptance::credential`).
pub fn secret_credential(env: &Env, secret: &str) -> String {
    env.keys.blind_index("terminal-secret", secret)
}

/// How long an instance recognises a repeated `webhook-id` from memory;
/// the consumer keeps the receipt for good, and a repeat it did not
/// recognise stores nothing twice (event ids).
const RECEIPT_SECS: i64 = 600;

fn receipt_key(terminal_id: &str, webhook_id: &str) -> String {
    format!("receipt:{terminal_id}\n{webhook_id}")
}

#[derive(Debug, Clone)]
pub struct WebhookInput {
    pub terminal_id: String,
    pub webhook_id: String,
    pub timestamp: i64,
    pub signature: String,
    pub body: Vec<u8>,
}

row!(
    /// A webhook id already accepted from this terminal (deduplication).
    pub struct Receipt {
        pub records: i64,
    }
);

crate::reply!(
    /// A signed batch accepted: its records are queued (or were, for a
    /// repeated `webhook-id`).
    pub struct WebhookAccepted {
        /// records in the batch
        pub accepted: i64,
        /// this `webhook-id` was accepted before; nothing queued again
        #[serde(skip_serializing_if = "Option::is_none")]
        pub duplicate: Option<bool>,
        /// queue messages sent
        #[serde(skip_serializing_if = "Option::is_none")]
        pub messages: Option<usize>,
    }
);

read_set!(pub struct WebhookReads => WebhookRows {
    terminal: Option<TerminalAuth>,
    receipt: Option<Receipt>,
    this_minute: Option<Window>,
});

/// Signed batches per terminal per minute (A6). Counted for verified
/// batches only (a stranger cannot use up a terminal's allowance), in the
/// accepting batch's own write: a throughput limit, which parallel posts
/// may pass by a few.
fn per_terminal(env: &Env) -> Limit {
    Limit {
        prefix: "webhook",
        window_secs: 60,
        max: env
            .config
            .area::<super::DevicesConfig>()
            .webhook_batches_per_minute,
    }
}

/// `POST /devices/webhook?terminal=…`. A terminal this instance read in
/// the last `REMEMBER_SECS` is answered from memory: no round trip, only
/// the queue (issue 11; `kernel::memo`).
pub struct Webhook;
use_case!(Webhook, "device.webhook", |_uc| Access::Public, WebhookInput => WebhookReads, remembered);

impl Webhook {
    fn recall(&self, input: &WebhookInput, env: &Env) -> Option<(WebhookInput, WebhookRows)> {
        let terminal: TerminalAuth = env.memo.recall(
            &remembered_key(false, &input.terminal_id),
            env.now,
            REMEMBER_SECS,
        )?;
        let receipt = env
            .memo
            .recall::<serde_json::Value>(
                &receipt_key(&input.terminal_id, &input.webhook_id),
                env.now,
                RECEIPT_SECS,
            )
            .and_then(|v| v.as_i64())
            .map(|records| Receipt { records });
        Some((
            input.clone(),
            WebhookRows {
                terminal: Some(terminal),
                receipt,
                this_minute: None,
            },
        ))
    }

    fn remember(&self, input: &WebhookInput, rows: &WebhookRows, env: &Env) {
        if let Some(t) = &rows.terminal {
            env.memo.keep(
                remembered_key(false, &input.terminal_id),
                t.clone(),
                env.now,
            );
        }
    }

    fn reads(&self, input: &WebhookInput, env: &Env) -> WebhookReads {
        WebhookReads {
            this_minute: per_terminal(env).read(&input.terminal_id),
            terminal: read_terminal(false, &input.terminal_id),
            receipt: read!(
                "SELECT records FROM webhook_receipts WHERE terminal_id = ? AND webhook_id = ?",
                input.terminal_id.as_str(),
                input.webhook_id.as_str()
            ),
        }
    }

    fn decide(&self, input: WebhookInput, rows: WebhookRows, env: &Env) -> Result<Plan, Problem> {
        let t = rows
            .terminal
            .ok_or_else(|| Problem::unauthorized("detail.terminal_unknown"))?;
        let place = at("terminals.secret", &input.terminal_id);
        let open = |c: &Option<String>| c.as_deref().and_then(|s| env.keys.open_at(&place, s).ok());
        let mut secrets: Vec<String> = open(&t.secret_enc).into_iter().collect();
        let prev_valid =
            parse_instant(t.prev_valid_until.as_deref()).is_some_and(|until| env.now < until);
        if prev_valid {
            secrets.extend(open(&t.prev_secret_enc));
        }
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let signed_by = matching_secret(
            &refs,
            &input.webhook_id,
            input.timestamp,
            &input.body,
            &input.signature,
        )
        .filter(|_| t.mode == TerminalMode::Webhook)
        .ok_or_else(|| Problem::unauthorized("detail.signature"))?;
        if (env.now.timestamp() - input.timestamp).abs() > TIMESTAMP_TOLERANCE_SECS {
            return Err(Problem::unauthorized("detail.timestamp"));
        }
        terminal_allowed(&t, TerminalMode::Webhook)?;
        // Counted in this instance (exact here, no round trip) and, on the
        // database path (every request on Spin), in the database too.
        let limit = per_terminal(env);
        let limited = |wait| Problem::rate_limited("detail.rate_limited", wait);
        limit.check(&rows.this_minute, env.now).map_err(limited)?;
        limit
            .over(
                &limit.take_local(env.memo, &input.terminal_id, env.now),
                env.now,
            )
            .map_err(limited)?;
        if let Some(prior) = rows.receipt {
            return Ok(Plan::ok(
                202,
                WebhookAccepted {
                    accepted: prior.records,
                    duplicate: Some(true),
                    messages: None,
                },
                vec![],
            ));
        }
        let records = parse_batch(&input.body)?;
        let count = i64::try_from(records.len()).unwrap_or(0);
        let accepted = Acceptance {
            version: t.auth_version,
            at: env.now.to_rfc3339(),
            credential: secret_credential(env, &secrets[signed_by]),
            webhook_id: Some(input.webhook_id.clone()),
            batch_records: count,
        };
        let msgs = messages(
            &input.terminal_id,
            &t.member_id,
            &t.site_id,
            &records,
            Some(&accepted),
        );
        // The receipt is the consumer's to write (with the records); the
        // database window is counted where it was read.
        let writes = if env.from_memory {
            vec![]
        } else {
            vec![limit.hit(&input.terminal_id, env.now)]
        };
        Ok(Plan::ok(
            202,
            WebhookAccepted {
                accepted: count,
                duplicate: None,
                messages: Some(msgs.len()),
            },
            writes,
        )
        .effect(Effect::Publish(msgs))
        .effect(Effect::Keep(
            receipt_key(&input.terminal_id, &input.webhook_id),
            serde_json::json!(count),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_standard_webhooks_golden_vector() {
        let body = br#"{"email":"test@example.com","username":"test_user"}"#;
        let (secret, id) = (
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
        );
        let sig = sign(secret, id, 1649367553, body).unwrap();
        assert_eq!(sig, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=");
        let secrets = [secret];
        assert!(signature_matches(
            &secrets,
            id,
            1649367553,
            body,
            &format!("v1,bm9wZQ== {sig}")
        ));
        assert!(!signature_matches(&secrets, id, 1649367554, body, &sig));
        assert!(!signature_matches(&secrets, id, 1649367553, b"{}", &sig));
        assert!(!signature_matches(
            &secrets,
            id,
            1649367553,
            body,
            &sig.replace("v1,", "v2,")
        ));
    }
}
