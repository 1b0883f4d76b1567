//! The privacy officer's desk (P2, P3): the queue of cases, open first by
//! their last day; a delay with its reason and new day, told to the
//! requester; and the answer: done, partly refused or refused, a refusal
//! always with its reason and the law it rests on (P6, P7), told to the
//! requester. Reading a case reads the requester's words: each read is in
//! the access log (A3).

use super::p1_requests::{CaseRow, CaseState, RightsCase, DESK, PRIVACY_REQUEST};
use crate::kernel::clocks;
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::{fill, msg};
use crate::kernel::outbox::to_member;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::kernel::types::kst_date;
use crate::personal_data::place::{PRIVACY_ANSWER, PRIVACY_DELAY_REASON, PRIVACY_LEGAL_BASIS};
use crate::signup::member::MemberRow;
use crate::{read, read_set, stmt, use_case};
use chrono::NaiveDate;

/// The longest a delay may reach: this many KST days after receipt.
pub const DELAY_MAX_DAYS: u64 = 60;

crate::row!(
    /// A case in the queue, with the requester's company.
    pub struct QueuedRow {
        pub id: String,
        pub company_name: Option<String>,
    }
);

crate::reply!(
    /// The desk's queue: open cases by their last day, then the latest
    /// closed ones.
    @personal pub struct DeskQueue {
        pub requests: Vec<QueuedCase>,
    }
    pub struct QueuedCase {
        #[serde(flatten)]
        pub case: RightsCase,
        pub member_id: String,
        pub company_name: Option<String>,
        /// for a request entered by the desk: how its requester is verified
        pub identity: Option<super::p2_entered::IdentityCheck>,
    }
);

read_set!(pub struct QueueReads => QueueRows {
    cases: Vec<CaseRow>,
    companies: Vec<QueuedRow>,
    identities: Vec<super::p2_entered::IdentityRow>,
});

/// `GET /admin/privacy-requests`: the queue.
pub struct DeskQueueView;
use_case!(DeskQueueView, "admin.privacy_requests", |_uc| Access::Admin(DESK), () => QueueReads);

/// Open first (by last day), then closed (newest first): at most 200.
macro_rules! queue_order {
    () => {
        " ORDER BY CASE WHEN r.state IN ('received', 'identity_pending', 'in_progress', 'delayed') THEN 0 ELSE 1 END,
            CASE WHEN r.state IN ('received', 'identity_pending', 'in_progress', 'delayed') THEN r.due_day END,
            r.received_at DESC, r.id LIMIT 200"
    };
}

impl DeskQueueView {
    fn reads(&self, _: &(), _: &Env) -> QueueReads {
        QueueReads {
            cases: read!(concat!(
                "SELECT ",
                crate::privacy_case_columns!(),
                " FROM privacy_requests r",
                queue_order!()
            )),
            companies: read!(concat!(
                "SELECT r.id, m.company_name FROM privacy_requests r LEFT JOIN members m ON m.id = r.member_id",
                queue_order!()
            )),
            identities: read!(concat!(
                "SELECT ",
                crate::privacy_identity_columns!(),
                " FROM privacy_requests r",
                queue_order!()
            )),
        }
    }

    fn decide(&self, _: (), rows: QueueRows, env: &Env) -> Result<Plan, Problem> {
        let mut requests = Vec::with_capacity(rows.cases.len());
        for c in &rows.cases {
            requests.push(QueuedCase {
                case: c.view(env)?,
                member_id: c.member_id.clone(),
                company_name: rows
                    .companies
                    .iter()
                    .find(|q| q.id == c.id)
                    .and_then(|q| q.company_name.clone()),
                identity: match rows
                    .identities
                    .iter()
                    .find(|i| i.id == c.id && i.entered_by.is_some())
                {
                    Some(i) => Some(i.view(env)?),
                    None => None,
                },
            });
        }
        // The requesters' words were read: in the access log, per subject.
        Ok(Plan::ok(200, DeskQueue { requests }, vec![]).touches_all(
            rows.cases.iter().map(|c| c.member_id.as_str()),
            "privacy.read_request",
        ))
    }
}

