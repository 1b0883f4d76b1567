//! Rule V8's hold: ADMS lines from an unexpected address (or accepted on
//! an out-of-date memory, `v4_store`) wait sealed in `adms_quarantine`
//! until the member accepts them (optionally trusting the new address) or
//! discards them.

use super::v3_records::{messages, Record};
use super::v6_suspension::REMEMBERED;
use crate::kernel::crypto::{at, new_id, Keys};
use crate::kernel::engine::{guard_one_change, Access, Effect, Env, Plan};
use crate::kernel::ports::Random;
use crate::kernel::problem::Problem;
use crate::signup::member::{active, read_member, readable, MemberRow};
use crate::{read, read_set, row, stmt, use_case};

/// Lines from an unexpected address, held sealed for the member.
/// Lines held for the member, sealed: from an unexpected address (`source`:
/// its blind index and the address) or, without one, accepted before a
/// change the accepting instance did not know of (`v4_store`).
#[allow(clippy::too_many_arguments)]
pub fn hold(
    keys: &Keys,
    rng: &dyn Random,
    terminal_id: &str,
    member_id: &str,
    site_id: &str,
    source: Option<(&str, &str)>,
    records: &[Record],
    now: &str,
) -> crate::kernel::ports::Stmt {
    let id = new_id(rng, "adq");
    let json = serde_json::to_string(records).unwrap_or_else(|_| "[]".into());
    let (bidx, source_enc, reason) = match source {
        Some((bidx, address)) => (
            bidx,
            keys.seal_for(rng, &at("adms_quarantine.source", &id), address),
            HeldReason::Source,
        ),
        None => ("", String::new(), HeldReason::Changed),
    };
    stmt!(
        "INSERT INTO adms_quarantine (id, terminal_id, member_id, site_id, source_bidx, source_enc, records_enc, records, received_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id.as_str(),
        terminal_id,
        member_id,
        site_id,
        bidx,
        source_enc,
        keys.seal_for(rng, &at("adms_quarantine.records", &id), &json),
        i64::try_from(records.len()).unwrap_or(0),
        now,
        reason
    )
}

/// An address as the member sees it: enough to recognise a network, not
/// the whole address (`203.0.113.x`, `2001:db8:1:…`).
pub fn masked(address: &str) -> String {
    if let Some((net, _)) = address.rsplit_once('.') {
        format!("{net}.x")
    } else {
        let groups: Vec<&str> = address.split(':').take(3).collect();
        format!("{}:…", groups.join(":"))
    }
}

row!(
    pub struct HeldRow {
        pub id: String,
        pub terminal_id: String,
        pub source_enc: String,
        pub records: i64,
        pub received_at: String,
        pub reason: HeldReason,
    }
);

crate::reply!(
    /// ADMS lines held because they came from an unexpected address.
    pub struct Held {
        pub batches: Vec<HeldBatch>,
    }
    pub struct HeldBatch {
        pub batch_id: String,
        pub terminal_id: String,
        /// why the lines wait: another address than the pinned one, or a
        /// change (suspension, rotation, …) the accepting instance did not
        /// know of yet
        pub reason: HeldReason,
        /// the sending network, masked (`203.0.113.x`); none for `changed`
        pub source: Option<String>,
        pub records: i64,
        pub received_at: String,
    }
    /// A held batch after the member's decision.
    pub struct HeldDecided {
        pub batch_id: String,
        pub decision: HeldDecision,
        /// records queued for attendance (0 when discarded)
        pub queued: i64,
        /// whether the batch's address is now the terminal's trusted one
        pub source_trusted: bool,
    }
);

crate::text_enum!(
    /// Why a batch is held for the member.
    pub enum HeldReason {
        /// ADMS lines from an address other than the terminal's pinned one.
        Source = "source",
        /// Accepted by an instance that did not yet know of a change after
        /// which the terminal could not post them (`v4_store`).
        Changed = "changed",
    }
);

crate::text_enum!(
    /// What the member does with a held batch.
    pub enum HeldDecision {
        Accept = "accept",
        Discard = "discard",
    }
);

read_set!(pub struct HeldReads => HeldRows {
    member: Option<MemberRow>,
    held: Vec<HeldRow>,
});

/// `GET /member/terminals/quarantine`: the member's held ADMS batches,
/// oldest first.
pub struct ListHeld;
use_case!(ListHeld, "member.adms_held", |_uc| Access::Member, () => HeldReads);

impl ListHeld {
    fn reads(&self, _: &(), env: &Env) -> HeldReads {
        HeldReads {
            member: read_member(env.caller()),
            held: read!(
                "SELECT id, terminal_id, source_enc, records, received_at, reason FROM adms_quarantine WHERE member_id = ? AND decided_at IS NULL ORDER BY received_at LIMIT 200",
                env.caller()
            ),
        }
    }

