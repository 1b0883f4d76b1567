//! Signup step 6: the review queue and an admin's decision (rules S6, S9).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::signup::s6_review::ReviewQueue;
use domain::signup::s6_review::{Decision, Review, ReviewInput};

domain::function!(handle, [
    ("GET", "/admin/reviews") => |op| op
        .summary("Applications awaiting a decision, with S9 flags")
        .of(&ReviewQueue)
        .reply::<domain::signup::s6_review::ReviewQueueView>(200),
    ("POST", "/admin/reviews") => |op| op
        .summary("Approve, hold or reject an application with a reason (S6); the applicant is notified")
        .of(&Review)
        .body::<ReviewBody>()
        .reply::<domain::signup::s6_review::Decided>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct ReviewBody {
        member_id: String,
        decision: Decision,
        /// required for every decision, shown to the applicant on hold and reject
        #[schemars(length(min = 1, max = 1000))]
        reason: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&ReviewQueue, req, cx, |_| Ok(())).await
    } else {
        serve(&Review, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<ReviewInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let member_id = body.str(&mut f, "member_id");
    let decision = body
        .str(&mut f, "decision")
        .and_then(|d| f.take("decision", Decision::parse(&d).ok_or("field.decision")));
    let reason = body.reason(&mut f);
    let (member_id, decision, reason) = f.done((
        ("member_id", member_id),
        ("decision", decision),
        ("reason", reason),
    ))?;
    Ok(ReviewInput {
        member_id,
        decision,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s6_a_reason_is_required_for_every_decision() {
        let r = |b: &str| Request {
            body: b.as_bytes().to_vec(),
            ..Default::default()
        };
        let p = parse(&r(
            r#"{"member_id":"mem_1","decision":"hold","reason":"  "}"#,
        ))
        .unwrap_err();
        assert_eq!(
            (p.errors[0].pointer.as_str(), p.errors[0].key),
            ("#/reason", "reason.required")
        );
        let p = parse(&r(
            r#"{"member_id":"mem_1","decision":"maybe","reason":"x"}"#,
        ))
        .unwrap_err();
        assert_eq!(p.errors[0].key, "field.decision");
        assert!(parse(&r(
            r#"{"member_id":"mem_1","decision":"reject","reason":"타인 명의"}"#
        ))
        .is_ok());
    }
}