read_set!(pub struct CaseReads => CaseRows {
    case: Option<CaseRow>,
    member: Option<MemberRow>,
});

fn case_reads(id: &str) -> CaseReads {
    CaseReads {
        case: read!(
            concat!(
                "SELECT ",
                crate::privacy_case_columns!(),
                " FROM privacy_requests WHERE id = ?"
            ),
            id
        ),
        member: read!(
            "SELECT * FROM members WHERE id = (SELECT member_id FROM privacy_requests WHERE id = ?)",
            id
        ),
    }
}

/// The requester's notice of `key`, with the link to its requests.
fn tell(
    env: &Env,
    member: Option<&MemberRow>,
    key: &str,
    values: &[(&str, &str)],
) -> (
    Vec<crate::kernel::ports::Stmt>,
    Vec<crate::kernel::engine::Effect>,
) {
    let Some(m) = member else {
        return (vec![], vec![]);
    };
    let link = env
        .config
        .area::<crate::kernel::notify::Links>()
        .app("privacy");
    let mut all: Vec<(&str, &str)> = values.to_vec();
    all.push(("link", &link));
    let text = fill(key, Lang::Ko, &all);
    to_member(env, m.contact(), "privacy_request", &text, false)
}

/// The day as a notice writes it: `2026년 12월 13일`.
fn korean_day(day: NaiveDate) -> String {
    day.format("%Y년 %-m월 %-d일").to_string()
}

#[derive(Debug, Clone)]
pub struct DelayInput {
    pub id: String,
    pub revision: i64,
    pub reason: String,
    pub until: NaiveDate,
}

/// `POST /admin/privacy-requests/{id}/delay`: a new last day, with the
/// reason, told to the requester (P3).
pub struct DelayRequest;
use_case!(DelayRequest, "admin.privacy_delay", |_uc| Access::Admin(DESK), DelayInput => CaseReads);

impl DelayRequest {
    fn reads(&self, input: &DelayInput, _: &Env) -> CaseReads {
        case_reads(&input.id)
    }

    fn decide(&self, input: DelayInput, rows: CaseRows, env: &Env) -> Result<Plan, Problem> {
        let mut c = rows.case.ok_or_else(Problem::not_found)?;
        if !c.state.is_open() {
            return Err(Problem::conflict("detail.privacy_request_closed"));
        }
        if c.version != input.revision {
            return Err(Problem::conflict("detail.privacy_request_changed"));
        }
        let received = crate::kernel::types::parse_instant(Some(&c.received_at)).unwrap_or(env.now);
        let latest = kst_date(received)
            .checked_add_days(chrono::Days::new(DELAY_MAX_DAYS))
            .unwrap_or_else(|| kst_date(received));
        if input.until.to_string() <= c.due_day || input.until > latest {
            return Err(Problem::field("until", "field.privacy_delay_day")
                .with("latest", serde_json::json!(latest.to_string())));
        }
        let reason = SealedText::seal(env, PRIVACY_DELAY_REASON, &c.id, &input.reason);
        let now = env.now.to_rfc3339();
        let mut writes = vec![
            stmt!(
                "UPDATE privacy_requests SET state = 'delayed', due_day = ?, delayed_at = ?, delay_reason = ?, overdue_at = NULL, version = version + 1
                 WHERE id = ? AND version = ?",
                input.until.to_string(),
                now.as_str(),
                &reason,
                c.id.as_str(),
                c.version
            ),
            crate::kernel::engine::guard_one_change(),
        ];
        writes.extend(clocks::extend(
            env,
            &PRIVACY_REQUEST,
            &c.id,
            input.until,
            &input.reason,
        ));
        writes.push(crate::kernel::audit::audit(
            env,
            env.caller(),
            "privacy.request_delayed",
            &c.id,
            &input.until.to_string(),
        ));
        let (notices, sends) = tell(
            env,
            rows.member.as_ref(),
            "notice.privacy_delayed",
            &[
                (
                    "kind",
                    msg(&format!("privacy.kind.{}", c.kind.as_str()), Lang::Ko),
                ),
                ("day", &korean_day(input.until)),
                ("reason", &input.reason),
            ],
        );
        writes.extend(notices);
        c.state = CaseState::Delayed;
        c.due_day = input.until.to_string();
        c.delayed_at = Some(now);
        c.delay_reason = Some(reason);
        c.overdue_at = None;
        c.version += 1;
        Ok(Plan::ok(200, c.view(env)?, writes)
            .effects(sends)
            .touches(&c.member_id, "privacy.delay_request")
            .conflict_means(Problem::conflict("detail.privacy_request_changed")))
    }
}

