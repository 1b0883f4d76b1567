//! Signup: "search my company" by business number or name (rule S4).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{Fields, Problem};
use domain::kernel::types::text;
use domain::signup::s4_company::CompanySearch;

domain::function!(handle, [
    ("GET", "/signup/company-search") => |op| op
        .summary("Search my company (S4): by business number or name prefix, to pre-fill step 3")
        .of(&CompanySearch)
        .query("q", true, "a business number or the start of a company name")
        .reply::<domain::signup::s4_company::CompanyMatches>(200)
        .problems(&[422]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&CompanySearch, req, cx, parse).await
}

fn parse(req: &Request) -> Result<String, Problem> {
    let mut f = Fields::default();
    let q = f.take("q", text(&req.query_param("q").unwrap_or_default(), 100));
    f.finish()?;
    Ok(q.unwrap_or_default())
}
