//! Rule D2, stage 2: the platform's mediation. Once stage 1 failed — the
//! respondent answered and no offer settled it, or its 7 KST days ran out —
//! either party escalates. A mediator is assigned at once (the one with the
//! fewest open cases; an owner may assign another), and the case as it
//! stood is frozen: its canonical JSON sealed with the dispute and its
//! SHA-256 shown to both parties, so each sees exactly what the mediator
//! was given. The mediator may ask a party for material by a day (a
//! clock), and gives an opinion — the facts, the contract clauses it rests
//! on, a proposed outcome and the reasons — due 15 KST days after the
//! escalation (a clock, flagged to both parties and shown to owners when
//! overdue). Offers still open at the escalation lapse (new ones may be
//! made): an acceptance racing the escalation loses, whichever comes first. Each party accepts it or goes on (D3); with both acceptances
//! the outcome applies to the contract as a settlement would (C2, C6).

use super::case::{frozen_place, link, opinion_place, DisputeCase, OpinionText};
use super::clocks::{ANSWER, MATERIAL, OPINION, OPINION_DAYS};
pub use super::d2_staff::CaseInput;
use super::d2_staff::{frozen, in_mediation, mediator_of, staff_answer, staff_reads, StaffReads};
use super::dispute::{
    as_party, bump, case_reads, CaseReads, CaseRows, MaterialRow, OfferKind, Outcome, Stage,
};
use super::settlement::{close, settle, Settlement};
use crate::contracts::contract::{as_party as contract_party, other_party, sha256_hex};
use crate::kernel::audit::audit;
use crate::kernel::clocks::{self, Due, Fired};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::i18n::{fill, Lang};
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::kernel::types::after_kst_days;
use crate::personal_data::place::{DISPUTE_MATERIAL, DISPUTE_OUTCOME_SCOPE};
use crate::{read, read_set, row, stmt, use_case};

row!(
    /// The mediator who would take a new case: the one with the fewest
    /// open ones (then the oldest account).
    pub struct NextMediator {
        pub id: String,
    }
);

read_set!(pub struct PickReads => PickRows { next: Option<NextMediator> });

/// The mediator with the fewest cases in mediation.
fn pick() -> PickReads {
    PickReads {
        next: read!(
            "SELECT a.id FROM admins a WHERE a.role = 'mediator'
             ORDER BY (SELECT COUNT(*) FROM disputes d WHERE d.mediator_id = a.id AND d.stage = 'mediation'), a.created_at, a.id
             LIMIT 1"
        ),
    }
}

/// The frozen case: the canonical JSON of what the parties and the
/// mediator see at escalation, and its SHA-256.
pub fn freeze(case: &DisputeCase) -> (String, String) {
    let text =
        serde_json::to_string(&serde_json::to_value(case).unwrap_or_default()).unwrap_or_default();
    let hash = sha256_hex(&text);
    (text, hash)
}

/// `POST /member/contracts/{id}/disputes/{dispute_id}/escalation`: a
/// party asks for the platform's mediation (D2).
pub struct Escalate;
use_case!(Escalate, "member.dispute_escalate", |_uc| Access::Matching, CaseInput => (CaseReads, PickReads));

impl Escalate {
    fn reads(&self, input: &CaseInput, env: &Env) -> (CaseReads, PickReads) {
        (
            case_reads(&input.dispute_id, &input.contract_id, env),
            pick(),
        )
    }

