//! Rule C11, the review: staff see what is held (the text, what was found
//! in it, who posted it) and release or reject it with a reason. Releasing
//! a work request opens it (partners are proposed); rejecting it closes it
//! for good. Releasing a portfolio text makes it visible; rejecting it
//! removes it. Releasing a contract message shows it to the other party;
//! rejecting it keeps it from them. Every decision is audited; the author sees the reason.

use super::c11_content::{findings, Finding};
use super::contract::answer_by;
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::crypto::Keys;
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::{open_opt, SealedText};
use crate::personal_data::place::{
    HELD_REASON, MESSAGE_BODY, PORTFOLIO_TEXT, REQUEST_SCOPE, REQUEST_TITLE,
};
use crate::{read, read_set, row, stmt, use_case};

/// Who reviews held content (least privilege: the signup reviewers).
pub const CONTENT_REVIEWERS: &[AdminRole] = &[AdminRole::Reviewer, AdminRole::Owner];

crate::text_enum!(
    /// What was held.
    pub enum HeldContentKind {
        WorkRequest = "work_request",
        Portfolio = "portfolio",
        Message = "message",
    }
);

crate::text_enum!(
    /// Where a held item is.
    pub enum HeldContentState {
        Held = "held",
        Released = "released",
        Rejected = "rejected",
    }
);

crate::text_enum!(
    /// A reviewer's decision.
    pub enum ContentDecision {
        Release = "release",
        Reject = "reject",
    }
);

row!(
    pub struct HeldRow {
        pub id: String,
        pub kind: HeldContentKind,
        pub subject_id: String,
        pub member_id: String,
        pub company_name: Option<String>,
        pub state: HeldContentState,
        pub reason: Option<SealedText>,
        pub version: i64,
        pub created_at: String,
        /// the held words, each sealed where it lives (one kind's are set)
        pub title: Option<SealedText>,
        pub scope: Option<SealedText>,
        pub portfolio_text: Option<SealedText>,
        pub body: Option<SealedText>,
    }
);

/// A held item with its text (the work request's title, scope and
/// location, or the portfolio text).
macro_rules! held_select {
    () => {
        "SELECT h.id, h.kind, h.subject_id, h.member_id, m.company_name, h.state, h.reason, h.version, h.created_at,
           CASE h.kind WHEN 'work_request' THEN (SELECT title FROM work_requests WHERE id = h.subject_id) END AS title,
           CASE h.kind WHEN 'work_request' THEN (SELECT scope FROM work_requests WHERE id = h.subject_id) END AS scope,
           CASE h.kind WHEN 'portfolio' THEN (SELECT portfolio_text FROM partner_profiles WHERE member_id = h.subject_id) END AS portfolio_text,
           CASE h.kind WHEN 'message' THEN (SELECT body FROM contract_messages WHERE id = h.subject_id) END AS body
         FROM held_content h LEFT JOIN members m ON m.id = h.member_id"
    };
}

crate::reply!(
    /// Content waiting for review, oldest first.
    @personal pub struct HeldContentList {
        pub items: Vec<HeldContentItem>,
    }
    @personal pub struct HeldContentItem {
        pub held_id: String,
        /// `work_request`, `portfolio`, `message`
        pub kind: HeldContentKind,
        /// the work request's id, the partner's member id, or the message's id
        pub subject_id: String,
        pub member_id: String,
        pub company_name: Option<String>,
        pub state: HeldContentState,
        pub text: Option<String>,
        /// what the detector found (C11)
        pub findings: Vec<Finding>,
        pub reason: Option<String>,
        pub created_at: String,
    }
);

/// The held words, opened where each lives (a work request's title and
/// scope on two lines).
fn held_text(h: &HeldRow, keys: &Keys) -> Result<Option<String>, Problem> {
    let id = h.subject_id.as_str();
    Ok(match h.kind {
        HeldContentKind::WorkRequest => {
            let title = open_opt(&h.title, keys, REQUEST_TITLE, id)?;
            let scope = open_opt(&h.scope, keys, REQUEST_SCOPE, id)?;
            match (title, scope) {
                (None, None) => None,
                (t, s) => Some(format!(
                    "{}\n{}",
                    t.unwrap_or_default(),
                    s.unwrap_or_default()
                )),
            }
        }
        HeldContentKind::Portfolio => open_opt(&h.portfolio_text, keys, PORTFOLIO_TEXT, id)?,
        HeldContentKind::Message => open_opt(&h.body, keys, MESSAGE_BODY, id)?,
    })
}

fn item(h: HeldRow, keys: &Keys) -> Result<HeldContentItem, Problem> {
    let text = held_text(&h, keys)?;
    Ok(HeldContentItem {
        findings: text.as_deref().map(findings).unwrap_or_default(),
        reason: open_opt(&h.reason, keys, HELD_REASON, &h.id)?,
        held_id: h.id,
        kind: h.kind,
        subject_id: h.subject_id,
        member_id: h.member_id,
        company_name: h.company_name,
        state: h.state,
        text,
        created_at: h.created_at,
    })
}

read_set!(pub struct HeldReads => HeldRows { held: Vec<HeldRow> });

/// `GET /admin/held`: what waits for review (at most 100, oldest first).
pub struct ListHeld;
use_case!(ListHeld, "admin.held", |_uc| Access::Admin(CONTENT_REVIEWERS), () => HeldReads);

impl ListHeld {
    fn reads(&self, _: &(), _: &Env) -> HeldReads {
        HeldReads {
            held: read!(concat!(
                held_select!(),
                " WHERE h.state = 'held' ORDER BY h.created_at LIMIT 100"
            )),
        }
    }

