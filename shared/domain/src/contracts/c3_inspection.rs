//! Rules C3, C4 and C5: the partner reports completion of a formed
//! contract; the client inspects until the end of the 7th KST calendar day
//! after the day of the report (reported on 3 Dec, any time, KST: the client
//! answers until 10 Dec 23:59:59 KST), and either accepts or reports
//! defects. Defects send the contract back to `in_progress` for a free
//! repair (C4), and the next report of completion starts a new inspection.
//! No answer by the deadline: the sweep records the contract as accepted,
//! `deemed` (C3) — a scheduled job, never a request. On acceptance the
//! rights pass to the client unless the formed version reserved them, and
//! the passing is recorded (C5).

use super::c2_versions::{contract_reads, ContractReads, ContractRows};
use super::contract::{
    as_party, bump, close_requests, ContractState, IpClause, PartyRequestKind, PartyRequestState,
};
use crate::kernel::clocks::{self, Fired, Kind};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::reads::Read;
use crate::kernel::sealed::SealedText;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::kernel::types::after_kst_days;
use crate::matching::m1_profile::PARTNER;
use crate::matching::m1_requests::CLIENT;
use crate::personal_data::place::DEFECT_DESCRIPTION;
use crate::{read, read_set, row, stmt, use_case};
use chrono::{DateTime, Utc};

/// KST calendar days the client has to inspect (C3).
pub const INSPECTION_DAYS: u64 = 7;

/// The client's inspection, a clock (`kernel::clocks`) opened and closed
/// by triggers on the contract's state (migration 0020): mediators watch
/// it; the sweep fires it by deeming the contract accepted.
pub const INSPECTION: Kind = Kind {
    name: "contract_inspection",
    watchers: &[AdminRole::Mediator],
};

/// The first instant after the inspection of a completion reported at
/// `at`: KST midnight starting the 8th calendar day after the day of `at`.
pub fn inspection_ends(at: DateTime<Utc>) -> DateTime<Utc> {
    after_kst_days(at, INSPECTION_DAYS)
}

/// What an accepted contract no longer asks: amendments and cancellation.
const MOOT_ON_ACCEPTANCE: &[PartyRequestKind] =
    &[PartyRequestKind::Amendment, PartyRequestKind::Cancellation];

/// The statements that accept contract `id` at `now` (C3, C5): by the
/// client, or `deemed` by the sweep; the rights pass unless reserved.
/// Open amendments and cancellation requests become moot.
fn acceptance(id: &str, ip: IpClause, deemed: bool, now: &str) -> [Stmt; 2] {
    let transferred = (ip == IpClause::Transfer).then_some(now);
    [
        stmt!(
            "UPDATE contracts SET state = 'accepted', accepted_at = ?, deemed = ?, ip_transferred_at = ? WHERE id = ? AND state = 'completed'",
            now,
            deemed,
            transferred,
            id
        ),
        close_requests(id, MOOT_ON_ACCEPTANCE, PartyRequestState::Void, now),
    ]
}

/// The IP clause of the version both parties confirmed.
fn formed_ip(rows: &ContractRows, formed: Option<i64>) -> IpClause {
    rows.versions
        .iter()
        .find(|v| Some(v.number) == formed)
        .map_or(IpClause::Transfer, |v| v.ip_clause)
}

/// `POST /member/contracts/{id}/complete`: the partner reports completion.
pub struct ReportCompletion;
use_case!(ReportCompletion, "member.report_completion", |_uc| Access::MatchingOf(PARTNER), String => ContractReads);

impl ReportCompletion {
    fn reads(&self, id: &String, env: &Env) -> ContractReads {
        contract_reads(id, env)
    }

    fn decide(&self, _: String, mut rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let mut c = as_party(rows.contract.clone(), env)?;
        if c.partner_id != env.caller() {
            return Err(Problem::not_found());
        }
        if c.state != ContractState::InProgress {
            return Err(Problem::conflict("detail.contract_state")
                .with("state", serde_json::json!(c.state)));
        }
        let now = env.now.to_rfc3339();
        let until = inspection_ends(env.now).to_rfc3339();
        let mut writes = vec![
            bump(&c),
            guard_one_change(),
            stmt!(
                "UPDATE contracts SET state = 'completed', completed_at = ?, inspection_until = ? WHERE id = ?",
                now.as_str(),
                until.as_str(),
                c.id.as_str()
            ),
        ];
        writes.extend(rows.add_history(
            env,
            &c.id,
            "contract.completed",
            &format!("inspection until {until}"),
        ));
        c.state = ContractState::Completed;
        c.completed_at = Some(now);
        c.inspection_until = Some(until);
        c.version += 1;
        Ok(rows
            .answer(200, &c, writes, env)?
            .conflict_means(Problem::conflict("detail.contract_changed")))
    }
}

