//! The mediator's opinion on a dispute in mediation: the facts, the
//! contract clauses it rests on, a proposed outcome (settlement terms, or
//! `none`: the contract stands) and the reasons; once (rule D2).

use domain::disputes::case::OpinionText;
use domain::disputes::d2_mediation::{CaseInput, GiveOpinion, OpinionInput};
use domain::disputes::dispute::Outcome;
use domain::disputes::settlement::terms_fields;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("POST", "/admin/contracts/{id}/disputes/{dispute_id}/opinion") => |op| op
        .summary("The mediator's opinion: facts, the clauses it rests on, a proposed outcome, reasons; due 15 KST days after the escalation (D2)")
        .of(&GiveOpinion)
        .body::<OpinionBody>()
        .reply::<domain::disputes::case::DisputeCase>(200)
        .problems(&[403, 404, 409]),
]);
domain::request!(
    struct OpinionBody {
        /// the facts as found (at most 8,000 characters)
        #[schemars(length(min = 1, max = 8000))]
        facts: String,
        /// the contract clauses the opinion rests on (1 to 20, each at most 500 characters)
        #[schemars(length(min = 1, max = 20))]
        clauses: Vec<String>,
        /// the proposed outcome: settlement terms, or `none` (the contract stands)
        outcome: Outcome,
        /// `amount`: the new contract amount in won
        #[schemars(range(min = 1, max = 1_000_000_000_000i64))]
        amount_krw: Option<i64>,
        /// `due_date`, `redo`: the date, KST calendar date
        #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
        due_date: Option<String>,
        /// `redo`: what the partner redoes (at most 4,000 characters)
        #[schemars(length(min = 1, max = 4000))]
        scope: Option<String>,
        /// the reasons (at most 8,000 characters)
        #[schemars(length(min = 1, max = 8000))]
        reasons: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let case = CaseInput {
        contract_id: req.param("id").unwrap_or_default().to_owned(),
        dispute_id: req.param("dispute_id").unwrap_or_default().to_owned(),
    };
    serve(&GiveOpinion, req, cx, |r| parse(r, case)).await
}

fn parse(req: &Request, case: CaseInput) -> Result<OpinionInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let facts = body
        .str(&mut f, "facts")
        .and_then(|t| f.take("facts", prose(&t, 8000)));
    let reasons = body
        .str(&mut f, "reasons")
        .and_then(|t| f.take("reasons", prose(&t, 8000)));
    let clauses = match map.get("clauses").and_then(|v| v.as_array()) {
        Some(list) if (1..=20).contains(&list.len()) => {
            let texts: Vec<Option<String>> = list
                .iter()
                .map(|c| c.as_str().and_then(|t| prose(t, 500).ok()))
                .collect();
            if texts.iter().all(Option::is_some) {
                Some(texts.into_iter().flatten().collect::<Vec<_>>())
            } else {
                f.push("clauses", "field.required");
                None
            }
        }
        _ => {
            f.push("clauses", "field.required");
            None
        }
    };
    let none = map.get("outcome").and_then(|v| v.as_str()) == Some(Outcome::None.as_str());
    // The outcome: `Some(None)` for `none` (the contract stands), or the
    // terms of another kind.
    let outcome = if none {
        for name in ["amount_krw", "due_date", "scope"] {
            if map.get(name).is_some_and(|v| !v.is_null()) {
                f.push(name, "field.offer_extra");
            }
        }
        Some(None)
    } else {
        terms_fields(&body, &mut f, "outcome").map(Some)
    };
    let (facts, reasons, clauses, outcome) = f.done((
        ("facts", facts),
        ("reasons", reasons),
        ("clauses", clauses),
        ("outcome", outcome),
    ))?;
    Ok(OpinionInput {
        case,
        text: OpinionText {
            facts,
            clauses,
            reasons,
        },
        outcome,
    })
}
