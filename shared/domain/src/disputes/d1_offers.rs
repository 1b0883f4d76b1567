//! Rule D1, settlement offers: instead of all or nothing, either party
//! proposes terms (`settlement.rs`) and the other accepts or declines; its
//! author may withdraw it while it is open. An accepted offer settles the
//! dispute and changes the contract in the same batch. A settlement racing
//! another change (an escalation, a second acceptance) is decided by the
//! dispute's version: exactly one wins.

use super::clocks::answered;
use super::dispute::{
    as_party, bump, case_reads, still_open, CaseReads, CaseRows, OfferRow, OfferState,
};
use super::settlement::{settle, Settlement};
use crate::contracts::c11_content::refuse_contact_details;
use crate::contracts::contract::as_party as contract_party;
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::personal_data::place::{DISPUTE_OFFER_NOTE, DISPUTE_OFFER_SCOPE};
use crate::{stmt, use_case};

#[derive(Debug, Clone)]
pub struct OfferInput {
    pub contract_id: String,
    pub dispute_id: String,
    pub terms: Settlement,
    /// why, for the other party
    pub note: Option<String>,
}

/// `POST /member/contracts/{id}/disputes/{dispute_id}/offers`: a party
/// proposes settlement terms (D1).
pub struct MakeOffer;
use_case!(MakeOffer, "member.dispute_offer", |_uc| Access::Matching, OfferInput => CaseReads);

impl MakeOffer {
    fn reads(&self, input: &OfferInput, env: &Env) -> CaseReads {
        case_reads(&input.dispute_id, &input.contract_id, env)
    }

    fn decide(
        &self,
        input: OfferInput,
        rows: <CaseReads as crate::kernel::reads::ReadSet>::Rows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut rows = CaseRows::from(rows);
        let c = contract_party(rows.contract.contract.clone(), env)?;
        let mut d = as_party(rows.dispute.dispute.clone(), env)?;
        still_open(&d)?;
        input.terms.applies_to(&c, env)?;
        refuse_contact_details(&[
            ("scope", input.terms.scope.as_deref().unwrap_or("")),
            ("note", input.note.as_deref().unwrap_or("")),
        ])?;
        if rows
            .dispute
            .offers
            .iter()
            .any(|o| o.state == OfferState::Open && o.from_id == env.caller())
        {
            return Err(Problem::conflict("detail.offer_open"));
        }
        let id = new_id(env.rng, "off");
        let now = env.now.to_rfc3339();
        let to = crate::contracts::contract::other_party(&c, env.caller()).to_owned();
        let t = &input.terms;
        let o = OfferRow {
            id: id.clone(),
            from_id: env.caller().to_owned(),
            to_id: to,
            kind: t.kind,
            amount_krw: t.amount_krw,
            due_date: t.due_date.map(|d| d.to_string()),
            scope: t
                .scope
                .as_deref()
                .map(|s| SealedText::seal(env, DISPUTE_OFFER_SCOPE, &id, s)),
            note: input
                .note
                .as_deref()
                .map(|s| SealedText::seal(env, DISPUTE_OFFER_NOTE, &id, s)),
            state: OfferState::Open,
            answered_at: None,
            number: None,
            created_at: now.clone(),
        };
        let mut writes = bump(&d).to_vec();
        writes.push(stmt!(
            "INSERT INTO dispute_offers (id, dispute_id, from_id, to_id, kind, amount_krw, due_date, scope, note, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
            o.id.as_str(),
            d.id.as_str(),
            o.from_id.as_str(),
            o.to_id.as_str(),
            o.kind,
            o.amount_krw,
            o.due_date.as_deref(),
            o.scope.as_ref(),
            o.note.as_ref(),
            now.as_str()
        ));
        writes.extend(answered(&mut d, env));
        d.version += 1;
        rows.dispute.offers.push(o);
        Ok(rows
            .answer(201, &d, &c, writes, "notice.dispute.offer", false, env)?
            .conflict_means(Problem::conflict("detail.dispute_changed")))
    }
}

crate::text_enum!(
    /// What a party does with an offer.
    pub enum OfferAnswer {
        /// the addressee agrees: the dispute settles on these terms
        Accept = "accept",
        /// the addressee refuses
        Decline = "decline",
        /// its author takes it back
        Withdraw = "withdraw",
    }
);