    fn decide(&self, _: (), rows: HeldRows, env: &Env) -> Result<Plan, Problem> {
        let items: Vec<HeldContentItem> = rows
            .held
            .into_iter()
            .map(|h| item(h, env.keys))
            .collect::<Result<_, Problem>>()?;
        // What members wrote (and the contact details found in it): each
        // author's read is in the access log (A3).
        let authors: Vec<String> = items.iter().map(|i| i.member_id.clone()).collect();
        Ok(Plan::ok(200, HeldContentList { items }, vec![])
            .touches_all(authors.iter().map(String::as_str), "content.read_held"))
    }
}

/// What a decision does to the held thing: a released work request opens,
/// a rejected one closes; a released portfolio text shows, a rejected one
/// is removed; a released message shows to the other party, answers its
/// questions to the author and, if it asks, opens a question (C7); a
/// rejected message stays hidden.
fn consequences(h: &HeldRow, decision: ContentDecision, env: &Env) -> Vec<Stmt> {
    let id = h.subject_id.as_str();
    match (h.kind, decision) {
        (HeldContentKind::WorkRequest, ContentDecision::Release) => vec![stmt!(
            "UPDATE work_requests SET state = 'open', version = version + 1 WHERE id = ? AND state = 'held'",
            id
        )],
        (HeldContentKind::WorkRequest, ContentDecision::Reject) => vec![stmt!(
            "UPDATE work_requests SET state = 'rejected', version = version + 1 WHERE id = ? AND state = 'held'",
            id
        )],
        (HeldContentKind::Portfolio, ContentDecision::Release) => vec![stmt!(
            "UPDATE partner_profiles SET portfolio_held = 0, version = version + 1 WHERE member_id = ?",
            id
        )],
        (HeldContentKind::Portfolio, ContentDecision::Reject) => vec![stmt!(
            "UPDATE partner_profiles SET portfolio_text = NULL, portfolio_held = 0, version = version + 1 WHERE member_id = ?",
            id
        )],
        (HeldContentKind::Message, ContentDecision::Release) => {
            let now = env.now.to_rfc3339();
            vec![
                stmt!(
                    "UPDATE contract_requests SET state = 'answered', answered_at = ?
                     WHERE kind = 'question' AND state = 'open'
                       AND (contract_id, to_id) = (SELECT contract_id, author_id FROM contract_messages WHERE id = ? AND state = 'held')",
                    now.as_str(),
                    id
                ),
                stmt!(
                    "INSERT INTO contract_requests (id, contract_id, kind, from_id, to_id, message_id, state, answer_by, created_at)
                     SELECT ?, m.contract_id, 'question', m.author_id,
                            CASE WHEN m.author_id = c.client_id THEN c.partner_id ELSE c.client_id END,
                            m.id, 'open', ?, ?
                     FROM contract_messages m JOIN contracts c ON c.id = m.contract_id
                     WHERE m.id = ? AND m.asks = 1 AND m.state = 'held'",
                    new_id(env.rng, "req"),
                    answer_by(env.now).to_rfc3339(),
                    now.as_str(),
                    id
                ),
                stmt!(
                    "UPDATE contract_messages SET state = 'visible' WHERE id = ? AND state = 'held'",
                    id
                ),
            ]
        }
        (HeldContentKind::Message, ContentDecision::Reject) => vec![stmt!(
            "UPDATE contract_messages SET state = 'rejected' WHERE id = ? AND state = 'held'",
            id
        )],
    }
}

#[derive(Debug, Clone)]
pub struct ContentDecisionInput {
    pub held_id: String,
    pub decision: ContentDecision,
    pub reason: String,
}

read_set!(pub struct OneHeldReads => OneHeldRows { held: Option<HeldRow> });

/// `POST /admin/held/{id}`: release or reject, with a reason (C11).
pub struct DecideHeld;
use_case!(DecideHeld, "admin.decide_held", |_uc| Access::Admin(CONTENT_REVIEWERS), ContentDecisionInput => OneHeldReads);

impl DecideHeld {
    fn reads(&self, input: &ContentDecisionInput, _: &Env) -> OneHeldReads {
        OneHeldReads {
            held: read!(
                concat!(held_select!(), " WHERE h.id = ?"),
                input.held_id.as_str()
            ),
        }
    }

    fn decide(
        &self,
        input: ContentDecisionInput,
        rows: OneHeldRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let h = rows.held.ok_or_else(Problem::not_found)?;
        if h.state != HeldContentState::Held {
            return Err(Problem::conflict("detail.already_decided"));
        }
        let state = match input.decision {
            ContentDecision::Release => HeldContentState::Released,
            ContentDecision::Reject => HeldContentState::Rejected,
        };
        let now = env.now.to_rfc3339();
        let mut writes = vec![
            stmt!(
                "UPDATE held_content SET state = ?, reason = ?, decided_by = ?, decided_at = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'held'",
                state,
                SealedText::seal(env, HELD_REASON, &h.id, &input.reason),
                env.caller(),
                now.as_str(),
                h.id.as_str(),
                h.version
            ),
            guard_one_change(),
        ];
        writes.extend(consequences(&h, input.decision, env));
        writes.push(audit(
            env,
            env.caller(),
            "admin.decide_held",
            &h.id,
            // the reason stays sealed in the held row
            &format!("{} {}", h.kind.as_str(), input.decision.as_str()),
        ));
        let mut decided = item(h, env.keys)?;
        decided.state = state;
        decided.reason = Some(input.reason);
        let author = decided.member_id.clone();
        Ok(Plan::ok(200, decided, writes)
            .touches(&author, "content.decide_held")
            .conflict_means(Problem::conflict("detail.already_decided")))
    }
}
