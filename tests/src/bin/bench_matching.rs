//! Benchmark (not a test): the proposal for one work request — `GET
//! /member/requests/{id}`, which ranks the category's partners and explains
//! each factor (M1) — with 100 and then 10,000 partners in the category,
//! each figure a ratio of `/healthz` measured just before and just after it
//! in the same `wrangler dev` run. The partners are seeded straight into
//! the local D1 file (members and their `match_index` rows, as a profile
//! save writes them); the client and its request go through the API.
//! Run: `bash scripts/bench.sh matching`.

use domain::matching::m1_score::{points, Weights, REGIONS};
use e2e::*;
use serde_json::json;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const CLIENTS: usize = 4;
const SECONDS: f64 = 3.0;
const CATEGORY: &str = "consulting";

/// Requests/s of `GET path` (200 expected) with `CLIENTS` threads.
fn rate(t: &'static dyn Target, path: &str, auth: Option<&str>) -> f64 {
    let done = AtomicUsize::new(0);
    let bad = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..CLIENTS {
            s.spawn(|| {
                let bearer = auth.map(|a| format!("Bearer {a}"));
                let headers: Vec<(&str, &str)> = bearer
                    .as_deref()
                    .map(|b| vec![("authorization", b)])
                    .unwrap_or_default();
                while start.elapsed().as_secs_f64() < SECONDS {
                    if t.call("GET", path, &headers, b"").status != 200 {
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    let n = done.load(Ordering::Relaxed);
    assert_eq!(bad.load(Ordering::Relaxed), 0, "every answer a 200");
    n as f64 / start.elapsed().as_secs_f64()
}

/// `f`'s rate and its ratio to the mean of `/healthz` just before and after.
fn beside(t: &'static dyn Target, f: &dyn Fn() -> f64) -> (f64, f64) {
    let before = rate(t, "/healthz", None);
    let x = f();
    let after = rate(t, "/healthz", None);
    (x, x / ((before + after) / 2.0))
}

/// Partners `from..to` of the category: active members and their ranking
/// rows (`*`, and one region or `all`), with varied factor values.
fn seed(t: &dyn Target, from: usize, to: usize) {
    let w = Weights::default();
    let now = chrono::Utc::now().to_rfc3339();
    let mut sql = String::new();
    for i in from..to {
        let id = format!("mem_bench{i:05}");
        sql.push_str(&format!(
            "INSERT INTO members (id, kind, status, step, company_name, categories, capability_updated_at, created_at, activated_at) VALUES ('{id}', 'partner', 'active', 7, '벤치 파트너 {i}', '[\"{CATEGORY}\"]', '{now}', '{now}', '{now}');\n"
        ));
        let v = |k: usize| ((i * (7 + k * 13)) % 1001) as u32;
        let vals = [1000, v(1), v(2), v(3), v(4), 0, 1000];
        let (_, total) = points(&vals, &w);
        let vals_json = json!(vals).to_string();
        let region = if i % 3 == 0 {
            "all"
        } else {
            REGIONS[i % REGIONS.len()]
        };
        for r in ["*", region] {
            sql.push_str(&format!(
                "INSERT INTO match_index (category, region, member_id, points, fresh_at, vals) VALUES ('{CATEGORY}', '{r}', '{id}', {total}, '{now}', '{vals_json}');\n"
            ));
        }
    }
    t.seed(&sql);
}

fn main() {
    let which = std::env::var("E2E_TARGET").unwrap_or_else(|_| "wrangler".into());
    std::env::set_var("E2E_TARGET", &which);
    let t = target();
    let mut out = String::new();
    let mut line = |s: String| {
        println!("{s}");
        out.push_str(&s);
        out.push('\n');
    };
    for _ in 0..20 {
        t.call("GET", "/healthz", &[], b"");
    }
    let client = Company::member(t, "client");
    let request = client
        .call(
            "POST",
            "/member/requests",
            &json!({"category": CATEGORY, "title": "벤치 의뢰", "scope": "범위", "budget_krw": 10_000_000, "due_date": "2099-12-31", "region": "seoul", "location": "서울"}),
        )
        .expect(201)
        .json()["request_id"]
        .as_str()
        .expect("request")
        .to_owned();
    let path = format!("/member/requests/{request}");
    line(format!(
        "[{which}] the proposal for one request (GET /member/requests/{{id}}), {CLIENTS} clients, {SECONDS} s per figure"
    ));
    line("partners in the category | proposal req/s | ratio to /healthz | partners proposed | database round trips".into());
    let mut seeded = 0;
    let mut rates = Vec::new();
    for n in [100, 10_000] {
        seed(t, seeded, n);
        seeded = n;
        let one = client.call("GET", &path, &json!(null)).expect(200);
        let proposed = one.json()["proposals"].as_array().map_or(0, Vec::len);
        let trips = one.round_trips();
        let (r, ratio) = beside(t, &|| rate(t, &path, Some(&client.session)));
        rates.push(r);
        line(format!("{n} | {r:.0} | {ratio:.2} | {proposed} | {trips}"));
    }
    line(format!(
        "10,000 partners vs 100: {:.2} of the rate (1.00: the proposal does not grow with the category)",
        rates[1] / rates[0]
    ));
    let dir = root().join("bench-results");
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(mut f) = std::fs::File::create(dir.join(format!("matching-{which}.txt"))) {
        let _ = f.write_all(out.as_bytes());
    }
}
