//! Rule C6: once formed, the client cannot refuse, delay or send back the
//! delivery without the partner's fault — it accepts or reports defects
//! within the inspection, and silence is acceptance (C3, C4) — and the
//! contract is cancelled only by both parties or by a dispute's outcome.
//! Before forming, either party may withdraw the draft at once (nothing is
//! agreed yet). After forming, a party's cancellation is a request the
//! other accepts or declines (`c7_requests.rs`); an accepted contract is
//! not cancelled. A dispute's outcome comes with the disputes (D rules).

use super::c2_amendments::formed_and_open;
use super::c2_versions::{contract_reads, ContractReads, ContractRows};
use super::contract::{
    as_party, bump, close_requests, request_insert, Ask, CancelCause, ContractRow, ContractState,
    PartyRequestKind, PartyRequestState,
};
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::personal_data::place::CANCEL_REASON;
use crate::{stmt, use_case};

/// Every kind of request: what a cancelled contract no longer asks.
pub const ALL_REQUESTS: &[PartyRequestKind] =
    <PartyRequestKind as crate::kernel::reads::TextEnum>::ALL;

/// The statements that cancel contract `c` for `cause` (the caller's
/// history entry comes separately); open requests become moot.
pub(crate) fn cancellation(c: &ContractRow, cause: CancelCause, now: &str) -> [Stmt; 2] {
    [
        stmt!(
            "UPDATE contracts SET state = 'cancelled', cancelled_at = ?, cancel_cause = ? WHERE id = ? AND state = ?",
            now,
            cause,
            c.id.as_str(),
            c.state
        ),
        close_requests(&c.id, ALL_REQUESTS, PartyRequestState::Void, now),
    ]
}

#[derive(Debug, Clone)]
pub struct CancelInput {
    pub contract_id: String,
    pub reason: String,
}

/// `POST /member/contracts/{id}/cancel`: withdraws a draft at once, or asks
/// the other party to agree to cancel the formed contract (C6).
pub struct CancelContract;
use_case!(CancelContract, "member.cancel_contract", |_uc| Access::Matching, CancelInput => ContractReads);

impl CancelContract {
    fn reads(&self, input: &CancelInput, env: &Env) -> ContractReads {
        contract_reads(&input.contract_id, env)
    }

    fn decide(&self, input: CancelInput, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let mut rows: ContractRows = rows;
        let mut c = as_party(rows.contract.clone(), env)?;
        // Rule C11: the other party reads it.
        super::c11_content::refuse_contact_details(&[("reason", &input.reason)])?;
        let now = env.now.to_rfc3339();
        let mut writes = vec![bump(&c), guard_one_change()];
        if c.state == ContractState::Draft {
            writes.extend(cancellation(&c, CancelCause::Withdrawn, &now));
            // The reason stays in the contract's row, sealed; the history
            // and the audit chain keep what happened.
            let reason = SealedText::seal(env, CANCEL_REASON, &c.id, &input.reason);
            writes.push(stmt!(
                "UPDATE contracts SET cancel_reason = ? WHERE id = ?",
                &reason,
                c.id.as_str()
            ));
            writes.extend(rows.add_history(env, &c.id, "contract.withdrawn", ""));
            c.cancel_reason = Some(reason);
            rows.close(ALL_REQUESTS, PartyRequestState::Void, &now);
            c.state = ContractState::Cancelled;
            c.cancelled_at = Some(now);
            c.cancel_cause = Some(CancelCause::Withdrawn);
        } else {
            formed_and_open(&c)?;
            if rows.open_request(PartyRequestKind::Cancellation).is_some() {
                return Err(Problem::conflict("detail.request_open"));
            }
            let (q, ask) = request_insert(
                &c,
                Ask {
                    kind: PartyRequestKind::Cancellation,
                    number: None,
                    message_id: None,
                    reason: Some(input.reason.clone()),
                },
                env,
            );
            writes.push(ask);
            // The reason is the request's, sealed there.
            writes.extend(rows.add_history(env, &c.id, "contract.cancellation_requested", &q.id));
            rows.requests.push(q);
        }
        c.version += 1;
        Ok(rows
            .answer(200, &c, writes, env)?
            .conflict_means(Problem::conflict("detail.contract_changed")))
    }
}
