//! Rule D1, settlement offers: instead of all or nothing, either party
//! proposes terms — a new contract amount (lower or higher), a scope the
//! partner redoes by a date, a new due date, or cancelling the contract by
//! agreement — and the other accepts or declines; its author may withdraw
//! it while it is open. An accepted offer settles the dispute and changes
//! the contract in the same batch through the paths that exist: an
//! amendment both parties confirmed (C2: a new version with the offer's
//! terms, confirmed by its author with the offer and by the other party
//! with the acceptance, formed at once) or a cancellation with cause
//! `dispute` (C6); the contract's history and the dispute both record it.
//! A settlement racing another change (an escalation, a second
//! acceptance) is decided by the dispute's version: exactly one wins.

use super::d1_negotiation::answered;
use super::dispute::{
    as_party, bump, case_reads, still_open, CaseReads, CaseRows, DisputeRow, OfferKind, OfferRow,
    OfferState, Stage,
};
use crate::contracts::c11_content::refuse_contact_details;
use crate::contracts::c6_cancel::{cancellation, ALL_REQUESTS};
use crate::contracts::contract::{
    as_party as contract_party, bump as bump_contract, close_requests, confirmation_insert,
    version_insert_by, CancelCause, ContractRow, ContractState, PartyRequestKind,
    PartyRequestState, Terms,
};
use crate::contracts::record::ContractRows;
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::personal_data::place::{DISPUTE_OFFER_NOTE, DISPUTE_OFFER_SCOPE};
use crate::{stmt, use_case};

/// What an offer (or, later, a mediator's opinion) proposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub kind: OfferKind,
    /// `amount`: the new contract amount in won
    pub amount_krw: Option<i64>,
    /// `due_date`, `redo`: the new due date (KST calendar date)
    pub due_date: Option<chrono::NaiveDate>,
    /// `redo`: what the partner redoes
    pub scope: Option<String>,
}

impl Settlement {
    /// Whether these terms can apply to contract `c` as it stands: a new
    /// due date or a redo only while the work is being carried out
    /// (before acceptance), an amount or a cancellation on any formed
    /// contract; a date not before today (KST).
    ///
    /// # Errors
    /// 409 when the contract's state does not allow it; 422 for a past date.
    pub fn applies_to(&self, c: &ContractRow, env: &Env) -> Result<(), Problem> {
        let working = matches!(
            c.state,
            ContractState::InProgress | ContractState::Completed
        );
        let formed = working || c.state == ContractState::Accepted;
        let fits = match self.kind {
            OfferKind::Amount | OfferKind::Cancel => formed,
            OfferKind::Redo | OfferKind::DueDate => working,
        };
        if !fits {
            return Err(Problem::conflict("detail.offer_kind_state")
                .with("state", serde_json::json!(c.state)));
        }
        if self
            .due_date
            .is_some_and(|d| d < crate::kernel::types::kst_date(env.now))
        {
            return Err(Problem::field("due_date", "field.date_past"));
        }
        Ok(())
    }

    /// The terms of the version this settlement makes from the formed one.
    fn terms(&self, formed: Terms) -> Terms {
        let mut t = formed;
        if let Some(a) = self.amount_krw {
            t.amount_krw = a;
        }
        if let Some(d) = self.due_date {
            t.due_date = d.to_string();
        }
        if let Some(s) = &self.scope {
            t.scope = format!("{}\n\n[{}] {s}", t.scope, REDO_LABEL);
        }
        t
    }
}

/// How a redone scope is marked in the amended version (both parties read
/// the version in Korean, the contract's language).
pub const REDO_LABEL: &str = "분쟁 합의에 따른 재작업";

