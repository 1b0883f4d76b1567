//! The privacy officer sees the retention schedule (rule R1) and what the
//! daily destruction runs destroyed, in counts and field names (R2).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::privacy::r1_schedule::RetentionDesk;

domain::function!(handle, [
    ("GET", "/admin/retention") => |op| op
        .summary("The retention schedule (class, period, legal basis, action) and the latest destruction runs with what each destroyed, in counts (R1, R2)")
        .of(&RetentionDesk)
        .reply::<domain::privacy::r1_schedule::RetentionView>(200),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&RetentionDesk, req, cx, |_| Ok(())).await
}