crate::text_enum!(
    /// How a case ends (P4–P7).
    pub enum Outcome {
        Completed = "completed",
        PartiallyRefused = "partially_refused",
        Refused = "refused",
    }
);

#[derive(Debug, Clone)]
pub struct AnswerInput {
    pub id: String,
    pub revision: i64,
    pub outcome: Outcome,
    pub answer: Option<String>,
    pub legal_basis: Option<String>,
    /// A correction's new values (P5), applied with the answer.
    pub corrections: Corrections,
}

/// What a correction (P5) sets: the contact person's name, mobile number
/// and e-mail address, each only when given. The old value is overwritten,
/// not kept; the audit entry names the fields, never a value.
#[derive(Debug, Clone, Default)]
pub struct Corrections {
    pub contact_name: Option<String>,
    pub mobile: Option<crate::kernel::types::MobileNumber>,
    pub email: Option<crate::kernel::types::Email>,
}

impl Corrections {
    /// The names of the fields given, in order.
    pub fn fields(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.contact_name.is_some() {
            out.push("contact_name");
        }
        if self.mobile.is_some() {
            out.push("mobile");
        }
        if self.email.is_some() {
            out.push("email");
        }
        out
    }

    /// The member row's update: each given field sealed in place (and its
    /// blind index), nothing else touched.
    fn apply(&self, env: &Env, member: &str) -> Vec<crate::kernel::ports::Stmt> {
        use crate::kernel::crypto::at;
        let mut out = Vec::new();
        if let Some(name) = &self.contact_name {
            out.push(stmt!(
                "UPDATE members SET contact_name_enc = ? WHERE id = ?",
                env.keys
                    .seal_for(env.rng, &at("members.contact_name", member), name),
                member
            ));
        }
        if let Some(mobile) = &self.mobile {
            out.push(stmt!(
                "UPDATE members SET phone_enc = ?, phone_bidx = ? WHERE id = ?",
                env.keys
                    .seal_for(env.rng, &at("members.phone", member), mobile.as_ref()),
                env.keys.blind_index("phone", mobile.as_ref()),
                member
            ));
        }
        if let Some(email) = &self.email {
            out.push(stmt!(
                "UPDATE members SET email_enc = ?, email_bidx = ? WHERE id = ?",
                env.keys
                    .seal_for(env.rng, &at("members.email", member), email.as_ref()),
                env.keys.blind_index("email", email.as_ref()),
                member
            ));
        }
        out
    }
}

/// `POST /admin/privacy-requests/{id}/answer`: the case ends; a refusal,
/// whole or in part, only with its reason and the law it rests on.
pub struct AnswerRequest;
use_case!(AnswerRequest, "admin.privacy_answer", |_uc| Access::Admin(DESK), AnswerInput => CaseReads);

impl AnswerRequest {
    fn reads(&self, input: &AnswerInput, _: &Env) -> CaseReads {
        case_reads(&input.id)
    }

