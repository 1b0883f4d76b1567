//! The transactional outbox: a notice is written in the same batch as the
//! change it reports, delivered by the queue consumer, and re-sent by the
//! sweep if its queue message was lost. Recipients and bodies are sealed.

use crate::kernel::crypto::{at, new_id, Keys};
use crate::kernel::engine::{Cx, Effect, Env};
use crate::kernel::ports::{Database, Notice, Notifier, PortError, Random, Stmt};
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
    let n = Written {
        id: &id,
        member_id,
        channel,
        template,
        recipient,
        body,
        consent_kind: None,
        once: false,
    };
    (n.row(env.keys, env.rng, env.now), message(&id))
}

/// One outbox row as written: its recipient and body sealed at their place.
struct Written<'a> {
    id: &'a str,
    member_id: &'a str,
    channel: &'a str,
    template: &'a str,
    recipient: &'a str,
    body: &'a str,
    consent_kind: Option<&'a str>,
    once: bool,
}

impl Written<'_> {
    /// The insert: `INSERT` for a fresh id, `INSERT OR IGNORE` for an id
    /// the caller gives (`once`: written once however often its writer runs).
    fn row(&self, keys: &Keys, rng: &dyn Random, now: chrono::DateTime<chrono::Utc>) -> Stmt {
        macro_rules! insert {
            ($verb:literal) => {
                concat!(
                    $verb,
                    " INTO outbox (id, member_id, channel, template, recipient_enc, body_enc, created_at, consent_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                )
            };
        }
        let sql = if self.once {
            insert!("INSERT OR IGNORE")
        } else {
            insert!("INSERT")
        };
        stmt!(
            sql,
            self.id,
            self.member_id,
            self.channel,
            self.template,
            keys.seal_for(rng, &at("outbox.recipient", self.id), self.recipient),
            keys.seal_for(rng, &at("outbox.body", self.id), self.body),
            now.to_rfc3339(),
            self.consent_kind
        )
    }
}

/// Where a member is reached: its e-mail address and mobile number as
/// `members` keeps them, sealed at `members.email` / `members.phone`.
#[derive(Debug, Clone, Copy)]
pub struct Contact<'a> {
    pub member_id: &'a str,
    pub email_enc: Option<&'a str>,
    pub phone_enc: Option<&'a str>,
}

impl Contact<'_> {
    /// The member's address for `channel` (`email`, `sms`), opened where
    /// `members` seals it; `None` when missing or unreadable.
    pub fn address(&self, keys: &Keys, channel: &str) -> Option<String> {
        let (place, sealed) = match channel {
            "email" => ("members.email", self.email_enc),
            "sms" => ("members.phone", self.phone_enc),
            _ => return None,
        };
        sealed.and_then(|v| keys.open_at(&at(place, self.member_id), v).ok())
    }
}

/// A notice to a member by e-mail and, when `by_sms`, by text message too:
/// the outbox rows and the queue messages that deliver them (nothing for a
/// channel whose address is missing or does not open).
pub fn to_member(
    env: &Env,
    to: Contact,
    template: &str,
    text: &str,
    by_sms: bool,
) -> (Vec<Stmt>, Vec<Effect>) {
    let mut rows = Vec::new();
    let mut sends = Vec::new();
    let channels: &[&str] = if by_sms {
        &["email", "sms"]
    } else {
        &["email"]
    };
    for channel in channels {
        if let Some(address) = to.address(env.keys, channel) {
            let (n, e) = outbox(env, to.member_id, channel, template, &address, text);
            rows.push(n);
            sends.push(e);
        }
    }
    (rows, sends)
}

/// A notice written by a background step under an id the caller gives: a
/// step that runs twice writes it once.
#[allow(clippy::too_many_arguments)]
pub fn once(
    keys: &Keys,
    rng: &dyn Random,
    id: &str,
    member_id: &str,
    channel: &str,
    template: &str,
    recipient: &str,
    body: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> (Stmt, Effect) {
    let n = Written {
        id,
        member_id,
        channel,
        template,
        recipient,
        body,
        consent_kind: None,
        once: true,
    };
    (n.row(keys, rng, now), message(id))
}

/// What a background step sends to many members: one text by one channel
/// and template, and the consent it needs, if any: a notice that needs a
/// consent goes only while the member's latest consent of that kind is an
/// acceptance (rule A7: marketing by opt-in) and its membership is in
/// service: checked again when it is sent, so a consent withdrawn, or a
/// membership terminated (S10) or closed, after it was queued stops it (P8).
pub struct ToEach<'a> {
    pub channel: &'a str,
    pub template: &'a str,
    pub body: &'a str,
    pub consent_kind: Option<&'a str>,
}

