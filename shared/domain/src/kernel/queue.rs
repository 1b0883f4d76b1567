//! A queue kept in the `queue_messages` table, for platforms without a queue
//! (Spin): a message is durable once its insert commits, and
//! [`drain`] consumes it with the same consumer as the Worker's queue
//! handler (same exactly-once storing, same retries and dead letters).

use crate::kernel::engine::Cx;
use crate::kernel::ports::{Database, PortError, Queue, Stmt};
use crate::kernel::reads::FromResult;
use crate::stmt;
use serde_json::Value as Json;

pub struct TableQueue<'a> {
    pub db: &'a dyn Database,
    pub clock: &'a dyn crate::kernel::ports::Clock,
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
    fn as_statements(&self, messages: &[Json]) -> Option<Vec<Stmt>> {
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

/// What consumes queue messages: one outcome per message, in order; an
/// `Err` is retried (redelivery must do nothing twice).
#[async_trait::async_trait(?Send)]
pub trait Consumer {
    async fn consume(&self, cx: &Cx<'_>, bodies: &[Json]) -> Vec<Result<(), PortError>>;
}

/// Deliveries of a table-queue message before it becomes a dead letter
/// (as `max_retries` on Cloudflare).
pub const MAX_ATTEMPTS: i64 = 6;
/// Messages one drain takes.
const TAKE: i64 = 50;

crate::reply!(
    /// What one drain did, in counts.
    #[derive(Default, PartialEq, Eq)]
    pub struct DrainReport {
        pub delivered: usize,
        pub retried: usize,
        pub dead_lettered: usize,
        /// More messages were waiting than one drain takes.
        pub more: bool,
    }
);

crate::row!(
    struct Queued {
        id: i64,
        body: String,
        attempts: i64,
        created_at: String,
    }
);

/// Consumes up to 50 messages of the table queue that are due: a message
/// whose delivery failed waits `retry_delay(age in seconds)` before the
/// next, as the Workers' queue backs off (`retry_delay_secs`, capped where
/// a test asks), however often drains run.
///
/// # Errors
/// When the database fails; messages stay queued for the next drain.
pub async fn drain(
    cx: &Cx<'_>,
    consumer: &dyn Consumer,
    retry_delay: &dyn Fn(u64) -> u32,
) -> Result<DrainReport, PortError> {
    let now = cx.clock.now();
    let mut rows = cx
        .db
        .batch(&[stmt!(
            "SELECT id, body, attempts, created_at FROM queue_messages
             WHERE next_at IS NULL OR next_at <= ? ORDER BY id LIMIT ?",
            now.to_rfc3339(),
            TAKE + 1
        )])
        .await
        .map_err(|e| PortError(e.to_string()))?;
    let mut taken = Vec::<Queued>::from_result(rows.pop().unwrap_or_default())
        .map_err(|e| PortError(e.to_string()))?;
    let more = taken.len() as i64 > TAKE;
    taken.truncate(TAKE as usize);
    let bodies: Vec<Json> = taken
        .iter()
        .map(|q| serde_json::from_str(&q.body).unwrap_or(Json::Null))
        .collect();
    let outcomes = consumer.consume(cx, &bodies).await;
    let mut report = DrainReport {
        more,
        ..DrainReport::default()
    };
    let mut writes = Vec::new();
    for (q, outcome) in taken.iter().zip(&outcomes) {
        match outcome {
            Ok(()) => {
                report.delivered += 1;
                writes.push(stmt!("DELETE FROM queue_messages WHERE id = ?", q.id));
            }
            Err(_) if q.attempts + 1 >= MAX_ATTEMPTS => {
                report.dead_lettered += 1;
                writes.push(stmt!(
                    "INSERT OR IGNORE INTO dead_letters (id, queue, body, received_at) VALUES (?, 'queue_messages', ?, ?)",
                    format!("tq-{}", q.id),
                    q.body.as_str(),
                    now.to_rfc3339()
                ));
                writes.push(stmt!("DELETE FROM queue_messages WHERE id = ?", q.id));
                if let Some(body) = serde_json::from_str::<Json>(&q.body).ok() {
                    writes.extend(crate::kernel::background::dead_lettered(
                        &body,
                        &now.to_rfc3339(),
                    ));
                }
            }
            Err(_) => {
                report.retried += 1;
                let age = chrono::DateTime::parse_from_rfc3339(&q.created_at)
                    .map_or(0, |c| (now - c.with_timezone(&chrono::Utc)).num_seconds())
                    .max(0)
                    .unsigned_abs();
                let next = now + chrono::Duration::seconds(i64::from(retry_delay(age)));
                writes.push(stmt!(
                    "UPDATE queue_messages SET attempts = attempts + 1, next_at = ? WHERE id = ?",
                    next.to_rfc3339(),
                    q.id
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
    let mut writes = vec![stmt!(
        "INSERT OR IGNORE INTO dead_letters (id, queue, body, received_at) VALUES (?, ?, ?, ?)",
        id,
        queue,
        body.to_string(),
        now.to_rfc3339()
    )];
    writes.extend(crate::kernel::background::dead_lettered(
        body,
        &now.to_rfc3339(),
    ));
    db.batch(&writes)
        .await
        .map(|_| ())
        .map_err(|e| PortError(e.to_string()))
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
