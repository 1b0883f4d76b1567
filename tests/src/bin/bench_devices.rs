//! Benchmark (not a test) of attendance ingestion, from one `wrangler dev`
//! run: the signed webhook's requests/s as a ratio of `/healthz`'s; the
//! consumer's stored records/s, draining a backlog alone, as a ratio of a
//! plain batched insert of the same rows; the ADMS load (20 terminals posting 20-line ATTLOG batches
//! concurrently): accepts/s as a ratio of `/healthz` on the database path
//! (every request reads the terminal, as a version read per request would
//! at least) and from the isolate's memory, records/s stored end to end and
//! the accept p99; and the fleet: 5,000 terminals polling on their
//! schedule plus the morning peak's uploads, with the main database's
//! writes per second. Run: `bash scripts/bench.sh devices`; with
//! `E2E_TARGET=spin` (`bash scripts/bench.sh devices-spin`) the same ratios
//! under the Spin test host, where `/healthz` is the empty component.

use e2e::*;
use serde_json::json;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
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

/// One ATTLOG upload of 20 lines (request `i` of a terminal).
fn attlog(t: &dyn Target, serial: &str, i: usize, headers: &[(&str, &str)]) -> bool {
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
    let mut all = vec![("content-type", "text/plain")];
    all.extend_from_slice(headers);
    t.call(
        "POST",
        &format!("/iclock/cdata?SN={serial}&table=ATTLOG&Stamp=9999"),
        &all,
        body.as_bytes(),
    )
    .status
        == 200
}

