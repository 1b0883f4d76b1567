//! A party proposes settlement terms on a dispute: a new contract amount
//! (lower or higher), a scope redone by a date, a new due date, or
//! cancelling the contract by agreement (rule D1).

use domain::disputes::d1_offers::{MakeOffer, OfferInput};
use domain::disputes::dispute::OfferKind;
use domain::disputes::settlement::settlement_fields;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/disputes/{dispute_id}/offers") => |op| op
        .summary("Proposes settlement terms: an amount either way, a redo by a date, a new due date or cancellation (D1)")
        .of(&MakeOffer)
        .body::<OfferBody>()
        .reply::<domain::disputes::case::DisputeCase>(201)
        .problems(&[404, 409]),
]);
domain::request!(
    struct OfferBody {
        kind: OfferKind,
        /// `amount`: the new contract amount in won
        #[schemars(range(min = 1, max = 1_000_000_000_000i64))]
        amount_krw: Option<i64>,
        /// `due_date`, `redo`: the new due date, KST calendar date
        #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
        due_date: Option<String>,
        /// `redo`: what the partner redoes (at most 4,000 characters)
        #[schemars(length(min = 1, max = 4000))]
        scope: Option<String>,
        /// why, for the other party (at most 2,000 characters)
        #[schemars(length(min = 1, max = 2000))]
        note: Option<String>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let contract_id = req.param("id").unwrap_or_default().to_owned();
    let dispute_id = req.param("dispute_id").unwrap_or_default().to_owned();
    serve(&MakeOffer, req, cx, |r| parse(r, contract_id, dispute_id)).await
}

fn parse(req: &Request, contract_id: String, dispute_id: String) -> Result<OfferInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let terms = settlement_fields(&body, &mut f);
    let note = body
        .opt_str(&mut f, "note")
        .and_then(|n| f.take("note", prose(&n, 2000)));
    let terms = f.one("kind", terms)?;
    Ok(OfferInput {
        contract_id,
        dispute_id,
        terms,
        note,
    })
}
