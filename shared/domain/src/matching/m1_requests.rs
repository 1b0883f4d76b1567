//! Rule M1: a client posts a work request (category, title, scope, budget
//! in KRW, due date as a KST calendar date, region and location), and sees
//! the partners the platform proposes, ranked by the documented score
//! (`m1_score`) with every factor. A request whose text carries contact
//! details or proposes dealing outside the platform is held for admin
//! review (C11) and proposes no one until released.
//!
//! The proposal reads at most 30 ranking rows, whatever the number of
//! partners: the top 10 of the category among partners serving the
//! request's region, among those serving every region, and among all of
//! them (`match_index`, ordered by its index). The region factor is the
//! only one that depends on the request, so the overall top 10 is always
//! among these 30 (README "Matching").

use super::m1_profile::{explain, read_weights, weights_of, FactorScore, WeightRow};
use super::m1_score::{rank_order, with_region, REGIONS};
use crate::contracts::c11_content::{findings, Finding};
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::crypto::Keys;
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::sealed::{open_opt, SealedText};
use crate::kernel::types::kst_date;
use crate::personal_data::place::{HELD_REASON, REQUEST_LOCATION, REQUEST_SCOPE, REQUEST_TITLE};
use crate::signup::member::{active, read_member, readable, MemberRow};
use crate::{read, read_set, row, stmt, use_case};
use serde_json::json;

/// Partners a proposal lists.
pub const PROPOSED: usize = 10;

#[derive(Debug, Clone)]
pub struct RequestInput {
    pub category: String,
    pub title: String,
    pub scope: String,
    pub budget_krw: i64,
    /// `YYYY-MM-DD`, KST
    pub due_date: chrono::NaiveDate,
    pub region: String,
    pub location: String,
}

/// Whether `code` is one of the region codes.
pub fn is_region(code: &str) -> bool {
    REGIONS.contains(&code)
}

crate::text_enum!(
    /// Where a work request is (C11 review, then open until closed).
    pub enum RequestState {
        Held = "held",
        Open = "open",
        Rejected = "rejected",
        Closed = "closed",
    }
);

row!(
    pub struct RequestRow {
        pub id: String,
        pub client_id: String,
        pub category: String,
        pub title: SealedText,
        pub scope: SealedText,
        pub budget_krw: i64,
        pub due_date: String,
        pub region: String,
        pub location: SealedText,
        pub state: RequestState,
        pub created_at: String,
        /// the admin's reason when it was released or rejected (C11), and
        /// the held row it is sealed in
        pub review_reason: Option<SealedText>,
        pub review_id: Option<String>,
    }
);

/// A request's words, opened: title, scope, location, the reviewer's reason.
struct Words {
    title: String,
    scope: String,
    location: String,
    review_reason: Option<String>,
}

fn words(r: &RequestRow, keys: &Keys) -> Result<Words, Problem> {
    Ok(Words {
        title: r.title.open(keys, REQUEST_TITLE, &r.id)?,
        scope: r.scope.open(keys, REQUEST_SCOPE, &r.id)?,
        location: r.location.open(keys, REQUEST_LOCATION, &r.id)?,
        review_reason: match &r.review_id {
            Some(held) => open_opt(&r.review_reason, keys, HELD_REASON, held)?,
            None => None,
        },
    })
}

row!(
    pub struct CategoryRow {
        pub code: String,
        pub success_fee_bp: i64,
    }
);

crate::reply!(
    /// A work request as its client sees it, with the partners proposed
    /// while it is open.
    pub struct WorkRequest {
        pub request_id: String,
        pub category: String,
        pub title: String,
        pub scope: String,
        pub budget_krw: i64,
        /// KST calendar date
        pub due_date: String,
        pub region: String,
        pub location: String,
        /// `held` (C11 review), `open`, `rejected`, `closed`
        pub state: RequestState,
        /// why it is held (C11), while held
        pub findings: Vec<Finding>,
        /// the reviewer's reason, once decided
        pub review_reason: Option<String>,
        pub created_at: String,
        /// ranked partners (M1), while open; best first
        pub proposals: Vec<Proposal>,
    }
    /// One proposed partner and why (M1): every factor's value, weight and
    /// points.
    pub struct Proposal {
        pub rank: usize,
        pub partner_id: String,
        pub company_name: Option<String>,
        pub points: u32,
        pub serves_region: bool,
        pub factors: Vec<FactorScore>,
    }
    pub struct WorkRequests {
        pub requests: Vec<WorkRequestListing>,
    }
    pub struct WorkRequestListing {
        pub request_id: String,
        pub title: String,
        pub category: String,
        pub state: RequestState,
        pub due_date: String,
        pub created_at: String,
    }
);

/// The member kind that posts work requests.
pub const CLIENT: &str = "client";

read_set!(pub struct PostReads => PostRows {
    member: Option<MemberRow>,
    category: Option<CategoryRow>,
});

/// `POST /member/requests`: a client posts a work request (M1, C11).
pub struct PostRequest;
use_case!(PostRequest, "member.post_request", |_uc| Access::MemberOf(CLIENT), RequestInput => PostReads);

