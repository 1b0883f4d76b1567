//! Rule S9 with step 5 of S1: submission for review, flagging possible
//! duplicate signups (same business number or same mobile under another
//! application) for the reviewer.

use super::member::{own, read_member, MemberRow, MemberStatus};
use super::s1_steps::{Progress, Step};
use super::s5_documents::{count_documents, missing_documents, DocumentCount};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{read, read_set, row, stmt, use_case};
use serde_json::json;

row!(
    /// Another application that shares the business number or mobile.
    pub struct Duplicate {
        pub id: String,
        pub reason: String,
    }
);

crate::reply!(
    pub struct Submitted {
        pub member_id: String,
        pub status: MemberStatus,
        pub next: &'static str,
    }
);

read_set!(pub struct SubmitReads => SubmitRows {
    member: Option<MemberRow>,
    documents: Vec<DocumentCount>,
    duplicates: Vec<Duplicate>,
});

/// `POST /signup/submit`: step 5.
pub struct Submit;
use_case!(Submit, "signup.submit", |_uc| Access::Signup, () => SubmitReads);

impl Submit {
    fn reads(&self, _: &(), env: &Env) -> SubmitReads {
        let id = env.caller();
        SubmitReads {
            member: read_member(id),
            documents: count_documents(id),
            duplicates: read!(
                "SELECT o.id, CASE WHEN o.business_number = m.business_number THEN 'same_business_number' ELSE 'same_phone' END AS reason
                 FROM members m JOIN members o ON o.id != m.id
                   AND (o.business_number = m.business_number OR o.phone_bidx = m.phone_bidx)
                 WHERE m.id = ? AND o.status NOT IN ('rejected','withdrawn') AND o.step >= 2",
                id
            ),
        }
    }

    fn decide(&self, _: (), rows: SubmitRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let id = m.id.as_str();
        let missing = missing_documents(&rows.documents);
        Progress::of(&m, missing.is_empty())
            .allows(Step::Submit)
            .map_err(|p| {
                if p.status == 409 && p.kind == "step-order" {
                    p.with("missing_documents", json!(missing))
                } else {
                    p
                }
            })?;
        let now = env.now.to_rfc3339();
        let mut writes = vec![
            stmt!(
                "UPDATE members SET status = 'submitted', step = 5, submitted_at = ?, version = version + 1
                 WHERE id = ? AND version = ? AND status IN ('applying', 'on_hold')",
                now.as_str(),
                id,
                m.version
            ),
            guard_one_change(),
        ];
        // A receipt by e-mail and text message, with the status page's link.
        let link = env
            .config
            .area::<crate::kernel::notify::Links>()
            .app("signup/status");
        let text = crate::kernel::i18n::fill(
            "notice.submitted",
            crate::kernel::i18n::Lang::Ko,
            &[("link", &link)],
        );
        let mut effects = Vec::new();
        for (channel, to) in [
            ("email", m.open(env.keys, "members.email", &m.email_enc)),
            ("sms", m.open(env.keys, "members.phone", &m.phone_enc)),
        ] {
            if let Some(to) = to {
                let (n, e) =
                    crate::kernel::outbox::outbox(env, id, channel, "submitted", &to, &text);
                writes.push(n);
                effects.push(e);
            }
        }
        for d in &rows.duplicates {
            writes.push(stmt!(
                "INSERT OR IGNORE INTO signup_flags (id, member_id, reason, other_member_id, at) VALUES (?, ?, ?, ?, ?)",
                new_id(env.rng, "flg"),
                id,
                d.reason.as_str(),
                d.id.as_str(),
                now.as_str()
            ));
        }
        Ok(Plan::ok(
            200,
            Submitted {
                member_id: id.to_owned(),
                status: MemberStatus::Submitted,
                next: "review",
            },
            writes,
        )
        .effects(effects))
    }
}
