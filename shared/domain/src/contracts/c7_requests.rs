//! Rule C7: each party answers the other's request within 7 days — by the
//! end of the 7th KST calendar day after the day it was made. What a party
//! asks: to confirm the draft's version it confirmed (answered by
//! confirming, voided by an edit), to agree to an amendment (C2) or a
//! cancellation (C6) — accepted or declined here — and to answer a message
//! (answered by the other party's next message). An open request past its
//! day is flagged once by the sweep: on the contract (both parties see
//! it), by e-mail to both, and on the staff's list of overdue requests.
//! Its author may withdraw it while it is open.

use super::c2_amendments::formed_and_open;
use super::c2_versions::{contract_reads, ContractReads, ContractRows};
use super::c6_cancel::{cancellation, ALL_REQUESTS};
use super::contract::{
    as_party, bump, confirmation_insert, CancelCause, ContractState, PartyRequestKind,
    PartyRequestState,
};
use crate::kernel::audit::audit;
use crate::kernel::clocks::{self, Fired, Kind};
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::personal_data::place::ANSWER_REASON;
use crate::{read, read_set, row, stmt, use_case};

/// Who sees overdue requests: the mediators (disputes grow out of them).
pub const REQUEST_WATCHERS: &[AdminRole] = &[AdminRole::Mediator, AdminRole::Owner];

/// A request's answer, a clock (`kernel::clocks`) opened and closed by
/// triggers on the request (migration 0020): its addressee acts, its author
/// waits, mediators watch; the sweep fires it by flagging it, and it stays
/// open until answered.
pub const REQUEST: Kind = Kind {
    name: "contract_request",
    watchers: &[AdminRole::Mediator],
};

crate::text_enum!(
    /// What a party does with a request.
    pub enum RequestAnswer {
        /// the addressee agrees (an amendment: by the version's hash)
        Accept = "accept",
        /// the addressee refuses
        Decline = "decline",
        /// the author takes it back
        Withdraw = "withdraw",
    }
);

#[derive(Debug, Clone)]
pub struct AnswerInput {
    pub contract_id: String,
    pub request_id: String,
    pub answer: RequestAnswer,
    pub reason: Option<String>,
    /// accepting an amendment: the SHA-256 of the version accepted
    pub sha256: Option<String>,
}

/// `POST /member/contracts/{id}/requests/{request_id}`: the addressee
/// accepts or declines an amendment or a cancellation; the author
/// withdraws an open request (C2, C6, C7).
pub struct AnswerRequest;
use_case!(AnswerRequest, "member.answer_request", |_uc| Access::Matching, AnswerInput => ContractReads);

impl AnswerRequest {
    fn reads(&self, input: &AnswerInput, env: &Env) -> ContractReads {
        contract_reads(&input.contract_id, env)
    }

