//! `GET /signup/status` (rules S1, S6): the applicant's own view of the
//! application, with the next step, the documents still missing and a
//! decision's reason. Apart from `s1_steps.rs`, which the documents step
//! uses: this view uses both.

use super::member::{own, read_member, MemberRow};
use super::s1_steps::Progress;
use super::s5_documents::{counted, missing_documents};
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{read_set, use_case};

crate::reply!(
    /// The applicant's view of its application (rules S1, S6).
    pub struct Application {
        /// who applies and its contact person, as saved (shown back on the
        /// contact step)
        #[serde(flatten)]
        pub identity: crate::signup::member::Identity,
        /// the next step: contact, phone, company, documents, submit, review, contract or none
        pub next: &'static str,
        pub phone_verified: bool,
        /// document kinds still required
        pub missing_documents: Vec<&'static str>,
        /// the documents uploaded, oldest first (shown back; removable
        /// until submission and while on hold)
        pub documents: Vec<super::s5_documents::DocumentListed>,
        /// staff's decision, once made
        pub decision: Option<String>,
        /// why (shown for hold and reject)
        pub decision_reason: Option<String>,
        /// a phone code sent and still live (phone not yet verified)
        pub phone_code: Option<super::s3_phone::CodeState>,
    }
);

read_set!(pub struct StatusReads => StatusRows {
    member: Option<MemberRow>,
    documents: Vec<super::s5_documents::StoredDocument>,
    code: Option<super::s3_phone::PhoneCode>,
});

/// `GET /signup/status`: the applicant's view of the application, including
/// a decision's reason (rule S6).
pub struct Status;
use_case!(Status, "signup.status", |_uc| Access::Signup, () => StatusReads);

impl Status {
    fn reads(&self, _: &(), env: &Env) -> StatusReads {
        StatusReads {
            member: read_member(env.caller()),
            documents: super::s5_documents::list_documents(env.caller()),
            code: super::s3_phone::read_code(env.caller()),
        }
    }

    fn decide(&self, _: (), rows: StatusRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let missing = missing_documents(&counted(rows.documents.iter()));
        let progress = Progress::of(&m, missing.is_empty());
        let decision_reason = crate::kernel::sealed::open_opt(
            &m.decision_reason,
            env.keys,
            crate::personal_data::place::DECISION_REASON,
            &m.id,
        )?;
        Ok(Plan::ok(
            200,
            Application {
                identity: m.identity(env.keys),
                next: progress.next(),
                phone_verified: progress.phone_verified,
                missing_documents: missing,
                documents: rows.documents.into_iter().map(|d| d.listed()).collect(),
                decision: m.decision.clone(),
                decision_reason,
                phone_code: rows
                    .code
                    .filter(|_| !progress.phone_verified)
                    .and_then(|c| c.state(env.now)),
            },
            vec![],
        ))
    }
}
