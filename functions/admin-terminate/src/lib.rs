//! Staff end a membership for a cause of the terms (rule S10): the member
//! leaves the rankings, its postings and proposals are withdrawn, it is told
//! by e-mail, and it reads its data, read-only, for a year (R4).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::signup::s10_termination::{Terminate, TerminateInput, TerminationCause};

domain::function!(handle, [
    ("POST", "/admin/members/{id}/terminate") => |op| op
        .summary("Terminates a member for a cause of the terms, with a reason shown to it (S10); it keeps read-only access for a year (R4)")
        .of(&Terminate)
        .body::<TerminateBody>()
        .reply::<domain::signup::s10_termination::Terminated>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct TerminateBody {
        cause: TerminationCause,
        /// what happened, shown to the member (sealed at rest)
        #[schemars(length(min = 1, max = 1000))]
        reason: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Terminate, req, cx, parse).await
}

fn parse(req: &Request) -> Result<TerminateInput, Problem> {
    let member_id = req
        .param("id")
        .filter(|id| !id.is_empty() && id.len() <= 64)
        .map(str::to_owned)
        .ok_or_else(Problem::not_found)?;
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let cause = body
        .str(&mut f, "cause")
        .and_then(|c| f.take("cause", TerminationCause::parse(&c).ok_or("field.cause")));
    let reason = body.reason(&mut f);
    let (cause, reason) = f.done((("cause", cause), ("reason", reason)))?;
    Ok(TerminateInput {
        member_id,
        cause,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &str) -> Request {
        Request {
            body: body.as_bytes().to_vec(),
            params: vec![("id".into(), "mem_1".into())],
            ..Default::default()
        }
    }

    #[test]
    fn s10_a_cause_of_the_terms_and_a_reason_are_required() {
        let p = parse(&request(r#"{"cause":"hacking","reason":" "}"#)).unwrap_err();
        let found: Vec<_> = p
            .errors
            .iter()
            .map(|e| (e.pointer.as_str(), e.key))
            .collect();
        assert_eq!(
            found,
            [("#/cause", "field.cause"), ("#/reason", "reason.required")]
        );
        let ok = parse(&request(
            r#"{"cause":"duplicate_registration","reason":"same BRN as mem_0"}"#,
        ))
        .unwrap();
        assert_eq!(ok.cause, TerminationCause::DuplicateRegistration);
        assert_eq!(ok.member_id, "mem_1");
    }
}
