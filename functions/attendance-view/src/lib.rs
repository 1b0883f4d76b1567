//! Attendance per site and KST day (rule V7): for the member (its own sites)
//! and for admins.

use domain::devices::v7_view::{AttendanceView, ViewInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{FieldError, Problem};

domain::function!(handle, [
    ("GET", "/member/attendance") => |op| op
        .summary("A site's KST day: first in and last out per worker, counts per terminal (V7)")
        .of(&AttendanceView { admin: false })
        .query("site", true, "the site's id")
        .query("day", true, "KST calendar day, YYYY-MM-DD")
        .reply::<domain::devices::v7_view::AttendanceDay>(200)
        .problems(&[404, 422]),
    ("GET", "/admin/attendance") => |op| op
        .summary("Any member's site day, for billing and owners (V7)")
        .of(&AttendanceView { admin: true })
        .query("site", true, "the site's id")
        .query("day", true, "KST calendar day, YYYY-MM-DD")
        .reply::<domain::devices::v7_view::AttendanceDay>(200)
        .problems(&[404, 422]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let admin = req.path.starts_with("/admin/");
    serve(&AttendanceView { admin }, req, cx, parse).await
}

fn parse(req: &Request) -> Result<ViewInput, Problem> {
    let mut errors = Vec::new();
    let site_id = req.query_param("site").unwrap_or_default();
    if site_id.is_empty() {
        errors.push(FieldError {
            pointer: "#/query/site".into(),
            key: "field.required",
        });
    }
    let day = req.query_param("day").unwrap_or_default();
    if chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").is_err() {
        errors.push(FieldError {
            pointer: "#/query/day".into(),
            key: "field.date",
        });
    }
    if errors.is_empty() {
        Ok(ViewInput { site_id, day })
    } else {
        Err(Problem::validation(errors))
    }
}
