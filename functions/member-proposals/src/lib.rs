//! A partner's incoming proposals; accepting one makes a contract draft
//! (rules M2, C1).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::matching::m2_proposals::{
    DecideProposal, DecisionInput, ListProposals, ProposalDecision,
};

domain::function!(handle, [
    ("GET", "/member/proposals") => |op| op
        .summary("What clients offered this partner, newest first (M2)")
        .of(&ListProposals)
        .reply::<domain::matching::m2_proposals::Proposals>(200),
    ("POST", "/member/proposals/{id}") => |op| op
        .summary("Accepts (a contract draft is made with the category's success fee) or declines a proposal (M2, C1)")
        .of(&DecideProposal)
        .body::<ProposalDecisionBody>()
        .reply::<domain::matching::m2_proposals::ProposalView>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct ProposalDecisionBody {
        decision: ProposalDecision,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    match req.param("id") {
        Some(id) => {
            let id = id.to_owned();
            serve(&DecideProposal, req, cx, |r| parse(r, id)).await
        }
        None => serve(&ListProposals, req, cx, |_| Ok(())).await,
    }
}

fn parse(req: &Request, proposal_id: String) -> Result<DecisionInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let decision = body.str(&mut f, "decision").and_then(|d| {
        f.take(
            "decision",
            ProposalDecision::parse(&d).ok_or("field.decision"),
        )
    });
    let decision = f.one("decision", decision)?;
    Ok(DecisionInput {
        proposal_id,
        decision,
    })
}