    fn decide(&self, input: AnswerInput, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let mut rows: ContractRows = rows;
        let mut c = as_party(rows.contract.clone(), env)?;
        // Rule C11: the asking party reads the answer's reason.
        super::c11_content::refuse_contact_details(&[(
            "reason",
            input.reason.as_deref().unwrap_or(""),
        )])?;
        let q = rows
            .requests
            .iter()
            .find(|q| q.id == input.request_id)
            .cloned()
            .ok_or_else(Problem::not_found)?;
        if q.state != PartyRequestState::Open {
            return Err(Problem::conflict("detail.already_decided")
                .with("state", serde_json::json!(q.state)));
        }
        let mine = match input.answer {
            RequestAnswer::Withdraw => &q.from_id,
            RequestAnswer::Accept | RequestAnswer::Decline => &q.to_id,
        };
        if mine != env.caller() {
            return Err(Problem::forbidden("detail.request_not_yours"));
        }
        // A confirmation is answered by confirming (or made moot by an
        // edit), a question by a message; a question may be withdrawn.
        let answered_elsewhere = match input.answer {
            RequestAnswer::Withdraw => q.kind == PartyRequestKind::Confirmation,
            RequestAnswer::Accept | RequestAnswer::Decline => matches!(
                q.kind,
                PartyRequestKind::Confirmation | PartyRequestKind::Question
            ),
        };
        if answered_elsewhere {
            return Err(Problem::conflict("detail.request_kind"));
        }
        let state = match input.answer {
            RequestAnswer::Accept => PartyRequestState::Accepted,
            RequestAnswer::Decline => PartyRequestState::Declined,
            RequestAnswer::Withdraw => PartyRequestState::Withdrawn,
        };
        let now = env.now.to_rfc3339();
        let answer_reason = input
            .reason
            .as_deref()
            .map(|r| SealedText::seal(env, ANSWER_REASON, &q.id, r));
        let mut writes = vec![
            bump(&c),
            guard_one_change(),
            stmt!(
                "UPDATE contract_requests SET state = ?, answered_at = ?, answer_reason = ? WHERE id = ? AND state = 'open'",
                state,
                now.as_str(),
                answer_reason.as_ref(),
                q.id.as_str()
            ),
            guard_one_change(),
        ];
        if input.answer != RequestAnswer::Accept {
            // An acceptance is recorded as what it does (amended, cancelled).
            // The reason stays sealed in the request's row: the history and
            // the audit chain name the request.
            let action = format!("contract.{}_{}", q.kind.as_str(), state.as_str());
            writes.extend(rows.add_history(env, &c.id, &action, &q.id));
        }
        if let Some(r) = rows.requests.iter_mut().find(|r| r.id == q.id) {
            r.state = state;
            r.answered_at = Some(now.clone());
            r.answer_reason = answer_reason;
        }
        if input.answer == RequestAnswer::Accept {
            formed_and_open(&c)?;
            match q.kind {
                PartyRequestKind::Amendment => {
                    let number = q.number.ok_or_else(Problem::internal)?;
                    let v = rows
                        .versions
                        .iter()
                        .find(|v| v.number == number)
                        .ok_or_else(Problem::internal)?;
                    let given = input.sha256.as_deref().unwrap_or("");
                    if !given.eq_ignore_ascii_case(&v.sha256) {
                        return Err(Problem::conflict("detail.contract_hash")
                            .with("sha256", serde_json::json!(v.sha256)));
                    }
                    let (k, insert) = confirmation_insert(&c, number, &v.sha256, env);
                    writes.push(insert);
                    writes.push(stmt!(
                        "UPDATE contracts SET formed_version = ? WHERE id = ?",
                        number,
                        c.id.as_str()
                    ));
                    writes.extend(rows.add_history(
                        env,
                        &c.id,
                        "contract.amended",
                        &format!("version {number} {}", v.sha256),
                    ));
                    rows.confirmations.push(k);
                    c.formed_version = Some(number);
                }
                PartyRequestKind::Cancellation => {
                    writes.extend(cancellation(&c, CancelCause::Agreed, &now));
                    writes.extend(rows.add_history(env, &c.id, "contract.cancelled", "agreed"));
                    rows.close(ALL_REQUESTS, PartyRequestState::Void, &now);
                    c.state = ContractState::Cancelled;
                    c.cancelled_at = Some(now);
                    c.cancel_cause = Some(CancelCause::Agreed);
                }
                _ => return Err(Problem::conflict("detail.request_kind")),
            }
        }
        c.version += 1;
        Ok(rows
            .answer(200, &c, writes, env)?
            .conflict_means(Problem::conflict("detail.contract_changed")))
    }
}

row!(
    pub struct Overdue {
        pub clock_id: String,
        pub id: String,
        pub contract_id: String,
        pub kind: PartyRequestKind,
        pub from_id: String,
        pub to_id: String,
        pub from_email: Option<String>,
        pub to_email: Option<String>,
        /// the contract's current version and its sealed title
        pub number: Option<i64>,
        pub title: Option<SealedText>,
    }
);

read_set!(pub struct OverdueReads => OverdueRows { due: Vec<Overdue> });

/// The sweep step (C7): the clocks of open requests past their day fire
/// once: the request is flagged, on the contract's history and by e-mail to
/// both parties.
pub struct FlagOverdue {
    /// Moves this step's clock (local development's tests only; 0 elsewhere).
    pub clock_offset_secs: i64,
}

/// Requests flagged a run at most.
const OVERDUE_PER_RUN: usize = crate::kernel::sweep::items(FlagOverdue::BUDGET, 7);

impl Step for FlagOverdue {
    type Reads = OverdueReads;
    const NAME: &'static str = "contract_requests_overdue";
    /// The clock fired (2), the flag, history, audit and two e-mails: 7
    /// statements a request.
    const BUDGET: usize = 70;

    fn reads(&self, env: &Env) -> OverdueReads {
        let now = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        OverdueReads {
            due: read!(
                concat!(
                    "SELECT k.id AS clock_id, q.id, q.contract_id, q.kind, q.from_id, q.to_id, f.email_enc AS from_email, t.email_enc AS to_email,
                       c.current_version AS number, v.title
                     FROM clocks k JOIN contract_requests q ON q.id = k.subject
                       LEFT JOIN members f ON f.id = q.from_id LEFT JOIN members t ON t.id = q.to_id
                       LEFT JOIN contracts c ON c.id = q.contract_id
                       LEFT JOIN contract_versions v ON v.contract_id = q.contract_id AND v.number = c.current_version WHERE ",
                    crate::clocks_due!()
                ),
                REQUEST.name,
                now.to_rfc3339(),
                OVERDUE_PER_RUN as i64
            ),
        }
    }

