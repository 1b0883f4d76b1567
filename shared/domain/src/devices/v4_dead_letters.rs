//! Rule V4's last resort: messages the queue gave up on, kept for owners
//! (`GET /admin/dead-letters`) and sent back to their queue after a fix
//! (`POST /admin/dead-letters/replay`); stored records stay exactly once.

use crate::kernel::audit::audit;
use crate::kernel::engine::{Access, AdminRole, Effect, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{read, read_set, row, stmt, use_case};
use serde_json::Value as Json;

row!(
    /// A message the queue gave up on.
    pub struct DeadLetter {
        pub id: String,
        pub queue: String,
        pub body: String,
        pub received_at: String,
        pub replayed_at: Option<String>,
    }
);

crate::reply!(
    /// The latest 100 dead letters, newest first.
    pub struct DeadLetterList {
        pub items: Vec<DeadLetterListing>,
    }
    pub struct DeadLetterListing {
        pub id: String,
        pub queue: String,
        /// the message's type
        #[serde(rename = "type")]
        pub kind: Option<String>,
        pub terminal_id: Option<String>,
        /// attendance records it carries
        pub records: Option<usize>,
        pub received_at: String,
        pub replayed_at: Option<String>,
    }
    pub struct Replayed {
        pub id: String,
        pub replayed: bool,
    }
);

read_set!(pub struct DeadLettersReads => DeadLettersRows { letters: Vec<DeadLetter> });

/// `GET /admin/dead-letters`: messages the queue gave up on (owners: they
/// hold attendance records and are replayed by an owner).
pub struct DeadLetters;
use_case!(DeadLetters, "admin.dead_letters", |_uc| Access::Admin(&[AdminRole::Owner]), () => DeadLettersReads);

impl DeadLetters {
    fn reads(&self, _: &(), _: &Env) -> DeadLettersReads {
        DeadLettersReads {
            letters: read!("SELECT id, queue, body, received_at, replayed_at FROM dead_letters ORDER BY received_at DESC LIMIT 100"),
        }
    }

    fn decide(&self, _: (), rows: DeadLettersRows, _: &Env) -> Result<Plan, Problem> {
        let items = rows
            .letters
            .iter()
            .map(|r| {
                let body = serde_json::from_str::<Json>(&r.body).unwrap_or(Json::Null);
                let text = |k: &str| body.get(k).and_then(Json::as_str).map(str::to_owned);
                DeadLetterListing {
                    id: r.id.clone(),
                    queue: r.queue.clone(),
                    kind: text("type"),
                    terminal_id: text("terminal_id"),
                    records: body.get("records").and_then(Json::as_array).map(Vec::len),
                    received_at: r.received_at.clone(),
                    replayed_at: r.replayed_at.clone(),
                }
            })
            .collect();
        Ok(Plan::ok(200, DeadLetterList { items }, vec![]))
    }
}

row!(
    pub struct DeadBody {
        pub body: String,
    }
);

read_set!(pub struct ReplayReads => ReplayRows { letter: Option<DeadBody> });

/// `POST /admin/dead-letters/replay`: sends a dead letter back to its queue
/// after a fix (owner only; audited). Stored records stay exactly once.
pub struct ReplayDeadLetter;
use_case!(ReplayDeadLetter, "admin.replay_dead_letter", |_uc| Access::Admin(&[AdminRole::Owner]), String => ReplayReads);

impl ReplayDeadLetter {
    fn reads(&self, id: &String, _: &Env) -> ReplayReads {
        ReplayReads {
            letter: read!("SELECT body FROM dead_letters WHERE id = ?", id.as_str()),
        }
    }

    fn decide(&self, id: String, rows: ReplayRows, env: &Env) -> Result<Plan, Problem> {
        let body = rows
            .letter
            .and_then(|l| serde_json::from_str::<Json>(&l.body).ok())
            .ok_or_else(Problem::not_found)?;
        Ok(Plan::ok(
            200,
            Replayed {
                id: id.clone(),
                replayed: true,
            },
            vec![
                stmt!(
                    "UPDATE dead_letters SET replayed_at = ? WHERE id = ?",
                    env.now.to_rfc3339(),
                    id.as_str()
                ),
                audit(env, env.caller(), "dead_letter.replay", &id, ""),
            ],
        )
        .effect(Effect::Publish(vec![body])))
    }
}
