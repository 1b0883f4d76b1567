//! The requester withdraws an open privacy-rights request (rule P3).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::privacy::p1_requests::WithdrawRequest;

domain::function!(handle, [
    ("POST", "/member/privacy-requests/{id}/withdraw") => |op| op
        .summary("The requester withdraws its open request")
        .of(&WithdrawRequest)
        .reply::<domain::privacy::p1_requests::RightsCase>(200)
        .problems(&[404, 409]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&WithdrawRequest, req, cx, |_| Ok(id)).await
}
