//! Rules P1–P3: a person's privacy-rights request is a case on the legal
//! clock. P1 its kinds; P2 made by the person when signed in (the session
//! is the identity check for one's own data); P3 answered by the end of the
//! 10th KST calendar day after the day of receipt, which is not counted
//! (PIPA Enforcement Decree arts. 41, 43, 44; Civil Act art. 157): received
//! on 3 Dec at any time KST, answered until 13 Dec 23:59:59 KST. A delay
//! needs a reason and a new last day, and the requester is told both; the
//! privacy officer's dashboard shows the clock (`kernel::clocks`), overdue
//! and due-soon first. A request for the same kind while one is open is
//! refused (the open one is named); the requester may withdraw an open
//! request.

use crate::kernel::clocks::{self, Due};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::sealed::{open_opt, SealedText};
use crate::personal_data::place::{
    PRIVACY_ANSWER, PRIVACY_DELAY_REASON, PRIVACY_DETAILS, PRIVACY_LEGAL_BASIS,
};
use crate::signup::member::{read_member, MemberRow};
use crate::{read, read_set, row, stmt, use_case};

pub use super::p1_case::{
    last_day, CaseState, Channel, RightsKind, ANSWER_DAYS, DESK, PRIVACY_REQUEST,
};

row!(
    /// A case as stored (`details`, `delay_reason`, `answer` sealed).
    pub struct CaseRow {
        pub id: String,
        pub member_id: String,
        pub kind: RightsKind,
        pub state: CaseState,
        pub channel: Channel,
        pub details: Option<SealedText>,
        pub received_at: String,
        pub due_day: String,
        pub delayed_at: Option<String>,
        pub delay_reason: Option<SealedText>,
        pub answered_at: Option<String>,
        pub answer: Option<SealedText>,
        pub legal_basis: Option<SealedText>,
        pub overdue_at: Option<String>,
        pub version: i64,
    }
);

/// The columns of [`CaseRow`] (`privacy_requests`), for every read of a case.
#[macro_export]
macro_rules! privacy_case_columns {
    () => {
        "id, member_id, kind, state, channel, details, received_at, due_day, delayed_at, delay_reason, answered_at, answer, legal_basis, overdue_at, version"
    };
}

crate::reply!(
    /// A privacy-rights request as its requester and the privacy officer
    /// see it.
    @personal pub struct RightsCase {
        pub request_id: String,
        pub kind: RightsKind,
        pub state: CaseState,
        pub channel: Channel,
        /// what the requester wrote
        pub details: Option<String>,
        pub received_at: String,
        /// the last KST day to answer (P3): the 10th after the day of
        /// receipt, or the day a delay gave
        pub due_day: String,
        pub delayed_at: Option<String>,
        /// why it was delayed, as the requester was told
        pub delay_reason: Option<String>,
        pub answered_at: Option<String>,
        /// the answer; for a refusal, its reason
        pub answer: Option<String>,
        /// the law a refusal or a partial refusal rests on
        pub legal_basis: Option<String>,
        /// when the sweep found it unanswered past its last day (P3)
        pub overdue_at: Option<String>,
        /// changes with every change, for the next one
        pub revision: i64,
        /// an access request's copy (P4), in the requester's own list
        pub export: Option<super::p4_export::ExportState>,
    }
    pub struct RightsCases {
        pub requests: Vec<RightsCase>,
    }
);

