//! The mediator asks a party for material by a day; the party's next
//! message or file answers it (rule D2).

use domain::disputes::d2_mediation::{CaseInput, MaterialInput, RequestMaterial};
use domain::disputes::dispute::AuthorRole;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("POST", "/admin/contracts/{id}/disputes/{dispute_id}/material") => |op| op
        .summary("Asks a party for material by a KST day, a deadline the party sees (D2)")
        .of(&RequestMaterial)
        .body::<MaterialBody>()
        .reply::<domain::disputes::case::DisputeCase>(200)
        .problems(&[403, 404, 409]),
]);
domain::request!(
    struct MaterialBody {
        /// `client` or `partner`
        #[schemars(regex(pattern = r"^(client|partner)$"))]
        party: String,
        /// what the party is asked for (at most 2,000 characters)
        #[schemars(length(min = 1, max = 2000))]
        what: String,
        /// the last KST day to send it
        #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
        due_date: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let case = CaseInput {
        contract_id: req.param("id").unwrap_or_default().to_owned(),
        dispute_id: req.param("dispute_id").unwrap_or_default().to_owned(),
    };
    serve(&RequestMaterial, req, cx, |r| parse(r, case)).await
}

fn parse(req: &Request, case: CaseInput) -> Result<MaterialInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let party = body.str(&mut f, "party").and_then(|p| {
        f.take(
            "party",
            match AuthorRole::parse(&p) {
                Some(r @ (AuthorRole::Client | AuthorRole::Partner)) => Ok(r),
                _ => Err("field.dispute_party"),
            },
        )
    });
    let what = body
        .str(&mut f, "what")
        .and_then(|w| f.take("what", prose(&w, 2000)));
    let due_date = body.str(&mut f, "due_date").and_then(|d| {
        f.take(
            "due_date",
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| "field.date"),
        )
    });
    let (party, what, due_date) =
        f.done((("party", party), ("what", what), ("due_date", due_date)))?;
    Ok(MaterialInput {
        case,
        party,
        what,
        due_date,
    })
}
