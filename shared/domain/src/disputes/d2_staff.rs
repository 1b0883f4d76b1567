//! Rule D2, the staff's side: who handles disputes (a mediator its
//! assigned cases, an owner all), the case and its frozen record as staff
//! read them (each read access-logged for both parties, A3), the
//! mediator's queue, an owner's assignment, and the answer every staff
//! action gives (the case, the notice to the parties).

use super::case::{frozen_place, link};
use super::clocks::OPINION;
use super::dispute::{bump, reads_as, CaseReader, CaseRows, DisputeRow, Stage};
use crate::contracts::record::{reads_for, ContractReads, Reader};
use crate::kernel::audit::audit;
use crate::kernel::engine::{Access, AdminRole, Env, Plan};
use crate::kernel::i18n::{fill, Lang};
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::{read, read_set, row, stmt, use_case};

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

#[derive(Debug, Clone)]
pub struct CaseInput {
    pub contract_id: String,
    pub dispute_id: String,
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
pub(crate) fn frozen(d: &DisputeRow, env: &Env) -> Result<FrozenCase, Problem> {
    let (Some(sealed), Some(hash)) = (&d.frozen_enc, &d.frozen_sha256) else {
        return Err(Problem::not_found());
    };
    let text = env
        .keys
        .open_at(&frozen_place(&d.id), sealed)
        .map_err(|_| Problem::internal())?;
    Ok(FrozenCase {
        dispute_id: d.id.clone(),
        sha256: hash.clone(),
        text,
    })
}

/// What staff read of a dispute: the contract's record (staff's reading)
/// and the dispute's rows as the caller may see them.
pub type StaffReads = (ContractReads, super::dispute::DisputeReads);

pub(crate) fn staff_reads(input: &CaseInput, env: &Env) -> StaffReads {
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
pub(crate) fn in_mediation(
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
pub(crate) fn staff_answer(
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
pub(crate) fn mediator_of(d: &DisputeRow, env: &Env) -> Result<(), Problem> {
    if d.mediator_id.as_deref() == Some(env.caller()) {
        Ok(())
    } else {
        Err(Problem::forbidden("detail.not_the_mediator"))
    }
}
