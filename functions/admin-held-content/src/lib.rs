//! Staff review of content held for contact details or off-platform
//! proposals (rule C11).

use domain::contracts::c11_review::{ContentDecision, ContentDecisionInput, DecideHeld, ListHeld};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};

domain::function!(handle, [
    ("GET", "/admin/held") => |op| op
        .summary("Content held for review, oldest first, with what was found in it (C11)")
        .of(&ListHeld)
        .reply::<domain::contracts::c11_review::HeldContentList>(200),
    ("POST", "/admin/held/{id}") => |op| op
        .summary("Releases or rejects held content with a reason (C11)")
        .of(&DecideHeld)
        .body::<DecisionBody>()
        .reply::<domain::contracts::c11_review::HeldContentItem>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct DecisionBody {
        decision: ContentDecision,
        /// shown to the author
        #[schemars(length(min = 1, max = 1000))]
        reason: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    match req.param("id") {
        Some(id) => {
            let id = id.to_owned();
            serve(&DecideHeld, req, cx, |r| parse(r, id)).await
        }
        None => serve(&ListHeld, req, cx, |_| Ok(())).await,
    }
}

fn parse(req: &Request, held_id: String) -> Result<ContentDecisionInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let decision = body.str(&mut f, "decision").and_then(|d| {
        f.take(
            "decision",
            ContentDecision::parse(&d).ok_or("field.decision"),
        )
    });
    let reason = body.reason(&mut f);
    let (decision, reason) = f.done((("decision", decision), ("reason", reason)))?;
    Ok(ContentDecisionInput {
        held_id,
        decision,
        reason,
    })
}
