//! The API's published contract matches what is served: every route of the
//! function catalog but the dev-only ones is in the OpenAPI document, every
//! route is in spin.toml, and nothing else is. (Every response the tests
//! receive is checked against the document too: `e2e::conformance`.)

use std::collections::BTreeSet;

/// The published routes: every route but the dev-only ones (`/__dev/*`).
fn catalog_routes() -> BTreeSet<(String, String)> {
    catalog::FUNCTIONS
        .iter()
        .flat_map(|f| {
            f.routes
                .iter()
                .filter(|(_, p)| !p.starts_with("/__dev/"))
                .map(|(m, p)| (m.to_ascii_lowercase(), (*p).to_owned()))
        })
        .collect()
}

#[test]
fn every_route_is_in_the_openapi_document_and_no_other() {
    let doc: serde_json::Value =
        serde_json::from_str(meta::OPENAPI_FOR_TESTS).expect("openapi.json is JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    assert_eq!(catalog_routes(), documented, "routes served vs documented");
    assert!(
        documented.iter().all(|(_, p)| !p.starts_with("/__dev/")),
        "no dev-only route is published"
    );
}

#[test]
fn served_openapi_document_is_the_one_in_the_repository() {
    let t = e2e::target();
    let r = t.call("GET", "/openapi.json", &[], b"").expect(200);
    assert_eq!(r.body, meta::OPENAPI_FOR_TESTS.as_bytes());
}

#[test]
fn spin_manifest_has_one_component_per_function_on_its_routes() {
    let manifest = std::fs::read_to_string(e2e::root().join("spin.toml")).expect("spin.toml");
    assert!(manifest.contains("spin_manifest_version = 2"));
    let mut routed = BTreeSet::new();
    let mut current_route = None;
    for line in manifest.lines() {
        if let Some(r) = line.strip_prefix("route = ") {
            current_route = Some(r.trim_matches('"').to_owned());
        }
        if let Some(c) = line.strip_prefix("component = ") {
            let r = current_route.take().expect("component follows its route");
            routed.insert((r, c.trim_matches('"').to_owned()));
        }
    }
    let expected: BTreeSet<(String, String)> = catalog::FUNCTIONS
        .iter()
        .flat_map(|f| {
            f.routes
                .iter()
                .map(|(_, p)| (domain::kernel::routing::colon_pattern(p), f.name.to_owned()))
        })
        .collect();
    let mut expected = expected;
    expected.insert(("/...".to_owned(), "meta".to_owned()));
    assert_eq!(routed, expected, "plus the catch-all for 404s");
    for f in catalog::FUNCTIONS {
        let source = format!(
            "source = \"target/wasm32-wasip2/release/{}.wasm\"",
            f.name.replace('-', "_")
        );
        assert!(
            manifest.contains(&format!("[component.{}]", f.name)) && manifest.contains(&source),
            "{}",
            f.name
        );
    }
}