    fn decide(
        &self,
        _: CaseInput,
        (rows, picked): (<CaseReads as crate::kernel::reads::ReadSet>::Rows, PickRows),
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut rows = CaseRows::from(rows);
        let c = contract_party(rows.contract.contract.clone(), env)?;
        let mut d = as_party(rows.dispute.dispute.clone(), env)?;
        if d.stage != Stage::Negotiation {
            return Err(
                Problem::conflict("detail.dispute_stage").with("stage", serde_json::json!(d.stage))
            );
        }
        let before = rows.case(&d, &c, env)?;
        if !before.can_escalate {
            return Err(Problem::conflict("detail.dispute_not_yet")
                .with("answer_by", serde_json::json!(d.answer_by)));
        }
        let (text, hash) = freeze(&before);
        let now = env.now.to_rfc3339();
        let due = after_kst_days(env.now, OPINION_DAYS);
        let mediator = picked.next.map(|m| m.id);
        let sealed = env.keys.seal_for(env.rng, &frozen_place(&d.id), &text);
        let mut writes = bump(&d).to_vec();
        writes.push(stmt!(
            "UPDATE disputes SET stage = 'mediation', escalated_at = ?, escalated_by = ?, mediator_id = ?,
               assigned_at = ?, assigned_by = ?, frozen_sha256 = ?, frozen_enc = ?, opinion_due = ?
             WHERE id = ? AND stage = 'negotiation'",
            now.as_str(),
            env.caller(),
            mediator.as_deref(),
            mediator.as_ref().map(|_| now.as_str()),
            mediator.as_ref().map(|_| "system"),
            hash.as_str(),
            sealed.as_str(),
            due.to_rfc3339(),
            d.id.as_str()
        ));
        // Offers made in negotiation lapse with it: an acceptance racing
        // the escalation then loses whatever the order (new offers may be
        // made in mediation).
        writes.push(stmt!(
            "UPDATE dispute_offers SET state = 'void', answered_at = ? WHERE dispute_id = ? AND state = 'open'",
            now.as_str(),
            d.id.as_str()
        ));
        for o in &mut rows.dispute.offers {
            if o.state == super::dispute::OfferState::Open {
                o.state = super::dispute::OfferState::Void;
                o.answered_at = Some(now.clone());
            }
        }
        // Stage 1's clock ends here, if still open (unanswered): void.
        writes.push(stmt!(
            "UPDATE clocks SET state = 'void', closed_at = ? WHERE kind = ? AND subject = ? AND state = 'open'",
            now.as_str(),
            ANSWER.name,
            d.id.as_str()
        ));
        writes.push(clocks::open(
            env,
            &Due {
                kind: &OPINION,
                subject: &d.id,
                record: format!("dispute/{}/{}", d.contract_id, d.id),
                actor: mediator.as_deref().unwrap_or("unassigned"),
                party: Some(env.caller()),
                last_day: clocks::last_day(due),
            },
        ));
        writes.push(stmt!(
            "INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES (?, ?, ?, 'dispute.escalated', ?)",
            c.id.as_str(),
            now.as_str(),
            env.caller(),
            format!("{} {hash}", d.id)
        ));
        writes.push(audit(env, env.caller(), "dispute.escalated", &c.id, &d.id));
        d.stage = Stage::Mediation;
        d.escalated_at = Some(now.clone());
        d.escalated_by = Some(env.caller().to_owned());
        d.assigned_at = mediator.as_ref().map(|_| now.clone());
        d.assigned_by = mediator.as_ref().map(|_| "system".to_owned());
        d.mediator_id = mediator;
        d.frozen_sha256 = Some(hash);
        d.frozen_enc = Some(sealed);
        d.opinion_due = Some(due.to_rfc3339());
        d.version += 1;
        // Offers stay open: the parties may still settle.
        Ok(rows
            .answer(200, &d, &c, writes, "notice.dispute.escalated", false, env)?
            .conflict_means(Problem::conflict("detail.dispute_changed")))
    }
}

/// `GET /member/contracts/{id}/disputes/{dispute_id}/frozen`: what the
/// mediator was given, to both parties.
pub struct ViewFrozen;
use_case!(ViewFrozen, "member.dispute_frozen", |_uc| Access::Matching, CaseInput => super::dispute::DisputeReads);

impl ViewFrozen {
    fn reads(&self, input: &CaseInput, env: &Env) -> super::dispute::DisputeReads {
        super::dispute::dispute_reads(&input.dispute_id, &input.contract_id, env)
    }

    fn decide(
        &self,
        _: CaseInput,
        rows: super::dispute::DisputeRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let d = as_party(rows.dispute, env)?;
        Ok(Plan::ok(200, frozen(&d, env)?, vec![]))
    }
}

