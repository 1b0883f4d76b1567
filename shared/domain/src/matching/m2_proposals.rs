//! Rule M2: a client offers its open work request to a partner the
//! platform ranks for it; when the partner accepts, the proposal becomes a
//! contract draft (C1) carrying the category's success-fee rate, its first
//! version made from the request (title, scope, budget as the amount, due
//! date; rights pass on acceptance, portfolio use allowed — the defaults
//! either party may edit before forming).

use super::m1_profile::PARTNER;
use super::m1_requests::{proposable, trials, RequestState, CLIENT};
use crate::contracts::contract::{
    history, version_insert, ContractRow, ContractState, IpClause, Terms,
};
use crate::kernel::crypto::new_id;
use crate::kernel::crypto::Keys;
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::personal_data::place::{REQUEST_LOCATION, REQUEST_SCOPE, REQUEST_TITLE};
use crate::signup::member::{active, active_or_trial, in_trial, read_member, readable, MemberRow};
use crate::{read, read_set, row, stmt, use_case};

crate::text_enum!(
    /// Where a proposal is.
    pub enum ProposalState {
        Sent = "sent",
        Accepted = "accepted",
        Declined = "declined",
    }
);

crate::text_enum!(
    /// A partner's answer to a proposal.
    pub enum ProposalDecision {
        Accept = "accept",
        Decline = "decline",
    }
);

row!(
    pub struct RankRow {
        pub points: i64,
    }
);

row!(
    pub struct ProposalRow {
        pub id: String,
        pub request_id: String,
        pub client_id: String,
        pub partner_id: String,
        pub points: i64,
        pub state: ProposalState,
        pub contract_id: Option<String>,
        pub version: i64,
        pub created_at: String,
        /// the request's words, sealed where they live (`work_requests`)
        pub title: SealedText,
        pub category: String,
        pub budget_krw: i64,
        pub due_date: String,
        pub region: String,
        pub scope: SealedText,
        pub location: SealedText,
        pub client_name: Option<String>,
        pub success_fee_bp: i64,
    }
);

crate::reply!(
    /// A proposal as its partner (or client) sees it.
    pub struct ProposalView {
        pub proposal_id: String,
        pub request_id: String,
        pub state: ProposalState,
        /// the partner's score when it was proposed (M1)
        pub points: i64,
        pub title: String,
        pub category: String,
        /// what the work is, as the client wrote it (screened by C11)
        pub scope: String,
        pub budget_krw: i64,
        /// KST calendar date
        pub due_date: String,
        pub region: String,
        /// where the work is done: the partner the client chose sees it
        /// before accepting (issue 22)
        pub location: String,
        pub client_name: Option<String>,
        /// the category's success fee in basis points (M2, B8)
        pub success_fee_bp: i64,
        /// the contract draft, once accepted
        pub contract_id: Option<String>,
        pub created_at: String,
    }
    pub struct Proposals {
        pub proposals: Vec<ProposalView>,
    }
);

fn view(p: ProposalRow, keys: &Keys) -> Result<ProposalView, Problem> {
    Ok(ProposalView {
        title: p.title.open(keys, REQUEST_TITLE, &p.request_id)?,
        scope: p.scope.open(keys, REQUEST_SCOPE, &p.request_id)?,
        location: p.location.open(keys, REQUEST_LOCATION, &p.request_id)?,
        proposal_id: p.id,
        request_id: p.request_id,
        state: p.state,
        points: p.points,
        category: p.category,
        budget_krw: p.budget_krw,
        due_date: p.due_date,
        region: p.region,
        client_name: p.client_name,
        success_fee_bp: p.success_fee_bp,
        contract_id: p.contract_id,
        created_at: p.created_at,
    })
}

/// A proposal with its request and the client's company name.
macro_rules! proposal_select {
    () => {
        "SELECT p.id, p.request_id, p.client_id, p.partner_id, p.points, p.state, p.contract_id, p.version, p.created_at,
                r.title, r.category, r.budget_krw, r.due_date, r.region, r.scope, r.location, m.company_name AS client_name, c.success_fee_bp
         FROM proposals p JOIN work_requests r ON r.id = p.request_id
         LEFT JOIN members m ON m.id = p.client_id JOIN categories c ON c.code = r.category"
    };
}

