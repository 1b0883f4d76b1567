//! Staff: the member list (company data and device limits); an
//! applicant's or member's whole record, personal fields
//! decrypted, and its documents as attachments; each read written to the
//! personal-data access log.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{FieldError, Problem};
use domain::signup::member::MemberStatus;
use domain::signup::s6_review::{DocumentFile, MemberListView, MemberProfile};

domain::function!(handle, [
    ("GET", "/admin/members") => |op| op
        .summary("Members and applicants, newest first (at most 100), with their device limits; company data only")
        .of(&MemberListView)
        .query_enum::<MemberStatus>("status", false, "only members in this status")
        .reply::<domain::signup::s6_review::MemberList>(200)
        .problems(&[422]),
    ("GET", "/admin/members/{id}") => |op| op
        .summary("An applicant's or member's whole record (the read is written to the access log)")
        .of(&MemberProfile)
        .reply::<domain::signup::s6_review::MemberRecord>(200)
        .problems(&[404]),
    ("GET", "/admin/members/{id}/documents/{doc}") => |op| op
        .summary("One of its documents, as an attachment never rendered inline (the read is written to the access log)")
        .of(&DocumentFile)
        .file_reply(200, domain::signup::s5_documents::CONTENT_TYPES)
        .problems(&[404]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = |name: &str| {
        req.param(name)
            .filter(|id| !id.is_empty() && id.len() <= 64)
            .map(str::to_owned)
            .ok_or_else(Problem::not_found)
    };
    if req.path == "/admin/members" {
        return serve(&MemberListView, req, cx, |r| {
            r.query_param("status")
                .map(|s| {
                    MemberStatus::parse(&s).ok_or_else(|| {
                        Problem::validation(vec![FieldError {
                            pointer: "#/status".into(),
                            key: "field.status",
                        }])
                    })
                })
                .transpose()
        })
        .await;
    }
    if req.param("doc").is_some() {
        serve(&DocumentFile, req, cx, |_| Ok((id("id")?, id("doc")?))).await
    } else {
        serve(&MemberProfile, req, cx, |_| id("id")).await
    }
}
