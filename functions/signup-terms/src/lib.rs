//! Signup step 1: terms consent (rule S2). Starts an application and returns
//! its signup token; `GET /terms` serves the documents it consents to.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, FieldError, Fields, Problem};
use domain::signup::s2_terms::{Consent, CurrentTerms, Terms, TermsInput};
use serde_json::Value;

domain::function!(handle, [
    ("POST", "/signup/terms") => |op| op
        .summary("Step 1: terms consents (S2): starts an application, or with a signup token redoes step 1")
        .of(&Terms)
        .body::<TermsBody>()
        .reply::<domain::signup::s2_terms::SignupStarted>(201)
        .problems(&[409, 429]),
    ("GET", "/terms") => |op| op
        .summary("The current terms and policies with their versions and full texts, in the caller's language (S2)")
        .of(&CurrentTerms)
        .reply::<domain::signup::s2_terms::CurrentDocuments>(200),
]);
domain::request!(
    struct TermsBody {
        /// `partner` or `client`
        kind: String,
        /// the applicant confirms being 14 or older
        over_14: bool,
        /// one per document shown, required and optional alike
        #[schemars(length(max = 20))]
        consents: Vec<ConsentBody>,
    }
    struct ConsentBody {
        /// the document's kind (terms, privacy, marketing, ...)
        kind: String,
        /// the version shown
        version: String,
        accepted: bool,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&CurrentTerms, req, cx, |r| Ok(r.lang())).await
    } else {
        serve(&Terms, req, cx, parse).await
    }
}

/// More consents than there are documents to consent to is never valid.
const MAX_CONSENTS: usize = 20;

fn parse(req: &Request) -> Result<TermsInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let kind = body.str(&mut f, "kind");
    let over_14 = body.bool(&mut f, "over_14");
    let mut consents = Vec::new();
    match map.get("consents") {
        // One consent per document at most: 10,000 once wrote 10,000 rows
        // (over D1's 1,000 statements a request).
        Some(Value::Array(items)) if items.len() > MAX_CONSENTS => {
            f.push("consents", "field.too_many");
        }
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let get = |k: &str| item.get(k);
                match (
                    get("kind").and_then(Value::as_str),
                    get("version").and_then(Value::as_str),
                    get("accepted").and_then(Value::as_bool),
                ) {
                    (Some(kind), Some(version), Some(accepted)) => {
                        consents.push(Consent {
                            kind: kind.to_owned(),
                            version: version.to_owned(),
                            accepted,
                        });
                    }
                    _ => {
                        f.0.push(FieldError::new(&format!("consents/{i}"), "field.type"))
                    }
                }
            }
        }
        None => f.push("consents", "field.required"),
        Some(_) => f.push("consents", "field.type"),
    }
    f.finish()?;
    Ok(TermsInput {
        kind: kind.unwrap_or_default(),
        over_14: over_14.unwrap_or(false),
        consents,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: &str) -> Request {
        Request {
            method: "POST".into(),
            path: "/signup/terms".into(),
            body: body.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn s2_parse_reports_every_bad_field_with_pointers() {
        let p = parse(&req(r#"{"over_14":"yes","consents":[{"kind":1}]}"#)).unwrap_err();
        let pointers: Vec<_> = p.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/kind", "#/over_14", "#/consents/0"]);
        assert_eq!(p.status, 422);
    }

    #[test]
    fn s2_a_consent_list_longer_than_the_documents_is_refused_whole() {
        let item = r#"{"kind":"terms_of_service","version":"2026-01-01","accepted":true}"#;
        let many = vec![item; 10_000].join(",");
        let p = parse(&req(&format!(
            r#"{{"kind":"partner","over_14":true,"consents":[{many}]}}"#
        )))
        .unwrap_err();
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].pointer, "#/consents");
    }

    #[test]
    fn s2_parse_accepts_a_full_consent_list() {
        let i = parse(&req(r#"{"kind":"partner","over_14":true,"consents":[{"kind":"terms_of_service","version":"2026-01-01","accepted":true}]}"#)).unwrap();
        assert_eq!(i.consents.len(), 1);
        assert!(i.over_14);
    }
}
