//! Billing staff list the objections to invoices, answer each once
//! (upheld ones correct lines: reversals on the next invoice) or name a
//! new day with the reason (rule D6).

use domain::billing::d6_objections::{
    AnswerBillingObjection, AnswerInput, Correction, DelayBillingObjection, DelayInput, ObjectionOutcome,
    StaffBillingObjections,
};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::{prose, Krw};
use serde_json::Value;

domain::function!(handle, [
    ("GET", "/admin/billing-objections") => |op| op
        .summary("Objections to invoices: the open ones due first, then the answered (billing staff; D6)")
        .of(&StaffBillingObjections)
        .reply::<domain::billing::d6_objections::BillingObjections>(200),
    ("POST", "/admin/billing-objections/{id}") => |op| op
        .summary("Answers an objection once; upheld, its corrections become reversals on the next invoice; the member is told (D6)")
        .of(&AnswerBillingObjection)
        .body::<BillingAnswerBody>()
        .reply::<domain::billing::d6_objections::BillingObjection>(200)
        .problems(&[404, 409]),
    ("POST", "/admin/billing-objections/{id}/delay") => |op| op
        .summary("Names a new last day to answer, with the reason, sent to the member (D6; seed 003 §29②)")
        .of(&DelayBillingObjection)
        .body::<BillingDelayBody>()
        .reply::<domain::billing::d6_objections::BillingObjection>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct BillingCorrectionBody {
        /// a line of the invoice
        line_no: i64,
        /// how much of it is reversed
        #[schemars(range(min = 1))]
        amount_krw: i64,
    }
    struct BillingAnswerBody {
        /// upheld, partly_upheld, rejected
        outcome: String,
        /// the answer (at most 4,000 characters), sent to the member
        #[schemars(length(min = 1, max = 4000))]
        answer: String,
        /// the lines corrected (none for a rejection)
        corrections: Option<Vec<BillingCorrectionBody>>,
    }
    struct BillingDelayBody {
        /// the new last KST day to answer
        #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
        to_day: String,
        /// why (at most 2,000 characters), sent to the member
        #[schemars(length(min = 1, max = 2000))]
        reason: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let Some(id) = req.param("id") else {
        return serve(&StaffBillingObjections, req, cx, |_| Ok(())).await;
    };
    let id = id.to_owned();
    if req.path.ends_with("/delay") {
        serve(&DelayBillingObjection, req, cx, |r| delay(r, id)).await
    } else {
        serve(&AnswerBillingObjection, req, cx, |r| answer(r, id)).await
    }
}

fn corrections(v: Option<&Value>) -> Result<Vec<Correction>, &'static str> {
    let items = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) if items.len() <= 100 => items,
        Some(_) => return Err("field.corrections"),
    };
    items
        .iter()
        .map(|c| {
            let line_no = c.get("line_no").and_then(Value::as_i64);
            let amount = c
                .get("amount_krw")
                .and_then(Value::as_i64)
                .and_then(|a| Krw::new(a).ok())
                .filter(|k| k.won() > 0);
            match (line_no, amount) {
                (Some(line_no), Some(amount)) => Ok(Correction { line_no, amount }),
                _ => Err("field.corrections"),
            }
        })
        .collect()
}

fn answer(req: &Request, objection_id: String) -> Result<AnswerInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let outcome = body
        .str(&mut f, "outcome")
        .and_then(|o| f.take("outcome", ObjectionOutcome::parse(&o).ok_or("field.objection_outcome")));
    let text = body
        .str(&mut f, "answer")
        .and_then(|a| f.take("answer", prose(&a, 4000)));
    let fixes = f.take("corrections", corrections(map.get("corrections")));
    let (outcome, answer, corrections) = f.done((
        ("outcome", outcome),
        ("answer", text),
        ("corrections", fixes),
    ))?;
    Ok(AnswerInput {
        objection_id,
        outcome,
        answer,
        corrections,
    })
}

fn delay(req: &Request, objection_id: String) -> Result<DelayInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let to_day = body.str(&mut f, "to_day").and_then(|d| {
        f.take(
            "to_day",
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| "field.date"),
        )
    });
    let reason = body
        .str(&mut f, "reason")
        .and_then(|r| f.take("reason", prose(&r, 2000)));
    let (to_day, reason) = f.done((("to_day", to_day), ("reason", reason)))?;
    Ok(DelayInput {
        objection_id,
        to_day,
        reason,
    })
}
