//! The privacy officer's queue of privacy-rights requests, open first by
//! their last day (rules P2, P3); each requester's words read are logged
//! (A3).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::privacy::p3_desk::DeskQueueView;

domain::function!(handle, [
    ("GET", "/admin/privacy-requests") => |op| op
        .summary("The privacy desk's queue: open requests by their last day, then the latest closed (P3)")
        .of(&DeskQueueView)
        .reply::<domain::privacy::p3_desk::DeskQueue>(200),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&DeskQueueView, req, cx, |_| Ok(())).await
}