/// The statements that apply `s`, proposed by `author`, to contract `c`
/// and settle dispute `d` (the caller accepts it): a version both parties
/// confirmed, or the contract's cancellation (cause `dispute`); the
/// contract's history, the dispute's end, its open clocks and offers.
/// `how` names what settled it (`offer <id>`).
///
/// # Errors
/// 409 when the terms no longer fit the contract; 500 when sealed terms do
/// not open.
pub(crate) fn settle(
    s: &Settlement,
    author: &str,
    c: &mut ContractRow,
    contract: &mut ContractRows,
    d: &mut DisputeRow,
    how: &str,
    env: &Env,
) -> Result<(Vec<Stmt>, Option<i64>), Problem> {
    s.applies_to(c, env)?;
    let now = env.now.to_rfc3339();
    let mut writes = vec![bump_contract(c), guard_one_change()];
    let mut number = None;
    if s.kind == OfferKind::Cancel {
        writes.extend(cancellation(c, CancelCause::Dispute, &now));
        writes.extend(contract.add_history(
            env,
            &c.id,
            "contract.cancelled",
            &format!("dispute {} {how}", d.id),
        ));
        contract.close(ALL_REQUESTS, PartyRequestState::Void, &now);
        c.state = ContractState::Cancelled;
        c.cancelled_at = Some(now.clone());
        c.cancel_cause = Some(CancelCause::Dispute);
    } else {
        let formed = contract
            .versions
            .iter()
            .find(|v| Some(v.number) == c.formed_version)
            .ok_or_else(Problem::internal)?;
        let terms = s.terms(formed.terms(env.keys, &c.id)?);
        let n = c.current_version + 1;
        let (v, insert) = version_insert_by(c, n, &terms, author, env);
        let (mine, confirm) = confirmation_insert(c, n, &v.sha256, env);
        // The author confirmed these terms with its offer.
        let theirs = crate::contracts::contract::ConfirmationRow {
            number: n,
            member_id: author.to_owned(),
            sha256: v.sha256.clone(),
            ip_enc: None,
            at: now.clone(),
        };
        writes.push(insert);
        writes.push(confirm);
        writes.push(stmt!(
            "INSERT INTO contract_confirmations (contract_id, number, member_id, sha256, ip_enc, at) VALUES (?, ?, ?, ?, NULL, ?)",
            c.id.as_str(),
            n,
            author,
            v.sha256.as_str(),
            now.as_str()
        ));
        // A redo of completed work returns it to the partner (as C4's repair).
        let reopens = s.kind == OfferKind::Redo && c.state == ContractState::Completed;
        writes.push(stmt!(
            "UPDATE contracts SET current_version = ?, formed_version = ?,
               state = CASE WHEN ? THEN 'in_progress' ELSE state END,
               completed_at = CASE WHEN ? THEN NULL ELSE completed_at END,
               inspection_until = CASE WHEN ? THEN NULL ELSE inspection_until END
             WHERE id = ?",
            n,
            n,
            reopens,
            reopens,
            reopens,
            c.id.as_str()
        ));
        // An amendment still asked for is moot: these terms replace it.
        writes.push(close_requests(
            &c.id,
            &[PartyRequestKind::Amendment],
            PartyRequestState::Void,
            &now,
        ));
        contract.close(
            &[PartyRequestKind::Amendment],
            PartyRequestState::Void,
            &now,
        );
        writes.extend(contract.add_history(
            env,
            &c.id,
            "contract.amended",
            &format!("version {n} {} dispute {} {how}", v.sha256, d.id),
        ));
        contract.versions.push(v);
        contract.confirmations.push(theirs);
        contract.confirmations.push(mine);
        c.current_version = n;
        c.formed_version = Some(n);
        if reopens {
            c.state = ContractState::InProgress;
            c.completed_at = None;
            c.inspection_until = None;
        }
        number = Some(n);
    }
    c.version += 1;
    writes.extend(close(d, Stage::Settled, &now, env));
    Ok((writes, number))
}

/// The statements that end dispute `d` at `stage`: its row (guarded by
/// its version), its open offers made moot, its open clocks closed, and the
/// entry in the contract's history and the audit chain.
pub(crate) fn close(d: &mut DisputeRow, stage: Stage, now: &str, env: &Env) -> Vec<Stmt> {
    let mut writes = bump(d).to_vec();
    writes.push(stmt!(
        "UPDATE disputes SET stage = ?, closed_at = ?, closed_by = ? WHERE id = ?",
        stage,
        now,
        env.caller(),
        d.id.as_str()
    ));
    writes.push(stmt!(
        "UPDATE dispute_offers SET state = 'void', answered_at = ? WHERE dispute_id = ? AND state = 'open'",
        now,
        d.id.as_str()
    ));
    writes.push(stmt!(
        "UPDATE clocks SET state = 'void', closed_at = ? WHERE state = 'open' AND kind LIKE 'dispute_%'
           AND (subject = ? OR subject IN (SELECT id FROM dispute_material_requests WHERE dispute_id = ?))",
        now,
        d.id.as_str(),
        d.id.as_str()
    ));
    let action = format!("dispute.{}", stage.as_str());
    writes.push(stmt!(
        "INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
        d.contract_id.as_str(),
        now,
        env.caller(),
        action.as_str(),
        d.id.as_str()
    ));
    writes.push(audit(env, env.caller(), &action, &d.contract_id, &d.id));
    d.stage = stage;
    d.closed_at = Some(now.to_owned());
    d.closed_by = Some(env.caller().to_owned());
    d.version += 1;
    writes
}

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

/// The terms of a settlement body (`kind` and what it needs: `amount_krw`
/// for `amount`, `due_date` for `due_date`, `scope` and `due_date` for
/// `redo`, nothing for `cancel`), each bad or missing field pushed to `f`,
/// and a field another kind needs refused (no silent ignoring).
pub fn settlement_fields(
    body: &crate::kernel::problem::Body,
    f: &mut crate::kernel::problem::Fields,
) -> Option<Settlement> {
    terms_fields(body, f, "kind")
}