    fn plan(&self, rows: OverdueRows, env: &Env) -> StepOutcome {
        let mut out = StepOutcome {
            more: rows.due.len() == OVERDUE_PER_RUN,
            ..StepOutcome::default()
        };
        let when = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        let now = when.to_rfc3339();
        for q in &rows.due {
            out.count += 1;
            out.writes
                .extend(clocks::fire(&q.clock_id, when, Fired::Flags));
            out.writes.push(stmt!(
                "UPDATE contract_requests SET flagged_at = ? WHERE id = ? AND state = 'open' AND flagged_at IS NULL",
                now.as_str(),
                q.id.as_str()
            ));
            out.writes.push(stmt!(
                "INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES (?, ?, 'system', 'contract.request_overdue', ?)",
                q.contract_id.as_str(),
                now.as_str(),
                format!("{} {}", q.kind.as_str(), q.id)
            ));
            out.writes.push(audit(
                env,
                "system",
                "contract.request_overdue",
                &q.contract_id,
                &q.id,
            ));
            let title = super::notices::title(env, &q.contract_id, q.number, q.title.as_ref());
            let link = super::notices::link(env, &q.contract_id);
            let text = fill(
                "notice.request_overdue",
                Lang::Ko,
                &[("title", &title), ("link", &link)],
            );
            for (member, sealed) in [(&q.from_id, &q.from_email), (&q.to_id, &q.to_email)] {
                let to = Contact {
                    member_id: member,
                    email_enc: sealed.as_deref(),
                    phone_enc: None,
                };
                let (n, e) = to_member(env, to, "request_overdue", &text, false);
                out.writes.extend(n);
                out.effects.extend(e);
            }
        }
        out
    }
}

crate::reply!(
    /// Open requests flagged overdue, oldest flag first (C7).
    pub struct OverdueRequests {
        pub requests: Vec<OverdueRequest>,
    }
    pub struct OverdueRequest {
        pub request_id: String,
        pub contract_id: String,
        pub kind: PartyRequestKind,
        pub from_id: String,
        pub from_company: Option<String>,
        pub to_id: String,
        pub to_company: Option<String>,
        pub answer_by: String,
        pub flagged_at: String,
        pub created_at: String,
    }
);

row!(
    pub struct FlaggedRow {
        pub id: String,
        pub contract_id: String,
        pub kind: PartyRequestKind,
        pub from_id: String,
        pub from_company: Option<String>,
        pub to_id: String,
        pub to_company: Option<String>,
        pub answer_by: String,
        pub flagged_at: String,
        pub created_at: String,
    }
);

read_set!(pub struct FlaggedReads => FlaggedRows { flagged: Vec<FlaggedRow> });

/// `GET /admin/contract-requests`: the open requests flagged overdue (C7).
pub struct ListOverdue;
use_case!(ListOverdue, "admin.overdue_requests", |_uc| Access::Admin(REQUEST_WATCHERS), () => FlaggedReads);

impl ListOverdue {
    fn reads(&self, _: &(), _: &Env) -> FlaggedReads {
        FlaggedReads {
            flagged: read!(
                "SELECT q.id, q.contract_id, q.kind, q.from_id, f.company_name AS from_company, q.to_id, t.company_name AS to_company,
                        q.answer_by, q.flagged_at, q.created_at
                 FROM contract_requests q LEFT JOIN members f ON f.id = q.from_id LEFT JOIN members t ON t.id = q.to_id
                 WHERE q.state = 'open' AND q.flagged_at IS NOT NULL ORDER BY q.flagged_at, q.id LIMIT 100"
            ),
        }
    }

    fn decide(&self, _: (), rows: FlaggedRows, _: &Env) -> Result<Plan, Problem> {
        let requests = rows
            .flagged
            .into_iter()
            .map(|r| OverdueRequest {
                request_id: r.id,
                contract_id: r.contract_id,
                kind: r.kind,
                from_id: r.from_id,
                from_company: r.from_company,
                to_id: r.to_id,
                to_company: r.to_company,
                answer_by: r.answer_by,
                flagged_at: r.flagged_at,
                created_at: r.created_at,
            })
            .collect();
        Ok(Plan::ok(200, OverdueRequests { requests }, vec![]))
    }
}
