//! Every route of the OpenAPI document, fuzzed from its own schemas: for
//! each operation and each kind of caller (none, an applicant, a member
//! user, an owner), requests whose bodies, query and path parameters are
//! drawn from the documented schemas and then bent (a field dropped, a type
//! swapped, a string too long, unknown fields, not JSON at all). Every
//! answer must be documented for its operation and match its schema (the
//! conformance check every call makes), and none may be a 5xx. Runs on
//! every target, `wrangler dev` included; its own binary (fresh state).
//! A failure prints the case: the generator is seeded, and `FUZZ_SEED`
//! replays a run.

use e2e::*;
use serde_json::{json, Map, Value as Json};

/// A small deterministic generator (xorshift64*), so a failing case can be
/// replayed from its seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn text(&mut self, max: usize) -> String {
        const PIECES: &[&str] = &[
            "a", "z", "0", "9", "_", "-", " ", "가", "한", "é", "'", "\"", "%", "\\", "<", ">",
            "/", "\u{0}", "\u{202e}", "😀", "@", ".",
        ];
        let n = self.below(max as u64 + 1) as usize;
        (0..n).map(|_| *self.pick(PIECES)).collect()
    }
}

fn doc() -> Json {
    serde_json::from_str(meta::OPENAPI_FOR_TESTS).expect("openapi.json")
}

/// Follows a local `$ref`.
fn resolve<'a>(doc: &'a Json, schema: &'a Json) -> &'a Json {
    match schema.get("$ref").and_then(Json::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or(&Json::Null),
        None => schema,
    }
}

/// A value drawn from a schema: mostly valid, sometimes not.
fn value(g: &mut Gen, doc: &Json, schema: &Json, depth: usize) -> Json {
    let s = resolve(doc, schema);
    if depth > 4 || g.chance(4) {
        return wrong(g);
    }
    if let Some(choices) = s.get("enum").and_then(Json::as_array) {
        return g.pick(choices).clone();
    }
    if let Some(any) = s
        .get("anyOf")
        .or_else(|| s.get("oneOf"))
        .and_then(Json::as_array)
    {
        let pick = g.pick(any).clone();
        return value(g, doc, &pick, depth + 1);
    }
    let ty = match s.get("type") {
        Some(Json::Array(types)) => g.pick(types).as_str().unwrap_or("null").to_owned(),
        Some(Json::String(t)) => t.clone(),
        _ => "string".to_owned(),
    };
    match ty.as_str() {
        "object" => object(g, doc, s, depth),
        "array" => {
            let max = s
                .get("maxItems")
                .and_then(Json::as_u64)
                .unwrap_or(4)
                .min(25);
            let n = g.below(max + 2);
            let items = s.get("items").cloned().unwrap_or(json!({}));
            Json::Array((0..n).map(|_| value(g, doc, &items, depth + 1)).collect())
        }
        "integer" => match g.below(5) {
            0 => json!(-1),
            1 => json!(i64::MAX),
            2 => json!(0),
            _ => json!(g.below(3000)),
        },
        "number" => json!(g.below(1000) as f64 / 7.0),
        "boolean" => json!(g.chance(50)),
        "null" => Json::Null,
        _ => {
            let max = s.get("maxLength").and_then(Json::as_u64).unwrap_or(40) as usize;
            if g.chance(10) {
                json!(g.text(max + 50))
            } else if let Some(p) = s.get("pattern").and_then(Json::as_str) {
                json!(plausible(g, p))
            } else {
                json!(g.text(max))
            }
        }
    }
}

/// A string that may satisfy a pattern the document uses (codes, business
/// numbers, enumerations written as `^(a|b)$`).
fn plausible(g: &mut Gen, pattern: &str) -> String {
    if let Some(alts) = pattern
        .strip_prefix("^(")
        .and_then(|p| p.strip_suffix(")$"))
    {
        let alts: Vec<&str> = alts.split('|').collect();
        return (*g.pick(&alts)).to_owned();
    }
    if pattern.contains("[0-9]{6}") {
        return format!("{:06}", g.below(1_000_000));
    }
    if pattern.contains("[0-9]{3}-?[0-9]{2}-?[0-9]{5}") {
        return business_number();
    }
    if pattern.contains("[a-z0-9_]") {
        return format!("fz{}", g.below(1 << 40));
    }
    g.text(20)
}

