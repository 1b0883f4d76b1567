//! The addressee of an amendment or a cancellation accepts or declines it;
//! the author of an open request withdraws it (rules C2, C6, C7).

use domain::contracts::c7_requests::{AnswerInput, AnswerRequest, RequestAnswer};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/requests/{request_id}") => |op| op
        .summary("Accepts (an amendment by its version's SHA-256) or declines the other party's request, or withdraws one's own (C2, C6, C7)")
        .of(&AnswerRequest)
        .body::<AnswerBody>()
        .reply::<domain::contracts::c2_versions::ContractRecord>(200)
        .problems(&[403, 404, 409]),
]);
domain::request!(
    struct AnswerBody {
        answer: RequestAnswer,
        /// accepting an amendment: the SHA-256 of its version
        #[schemars(regex(pattern = r"^[0-9a-fA-F]{64}$"))]
        sha256: Option<String>,
        /// why (at most 1,000 characters)
        #[schemars(length(min = 1, max = 1000))]
        reason: Option<String>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    let request_id = req.param("request_id").unwrap_or_default().to_owned();
    serve(&AnswerRequest, req, cx, |r| parse(r, id, request_id)).await
}

fn parse(req: &Request, contract_id: String, request_id: String) -> Result<AnswerInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let answer = body
        .str(&mut f, "answer")
        .and_then(|a| f.take("answer", RequestAnswer::parse(&a).ok_or("field.enum")));
    let sha256 = body.opt_str(&mut f, "sha256").and_then(|h| {
        let ok = h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit());
        f.take("sha256", if ok { Ok(h) } else { Err("field.sha256") })
    });
    let reason = body
        .opt_str(&mut f, "reason")
        .and_then(|r| f.take("reason", text(&r, 1000)));
    let answer = f.one("answer", answer)?;
    Ok(AnswerInput {
        contract_id,
        request_id,
        answer,
        reason,
        sha256,
    })
}
