//! A party writes on a dispute; the respondent's first message answers it
//! (rule D1). Nothing written is edited; contact details are refused (C11).

use domain::disputes::d1_negotiation::{DisputeMessageInput, PostDisputeMessage};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/disputes/{dispute_id}/messages") => |op| op
        .summary("Writes on a dispute; the respondent's first message answers it (D1)")
        .of(&PostDisputeMessage)
        .body::<DisputeMessageBody>()
        .reply::<domain::disputes::case::DisputeCase>(201)
        .problems(&[404, 409]),
]);
domain::request!(
    struct DisputeMessageBody {
        /// the message, line breaks kept (at most 4,000 characters)
        #[schemars(length(min = 1, max = 4000))]
        body: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let contract_id = req.param("id").unwrap_or_default().to_owned();
    let dispute_id = req.param("dispute_id").unwrap_or_default().to_owned();
    serve(&PostDisputeMessage, req, cx, |r| {
        parse(r, contract_id, dispute_id)
    })
    .await
}

fn parse(
    req: &Request,
    contract_id: String,
    dispute_id: String,
) -> Result<DisputeMessageInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let text = body
        .str(&mut f, "body")
        .and_then(|b| f.take("body", prose(&b, 4000)));
    let body = f.one("body", text)?;
    Ok(DisputeMessageInput {
        contract_id,
        dispute_id,
        body,
    })
}
