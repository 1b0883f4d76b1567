//! A member objects to an invoice within 10 KST days of its sending,
//! naming the disputed part and why, and reads its objections (rule D6).

use domain::billing::d6_objections::{MyBillingObjections, ObjectInput, ObjectToInvoice};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::{prose, Krw};

domain::function!(handle, [
    ("POST", "/member/invoices/{id}/objections") => |op| op
        .summary("Objects to an invoice within 10 KST days of its sending: the disputed amount and why; answered within 7 KST days (D6)")
        .of(&ObjectToInvoice)
        .body::<InvoiceObjectionBody>()
        .reply::<domain::billing::d6_objections::BillingObjection>(201)
        .problems(&[404, 409]),
    ("GET", "/member/billing-objections") => |op| op
        .summary("The member's objections to invoices with their answers and days (D6)")
        .of(&MyBillingObjections)
        .reply::<domain::billing::d6_objections::BillingObjections>(200),
]);
domain::request!(
    struct InvoiceObjectionBody {
        /// the part of the invoice's total disputed, in won
        #[schemars(range(min = 1))]
        disputed_krw: i64,
        /// why (at most 4,000 characters)
        #[schemars(length(min = 1, max = 4000))]
        reason: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    match req.param("id") {
        Some(id) => {
            let id = id.to_owned();
            serve(&ObjectToInvoice, req, cx, |r| parse(r, id)).await
        }
        None => serve(&MyBillingObjections, req, cx, |_| Ok(())).await,
    }
}

fn parse(req: &Request, invoice_id: String) -> Result<ObjectInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let disputed = body.opt_won(&mut f, "disputed_krw").and_then(|a| {
        f.take(
            "disputed_krw",
            Krw::new(a).ok().filter(|k| k.won() > 0).ok_or("field.amount_positive"),
        )
    });
    let reason = body
        .str(&mut f, "reason")
        .and_then(|r| f.take("reason", prose(&r, 4000)));
    let (disputed, reason) = f.done((("disputed_krw", disputed), ("reason", reason)))?;
    Ok(ObjectInput {
        invoice_id,
        disputed,
        reason,
    })
}
