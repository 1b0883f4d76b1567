//! Staff: an applicant's or member's whole record, personal fields
//! decrypted, each read written to the personal-data access log.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::Problem;
use domain::signup::s6_review::MemberProfile;

domain::function!(handle, [
    ("GET", "/admin/members/{id}") => |op| op
        .summary("An applicant's or member's whole record (the read is written to the access log)")
        .of(&MemberProfile)
        .reply::<domain::signup::s6_review::MemberRecord>(200)
        .problems(&[404]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&MemberProfile, req, cx, |r| {
        r.param("id")
            .filter(|id| !id.is_empty() && id.len() <= 64)
            .map(str::to_owned)
            .ok_or_else(Problem::not_found)
    })
    .await
}
