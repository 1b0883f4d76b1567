//! The client reports defects within the inspection: the contract goes
//! back to `in_progress` for a free repair (rule C4).

use domain::contracts::c3_inspection::{DefectInput, ReportDefects};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/defects") => |op| op
        .summary("The client reports defects within the inspection: back to in progress for a free repair (C4)")
        .of(&ReportDefects)
        .body::<DefectBody>()
        .reply::<domain::contracts::c2_versions::ContractRecord>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct DefectBody {
        /// what is wrong, at most 2,000 characters
        #[schemars(length(min = 1, max = 2000))]
        description: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&ReportDefects, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, contract_id: String) -> Result<DefectInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let description = body
        .str(&mut f, "description")
        .and_then(|d| f.take("description", text(&d, 2000)));
    let description = f.one("description", description)?;
    Ok(DefectInput {
        contract_id,
        description,
    })
}