    fn decide(&self, input: AnswerInput, rows: CaseRows, env: &Env) -> Result<Plan, Problem> {
        let mut c = rows.case.ok_or_else(Problem::not_found)?;
        if !c.state.is_open() {
            return Err(Problem::conflict("detail.privacy_request_closed"));
        }
        if c.version != input.revision {
            return Err(Problem::conflict("detail.privacy_request_changed"));
        }
        super::p2_entered::may_answer(c.state, input.outcome == Outcome::Refused)?;
        let refusing = input.outcome != Outcome::Completed;
        let correcting = c.kind == super::p1_requests::RightsKind::Correction;
        let fields = input.corrections.fields();
        let mut f = crate::kernel::problem::Fields::default();
        if refusing {
            if input.answer.is_none() {
                f.push("answer", "field.privacy_refusal_reason");
            }
            if input.legal_basis.is_none() {
                f.push("legal_basis", "field.privacy_legal_basis");
            }
        }
        // P5: only a correction corrects, and a correction done in full has
        // corrected something; a refused one changes nothing.
        for name in &fields {
            if !correcting || input.outcome == Outcome::Refused {
                f.push(name, "field.privacy_correction_not_here");
            }
        }
        if correcting && input.outcome == Outcome::Completed && fields.is_empty() {
            f.push("contact_name", "field.privacy_correction_missing");
        }
        f.finish()?;
        let state = match input.outcome {
            Outcome::Completed => CaseState::Completed,
            Outcome::PartiallyRefused => CaseState::PartiallyRefused,
            Outcome::Refused => CaseState::Refused,
        };
        let answer = input
            .answer
            .as_deref()
            .map(|a| SealedText::seal(env, PRIVACY_ANSWER, &c.id, a));
        let legal_basis = input
            .legal_basis
            .as_deref()
            .map(|l| SealedText::seal(env, PRIVACY_LEGAL_BASIS, &c.id, l));
        let now = env.now.to_rfc3339();
        let mut writes = vec![
            stmt!(
                "UPDATE privacy_requests SET state = ?, answered_at = ?, answer = ?, legal_basis = ?, version = version + 1
                 WHERE id = ? AND version = ?",
                state,
                now.as_str(),
                answer.as_ref(),
                legal_basis.as_ref(),
                c.id.as_str(),
                c.version
            ),
            crate::kernel::engine::guard_one_change(),
            clocks::meet(env, &PRIVACY_REQUEST, &c.id),
            crate::kernel::audit::audit(env, env.caller(), "privacy.request_answered", &c.id, state.as_str()),
        ];
        if !fields.is_empty() {
            writes.extend(input.corrections.apply(env, &c.member_id));
            writes.push(crate::kernel::audit::audit(
                env,
                env.caller(),
                "privacy.corrected",
                &c.member_id,
                &fields.join(","),
            ));
        }
        // P7: a suspension granted stops the processing it names: the
        // member is no longer proposed to clients nor sent marketing.
        if c.kind == super::p1_requests::RightsKind::Suspension && state == CaseState::Completed {
            writes.push(stmt!(
                "UPDATE members SET processing_suspended_at = ? WHERE id = ? AND processing_suspended_at IS NULL",
                now.as_str(),
                c.member_id.as_str()
            ));
        }
        let (notices, sends) = tell(
            env,
            rows.member.as_ref(),
            "notice.privacy_answered",
            &[
                (
                    "kind",
                    msg(&format!("privacy.kind.{}", c.kind.as_str()), Lang::Ko),
                ),
                (
                    "outcome",
                    msg(&format!("privacy.state.{}", state.as_str()), Lang::Ko),
                ),
            ],
        );
        writes.extend(notices);
        c.state = state;
        c.answered_at = Some(now);
        c.answer = answer;
        c.legal_basis = legal_basis;
        c.version += 1;
        Ok(Plan::ok(200, c.view(env)?, writes)
            .effects(sends)
            .touches(&c.member_id, "privacy.answer_request")
            .conflict_means(Problem::conflict("detail.privacy_request_changed")))
    }
}
