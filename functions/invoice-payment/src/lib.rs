//! Billing staff record a bank transfer against an invoice with the
//! bank's reference; never more than is owed; the invoice is paid when its
//! payments reach its total (seed 003 §25; rule B2's late fees stop).

use domain::billing::b2_payments::{reference, RecordTransfer, TransferInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::Krw;

domain::function!(handle, [
    ("POST", "/admin/invoices/{id}/payments") => |op| op
        .summary("Records a bank transfer against an invoice with the bank's reference; at most what is owed (billing staff)")
        .of(&RecordTransfer)
        .body::<TransferBody>()
        .reply::<domain::billing::b1_invoices::InvoiceDetail>(201)
        .problems(&[404, 409]),
]);
domain::request!(
    struct TransferBody {
        /// won received
        #[schemars(range(min = 1))]
        amount_krw: i64,
        /// the bank's reference: letters, digits, - _ / . (at most 64)
        #[schemars(regex(pattern = r"^[A-Za-z0-9_/.\-]{1,64}$"))]
        reference: String,
        /// the KST day it was paid (default today; not in the future)
        #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
        paid_on: Option<String>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&RecordTransfer, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, invoice_id: String) -> Result<TransferInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let amount = body.opt_won(&mut f, "amount_krw").and_then(|a| {
        f.take(
            "amount_krw",
            Krw::new(a).ok().filter(|k| k.won() > 0).ok_or("field.amount_positive"),
        )
    });
    let reference = body
        .str(&mut f, "reference")
        .and_then(|r| f.take("reference", reference(&r)));
    let paid_on = match map.get("paid_on") {
        None | Some(serde_json::Value::Null) => Some(None),
        Some(serde_json::Value::String(s)) => f.take(
            "paid_on",
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| "field.date"),
        ),
        Some(_) => f.take("paid_on", Err("field.date")),
    };
    let (amount, reference, paid_on) = f.done((
        ("amount_krw", amount),
        ("reference", reference),
        ("paid_on", paid_on),
    ))?;
    Ok(TransferInput {
        invoice_id,
        amount,
        reference,
        paid_on,
    })
}
