//! Signup: the applicant's status, next step and decision reason (rule S6).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::signup::s1_steps::Status;

domain::function!(handle, [("GET", "/signup/status")]);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// 200 with status, next step, missing documents, decision and reason.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Status, req, cx, |_| Ok(())).await
}