impl ToEach<'_> {
    /// Each member's notice, written once under `id_of(member id)` (a step
    /// that runs twice writes each once; a member without an address for
    /// the channel gets none), in one batch; then queued (a lost send is
    /// sent again by the sweep, `ResendLost`, which reads the outbox).
    ///
    /// # Errors
    /// When the batch fails: the step runs again.
    pub async fn send(
        &self,
        cx: &Cx<'_>,
        members: &[Contact<'_>],
        id_of: impl Fn(&str) -> String,
    ) -> Result<(), PortError> {
        let now = cx.clock.now();
        let mut writes = Vec::new();
        let mut sends = Vec::new();
        for m in members {
            let Some(address) = m.address(cx.keys, self.channel) else {
                continue;
            };
            let id = id_of(m.member_id);
            let n = Written {
                id: &id,
                member_id: m.member_id,
                channel: self.channel,
                template: self.template,
                recipient: &address,
                body: self.body,
                consent_kind: self.consent_kind,
                once: true,
            };
            writes.push(n.row(cx.keys, cx.rng, now));
            sends.push(json!({ "type": "outbox", "id": id }));
        }
        if writes.is_empty() {
            return Ok(());
        }
        cx.db
            .batch(&writes)
            .await
            .map_err(|e| PortError(e.to_string()))?;
        if let Err(e) = cx.queue.send_batch(&sends).await {
            crate::kernel::engine::log_error(&format!(
                "{}: notices not queued: {e}",
                self.template
            ));
        }
        Ok(())
    }
}

fn message(id: &str) -> Effect {
    Effect::Enqueue(json!({ "type": "outbox", "id": id }))
}

/// Attempts before a notice gives up (owners see it, `GET /admin/background`).
pub const MAX_ATTEMPTS: i64 = 5;
/// How long a claim holds a row for its deliverer.
const CLAIM_SECS: i64 = 120;
/// Delivered notices (their sealed bodies, codes included) are kept this
/// long, rows given up on `GAVE_UP_KEEP_DAYS`.
pub const DELIVERED_KEEP_DAYS: i64 = 7;
pub const GAVE_UP_KEEP_DAYS: i64 = 30;

crate::row!(
    struct Claimed {
        channel: String,
        template: String,
        recipient_enc: String,
        body_enc: String,
        attempts: i64,
        /// the notice needs a consent its member no longer gives
        withheld: bool,
    }
);

