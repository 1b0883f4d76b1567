//! Every response the end-to-end tests receive is checked against the
//! published OpenAPI document (`functions/meta/openapi.json`): its route is
//! documented (or the router refused it: 404 for an unknown path, 405 with
//! `Allow` for another method), its status is one the operation documents,
//! and a problem document is an RFC 9457 one with the status it was sent
//! with. Dev-only routes (`/__dev/*`) are not part of the contract.

use crate::Reply;
use domain::kernel::routing::{Found, Routes};
use serde_json::Value as Json;
use std::sync::OnceLock;

struct Doc {
    json: Json,
    routes: Routes<usize>,
    /// (method, path pattern) by route index.
    operations: Vec<(&'static str, String)>,
}

fn doc() -> &'static Doc {
    static DOC: OnceLock<Doc> = OnceLock::new();
    DOC.get_or_init(|| {
        let json: Json = serde_json::from_str(meta::OPENAPI_FOR_TESTS).expect("openapi.json");
        let mut operations = Vec::new();
        let mut list = Vec::new();
        for (path, item) in json["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("path item").keys() {
                let m: &'static str = Box::leak(method.to_ascii_uppercase().into_boxed_str());
                let p: &'static str = Box::leak(path.clone().into_boxed_str());
                list.push((m, p, operations.len()));
                operations.push((m, path.clone()));
            }
        }
        Doc {
            routes: Routes::new(list),
            json,
            operations,
        }
    })
}

fn is_problem(r: &Reply) -> Result<(), String> {
    if r.header("content-type") != Some("application/problem+json") {
        return Err(format!("content-type {:?}", r.header("content-type")));
    }
    let p = r.json();
    for member in ["type", "title", "detail", "instance"] {
        if !p[member].is_string() {
            return Err(format!("problem without {member}"));
        }
    }
    if p["status"] != r.status {
        return Err(format!("problem status {} on a {}", p["status"], r.status));
    }
    if r.status == 422 {
        let errors = p["errors"].as_array().ok_or("422 without errors")?;
        if errors
            .iter()
            .any(|e| !e["pointer"].is_string() || !e["detail"].is_string())
        {
            return Err("an error without pointer or detail".into());
        }
    }
    Ok(())
}

/// Panics when the response does not match the document.
#[track_caller]
pub fn check(method: &str, path_and_query: &str, r: &Reply) {
    let path = path_and_query.split('?').next().unwrap_or("");
    if path.starts_with("/__dev/") {
        return;
    }
    let d = doc();
    let fail = |why: String| -> ! {
        panic!(
            "{method} {path} → {} does not match the OpenAPI document: {why}; body: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        )
    };
    match d.routes.find(method, path) {
        Found::NotFound => {
            if r.status != 404 {
                fail("an undocumented path answered other than 404".into());
            }
            is_problem(r).unwrap_or_else(|e| fail(e));
        }
        Found::MethodNotAllowed(allowed) => {
            if r.status != 405 || r.header("allow").is_none_or(|a| a != allowed.join(", ")) {
                fail(format!("expected 405 with Allow: {}", allowed.join(", ")));
            }
            is_problem(r).unwrap_or_else(|e| fail(e));
        }
        Found::Handler(i, _) => {
            let (m, p) = &d.operations[i];
            let op = &d.json["paths"][p][m.to_ascii_lowercase()];
            let Some(documented) = op["responses"].get(r.status.to_string()) else {
                fail(format!(
                    "status not documented (documented: {:?})",
                    op["responses"]
                        .as_object()
                        .map(|o| o.keys().collect::<Vec<_>>())
                ));
            };
            if documented.get("$ref") == Some(&Json::from("#/components/responses/Problem")) {
                is_problem(r).unwrap_or_else(|e| fail(e));
            }
        }
    }
}