impl PostRequest {
    fn reads(&self, input: &RequestInput, env: &Env) -> PostReads {
        PostReads {
            member: read_member(env.caller()),
            category: read!(
                "SELECT code, success_fee_bp FROM categories WHERE code = ?",
                input.category.as_str()
            ),
        }
    }

    fn decide(&self, input: RequestInput, rows: PostRows, env: &Env) -> Result<Plan, Problem> {
        let m = active(rows.member)?;
        if rows.category.is_none() {
            return Err(Problem::field("category", "field.unknown_category"));
        }
        if input.due_date < kst_date(env.now) {
            return Err(Problem::field("due_date", "field.date_past"));
        }
        // The location is structured data for the contracted partner (a
        // street address belongs there), not prose that is screened.
        let text = format!("{}\n{}", input.title, input.scope);
        let found = findings(&text);
        let state = if found.is_empty() {
            RequestState::Open
        } else {
            RequestState::Held
        };
        let id = new_id(env.rng, "req");
        let now = env.now.to_rfc3339();
        let due = input.due_date.format("%Y-%m-%d").to_string();
        let mut writes = vec![stmt!(
            "INSERT INTO work_requests (id, client_id, category, title, scope, budget_krw, due_date, region, location, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            id.as_str(),
            m.id.as_str(),
            input.category.as_str(),
            SealedText::seal(env, REQUEST_TITLE, &id, &input.title),
            SealedText::seal(env, REQUEST_SCOPE, &id, &input.scope),
            input.budget_krw,
            due.as_str(),
            input.region.as_str(),
            SealedText::seal(env, REQUEST_LOCATION, &id, &input.location),
            state,
            now.as_str()
        )];
        if state == RequestState::Held {
            let kinds: Vec<&str> = found.iter().map(|f| f.kind.as_str()).collect();
            writes.push(stmt!(
                "INSERT INTO held_content (id, kind, subject_id, member_id, found, created_at) VALUES (?, 'work_request', ?, ?, ?, ?)",
                new_id(env.rng, "held"),
                id.as_str(),
                m.id.as_str(),
                json!(kinds).to_string(),
                now.as_str()
            ));
        }
        writes.push(audit(
            env,
            env.caller(),
            "member.post_request",
            &id,
            state.as_str(),
        ));
        Ok(Plan::ok(
            201,
            WorkRequest {
                request_id: id,
                category: input.category,
                title: input.title,
                scope: input.scope,
                budget_krw: input.budget_krw,
                due_date: due,
                region: input.region,
                location: input.location,
                state,
                findings: found,
                review_reason: None,
                created_at: now,
                proposals: vec![],
            },
            writes,
        ))
    }
}

row!(
    pub struct Ranked {
        pub member_id: String,
        pub company_name: Option<String>,
        pub fresh_at: Option<String>,
        pub vals: String,
    }
);

read_set!(pub struct RequestReads => RequestRows {
    member: Option<MemberRow>,
    request: Option<RequestRow>,
    weights: Vec<WeightRow>,
    in_region: Vec<Ranked>,
    everywhere: Vec<Ranked>,
    all: Vec<Ranked>,
});

/// The columns of a request, with the reviewer's latest reason (C11).
macro_rules! request_columns {
    () => {
        "r.id, r.client_id, r.category, r.title, r.scope, r.budget_krw, r.due_date, r.region, r.location, r.state, r.created_at,
         (SELECT h.reason FROM held_content h WHERE h.kind = 'work_request' AND h.subject_id = r.id ORDER BY h.created_at DESC LIMIT 1) AS review_reason,
         (SELECT h.id FROM held_content h WHERE h.kind = 'work_request' AND h.subject_id = r.id ORDER BY h.created_at DESC LIMIT 1) AS review_id
         FROM work_requests r"
    };
}

/// Who is proposed: active partners, and partners in trial (rule S7:
/// approved, trials not waived) with fewer trial matchings than `?3`, the
/// configured number; never one that had its processing suspended (P7).
macro_rules! proposable {
    () => {
        "m.suspended_at IS NULL AND m.processing_suspended_at IS NULL AND (m.status = 'active' OR (m.status = 'approved' AND m.trials_waived = 0
           AND (SELECT COUNT(*) FROM trial_matchings t WHERE t.member_id = m.id) < ?3))"
    };
}
pub(crate) use proposable;

/// The top of one region's ranking for the caller's open request `?1`:
/// walks `match_rank` in index order and stops after 10 proposable partners.
/// The category and region come from the request in the same statement, so
/// one batch reads the request and its ranking together.
macro_rules! ranking {
    ($region:literal) => {
        concat!(
            "SELECT i.member_id, m.company_name, i.fresh_at, i.vals FROM match_index i JOIN members m ON m.id = i.member_id
             WHERE i.category = (SELECT category FROM work_requests WHERE id = ?1 AND state = 'open' AND client_id = ?2)
               AND i.region = ", $region, " AND ", proposable!(), "
             ORDER BY i.points DESC, i.fresh_at DESC, i.member_id LIMIT 10"
        )
    };
}