#[derive(Debug, Clone)]
pub struct SendInput {
    pub request_id: String,
    pub partner_id: String,
}

row!(
    pub struct SentRequest {
        pub id: String,
        pub client_id: String,
        pub state: RequestState,
    }
);

read_set!(pub struct SendReads => SendRows {
    member: Option<MemberRow>,
    // the partner offered to, for its notice
    partner: Option<MemberRow>,
    request: Option<SentRequest>,
    rank: Option<RankRow>,
    proposal: Option<ProposalRow>,
});

/// `POST /member/requests/{id}/proposals`: the client offers its open
/// request to a partner ranked in its category (M2).
pub struct SendProposal;
use_case!(SendProposal, "member.send_proposal", |_uc| Access::MemberOf(CLIENT), SendInput => SendReads);

impl SendProposal {
    fn reads(&self, input: &SendInput, env: &Env) -> SendReads {
        SendReads {
            member: read_member(env.caller()),
            partner: read_member(&input.partner_id),
            // Only the caller's own request is read.
            request: read!(
                "SELECT id, client_id, state FROM work_requests WHERE id = ? AND client_id = ?",
                input.request_id.as_str(),
                env.caller()
            ),
            rank: read!(
                concat!(
                    "SELECT i.points FROM match_index i JOIN members m ON m.id = i.member_id AND ",
                    proposable!(),
                    " WHERE i.category = (SELECT category FROM work_requests WHERE id = ?1) AND i.region = '*' AND i.member_id = ?2"
                ),
                input.request_id.as_str(),
                input.partner_id.as_str(),
                trials(env)
            ),
            proposal: read!(
                concat!(proposal_select!(), " WHERE p.request_id = ? AND p.partner_id = ?"),
                input.request_id.as_str(),
                input.partner_id.as_str()
            ),
        }
    }

    fn decide(&self, input: SendInput, rows: SendRows, env: &Env) -> Result<Plan, Problem> {
        let client = active(rows.member)?;
        let r = rows
            .request
            .filter(|r| r.client_id == env.caller())
            .ok_or_else(Problem::not_found)?;
        if r.state != RequestState::Open {
            return Err(Problem::conflict("detail.request_not_open")
                .with("state", serde_json::json!(r.state)));
        }
        if let Some(p) = rows.proposal {
            return Err(Problem::conflict("detail.already_proposed")
                .with("proposal_id", serde_json::json!(p.id)));
        }
        let rank = rows
            .rank
            .ok_or_else(|| Problem::field("partner_id", "field.not_ranked"))?;
        let id = new_id(env.rng, "prop");
        let now = env.now.to_rfc3339();
        // The partner hears of it by e-mail and text message, with a link
        // to the proposals it can read and answer.
        let (notices, sends) = match rows.partner.as_ref().filter(|p| p.id == input.partner_id) {
            Some(partner) => {
                let link = env
                    .config
                    .area::<crate::kernel::notify::Links>()
                    .app("proposals");
                let text = crate::kernel::i18n::fill(
                    "notice.proposal",
                    crate::kernel::i18n::Lang::Ko,
                    &[
                        ("client", client.company_name.as_deref().unwrap_or("")),
                        ("link", &link),
                    ],
                );
                crate::kernel::outbox::to_member(env, partner.contact(), "proposal", &text, true)
            }
            None => (vec![], vec![]),
        };
        Ok(Plan::ok(
            201,
            ProposalSent {
                proposal_id: id.clone(),
                request_id: input.request_id.clone(),
                partner_id: input.partner_id.clone(),
                state: ProposalState::Sent,
            },
            vec![
                stmt!(
                    "INSERT INTO proposals (id, request_id, client_id, partner_id, points, state, created_at) VALUES (?, ?, ?, ?, ?, 'sent', ?)",
                    id.as_str(),
                    input.request_id.as_str(),
                    env.caller(),
                    input.partner_id.as_str(),
                    rank.points,
                    now.as_str()
                ),
                crate::kernel::audit::audit(env, env.caller(), "member.send_proposal", &id, &input.partner_id),
            ]
            .into_iter()
            .chain(notices)
            .collect(),
        )
        .effects(sends)
        .conflict_means(Problem::conflict("detail.already_proposed")))
    }
}

