//! Rule C2 after forming: a formed contract changes only by an amendment
//! both parties confirm. A party proposes new terms (title, scope, amount,
//! due date) made on a revision: a new version, confirmed by its author at
//! once, and a request to the other party, who accepts it by the version's
//! hash or declines it (`c7_requests.rs`). Until then the formed version
//! stays in force. The IP clause and the portfolio consent are fixed at
//! forming (C1: agreed before forming): an amendment that changes them is
//! refused. One amendment is open at a time.

use super::c11_content::refuse_contact_details;
use super::c2_versions::{changed, contract_reads, ContractReads, ContractRows, EditInput};
use super::contract::{
    as_party, bump, confirmation_insert, request_insert, version_insert, Ask, ContractState,
    PartyRequestKind,
};
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{stmt, use_case};

#[derive(Debug, Clone)]
pub struct AmendInput {
    /// the new terms, made on a revision
    pub edit: EditInput,
    /// why, for the other party
    pub reason: Option<String>,
}

/// A formed contract that is still being carried out (before acceptance).
pub(crate) fn formed_and_open(c: &super::contract::ContractRow) -> Result<(), Problem> {
    if matches!(
        c.state,
        ContractState::InProgress | ContractState::Completed
    ) {
        Ok(())
    } else {
        Err(Problem::conflict("detail.contract_state").with("state", serde_json::json!(c.state)))
    }
}

/// `POST /member/contracts/{id}/amendments`: a party proposes new terms
/// for the formed contract (C2).
pub struct AmendContract;
use_case!(AmendContract, "member.amend_contract", |_uc| Access::Matching, AmendInput => ContractReads);

impl AmendContract {
    fn reads(&self, input: &AmendInput, env: &Env) -> ContractReads {
        contract_reads(&input.edit.contract_id, env)
    }

    fn decide(&self, input: AmendInput, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let mut rows: ContractRows = rows;
        let mut c = as_party(rows.contract.clone(), env)?;
        formed_and_open(&c)?;
        let AmendInput { edit, reason } = input;
        if edit.revision != c.version {
            return Err(changed(&c));
        }
        if rows.open_request(PartyRequestKind::Amendment).is_some() {
            return Err(Problem::conflict("detail.request_open"));
        }
        let terms = edit.terms;
        refuse_contact_details(&[
            ("title", &terms.title),
            ("scope", &terms.scope),
            ("reason", reason.as_deref().unwrap_or("")),
        ])?;
        let formed = rows
            .versions
            .iter()
            .find(|v| Some(v.number) == c.formed_version)
            .ok_or_else(Problem::internal)?;
        // Agreed before forming (C1), not changed by an amendment.
        if terms.ip_clause != formed.ip_clause {
            return Err(Problem::field("ip_clause", "field.fixed_at_forming"));
        }
        if terms.portfolio_consent != formed.portfolio_consent {
            return Err(Problem::field(
                "portfolio_consent",
                "field.fixed_at_forming",
            ));
        }
        let number = c.current_version + 1;
        let (v, insert) = version_insert(&c, number, &terms, env);
        let (k, confirmation) = confirmation_insert(&c, number, &v.sha256, env);
        let (q, ask) = request_insert(
            &c,
            Ask {
                kind: PartyRequestKind::Amendment,
                number: Some(number),
                message_id: None,
                reason,
            },
            env,
        );
        let mut writes = vec![
            bump(&c),
            guard_one_change(),
            stmt!(
                "UPDATE contracts SET current_version = ? WHERE id = ?",
                number,
                c.id.as_str()
            ),
            insert,
            confirmation,
            ask,
        ];
        writes.extend(rows.add_history(
            env,
            &c.id,
            "contract.amendment_proposed",
            &format!("version {number} {}", v.sha256),
        ));
        c.current_version = number;
        c.version += 1;
        rows.versions.push(v);
        rows.confirmations.push(k);
        rows.requests.push(q);
        Ok(rows
            .answer(201, &c, writes, env)?
            .conflict_means(Problem::conflict("detail.contract_changed")))
    }
}