impl CaseRow {
    /// The case with its words opened.
    ///
    /// # Errors
    /// A 500 when sealed words do not open (another key).
    pub fn view(&self, env: &Env) -> Result<RightsCase, Problem> {
        Ok(RightsCase {
            request_id: self.id.clone(),
            kind: self.kind,
            state: self.state,
            channel: self.channel,
            details: open_opt(&self.details, env.keys, PRIVACY_DETAILS, &self.id)?,
            received_at: self.received_at.clone(),
            due_day: self.due_day.clone(),
            delayed_at: self.delayed_at.clone(),
            delay_reason: open_opt(&self.delay_reason, env.keys, PRIVACY_DELAY_REASON, &self.id)?,
            answered_at: self.answered_at.clone(),
            answer: open_opt(&self.answer, env.keys, PRIVACY_ANSWER, &self.id)?,
            legal_basis: open_opt(&self.legal_basis, env.keys, PRIVACY_LEGAL_BASIS, &self.id)?,
            overdue_at: self.overdue_at.clone(),
            revision: self.version,
            export: None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct MakeInput {
    pub kind: RightsKind,
    pub details: Option<String>,
}

read_set!(pub struct MakeReads => MakeRows {
    member: Option<MemberRow>,
    open: Vec<CaseRow>,
    open_contracts: Option<super::p9_withdrawal::OpenContracts>,
});

impl RightsKind {
    /// Done before the answer, with nothing for the desk to decide: a
    /// marketing consent's withdrawal (P8) and account withdrawal (P9).
    pub fn is_immediate(self) -> bool {
        matches!(
            self,
            RightsKind::MarketingEmail | RightsKind::MarketingSms | RightsKind::Withdrawal
        )
    }
}

/// `POST /member/privacy-requests`: a member user's request about its own
/// data (P1, P2), answered by the 10th KST day after today (P3).
pub struct MakeRequest;
use_case!(MakeRequest, "privacy.make_request", |_uc| Access::Own, MakeInput => MakeReads);

impl MakeRequest {
    fn reads(&self, input: &MakeInput, env: &Env) -> MakeReads {
        MakeReads {
            member: read_member(env.caller()),
            open: read!(
                concat!(
                    "SELECT ",
                    crate::privacy_case_columns!(),
                    " FROM privacy_requests WHERE member_id = ? AND kind = ? AND state IN ('received', 'identity_pending', 'in_progress', 'delayed')"
                ),
                env.caller(),
                input.kind
            ),
            open_contracts: super::p9_withdrawal::read_open_contracts(
                env.caller(),
                input.kind == RightsKind::Withdrawal,
            ),
        }
    }

    fn decide(&self, input: MakeInput, rows: MakeRows, env: &Env) -> Result<Plan, Problem> {
        let m = crate::signup::member::own(rows.member)?;
        if let Some(open) = rows.open.first() {
            return Err(Problem::conflict("detail.privacy_request_open")
                .with("request_id", serde_json::json!(open.id)));
        }
        let id = new_id(env.rng, "prq");
        let now = env.now.to_rfc3339();
        let day = last_day(env.now);
        let details = input
            .details
            .as_deref()
            .map(|d| SealedText::seal(env, PRIVACY_DETAILS, &id, d));
        let immediate = input.kind.is_immediate();
        let case = CaseRow {
            id: id.clone(),
            member_id: m.id.clone(),
            kind: input.kind,
            // The session is the identity check for one's own data (P2).
            state: if immediate {
                CaseState::Completed
            } else {
                CaseState::InProgress
            },
            channel: Channel::SelfService,
            details,
            received_at: now.clone(),
            due_day: day.to_string(),
            delayed_at: None,
            delay_reason: None,
            answered_at: immediate.then(|| now.clone()),
            answer: None,
            legal_basis: None,
            overdue_at: None,
            version: 1,
        };
        let mut writes = vec![stmt!(
            "INSERT INTO privacy_requests (id, member_id, kind, state, channel, details, received_at, due_day, answered_at, version, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
            id.as_str(),
            m.id.as_str(),
            case.kind,
            case.state,
            case.channel,
            case.details.as_ref(),
            now.as_str(),
            day.to_string(),
            case.answered_at.as_deref(),
            now.as_str()
        )];
        writes.push(crate::kernel::audit::audit(
            env,
            env.caller(),
            "privacy.request_made",
            &id,
            case.kind.as_str(),
        ));
        if !immediate {
            writes.push(clocks::open(env, &case_due(&id, &m.id, day)));
        }
        let (work, sends) = carry_out(env, input.kind, &id, &m, rows.open_contracts.as_ref())?;
        writes.extend(work);
        Ok(Plan::ok(201, case.view(env)?, writes).effects(sends))
    }
}

/// The clock of case `id` of member `member`, due on `day` (P3).
pub(super) fn case_due<'a>(id: &'a str, member: &'a str, day: chrono::NaiveDate) -> Due<'a> {
    Due {
        kind: &PRIVACY_REQUEST,
        subject: id,
        record: format!("privacy-request/{id}"),
        actor: "staff",
        party: Some(member),
        last_day: day,
    }
}

/// What a request starts once its requester is known (a session, or a
/// code read back: P2), in the same batch: a marketing consent withdrawn
/// (P8) or the account closed (P9) before the answer; an access copy's job
/// (P4), which answers the case; nothing for the kinds the desk answers.
///
/// # Errors
/// 409 for an account withdrawal while a contract is open.
pub(super) fn carry_out(
    env: &Env,
    kind: RightsKind,
    id: &str,
    m: &MemberRow,
    open_contracts: Option<&super::p9_withdrawal::OpenContracts>,
) -> Result<
    (
        Vec<crate::kernel::ports::Stmt>,
        Vec<crate::kernel::engine::Effect>,
    ),
    Problem,
> {
    Ok(match kind {
        RightsKind::MarketingEmail | RightsKind::MarketingSms => (
            vec![super::p8_marketing::withdraw_consent(
                env,
                &m.id,
                kind.as_str(),
            )],
            vec![],
        ),
        RightsKind::Withdrawal => super::p9_withdrawal::close_account(env, m, open_contracts)?,
        RightsKind::Access => {
            let (start, first) = super::p4_export::start(env, id, &m.id);
            (start, vec![first])
        }
        RightsKind::Correction | RightsKind::Deletion | RightsKind::Suspension => (vec![], vec![]),
    })
}

read_set!(pub struct MineReads => MineRows {
    cases: Vec<CaseRow>,
    exports: Vec<super::p4_export::ExportRow>,
});

/// `GET /member/privacy-requests`: the member user's own requests, newest
/// first, with their days and answers.
pub struct MyRequests;
use_case!(MyRequests, "privacy.my_requests", |_uc| Access::Own, () => MineReads);

impl MyRequests {
    fn reads(&self, _: &(), env: &Env) -> MineReads {
        MineReads {
            cases: read!(
                concat!(
                    "SELECT ",
                    crate::privacy_case_columns!(),
                    " FROM privacy_requests WHERE member_id = ? ORDER BY received_at DESC, id LIMIT 200"
                ),
                env.caller()
            ),
            exports: read!(
                concat!(
                    "SELECT ",
                    crate::export_columns!(),
                    " FROM privacy_exports e JOIN jobs j ON j.id = e.job_id WHERE e.member_id = ? ORDER BY e.created_at DESC LIMIT 200"
                ),
                env.caller()
            ),
        }
    }

    fn decide(&self, _: (), rows: MineRows, env: &Env) -> Result<Plan, Problem> {
        Ok(Plan::ok(
            200,
            RightsCases {
                requests: rows
                    .cases
                    .iter()
                    .map(|c| {
                        let mut v = c.view(env)?;
                        v.export = rows
                            .exports
                            .iter()
                            .find(|e| e.request_id == c.id)
                            .map(|e| e.view(env.now));
                        Ok(v)
                    })
                    .collect::<Result<_, Problem>>()?,
            },
            vec![],
        ))
    }
}

read_set!(pub struct OneReads => OneRows { case: Option<CaseRow> });

/// One case of the caller (its own) or, for the desk, any (`?2` empty).
fn read_case(id: &str, member: &str) -> crate::kernel::reads::Read<Option<CaseRow>> {
    read!(
        concat!(
            "SELECT ",
            crate::privacy_case_columns!(),
            " FROM privacy_requests WHERE id = ?1 AND (?2 = '' OR member_id = ?2)"
        ),
        id,
        member
    )
}

/// The statement that moves case `c` on, guarded by its version.
fn moved(c: &CaseRow, state: CaseState, env: &Env) -> [crate::kernel::ports::Stmt; 2] {
    [
        stmt!(
            "UPDATE privacy_requests SET state = ?, version = version + 1, answered_at = CASE WHEN ? THEN ? ELSE answered_at END
             WHERE id = ? AND version = ?",
            state,
            !state.is_open(),
            env.now.to_rfc3339(),
            c.id.as_str(),
            c.version
        ),
        guard_one_change(),
    ]
}

/// `POST /member/privacy-requests/{id}/withdraw`: the requester takes an
/// open request back.
pub struct WithdrawRequest;
use_case!(WithdrawRequest, "privacy.withdraw_request", |_uc| Access::Own, String => OneReads);

impl WithdrawRequest {
    fn reads(&self, id: &String, env: &Env) -> OneReads {
        OneReads {
            case: read_case(id, env.caller()),
        }
    }

    fn decide(&self, _: String, rows: OneRows, env: &Env) -> Result<Plan, Problem> {
        let mut c = rows.case.ok_or_else(Problem::not_found)?;
        if !c.state.is_open() {
            return Err(Problem::conflict("detail.privacy_request_closed"));
        }
        let mut writes: Vec<_> = moved(&c, CaseState::Withdrawn, env).into();
        writes.push(clocks::meet(env, &PRIVACY_REQUEST, &c.id));
        writes.push(crate::kernel::audit::audit(
            env,
            env.caller(),
            "privacy.request_withdrawn",
            &c.id,
            "",
        ));
        c.state = CaseState::Withdrawn;
        c.answered_at = Some(env.now.to_rfc3339());
        c.version += 1;
        Ok(Plan::ok(200, c.view(env)?, writes)
            .conflict_means(Problem::conflict("detail.privacy_request_changed")))
    }
}
