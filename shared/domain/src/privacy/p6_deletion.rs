//! Rules P6 and R3: a deletion request (삭제) is planned, then executed in
//! one atomic batch, and what a law keeps goes to separated storage.
//!
//! The plan (`GET /admin/privacy-requests/{id}/deletion-plan`) says, for
//! each holding of the requester, what is erased now, what moves to
//! separated storage under which law until which KST day, what stays where
//! it is (a contract is the other party's record too) until when, and what
//! blocks the deletion: a contract still open (a dispute or an invoice
//! will block it the same way once they exist). Executing it
//! (`POST …/erase`) closes the account (P9: the login ID retired for good),
//! erases what only membership needed (the destruction run's own erasure,
//! for this member now), moves the contact details kept to prevent fraud
//! and the consent records into `separated_records` (sealed, with the
//! class and the last day kept; the daily run destroys them the day
//! after), and answers the case: partly refused, the reason listing what
//! was kept and the law each rests on (never empty), told to the requester.
//! While something blocks it nothing is written (409, the blocking named).
//!
//! Separated storage itself (its rows and who reads them, R3) is
//! `r3_separated.rs`.

use super::p1_requests::{CaseRow, CaseState, RightsCase, RightsKind, DESK, PRIVACY_REQUEST};
use super::r2_destruction::TASKS;
use crate::kernel::clocks;
use crate::kernel::crypto::at;
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::{fill, msg};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::kernel::types::{kst_date, parse_instant};
use crate::personal_data::place::{PRIVACY_ANSWER, PRIVACY_LEGAL_BASIS};
use crate::personal_data::RecordClass;
use crate::signup::member::MemberRow;
use crate::{read, read_set, row, stmt, use_case};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde_json::{json, Value as Json};

row!(
    /// A retention schedule row with its law.
    pub struct BasisRow {
        pub class: String,
        pub months: Option<i64>,
        pub basis_ko: String,
        pub basis_en: String,
    }
);

row!(
    /// A consent record, to move.
    pub struct ConsentRow {
        pub id: String,
        pub document_kind: String,
        pub document_version: String,
        pub accepted: i64,
        pub at: String,
        pub ip_enc: Option<String>,
    }
);

row!(
    /// How many, and the latest instant a period runs from.
    pub struct Counted {
        pub n: i64,
        pub last: Option<String>,
    }
);

read_set!(pub struct PlanReads => PlanRows {
    case: Option<CaseRow>,
    member: Option<MemberRow>,
    consents: Vec<ConsentRow>,
    open_contracts: Option<Counted>,
    open_disputes: Option<Counted>,
    contracts: Option<Counted>,
    work_requests: Option<Counted>,
    cases: Option<Counted>,
    reports: Option<Counted>,
    documents: Option<Counted>,
    sites: Option<Counted>,
    access: Option<Counted>,
    schedule: Vec<BasisRow>,
});

