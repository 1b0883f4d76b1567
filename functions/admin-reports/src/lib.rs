//! Owners and auditors read the monthly access-log reviews and the
//! quarterly self-audits the report jobs made (rule A9).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::privacy::a9_reports::ListReports;

domain::function!(handle, [
    ("GET", "/admin/reports") => |op| op
        .summary("The latest monthly access-log reviews and quarterly self-audits, newest period first (A9)")
        .of(&ListReports)
        .reply::<domain::privacy::a9_reports::Reports>(200),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&ListReports, req, cx, |_| Ok(())).await
}
