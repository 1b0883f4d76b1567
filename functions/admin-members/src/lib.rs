//! Staff: an applicant's or member's whole record, personal fields
//! decrypted, each read written to the personal-data access log.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::Problem;
use domain::signup::s6_review::MemberProfile;

domain::function!(handle, [("GET", "/admin/members/{id}")]);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// 200 with the record; 401 without an admin session; 403 for a role that
/// may not read it (reviewer, billing and owner may); 404 for an unknown id.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&MemberProfile, req, cx, |r| {
        r.param("id")
            .filter(|id| !id.is_empty() && id.len() <= 64)
            .map(str::to_owned)
            .ok_or_else(Problem::not_found)
    })
    .await
}
