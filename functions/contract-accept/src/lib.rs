//! The client accepts the completed work within the inspection; the rights
//! pass to it unless the contract reserved them (rules C3, C5).

use domain::contracts::c3_inspection::AcceptCompletion;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/accept") => |op| op
        .summary("The client accepts the completed work; the passing of the rights is recorded unless reserved (C3, C5)")
        .of(&AcceptCompletion)
        .reply::<domain::contracts::c2_versions::ContractRecord>(200)
        .problems(&[404, 409]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&AcceptCompletion, req, cx, |_| Ok(id)).await
}