#[derive(Debug, Clone)]
pub struct MaterialInput {
    pub case: CaseInput,
    /// `client` or `partner`
    pub party: super::dispute::AuthorRole,
    pub what: String,
    pub due_date: chrono::NaiveDate,
}

/// `POST /admin/contracts/{id}/disputes/{dispute_id}/material`: the
/// mediator asks a party for material by a day (D2).
pub struct RequestMaterial;
use_case!(RequestMaterial, "admin.dispute_material", |_uc| Access::Admin(&[AdminRole::Mediator]), MaterialInput => StaffReads);

impl RequestMaterial {
    fn reads(&self, input: &MaterialInput, env: &Env) -> StaffReads {
        staff_reads(&input.case, env)
    }

    fn decide(
        &self,
        input: MaterialInput,
        rows: <StaffReads as crate::kernel::reads::ReadSet>::Rows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut rows = CaseRows::from(rows);
        let (mut d, c) = in_mediation(&rows)?;
        mediator_of(&d, env)?;
        if input.due_date < crate::kernel::types::kst_date(env.now) {
            return Err(Problem::field("due_date", "field.date_past"));
        }
        let to = match input.party {
            super::dispute::AuthorRole::Client => d.client_id.clone(),
            _ => d.partner_id.clone(),
        };
        let id = new_id(env.rng, "mat");
        let now = env.now.to_rfc3339();
        let due = clocks::due_at(input.due_date);
        let what = SealedText::seal(env, DISPUTE_MATERIAL, &id, &input.what);
        let mut writes = bump(&d).to_vec();
        writes.push(stmt!(
            "INSERT INTO dispute_material_requests (id, dispute_id, to_id, what, due_by, requested_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            id.as_str(),
            d.id.as_str(),
            to.as_str(),
            &what,
            due.to_rfc3339(),
            env.caller(),
            now.as_str()
        ));
        writes.push(clocks::open(
            env,
            &Due {
                kind: &MATERIAL,
                subject: &id,
                record: format!("dispute/{}/{}", d.contract_id, d.id),
                actor: &to,
                party: None,
                last_day: input.due_date,
            },
        ));
        writes.push(audit(
            env,
            env.caller(),
            "dispute.material_requested",
            &d.id,
            &id,
        ));
        rows.dispute.material.push(MaterialRow {
            id,
            to_id: to.clone(),
            what,
            due_by: due.to_rfc3339(),
            requested_by: env.caller().to_owned(),
            created_at: now,
            answered_at: None,
            flagged_at: None,
        });
        d.version += 1;
        staff_answer(
            &rows,
            &d,
            &c,
            writes,
            "notice.dispute.material",
            &[to.as_str()],
            env,
        )
    }
}

#[derive(Debug, Clone)]
pub struct OpinionInput {
    pub case: CaseInput,
    pub text: OpinionText,
    /// the proposed outcome: terms, or `None` (the contract stands)
    pub outcome: Option<Settlement>,
}

/// `POST /admin/contracts/{id}/disputes/{dispute_id}/opinion`: the
/// mediator's opinion, once (D2).
pub struct GiveOpinion;
use_case!(GiveOpinion, "admin.dispute_opinion", |_uc| Access::Admin(&[AdminRole::Mediator]), OpinionInput => StaffReads);

impl GiveOpinion {
    fn reads(&self, input: &OpinionInput, env: &Env) -> StaffReads {
        staff_reads(&input.case, env)
    }

