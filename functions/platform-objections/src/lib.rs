//! A member objects to the platform's handling of its dispute, or of a
//! restriction on it, and reads the answers; an owner answers within 15 KST
//! days (rule D4).

use domain::disputes::d4_d5_platform::{MyObjections, Object, ObjectInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("POST", "/member/objections") => |op| op
        .summary("Objects to the platform's handling of a dispute of the member's or of a restriction on it; answered within 15 KST days (D4)")
        .of(&Object)
        .body::<ObjectionBody>()
        .reply::<domain::disputes::d4_d5_platform::PlatformObjection>(201)
        .problems(&[]),
    ("GET", "/member/objections") => |op| op
        .summary("The member's objections to the platform's handling and their answers (D4)")
        .of(&MyObjections)
        .reply::<domain::disputes::d4_d5_platform::PlatformObjections>(200),
]);
domain::request!(
    struct ObjectionBody {
        /// the dispute it is about, if any
        #[schemars(length(min = 1, max = 64))]
        dispute_id: Option<String>,
        /// the restriction it is about, if any
        #[schemars(length(min = 1, max = 64))]
        restriction_id: Option<String>,
        /// the objection (at most 4,000 characters)
        #[schemars(length(min = 1, max = 4000))]
        text: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        return serve(&MyObjections, req, cx, |_| Ok(())).await;
    }
    serve(&Object, req, cx, parse).await
}

fn parse(req: &Request) -> Result<ObjectInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let dispute_id = body.opt_str(&mut f, "dispute_id");
    let restriction_id = body.opt_str(&mut f, "restriction_id");
    let text = body
        .str(&mut f, "text")
        .and_then(|t| f.take("text", prose(&t, 4000)));
    let text = f.one("text", text)?;
    Ok(ObjectInput {
        dispute_id,
        restriction_id,
        text,
    })
}