/// The completed contract the client may still answer, or why not.
fn inspecting(rows: &ContractRows, env: &Env) -> Result<super::contract::ContractRow, Problem> {
    let c = as_party(rows.contract.clone(), env)?;
    if c.client_id != env.caller() {
        return Err(Problem::not_found());
    }
    let open = c.state == ContractState::Completed
        && c.inspection_until
            .as_deref()
            .and_then(|u| DateTime::parse_from_rfc3339(u).ok())
            .is_some_and(|u| env.now < u);
    if !open {
        return Err(
            Problem::conflict("detail.inspection_closed").with("state", serde_json::json!(c.state))
        );
    }
    Ok(c)
}

/// `POST /member/contracts/{id}/accept`: the client accepts the work (C3);
/// the rights pass unless reserved (C5).
pub struct AcceptCompletion;
use_case!(AcceptCompletion, "member.accept_completion", |_uc| Access::MatchingOf(CLIENT), String => ContractReads);

impl AcceptCompletion {
    fn reads(&self, id: &String, env: &Env) -> ContractReads {
        contract_reads(id, env)
    }

    fn decide(&self, _: String, mut rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let mut c = inspecting(&rows, env)?;
        let ip = formed_ip(&rows, c.formed_version);
        let now = env.now.to_rfc3339();
        let mut writes = vec![bump(&c), guard_one_change()];
        writes.extend(acceptance(&c.id, ip, false, &now));
        writes.extend(rows.add_history(env, &c.id, "contract.accepted", ip.as_str()));
        rows.close(MOOT_ON_ACCEPTANCE, PartyRequestState::Void, &now);
        c.state = ContractState::Accepted;
        c.accepted_at = Some(now.clone());
        c.ip_transferred_at = (ip == IpClause::Transfer).then_some(now);
        c.version += 1;
        Ok(rows
            .answer(200, &c, writes, env)?
            .conflict_means(Problem::conflict("detail.contract_changed")))
    }
}

#[derive(Debug, Clone)]
pub struct DefectInput {
    pub contract_id: String,
    pub description: String,
}

/// `POST /member/contracts/{id}/defects`: the client reports defects
/// within the inspection; the contract goes back to `in_progress` for a
/// free repair (C4).
pub struct ReportDefects;
use_case!(ReportDefects, "member.report_defects", |_uc| Access::MatchingOf(CLIENT), DefectInput => ContractReads);

impl ReportDefects {
    fn reads(&self, input: &DefectInput, env: &Env) -> ContractReads {
        contract_reads(&input.contract_id, env)
    }

    fn decide(
        &self,
        input: DefectInput,
        mut rows: ContractRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut c = inspecting(&rows, env)?;
        // Rule C11: the partner reads it.
        super::c11_content::refuse_contact_details(&[("description", &input.description)])?;
        let now = env.now.to_rfc3339();
        let defect = new_id(env.rng, "def");
        let description = SealedText::seal(env, DEFECT_DESCRIPTION, &defect, &input.description);
        let mut writes = vec![
            bump(&c),
            guard_one_change(),
            stmt!(
                "UPDATE contracts SET state = 'in_progress', inspection_until = NULL WHERE id = ?",
                c.id.as_str()
            ),
            stmt!(
                "INSERT INTO contract_defects (id, contract_id, reported_by, description, at) VALUES (?, ?, ?, ?, ?)",
                defect.as_str(),
                c.id.as_str(),
                env.caller(),
                &description,
                now.as_str()
            ),
        ];
        writes.extend(rows.add_history(env, &c.id, "contract.defects", "free repair (C4)"));
        c.state = ContractState::InProgress;
        c.inspection_until = None;
        c.version += 1;
        rows.defects.push(super::contract::DefectRow {
            id: defect,
            reported_by: env.caller().to_owned(),
            description,
            at: now,
        });
        Ok(rows
            .answer(200, &c, writes, env)?
            .conflict_means(Problem::conflict("detail.contract_changed")))
    }
}

row!(
    pub struct Unanswered {
        pub clock_id: String,
        pub id: String,
        pub ip_clause: Option<IpClause>,
        pub client_id: String,
        pub partner_id: String,
        pub client_email: Option<String>,
        pub partner_email: Option<String>,
        /// the formed version and its sealed title, for the notices
        pub number: Option<i64>,
        pub title: Option<crate::kernel::sealed::SealedText>,
    }
);