    fn decide(&self, _: (), rows: HeldRows, env: &Env) -> Result<Plan, Problem> {
        readable(rows.member, env.now)?;
        let batches = rows
            .held
            .iter()
            .map(|h| HeldBatch {
                batch_id: h.id.clone(),
                terminal_id: h.terminal_id.clone(),
                reason: h.reason,
                source: (h.reason == HeldReason::Source).then(|| {
                    env.keys
                        .open_at(&at("adms_quarantine.source", &h.id), &h.source_enc)
                        .map(|a| masked(&a))
                        .unwrap_or_default()
                }),
                records: h.records,
                received_at: h.received_at.clone(),
            })
            .collect();
        Ok(Plan::ok(200, Held { batches }, vec![]))
    }
}

#[derive(Debug, Clone)]
pub struct HeldInput {
    pub batch_id: String,
    pub decision: HeldDecision,
    pub trust_source: bool,
}

row!(
    pub struct HeldFull {
        pub id: String,
        pub terminal_id: String,
        pub member_id: String,
        pub site_id: String,
        pub source_bidx: String,
        pub source_enc: String,
        pub records_enc: String,
        pub reason: HeldReason,
    }
);

read_set!(pub struct DecideHeldReads => DecideHeldRows {
    member: Option<MemberRow>,
    held: Option<HeldFull>,
});

/// `POST /member/terminals/quarantine/{id}`: accept (the lines are queued
/// for attendance; with `trust_source`, the address becomes the terminal's
/// trusted one) or discard (the lines are erased).
pub struct DecideHeld;
use_case!(DecideHeld, "member.adms_decide", |_uc| Access::Member, HeldInput => DecideHeldReads);

impl DecideHeld {
    fn reads(&self, input: &HeldInput, env: &Env) -> DecideHeldReads {
        DecideHeldReads {
            member: read_member(env.caller()),
            held: read!(
                "SELECT id, terminal_id, member_id, site_id, source_bidx, source_enc, records_enc, reason FROM adms_quarantine WHERE id = ? AND member_id = ? AND decided_at IS NULL",
                input.batch_id.as_str(),
                env.caller()
            ),
        }
    }

    fn decide(&self, input: HeldInput, rows: DecideHeldRows, env: &Env) -> Result<Plan, Problem> {
        active(rows.member)?;
        let h = rows.held.ok_or_else(Problem::not_found)?;
        let mut writes = vec![
            stmt!(
                "UPDATE adms_quarantine SET decision = ?, decided_at = ?, records_enc = '' WHERE id = ? AND decided_at IS NULL",
                input.decision,
                env.now.to_rfc3339(),
                h.id.as_str()
            ),
            // Two decisions racing: one wins, the other changes nothing and fails.
            guard_one_change(),
        ];
        let mut queued = 0;
        let mut effects = vec![];
        // Only an address can be trusted: a batch held for a change has none.
        let trust = input.decision == HeldDecision::Accept
            && input.trust_source
            && h.reason == HeldReason::Source;
        if input.decision == HeldDecision::Accept {
            let json = env
                .keys
                .open_at(&at("adms_quarantine.records", &h.id), &h.records_enc)
                .map_err(|_| Problem::internal())?;
            let records: Vec<Record> =
                serde_json::from_str(&json).map_err(|_| Problem::internal())?;
            queued = i64::try_from(records.len()).unwrap_or(0);
            // Released by the member: stored as is (no acceptance to re-check).
            effects = messages(&h.terminal_id, &h.member_id, &h.site_id, &records, None);
        }
        if trust {
            let address = env
                .keys
                .open_at(&at("adms_quarantine.source", &h.id), &h.source_enc)
                .map_err(|_| Problem::internal())?;
            writes.push(stmt!(
                "UPDATE terminals SET adms_source_bidx = ?, adms_source_enc = ?, auth_version = auth_version + 1, auth_changed_at = ? WHERE id = ?",
                h.source_bidx.as_str(),
                env.keys.seal_for(
                    env.rng,
                    &at("terminals.adms_source", &h.terminal_id),
                    &address
                ),
                env.now.to_rfc3339(),
                h.terminal_id.as_str()
            ));
        }
        Ok(Plan::ok(
            200,
            HeldDecided {
                batch_id: h.id.clone(),
                decision: input.decision,
                queued,
                source_trusted: trust,
            },
            writes,
        )
        // Queued before the decision is written: "accepted" means queued; a
        // repeat stores nothing twice (event ids).
        .effect(Effect::Publish(effects))
        .effects(trust.then_some(Effect::Forget(REMEMBERED))))
    }
}
