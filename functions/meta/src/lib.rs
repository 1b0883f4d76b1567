//! `GET /healthz` and `GET /openapi.json` (the API's OpenAPI 3.1 document).

use domain::http::{Request, Response};
use domain::runtime::Cx;

domain::function!(handle, [("GET", "/healthz"), ("GET", "/openapi.json")]);
adapter_spin::component!(boxed);

/// The OpenAPI document of every route; a test checks it against the router.
pub const OPENAPI: &str = include_str!("../openapi.json");
#[doc(hidden)]
pub const OPENAPI_FOR_TESTS: &str = OPENAPI;

/// # Responses
/// 200 always; no database access (the baseline of the benchmarks).
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let _ = cx;
    if req.path == "/openapi.json" {
        Response::text(200, "application/json", OPENAPI)
    } else {
        Response::text(200, "application/json", r#"{"status":"ok"}"#)
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
