//! Signup: "search my company" by business number or name (rule S4).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{Fields, Problem};
use domain::kernel::types::text;
use domain::signup::s4_company::CompanySearch;

domain::function!(handle, [("GET", "/signup/company-search")]);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// 200 with up to 10 known companies to pre-fill step 3; 422 without `q`.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&CompanySearch, req, cx, parse).await
}

fn parse(req: &Request) -> Result<String, Problem> {
    let mut f = Fields::default();
    let q = f.take("q", text(&req.query_param("q").unwrap_or_default(), 100));
    f.finish()?;
    Ok(q.unwrap_or_default())
}