/// [`settlement_fields`] with the kind read from field `kind_field` (a
/// mediator's opinion names it `outcome`).
pub fn terms_fields(
    body: &crate::kernel::problem::Body,
    f: &mut crate::kernel::problem::Fields,
    kind_field: &str,
) -> Option<Settlement> {
    let kind = body
        .str(f, kind_field)
        .and_then(|k| f.take(kind_field, OfferKind::parse(&k).ok_or("field.offer_kind")));
    let amount_krw = body.opt_won(f, "amount_krw").and_then(|n| {
        if (1..=crate::contracts::c2_versions::MAX_AMOUNT).contains(&n) {
            Some(n)
        } else {
            f.push("amount_krw", "field.non_negative");
            None
        }
    });
    let due_date = body.opt_str(f, "due_date").and_then(|d| {
        f.take(
            "due_date",
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| "field.date"),
        )
    });
    let scope = body
        .opt_str(f, "scope")
        .and_then(|s| f.take("scope", crate::kernel::types::prose(&s, 4000)));
    let kind = kind?;
    let (needs, refuses): (&[&str], &[&str]) = match kind {
        OfferKind::Amount => (&["amount_krw"], &["due_date", "scope"]),
        OfferKind::DueDate => (&["due_date"], &["amount_krw", "scope"]),
        OfferKind::Redo => (&["scope", "due_date"], &["amount_krw"]),
        OfferKind::Cancel => (&[], &["amount_krw", "due_date", "scope"]),
    };
    for name in needs {
        if !body.map.contains_key(*name) && !f.has(name) {
            f.push(name, "field.offer_terms");
        }
    }
    for name in refuses {
        if body.map.get(*name).is_some_and(|v| !v.is_null()) && !f.has(name) {
            f.push(name, "field.offer_extra");
        }
    }
    Some(Settlement {
        kind,
        amount_krw,
        due_date,
        scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::problem::{Body, Fields};

    fn parse(json: serde_json::Value) -> Result<Settlement, Vec<String>> {
        let map = json.as_object().cloned().unwrap_or_default();
        let body = Body { map: &map };
        let mut f = Fields::default();
        let s = settlement_fields(&body, &mut f);
        match f.finish() {
            Ok(()) => Ok(s.expect("terms")),
            Err(p) => Err(p.errors.iter().map(|e| e.pointer.clone()).collect()),
        }
    }

    /// rule D1: settlement terms are any of four kinds, each with what it
    /// needs; a field of another kind is refused, not ignored.
    #[test]
    fn d1_offer_terms_need_their_fields_and_refuse_others() {
        let amount =
            parse(serde_json::json!({"kind": "amount", "amount_krw": 25_000_000})).unwrap();
        assert_eq!(amount.amount_krw, Some(25_000_000));
        let redo = parse(serde_json::json!({"kind": "redo", "scope": "로그인 화면 재작업", "due_date": "2027-02-01"})).unwrap();
        assert_eq!(redo.scope.as_deref(), Some("로그인 화면 재작업"));
        assert_eq!(redo.due_date, chrono::NaiveDate::from_ymd_opt(2027, 2, 1));
        assert_eq!(
            parse(serde_json::json!({"kind": "cancel"})).unwrap().kind,
            OfferKind::Cancel
        );
        assert_eq!(
            parse(serde_json::json!({"kind": "amount"})).unwrap_err(),
            vec!["#/amount_krw"]
        );
        assert_eq!(
            parse(serde_json::json!({"kind": "redo", "amount_krw": 5})).unwrap_err(),
            vec!["#/scope", "#/due_date", "#/amount_krw"]
        );
        assert_eq!(
            parse(serde_json::json!({"kind": "cancel", "due_date": "2027-13-01"})).unwrap_err(),
            vec!["#/due_date"]
        );
        assert_eq!(
            parse(serde_json::json!({"kind": "refund"})).unwrap_err(),
            vec!["#/kind"]
        );
    }

    /// rule D1: a redo is added to the formed scope, marked; an amount or
    /// a date replaces the formed one; nothing else of the terms changes.
    #[test]
    fn d1_settlement_terms_change_only_what_they_name() {
        use crate::contracts::contract::IpClause;
        let formed = Terms {
            title: "앱 개발".into(),
            scope: "안드로이드 앱".into(),
            amount_krw: 30_000_000,
            due_date: "2027-01-31".into(),
            ip_clause: IpClause::Reserved,
            portfolio_consent: false,
        };
        let s = Settlement {
            kind: OfferKind::Redo,
            amount_krw: None,
            due_date: chrono::NaiveDate::from_ymd_opt(2027, 3, 1),
            scope: Some("결제 화면".into()),
        };
        let t = s.terms(formed.clone());
        assert_eq!(
            t.scope,
            format!("안드로이드 앱\n\n[{REDO_LABEL}] 결제 화면")
        );
        assert_eq!(t.due_date, "2027-03-01");
        assert_eq!(
            (t.amount_krw, t.ip_clause, t.portfolio_consent),
            (30_000_000, IpClause::Reserved, false)
        );
        let a = Settlement {
            kind: OfferKind::Amount,
            amount_krw: Some(27_000_000),
            due_date: None,
            scope: None,
        };
        let t = a.terms(formed.clone());
        assert_eq!(
            (t.amount_krw, t.due_date.as_str(), t.scope.as_str()),
            (27_000_000, "2027-01-31", "안드로이드 앱")
        );
    }
}