fn object(g: &mut Gen, doc: &Json, s: &Json, depth: usize) -> Json {
    let mut out = Map::new();
    let required: Vec<&str> = s
        .get("required")
        .and_then(Json::as_array)
        .map(|r| r.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    if let Some(props) = s.get("properties").and_then(Json::as_object) {
        for (name, p) in props {
            let needed = required.contains(&name.as_str());
            // Required fields are mostly there; optional ones half the time.
            if (needed && !g.chance(8)) || (!needed && g.chance(50)) {
                out.insert(name.clone(), value(g, doc, p, depth + 1));
            }
        }
    }
    if g.chance(8) {
        out.insert(g.text(12), wrong(g));
    }
    Json::Object(out)
}

/// A value of no particular type.
fn wrong(g: &mut Gen) -> Json {
    match g.below(7) {
        0 => Json::Null,
        1 => json!(true),
        2 => json!(-7),
        3 => json!(1.5e300),
        4 => json!([]),
        5 => json!({}),
        _ => json!(g.text(8)),
    }
}

/// The raw bytes of a body: the drawn JSON, or something that is not it.
fn body_bytes(g: &mut Gen, body: Option<Json>) -> Vec<u8> {
    match (body, g.below(20)) {
        (_, 0) => b"not json {".to_vec(),
        (_, 1) => Vec::new(),
        (_, 2) => b"[1,2,3]".to_vec(),
        (Some(b), _) => serde_json::to_vec(&b).expect("JSON"),
        (None, _) => b"{}".to_vec(),
    }
}

#[test]
fn every_route_answers_only_documented_statuses_to_fuzzed_requests() {
    let t = target();
    let doc = doc();
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand_below(u64::MAX - 1) + 1);
    let cases: u64 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    eprintln!("fuzz seed {seed} ({cases} cases per operation and caller)");
    let mut g = Gen(seed);
    let applicant = Applicant::start(t).token;
    let member = Company::active(t, 1).session;
    let owner = admin(t, "owner");
    let callers: [(&str, Option<String>); 4] = [
        ("visitor", None),
        ("applicant", Some(applicant)),
        ("member", Some(member)),
        ("owner", Some(owner)),
    ];
    let mut five_hundreds = Vec::new();
    let mut seen = std::collections::BTreeMap::<u16, usize>::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let method = method.to_ascii_uppercase();
            // Sign-outs would end the sessions the other cases use.
            if path.ends_with("/logout") {
                continue;
            }
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let schema = op["requestBody"]["content"]["application/json"]["schema"].clone();
            let raw_body = op["requestBody"]["content"]
                .as_object()
                .is_some_and(|c| !c.contains_key("application/json"));
            for (who, token) in &callers {
                for case in 0..cases {
                    let mut url = path.clone();
                    let mut query = Vec::new();
                    for p in &params {
                        let p = resolve(&doc, p);
                        let name = p["name"].as_str().unwrap_or("");
                        let v = match g.below(4) {
                            0 => String::new(),
                            _ => g.text(30),
                        };
                        let enc: String = v
                            .bytes()
                            .map(|b| {
                                if b.is_ascii_alphanumeric() {
                                    (b as char).to_string()
                                } else {
                                    format!("%{b:02X}")
                                }
                            })
                            .collect();
                        match p["in"].as_str() {
                            Some("path") => {
                                // "." and ".." (even as %2E) are dot segments: URL
                                // parsing removes them, so the request would be
                                // for another route, not this one.
                                let seg = if v.is_empty() || v == "." || v == ".." {
                                    "x".to_owned()
                                } else {
                                    enc
                                };
                                url = url.replace(&format!("{{{name}}}"), &seg);
                            }
                            Some("query") if p["required"] == true || g.chance(50) => {
                                query.push(format!("{name}={enc}"));
                            }
                            _ => {}
                        }
                    }
                    if !query.is_empty() {
                        url = format!("{url}?{}", query.join("&"));
                    }
                    let body = if raw_body {
                        let n = g.below(64) as usize;
                        (0..n).map(|_| g.below(256) as u8).collect()
                    } else if schema.is_null() {
                        body_bytes(&mut g, None)
                    } else {
                        let v = value(&mut g, &doc, &schema, 0);
                        body_bytes(&mut g, Some(v))
                    };
                    let auth = token.as_ref().map(|t| format!("Bearer {t}"));
                    let mut headers = vec![JSON];
                    if let Some(a) = &auth {
                        headers.push(("authorization", a.as_str()));
                    }
                    // The conformance check panics on an undocumented status
                    // or a body off its schema; say which case it was.
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        t.call(&method, &url, &headers, &body)
                    }))
                    .unwrap_or_else(|e| {
                        panic!(
                            "seed {seed}: {method} {url} as {who} (case {case}) with body {}: {}",
                            String::from_utf8_lossy(&body),
                            e.downcast_ref::<String>().map_or("", String::as_str)
                        )
                    });
                    *seen.entry(r.status).or_default() += 1;
                    if r.status >= 500 {
                        five_hundreds.push(format!(
                            "{method} {url} as {who}: {} {} (body {})",
                            r.status,
                            String::from_utf8_lossy(&r.body),
                            String::from_utf8_lossy(&body)
                        ));
                    }
                }
            }
        }
    }
    eprintln!("statuses seen: {seen:?}");
    assert!(
        five_hundreds.is_empty(),
        "seed {seed}: {} answers were 5xx:\n{}",
        five_hundreds.len(),
        five_hundreds.join("\n")
    );
}
