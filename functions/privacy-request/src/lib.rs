//! A member user's privacy-rights requests about its own data (rules
//! P1–P3): make one (the session is the identity check), list them.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;
use domain::privacy::p1_requests::{MakeInput, MakeRequest, MyRequests, RightsKind};

domain::function!(handle, [
    ("GET", "/member/privacy-requests") => |op| op
        .summary("The member user's own privacy-rights requests, newest first, with their last days and answers (P3)")
        .of(&MyRequests)
        .reply::<domain::privacy::p1_requests::RightsCases>(200),
    ("POST", "/member/privacy-requests") => |op| op
        .summary("A privacy-rights request about one's own data (P1, P2), due by the 10th KST day after today (P3)")
        .of(&MakeRequest)
        .body::<PrivacyRequestBody>()
        .reply::<domain::privacy::p1_requests::RightsCase>(201)
        .problems(&[409]),
]);
domain::request!(
    struct PrivacyRequestBody {
        /// `access`, `correction`, `deletion`, `suspension`,
        /// `marketing_email`, `marketing_sms` or `withdrawal`
        kind: String,
        /// what the person asks, in its own words (what to correct, which data)
        #[schemars(length(max = 2000))]
        details: Option<String>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&MyRequests, req, cx, |_| Ok(())).await
    } else {
        serve(&MakeRequest, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<MakeInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let kind = body
        .str(&mut f, "kind")
        .and_then(|k| f.take("kind", RightsKind::parse(&k).ok_or("field.privacy_kind")));
    let details = body
        .opt_str(&mut f, "details")
        .and_then(|d| f.take("details", prose(&d, 2000)));
    let (kind,) = f.done((("kind", kind),))?;
    Ok(MakeInput { kind, details })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: &str) -> Request {
        Request {
            body: body.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    /// rule P1: the seven kinds, and nothing else.
    #[test]
    fn p1_a_request_is_one_of_the_seven_kinds() {
        for k in [
            "access",
            "correction",
            "deletion",
            "suspension",
            "marketing_email",
            "marketing_sms",
            "withdrawal",
        ] {
            assert_eq!(
                parse(&req(&format!(r#"{{"kind":"{k}"}}"#)))
                    .unwrap()
                    .kind
                    .as_str(),
                k
            );
        }
        let p = parse(&req(r#"{"kind":"everything"}"#)).unwrap_err();
        assert_eq!(p.errors[0].pointer, "#/kind");
        assert_eq!(p.errors[0].key, "field.privacy_kind");
        let p = parse(&req(r#"{"details":"x"}"#)).unwrap_err();
        assert_eq!(p.errors[0].pointer, "#/kind");
    }
}
