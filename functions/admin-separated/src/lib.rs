//! The privacy officer, and no one else, reads separated storage: what a
//! deletion kept because a law keeps it, each member's read in the access
//! log (rule R3).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::privacy::r3_separated::SeparatedList;

domain::function!(handle, [
    ("GET", "/admin/separated-records") => |op| op
        .summary("Separated storage, opened: one member's records or the latest 100, each read access-logged (R3)")
        .of(&SeparatedList)
        .query("member", false, "a member's id")
        .reply::<domain::privacy::r3_separated::SeparatedRecords>(200),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let member = req.query_param("member").unwrap_or_default();
    serve(&SeparatedList, req, cx, |_| Ok(member)).await
}
