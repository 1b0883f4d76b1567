//! Work that runs outside a request: the queue consumer's notice delivery and
//! the scheduled maintenance sweep. Each keeps to two round trips per unit.

use crate::devices::{insert_statements, shard_of, Batch};
use crate::ports::{Database, Notifier, PortError, Queue};
use crate::runtime::{Cx, Effect, Env, IDEMPOTENCY_TTL_HOURS};
use crate::signup::{stale_capability_reads, stale_capability_writes};
use crate::stmt;
use serde_json::{json, Value as Json};

/// A queue message's meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// Deliver outbox row `id`.
    Outbox(String),
    /// Store attendance records (V4).
    Attendance(Batch),
    /// Cannot ever succeed: left to the dead-letter queue.
    Poison,
}

impl Message {
    pub fn parse(v: &Json) -> Message {
        match v.get("type").and_then(Json::as_str) {
            Some("outbox") => v
                .get("id")
                .and_then(Json::as_str)
                .map_or(Message::Poison, |id| Message::Outbox(id.to_owned())),
            Some("attendance") => Batch::parse(v).map_or(Message::Poison, Message::Attendance),
            _ => Message::Poison,
        }
    }
}

/// Test-only failure injection, read only when `DEV_MODE` is on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DevSwitches {
    /// Share of attendance deliveries that fail before storing (0.0–1.0).
    pub consumer_fail_rate: f64,
    /// Messages holding this event id always fail (a poison message).
    pub poison_event_id: Option<String>,
    /// Moves the maintenance sweep's clock forward (rule S8 tests).
    pub sweep_clock_offset_secs: i64,
}

/// Reads the dev switches (one round trip; only call in dev mode).
pub async fn dev_switches(db: &dyn Database) -> DevSwitches {
    let rows = db
        .batch(&[stmt!("SELECT name, value FROM dev_switches")])
        .await
        .unwrap_or_default();
    let mut d = DevSwitches::default();
    for r in rows.first().map(|r| r.rows.as_slice()).unwrap_or_default() {
        match (r.text("name"), r.text("value")) {
            (Some("consumer_fail_rate"), Some(v)) => {
                d.consumer_fail_rate = v.parse().unwrap_or(0.0)
            }
            (Some("sweep_clock_offset_secs"), Some(v)) => {
                d.sweep_clock_offset_secs = v.parse().unwrap_or(0)
            }
            (Some("poison_event_id"), Some(v)) if !v.is_empty() => {
                d.poison_event_id = Some(v.to_owned())
            }
            _ => {}
        }
    }
    d
}

/// Stores attendance messages (V4): one atomic batch of idempotent
/// multi-row inserts per shard, then the terminals' last-seen time in the
/// main database. Returns one result per message, in order; an `Err` is
/// retried by the queue (redelivery stores nothing twice).
pub async fn store_attendance(
    main: &dyn Database,
    shards: &[&dyn Database],
    batches: &[Batch],
    now: chrono::DateTime<chrono::Utc>,
    dev: &DevSwitches,
    rng: &dyn crate::ports::Random,
) -> Vec<Result<(), PortError>> {
    let mut results: Vec<Result<(), PortError>> = vec![Ok(()); batches.len()];
    let received = now.to_rfc3339();
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); shards.len().max(1)];
    for (i, b) in batches.iter().enumerate() {
        let poisoned = dev
            .poison_event_id
            .as_ref()
            .is_some_and(|p| b.records.iter().any(|r| &r.event_id == p));
        let mut roll = [0u8; 2];
        rng.fill(&mut roll);
        let unlucky = f64::from(u16::from_le_bytes(roll)) / 65536.0 < dev.consumer_fail_rate;
        if poisoned || unlucky {
            results[i] = Err(PortError("injected failure (dev switch)".into()));
        } else {
            groups[shard_of(&b.member_id, shards.len())].push(i);
        }
    }
    for (shard, members) in groups.iter().enumerate() {
        if members.is_empty() || shards.is_empty() {
            continue;
        }
        let stmts: Vec<_> = members
            .iter()
            .flat_map(|i| insert_statements(&batches[*i], &received))
            .collect();
        if let Err(e) = shards[shard].batch(&stmts).await {
            for i in members {
                results[*i] = Err(PortError(e.to_string()));
            }
        }
    }
    let mut seen: Vec<&str> = batches
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.is_ok())
        .map(|(b, _)| b.terminal_id.as_str())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    let updates: Vec<_> = seen
        .iter()
        .map(|id| stmt!("UPDATE terminals SET last_seen_at = MAX(COALESCE(last_seen_at, ''), ?) WHERE id = ?", received.as_str(), *id))
        .collect();
    if !updates.is_empty() {
        // Last-seen is informative: a failure here does not undo the records.
        let _ = main.batch(&updates).await;
    }
    results
}

