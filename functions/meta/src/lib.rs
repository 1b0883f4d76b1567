//! `GET /healthz`. The API's OpenAPI 3.1 document (`openapi.json` here,
//! generated) is served as a static file beside the pages
//! (`/openapi.json`: Workers static assets, Spin's web component), not
//! from the wasm.

use domain::kernel::engine::Cx;
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("GET", "/healthz") => |op| op
        .summary("Liveness, without database access (the benchmarks' baseline)")
        .reply::<Health>(200),
]);
domain::reply!(
    /// Always `{"status": "ok"}` (answered without the engine).
    #[allow(dead_code)]
    struct Health {
        status: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

/// The OpenAPI document of every route; a test checks it against the router
/// (tests only: the wasm never holds it).
pub const OPENAPI: &str = include_str!("../openapi.json");
#[doc(hidden)]
pub const OPENAPI_FOR_TESTS: &str = OPENAPI;

/// On Spin this component also holds the catch-all route (`/...`), so any
/// other path gets a 404 problem document, as on Workers.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let _ = cx;
    match req.path.as_str() {
        "/healthz" => Response::text(200, "application/json", r#"{"status":"ok"}"#),
        _ => domain::kernel::problem::Problem::not_found().to_response(req.lang(), &req.path),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn openapi_document_is_json_of_version_3_1() {
        let v: serde_json::Value = serde_json::from_str(super::OPENAPI).unwrap();
        assert_eq!(v["openapi"], "3.1.0");
    }
}
