//! Benchmark (not a test) of attendance ingestion, from one `wrangler dev`
//! run: the signed webhook's requests/s as a ratio of `/healthz`'s; the
//! consumer's stored records/s as a ratio of a plain batched insert of the
//! same rows; and the ADMS load: 20 terminals posting 20-line ATTLOG
//! batches concurrently for 15 s, records/s stored end to end and the
//! accept p99. Run: `bash scripts/bench.sh devices`.

use e2e::*;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const CLIENTS: usize = 20;

/// Runs `CLIENTS` threads for `secs`; `call(client, i)` returns whether the
/// request was accepted. Returns (accepted, elapsed s, latencies in ms).
fn load(secs: f64, call: &(dyn Fn(usize, usize) -> bool + Sync)) -> (usize, f64, Vec<f64>) {
    let ok = AtomicUsize::new(0);
    let lat = Mutex::new(Vec::new());
    let start = Instant::now();
    std::thread::scope(|s| {
        for c in 0..CLIENTS {
            let (ok, lat) = (&ok, &lat);
            s.spawn(move || {
                let mut i = 0;
                let mut mine = Vec::new();
                while start.elapsed().as_secs_f64() < secs {
                    let t0 = Instant::now();
                    if call(c, i) {
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    mine.push(t0.elapsed().as_secs_f64() * 1000.0);
                    i += 1;
                }
                lat.lock().unwrap_or_else(|e| e.into_inner()).extend(mine);
            });
        }
    });
    let elapsed = start.elapsed().as_secs_f64();
    let mut l = lat.into_inner().unwrap_or_default();
    l.sort_by(f64::total_cmp);
    (ok.load(Ordering::Relaxed), elapsed, l)
}

fn p99(l: &[f64]) -> f64 {
    l.get(((l.len() as f64) * 0.99) as usize)
        .or(l.last())
        .copied()
        .expect("at least one request completed")
}

fn main() {
    std::env::set_var("E2E_TARGET", "wrangler");
    // 20 terminals at full speed: the per-terminal limit (A6) is raised so
    // the accept path itself is measured.
    std::env::set_var(
        "E2E_VARS",
        "WEBHOOK_BATCHES_PER_MINUTE:100000000 ADMS_REQUESTS_PER_MINUTE:100000000 ADMS_UPLOADS_PER_MINUTE:100000000",
    );
    let t = target();
    let mut out = String::new();
    let mut line = |s: String| {
        println!("{s}");
        out.push_str(&s);
        out.push('\n');
    };

    let (n, secs, _) = load(5.0, &|_, _| {
        t.call("GET", "/healthz", &[], b"").status == 200
    });
    let healthz = n as f64 / secs;
    line(format!(
        "baseline /healthz: {healthz:.0} req/s ({CLIENTS} clients)"
    ));

    // Signed webhooks: 20 terminals, 20 records a batch.
    let c = Company::active(t, 40);
    let site = c.site();
    let hooks: Vec<Terminal> = (0..CLIENTS).map(|_| c.terminal(&site)).collect();
    let (n, secs, lat) = load(5.0, &|client, i| {
        let from = 1_000_000 + (client * 100_000 + i) * 20;
        hooks[client]
            .post(t, &format!("bench-{client}-{i}"), &records(from, 20, "H"))
            .status
            == 202
    });
    let webhook = n as f64 / secs;
    line(format!(
        "signed webhook (20 records): {webhook:.0} req/s = {:.0} records/s accepted, ratio to /healthz {:.3}, p99 {:.0} ms",
        webhook * 20.0,
        webhook / healthz,
        p99(&lat)
    ));

    // Plain batched insert of the same kind of rows (no queue): the baseline.
    let (n, secs, _) = load(5.0, &|client, i| {
        let from = 5_000_000 + (client * 100_000 + i) * 20;
        let body = json!({ "type": "attendance", "terminal_id": format!("plain-{client}"), "member_id": c.member_id, "site_id": site, "records": records(from, 20, "P") });
        t.call("POST", "/__dev/plain-insert", &[JSON], &json_body(&body))
            .status
            == 200
    });
    let plain = n as f64 * 20.0 / secs;
    line(format!(
        "plain batched insert (20 rows a call): {plain:.0} records/s"
    ));

    // ADMS: 20 terminals, 20-line ATTLOG batches, 15 s.
    let serials: Vec<String> = (0..CLIENTS)
        .map(|i| format!("BENCH{i:02}{}", rand_below(1 << 30)))
        .collect();
    let ids: Vec<String> = serials.iter().map(|s| c.adms_terminal(&site, s)).collect();
    let filter = format!(
        "terminal_id IN ({})",
        ids.iter()
            .map(|i| format!("'{i}'"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let start = Instant::now();
    let (n, secs, lat) = load(15.0, &|client, i| {
        let mut body = String::new();
        for k in 0..20 {
            let second = (i * 20 + k) % 86_400;
            body.push_str(&format!(
                "{}\t2026-11-22 {:02}:{:02}:{:02}\t{}\t15\t0\t0\t0\n",
                1000 + i % 500,
                second / 3600,
                (second / 60) % 60,
                second % 60,
                k % 2
            ));
        }
        let r = t.call(
            "POST",
            &format!(
                "/iclock/cdata?SN={}&table=ATTLOG&Stamp=9999",
                serials[client]
            ),
            &[("content-type", "text/plain")],
            body.as_bytes(),
        );
        r.status == 200
    });
    let accepted = n * 20;
    // A benchmark whose records never all arrive is a failure, not a figure.
    assert!(
        eventually(300, || stored(t, &filter) as usize >= accepted),
        "stored {} of {accepted} accepted records within 300 s",
        stored(t, &filter)
    );
    let all_stored = start.elapsed().as_secs_f64();
    let stored_n = stored(t, &filter) as usize;
    let end_to_end = stored_n as f64 / all_stored;
    line(format!(
        "ADMS 20 terminals × 20-line ATTLOG for {secs:.0} s: {accepted} records accepted ({:.0}/s), {stored_n} stored in {all_stored:.1} s → {end_to_end:.0} records/s end to end (target ≥ 3,500), accept p99 {:.0} ms (target ≤ 200)",
        accepted as f64 / secs,
        p99(&lat)
    ));
    line(format!(
        "consumer stored records/s as a ratio of the plain batched insert: {:.3}",
        end_to_end / plain
    ));
    let _ = std::fs::create_dir_all(root().join("bench-results"));
    let _ = std::fs::write(root().join("bench-results/devices.txt"), out);
    std::thread::sleep(Duration::from_millis(10));
}
