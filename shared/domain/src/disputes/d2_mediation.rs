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

use super::d1_negotiation::ANSWER;
use super::d1_offers::{close, settle, Settlement};
use super::dispute::{
    as_party, bump, case_reads, link, opinion_place, reads_as, CaseReader, CaseReads, CaseRows,
    DisputeRow, MaterialRow, OfferKind, OpinionText, Outcome, Stage,
};
use crate::contracts::contract::{as_party as contract_party, other_party, sha256_hex};
use crate::contracts::record::{reads_for, ContractReads, Reader};
use crate::kernel::audit::audit;
use crate::kernel::clocks::{self, Due, Fired, Kind};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::i18n::{fill, Lang};
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::kernel::types::after_kst_days;
use crate::personal_data::place::{DISPUTE_MATERIAL, DISPUTE_OUTCOME_SCOPE};
use crate::{read, read_set, row, stmt, use_case};

/// KST calendar days the mediator has for the opinion (D2, seed 000 §9).
pub const OPINION_DAYS: u64 = 15;

/// The mediator's opinion, a clock: the mediator acts, the party who
/// escalated waits; owners see it (every kind); flagged when overdue.
pub const OPINION: Kind = Kind {
    name: "dispute_opinion",
    watchers: &[AdminRole::Mediator],
};

/// Material a mediator asked a party for, a clock: the party acts.
pub const MATERIAL: Kind = Kind {
    name: "dispute_material",
    watchers: &[AdminRole::Mediator],
};

/// Who handles disputes: mediators (their assigned cases) and owners.
pub const DISPUTE_STAFF: &[AdminRole] = &[AdminRole::Mediator, AdminRole::Owner];

/// The reader a staff caller is: an owner reads any dispute, a mediator
/// only those assigned to it.
pub fn staff_reader<'a>(env: &'a Env) -> CaseReader<'a> {
    match env.who.as_ref().and_then(|w| w.role) {
        Some(AdminRole::Owner) => CaseReader::Owner,
        _ => CaseReader::Mediator(env.caller()),
    }
}

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
pub fn freeze(case: &super::dispute::DisputeCase) -> (String, String) {
    let text =
        serde_json::to_string(&serde_json::to_value(case).unwrap_or_default()).unwrap_or_default();
    let hash = sha256_hex(&text);
    (text, hash)
}

