//! Staff see the requests between contract parties left unanswered past
//! their 7 KST days, as the sweep flagged them (rule C7).

use domain::contracts::c7_requests::ListOverdue;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("GET", "/admin/contract-requests") => |op| op
        .summary("Open requests between contract parties flagged overdue (unanswered 7 KST days), oldest flag first (C7)")
        .of(&ListOverdue)
        .reply::<domain::contracts::c7_requests::OverdueRequests>(200),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&ListOverdue, req, cx, |_| Ok(())).await
}
