//! A party adds an evidence file to an open dispute (the file's bytes are
//! the body; its type is checked by content, like a signup document), and
//! either party downloads it as it was added (rule D1).

use domain::disputes::d1_attachments::{
    Attach, AttachInput, DownloadAttachment, FileInput, MAX_FILE_BYTES,
};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::Problem;

domain::function!(handle, body_limit = MAX_FILE_BYTES, [
    ("PUT", "/member/contracts/{id}/disputes/{dispute_id}/attachments") => |op| op
        .summary("Adds an evidence file (PDF, image or video, at most 20 MB; its type checked by its bytes); the file's bytes are the body (D1)")
        .of(&Attach)
        .raw_body("application/octet-stream")
        .reply::<domain::disputes::case::DisputeCase>(201)
        .problems(&[404, 409, 413, 422]),
    ("GET", "/member/contracts/{id}/disputes/{dispute_id}/attachments/{attachment_id}") => |op| op
        .summary("A dispute's evidence file as it was added, to either party (D1)")
        .of(&DownloadAttachment)
        .file_reply(200, domain::signup::s5_documents::CONTENT_TYPES)
        .problems(&[404]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let contract_id = req.param("id").unwrap_or_default().to_owned();
    let dispute_id = req.param("dispute_id").unwrap_or_default().to_owned();
    if let Some(a) = req.param("attachment_id") {
        let input = FileInput {
            contract_id,
            dispute_id,
            attachment_id: a.to_owned(),
        };
        return serve(&DownloadAttachment, req, cx, |_| Ok(input)).await;
    }
    serve(&Attach, req, cx, |r| parse(r, contract_id, dispute_id)).await
}

fn parse(req: &Request, contract_id: String, dispute_id: String) -> Result<AttachInput, Problem> {
    if req.body.len() > MAX_FILE_BYTES {
        return Err(Problem::new(
            413,
            "payload-too-large",
            "title.payload_too_large",
            "detail.file_too_large",
        )
        .with("max_bytes", serde_json::json!(MAX_FILE_BYTES)));
    }
    let content_type = domain::signup::sniff::typed(&req.body, |_| true)?;
    Ok(AttachInput {
        contract_id,
        dispute_id,
        content_type,
        bytes: req.body.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// rule D1: an evidence file is checked by its bytes, not its name.
    #[test]
    fn d1_an_evidence_file_is_typed_by_its_bytes() {
        let r = |b: &[u8]| Request {
            body: b.to_vec(),
            ..Default::default()
        };
        let pdf = parse(&r(b"%PDF-1.7 ...\n%%EOF\n"), "c".into(), "d".into()).unwrap();
        assert_eq!(pdf.content_type, "application/pdf");
        let exe = parse(&r(b"MZ\x90\x00 exe"), "c".into(), "d".into()).unwrap_err();
        assert_eq!(exe.errors[0].pointer, "#/file");
        let html = parse(&r(b"<html><script>x</script>"), "c".into(), "d".into()).unwrap_err();
        assert_eq!(html.status, 422);
    }
}