#[derive(Debug, Clone)]
pub struct OfferAnswerInput {
    pub contract_id: String,
    pub dispute_id: String,
    pub offer_id: String,
    pub answer: OfferAnswer,
}

/// `POST /member/contracts/{id}/disputes/{dispute_id}/offers/{offer_id}`:
/// the addressee accepts or declines an offer; its author withdraws it.
pub struct AnswerOffer;
use_case!(AnswerOffer, "member.dispute_offer_answer", |_uc| Access::Matching, OfferAnswerInput => CaseReads);

impl AnswerOffer {
    fn reads(&self, input: &OfferAnswerInput, env: &Env) -> CaseReads {
        case_reads(&input.dispute_id, &input.contract_id, env)
    }

    fn decide(
        &self,
        input: OfferAnswerInput,
        rows: <CaseReads as crate::kernel::reads::ReadSet>::Rows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut rows = CaseRows::from(rows);
        let mut c = contract_party(rows.contract.contract.clone(), env)?;
        let mut d = as_party(rows.dispute.dispute.clone(), env)?;
        still_open(&d)?;
        let o = rows
            .dispute
            .offers
            .iter()
            .find(|o| o.id == input.offer_id)
            .cloned()
            .ok_or_else(Problem::not_found)?;
        if o.state != OfferState::Open {
            return Err(Problem::conflict("detail.already_decided")
                .with("state", serde_json::json!(o.state)));
        }
        let mine = match input.answer {
            OfferAnswer::Withdraw => &o.from_id,
            OfferAnswer::Accept | OfferAnswer::Decline => &o.to_id,
        };
        if mine != env.caller() {
            return Err(Problem::forbidden("detail.offer_not_yours"));
        }
        let now = env.now.to_rfc3339();
        let state = match input.answer {
            OfferAnswer::Accept => OfferState::Accepted,
            OfferAnswer::Decline => OfferState::Declined,
            OfferAnswer::Withdraw => OfferState::Withdrawn,
        };
        let mut writes = Vec::new();
        let mut number = None;
        if input.answer == OfferAnswer::Accept {
            let s = Settlement {
                kind: o.kind,
                amount_krw: o.amount_krw,
                due_date: o
                    .due_date
                    .as_deref()
                    .and_then(|d| d.parse::<chrono::NaiveDate>().ok()),
                scope: crate::kernel::sealed::open_opt(
                    &o.scope,
                    env.keys,
                    DISPUTE_OFFER_SCOPE,
                    &o.id,
                )?,
            };
            writes.extend(answered(&mut d, env));
            let (w, n) = settle(
                &s,
                &o.from_id,
                &mut c,
                &mut rows.contract,
                &mut d,
                &format!("offer {}", o.id),
                env,
            )?;
            writes.extend(w);
            writes.push(stmt!(
                "UPDATE disputes SET settled_offer = ? WHERE id = ?",
                o.id.as_str(),
                d.id.as_str()
            ));
            d.settled_offer = Some(o.id.clone());
            number = n;
        } else {
            writes.extend(bump(&d));
            if input.answer == OfferAnswer::Decline {
                writes.extend(answered(&mut d, env));
            }
            d.version += 1;
        }
        // The offer itself: guarded, so two answers to it never both count.
        writes.push(stmt!(
            "UPDATE dispute_offers SET state = ?, answered_at = ?, number = ? WHERE id = ? AND state IN ('open', 'void')",
            state,
            now.as_str(),
            number,
            o.id.as_str()
        ));
        writes.push(guard_one_change());
        for x in &mut rows.dispute.offers {
            if x.id == o.id {
                x.state = state;
                x.answered_at = Some(now.clone());
                x.number = number;
            } else if input.answer == OfferAnswer::Accept && x.state == OfferState::Open {
                x.state = OfferState::Void;
                x.answered_at = Some(now.clone());
            }
        }
        let what = match input.answer {
            OfferAnswer::Accept => "notice.dispute.settled",
            OfferAnswer::Decline => "notice.dispute.offer_declined",
            OfferAnswer::Withdraw => "notice.dispute.offer_withdrawn",
        };
        Ok(rows
            .answer(200, &d, &c, writes, what, false, env)?
            .conflict_means(Problem::conflict("detail.dispute_changed")))
    }
}
