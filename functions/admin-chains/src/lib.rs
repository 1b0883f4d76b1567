//! Staff verify the access log's and the audit log's hash chains, a page
//! at a time from the oldest entry kept (rule A3).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::Problem;
use domain::privacy::a3_chains::{ChainInput, ChainName, VerifyChain};

domain::function!(handle, [
    ("GET", "/admin/chains/{chain}") => |op| op
        .summary("Verifies a page of a log's hash chain (access_log, audit_log) from the oldest entry kept or after `after`; says where it breaks (A3)")
        .of(&VerifyChain)
        .query("after", false, "the last entry of the page before (a number; 0 or absent: from the oldest kept)")
        .reply::<domain::privacy::a3_chains::ChainCheck>(200)
        .problems(&[404, 422]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&VerifyChain, req, cx, parse).await
}

fn parse(req: &Request) -> Result<ChainInput, Problem> {
    let chain = req
        .param("chain")
        .and_then(ChainName::parse)
        .ok_or_else(Problem::not_found)?;
    let after = match req.query_param("after") {
        None => 0,
        Some(a) => a
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| Problem::field("after", "field.chain_after"))?,
    };
    Ok(ChainInput { chain, after })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(chain: &str, query: &str) -> Request {
        Request {
            query: query.into(),
            params: vec![("chain".into(), chain.into())],
            ..Default::default()
        }
    }

    #[test]
    fn a3_a_chain_is_named_and_a_page_starts_after_a_number() {
        let got = parse(&request("access_log", "after=40")).unwrap();
        assert_eq!((got.chain, got.after), (ChainName::AccessLog, 40));
        assert_eq!(parse(&request("audit_log", "")).unwrap().after, 0);
        assert_eq!(parse(&request("sessions", "")).unwrap_err().status, 404);
        let bad = parse(&request("audit_log", "after=-1")).unwrap_err();
        assert_eq!(bad.errors[0].pointer, "#/after");
    }
}
