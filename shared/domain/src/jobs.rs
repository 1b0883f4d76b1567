//! Work that runs outside a request: the queue consumer's notice delivery and
//! the scheduled maintenance sweep. Each keeps to two round trips per unit.

use crate::ports::{Database, Notifier, PortError, Queue};
use crate::runtime::{Cx, Effect, Env, IDEMPOTENCY_TTL_HOURS};
use crate::signup::{stale_capability_reads, stale_capability_writes};
use crate::stmt;
use serde_json::{json, Value as Json};

/// A queue message's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Deliver outbox row `id`.
    Outbox(String),
    Unknown,
}

impl Message {
    pub fn parse(v: &Json) -> Message {
        match (
            v.get("type").and_then(Json::as_str),
            v.get("id").and_then(Json::as_str),
        ) {
            (Some("outbox"), Some(id)) => Message::Outbox(id.to_owned()),
            _ => Message::Unknown,
        }
    }
}

/// Delivers one outbox notice, at most once in effect: a delivered row is
/// skipped, and the row is marked only after the notifier took it.
///
/// # Errors
/// When the database or the notifier fails; the queue then retries.
pub async fn deliver(
    db: &dyn Database,
    notifier: &dyn Notifier,
    keys: &crate::crypto::Keys,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), PortError> {
    let rows = db
        .batch(&[stmt!(
            "SELECT channel, recipient_enc, body_enc, delivered_at FROM outbox WHERE id = ?",
            id
        )])
        .await
        .map_err(|e| PortError(e.to_string()))?;
    let Some(row) = rows.first().and_then(|r| r.first()) else {
        return Ok(());
    };
    if row.text("delivered_at").is_some() {
        return Ok(());
    }
    let open = |c: &str| {
        row.text(c)
            .and_then(|v| keys.open(v).ok())
            .ok_or_else(|| PortError("outbox row unreadable".into()))
    };
    notifier
        .deliver(
            row.text("channel").unwrap_or("sms"),
            &open("recipient_enc")?,
            &open("body_enc")?,
        )
        .await?;
    db.batch(&[stmt!(
        "UPDATE outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL",
        now.to_rfc3339(),
        id
    )])
    .await
    .map_err(|e| PortError(e.to_string()))?;
    Ok(())
}

/// What one maintenance run did, in counts (never contents).
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SweepReport {
    pub capability_update_requests: usize,
    pub requeued_notices: usize,
    pub sealed_audit_entries: usize,
}

/// The scheduled sweep: rule S8 reminders, sealing the audit chain, re-sending notices whose queue
/// message was lost, and purging expired idempotency keys, codes and sessions.
///
/// # Errors
/// When the database fails; the next run tries again.
pub async fn sweep(cx: &Cx<'_>) -> Result<SweepReport, PortError> {
    let now = cx.clock.now();
    let env = Env {
        now,
        rng: cx.rng,
        keys: cx.keys,
        config: cx.config,
        client_ip: None,
    };
    let mut reads = stale_capability_reads(now);
    reads.extend(crate::common::seal_reads());
    reads.push(stmt!(
        "SELECT id FROM outbox WHERE delivered_at IS NULL AND created_at < ? ORDER BY created_at LIMIT 100",
        (now - chrono::Duration::minutes(5)).to_rfc3339()
    ));
    let rows = cx
        .db
        .batch(&reads)
        .await
        .map_err(|e| PortError(e.to_string()))?;
    let (mut writes, effects) = stale_capability_writes(&rows[0], &env);
    let report = SweepReport {
        capability_update_requests: writes
            .iter()
            .filter(|s| s.sql.starts_with("UPDATE members"))
            .count(),
        requeued_notices: rows[3].rows.len(),
        sealed_audit_entries: rows[2].rows.len(),
    };
    writes.extend(crate::common::seal_writes(&rows[1], &rows[2]));
    writes.push(stmt!(
        "DELETE FROM idempotency WHERE created_at < ?",
        (now - chrono::Duration::hours(IDEMPOTENCY_TTL_HOURS)).to_rfc3339()
    ));
    writes.push(stmt!(
        "DELETE FROM phone_codes WHERE expires_at < ?",
        (now - chrono::Duration::days(1)).to_rfc3339()
    ));
    writes.push(stmt!(
        "DELETE FROM sessions WHERE expires_at < ?",
        (now - chrono::Duration::days(1)).to_rfc3339()
    ));
    writes.push(stmt!(
        "DELETE FROM rate_limits WHERE CAST(window_start AS INTEGER) < ?",
        now.timestamp() - 86_400
    ));
    cx.db
        .batch(&writes)
        .await
        .map_err(|e| PortError(e.to_string()))?;
    let queue: &dyn Queue = cx.queue;
    for e in effects {
        if let Effect::Enqueue(m) = e {
            let _ = queue.send(&m).await;
        }
    }
    for r in &rows[3].rows {
        if let Some(id) = r.text("id") {
            let _ = queue.send(&json!({ "type": "outbox", "id": id })).await;
        }
    }
    Ok(report)
}

/// Local development's notifier: nothing leaves the machine; the notice stays
/// readable in the outbox table (tests read codes there).
pub struct LocalNotifier;

#[async_trait::async_trait(?Send)]
impl Notifier for LocalNotifier {
    async fn deliver(
        &self,
        _channel: &str,
        _recipient: &str,
        _text: &str,
    ) -> Result<(), PortError> {
        Ok(())
    }
}
