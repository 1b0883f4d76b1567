//! Benchmark (not a test): from one `wrangler dev` run, each signup
//! endpoint's requests/s as a ratio of `/healthz`'s, an estimate of argon2id
//! verification time in workerd, the Worker's gzip size and each Spin
//! component's size. Run: `bash scripts/bench.sh`.

use e2e::*;
use serde_json::json;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CLIENTS: usize = 4;
const SECONDS: f64 = 3.0;

/// Requests/s with `CLIENTS` threads for `SECONDS`; `make` builds request i.
fn rate(
    t: &'static dyn Target,
    make: &(dyn Fn(usize) -> (String, String, Vec<(String, String)>, Vec<u8>) + Sync),
    expect: &[u16],
) -> f64 {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let bad = AtomicUsize::new(0);
    let sample = std::sync::Mutex::new(String::new());
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..CLIENTS {
            s.spawn(|| {
                while start.elapsed().as_secs_f64() < SECONDS {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let (m, p, h, b) = make(i);
                    let hs: Vec<(&str, &str)> =
                        h.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    let r = t.call(&m, &p, &hs, &b);
                    if !expect.contains(&r.status) {
                        bad.fetch_add(1, Ordering::Relaxed);
                        if let Ok(mut s) = sample.lock() {
                            *s = format!("{} {}", r.status, String::from_utf8_lossy(&r.body));
                        }
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    let n = done.load(Ordering::Relaxed);
    let bad = bad.load(Ordering::Relaxed);
    let sample = sample.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(bad * 20 <= n, "{bad} of {n} unexpected, e.g. {sample}");
    n as f64 / start.elapsed().as_secs_f64()
}

fn mean_latency_ms(t: &'static dyn Target, n: usize, f: &dyn Fn() -> Reply) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    let _ = t;
    start.elapsed().as_secs_f64() * 1000.0 / n as f64
}

fn main() {
    // `wrangler dev` unless E2E_TARGET says otherwise (`spin`: the Spin
    // components under the Spin test host, where /healthz is the `meta`
    // component, which touches no database: the empty baseline).
    let which = std::env::var("E2E_TARGET").unwrap_or_else(|_| "wrangler".into());
    std::env::set_var("E2E_TARGET", &which);
    // The rate limits would answer most of the load with 429: raised, so
    // the request path itself is measured.
    std::env::set_var(
        "E2E_VARS",
        "SIGNUP_APPLICATIONS_PER_HOUR:100000000 SIGNUP_CONTACT_SAVES_PER_HOUR:100000000",
    );
    let t = target();
    let mut out = String::new();
    let mut line = |s: String| {
        println!("{s}");
        out.push_str(&s);
        out.push('\n');
    };
    let h = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<Vec<_>>()
    };

    // Warm up, and prepare applicants for one-shot steps.
    for _ in 0..20 {
        t.call("GET", "/healthz", &[], b"");
    }
    let healthz = rate(
        t,
        &|_| ("GET".into(), "/healthz".into(), vec![], vec![]),
        &[200],
    );
    line(format!(
        "[{which}] baseline /healthz: {healthz:.0} req/s ({CLIENTS} clients, {SECONDS} s)"
    ));
    line("endpoint | req/s | ratio to /healthz".into());

    let base = Applicant::start(t);
    base.contact().expect(200);
    base.verify_phone();
    base.company().expect(200);
    let auth = base.auth();
    let terms_body =
        json_body(&json!({"kind": "partner", "over_14": true, "consents": consents()}));
    let company_body = json_body(&base.company_body());

    let pool = |n: usize, step: &dyn Fn(&Applicant)| -> Vec<Applicant> {
        (0..n)
            .map(|_| {
                let a = Applicant::start(t);
                step(&a);
                a
            })
            .collect()
    };
    let mut results: Vec<(&str, f64)> = Vec::new();
    results.push((
        "POST /signup/terms",
        rate(
            t,
            &|_| {
                (
                    "POST".into(),
                    "/signup/terms".into(),
                    h(&[JSON]),
                    terms_body.clone(),
                )
            },
            &[201],
        ),
    ));
    let contact_pool = pool(1, &|_| {});
    let c = &contact_pool[0];
    let c_auth = c.auth();
    let c_body = json_body(&c.contact_body());
    results.push((
        "PUT /signup/contact (argon2id hash)",
        rate(
            t,
            &|_| {
                (
                    "PUT".into(),
                    "/signup/contact".into(),
                    h(&[JSON, ("authorization", &c_auth)]),
                    c_body.clone(),
                )
            },
            &[200, 409],
        ),
    ));
    let sends = pool(200, &|a| {
        a.contact().expect(200);
    });
    results.push((
        "POST /signup/phone/send (one per applicant, then 429)",
        rate(
            t,
            &|i| {
                (
                    "POST".into(),
                    "/signup/phone/send".into(),
                    h(&[JSON, ("authorization", &sends[i % sends.len()].auth())]),
                    b"{}".to_vec(),
                )
            },
            &[202, 429],
        ),
    ));
    results.push((
        "POST /signup/phone/verify (wrong code)",
        rate(
            t,
            &|i| {
                (
                    "POST".into(),
                    "/signup/phone/verify".into(),
                    h(&[JSON, ("authorization", &sends[i % sends.len()].auth())]),
                    br#"{"code":"000000"}"#.to_vec(),
                )
            },
            &[422, 429],
        ),
    ));
    results.push((
        "PUT /signup/company",
        rate(
            t,
            &|_| {
                (
                    "PUT".into(),
                    "/signup/company".into(),
                    h(&[JSON, ("authorization", &auth)]),
                    company_body.clone(),
                )
            },
            &[200, 409],
        ),
    ));
    results.push((
        "GET /signup/company-search",
        rate(
            t,
            &|_| {
                (
                    "GET".into(),
                    "/signup/company-search?q=220-81-62517".into(),
                    h(&[("authorization", &auth)]),
                    vec![],
                )
            },
            &[200],
        ),
    ));
    results.push((
        "PUT /signup/documents (portfolio PNG)",
        rate(
            t,
            &|_| {
                (
                    "PUT".into(),
                    "/signup/documents?kind=portfolio".into(),
                    h(&[("authorization", &auth)]),
                    png(),
                )
            },
            &[201],
        ),
    ));
    results.push((
        "GET /signup/status",
        rate(
            t,
            &|_| {
                (
                    "GET".into(),
                    "/signup/status".into(),
                    h(&[("authorization", &auth)]),
                    vec![],
                )
            },
            &[200],
        ),
    ));
    results.push((
        "POST /signup/submit (repeat: 409)",
        rate(
            t,
            &|_| {
                (
                    "POST".into(),
                    "/signup/submit".into(),
                    h(&[JSON, ("authorization", &auth)]),
                    b"{}".to_vec(),
                )
            },
            &[200, 409],
        ),
    ));
    for (name, r) in &results {
        line(format!("{name} | {r:.0} | {:.3}", r / healthz));
    }

    // argon2id verification in {which} ≈ a successful login's latency minus
    // /signup/status's (both one read batch; login adds the verification and
    // a write batch, so this slightly overstates it).
    let active = Applicant::submitted(t);
    active.activate();
    let login_body = json_body(&json!({"login_id": active.login_id, "password": active.password}));
    let login_ms = mean_latency_ms(t, 20, &|| {
        t.call("POST", "/auth/login", &[JSON], &login_body)
            .expect(200)
    });
    let status_ms = mean_latency_ms(t, 20, &|| {
        t.call("GET", "/signup/status", &[("authorization", &auth)], b"")
            .expect(200)
    });
    line(format!("argon2id verify (m=19456 KiB, t=2, p=1) in {which} ≈ {:.0} ms (login {login_ms:.0} ms − status {status_ms:.0} ms, sequential)", login_ms - status_ms));

    let root = root();
    // A missing artifact fails the benchmark: it never reports a size of 0.
    let read = |p: &str| {
        let b = std::fs::read(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert!(!b.is_empty(), "{p} is empty");
        b
    };
    let gz = |b: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(b).expect("gzip in memory");
        e.finish().expect("gzip in memory").len()
    };
    for (group, _) in catalog::BINDINGS {
        let wasm = read(&format!("functions/worker/build-{group}/index_bg.wasm"));
        let js = read(&format!("functions/worker/build-{group}/index.js"));
        line(format!(
            "Worker edge-{group}: wasm {} KB raw, {} KB gzip; JS shim {} KB gzip (target ≤ 512 KB gzip)",
            wasm.len() / 1024,
            gz(&wasm) / 1024,
            gz(&js) / 1024
        ));
    }
    let mut comps: Vec<_> = std::fs::read_dir(root.join("target/wasm32-wasip2/release"))
        .expect("Spin components built (bash scripts/build-spin.sh)")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .collect();
    comps.sort();
    assert!(
        !comps.is_empty(),
        "no Spin component in target/wasm32-wasip2/release"
    );
    for c in comps {
        let size = std::fs::metadata(&c)
            .map(|m| m.len())
            .expect("component size");
        assert!(size > 0, "{} is empty", c.display());
        line(format!(
            "Spin component {}: {} KB (target ≤ 400 KB)",
            c.file_stem().unwrap_or_default().to_string_lossy(),
            size / 1024
        ));
    }
    let _ = std::fs::create_dir_all(root.join("bench-results"));
    let _ = std::fs::write(root.join(format!("bench-results/signup-{which}.txt")), out);
    std::thread::sleep(Duration::from_millis(10));
}
