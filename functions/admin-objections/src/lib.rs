//! Owners list the open objections to the platform's handling, due first,
//! and answer each once; the member is told (rule D4).

use domain::disputes::d4_d5_platform::{AnswerObjection, AnswerObjectionInput, OpenObjections};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("GET", "/admin/objections") => |op| op
        .summary("Open objections to the platform's handling, due first (owners; D4)")
        .of(&OpenObjections)
        .reply::<domain::disputes::d4_d5_platform::PlatformObjections>(200),
    ("POST", "/admin/objections/{id}") => |op| op
        .summary("Answers an objection, once; due within 15 KST days (D4)")
        .of(&AnswerObjection)
        .body::<ObjectionAnswerBody>()
        .reply::<domain::disputes::d4_d5_platform::PlatformObjection>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct ObjectionAnswerBody {
        /// the answer (at most 4,000 characters)
        #[schemars(length(min = 1, max = 4000))]
        answer: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let Some(id) = req.param("id") else {
        return serve(&OpenObjections, req, cx, |_| Ok(())).await;
    };
    let id = id.to_owned();
    serve(&AnswerObjection, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, objection_id: String) -> Result<AnswerObjectionInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let answer = body
        .str(&mut f, "answer")
        .and_then(|a| f.take("answer", prose(&a, 4000)));
    let answer = f.one("answer", answer)?;
    Ok(AnswerObjectionInput {
        objection_id,
        answer,
    })
}
