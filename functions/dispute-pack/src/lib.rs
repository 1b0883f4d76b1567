//! The filing pack of a dispute referred to the KCAB, as made at the
//! referral: its JSON (whose SHA-256 the case shows) or its Korean
//! rendering, to either party (rule D3).

use domain::disputes::d3_arbitration::{DownloadPack, PackFormat, PackInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("GET", "/member/contracts/{id}/disputes/{dispute_id}/pack") => |op| op
        .summary("The KCAB filing pack's JSON, byte for byte what its SHA-256 is of (D3)")
        .of(&DownloadPack)
        .file_reply(200, &["application/json"])
        .problems(&[404]),
    ("GET", "/member/contracts/{id}/disputes/{dispute_id}/pack.html") => |op| op
        .summary("The KCAB filing pack's readable Korean rendering (D3)")
        .of(&DownloadPack)
        .file_reply(200, &["text/html"])
        .problems(&[404]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let input = PackInput {
        contract_id: req.param("id").unwrap_or_default().to_owned(),
        dispute_id: req.param("dispute_id").unwrap_or_default().to_owned(),
        format: if req.path.ends_with(".html") {
            PackFormat::Html
        } else {
            PackFormat::Json
        },
    };
    serve(&DownloadPack, req, cx, |_| Ok(input)).await
}