/// `CLIENTS` ADMS terminals of `c`, registered and pinned (first contact).
fn adms_terminals(t: &dyn Target, c: &Company, site: &str, tag: &str) -> (Vec<String>, String) {
    let serials: Vec<String> = (0..CLIENTS)
        .map(|i| format!("{tag}{i:02}{}", rand_below(1 << 30)))
        .collect();
    let ids: Vec<String> = serials.iter().map(|s| c.adms_terminal(site, s)).collect();
    for s in &serials {
        t.call(
            "GET",
            &format!("/iclock/cdata?SN={s}&options=all"),
            &[],
            b"",
        )
        .expect(200);
    }
    let filter = format!(
        "terminal_id IN ({})",
        ids.iter()
            .map(|i| format!("'{i}'"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    (serials, filter)
}

fn main() {
    let which = std::env::var("E2E_TARGET").unwrap_or_else(|_| "wrangler".into());
    std::env::set_var("E2E_TARGET", &which);
    let spin = which == "spin";
    // 20 terminals at full speed: the per-terminal limit (A6) is raised so
    // the accept path itself is measured.
    std::env::set_var(
        "E2E_VARS",
        "WEBHOOK_BATCHES_PER_MINUTE:100000000 ADMS_REQUESTS_PER_MINUTE:100000000 ADMS_UPLOADS_PER_MINUTE:100000000",
    );
    let t = target();
    let out = std::cell::RefCell::new(String::new());
    let line = |s: String| {
        println!("{s}");
        let mut o = out.borrow_mut();
        o.push_str(&s);
        o.push('\n');
    };

    // `/healthz` for `secs`, in req/s. The machine's pace drifts within a
    // run (one start-up baseline moved ratios by ±20% between runs), so each
    // ratio below is to the mean of baselines taken just before and just
    // after its own figure (`beside`).
    let baseline = |secs: f64| {
        let (n, secs, _) = load(secs, &|_, _| {
            t.call("GET", "/healthz", &[], b"").status == 200
        });
        n as f64 / secs
    };
    let _warm_up = baseline(3.0);
    let healthz = baseline(5.0);
    line(format!(
        "baseline /healthz: {healthz:.0} req/s ({CLIENTS} clients)"
    ));
    let beside = |run: &dyn Fn() -> (usize, f64, Vec<f64>)| {
        let before = baseline(3.0);
        let r = run();
        let after = baseline(3.0);
        (r, (before + after) / 2.0)
    };

    // Signed webhooks: 20 terminals, 20 records a batch.
    let c = Company::active(t, 5_200);
    let site = c.site();
    let hooks: Vec<Terminal> = (0..CLIENTS).map(|_| c.terminal(&site)).collect();
    let ((n, secs, lat), healthz) = beside(&|| {
        load(5.0, &|client, i| {
            let from = 1_000_000 + (client * 100_000 + i) * 20;
            hooks[client]
                .post(t, &format!("bench-{client}-{i}"), &records(from, 20, "H"))
                .status
                == 202
        })
    });
    let webhook = n as f64 / secs;
    line(format!(
        "signed webhook (20 records): {webhook:.0} req/s = {:.0} records/s accepted, ratio to /healthz {:.3}, p99 {:.0} ms",
        webhook * 20.0,
        webhook / healthz,
        p99(&lat)
    ));

    if spin {
        // A Spin instance serves one request: every upload reads the
        // terminal (there is no memory path), and the fleet needs the
        // Workers' isolates. The maintenance drain stores meanwhile.
        let (serials, filter) = adms_terminals(t, &c, &site, "SPIN");
        let ((n, secs, lat), healthz) =
            beside(&|| load(10.0, &|client, i| attlog(t, &serials[client], i, &[])));
        line(format!(
            "ADMS ATTLOG (20 lines): {:.0} req/s, ratio to /healthz (the empty component) {:.3}, p99 {:.0} ms",
            n as f64 / secs,
            n as f64 / secs / healthz,
            p99(&lat)
        ));
        assert!(
            eventually(300, || stored(t, &filter) as usize >= n * 20),
            "every accepted record is stored"
        );
        let _ = std::fs::create_dir_all(root().join("bench-results"));
        let _ = std::fs::write(root().join("bench-results/devices-spin.txt"), out.take());
        return;
    }

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

    // ADMS polls from memory: no database, no queue (the floor of a device
    // request, which edge-members forwards to edge-devices).
    let (memory, filter) = adms_terminals(t, &c, &site, "BENCH");
    let ((n, secs, lat), healthz) = beside(&|| {
        load(5.0, &|client, _| {
            t.call(
                "GET",
                &format!("/iclock/getrequest?SN={}", memory[client]),
                &[],
                b"",
            )
            .status
                == 200
        })
    });
    line(format!(
        "ADMS getrequest polls from memory: {:.0} req/s, ratio to /healthz {:.3}, p99 {:.0} ms",
        n as f64 / secs,
        n as f64 / secs / healthz,
        p99(&lat)
    ));

    // The accept path alone: locally the consumer shares workerd's one
    // thread with it (in production they run apart), so the consumer is
    // held off (dev switch `consumer_resume_at`): each delivery is put back
    // unread to arrive at one instant after both runs. Then the consumer
    // alone drains that backlog: its records/s against the plain insert.
    let (db_serials, db_filter) = adms_terminals(t, &c, &site, "DBPATH");
    let no_memory: &[(&str, &str)] = &[("x-dev-no-memory", "1")];
    let unix_now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
    };
    let resume_at = unix_now().as_secs() + 45;
    let hold = json!({ "consumer_resume_at": resume_at.to_string() });
    t.call("POST", "/__dev/switches", &[JSON], &json_body(&hold))
        .expect(200);
    let both = |t: &dyn Target| (stored(t, &db_filter) + stored(t, &filter)) as usize;
    let before_alone = both(t);
    let mut accepted_alone = 0;
    for (name, serials, headers) in [
        // Every request reads the terminal: what a version read per request
        // would cost at least (one round trip).
        ("database path (a read per request)", &db_serials, no_memory),
        ("from memory", &memory, &[][..]),
    ] {
        let ((n, secs, lat), healthz) = beside(&|| {
            load(6.0, &|client, i| {
                attlog(t, &serials[client], 100_000 + i, headers)
            })
        });
        accepted_alone += n * 20;
        line(format!(
            "ADMS ATTLOG (20 lines) accepted, {name}, consumer held off: {:.0} req/s, ratio to /healthz {:.3}, p99 {:.0} ms",
            n as f64 / secs,
            n as f64 / secs / healthz,
            p99(&lat)
        ));
    }
    assert!(
        unix_now().as_secs() < resume_at,
        "the accept runs ended before the consumer resumed"
    );
    assert_eq!(both(t), before_alone, "nothing stored while held off");
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        br#"{"consumer_resume_at": "0"}"#,
    )
    .expect(200);
    // A benchmark whose records never all arrive is a failure, not a figure.
    assert!(
        eventually(300, || both(t) >= before_alone + accepted_alone),
        "stored {} of {accepted_alone} records accepted while the consumer was held off",
        both(t) - before_alone
    );
    let drain_secs = unix_now().as_secs_f64() - resume_at as f64;
    let drain = accepted_alone as f64 / drain_secs;
    line(format!(
        "consumer alone, draining {accepted_alone} records held back: {drain:.0} records/s, ratio to the plain batched insert {:.3}",
        drain / plain
    ));
    let before = stored(t, &filter) as usize;

    // End to end, the consumer storing while the terminals post: 15 s.
    let before_base = baseline(3.0);
    let start = Instant::now();
    let (n, secs, lat) = load(15.0, &|client, i| attlog(t, &memory[client], i, &[]));
    let accepted = n * 20;
    // A benchmark whose records never all arrive is a failure, not a figure.
    assert!(
        eventually(300, || stored(t, &filter) as usize >= before + accepted),
        "stored {} of {accepted} accepted records within 300 s",
        stored(t, &filter) as usize - before
    );
    let all_stored = start.elapsed().as_secs_f64();
    let healthz = (before_base + baseline(3.0)) / 2.0;
    let stored_n = stored(t, &filter) as usize - before;
    let end_to_end = stored_n as f64 / all_stored;
    line(format!(
        "ADMS 20 terminals × 20-line ATTLOG for {secs:.0} s with the consumer storing: {:.0} req/s (ratio to /healthz {:.3}), {accepted} records accepted ({:.0}/s), {stored_n} stored in {all_stored:.1} s → {end_to_end:.0} records/s end to end, accept p99 {:.0} ms",
        n as f64 / secs,
        n as f64 / secs / healthz,
        accepted as f64 / secs,
        p99(&lat)
    ));
    line(format!(
        "end to end (accepts beside the consumer) as a ratio of the plain batched insert: {:.3}",
        end_to_end / plain
    ));
    for l in fleet(t, &c, &site) {
        line(l);
    }
    let _ = std::fs::create_dir_all(root().join("bench-results"));
    let _ = std::fs::write(root().join("bench-results/devices.txt"), out.take());
    std::thread::sleep(Duration::from_millis(10));
}

/// Requests by kind in the fleet run.
#[derive(Default)]
struct Kind {
    latencies: Vec<f64>,
    writes: u64,
    trips: u64,
    failed: usize,
}

/// The fleet: `TERMINALS` ADMS terminals behind `ROUTERS` site routers
/// (one source address each), every terminal polling `getrequest` on its
/// own schedule (every 10–30 s) and uploading one ATTLOG line about every
/// 100 s (the morning peak: ~50 records/s, seed 003), for a warm-up and
/// then `SECS` measured. Reports polls/s and uploads/s, their p99, and the
/// main-database round trips and writes per second the requests made
/// (dev mode's `x-db-round-trips` and `x-db-writes`).
fn fleet(t: &'static dyn Target, c: &Company, site: &str) -> Vec<String> {
    const TERMINALS: usize = 5_000;
    const ROUTERS: usize = 50;
    const WARMUP: f64 = 40.0;
    const SECS: f64 = 60.0;
    const THREADS: usize = 32;
    let serials: Vec<String> = (0..TERMINALS)
        .map(|i| format!("FLEET{i:05}X{}", rand_below(1 << 30)))
        .collect();
    let routers: Vec<String> = (0..ROUTERS).map(|_| loopback()).collect();
    let home = |i: usize| routers[i % ROUTERS].as_str();
    let set_up = Instant::now();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= TERMINALS {
                    break;
                }
                c.adms_terminal(site, &serials[i]);
                // First contact: the device asks for its options, which pins
                // its router's address.
                let r = t.serve_from(
                    home(i),
                    "GET",
                    &format!("/iclock/cdata?SN={}&options=all", serials[i]),
                    &[],
                    b"",
                );
                assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
            });
        }
    });
    let set_up = set_up.elapsed().as_secs_f64();
    // (due, terminal, upload?) in microseconds from the start.
    let mut heap = BinaryHeap::new();
    let mut intervals = Vec::with_capacity(TERMINALS);
    for i in 0..TERMINALS {
        let every = 10_000_000 + rand_below(20_000_001);
        intervals.push(every);
        heap.push(Reverse((rand_below(every), i, false)));
        heap.push(Reverse((rand_below(200_000_000), i, true)));
    }
    let heap = Mutex::new(heap);
    let polls = Mutex::new(Kind::default());
    let uploads = Mutex::new(Kind::default());
    let start = Instant::now();
    let total = ((WARMUP + SECS) * 1e6) as u64;
    let warm = (WARMUP * 1e6) as u64;
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| loop {
                let Some(Reverse((due, i, upload))) =
                    heap.lock().unwrap_or_else(|e| e.into_inner()).pop()
                else {
                    break;
                };
                if due >= total {
                    break;
                }
                let now = start.elapsed().as_micros() as u64;
                if due > now {
                    // A load generator keeping a schedule, not a test.
                    std::thread::sleep(Duration::from_micros(due - now));
                }
                let t0 = Instant::now();
                let r = if upload {
                    let second = rand_below(3_600);
                    let line = format!(
                        "{}\t2026-11-26 08:{:02}:{:02}\t0\t15\t0\t0\n",
                        1000 + rand_below(50),
                        second / 60,
                        second % 60
                    );
                    t.serve_from(
                        home(i),
                        "POST",
                        &format!("/iclock/cdata?SN={}&table=ATTLOG&Stamp=1", serials[i]),
                        &[("content-type", "text/plain")],
                        line.as_bytes(),
                    )
                } else {
                    t.serve_from(
                        home(i),
                        "GET",
                        &format!("/iclock/getrequest?SN={}", serials[i]),
                        &[],
                        b"",
                    )
                };
                let ms = t0.elapsed().as_secs_f64() * 1000.0;
                if due >= warm {
                    let mut k = if upload { &uploads } else { &polls }
                        .lock()
                        .unwrap_or_else(|e| e.into_inner());
                    k.latencies.push(ms);
                    k.trips += u64::from(r.round_trips());
                    k.writes += r
                        .header("x-db-writes")
                        .and_then(|w| w.parse::<u64>().ok())
                        .expect("x-db-writes in dev mode");
                    if r.status != 200 {
                        k.failed += 1;
                    }
                }
                let later = if upload {
                    50_000_000 + rand_below(100_000_001)
                } else {
                    intervals[i]
                };
                heap.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(Reverse((due + later, i, upload)));
            });
        }
    });
    let mut out = vec![format!(
        "fleet: {TERMINALS} ADMS terminals behind {ROUTERS} routers registered and pinned in {set_up:.0} s; {WARMUP:.0} s warm-up, then {SECS:.0} s measured"
    )];
    for (name, k) in [("getrequest polls", polls), ("ATTLOG uploads", uploads)] {
        let mut k = k.into_inner().unwrap_or_else(|e| e.into_inner());
        k.latencies.sort_by(f64::total_cmp);
        let n = k.latencies.len();
        assert!(k.failed * 100 <= n, "{} of {n} {name} failed", k.failed);
        out.push(format!(
            "fleet {name}: {:.0}/s, p99 {:.0} ms, main-database round trips {:.1}/s, writes {:.2}/s ({} failed)",
            n as f64 / SECS,
            p99(&k.latencies),
            k.trips as f64 / SECS,
            k.writes as f64 / SECS,
            k.failed
        ));
    }
    out
}
