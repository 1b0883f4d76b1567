//! A client offers its open work request to a ranked partner (rule M2).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::matching::m2_proposals::{SendInput, SendProposal};

domain::function!(handle, [
    ("POST", "/member/requests/{id}/proposals") => |op| op
        .summary("Offers the open request to a partner ranked for its category; the partner accepts or declines (M2)")
        .of(&SendProposal)
        .body::<ProposalBody>()
        .reply::<domain::matching::m2_proposals::ProposalSent>(201)
        .problems(&[404, 409]),
]);
domain::request!(
    struct ProposalBody {
        /// a partner proposed for the request
        partner_id: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let request_id = req.param("id").unwrap_or_default().to_owned();
    serve(&SendProposal, req, cx, |r| parse(r, request_id)).await
}

fn parse(req: &Request, request_id: String) -> Result<SendInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let partner_id = body.str(&mut f, "partner_id");
    let partner_id = f.one("partner_id", partner_id)?;
    Ok(SendInput {
        request_id,
        partner_id,
    })
}
