//! What a dispute settles on (D1, D2): the terms an offer or a mediator's
//! opinion proposes — a new contract amount (lower or higher), a scope the
//! partner redoes by a date, a new due date, or cancelling the contract —
//! how they are read from a request, and how they apply: in the batch that
//! settles the dispute, the contract changes through the paths that exist,
//! an amendment both parties confirmed (C2: a new version with the terms,
//! formed at once) or a cancellation with cause `dispute` (C6); the
//! contract's history and the dispute both record it. Also how a dispute
//! ends at any stage (`close`).

use super::dispute::{bump, DisputeRow, OfferKind, Stage};
use crate::contracts::c6_cancel::{cancellation, ALL_REQUESTS};
use crate::contracts::contract::{
    bump as bump_contract, close_requests, confirmation_insert, version_insert_by, CancelCause,
    ContractRow, ContractState, PartyRequestKind, PartyRequestState, Terms,
};
use crate::contracts::record::ContractRows;
use crate::kernel::audit::audit;
use crate::kernel::engine::{guard_one_change, Env};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::stmt;

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
