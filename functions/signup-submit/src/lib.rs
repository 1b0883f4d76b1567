//! Signup step 5: submit for review (rule S1); flags duplicates (rule S9).

use domain::http::{Request, Response};
use domain::runtime::{serve, Cx};
use domain::signup::Submit;

domain::function!(handle, [("POST", "/signup/submit")]);
adapter_spin::component!(boxed);

/// # Responses
/// 200 submitted; 409 naming the missing step or documents, or when already submitted.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Submit, req, cx, |_| Ok(())).await
}
