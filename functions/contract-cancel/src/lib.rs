//! A party withdraws a draft at once, or asks the other party to agree to
//! cancel a formed contract: once formed, it ends only by both parties or
//! by a dispute's outcome (rule C6).

use domain::contracts::c6_cancel::{CancelContract, CancelInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/cancel") => |op| op
        .summary("Withdraws a draft at once; for a formed contract, asks the other party to agree to cancel it (C6)")
        .of(&CancelContract)
        .body::<CancelBody>()
        .reply::<domain::contracts::c2_versions::ContractRecord>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct CancelBody {
        /// why, for the other party (at most 1,000 characters)
        #[schemars(length(min = 1, max = 1000))]
        reason: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&CancelContract, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, contract_id: String) -> Result<CancelInput, Problem> {
    let map = json_object(&req.body)?;
    let mut f = Fields::default();
    let reason = Body { map: &map }
        .str(&mut f, "reason")
        .and_then(|r| f.take("reason", text(&r, 1000)));
    let reason = f.one("reason", reason)?;
    Ok(CancelInput {
        contract_id,
        reason,
    })
}
