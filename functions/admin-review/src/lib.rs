//! Signup step 6: the review queue and an admin's decision (rules S6, S9).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;
use domain::signup::s6_review::ReviewQueue;
use domain::signup::s6_review::{Decision, Review, ReviewInput};

domain::function!(
    handle,
    [("GET", "/admin/reviews"), ("POST", "/admin/reviews")]
);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// GET 200 with applications awaiting review and their duplicate flags.
/// POST 200 with the new status; 403 unless reviewer or owner; 404 unknown
/// member; 409 when not awaiting review; 422 without a reason.
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
    let reason = match body.opt_str(&mut f, "reason") {
        Some(r) => f.take("reason", text(&r, 1000)),
        None => {
            f.push("reason", "reason.required");
            None
        }
    };
    f.finish()?;
    match (member_id, decision, reason) {
        (Some(member_id), Some(decision), Some(reason)) => Ok(ReviewInput {
            member_id,
            decision,
            reason,
        }),
        _ => Err(Problem::internal()),
    }
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