fn plan_reads(id: &str) -> PlanReads {
    macro_rules! whose {
        () => {
            "(SELECT member_id FROM privacy_requests WHERE id = ?1)"
        };
    }
    PlanReads {
        case: read!(
            concat!("SELECT ", crate::privacy_case_columns!(), " FROM privacy_requests WHERE id = ?"),
            id
        ),
        member: read!(concat!("SELECT * FROM members WHERE id = ", whose!()), id),
        consents: read!(
            concat!(
                "SELECT id, document_kind, document_version, accepted, at, ip_enc FROM consents WHERE member_id = ",
                whose!(),
                " ORDER BY at, id"
            ),
            id
        ),
        open_contracts: read!(
            concat!(
                "SELECT COUNT(*) AS n, NULL AS last FROM contracts WHERE state IN ('draft', 'in_progress', 'completed')
                   AND (client_id = ",
                whose!(),
                " OR partner_id = ",
                whose!(),
                ")"
            ),
            id
        ),
        // A dispute still being handled blocks the deletion as an open
        // contract does (its record must be kept, D7).
        open_disputes: read!(
            concat!(
                "SELECT COUNT(*) AS n, NULL AS last FROM disputes WHERE stage IN ('negotiation', 'mediation')
                   AND (client_id = ",
                whose!(),
                " OR partner_id = ",
                whose!(),
                ")"
            ),
            id
        ),
        contracts: read!(
            concat!(
                "SELECT COUNT(*) AS n, MAX(COALESCE(accepted_at, cancelled_at)) AS last FROM contracts
                  WHERE state IN ('accepted', 'cancelled') AND (client_id = ",
                whose!(),
                " OR partner_id = ",
                whose!(),
                ")"
            ),
            id
        ),
        work_requests: read!(
            concat!(
                "SELECT COUNT(*) AS n, MAX(created_at) AS last FROM work_requests WHERE client_id = ",
                whose!()
            ),
            id
        ),
        cases: read!(
            concat!(
                "SELECT COUNT(*) AS n, MAX(answered_at) AS last FROM privacy_requests WHERE id <> ?1 AND member_id = ",
                whose!()
            ),
            id
        ),
        reports: read!(
            concat!(
                "SELECT COUNT(*) AS n, MAX(COALESCE(decided_at, created_at)) AS last FROM direct_deal_reports WHERE reporter_id = ",
                whose!()
            ),
            id
        ),
        documents: read!(
            concat!("SELECT COUNT(*) AS n, NULL AS last FROM documents WHERE member_id = ", whose!()),
            id
        ),
        sites: read!(
            concat!("SELECT COUNT(*) AS n, NULL AS last FROM sites WHERE member_id = ", whose!()),
            id
        ),
        access: read!(
            concat!("SELECT COUNT(*) AS n, MAX(at) AS last FROM access_log WHERE subject = ", whose!()),
            id
        ),
        schedule: read!("SELECT class, months, basis_ko, basis_en FROM retention_schedule ORDER BY class"),
    }
}

crate::text_enum!(
    /// What a deletion does to a holding.
    pub enum Action {
        /// erased in the deletion's own batch
        EraseNow = "erase_now",
        /// erased by the daily destruction run within a day (files in the
        /// blob store: the run deletes them before their rows)
        EraseByRun = "erase_by_run",
        /// moved to separated storage until its last day (R3)
        Separate = "separate",
        /// kept where it is until its last day: a record the other party
        /// or the law relies on
        Keep = "keep",
        /// kept without limit in its minimal form (the retired login ID)
        KeepMinimal = "keep_minimal",
    }
);

crate::reply!(
    /// A deletion's plan (P6): each holding's fate, with its law and last
    /// day; what blocks it; whether it can run now.
    pub struct DeletionPlan {
        pub request_id: String,
        pub member_id: String,
        pub items: Vec<PlanItem>,
        pub blocked: Vec<Blocker>,
        pub executable: bool,
    }
    pub struct PlanItem {
        /// the table (or tables)
        pub what: String,
        /// the fields, by name
        pub fields: String,
        pub class: String,
        pub action: Action,
        pub count: i64,
        /// the last KST day it is kept (none for what is erased, or kept
        /// without limit)
        pub until: Option<String>,
        pub basis_ko: Option<String>,
        pub basis_en: Option<String>,
    }
    pub struct Blocker {
        pub what: String,
        pub count: i64,
    }
    /// The case as answered, with the plan it was executed by.
    @personal pub struct Erased {
        #[serde(flatten)]
        pub case: RightsCase,
        pub plan: DeletionPlan,
    }
);

/// The last KST day of a period of `months` from `start`.
fn last_day(start: DateTime<Utc>, months: i64) -> NaiveDate {
    let day = kst_date(start);
    day.checked_add_months(Months::new(u32::try_from(months).unwrap_or(0)))
        .unwrap_or(day)
}

fn count(c: &Option<Counted>) -> i64 {
    c.as_ref().map_or(0, |c| c.n)
}

/// The plan for the case's member at `now`.
fn plan_of(rows: &PlanRows, case: &CaseRow, now: DateTime<Utc>) -> DeletionPlan {
    let basis = |class: RecordClass| rows.schedule.iter().find(|s| s.class == class.as_str());
    let item = |what: &str,
                fields: &str,
                class: RecordClass,
                action: Action,
                n: i64,
                from: Option<DateTime<Utc>>| {
        let b = basis(class);
        let until = match (action, b.and_then(|b| b.months)) {
            (Action::Separate | Action::Keep, Some(months)) => {
                Some(last_day(from.unwrap_or(now), months).to_string())
            }
            _ => None,
        };
        let shows_law = !matches!(action, Action::EraseNow | Action::EraseByRun);
        PlanItem {
            what: what.to_owned(),
            fields: fields.to_owned(),
            class: class.as_str().to_owned(),
            action,
            count: n,
            until,
            basis_ko: b.filter(|_| shows_law).map(|b| b.basis_ko.clone()),
            basis_en: b.filter(|_| shows_law).map(|b| b.basis_en.clone()),
        }
    };
    let last = |c: &Option<Counted>| parse_instant(c.as_ref().and_then(|c| c.last.as_deref()));
    let mut items = vec![
        item("members", "password_hash, address, company facts, categories, staff's reasons, partner profile, reviews, match index, contact persons",
            RecordClass::Membership, Action::EraseNow, 1, None),
        item("members", "login_id, contact_name, phone, email, representative_name",
            RecordClass::FraudPrevention1y, Action::Separate, 1, Some(now)),
        item("consents", "document_kind, document_version, accepted, at, ip",
            RecordClass::Consent, Action::Separate, i64::try_from(rows.consents.len()).unwrap_or(0), Some(now)),
        item("login_ids", "login_id (retired, never reused)", RecordClass::AccountKey, Action::KeepMinimal, 1, None),
    ];
    let optional = [
        (
            "documents",
            "document (blob), content_type, size_bytes",
            RecordClass::Membership,
            Action::EraseByRun,
            &rows.documents,
            None,
        ),
        (
            "contracts",
            "versions, messages, defects, requests, confirmations, history",
            RecordClass::Contract5y,
            Action::Keep,
            &rows.contracts,
            last(&rows.contracts),
        ),
        (
            "work_requests",
            "title, scope, location, proposals",
            RecordClass::Contract5y,
            Action::Keep,
            &rows.work_requests,
            last(&rows.work_requests),
        ),
        (
            "privacy_requests",
            "kind, details, answer, legal_basis",
            RecordClass::Dispute3y,
            Action::Keep,
            &rows.cases,
            last(&rows.cases),
        ),
        (
            "direct_deal_reports",
            "description, reason",
            RecordClass::Dispute3y,
            Action::Keep,
            &rows.reports,
            last(&rows.reports),
        ),
        (
            "sites, terminals, attendance_records",
            "sites, terminals, attendance records",
            RecordClass::Attendance,
            Action::Keep,
            &rows.sites,
            Some(now),
        ),
        (
            "access_log",
            "at, what, why",
            RecordClass::AccessLog,
            Action::Keep,
            &rows.access,
            last(&rows.access),
        ),
    ];
    for (what, fields, class, action, counted, from) in optional {
        if count(counted) > 0 {
            items.push(item(what, fields, class, action, count(counted), from));
        }
    }
    let blocked: Vec<Blocker> = [
        ("contracts", count(&rows.open_contracts)),
        ("disputes", count(&rows.open_disputes)),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(what, n)| Blocker {
        what: what.into(),
        count: n,
    })
    .collect();
    DeletionPlan {
        request_id: case.id.clone(),
        member_id: case.member_id.clone(),
        executable: blocked.is_empty()
            && case.state.is_open()
            && case.state != super::p1_case::CaseState::IdentityPending,
        items,
        blocked,
    }
}

fn deletion_case(case: Option<CaseRow>) -> Result<CaseRow, Problem> {
    let c = case.ok_or_else(Problem::not_found)?;
    if c.kind != RightsKind::Deletion {
        return Err(Problem::conflict("detail.privacy_not_deletion"));
    }
    Ok(c)
}

/// `GET /admin/privacy-requests/{id}/deletion-plan`: what a deletion would
/// do, for the desk to check before executing it.
pub struct DeletionPlanView;
use_case!(DeletionPlanView, "admin.privacy_deletion_plan", |_uc| Access::Admin(DESK), String => PlanReads);

impl DeletionPlanView {
    fn reads(&self, id: &String, _: &Env) -> PlanReads {
        plan_reads(id)
    }

    fn decide(&self, _: String, rows: PlanRows, env: &Env) -> Result<Plan, Problem> {
        let case = deletion_case(rows.case.clone())?;
        let plan = plan_of(&rows, &case, env.now);
        // Counts and names only: no personal data is read out.
        Ok(Plan::ok(200, plan, vec![]))
    }
}

#[derive(Debug, Clone)]
pub struct EraseInput {
    pub id: String,
    pub revision: i64,
}

/// The destruction run's own erasure of `class` in `what` for `ids` now.
fn erasure(class: RecordClass, what: &str, ids: &[&str], now: &str) -> Vec<Stmt> {
    let list = Json::from(ids.to_vec()).to_string();
    TASKS
        .iter()
        .filter(|t| t.class == class && t.what == what)
        .flat_map(|t| (t.erase)(&list, now))
        .collect()
}

/// The answer told to the requester: what was kept, until when and why.
fn kept_text(plan: &DeletionPlan) -> (String, String) {
    let mut reasons = Vec::new();
    let mut laws: Vec<String> = Vec::new();
    for i in &plan.items {
        if matches!(i.action, Action::EraseNow | Action::EraseByRun) {
            continue;
        }
        let until = i
            .until
            .as_deref()
            .map_or_else(|| "기한 없이(최소 정보)".to_owned(), |u| format!("{u}까지"));
        let how = if i.action == Action::Separate {
            "분리 보관"
        } else {
            "보관"
        };
        let law = i.basis_ko.clone().unwrap_or_default();
        let key = format!("privacy.class.{}", i.class);
        let what = msg(&key, Lang::Ko);
        reasons.push(format!("{what} {}건: {until} {how} ({law})", i.count));
        if !laws.contains(&law) {
            laws.push(law);
        }
    }
    (
        format!(
            "요청하신 정보 가운데 법령이 보관을 정한 다음 정보를 제외하고 모두 파기했습니다. {}",
            reasons.join("; ")
        ),
        laws.join("; "),
    )
}

/// `POST /admin/privacy-requests/{id}/erase`: the plan executed in one
/// batch; the case answered with what was kept and why.
pub struct EraseRequest;
use_case!(EraseRequest, "admin.privacy_erase", |_uc| Access::Admin(DESK), EraseInput => PlanReads);

impl EraseRequest {
    fn reads(&self, input: &EraseInput, _: &Env) -> PlanReads {
        plan_reads(&input.id)
    }

    fn decide(&self, input: EraseInput, rows: PlanRows, env: &Env) -> Result<Plan, Problem> {
        let mut c = deletion_case(rows.case.clone())?;
        if !c.state.is_open() {
            return Err(Problem::conflict("detail.privacy_request_closed"));
        }
        super::p2_entered::may_answer(c.state, false)?;
        if c.version != input.revision {
            return Err(Problem::conflict("detail.privacy_request_changed"));
        }
        let m = rows.member.as_ref().ok_or_else(Problem::not_found)?;
        let plan = plan_of(&rows, &c, env.now);
        if !plan.blocked.is_empty() {
            let open = |what: &str| {
                plan.blocked
                    .iter()
                    .find(|b| b.what == what)
                    .map_or(0, |b| b.count)
            };
            return Err(Problem::conflict("detail.privacy_deletion_blocked")
                .with("open_contracts", json!(open("contracts")))
                .with("open_disputes", json!(open("disputes"))));
        }
        let now = env.now.to_rfc3339();
        let until = |class: RecordClass| {
            plan.items
                .iter()
                .find(|i| i.class == class.as_str() && i.action == Action::Separate)
                .and_then(|i| i.until.clone())
                .unwrap_or_else(|| kst_date(env.now).to_string())
        };
        // The account closes (P9), without P9's own notice: the answer tells.
        let (mut writes, _) = super::p9_withdrawal::close_account(env, m, None)?;
        // What fraud prevention keeps, and the consent records, move.
        let contact = json!({
            "login_id": m.login_id,
            "contact_name": m.open(env.keys, "members.contact_name", &m.contact_name_enc),
            "phone": m.open(env.keys, "members.phone", &m.phone_enc),
            "email": m.open(env.keys, "members.email", &m.email_enc),
            "representative_name": m.open(env.keys, "members.representative_name", &m.representative_name_enc),
        });
        writes.push(super::r3_separated::moved(
            env,
            &c,
            RecordClass::FraudPrevention1y,
            "members",
            "login_id, contact_name, phone, email, representative_name",
            &contact,
            &until(RecordClass::FraudPrevention1y),
        ));
        // The consents written just now (marketing withdrawn by closing)
        // are not in the list read: they stay with the account's key row
        // until the run, as any closed account's do.
        if !rows.consents.is_empty() {
            let consents: Vec<Json> = rows
                .consents
                .iter()
                .map(|k| {
                    json!({
                        "document_kind": k.document_kind,
                        "document_version": k.document_version,
                        "accepted": k.accepted == 1,
                        "at": k.at,
                        "ip": k.ip_enc.as_deref().and_then(|v| env.keys.open_at(&at("consents.ip", &c.member_id), v).ok()),
                    })
                })
                .collect();
            writes.push(super::r3_separated::moved(
                env,
                &c,
                RecordClass::Consent,
                "consents",
                "document_kind, document_version, accepted, at, ip",
                &Json::from(consents),
                &until(RecordClass::Consent),
            ));
            let ids: Vec<&str> = rows.consents.iter().map(|k| k.id.as_str()).collect();
            writes.extend(erasure(RecordClass::Consent, "consents", &ids, &now));
        }
        let member = [m.id.as_str()];
        writes.extend(erasure(RecordClass::Membership, "members", &member, &now));
        writes.extend(erasure(
            RecordClass::FraudPrevention1y,
            "members",
            &member,
            &now,
        ));
        // The answer: partly refused, with what was kept and the laws.
        let (text, laws) = kept_text(&plan);
        let state = if laws.is_empty() {
            CaseState::Completed
        } else {
            CaseState::PartiallyRefused
        };
        let answer = SealedText::seal(env, PRIVACY_ANSWER, &c.id, &text);
        let legal_basis =
            (!laws.is_empty()).then(|| SealedText::seal(env, PRIVACY_LEGAL_BASIS, &c.id, &laws));
        let executed = serde_json::to_string(&plan).unwrap_or_default();
        writes.extend([
            stmt!(
                "UPDATE privacy_requests SET state = ?, answered_at = ?, answer = ?, legal_basis = ?, plan = ?, version = version + 1
                 WHERE id = ? AND version = ?",
                state,
                now.as_str(),
                &answer,
                legal_basis.as_ref(),
                executed,
                c.id.as_str(),
                c.version
            ),
            guard_one_change(),
            clocks::meet(env, &PRIVACY_REQUEST, &c.id),
            crate::kernel::audit::audit(
                env,
                env.caller(),
                "privacy.erased",
                &c.member_id,
                &plan
                    .items
                    .iter()
                    .map(|i| format!("{}:{}:{}", i.what, i.class, i.action.as_str()))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        ]);
        let link = env
            .config
            .area::<crate::kernel::notify::Links>()
            .app("privacy");
        let notice = fill(
            "notice.privacy_answered",
            Lang::Ko,
            &[
                ("kind", msg("privacy.kind.deletion", Lang::Ko)),
                (
                    "outcome",
                    msg(&format!("privacy.state.{}", state.as_str()), Lang::Ko),
                ),
                ("link", &link),
            ],
        );
        let (notices, sends) =
            crate::kernel::outbox::to_member(env, m.contact(), "privacy_request", &notice, false);
        writes.extend(notices);
        c.state = state;
        c.answered_at = Some(now);
        c.answer = Some(answer);
        c.legal_basis = legal_basis;
        c.version += 1;
        Ok(Plan::ok(
            200,
            Erased {
                case: c.view(env)?,
                plan,
            },
            writes,
        )
        .effects(sends)
        .touches(&m.id, "privacy.erase")
        .conflict_means(Problem::conflict("detail.privacy_request_changed")))
    }
}
