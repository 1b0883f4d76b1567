//! The requester downloads the copy of everything held about them while it
//! is ready (rule P4): a JSON file with its Korean cover, opened from where
//! it is sealed and sent as an attachment.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::privacy::p4_export::ExportFile;

domain::function!(handle, [
    ("GET", "/member/privacy-requests/{id}/export") => |op| op
        .summary("The requester's copy of everything held about them (P4), as an attachment; 409 while it is made, 410 once its 7 days ended")
        .of(&ExportFile)
        .file_reply(200, &["application/json"])
        .problems(&[404, 409, 410]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&ExportFile, req, cx, |_| Ok(id)).await
}