crate::reply!(
    pub struct ProposalSent {
        pub proposal_id: String,
        pub request_id: String,
        pub partner_id: String,
        pub state: ProposalState,
    }
);

read_set!(pub struct IncomingReads => IncomingRows {
    member: Option<MemberRow>,
    proposals: Vec<ProposalRow>,
});

/// `GET /member/proposals`: what clients offered this partner, newest
/// first (100).
pub struct ListProposals;
use_case!(ListProposals, "member.proposals", |_uc| Access::MatchingOf(PARTNER), () => IncomingReads);

impl ListProposals {
    fn reads(&self, _: &(), env: &Env) -> IncomingReads {
        IncomingReads {
            member: read_member(env.caller()),
            proposals: read!(
                concat!(
                    proposal_select!(),
                    " WHERE p.partner_id = ? ORDER BY p.created_at DESC LIMIT 100"
                ),
                env.caller()
            ),
        }
    }

    fn decide(&self, _: (), rows: IncomingRows, env: &Env) -> Result<Plan, Problem> {
        readable(rows.member, env.now)?;
        Ok(Plan::ok(
            200,
            Proposals {
                proposals: rows
                    .proposals
                    .into_iter()
                    .map(|p| view(p, env.keys))
                    .collect::<Result<_, Problem>>()?,
            },
            vec![],
        ))
    }
}

#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub proposal_id: String,
    pub decision: ProposalDecision,
}

read_set!(pub struct DecideReads => DecideRows {
    member: Option<MemberRow>,
    proposal: Option<ProposalRow>,
    // the client who proposed, for its notice of the answer
    client: Option<MemberRow>,
});

/// `POST /member/proposals/{id}`: the partner accepts (a contract draft is
/// made, C1) or declines (M2).
pub struct DecideProposal;
use_case!(DecideProposal, "member.decide_proposal", |_uc| Access::MatchingOf(PARTNER), DecisionInput => DecideReads);

impl DecideProposal {
    fn reads(&self, input: &DecisionInput, env: &Env) -> DecideReads {
        DecideReads {
            member: read_member(env.caller()),
            proposal: read!(
                concat!(proposal_select!(), " WHERE p.id = ?"),
                input.proposal_id.as_str()
            ),
            client: read!(
                "SELECT * FROM members WHERE id = (SELECT client_id FROM proposals WHERE id = ? AND partner_id = ?)",
                input.proposal_id.as_str(),
                env.caller()
            ),
        }
    }

