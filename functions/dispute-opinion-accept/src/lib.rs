//! A party accepts the mediator's opinion; once both have, its outcome
//! applies to the contract as a settlement would and the dispute closes
//! (rule D2).

use domain::disputes::d2_mediation::{AcceptOpinion, CaseInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/disputes/{dispute_id}/opinion") => |op| op
        .summary("Accepts the mediator's opinion; with both parties' acceptance its outcome applies to the contract (D2)")
        .of(&AcceptOpinion)
        .reply::<domain::disputes::case::DisputeCase>(200)
        .problems(&[404, 409]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let input = CaseInput {
        contract_id: req.param("id").unwrap_or_default().to_owned(),
        dispute_id: req.param("dispute_id").unwrap_or_default().to_owned(),
    };
    serve(&AcceptOpinion, req, cx, |_| Ok(input)).await
}
