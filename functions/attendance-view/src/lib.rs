//! Attendance per site and KST day (rule V7): for the member (its own sites)
//! and for admins.

use domain::devices::v7_view::{AttendanceView, ViewInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{FieldError, Problem};

domain::function!(
    handle,
    [("GET", "/member/attendance"), ("GET", "/admin/attendance")]
);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// 200 with first-in / last-out per worker code, counts per terminal and
/// last-seen; 404 for a site that is not the member's; 422 for a bad day.
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
            key: "field.datetime",
        });
    }
    if errors.is_empty() {
        Ok(ViewInput { site_id, day })
    } else {
        Err(Problem::validation(errors))
    }
}