#[derive(Debug, Clone)]
pub struct CaseInput {
    pub contract_id: String,
    pub dispute_id: String,
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
        let sealed = env
            .keys
            .seal_for(env.rng, &super::dispute::frozen_place(&d.id), &text);
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

crate::reply!(
    /// The case as it stood when it was escalated (D2): the exact text the
    /// mediator was given and its SHA-256 (compute it over `text` to check).
    @personal pub struct FrozenCase {
        pub dispute_id: String,
        pub sha256: String,
        /// the case's JSON as frozen, byte for byte
        pub text: String,
    }
);

/// The frozen case of `d`.
fn frozen(d: &DisputeRow, env: &Env) -> Result<FrozenCase, Problem> {
    let (Some(sealed), Some(hash)) = (&d.frozen_enc, &d.frozen_sha256) else {
        return Err(Problem::not_found());
    };
    let text = env
        .keys
        .open_at(&super::dispute::frozen_place(&d.id), sealed)
        .map_err(|_| Problem::internal())?;
    Ok(FrozenCase {
        dispute_id: d.id.clone(),
        sha256: hash.clone(),
        text,
    })
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

/// What staff read of a dispute: the contract's record (staff's reading)
/// and the dispute's rows as the caller may see them.
pub type StaffReads = (ContractReads, super::dispute::DisputeReads);

fn staff_reads(input: &CaseInput, env: &Env) -> StaffReads {
    (
        reads_for(&input.contract_id, Reader::Staff),
        reads_as(&input.dispute_id, &input.contract_id, staff_reader(env)),
    )
}

/// `GET /admin/contracts/{id}/disputes/{dispute_id}`: the case for its
/// mediator or an owner; the read of the parties' words is logged for both
/// (A3). A mediator not assigned to it gets 404.
pub struct StaffCase;
use_case!(StaffCase, "admin.dispute", |_uc| Access::Admin(DISPUTE_STAFF), CaseInput => StaffReads);

impl StaffCase {
    fn reads(&self, input: &CaseInput, env: &Env) -> StaffReads {
        staff_reads(input, env)
    }

    fn decide(
        &self,
        _: CaseInput,
        rows: <StaffReads as crate::kernel::reads::ReadSet>::Rows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let rows = CaseRows::from(rows);
        let d = rows
            .dispute
            .dispute
            .clone()
            .ok_or_else(Problem::not_found)?;
        let c = rows
            .contract
            .contract
            .clone()
            .ok_or_else(Problem::not_found)?;
        Ok(Plan::ok(200, rows.case(&d, &c, env)?, vec![])
            .touches(&d.client_id, "dispute.read_case")
            .touches(&d.partner_id, "dispute.read_case"))
    }
}

/// `GET /admin/contracts/{id}/disputes/{dispute_id}/frozen`: what the
/// mediator was given (logged for both parties).
pub struct StaffFrozen;
use_case!(StaffFrozen, "admin.dispute_frozen", |_uc| Access::Admin(DISPUTE_STAFF), CaseInput => super::dispute::DisputeReads);

impl StaffFrozen {
    fn reads(&self, input: &CaseInput, env: &Env) -> super::dispute::DisputeReads {
        reads_as(&input.dispute_id, &input.contract_id, staff_reader(env))
    }

    fn decide(
        &self,
        _: CaseInput,
        rows: super::dispute::DisputeRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let d = rows.dispute.ok_or_else(Problem::not_found)?;
        Ok(Plan::ok(200, frozen(&d, env)?, vec![])
            .touches(&d.client_id, "dispute.read_frozen")
            .touches(&d.partner_id, "dispute.read_frozen"))
    }
}

row!(
    pub struct StaffListRow {
        pub id: String,
        pub contract_id: String,
        pub client_company: Option<String>,
        pub partner_company: Option<String>,
        pub stage: Stage,
        pub mediator_id: Option<String>,
        pub escalated_at: Option<String>,
        pub opinion_due: Option<String>,
        pub opinion_at: Option<String>,
        pub opinion_flagged_at: Option<String>,
        pub created_at: String,
    }
);

read_set!(pub struct StaffListReads => StaffListRows { disputes: Vec<StaffListRow> });

crate::reply!(
    /// Disputes in mediation: a mediator's own cases, or for owners every
    /// case in mediation (unassigned first), opinion due first.
    pub struct StaffDisputes {
        pub disputes: Vec<StaffDispute>,
    }
    pub struct StaffDispute {
        pub dispute_id: String,
        pub contract_id: String,
        pub client_company: Option<String>,
        pub partner_company: Option<String>,
        pub stage: Stage,
        pub mediator_id: Option<String>,
        pub escalated_at: Option<String>,
        /// the end of the 15th KST day after the escalation (D2)
        pub opinion_due: Option<String>,
        pub opinion_at: Option<String>,
        pub opinion_flagged_at: Option<String>,
        pub created_at: String,
    }
);

/// `GET /admin/disputes`: the mediator's queue (owners: every case in
/// mediation).
pub struct StaffQueue;
use_case!(StaffQueue, "admin.disputes", |_uc| Access::Admin(DISPUTE_STAFF), () => StaffListReads);

impl StaffQueue {
    fn reads(&self, _: &(), env: &Env) -> StaffListReads {
        let me = match staff_reader(env) {
            CaseReader::Owner => "",
            _ => env.caller(),
        };
        StaffListReads {
            disputes: read!(
                "SELECT d.id, d.contract_id, cm.company_name AS client_company, pm.company_name AS partner_company, d.stage,
                        d.mediator_id, d.escalated_at, d.opinion_due, d.opinion_at, d.opinion_flagged_at, d.created_at
                 FROM disputes d LEFT JOIN members cm ON cm.id = d.client_id LEFT JOIN members pm ON pm.id = d.partner_id
                 WHERE d.stage = 'mediation' AND (?1 = '' OR d.mediator_id = ?1)
                 ORDER BY d.mediator_id IS NOT NULL, d.opinion_due, d.id LIMIT 200",
                me
            ),
        }
    }

    fn decide(&self, _: (), rows: StaffListRows, _: &Env) -> Result<Plan, Problem> {
        let disputes = rows
            .disputes
            .into_iter()
            .map(|d| StaffDispute {
                dispute_id: d.id,
                contract_id: d.contract_id,
                client_company: d.client_company,
                partner_company: d.partner_company,
                stage: d.stage,
                mediator_id: d.mediator_id,
                escalated_at: d.escalated_at,
                opinion_due: d.opinion_due,
                opinion_at: d.opinion_at,
                opinion_flagged_at: d.opinion_flagged_at,
                created_at: d.created_at,
            })
            .collect();
        Ok(Plan::ok(200, StaffDisputes { disputes }, vec![]))
    }
}

/// The dispute, in mediation, for staff who may act on it.
fn in_mediation(
    rows: &CaseRows,
) -> Result<(DisputeRow, crate::contracts::contract::ContractRow), Problem> {
    let d = rows
        .dispute
        .dispute
        .clone()
        .ok_or_else(Problem::not_found)?;
    let c = rows
        .contract
        .contract
        .clone()
        .ok_or_else(Problem::not_found)?;
    if d.stage != Stage::Mediation {
        return Err(
            Problem::conflict("detail.dispute_stage").with("stage", serde_json::json!(d.stage))
        );
    }
    Ok((d, c))
}

/// The staff's answer: the case after the change, the change's writes and
/// the notice `what` to the parties `to` (logged as a use of both parties'
/// data, A3).
fn staff_answer(
    rows: &CaseRows,
    d: &DisputeRow,
    c: &crate::contracts::contract::ContractRow,
    mut writes: Vec<Stmt>,
    what: &str,
    to: &[&str],
    env: &Env,
) -> Result<Plan, Problem> {
    let case = rows.case(d, c, env)?;
    let mut effects = Vec::new();
    if let Some(p) = rows.contract.location.as_ref() {
        let text = fill(
            "notice.dispute.staff",
            Lang::Ko,
            &[
                ("title", &case.title),
                ("what", crate::kernel::i18n::msg(what, Lang::Ko)),
                ("link", &link(env, &d.contract_id, &d.id)),
            ],
        );
        for member in to {
            let (email, phone) = if *member == d.client_id {
                (p.client_email.as_deref(), p.client_phone.as_deref())
            } else {
                (p.partner_email.as_deref(), p.partner_phone.as_deref())
            };
            let contact = Contact {
                member_id: member,
                email_enc: email,
                phone_enc: phone,
            };
            let (n, e) = to_member(env, contact, "dispute", &text, false);
            writes.extend(n);
            effects.extend(e);
        }
    }
    Ok(Plan::ok(200, case, writes)
        .effects(effects)
        .touches(&d.client_id, "dispute.mediate")
        .touches(&d.partner_id, "dispute.mediate")
        .conflict_means(Problem::conflict("detail.dispute_changed")))
}

#[derive(Debug, Clone)]
pub struct AssignInput {
    pub case: CaseInput,
    pub mediator_id: String,
}

row!(
    pub struct MediatorRow {
        pub id: String,
    }
);

read_set!(pub struct MediatorReads => MediatorRows { mediator: Option<MediatorRow> });

/// `PUT /admin/contracts/{id}/disputes/{dispute_id}/mediator`: an owner
/// assigns the case to a mediator (D2).
pub struct AssignMediator;
use_case!(AssignMediator, "admin.dispute_assign", |_uc| Access::Admin(&[AdminRole::Owner]), AssignInput => (StaffReads, MediatorReads));

impl AssignMediator {
    fn reads(&self, input: &AssignInput, env: &Env) -> (StaffReads, MediatorReads) {
        (
            staff_reads(&input.case, env),
            MediatorReads {
                mediator: read!(
                    "SELECT id FROM admins WHERE id = ? AND role = 'mediator'",
                    input.mediator_id.as_str()
                ),
            },
        )
    }

    fn decide(
        &self,
        _: AssignInput,
        (rows, m): (
            <StaffReads as crate::kernel::reads::ReadSet>::Rows,
            MediatorRows,
        ),
        env: &Env,
    ) -> Result<Plan, Problem> {
        let rows = CaseRows::from(rows);
        let (mut d, c) = in_mediation(&rows)?;
        let m = m
            .mediator
            .ok_or_else(|| Problem::field("mediator_id", "field.not_a_mediator"))?;
        let now = env.now.to_rfc3339();
        let mut writes = bump(&d).to_vec();
        writes.push(stmt!(
            "UPDATE disputes SET mediator_id = ?, assigned_at = ?, assigned_by = ? WHERE id = ?",
            m.id.as_str(),
            now.as_str(),
            env.caller(),
            d.id.as_str()
        ));
        writes.push(stmt!(
            "UPDATE clocks SET actor = ? WHERE kind = ? AND subject = ? AND state = 'open'",
            m.id.as_str(),
            OPINION.name,
            d.id.as_str()
        ));
        writes.push(audit(env, env.caller(), "dispute.assigned", &d.id, &m.id));
        d.mediator_id = Some(m.id);
        d.assigned_at = Some(now);
        d.assigned_by = Some(env.caller().to_owned());
        d.version += 1;
        staff_answer(&rows, &d, &c, writes, "notice.dispute.assigned", &[], env)
    }
}

/// Whether the caller may act as the case's mediator: its assigned
/// mediator (an owner reads it, but a mediator writes the opinion).
fn mediator_of(d: &DisputeRow, env: &Env) -> Result<(), Problem> {
    if d.mediator_id.as_deref() == Some(env.caller()) {
        Ok(())
    } else {
        Err(Problem::forbidden("detail.not_the_mediator"))
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

/// The statements that answer the caller's open material requests on
/// dispute `d` (its message or file after them), in the rows too.
pub(crate) fn answers_material(
    rows: &mut super::dispute::DisputeRows,
    d: &DisputeRow,
    env: &Env,
) -> Vec<Stmt> {
    let now = env.now.to_rfc3339();
    let mut writes = Vec::new();
    for m in &mut rows.material {
        if m.to_id == env.caller() && m.answered_at.is_none() {
            m.answered_at = Some(now.clone());
            writes.push(stmt!(
                "UPDATE dispute_material_requests SET answered_at = ? WHERE id = ? AND answered_at IS NULL",
                now.as_str(),
                m.id.as_str()
            ));
            writes.push(clocks::meet(env, &MATERIAL, &m.id));
        }
    }
    let _ = d;
    writes
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