/// Delivers one outbox notice, at most once in effect: the row is claimed
/// first (a re-send racing a queue retry finds it claimed and leaves it),
/// marked delivered only after the notifier took it, and given up after
/// `MAX_ATTEMPTS` failed sends.
///
/// # Errors
/// When the database or the notifier fails; the queue then retries.
pub async fn deliver(
    db: &dyn Database,
    notifier: &dyn Notifier,
    keys: &Keys,
    rng: &dyn Random,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), PortError> {
    let claim = new_id(rng, "clm");
    let db_err = |e: crate::kernel::ports::DbError| PortError(e.to_string());
    let mut rows = db
        .batch(&[
            stmt!(
                "UPDATE outbox SET claim = ?, claimed_until = ?, attempts = attempts + 1
                 WHERE id = ? AND delivered_at IS NULL AND gave_up_at IS NULL
                   AND (claimed_until IS NULL OR claimed_until < ?)",
                claim.as_str(),
                (now + chrono::Duration::seconds(CLAIM_SECS)).to_rfc3339(),
                id,
                now.to_rfc3339()
            ),
            stmt!(
                "SELECT channel, template, recipient_enc, body_enc, attempts,
                   consent_kind IS NOT NULL AND (COALESCE((
                     SELECT c.accepted FROM consents c
                     WHERE c.member_id = outbox.member_id AND c.document_kind = outbox.consent_kind
                     ORDER BY c.at DESC, c.rowid DESC LIMIT 1), 0) = 0
                   OR COALESCE((SELECT m.status FROM members m WHERE m.id = outbox.member_id), '') NOT IN ('active', 'approved')) AS withheld
                 FROM outbox WHERE id = ? AND claim = ?",
                id,
                claim.as_str()
            ),
        ])
        .await
        .map_err(db_err)?;
    let claimed = Option::<Claimed>::from_result(rows.pop().unwrap_or_default())
        .map_err(|e| PortError(e.to_string()))?;
    // Delivered, given up, or being sent by another deliverer right now.
    let Some(n) = claimed else {
        return Ok(());
    };
    // Its consent was withdrawn since it was written (P8): never sent, and
    // nothing of it kept.
    if n.withheld {
        db.batch(&[stmt!(
            "DELETE FROM outbox WHERE id = ? AND claim = ?",
            id,
            claim.as_str()
        )])
        .await
        .map_err(db_err)?;
        crate::kernel::engine::log_error(&format!(
            "notice {id} ({}) withheld: its consent was withdrawn",
            n.template
        ));
        return Ok(());
    }
    let open = |place: &str, v: &str| {
        keys.open_at(&at(place, id), v)
            .map_err(|_| PortError("outbox row unreadable".into()))
    };
    let sent = match (
        open("outbox.recipient", &n.recipient_enc),
        open("outbox.body", &n.body_enc),
    ) {
        (Ok(recipient), Ok(text)) => {
            notifier
                .deliver(&Notice {
                    channel: &n.channel,
                    template: &n.template,
                    recipient: &recipient,
                    text: &text,
                })
                .await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match sent {
        Ok(()) => {
            db.batch(&[stmt!(
                "UPDATE outbox SET delivered_at = ?, claim = NULL, claimed_until = NULL, last_error = NULL WHERE id = ? AND claim = ?",
                now.to_rfc3339(),
                id,
                claim.as_str()
            )])
            .await
            .map_err(db_err)?;
            Ok(())
        }
        Err(e) => {
            // The cause names the channel and the provider's status, never
            // the recipient or the text.
            let gave_up = n.attempts >= MAX_ATTEMPTS;
            db.batch(&[stmt!(
                "UPDATE outbox SET claim = NULL, claimed_until = NULL, last_error = ?, gave_up_at = ? WHERE id = ? AND claim = ?",
                e.0.as_str(),
                gave_up.then(|| now.to_rfc3339()),
                id,
                claim.as_str()
            )])
            .await
            .map_err(db_err)?;
            // Given up: acknowledged, so the queue stops retrying it.
            if gave_up {
                Ok(())
            } else {
                Err(e)
            }
        }
    }
}

crate::row!(
    pub struct Lost {
        pub id: String,
    }
);

read_set!(pub struct LostReads => LostRows { lost: Vec<Lost> });

/// Notices re-sent a run at most.
const RESENT_PER_RUN: i64 = 100;

/// The sweep step that re-sends notices still undelivered after 5 minutes
/// (their queue message was lost, or their last attempt failed): nothing
/// committed is lost. Rows given up on, or claimed by a deliverer now, are
/// not read, so they never hold up the ones behind them.
pub struct ResendLost;

impl Step for ResendLost {
    type Reads = LostReads;
    const NAME: &'static str = "requeued_notices";
    /// One statement marks what it re-sent (not re-sent again for 5 min).
    const BUDGET: usize = 1;
    fn reads(&self, env: &Env) -> LostReads {
        let before = (env.now - chrono::Duration::minutes(5)).to_rfc3339();
        LostReads {
            lost: read!(
                "SELECT id FROM outbox WHERE delivered_at IS NULL AND gave_up_at IS NULL AND created_at < ?
                   AND (claimed_until IS NULL OR claimed_until < ?) AND (resent_at IS NULL OR resent_at < ?)
                 ORDER BY created_at LIMIT ?",
                before.as_str(),
                env.now.to_rfc3339(),
                before.as_str(),
                RESENT_PER_RUN
            ),
        }
    }
    fn plan(&self, rows: LostRows, env: &Env) -> StepOutcome {
        if rows.lost.is_empty() {
            return StepOutcome::default();
        }
        let ids: Vec<&str> = rows.lost.iter().map(|l| l.id.as_str()).collect();
        StepOutcome {
            count: rows.lost.len(),
            more: rows.lost.len() == RESENT_PER_RUN as usize,
            effects: rows.lost.iter().map(|l| message(&l.id)).collect(),
            writes: vec![stmt!(
                "UPDATE outbox SET resent_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                env.now.to_rfc3339(),
                serde_json::to_string(&ids).unwrap_or_default()
            )],
        }
    }
}

/// The sweep's purge of delivered notices and of those given up on.
pub fn purge(now: chrono::DateTime<chrono::Utc>, rows: i64) -> Stmt {
    stmt!(
        "DELETE FROM outbox WHERE rowid IN (
           SELECT rowid FROM outbox WHERE delivered_at < ?
           UNION ALL SELECT rowid FROM outbox WHERE gave_up_at < ? LIMIT ?)",
        (now - chrono::Duration::days(DELIVERED_KEEP_DAYS)).to_rfc3339(),
        (now - chrono::Duration::days(GAVE_UP_KEEP_DAYS)).to_rfc3339(),
        rows
    )
}
