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
    // A static file beside the pages (Workers assets, Spin's web component).
    let t = e2e::target();
    if t.pages_url().is_none() {
        e2e::skip("this target serves no static files (wrangler dev and Spin do)");
        return;
    }
    let r = t.serve("GET", "/openapi.json", &[], b"");
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
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
    expected.extend(
        catalog::PAGE_ROUTES
            .iter()
            .map(|p| ((*p).to_owned(), "web".to_owned())),
    );
    assert_eq!(
        routed, expected,
        "plus the catch-all for 404s and the pages"
    );
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

/// Rule A6 and the audit's unbounded-input finding: every function declares
/// the largest body it reads; a larger one is refused with 413 (a problem
/// document with `max_bytes`) by its declared length, before it is read,
/// and an unknown path is refused before its body is read.
#[test]
fn a6_bodies_over_the_functions_limit_are_refused_unread() {
    let t = e2e::target();
    // 100 KB of JSON to a JSON endpoint (limit 64 KB).
    let big = format!(r#"{{"kind":"partner","pad":"{}"}}"#, "x".repeat(100 * 1024));
    let r = t
        .call("POST", "/signup/terms", &[e2e::JSON], big.as_bytes())
        .expect(413);
    assert_eq!(r.json()["max_bytes"], 64 * 1024);
    // A 40 MB body announced, 1 KB sent: answered at once, not waited for.
    let r = t.serve_declared("POST", "/signup/terms", &[], 40 << 20, &[b' '; 1024]);
    assert_eq!(r.status, 413, "{}", String::from_utf8_lossy(&r.body));
    let r = t.serve_declared("POST", "/no/such/path", &[], 40 << 20, &[b' '; 1024]);
    assert_eq!(r.status, 404, "{}", String::from_utf8_lossy(&r.body));
    // Device batches have their own limit (512 KB), documents theirs (20 MB).
    let r = t.serve_declared(
        "POST",
        "/devices/webhook?terminal=trm_x",
        &[],
        (512 << 10) + 1,
        b"{}",
    );
    assert_eq!(r.status, 413);
    let r = t.serve_declared(
        "PUT",
        "/signup/documents?kind=brochure",
        &[],
        (20 << 20) + 1,
        b"%PDF-",
    );
    assert_eq!(r.status, 413);
}

#[test]
fn no_two_reply_types_share_a_schema_name() {
    // schemars numbers the second of two types with one name (`Profile2`):
    // a client generated from the document would get a meaningless name.
    let doc: serde_json::Value =
        serde_json::from_str(meta::OPENAPI_FOR_TESTS).expect("openapi.json is JSON");
    let numbered: Vec<&String> = doc["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
        .filter(|k| k.ends_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(numbered.is_empty(), "rename one of each pair: {numbered:?}");
}

#[test]
fn every_path_belongs_to_one_function() {
    // Spin routes a request by its path alone, to one component: two
    // function crates serving one path (say GET and PUT of a contract)
    // would leave one of them unreachable there.
    let mut owner = std::collections::BTreeMap::new();
    for f in catalog::FUNCTIONS {
        for (_, path) in f.routes {
            let first = owner.entry(*path).or_insert(f.name);
            assert_eq!(*first, f.name, "{path} is served by {first} and {}", f.name);
        }
    }
}