/// How many trial matchings a partner in trial has (rule S7).
pub(crate) fn trials(env: &Env) -> i64 {
    env.config
        .area::<crate::signup::SignupConfig>()
        .trial_matchings
}

/// `GET /member/requests/{id}`: the client's request and, while it is open,
/// the partners proposed (M1).
pub struct GetRequest;
use_case!(GetRequest, "member.request", |_uc| Access::MemberOf(CLIENT), String => RequestReads);

impl GetRequest {
    fn reads(&self, id: &String, env: &Env) -> RequestReads {
        RequestReads {
            member: read_member(env.caller()),
            // Only the caller's own request is read.
            request: read!(
                concat!(
                    "SELECT ",
                    request_columns!(),
                    " WHERE r.id = ? AND r.client_id = ?"
                ),
                id.as_str(),
                env.caller()
            ),
            weights: read_weights(),
            in_region: read!(
                ranking!("(SELECT region FROM work_requests WHERE id = ?1)"),
                id.as_str(),
                env.caller(),
                trials(env)
            ),
            everywhere: read!(ranking!("'all'"), id.as_str(), env.caller(), trials(env)),
            all: read!(ranking!("'*'"), id.as_str(), env.caller(), trials(env)),
        }
    }

    fn decide(&self, _: String, rows: RequestRows, env: &Env) -> Result<Plan, Problem> {
        let m = readable(rows.member, env.now)?;
        let r = rows
            .request
            .filter(|r| r.client_id == m.id)
            .ok_or_else(Problem::not_found)?;
        let said = words(&r, env.keys)?;
        let w = weights_of(&rows.weights);
        let mut proposals: Vec<(u32, Option<String>, Proposal)> = Vec::new();
        let serving: Vec<&str> = rows
            .in_region
            .iter()
            .chain(&rows.everywhere)
            .map(|p| p.member_id.as_str())
            .collect();
        for p in rows
            .in_region
            .iter()
            .chain(&rows.everywhere)
            .chain(&rows.all)
        {
            if proposals
                .iter()
                .any(|(_, _, q)| q.partner_id == p.member_id)
            {
                continue;
            }
            let Ok(vals) = serde_json::from_str::<[u32; 7]>(&p.vals) else {
                continue;
            };
            let serves = serving.contains(&p.member_id.as_str());
            let (points, factors) = explain(&with_region(vals, serves), &w);
            proposals.push((
                points,
                p.fresh_at.clone(),
                Proposal {
                    rank: 0,
                    partner_id: p.member_id.clone(),
                    company_name: p.company_name.clone(),
                    points,
                    serves_region: serves,
                    factors,
                },
            ));
        }
        proposals.sort_by(|a, b| {
            rank_order(
                (a.0, a.1.as_deref(), a.2.partner_id.as_str()),
                (b.0, b.1.as_deref(), b.2.partner_id.as_str()),
            )
        });
        let proposals = proposals
            .into_iter()
            .take(PROPOSED)
            .enumerate()
            .map(|(i, (_, _, mut p))| {
                p.rank = i + 1;
                p
            })
            .collect();
        let found = if r.state == RequestState::Held {
            findings(&format!("{}\n{}", said.title, said.scope))
        } else {
            vec![]
        };
        Ok(Plan::ok(
            200,
            WorkRequest {
                request_id: r.id,
                category: r.category,
                title: said.title,
                scope: said.scope,
                budget_krw: r.budget_krw,
                due_date: r.due_date,
                region: r.region,
                location: said.location,
                state: r.state,
                findings: found,
                review_reason: said.review_reason,
                created_at: r.created_at,
                proposals,
            },
            vec![],
        ))
    }
}

read_set!(pub struct ListReads => ListRows {
    member: Option<MemberRow>,
    requests: Vec<RequestRow>,
});

/// `GET /member/requests`: the client's requests, newest first (100).
pub struct ListRequests;
use_case!(ListRequests, "member.requests", |_uc| Access::MemberOf(CLIENT), () => ListReads);

impl ListRequests {
    fn reads(&self, _: &(), env: &Env) -> ListReads {
        ListReads {
            member: read_member(env.caller()),
            requests: read!(
                concat!(
                    "SELECT ",
                    request_columns!(),
                    " WHERE r.client_id = ? ORDER BY r.created_at DESC LIMIT 100"
                ),
                env.caller()
            ),
        }
    }

    fn decide(&self, _: (), rows: ListRows, env: &Env) -> Result<Plan, Problem> {
        readable(rows.member, env.now)?;
        Ok(Plan::ok(
            200,
            WorkRequests {
                requests: rows
                    .requests
                    .into_iter()
                    .map(|r| {
                        Ok(WorkRequestListing {
                            title: r.title.open(env.keys, REQUEST_TITLE, &r.id)?,
                            request_id: r.id,
                            category: r.category,
                            state: r.state,
                            due_date: r.due_date,
                            created_at: r.created_at,
                        })
                    })
                    .collect::<Result<_, Problem>>()?,
            },
            vec![],
        ))
    }
}
