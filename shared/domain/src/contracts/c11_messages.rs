//! The parties' messages on a contract, under rule C11: a message with
//! direct contact details or an offer to deal off the platform is held —
//! its author sees it as held, the other party does not — until staff
//! release it (`c11_review.rs`). A message may ask for an answer: that is
//! a request the other party answers with its next message within 7 KST
//! days (C7). A held message neither asks nor answers until released.

use super::c11_content::findings;
use super::c2_versions::{contract_reads, ContractReads, ContractRows};
use super::contract::{
    as_party, request_insert, Ask, MessageRow, MessageState, PartyRequestKind, PartyRequestState,
};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::personal_data::place::MESSAGE_BODY;
use crate::{stmt, use_case};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct MessageInput {
    pub contract_id: String,
    pub body: String,
    /// asks the other party for an answer (C7)
    pub asks: bool,
}

/// The statement that marks the open questions to `member` on contract
/// `contract_id` answered (its message became visible).
pub(crate) fn answers_questions(contract_id: &str, member: &str, now: &str) -> Stmt {
    stmt!(
        "UPDATE contract_requests SET state = 'answered', answered_at = ? WHERE contract_id = ? AND to_id = ? AND kind = 'question' AND state = 'open'",
        now,
        contract_id,
        member
    )
}

/// `POST /member/contracts/{id}/messages`: a party writes to the other.
pub struct PostMessage;
use_case!(PostMessage, "member.post_message", |_uc| Access::Matching, MessageInput => ContractReads);

impl PostMessage {
    fn reads(&self, input: &MessageInput, env: &Env) -> ContractReads {
        contract_reads(&input.contract_id, env)
    }

    fn decide(&self, input: MessageInput, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let mut rows: ContractRows = rows;
        let c = as_party(rows.contract.clone(), env)?;
        let now = env.now.to_rfc3339();
        let found = findings(&input.body);
        let state = if found.is_empty() {
            MessageState::Visible
        } else {
            MessageState::Held
        };
        let id = new_id(env.rng, "msg");
        let body = SealedText::seal(env, MESSAGE_BODY, &id, &input.body);
        let mut writes = vec![stmt!(
            "INSERT INTO contract_messages (id, contract_id, author_id, body, asks, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            id.as_str(),
            c.id.as_str(),
            env.caller(),
            &body,
            input.asks,
            state,
            now.as_str()
        )];
        if state == MessageState::Held {
            let kinds: Vec<&str> = found.iter().map(|f| f.kind.as_str()).collect();
            writes.push(stmt!(
                "INSERT INTO held_content (id, kind, subject_id, member_id, found, created_at) VALUES (?, 'message', ?, ?, ?, ?)",
                new_id(env.rng, "held"),
                id.as_str(),
                env.caller(),
                json!(kinds).to_string(),
                now.as_str()
            ));
        } else {
            writes.push(answers_questions(&c.id, env.caller(), &now));
            for q in &mut rows.requests {
                if q.kind == PartyRequestKind::Question
                    && q.state == PartyRequestState::Open
                    && q.to_id == env.caller()
                {
                    q.state = PartyRequestState::Answered;
                    q.answered_at = Some(now.clone());
                }
            }
            if input.asks {
                let (q, ask) = request_insert(
                    &c,
                    Ask {
                        kind: PartyRequestKind::Question,
                        number: None,
                        message_id: Some(id.clone()),
                        reason: None,
                    },
                    env,
                );
                writes.push(ask);
                rows.requests.push(q);
            }
        }
        rows.messages.push(MessageRow {
            id,
            author_id: env.caller().to_owned(),
            body,
            asks: input.asks,
            state,
            created_at: now,
        });
        Ok(rows.answer(201, &c, writes, env)?)
    }
}
