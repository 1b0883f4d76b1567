//! The privacy officer answers a request: done, partly refused or refused;
//! a refusal, whole or in part, only with its reason and the law it rests
//! on (rules P3, P6, P7); a correction applied with its answer (P5).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::{prose, text, Email, MobileNumber};
use domain::privacy::p3_desk::{AnswerInput, AnswerRequest, Corrections, Outcome};

domain::function!(handle, [
    ("POST", "/admin/privacy-requests/{id}/answer") => |op| op
        .summary("Ends a request: done, partly refused or refused (a refusal with its reason and legal basis), told to the requester; 409 if it changed")
        .of(&AnswerRequest)
        .body::<PrivacyAnswerBody>()
        .reply::<domain::privacy::p1_requests::RightsCase>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct PrivacyAnswerBody {
        /// the request's `revision` as read
        revision: i64,
        /// `completed`, `partially_refused` or `refused`
        outcome: String,
        /// the answer; for a refusal, its reason (required then)
        #[schemars(length(max = 4000))]
        answer: Option<String>,
        /// the law a refusal rests on (required then), e.g. `개인정보 보호법 제35조 제4항`
        #[schemars(length(max = 200))]
        legal_basis: Option<String>,
        /// a correction's (P5) new contact person's name, applied with the answer
        #[schemars(length(max = 50))]
        contact_name: Option<String>,
        /// a correction's new mobile number (`010-1234-5678`)
        mobile: Option<String>,
        /// a correction's new e-mail address
        email: Option<String>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&AnswerRequest, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, id: String) -> Result<AnswerInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let revision = body.version(&mut f, "revision");
    let outcome = body
        .str(&mut f, "outcome")
        .and_then(|o| f.take("outcome", Outcome::parse(&o).ok_or("field.type")));
    let answer = body
        .opt_str(&mut f, "answer")
        .and_then(|a| f.take("answer", prose(&a, 4000)));
    let legal_basis = body
        .opt_str(&mut f, "legal_basis")
        .and_then(|l| f.take("legal_basis", text(&l, 200)));
    let contact_name = body
        .opt_str(&mut f, "contact_name")
        .and_then(|n| f.take("contact_name", text(&n, 50)));
    let mobile = body
        .opt_str(&mut f, "mobile")
        .and_then(|m| f.take("mobile", MobileNumber::parse(&m)));
    let email = body
        .opt_str(&mut f, "email")
        .and_then(|e| f.take("email", Email::parse(&e)));
    let (revision, outcome) = f.done((("revision", revision), ("outcome", outcome)))?;
    Ok(AnswerInput {
        id,
        revision,
        outcome,
        answer,
        legal_basis,
        corrections: Corrections {
            contact_name,
            mobile,
            email,
        },
    })
}