    fn decide(
        &self,
        input: OpinionInput,
        rows: <StaffReads as crate::kernel::reads::ReadSet>::Rows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let rows = CaseRows::from(rows);
        let (mut d, c) = in_mediation(&rows)?;
        mediator_of(&d, env)?;
        if d.opinion_at.is_some() {
            return Err(Problem::conflict("detail.already_decided"));
        }
        if let Some(s) = &input.outcome {
            s.applies_to(&c, env)?;
        }
        let now = env.now.to_rfc3339();
        let text = serde_json::to_string(&input.text).unwrap_or_default();
        let sealed = env.keys.seal_for(env.rng, &opinion_place(&d.id), &text);
        let o = input.outcome.as_ref();
        let kind = match o.map(|s| s.kind) {
            None => Outcome::None,
            Some(OfferKind::Amount) => Outcome::Amount,
            Some(OfferKind::Redo) => Outcome::Redo,
            Some(OfferKind::DueDate) => Outcome::DueDate,
            Some(OfferKind::Cancel) => Outcome::Cancel,
        };
        let scope = o
            .and_then(|s| s.scope.as_deref())
            .map(|s| SealedText::seal(env, DISPUTE_OUTCOME_SCOPE, &d.id, s));
        let mut writes = bump(&d).to_vec();
        writes.push(stmt!(
            "UPDATE disputes SET opinion_enc = ?, opinion_at = ?, opinion_by = ?, outcome_kind = ?, outcome_amount_krw = ?,
               outcome_due_date = ?, outcome_scope = ? WHERE id = ? AND opinion_at IS NULL",
            sealed.as_str(),
            now.as_str(),
            env.caller(),
            kind,
            o.and_then(|s| s.amount_krw),
            o.and_then(|s| s.due_date).map(|d| d.to_string()),
            scope.as_ref(),
            d.id.as_str()
        ));
        writes.push(guard_one_change());
        writes.push(clocks::meet(env, &OPINION, &d.id));
        writes.push(stmt!(
            "INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES (?, ?, ?, 'dispute.opinion', ?)",
            c.id.as_str(),
            now.as_str(),
            env.caller(),
            format!("{} {}", d.id, kind.as_str())
        ));
        writes.push(audit(env, env.caller(), "dispute.opinion", &c.id, &d.id));
        d.opinion_enc = Some(sealed);
        d.opinion_at = Some(now);
        d.opinion_by = Some(env.caller().to_owned());
        d.outcome_kind = Some(kind);
        d.outcome_amount_krw = o.and_then(|s| s.amount_krw);
        d.outcome_due_date = o.and_then(|s| s.due_date).map(|d| d.to_string());
        d.outcome_scope = scope;
        d.version += 1;
        let (client, partner) = (d.client_id.clone(), d.partner_id.clone());
        staff_answer(
            &rows,
            &d,
            &c,
            writes,
            "notice.dispute.opinion",
            &[client.as_str(), partner.as_str()],
            env,
        )
    }
}

/// `POST /member/contracts/{id}/disputes/{dispute_id}/opinion`: a party
/// accepts the mediator's opinion; with both acceptances its outcome
/// applies and the dispute is settled (D2).
pub struct AcceptOpinion;
use_case!(AcceptOpinion, "member.dispute_accept_opinion", |_uc| Access::Matching, CaseInput => CaseReads);

impl AcceptOpinion {
    fn reads(&self, input: &CaseInput, env: &Env) -> CaseReads {
        case_reads(&input.dispute_id, &input.contract_id, env)
    }

