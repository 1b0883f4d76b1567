//! A dispute's deadlines (D1, D2, D4 has its own): the kinds of clock, and
//! what meets them — the respondent's first answer meets stage 1's, a
//! party's next message or file meets the mediator's requests to it. Every
//! action that may answer calls these, so no path forgets one.

use super::dispute::{DisputeRow, DisputeRows};
use crate::kernel::clocks::{self, Kind};
use crate::kernel::engine::{AdminRole, Env};
use crate::kernel::ports::Stmt;
use crate::stmt;

/// KST calendar days the respondent has to answer (D1).
pub const ANSWER_DAYS: u64 = 7;

/// The respondent's answer, a clock: the respondent acts, the party who
/// raised it waits, mediators watch; the sweep flags it and it stays open
/// until answered (or the dispute moves on).
pub const ANSWER: Kind = Kind {
    name: "dispute_answer",
    watchers: &[AdminRole::Mediator],
};

/// The statement that meets the answer's clock and records the answer,
/// when the caller is the respondent and has not answered yet.
pub(crate) fn answered(d: &mut DisputeRow, env: &Env) -> Vec<Stmt> {
    if d.respondent_id != env.caller() || d.answered_at.is_some() {
        return vec![];
    }
    let now = env.now.to_rfc3339();
    d.answered_at = Some(now.clone());
    vec![
        stmt!(
            "UPDATE disputes SET answered_at = ? WHERE id = ? AND answered_at IS NULL",
            now.as_str(),
            d.id.as_str()
        ),
        clocks::meet(env, &ANSWER, &d.id),
    ]
}

/// KST calendar days the mediator has for the opinion (D2, seed 000 §9).
pub const OPINION_DAYS: u64 = 15;

/// The mediator's opinion, a clock: the mediator acts, the party who
/// escalated waits; owners see it (every kind); flagged when overdue.
pub const OPINION: Kind = Kind {
    name: "dispute_opinion",
    watchers: &[AdminRole::Mediator],
};

/// Material a mediator asked a party for, a clock: the party acts.
pub const MATERIAL: Kind = Kind {
    name: "dispute_material",
    watchers: &[AdminRole::Mediator],
};

/// The statements that answer the caller's open material requests on
/// dispute `d` (its message or file after them), in the rows too.
pub(crate) fn answers_material(rows: &mut DisputeRows, env: &Env) -> Vec<Stmt> {
    let now = env.now.to_rfc3339();
    let mut writes = Vec::new();
    for m in &mut rows.material {
        if m.to_id == env.caller() && m.answered_at.is_none() {
            m.answered_at = Some(now.clone());
            writes.push(stmt!(
                "UPDATE dispute_material_requests SET answered_at = ? WHERE id = ? AND answered_at IS NULL",
                now.as_str(),
                m.id.as_str()
            ));
            writes.push(clocks::meet(env, &MATERIAL, &m.id));
        }
    }
    writes
}
