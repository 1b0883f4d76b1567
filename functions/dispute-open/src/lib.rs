//! A party of a formed contract raises an objection in writing: what is
//! wrong and the relief it asks for; the other party answers within 7 KST
//! days (rule D1). A member restricted for abusing the process raises none
//! until the restriction ends (rule D5).

use domain::disputes::d1_negotiation::{OpenDispute, OpenInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/disputes") => |op| op
        .summary("Raises an objection on a formed contract; the other party answers within 7 KST days (D1); refused while the caller is restricted (D5)")
        .of(&OpenDispute)
        .body::<OpenBody>()
        .reply::<domain::disputes::case::DisputeCase>(201)
        .problems(&[403, 404, 409]),
]);
domain::request!(
    struct OpenBody {
        /// what is wrong, in writing (at most 4,000 characters)
        #[schemars(length(min = 1, max = 4000))]
        claim: String,
        /// what the party asks for (at most 2,000 characters)
        #[schemars(length(min = 1, max = 2000))]
        relief: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&OpenDispute, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, contract_id: String) -> Result<OpenInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let claim = body
        .str(&mut f, "claim")
        .and_then(|c| f.take("claim", prose(&c, 4000)));
    let relief = body
        .str(&mut f, "relief")
        .and_then(|r| f.take("relief", prose(&r, 2000)));
    let (claim, relief) = f.done((("claim", claim), ("relief", relief)))?;
    Ok(OpenInput {
        contract_id,
        claim,
        relief,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// rule D1: the objection is in writing: both texts, every bad field
    /// named at once.
    #[test]
    fn d1_an_objection_needs_its_claim_and_relief() {
        let r = |b: &str| Request {
            body: b.as_bytes().to_vec(),
            ..Default::default()
        };
        let ok = parse(
            &r(r#"{"claim":"납품물이 범위와 다릅니다","relief":"재작업"}"#),
            "con_1".into(),
        )
        .unwrap();
        assert_eq!(ok.claim, "납품물이 범위와 다릅니다");
        let err = parse(&r(r#"{"claim":"  "}"#), "con_1".into()).unwrap_err();
        let pointers: Vec<_> = err.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/claim", "#/relief"]);
    }
}