    fn decide(&self, input: DecisionInput, rows: DecideRows, env: &Env) -> Result<Plan, Problem> {
        let partner = active_or_trial(rows.member)?;
        let p = rows
            .proposal
            .filter(|p| p.partner_id == env.caller())
            .ok_or_else(Problem::not_found)?;
        if p.state != ProposalState::Sent {
            return Err(Problem::conflict("detail.already_decided"));
        }
        let now = env.now.to_rfc3339();
        let mut writes = Vec::new();
        let mut decided = view(p.clone(), env.keys)?;
        match input.decision {
            ProposalDecision::Decline => {
                decided.state = ProposalState::Declined;
                writes.push(stmt!(
                    "UPDATE proposals SET state = 'declined', decided_at = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'sent'",
                    now.as_str(),
                    p.id.as_str(),
                    p.version
                ));
                writes.push(guard_one_change());
                writes.push(crate::kernel::audit::audit(
                    env,
                    env.caller(),
                    "member.decline_proposal",
                    &p.id,
                    "",
                ));
            }
            ProposalDecision::Accept => {
                let contract = ContractRow {
                    id: new_id(env.rng, "con"),
                    request_id: Some(p.request_id.clone()),
                    client_id: p.client_id.clone(),
                    partner_id: p.partner_id.clone(),
                    category: p.category.clone(),
                    success_fee_bp: p.success_fee_bp,
                    state: ContractState::Draft,
                    current_version: 1,
                    formed_version: None,
                    formed_at: None,
                    retention_class: "contract_5y".into(),
                    version: 1,
                    created_at: now.clone(),
                    completed_at: None,
                    inspection_until: None,
                    accepted_at: None,
                    deemed: false,
                    ip_transferred_at: None,
                    cancelled_at: None,
                    cancel_cause: None,
                    cancel_reason: None,
                };
                let terms = Terms {
                    title: p.title.open(env.keys, REQUEST_TITLE, &p.request_id)?,
                    scope: p.scope.open(env.keys, REQUEST_SCOPE, &p.request_id)?,
                    amount_krw: p.budget_krw,
                    due_date: p.due_date.clone(),
                    ip_clause: IpClause::Transfer,
                    portfolio_consent: true,
                };
                decided.state = ProposalState::Accepted;
                decided.contract_id = Some(contract.id.clone());
                writes.push(stmt!(
                    "UPDATE proposals SET state = 'accepted', contract_id = ?, decided_at = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'sent'",
                    contract.id.as_str(),
                    now.as_str(),
                    p.id.as_str(),
                    p.version
                ));
                writes.push(guard_one_change());
                writes.push(stmt!(
                    "INSERT INTO contracts (id, request_id, client_id, partner_id, category, success_fee_bp, state, current_version, created_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', 1, ?)",
                    contract.id.as_str(),
                    p.request_id.as_str(),
                    contract.client_id.as_str(),
                    contract.partner_id.as_str(),
                    contract.category.as_str(),
                    contract.success_fee_bp,
                    now.as_str()
                ));
                writes.push(version_insert(&contract, 1, &terms, env).1);
                writes.extend(history(
                    env,
                    &contract.id,
                    "contract.drafted",
                    &format!("proposal {}", p.id),
                ));
                if in_trial(&partner) {
                    // Rule S7: a trial matching, counted automatically, up
                    // to the configured number (a racing acceptance past
                    // it drafts the contract but counts nothing more).
                    writes.push(stmt!(
                        "INSERT INTO trial_matchings (id, member_id, reference, recorded_by, at)
                         SELECT ?, ?, ?, 'system', ? WHERE (SELECT COUNT(*) FROM trial_matchings WHERE member_id = ?) < ?",
                        new_id(env.rng, "trl"),
                        partner.id.as_str(),
                        contract.id.as_str(),
                        now.as_str(),
                        partner.id.as_str(),
                        trials(env)
                    ));
                    // Its last trial matching: out of the rankings until it pays.
                    writes.push(crate::matching::m1_profile::unranked_when_trials_done(
                        &partner.id,
                        trials(env),
                    ));
                }
            }
        }
        // The client hears of the answer, with a link to the draft (or to
        // its request, to propose to another partner).
        let (key, view) = match &decided.contract_id {
            Some(contract) => ("notice.proposal_accepted", format!("contracts/{contract}")),
            None => (
                "notice.proposal_declined",
                format!("requests/{}", decided.request_id),
            ),
        };
        let (notices, sends) = match rows.client.as_ref().filter(|c| c.id == p.client_id) {
            Some(client) => {
                let link = env.config.area::<crate::kernel::notify::Links>().app(&view);
                let text = crate::kernel::i18n::fill(
                    key,
                    crate::kernel::i18n::Lang::Ko,
                    &[
                        ("partner", partner.company_name.as_deref().unwrap_or("")),
                        ("title", &decided.title),
                        ("link", &link),
                    ],
                );
                crate::kernel::outbox::to_member(
                    env,
                    client.contact(),
                    "proposal_answer",
                    &text,
                    true,
                )
            }
            None => (vec![], vec![]),
        };
        writes.extend(notices);
        Ok(Plan::ok(200, decided, writes)
            .effects(sends)
            .conflict_means(Problem::conflict("detail.already_decided")))
    }
}
