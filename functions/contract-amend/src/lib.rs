//! A party proposes an amendment to a formed contract: a new version,
//! confirmed by its author, that the other party accepts by its hash or
//! declines (rule C2).

use domain::contracts::c2_amendments::{AmendContract, AmendInput};
use domain::contracts::c2_versions::{terms_fields, EditInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/amendments") => |op| op
        .summary("Proposes new terms for a formed contract, made on a revision: a version its author confirms, a request to the other party (C2)")
        .of(&AmendContract)
        .body::<AmendBody>()
        .reply::<domain::contracts::c2_versions::ContractRecord>(201)
        .problems(&[404, 409]),
]);
domain::request!(
    /// New terms for a formed contract, made on a revision, and why.
    struct AmendBody {
        /// the terms; `ip_clause` and `portfolio_consent` as formed
        #[serde(flatten)]
        terms: domain::contracts::c2_versions::ContractTermsBody,
        /// why, for the other party (at most 1,000 characters)
        #[schemars(length(min = 1, max = 1000))]
        reason: Option<String>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&AmendContract, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, contract_id: String) -> Result<AmendInput, Problem> {
    let map = json_object(&req.body)?;
    let mut f = Fields::default();
    let terms = terms_fields(&map, &mut f);
    let reason = Body { map: &map }
        .opt_str(&mut f, "reason")
        .and_then(|r| f.take("reason", text(&r, 1000)));
    let (revision, terms) = f.one("terms", terms)?;
    Ok(AmendInput {
        edit: EditInput {
            contract_id,
            revision,
            terms,
        },
        reason,
    })
}