    fn decide(
        &self,
        _: CaseInput,
        rows: <CaseReads as crate::kernel::reads::ReadSet>::Rows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut rows = CaseRows::from(rows);
        let mut c = contract_party(rows.contract.contract.clone(), env)?;
        let mut d = as_party(rows.dispute.dispute.clone(), env)?;
        if d.stage != Stage::Mediation || d.opinion_at.is_none() {
            return Err(Problem::conflict("detail.no_opinion"));
        }
        let client = env.caller() == d.client_id;
        let (mine, theirs) = if client {
            (&d.client_accepted_at, &d.partner_accepted_at)
        } else {
            (&d.partner_accepted_at, &d.client_accepted_at)
        };
        if mine.is_some() {
            return Err(Problem::conflict("detail.already_decided"));
        }
        let both = theirs.is_some();
        let now = env.now.to_rfc3339();
        let mut writes = Vec::new();
        if both {
            let outcome = d.outcome_kind.unwrap_or(Outcome::None);
            let how = format!("opinion {}", d.opinion_by.clone().unwrap_or_default());
            if outcome == Outcome::None {
                writes.extend(close(&mut d, Stage::Settled, &now, env));
            } else {
                let kind = match outcome {
                    Outcome::Amount => OfferKind::Amount,
                    Outcome::Redo => OfferKind::Redo,
                    Outcome::DueDate => OfferKind::DueDate,
                    _ => OfferKind::Cancel,
                };
                let s = Settlement {
                    kind,
                    amount_krw: d.outcome_amount_krw,
                    due_date: d.outcome_due_date.as_deref().and_then(|x| x.parse().ok()),
                    scope: crate::kernel::sealed::open_opt(
                        &d.outcome_scope,
                        env.keys,
                        DISPUTE_OUTCOME_SCOPE,
                        &d.id,
                    )?,
                };
                // The terms are the opinion's; the other party, who
                // accepted first, confirms them with the caller.
                let other = other_party(&c, env.caller()).to_owned();
                let (w, _) = settle(&s, &other, &mut c, &mut rows.contract, &mut d, &how, env)?;
                writes.extend(w);
            }
        } else {
            writes.extend(bump(&d));
            d.version += 1;
        }
        writes.push(stmt!(
            "UPDATE disputes SET client_accepted_at = CASE WHEN ? THEN ? ELSE client_accepted_at END,
               partner_accepted_at = CASE WHEN ? THEN partner_accepted_at ELSE ? END WHERE id = ?",
            client,
            now.as_str(),
            client,
            now.as_str(),
            d.id.as_str()
        ));
        if client {
            d.client_accepted_at = Some(now);
        } else {
            d.partner_accepted_at = Some(now);
        }
        let what = if both {
            "notice.dispute.opinion_settled"
        } else {
            "notice.dispute.opinion_accepted"
        };
        Ok(rows
            .answer(200, &d, &c, writes, what, false, env)?
            .conflict_means(Problem::conflict("detail.dispute_changed")))
    }
}

row!(
    pub struct OverdueOpinion {
        pub clock_id: String,
        pub id: String,
        pub contract_id: String,
        pub client_id: String,
        pub partner_id: String,
        pub client_email: Option<String>,
        pub partner_email: Option<String>,
    }
);

row!(
    pub struct OverdueMaterial {
        pub clock_id: String,
        pub id: String,
        pub dispute_id: String,
        pub contract_id: String,
        pub to_id: String,
        pub to_email: Option<String>,
    }
);

row!(
    pub struct OverdueObjection {
        pub clock_id: String,
        pub id: String,
    }
);

read_set!(pub struct MediationDueReads => MediationDueRows {
    opinions: Vec<OverdueOpinion>,
    material: Vec<OverdueMaterial>,
    objections: Vec<OverdueObjection>,
});

/// Each kind's share of a run (its three kinds at 7 statements at most).
const MEDIATION_PER_RUN: usize = crate::kernel::sweep::items(FlagMediation::BUDGET, 7) / 3;

/// The sweep step (D2): an opinion past its 15 KST days is flagged once,
/// on the case and the contract's history, to both parties by e-mail (and
/// on the owners' and mediators' open deadlines); material past its day is
/// flagged to the party asked; an objection to the platform's handling
/// unanswered past its 15 KST days (D4) is flagged on the owners' deadlines.
pub struct FlagMediation {
    /// Moves this step's clock (local development's tests only; 0 elsewhere).
    pub clock_offset_secs: i64,
}

impl Step for FlagMediation {
    type Reads = MediationDueReads;
    const NAME: &'static str = "dispute_mediation_overdue";
    /// An opinion: the clock fired (2), the flag, history, audit and two
    /// e-mails (7); material: 5 of those; an objection 3. 3 of each a run.
    const BUDGET: usize = 63;

