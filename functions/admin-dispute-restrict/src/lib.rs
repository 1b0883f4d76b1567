//! A mediator or an owner restricts a member who abuses the dispute
//! process: with a reason and a last KST day, it raises no new dispute
//! until then; nothing else changes for it (rule D5).

use domain::disputes::d4_d5_platform::{Restrict, RestrictInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("POST", "/admin/members/{id}/dispute-restriction") => |op| op
        .summary("Restricts a member from raising disputes until a KST day, with the reason; the member is told and may object (D5, D4)")
        .of(&Restrict)
        .body::<RestrictBody>()
        .reply::<domain::disputes::d4_d5_platform::Restriction>(201)
        .problems(&[404]),
]);
domain::request!(
    struct RestrictBody {
        /// why (at most 2,000 characters), told to the member
        #[schemars(length(min = 1, max = 2000))]
        reason: String,
        /// the last KST day of the restriction
        #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
        until_day: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&Restrict, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, member_id: String) -> Result<RestrictInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let reason = body
        .str(&mut f, "reason")
        .and_then(|r| f.take("reason", prose(&r, 2000)));
    let until = body.str(&mut f, "until_day").and_then(|d| {
        f.take(
            "until_day",
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| "field.date"),
        )
    });
    let (reason, until_day) = f.done((("reason", reason), ("until_day", until)))?;
    Ok(RestrictInput {
        member_id,
        reason,
        until_day,
    })
}
