//! Signup step 5: submit for review (rule S1); flags duplicates (rule S9).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::signup::s9_submit::Submit;

domain::function!(handle, [
    ("POST", "/signup/submit") => |op| op
        .summary("Step 5: submits the application for review (S1, S9)")
        .of(&Submit)
        .reply::<domain::signup::s9_submit::Submitted>(200)
        .problems(&[409]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Submit, req, cx, |_| Ok(())).await
}
