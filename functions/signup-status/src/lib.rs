//! Signup: the applicant's status, next step and decision reason (rule S6).

use domain::http::{Request, Response};
use domain::runtime::{serve, Cx};
use domain::signup::Status;

domain::function!(handle, [("GET", "/signup/status")]);
adapter_spin::component!(boxed);

/// # Responses
/// 200 with status, next step, missing documents, decision and reason.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Status, req, cx, |_| Ok(())).await
}
