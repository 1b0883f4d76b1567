//! The transactional outbox: a notice is written in the same batch as the
//! change it reports, delivered by the queue consumer, and re-sent by the
//! sweep if its queue message was lost. Recipients and bodies are sealed.

use crate::kernel::crypto::{at, new_id, Keys};
use crate::kernel::engine::{Effect, Env};
use crate::kernel::ports::{Database, Notice, Notifier, PortError, Stmt};
use crate::kernel::reads::FromResult;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::{read, read_set, stmt};
use serde_json::json;

/// A notice and the queue message that gets it delivered.
pub fn outbox(
    env: &Env,
    member_id: &str,
    channel: &str,
    template: &str,
    recipient: &str,
    body: &str,
) -> (Stmt, Effect) {
    let id = new_id(env.rng, "ntc");
    let s = stmt!(
        "INSERT INTO outbox (id, member_id, channel, template, recipient_enc, body_enc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        id.as_str(),
        member_id,
        channel,
        template,
        env.keys.seal_for(env.rng, &at("outbox.recipient", &id), recipient),
        env.keys.seal_for(env.rng, &at("outbox.body", &id), body),
        env.now.to_rfc3339()
    );
    (s, message(&id))
}

fn message(id: &str) -> Effect {
    Effect::Enqueue(json!({ "type": "outbox", "id": id }))
}

crate::row!(
    struct Pending {
        channel: String,
        template: String,
        recipient_enc: String,
        body_enc: String,
        delivered_at: Option<String>,
    }
);

/// Delivers one outbox notice, at most once in effect: a delivered row is
/// skipped, and the row is marked only after the notifier took it.
///
/// # Errors
/// When the database or the notifier fails; the queue then retries.
pub async fn deliver(
    db: &dyn Database,
    notifier: &dyn Notifier,
    keys: &Keys,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), PortError> {
    let mut rows = db
        .batch(&[stmt!(
            "SELECT channel, template, recipient_enc, body_enc, delivered_at FROM outbox WHERE id = ?",
            id
        )])
        .await
        .map_err(|e| PortError(e.to_string()))?;
    let pending = Option::<Pending>::from_result(rows.pop().unwrap_or_default())
        .map_err(|e| PortError(e.to_string()))?;
    let Some(n) = pending else {
        return Ok(());
    };
    if n.delivered_at.is_some() {
        return Ok(());
    }
    let open = |place: &str, v: &str| {
        keys.open_at(&at(place, id), v)
            .map_err(|_| PortError("outbox row unreadable".into()))
    };
    notifier
        .deliver(&Notice {
            channel: &n.channel,
            template: &n.template,
            recipient: &open("outbox.recipient", &n.recipient_enc)?,
            text: &open("outbox.body", &n.body_enc)?,
        })
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

crate::row!(
    pub struct Lost {
        pub id: String,
    }
);

read_set!(pub struct LostReads => LostRows { lost: Vec<Lost> });

/// The sweep step that re-sends notices still undelivered after 5 minutes
/// (their queue message was lost): nothing committed is lost.
pub struct ResendLost;

impl Step for ResendLost {
    type Reads = LostReads;
    const NAME: &'static str = "requeued_notices";
    fn reads(&self, env: &Env) -> LostReads {
        LostReads {
            lost: read!(
                "SELECT id FROM outbox WHERE delivered_at IS NULL AND created_at < ? ORDER BY created_at LIMIT 100",
                (env.now - chrono::Duration::minutes(5)).to_rfc3339()
            ),
        }
    }
    fn plan(&self, rows: LostRows, _: &Env) -> StepOutcome {
        StepOutcome {
            count: rows.lost.len(),
            effects: rows.lost.iter().map(|l| message(&l.id)).collect(),
            writes: vec![],
        }
    }
}