/// Delay before the next delivery of a message first sent `age_secs` ago:
/// roughly doubling with each failed delivery (2 s, 4 s, 8 s, …), at most
/// 5 minutes. Workers' messages carry their first-send time but no attempt
/// count, so the age stands in for it.
pub fn retry_delay_secs(age_secs: u64) -> u32 {
    u32::try_from(age_secs.saturating_add(2).min(300)).unwrap_or(300)
}

/// Keeps a message the queue gave up on, for admins (V4).
///
/// # Errors
/// When the database fails; the dead-letter queue then retries.
pub async fn keep_dead_letter(
    db: &dyn Database,
    id: &str,
    queue: &str,
    body: &Json,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), PortError> {
    db.batch(&[stmt!(
        "INSERT OR IGNORE INTO dead_letters (id, queue, body, received_at) VALUES (?, ?, ?, ?)",
        id,
        queue,
        body.to_string(),
        now.to_rfc3339()
    )])
    .await
    .map(|_| ())
    .map_err(|e| PortError(e.to_string()))
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
    // The rule S8 reminders' clock; local development lets tests move it
    // forward (purges below always use the real clock).
    let mut s8_now = now;
    if cx.config.dev {
        s8_now += chrono::Duration::seconds(dev_switches(cx.db).await.sweep_clock_offset_secs);
    }
    let env = Env {
        now: s8_now,
        rng: cx.rng,
        keys: cx.keys,
        config: cx.config,
        client_ip: None,
    };
    let mut reads = stale_capability_reads(s8_now);
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

/// A queue kept in the `queue_messages` table, for platforms without a
/// queue (Spin): a message is durable once its insert commits, and
/// `drain_table_queue` consumes it with the same logic as the Worker's
/// consumer (same exactly-once storing, same retries and dead letters).
pub struct TableQueue<'a> {
    pub db: &'a dyn Database,
    pub clock: &'a dyn crate::ports::Clock,
}

#[async_trait::async_trait(?Send)]
impl Queue for TableQueue<'_> {
    async fn send(&self, message: &Json) -> Result<(), PortError> {
        self.send_batch(std::slice::from_ref(message)).await
    }
    async fn send_batch(&self, messages: &[Json]) -> Result<(), PortError> {
        let stmts = self.as_statements(messages).unwrap_or_default();
        self.db
            .batch(&stmts)
            .await
            .map(|_| ())
            .map_err(|e| PortError(e.to_string()))
    }
    fn as_statements(&self, messages: &[Json]) -> Option<Vec<crate::ports::Stmt>> {
        let now = self.clock.now().to_rfc3339();
        Some(
            messages
                .iter()
                .map(|m| {
                    stmt!(
                        "INSERT INTO queue_messages (body, created_at) VALUES (?, ?)",
                        m.to_string(),
                        now.as_str()
                    )
                })
                .collect(),
        )
    }
}

/// Deliveries of a table-queue message before it becomes a dead letter
/// (as `max_retries` on Cloudflare).
pub const TABLE_QUEUE_MAX_ATTEMPTS: i64 = 6;

