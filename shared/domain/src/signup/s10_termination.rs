//! Rule S10: the platform terminates a member company without prior notice
//! for a cause of seed 000 §7 (or seed 003 §19⑤, §20), the cause recorded
//! as a code and staff's reason sealed. At once: every session ends, the
//! member leaves the rankings, its open postings close and its pending
//! proposals are declined (what it did on the platform stops being shown to
//! others), its terminals are refused, and it is told by e-mail.
//!
//! Rule R4 (seed 003 §19⑦): a terminated member keeps read-only access to
//! its data for a year: it signs in to a session that reads but never
//! writes (`kernel::engine::READ_ONLY_ROLE`; the engine refuses every other method before
//! any read), until the end of the KST day a year after the termination.
//! Its data's retention periods that run from closure run from then.

use crate::kernel::audit::audit;
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Effect, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::{fill, msg};
use crate::kernel::outbox::to_member;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::kernel::types::kst_date;
use crate::personal_data::place::TERMINATION_REASON;
use crate::signup::member::{read_member, MemberRow, MemberStatus};
use crate::{read_set, stmt, use_case};
use serde_json::json;

// The cause, and when read-only access ends, are part of the member row
// every area reads (`member.rs`).
pub use crate::signup::member::{may_read, read_only_until, TerminationCause};

#[derive(Debug, Clone)]
pub struct TerminateInput {
    pub member_id: String,
    pub cause: TerminationCause,
    /// staff's account of what happened (sealed; shown to the member)
    pub reason: String,
}

crate::reply!(
    /// A membership ended by the platform (S10), readable until (R4).
    pub struct Terminated {
        pub member_id: String,
        pub status: MemberStatus,
        pub cause: TerminationCause,
        /// the member reads its data, and writes nothing, until then (R4)
        pub read_only_until: String,
    }
);

read_set!(pub struct TerminateReads => TerminateRows { member: Option<MemberRow> });

/// Who ends memberships: those who decide on them (S6) and owners.
pub const TERMINATORS: &[AdminRole] = &[AdminRole::Reviewer, AdminRole::Owner];

/// `POST /admin/members/{id}/terminate`.
pub struct Terminate;
use_case!(Terminate, "admin.terminate_member", |_uc| Access::Admin(TERMINATORS), TerminateInput => TerminateReads);

impl Terminate {
    fn reads(&self, input: &TerminateInput, _: &Env) -> TerminateReads {
        TerminateReads {
            member: read_member(&input.member_id),
        }
    }

    fn decide(
        &self,
        input: TerminateInput,
        rows: TerminateRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let m = rows.member.ok_or_else(Problem::not_found)?;
        // An application is rejected (S6), a closed account stays closed.
        if !matches!(m.status, MemberStatus::Active | MemberStatus::Approved) {
            return Err(Problem::conflict("detail.termination_not_member")
                .with("member_status", json!(m.status)));
        }
        let id = m.id.as_str();
        let now = env.now.to_rfc3339();
        let until = read_only_until(env.now).to_rfc3339();
        let mut writes = vec![
            stmt!(
                "UPDATE members SET status = 'terminated', closed_at = ?, read_only_until = ?,
                   termination_cause = ?, termination_reason = ?, version = version + 1
                 WHERE id = ? AND version = ? AND status IN ('active', 'approved')",
                now.as_str(),
                until.as_str(),
                input.cause,
                SealedText::seal(env, TERMINATION_REASON, id, &input.reason),
                id,
                m.version
            ),
            guard_one_change(),
            crate::kernel::tokens::end_member_sessions(id, env.now),
            // Out of every ranking; its postings and proposals withdrawn.
            crate::matching::m1_profile::unranked(id),
            stmt!(
                "UPDATE work_requests SET state = 'closed', version = version + 1
                 WHERE client_id = ? AND state IN ('held', 'open')",
                id
            ),
            stmt!(
                "UPDATE proposals SET state = 'declined', decided_at = ?1, version = version + 1
                 WHERE (client_id = ?2 OR partner_id = ?2) AND state = 'sent'",
                now.as_str(),
                id
            ),
            // Its terminals learn at once (the instances' memory too).
            stmt!(
                "UPDATE terminals SET auth_version = auth_version + 1, auth_changed_at = ? WHERE member_id = ?",
                now.as_str(),
                id
            ),
            // The reason stays sealed in the member's row, never in the chain.
            audit(
                env,
                env.caller(),
                "member.terminated",
                id,
                &format!("{}; members.termination_reason", input.cause.as_str()),
            ),
        ];
        let cause_key = format!("termination.{}", input.cause.as_str());
        let cause = msg(&cause_key, Lang::Ko);
        let day = kst_date(read_only_until(env.now)).to_string();
        let text = fill(
            "notice.member_terminated",
            Lang::Ko,
            &[("cause", cause), ("reason", &input.reason), ("until", &day)],
        );
        let (notices, sends) = to_member(env, m.contact(), "member_terminated", &text, false);
        writes.extend(notices);
        Ok(Plan::ok(
            200,
            Terminated {
                member_id: id.to_owned(),
                status: MemberStatus::Terminated,
                cause: input.cause,
                read_only_until: until,
            },
            writes,
        )
        .effects(sends)
        .effect(Effect::Forget(crate::devices::v6_suspension::REMEMBERED))
        .conflict_means(Problem::conflict("detail.termination_not_member"))
        .touches(id, "member.terminate_and_notify"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn r4_read_only_access_ends_with_the_kst_day_a_year_on() {
        // (terminated at, last instant of read-only access)
        let cases = [
            // 10:00 KST on 7 December → through 7 December next year, KST.
            ("2026-12-07T01:00:00Z", "2027-12-07T14:59:59+00:00"),
            // 14:30 UTC is 23:30 KST the same day.
            ("2026-12-07T14:30:00Z", "2027-12-07T14:59:59+00:00"),
            // 15:00 UTC is 00:00 KST on the 8th: a day later.
            ("2026-12-07T15:00:00Z", "2027-12-08T14:59:59+00:00"),
            // 29 February's year ends on 28 February.
            ("2028-02-29T03:00:00Z", "2029-02-28T14:59:59+00:00"),
        ];
        for (terminated, last) in cases {
            let until = read_only_until(at(terminated));
            assert_eq!(until.to_rfc3339(), last, "terminated at {terminated}");
            let u = until.to_rfc3339();
            assert!(
                may_read(Some(&u), until),
                "{terminated}: the last second reads"
            );
            assert!(
                !may_read(Some(&u), until + chrono::Duration::seconds(1)),
                "{terminated}: the next second does not"
            );
        }
        assert!(!may_read(None, at("2026-12-07T01:00:00Z")));
    }
}
