//! Signup: the applicant's status, next step and decision reason (rule S6).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::signup::status::Status;

domain::function!(handle, [
    ("GET", "/signup/status") => |op| op
        .summary("The application's status, next step and a decision's reason (S1, S6)")
        .of(&Status)
        .reply::<domain::signup::status::Application>(200),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Status, req, cx, |_| Ok(())).await
}
