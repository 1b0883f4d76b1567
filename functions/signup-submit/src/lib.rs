//! Signup step 5: submit for review (rule S1); flags duplicates (rule S9).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::signup::s9_submit::Submit;

domain::function!(handle, [("POST", "/signup/submit")]);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// 200 submitted; 409 naming the missing step or documents, or when already submitted.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Submit, req, cx, |_| Ok(())).await
}
