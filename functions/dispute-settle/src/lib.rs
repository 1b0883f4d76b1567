//! The addressee of a settlement offer accepts or declines it; its author
//! withdraws it. Acceptance settles the dispute and changes the contract in
//! the same write: an amendment both parties confirmed (C2) or a
//! cancellation with cause `dispute` (C6) (rule D1).

use domain::disputes::d1_offers::{AnswerOffer, OfferAnswer, OfferAnswerInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/disputes/{dispute_id}/offers/{offer_id}") => |op| op
        .summary("Accepts or declines the other party's settlement offer, or withdraws one's own; acceptance settles the dispute and amends or cancels the contract (D1, C2, C6)")
        .of(&AnswerOffer)
        .body::<OfferAnswerBody>()
        .reply::<domain::disputes::case::DisputeCase>(200)
        .problems(&[403, 404, 409]),
]);
domain::request!(
    struct OfferAnswerBody {
        answer: OfferAnswer,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let contract_id = req.param("id").unwrap_or_default().to_owned();
    let dispute_id = req.param("dispute_id").unwrap_or_default().to_owned();
    let offer_id = req.param("offer_id").unwrap_or_default().to_owned();
    serve(&AnswerOffer, req, cx, |r| {
        parse(r, contract_id, dispute_id, offer_id)
    })
    .await
}

fn parse(
    req: &Request,
    contract_id: String,
    dispute_id: String,
    offer_id: String,
) -> Result<OfferAnswerInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let answer = body
        .str(&mut f, "answer")
        .and_then(|a| f.take("answer", OfferAnswer::parse(&a).ok_or("field.offer_answer")));
    let answer = f.one("answer", answer)?;
    Ok(OfferAnswerInput {
        contract_id,
        dispute_id,
        offer_id,
        answer,
    })
}
