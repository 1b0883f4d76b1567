//! A party writes to the other on a contract. Contact details or an offer
//! to deal off the platform hold the message for review (rule C11); a
//! message that asks is a request the other party answers within 7 KST
//! days with its next message (rule C7).

use domain::contracts::c11_messages::{MessageInput, PostMessage};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/messages") => |op| op
        .summary("Writes to the other party: held for review if it carries contact details (C11); one that asks is a request due in 7 KST days (C7)")
        .of(&PostMessage)
        .body::<MessageBody>()
        .reply::<domain::contracts::c2_versions::ContractRecord>(201)
        .problems(&[404]),
]);
domain::request!(
    struct MessageBody {
        /// the message, line breaks kept (at most 4,000 characters)
        #[schemars(length(min = 1, max = 4000))]
        body: String,
        /// asks the other party for an answer (default no)
        asks: Option<bool>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&PostMessage, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, contract_id: String) -> Result<MessageInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let text = body
        .str(&mut f, "body")
        .and_then(|b| f.take("body", prose(&b, 4000)));
    let asks = body.opt_bool(&mut f, "asks").unwrap_or(false);
    let body = f.one("body", text)?;
    Ok(MessageInput {
        contract_id,
        body,
        asks,
    })
}
