//! The privacy officer reads what a deletion would do before executing it
//! (rule P6): what is erased now, what moves to separated storage, what
//! stays where it is under which law until when, and what blocks it.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::privacy::p6_deletion::DeletionPlanView;

domain::function!(handle, [
    ("GET", "/admin/privacy-requests/{id}/deletion-plan") => |op| op
        .summary("A deletion request's plan: each holding erased, moved or kept (its law and last day), and what blocks it (P6)")
        .of(&DeletionPlanView)
        .reply::<domain::privacy::p6_deletion::DeletionPlan>(200)
        .problems(&[404, 409]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&DeletionPlanView, req, cx, |_| Ok(id)).await
}
