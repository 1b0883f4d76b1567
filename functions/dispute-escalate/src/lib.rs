//! A party escalates a dispute to the platform's mediation once stage 1
//! failed (the other party answered, or its 7 KST days ran out): the case
//! is frozen and hashed, a mediator assigned, the opinion due in 15 KST
//! days (rule D2).

use domain::disputes::d2_mediation::{CaseInput, Escalate};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/disputes/{dispute_id}/escalation") => |op| op
        .summary("Asks for the platform's mediation once the other party answered or its 7 KST days ran out: the case frozen and hashed, a mediator assigned, the opinion due in 15 KST days (D2)")
        .of(&Escalate)
        .reply::<domain::disputes::case::DisputeCase>(200)
        .problems(&[404, 409]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let input = CaseInput {
        contract_id: req.param("id").unwrap_or_default().to_owned(),
        dispute_id: req.param("dispute_id").unwrap_or_default().to_owned(),
    };
    serve(&Escalate, req, cx, |_| Ok(input)).await
}
