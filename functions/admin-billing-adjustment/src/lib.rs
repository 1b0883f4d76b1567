//! Billing staff record, for a member's next invoice, compensation for
//! data the platform lost (capped at 1.5 × the 3-month average plan fee,
//! B5) or a charge for evaded fees (twice the amount, B7).

use domain::billing::b2_payments::reference;
use domain::billing::b5_b7_adjustments::{AdjustmentInput, AdjustmentKind, RecordAdjustment};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::Krw;

domain::function!(handle, [
    ("POST", "/admin/members/{id}/adjustments") => |op| op
        .summary("Records data-loss compensation (capped, B5) or an evasion charge (2x, B7) for the member's next invoice, outside VAT")
        .of(&RecordAdjustment)
        .body::<AdjustmentBody>()
        .reply::<domain::billing::b5_b7_adjustments::AdjustmentView>(201)
        .problems(&[404, 409]),
]);
domain::request!(
    struct AdjustmentBody {
        /// compensation or evasion
        kind: String,
        /// compensation: what the member claimed; evasion: what was evaded
        #[schemars(range(min = 1))]
        amount_krw: i64,
        /// the case's reference: letters, digits, - _ / . (at most 64)
        #[schemars(regex(pattern = r"^[A-Za-z0-9_/.\-]{1,64}$"))]
        reference: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&RecordAdjustment, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, member_id: String) -> Result<AdjustmentInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let kind = body
        .str(&mut f, "kind")
        .and_then(|k| f.take("kind", AdjustmentKind::parse(&k).ok_or("field.adjustment_kind")));
    let amount = body.opt_won(&mut f, "amount_krw").and_then(|a| {
        f.take(
            "amount_krw",
            Krw::new(a).ok().filter(|k| k.won() > 0).ok_or("field.amount_positive"),
        )
    });
    let r = body
        .str(&mut f, "reference")
        .and_then(|r| f.take("reference", reference(&r)));
    let (kind, amount, reference) = f.done((("kind", kind), ("amount_krw", amount), ("reference", r)))?;
    Ok(AdjustmentInput {
        member_id,
        kind,
        amount,
        reference,
    })
}
