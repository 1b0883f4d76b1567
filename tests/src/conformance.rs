//! Every response the end-to-end tests receive is checked against the
//! published OpenAPI document (`functions/meta/openapi.json`, generated from
//! the Rust reply and request types): its route is documented (or the
//! router refused it: 404 for an unknown path, 405 with `Allow` for another
//! method), its status is one the operation documents, its media type is the
//! documented one, and its body validates against the documented JSON
//! Schema (a problem document against RFC 9457's, with the status it was
//! sent with). A JSON request the server accepted (2xx) must validate
//! against the documented request body too, so the document is never
//! stricter than the server. Dev-only routes (`/__dev/*`) are not part of
//! the contract.

use crate::Reply;
use domain::kernel::routing::{Found, Routes};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

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

/// A validator for a schema of the document (its `$ref`s resolve against
/// the document's components), built once per schema.
fn validator(schema: &Json) -> Arc<jsonschema::Validator> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> = OnceLock::new();
    let key = schema.to_string();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(v) = cache.lock().expect("validator cache").get(&key) {
        return v.clone();
    }
    let mut root = schema.clone();
    if let Some(obj) = root.as_object_mut() {
        obj.insert("components".into(), doc().json["components"].clone());
    }
    let v = Arc::new(
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&root)
            .unwrap_or_else(|e| panic!("the document's schema {key} does not compile: {e}")),
    );
    cache
        .lock()
        .expect("validator cache")
        .insert(key, v.clone());
    v
}

fn validate(schema: &Json, value: &Json) -> Result<(), String> {
    let errors: Vec<String> = validator(schema)
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

/// The body matches the documented content (media type and schema).
fn matches_content(r: &Reply, response: &Json) -> Result<(), String> {
    let d = doc();
    let response = match response.get("$ref").and_then(Json::as_str) {
        Some(pointer) => d
            .json
            .pointer(pointer.trim_start_matches('#'))
            .ok_or_else(|| format!("dangling {pointer}"))?,
        None => response,
    };
    let content = response["content"]
        .as_object()
        .ok_or("a response without content")?;
    let sent = r.header("content-type").unwrap_or("");
    let (media, documented) = content
        .iter()
        .find(|(m, _)| sent.split(';').next() == Some(m.as_str()))
        .ok_or_else(|| {
            format!(
                "content-type {sent:?}, documented {:?}",
                content.keys().collect::<Vec<_>>()
            )
        })?;
    if media.ends_with("json") {
        let body: Json = serde_json::from_slice(&r.body).map_err(|e| format!("not JSON: {e}"))?;
        validate(&documented["schema"], &body)?;
        if media == "application/problem+json" && body["status"] != r.status {
            return Err(format!(
                "problem status {} on a {}",
                body["status"], r.status
            ));
        }
    }
    Ok(())
}

fn is_problem(r: &Reply) -> Result<(), String> {
    matches_content(
        r,
        &serde_json::json!({ "$ref": "#/components/responses/Problem" }),
    )
}

/// Panics when the response, or an accepted request, does not match the
/// document.
#[track_caller]
/// A query parameter the document enumerates: a listed value is never
/// refused as invalid (422 pointing at it), an unlisted one never accepted.
pub(crate) fn query_values(op: &Json, path_and_query: &str, r: &Reply) -> Result<(), String> {
    let query = path_and_query.split_once('?').map_or("", |(_, q)| q);
    for p in op["parameters"].as_array().into_iter().flatten() {
        let (Some(name), Some(listed)) = (p["name"].as_str(), p["schema"]["enum"].as_array())
        else {
            continue;
        };
        if p["in"] != "query" {
            continue;
        }
        let Some(value) = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find_map(|(k, v)| (k == name).then_some(v))
        else {
            continue;
        };
        let documented = listed.iter().any(|l| l == value);
        if documented && r.status == 422 && r.pointers().contains(&format!("#/{name}")) {
            return Err(format!(
                "refused {name}={value}, a value the document lists"
            ));
        }
        if !documented && (200..300).contains(&r.status) {
            return Err(format!(
                "accepted {name}={value}, a value the document does not list ({listed:?})"
            ));
        }
    }
    Ok(())
}

pub fn check(method: &str, path_and_query: &str, request_body: &[u8], r: &Reply) {
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
            matches_content(r, documented).unwrap_or_else(|e| fail(e));
            let accepted = (200..300).contains(&r.status);
            query_values(op, path_and_query, r).unwrap_or_else(|e| fail(e));
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            if accepted && !schema.is_null() {
                let body: Json = serde_json::from_slice(request_body)
                    .unwrap_or_else(|e| fail(format!("accepted a request that is not JSON: {e}")));
                validate(schema, &body).unwrap_or_else(|e| {
                    fail(format!(
                        "accepted a request the document calls invalid: {e}"
                    ))
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::Reply;

    fn reply(status: u16, content_type: &str, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn query_values_follow_the_documented_enumeration() {
        let op = |path: &str, m: &str| &super::doc().json["paths"][path][m];
        let problem = r##"{"errors":[{"pointer":"#/kind"}]}"##;
        let documents = op("/signup/documents", "put");
        let refused = reply(422, "application/problem+json", problem);
        let e = super::query_values(documents, "/signup/documents?kind=brochure", &refused);
        assert!(e.unwrap_err().contains("a value the document lists"));
        assert!(
            super::query_values(documents, "/signup/documents?kind=passport", &refused).is_ok()
        );
        let members = op("/admin/members", "get");
        let ok = reply(200, "application/json", "{}");
        let e = super::query_values(members, "/admin/members?status=sleeping", &ok);
        assert!(e
            .unwrap_err()
            .contains("a value the document does not list"));
        assert!(super::query_values(members, "/admin/members?status=active", &ok).is_ok());
    }

    #[test]
    fn a_documented_reply_passes() {
        check(
            "GET",
            "/healthz",
            b"",
            &reply(200, "application/json", r#"{"status":"ok"}"#),
        );
    }

    #[test]
    #[should_panic(expected = "does not match the OpenAPI document")]
    fn a_reply_of_another_shape_fails() {
        check(
            "GET",
            "/healthz",
            b"",
            &reply(200, "application/json", r#"{"status":1}"#),
        );
    }

    #[test]
    #[should_panic(expected = "content-type")]
    fn a_reply_of_another_media_type_fails() {
        check("GET", "/healthz", b"", &reply(200, "text/plain", "ok"));
    }

    #[test]
    #[should_panic(expected = "required property")]
    fn a_problem_without_its_members_fails() {
        check(
            "GET",
            "/signup/status",
            b"",
            &reply(401, "application/problem+json", r#"{"status":401}"#),
        );
    }

    #[test]
    #[should_panic(expected = "accepted a request the document calls invalid")]
    fn an_accepted_request_the_document_refuses_fails() {
        let sent = br#"{"code":"12"}"#;
        let ok = r#"{"verified":true,"next":"company"}"#;
        check(
            "POST",
            "/signup/phone/verify",
            sent,
            &reply(200, "application/json", ok),
        );
    }
}
