//! The identity check of a privacy-rights request the desk entered (rule
//! P2): a new code to a contact point on file, the code the requester read
//! back, and a proxy's power of attorney (typed by its bytes, hashed).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::privacy::p2_entered::{
    AttachPowerOfAttorney, CodeTo, DocumentInput, ResendCode, ResendInput, VerifyIdentity,
    VerifyInput, POA_MAX_BYTES,
};
use domain::signup::sniff::typed;

domain::function!(handle, body_limit = POA_MAX_BYTES, [
    ("POST", "/admin/privacy-requests/{id}/identity-code") => |op| op
        .summary("A new identity code to the member's mobile or e-mail on file (P2); the one before stops working; one a minute, five a day")
        .of(&ResendCode)
        .body::<IdentityCodeBody>()
        .reply::<domain::privacy::p2_entered::EnteredCase>(202)
        .problems(&[404, 409, 429]),
    ("POST", "/admin/privacy-requests/{id}/verify") => |op| op
        .summary("The code the requester read back (P2): right, the request starts what it asks for; five tries a code")
        .of(&VerifyIdentity)
        .body::<IdentityVerifyBody>()
        .reply::<domain::privacy::p2_entered::EnteredCase>(200)
        .problems(&[404, 409, 429]),
    ("PUT", "/admin/privacy-requests/{id}/power-of-attorney") => |op| op
        .summary("A proxy's power of attorney (P2), typed by its bytes (PDF, JPG or PNG); its SHA-256 is kept, not the file")
        .of(&AttachPowerOfAttorney)
        .raw_body("application/octet-stream")
        .reply::<domain::privacy::p2_entered::EnteredCase>(200)
        .problems(&[404, 409, 413, 422]),
]);
domain::request!(
    struct IdentityCodeBody {
        /// `sms` (the mobile on file) or `email` (the address on file)
        code_to: String,
    }
);
domain::request!(
    struct IdentityVerifyBody {
        /// the 6 digits the requester read back
        code: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    if req.method == "PUT" {
        serve(&AttachPowerOfAttorney, req, cx, |r| document(r, id)).await
    } else if req.path.ends_with("/verify") {
        serve(&VerifyIdentity, req, cx, |r| verify(r, id)).await
    } else {
        serve(&ResendCode, req, cx, |r| resend(r, id)).await
    }
}

fn resend(req: &Request, id: String) -> Result<ResendInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let code_to = body
        .str(&mut f, "code_to")
        .and_then(|c| f.take("code_to", CodeTo::parse(&c).ok_or("field.privacy_code_to")));
    let code_to = f.one("code_to", code_to)?;
    Ok(ResendInput { id, code_to })
}

fn verify(req: &Request, id: String) -> Result<VerifyInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let code = body.str(&mut f, "code").and_then(|c| {
        let c = c.trim().to_owned();
        f.take(
            "code",
            if c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()) {
                Ok(c)
            } else {
                Err("field.code_format")
            },
        )
    });
    let code = f.one("code", code)?;
    Ok(VerifyInput { id, code })
}

fn document(req: &Request, id: String) -> Result<DocumentInput, Problem> {
    let content_type = typed(&req.body, |t| {
        matches!(t, "application/pdf" | "image/jpeg" | "image/png")
    })?;
    Ok(DocumentInput {
        id,
        content_type,
        bytes: req.body.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: &[u8]) -> Request {
        Request {
            body: body.to_vec(),
            ..Default::default()
        }
    }

    /// rule P2: a power of attorney is checked by its bytes, not its name.
    #[test]
    fn p2_a_power_of_attorney_is_typed_by_its_bytes() {
        let pdf = document(
            &req(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"),
            "prq_1".into(),
        )
        .unwrap();
        assert_eq!(pdf.content_type, "application/pdf");
        let p = document(
            &req(b"MZ\x90\x00 an executable named poa.pdf"),
            "prq_1".into(),
        )
        .unwrap_err();
        assert_eq!(p.status, 422);
        assert_eq!(p.errors[0].pointer, "#/file");
    }

    /// rule P2: the code is six digits; nothing else is compared.
    #[test]
    fn p2_the_code_read_back_is_six_digits() {
        assert_eq!(
            verify(&req(br#"{"code":" 123456 "}"#), "p".into())
                .unwrap()
                .code,
            "123456"
        );
        for bad in [r#"{"code":"12345"}"#, r#"{"code":"12345a"}"#, r#"{}"#] {
            let p = verify(&req(bad.as_bytes()), "p".into()).unwrap_err();
            assert_eq!(p.errors[0].pointer, "#/code", "{bad}");
        }
    }
}