/// What one drain did, in counts.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DrainReport {
    pub delivered: usize,
    pub retried: usize,
    pub dead_lettered: usize,
    /// More messages were waiting than one drain takes.
    pub more: bool,
}

/// Consumes up to 50 messages of the table queue (Spin's queue).
///
/// # Errors
/// When the database fails; messages stay queued for the next drain.
pub async fn drain_table_queue(cx: &Cx<'_>) -> Result<DrainReport, PortError> {
    const TAKE: i64 = 50;
    let now = cx.clock.now();
    let rows = cx
        .db
        .batch(&[stmt!(
            "SELECT id, body, attempts FROM queue_messages ORDER BY id LIMIT ?",
            TAKE + 1
        )])
        .await
        .map_err(|e| PortError(e.to_string()))?;
    let mut taken: Vec<(i64, Json, i64)> = rows[0]
        .rows
        .iter()
        .filter_map(|r| {
            Some((
                r.int("id")?,
                serde_json::from_str(r.text("body")?).unwrap_or(Json::Null),
                r.int("attempts").unwrap_or(0),
            ))
        })
        .collect();
    let more = taken.len() as i64 > TAKE;
    taken.truncate(TAKE as usize);
    let mut outcomes: Vec<Result<(), PortError>> = Vec::with_capacity(taken.len());
    let mut batches = Vec::new();
    let mut batch_at = Vec::new();
    for (i, (_, body, _)) in taken.iter().enumerate() {
        outcomes.push(Ok(()));
        match Message::parse(body) {
            Message::Outbox(id) => {
                outcomes[i] = deliver(cx.db, &LocalNotifier, cx.keys, &id, now).await
            }
            Message::Attendance(b) => {
                batches.push(b);
                batch_at.push(i);
            }
            Message::Poison => outcomes[i] = Err(PortError("malformed message".into())),
        }
    }
    if !batches.is_empty() {
        let dev = if cx.config.dev {
            dev_switches(cx.db).await
        } else {
            DevSwitches::default()
        };
        for (i, r) in batch_at
            .into_iter()
            .zip(store_attendance(cx.db, cx.shards, &batches, now, &dev, cx.rng).await)
        {
            outcomes[i] = r;
        }
    }
    let mut report = DrainReport {
        more,
        ..DrainReport::default()
    };
    let mut writes = Vec::new();
    for ((id, body, attempts), outcome) in taken.iter().zip(&outcomes) {
        match outcome {
            Ok(()) => {
                report.delivered += 1;
                writes.push(stmt!("DELETE FROM queue_messages WHERE id = ?", *id));
            }
            Err(_) if attempts + 1 >= TABLE_QUEUE_MAX_ATTEMPTS => {
                report.dead_lettered += 1;
                writes.push(stmt!(
                    "INSERT OR IGNORE INTO dead_letters (id, queue, body, received_at) VALUES (?, 'queue_messages', ?, ?)",
                    format!("tq-{id}"),
                    body.to_string(),
                    now.to_rfc3339()
                ));
                writes.push(stmt!("DELETE FROM queue_messages WHERE id = ?", *id));
            }
            Err(_) => {
                report.retried += 1;
                writes.push(stmt!(
                    "UPDATE queue_messages SET attempts = attempts + 1 WHERE id = ?",
                    *id
                ));
            }
        }
    }
    if !writes.is_empty() {
        cx.db
            .batch(&writes)
            .await
            .map_err(|e| PortError(e.to_string()))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_retries_back_off_roughly_doubling_up_to_five_minutes() {
        // Each retry waits about as long as the message has already lived.
        let mut age = 0u64;
        let mut delays = Vec::new();
        for _ in 0..6 {
            let d = retry_delay_secs(age);
            delays.push(d);
            age += u64::from(d);
        }
        assert_eq!(delays, [2, 4, 8, 16, 32, 64]);
        assert_eq!(retry_delay_secs(10_000), 300);
    }
}
