//! Admin reads: the review queue (rule S6, S9).

use crate::ports::{Stmt, StmtResult};
use crate::problem::Problem;
use crate::runtime::{Auth, Env, Plan, Principal, UseCase};
use crate::signup::may_review;
use crate::stmt;
use crate::tokens::TokenKind;
use serde_json::json;

/// `GET /admin/reviews`: applications awaiting a decision, with S9 flags.
pub struct ReviewQueue;

impl UseCase for ReviewQueue {
    type Input = ();
    const NAME: &'static str = "admin.review_queue";
    const AUTH: Auth = Auth::Required(TokenKind::Admin);

    fn reads(&self, _: &(), _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![stmt!(
            "SELECT m.id, m.kind, m.status, m.company_name, m.business_number, m.submitted_at,
               (SELECT json_group_array(f.reason) FROM signup_flags f WHERE f.member_id = m.id) AS flags
             FROM members m WHERE m.status IN ('submitted','on_hold') ORDER BY m.submitted_at LIMIT 100"
        )]
    }

    fn decide(&self, _: (), who: Option<&Principal>, rows: Vec<StmtResult>, _: &Env) -> Plan {
        if !who.is_some_and(|w| may_review(&w.role)) {
            return Plan::fail(Problem::forbidden("detail.forbidden_role"));
        }
        let items: Vec<_> = rows[0]
            .rows
            .iter()
            .map(|r| {
                json!({
                    "member_id": r.text("id"),
                    "kind": r.text("kind"),
                    "status": r.text("status"),
                    "company_name": r.text("company_name"),
                    "business_number": r.text("business_number"),
                    "submitted_at": r.text("submitted_at"),
                    "flags": r.text("flags").and_then(|f| serde_json::from_str::<serde_json::Value>(f).ok()),
                })
            })
            .collect();
        Plan::ok(200, json!({ "items": items }), vec![])
    }
}