    fn reads(&self, env: &Env) -> MediationDueReads {
        let now = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        MediationDueReads {
            opinions: read!(
                concat!(
                    "SELECT k.id AS clock_id, d.id, d.contract_id, d.client_id, d.partner_id,
                       cm.email_enc AS client_email, pm.email_enc AS partner_email
                     FROM clocks k JOIN disputes d ON d.id = k.subject
                       LEFT JOIN members cm ON cm.id = d.client_id LEFT JOIN members pm ON pm.id = d.partner_id WHERE ",
                    crate::clocks_due!()
                ),
                OPINION.name,
                now.to_rfc3339(),
                MEDIATION_PER_RUN as i64
            ),
            material: read!(
                concat!(
                    "SELECT k.id AS clock_id, r.id, r.dispute_id, d.contract_id, r.to_id, m.email_enc AS to_email
                     FROM clocks k JOIN dispute_material_requests r ON r.id = k.subject JOIN disputes d ON d.id = r.dispute_id
                       LEFT JOIN members m ON m.id = r.to_id WHERE ",
                    crate::clocks_due!()
                ),
                MATERIAL.name,
                now.to_rfc3339(),
                MEDIATION_PER_RUN as i64
            ),
            objections: read!(
                concat!(
                    "SELECT k.id AS clock_id, o.id FROM clocks k JOIN platform_objections o ON o.id = k.subject WHERE ",
                    crate::clocks_due!()
                ),
                super::d4_d5_platform::OBJECTION.name,
                now.to_rfc3339(),
                MEDIATION_PER_RUN as i64
            ),
        }
    }

    fn plan(&self, rows: MediationDueRows, env: &Env) -> StepOutcome {
        let mut out = StepOutcome {
            more: rows.opinions.len() == MEDIATION_PER_RUN
                || rows.material.len() == MEDIATION_PER_RUN
                || rows.objections.len() == MEDIATION_PER_RUN,
            ..StepOutcome::default()
        };
        let when = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        let now = when.to_rfc3339();
        let mail = |out: &mut StepOutcome, member: &str, sealed: &Option<String>, text: &str| {
            let to = Contact {
                member_id: member,
                email_enc: sealed.as_deref(),
                phone_enc: None,
            };
            let (n, e) = to_member(env, to, "dispute_overdue", text, false);
            out.writes.extend(n);
            out.effects.extend(e);
        };
        for d in &rows.opinions {
            out.count += 1;
            out.writes
                .extend(clocks::fire(&d.clock_id, when, Fired::Flags));
            out.writes.push(stmt!(
                "UPDATE disputes SET opinion_flagged_at = ? WHERE id = ? AND opinion_flagged_at IS NULL",
                now.as_str(),
                d.id.as_str()
            ));
            out.writes.push(stmt!(
                "INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES (?, ?, 'system', 'dispute.opinion_overdue', ?)",
                d.contract_id.as_str(),
                now.as_str(),
                d.id.as_str()
            ));
            out.writes.push(audit(
                env,
                "system",
                "dispute.opinion_overdue",
                &d.contract_id,
                &d.id,
            ));
            let text = fill(
                "notice.dispute.opinion_overdue",
                Lang::Ko,
                &[("link", &link(env, &d.contract_id, &d.id))],
            );
            mail(&mut out, &d.client_id, &d.client_email, &text);
            mail(&mut out, &d.partner_id, &d.partner_email, &text);
        }
        for m in &rows.material {
            out.count += 1;
            out.writes
                .extend(clocks::fire(&m.clock_id, when, Fired::Flags));
            out.writes.push(stmt!(
                "UPDATE dispute_material_requests SET flagged_at = ? WHERE id = ? AND flagged_at IS NULL",
                now.as_str(),
                m.id.as_str()
            ));
            out.writes.push(audit(
                env,
                "system",
                "dispute.material_overdue",
                &m.dispute_id,
                &m.id,
            ));
            let text = fill(
                "notice.dispute.material_overdue",
                Lang::Ko,
                &[("link", &link(env, &m.contract_id, &m.dispute_id))],
            );
            mail(&mut out, &m.to_id, &m.to_email, &text);
        }
        for o in &rows.objections {
            out.count += 1;
            out.writes
                .extend(clocks::fire(&o.clock_id, when, Fired::Flags));
            out.writes.push(stmt!(
                "UPDATE platform_objections SET flagged_at = ? WHERE id = ? AND flagged_at IS NULL",
                now.as_str(),
                o.id.as_str()
            ));
        }
        out
    }
}
