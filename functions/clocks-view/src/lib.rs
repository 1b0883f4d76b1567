//! Every open deadline (`kernel::clocks`), overdue first, then due today,
//! this week and later (KST days): the staff dashboard's first page shows
//! the kinds the admin's role watches; a member sees the clocks it must act
//! on and those it waits on.

use domain::deadlines::{MemberClocks, StaffClocks};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("GET", "/admin/clocks") => |op| op
        .summary("Open deadlines of the kinds the caller's role watches (owners: all), overdue first, with counts per bucket")
        .of(&StaffClocks)
        .reply::<domain::kernel::clocks::OpenClocks>(200),
    ("GET", "/member/clocks") => |op| op
        .summary("The member's open deadlines, those it must act on (`yours`) and those it waits on, overdue first")
        .of(&MemberClocks)
        .reply::<domain::kernel::clocks::OpenClocks>(200),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.path.starts_with("/admin/") {
        serve(&StaffClocks, req, cx, |_| Ok(())).await
    } else {
        serve(&MemberClocks, req, cx, |_| Ok(())).await
    }
}
