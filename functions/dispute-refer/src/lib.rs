//! A party refers a dispute to the Korean Commercial Arbitration Board once
//! mediation gave no result it accepted: the referral is recorded, the
//! platform's process closes, and the filing pack is made, sealed in the
//! bucket and hashed (rule D3).

use domain::disputes::d3_arbitration::{Refer, ReferInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/disputes/{dispute_id}/arbitration") => |op| op
        .summary("Refers the dispute to the KCAB after the mediator's opinion (or its 15 KST days): the platform's process closes and the filing pack is made and hashed (D3)")
        .of(&Refer)
        .reply::<domain::disputes::case::DisputeCase>(200)
        .problems(&[404, 409]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let input = ReferInput {
        contract_id: req.param("id").unwrap_or_default().to_owned(),
        dispute_id: req.param("dispute_id").unwrap_or_default().to_owned(),
    };
    serve(&Refer, req, cx, |_| Ok(input)).await
}
