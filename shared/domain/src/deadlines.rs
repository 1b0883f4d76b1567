//! Every kind of deadline the platform keeps (`kernel::clocks`), composed
//! from the areas, and the two lists of open clocks: the staff dashboard's
//! first page (the kinds the caller's role watches) and the member's own
//! (the clocks it must act on, and those it waits on).

use crate::kernel::clocks::{edges, listed, ClockCountRow, Kind, OpenClockRow, LISTED};
use crate::kernel::engine::{Access, AdminRole, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{read, read_set, use_case};

/// Every kind, from the area that owns it.
pub const KINDS: &[&Kind] = &[
    &crate::signup::s8_capability::CAPABILITY_UPDATE,
    &crate::contracts::c3_inspection::INSPECTION,
    &crate::contracts::c7_requests::REQUEST,
    &crate::privacy::p1_requests::PRIVACY_REQUEST,
    &crate::disputes::clocks::ANSWER,
    &crate::disputes::clocks::OPINION,
    &crate::disputes::clocks::MATERIAL,
    &crate::disputes::d4_d5_platform::OBJECTION,
    &crate::billing::d6_objections::BILLING_OBJECTION,
];

/// The kinds an admin of `role` watches.
pub fn watched_by(role: AdminRole) -> Vec<&'static str> {
    KINDS
        .iter()
        .filter(|k| k.watched_by(role))
        .map(|k| k.name)
        .collect()
}

/// A dashboard's open clocks matching `$where`, deadline first, with the
/// companies of the actor and the party.
macro_rules! list {
    ($where:literal) => {
        concat!(
            "SELECT k.id, k.kind, k.subject, k.record, k.actor, a.company_name AS actor_company,
               k.party, p.company_name AS party_company, k.due_day, k.due_at, k.fired_at, k.extensions, k.extended_from
             FROM clocks k LEFT JOIN members a ON a.id = k.actor LEFT JOIN members p ON p.id = k.party
             WHERE k.state = 'open' AND ",
            $where,
            " ORDER BY k.due_at, k.id LIMIT ?"
        )
    };
}

/// How many open clocks match `$where` in each bucket, split at the
/// three `edges` (`?1`–`?3`: now, the end of today, of this week).
macro_rules! count {
    ($where:literal) => {
        concat!(
            "SELECT SUM(k.due_at <= ?1) AS overdue, SUM(k.due_at > ?1 AND k.due_at <= ?2) AS today,
               SUM(k.due_at > ?2 AND k.due_at <= ?3) AS this_week, COUNT(*) AS total
             FROM clocks k WHERE k.state = 'open' AND ",
            $where
        )
    };
}

read_set!(pub struct ClockReads => ClockRows {
    clocks: Vec<OpenClockRow>,
    counts: Option<ClockCountRow>,
});

/// `GET /admin/clocks`: the staff dashboard's first page, every open
/// clock of the kinds the caller's role watches.
pub struct StaffClocks;
use_case!(StaffClocks, "admin.clocks", |_uc| Access::Admin(AdminRole::ALL), () => ClockReads);

impl StaffClocks {
    fn reads(&self, (): &(), env: &Env) -> ClockReads {
        let role = env
            .who
            .as_ref()
            .and_then(|w| w.role)
            .unwrap_or(AdminRole::Auditor);
        // Owners see every kind, also those no role watches.
        let kinds = (role != AdminRole::Owner)
            .then(|| serde_json::to_string(&watched_by(role)).unwrap_or_default());
        let [now, today, week] = edges(env.now);
        ClockReads {
            clocks: read!(
                list!("(?1 IS NULL OR k.kind IN (SELECT value FROM json_each(?1)))"),
                kinds.clone(),
                LISTED
            ),
            counts: read!(
                count!("(?4 IS NULL OR k.kind IN (SELECT value FROM json_each(?4)))"),
                now,
                today,
                week,
                kinds
            ),
        }
    }

    fn decide(&self, (): (), rows: ClockRows, env: &Env) -> Result<Plan, Problem> {
        Ok(Plan::ok(200, listed(rows.clocks, rows.counts, env), vec![]))
    }
}

/// `GET /member/clocks`: the member's open clocks, those it must act on
/// (`yours`) and those it waits on.
pub struct MemberClocks;
use_case!(MemberClocks, "member.clocks", |_uc| Access::Matching, () => ClockReads);

impl MemberClocks {
    fn reads(&self, (): &(), env: &Env) -> ClockReads {
        let [now, today, week] = edges(env.now);
        ClockReads {
            clocks: read!(
                list!("(k.actor = ?1 OR k.party = ?1)"),
                env.caller(),
                LISTED
            ),
            counts: read!(
                count!("(k.actor = ?4 OR k.party = ?4)"),
                now,
                today,
                week,
                env.caller()
            ),
        }
    }

    fn decide(&self, (): (), rows: ClockRows, env: &Env) -> Result<Plan, Problem> {
        Ok(Plan::ok(200, listed(rows.clocks, rows.counts, env), vec![]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_name_and_the_triggers_use_it() {
        let mut names: Vec<_> = KINDS.iter().map(|k| k.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KINDS.len());
        // C3 and C7 are opened and closed by triggers in SQL: they must
        // write the kinds' names as declared here.
        let sql = include_str!("../../../migrations/0020_clocks.sql");
        for k in [
            &crate::contracts::c3_inspection::INSPECTION,
            &crate::contracts::c7_requests::REQUEST,
            &crate::signup::s8_capability::CAPABILITY_UPDATE,
        ] {
            assert!(sql.contains(&format!("'{}'", k.name)), "{}", k.name);
        }
    }

    #[test]
    fn staff_see_the_kinds_their_role_watches_and_owners_all() {
        assert_eq!(watched_by(AdminRole::Owner).len(), KINDS.len());
        assert_eq!(
            watched_by(AdminRole::Mediator),
            vec![
                "contract_inspection",
                "contract_request",
                "dispute_answer",
                "dispute_opinion",
                "dispute_material"
            ]
        );
        assert_eq!(watched_by(AdminRole::Reviewer), vec!["capability_update"]);
        assert_eq!(watched_by(AdminRole::Billing), vec!["billing_objection"]);
    }
}
