//! Either party edits a draft contract: a new version; confirmations of
//! earlier versions no longer count (rules C1, C2).

use domain::contracts::c2_versions::{EditContract, EditInput};
use domain::contracts::contract::{IpClause, Terms};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/versions") => |op| op
        .summary("Edits the draft made on a revision: a new version; 409 if any change came after that revision (C2)")
        .of(&EditContract)
        .body::<EditBody>()
        .reply::<domain::contracts::c2_versions::ContractRecord>(201)
        .problems(&[404, 409]),
]);
domain::request!(
    struct EditBody {
        /// the contract's `revision` the edit was made on
        revision: i64,
        #[schemars(length(min = 1, max = 100))]
        title: String,
        #[schemars(length(min = 1, max = 4000))]
        scope: String,
        /// whole won
        #[schemars(range(min = 1, max = 1_000_000_000_000_i64))]
        amount_krw: i64,
        /// KST calendar date, `YYYY-MM-DD`
        due_date: String,
        ip_clause: IpClause,
        portfolio_consent: bool,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&EditContract, req, cx, |r| parse(r, id)).await
}

/// The largest amount accepted (1 trillion won).
const MAX_AMOUNT: i64 = 1_000_000_000_000;

fn parse(req: &Request, contract_id: String) -> Result<EditInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let revision = match map.get("revision").and_then(serde_json::Value::as_i64) {
        Some(v) if v >= 1 => Some(v),
        _ => {
            f.push("revision", "field.required");
            None
        }
    };
    let title = body
        .str(&mut f, "title")
        .and_then(|s| f.take("title", text(&s, 100)));
    let scope = body
        .str(&mut f, "scope")
        .and_then(|s| f.take("scope", text(&s, 4000)));
    let amount_krw = match map.get("amount_krw").and_then(serde_json::Value::as_i64) {
        Some(n) if (1..=MAX_AMOUNT).contains(&n) => Some(n),
        Some(_) => {
            f.push("amount_krw", "field.non_negative");
            None
        }
        None => {
            f.push("amount_krw", "field.required");
            None
        }
    };
    let due_date = body.str(&mut f, "due_date").and_then(|d| {
        f.take(
            "due_date",
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map(|d| d.format("%Y-%m-%d").to_string())
                .map_err(|_| "field.date"),
        )
    });
    let ip_clause = body
        .str(&mut f, "ip_clause")
        .and_then(|c| f.take("ip_clause", IpClause::parse(&c).ok_or("field.enum")));
    let portfolio_consent = body.bool(&mut f, "portfolio_consent");
    f.finish()?;
    match (
        revision,
        title,
        scope,
        amount_krw,
        due_date,
        ip_clause,
        portfolio_consent,
    ) {
        (
            Some(revision),
            Some(title),
            Some(scope),
            Some(amount_krw),
            Some(due_date),
            Some(ip_clause),
            Some(portfolio_consent),
        ) => Ok(EditInput {
            contract_id,
            revision,
            terms: Terms {
                title,
                scope,
                amount_krw,
                due_date,
                ip_clause,
                portfolio_consent,
            },
        }),
        _ => Err(Problem::internal()),
    }
}