read_set!(pub struct DeemReads => DeemRows { due: Vec<Unanswered> });

fn due(now: DateTime<Utc>) -> Read<Vec<Unanswered>> {
    read!(
        concat!(
            "SELECT k.id AS clock_id, c.id, v.ip_clause, c.client_id, c.partner_id,
               cm.email_enc AS client_email, pm.email_enc AS partner_email, c.current_version AS number, cv.title
             FROM clocks k JOIN contracts c ON c.id = k.subject
               LEFT JOIN contract_versions v ON v.contract_id = c.id AND v.number = c.formed_version
               LEFT JOIN contract_versions cv ON cv.contract_id = c.id AND cv.number = c.current_version
               LEFT JOIN members cm ON cm.id = c.client_id LEFT JOIN members pm ON pm.id = c.partner_id WHERE ",
            crate::clocks_due!()
        ),
        INSPECTION.name,
        now.to_rfc3339(),
        DEEMED_PER_RUN as i64
    )
}

/// Contracts deemed accepted a run at most.
const DEEMED_PER_RUN: usize = crate::kernel::sweep::items(DeemAccepted::BUDGET, 8);

/// The sweep step (C3): the inspection clocks that ended with no answer
/// fire, and their contracts are accepted, `deemed`, by the platform.
pub struct DeemAccepted {
    /// Moves this step's clock (local development's tests only; 0 elsewhere).
    pub clock_offset_secs: i64,
}

impl Step for DeemAccepted {
    type Reads = DeemReads;
    const NAME: &'static str = "contracts_deemed_accepted";
    /// The clock fired (2), acceptance (2), history, audit and an e-mail
    /// to each party: 8 statements a contract.
    const BUDGET: usize = 90;

    fn reads(&self, env: &Env) -> DeemReads {
        DeemReads {
            due: due(env.now + chrono::Duration::seconds(self.clock_offset_secs)),
        }
    }

    fn plan(&self, rows: DeemRows, env: &Env) -> StepOutcome {
        let mut out = StepOutcome {
            more: rows.due.len() == DEEMED_PER_RUN,
            ..StepOutcome::default()
        };
        let at = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        let now = at.to_rfc3339();
        for c in &rows.due {
            let ip = c.ip_clause.unwrap_or(IpClause::Transfer);
            out.count += 1;
            out.writes
                .extend(clocks::fire(&c.clock_id, at, Fired::Closes));
            out.writes.extend(acceptance(&c.id, ip, true, &now));
            out.writes.push(stmt!(
                "INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES (?, ?, 'system', 'contract.deemed_accepted', ?)",
                c.id.as_str(),
                now.as_str(),
                ip.as_str()
            ));
            out.writes.push(crate::kernel::audit::audit(
                env,
                "system",
                "contract.deemed_accepted",
                &c.id,
                ip.as_str(),
            ));
            // Both parties hear of it, with a link to the contract.
            let text = fill(
                "notice.deemed_accepted",
                Lang::Ko,
                &[
                    (
                        "title",
                        &super::notices::title(env, &c.id, c.number, c.title.as_ref()),
                    ),
                    ("link", &super::notices::link(env, &c.id)),
                ],
            );
            for (member, email) in [
                (&c.client_id, &c.client_email),
                (&c.partner_id, &c.partner_email),
            ] {
                let to = Contact {
                    member_id: member,
                    email_enc: email.as_deref(),
                    phone_enc: None,
                };
                let (n, e) = to_member(env, to, "contract", &text, false);
                out.writes.extend(n);
                out.effects.extend(e);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn c3_the_client_inspects_until_the_end_of_the_seventh_kst_day() {
        // Reported 3 Dec 23:30 KST (14:30 UTC): until 10 Dec 24:00 KST.
        assert_eq!(
            inspection_ends(at("2026-12-03T14:30:00Z")),
            at("2026-12-10T15:00:00Z")
        );
        // 4 Dec 00:10 KST is already the next KST day: one day later.
        assert_eq!(
            inspection_ends(at("2026-12-03T15:10:00Z")),
            at("2026-12-11T15:00:00Z")
        );
        // Across the year's end.
        assert_eq!(
            inspection_ends(at("2026-12-28T01:00:00Z")),
            at("2027-01-04T15:00:00Z")
        );
    }
}
