//! Signup step 4: documents (rule S5). `PUT /signup/documents?kind=…` with
//! the file as the raw body; the type is checked by its bytes, not its name.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{FieldError, Problem};
use domain::signup::s5_documents::{DocKind, DocumentInput, Documents, RemoveDocument};

domain::function!(handle, body_limit = domain::signup::s5_documents::MAX_UPLOAD_BYTES, [
    ("PUT", "/signup/documents") => |op| op
        .summary("Step 4: one document upload (S5); the file's bytes are the body")
        .of(&Documents)
        .query_enum::<DocKind>("kind", true, "what the document is for")
        .raw_body("application/octet-stream")
        .reply::<domain::signup::s5_documents::DocumentStored>(201)
        .problems(&[409, 413, 422]),
    ("DELETE", "/signup/documents/{id}") => |op| op
        .summary("Step 4: removes one of the applicant's documents before submission or on hold (S5)")
        .of(&RemoveDocument)
        .reply::<domain::signup::s5_documents::DocumentRemoved>(200)
        .problems(&[404, 409]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if let Some(id) = req.param("id") {
        let id = id.to_owned();
        return serve(&RemoveDocument, req, cx, |_| Ok(id)).await;
    }
    serve(&Documents, req, cx, parse).await
}

fn parse(req: &Request) -> Result<DocumentInput, Problem> {
    let kind = DocKind::parse(&req.query_param("kind").unwrap_or_default()).ok_or_else(|| {
        Problem::validation(vec![FieldError {
            pointer: "#/kind".into(),
            key: "field.document_kind",
        }])
    })?;
    if req.body.len() > kind.max_bytes() {
        return Err(Problem::new(
            413,
            "payload-too-large",
            "title.payload_too_large",
            "detail.file_too_large",
        )
        .with("max_bytes", serde_json::json!(kind.max_bytes())));
    }
    let content_type = domain::signup::sniff::typed(&req.body, |t| kind.accepts(t))?;
    Ok(DocumentInput {
        kind,
        content_type,
        bytes: req.body.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(kind: &str, body: &[u8]) -> Request {
        Request {
            query: format!("kind={kind}"),
            body: body.to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn s5_type_is_checked_by_content_not_name() {
        assert_eq!(
            parse(&r("brochure", b"%PDF-1.7 ...\n%%EOF\n"))
                .unwrap()
                .content_type,
            "application/pdf"
        );
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.extend_from_slice(b"\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\0\0\0\0");
        png.extend_from_slice(b"\0\0\0\0IEND\xae\x42\x60\x82");
        assert_eq!(
            parse(&r("registration_certificate", &png))
                .unwrap()
                .content_type,
            "image/png"
        );
        assert_eq!(
            parse(&r("brochure", &png)).unwrap_err().status,
            422,
            "brochure must be a PDF"
        );
        assert_eq!(
            parse(&r("portfolio", b"MZ\x90\x00 exe"))
                .unwrap_err()
                .errors[0]
                .pointer,
            "#/file"
        );
        assert_eq!(
            parse(&r("portfolio", b"\x00\x00\x00\x0cftypmp42"))
                .unwrap()
                .content_type,
            "video/mp4"
        );
        assert_eq!(
            parse(&r("selfie", b"%PDF-")).unwrap_err().errors[0].pointer,
            "#/kind"
        );
    }

    #[test]
    fn s5_brochure_over_20_mb_is_refused() {
        let mut big = b"%PDF-".to_vec();
        big.resize(20 * 1024 * 1024 + 1, b' ');
        assert_eq!(parse(&r("brochure", &big)).unwrap_err().status, 413);
        big.truncate(20 * 1024 * 1024 - 6);
        big.extend_from_slice(b"%%EOF\n");
        assert!(parse(&r("brochure", &big)).is_ok());
    }
}
