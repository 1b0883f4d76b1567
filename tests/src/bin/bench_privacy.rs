//! Benchmark (not a test) of the privacy desk's two heavy jobs, each as a
//! ratio of a plain baseline measured in the same `wrangler dev` run:
//!
//! - Destruction (rule R2): closed members' attendance erased by the daily
//!   run (bounded steps, each a queue message; one shard statement per
//!   member per step, its count logged) against the same number of rows
//!   deleted with one plain `DELETE … WHERE member_id = ?` per member
//!   (`/__dev/plain-delete`), the members taken one after another as the
//!   job takes them.
//! - An access copy (rule P4) of a member with 10,000 contract messages
//!   (every holding of the registry read, each sealed value opened, parts
//!   sealed into the blob store, the copy joined and sealed) against one
//!   plain query reading the same messages (`/__dev/plain-read`).
//!
//! The attendance goes in through the consumer's own store (`/__dev/plain-insert`,
//! 20 rows a call) so each member's rows are in its shard. Sizes:
//! `BENCH_MEMBERS` (default 1,000) × `BENCH_ROWS` (default 200) per set,
//! `BENCH_MESSAGES` (default 10,000). Run: `bash scripts/bench.sh privacy`.

use adapter_sqlite::OsRandom;
use domain::kernel::crypto::at;
use e2e::*;
use serde_json::json;
use std::io::Write;
use std::time::Instant;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Closed members `prefix0..prefixN` (withdrawn in 2019: every class has
/// expired), each with `rows` attendance records in its shard.
fn closed_members_with_attendance(
    t: &'static dyn Target,
    prefix: &str,
    members: usize,
    rows: usize,
) -> Vec<String> {
    let old = "2019-01-01T00:00:00+00:00";
    let ids: Vec<String> = (0..members).map(|i| format!("{prefix}{i:05}")).collect();
    let mut sql = String::new();
    for id in &ids {
        sql.push_str(&format!(
            "INSERT INTO members (id, kind, status, step, created_at, closed_at) VALUES ('{id}', 'client', 'withdrawn', 7, '{old}', '{old}');\n"
        ));
    }
    t.seed(&sql);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(id) = ids.get(i) else { break };
                for from in (0..rows).step_by(20) {
                    let n = 20.min(rows - from);
                    let body = json!({
                        "type": "attendance",
                        "terminal_id": format!("trm-{id}"),
                        "member_id": id,
                        "site_id": format!("site-{id}"),
                        "records": records(from, n, "W"),
                    });
                    t.call("POST", "/__dev/plain-insert", &[JSON], &json_body(&body))
                        .expect(200);
                }
            });
        }
    });
    ids
}

fn attendance_of(t: &dyn Target, prefix: &str) -> i64 {
    t.query_shards(&format!(
        "SELECT COUNT(*) AS n FROM attendance_records WHERE member_id LIKE '{prefix}%'"
    ))
    .iter()
    .filter_map(|r| r.int("n"))
    .sum()
}

/// Waits (up to `secs`) for job `id` to end; its final state.
fn job_end(t: &dyn Target, id: &str, secs: u64) -> String {
    let state = || {
        t.query(&format!("SELECT state FROM jobs WHERE id = '{id}'"))
            .first()
            .and_then(|r| r.text("state").map(str::to_owned))
            .unwrap_or_else(|| "missing".into())
    };
    eventually(secs, || {
        t.background_round();
        !matches!(state().as_str(), "running" | "missing")
    });
    state()
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
    let members = env_or("BENCH_MEMBERS", 1_000);
    let rows = env_or("BENCH_ROWS", 200);
    let messages = env_or("BENCH_MESSAGES", 10_000);

    // Destruction: set A by the daily run, set B by plain deletes.
    line(format!(
        "[{which}] destruction (R2): {members} closed members x {rows} attendance rows, the daily run against a plain DELETE per member"
    ));
    let seeded = Instant::now();
    closed_members_with_attendance(t, "bench-ra-", members, rows);
    let plain_set = closed_members_with_attendance(t, "bench-rb-", members, rows);
    let expected = i64::try_from(members * rows).unwrap_or(i64::MAX);
    assert_eq!(attendance_of(t, "bench-ra-"), expected);
    assert_eq!(attendance_of(t, "bench-rb-"), expected);
    line(format!(
        "seeded {} rows in {:.0} s",
        2 * expected,
        seeded.elapsed().as_secs_f64()
    ));
    // The baseline first: the run would erase set B too.
    let start = Instant::now();
    for id in &plain_set {
        let r = t
            .call(
                "POST",
                "/__dev/plain-delete",
                &[JSON],
                &json_body(&json!({"member_id": id})),
            )
            .expect(200);
        assert_eq!(r.json()["rows"], rows);
    }
    let plain_secs = start.elapsed().as_secs_f64();
    let plain_rate = expected as f64 / plain_secs;
    assert_eq!(attendance_of(t, "bench-rb-"), 0);
    // Set B leaves the run: it measures set A alone.
    t.seed("DELETE FROM members WHERE id LIKE 'bench-rb-%'");
    // Tomorrow's run (today's may have run when the server started).
    let day = 86_400;
    let run = domain::privacy::r2_destruction::run_id(
        chrono::Utc::now() + chrono::Duration::seconds(day),
    );
    let start = Instant::now();
    sweep_ahead(t, day);
    let state = job_end(t, &run, 3_600);
    let run_secs = start.elapsed().as_secs_f64();
    assert_eq!(state, "done", "the run ended {state}");
    assert_eq!(attendance_of(t, "bench-ra-"), 0, "the run erased every row");
    let steps: i64 = t
        .query(&format!(
            "SELECT COUNT(*) AS n FROM destruction_log WHERE job_id = '{run}'"
        ))
        .first()
        .and_then(|r| r.int("n"))
        .unwrap_or(0);
    let run_rate = expected as f64 / run_secs;
    line("what | seconds | attendance rows/s | ratio to the plain delete".into());
    line(format!(
        "plain DELETE per member | {plain_secs:.1} | {plain_rate:.0} | 1.00 (baseline)"
    ));
    line(format!(
        "the daily run, every class of set A ({steps} logged steps, each a queue message) | {run_secs:.1} | {run_rate:.0} | {:.2}",
        run_rate / plain_rate
    ));

    // The access copy: one member with `messages` contract messages.
    line(format!(
        "[{which}] access copy (P4) of a member with {messages} contract messages, against one plain query of them"
    ));
    let c = Company::member(t, "client");
    let other = Company::member(t, "partner");
    let (m, o) = (c.member_id.clone(), other.member_id.clone());
    let now = chrono::Utc::now().to_rfc3339();
    let keys = t.keys();
    let mut sql = format!(
        "INSERT INTO work_requests (id, client_id, category, title, scope, budget_krw, due_date, region, location, state, version, created_at)
           VALUES ('bench-wr', '{m}', 'design', 'x', 'x', 1000000, '2026-12-31', 'seoul', 'x', 'closed', 1, '{now}');
         INSERT INTO contracts (id, request_id, client_id, partner_id, category, success_fee_bp, state, current_version, formed_version, retention_class, version, created_at, accepted_at)
           VALUES ('bench-ct', 'bench-wr', '{m}', '{o}', 'design', 1000, 'accepted', 1, 1, 'contract_5y', 1, '{now}', '{now}');\n"
    );
    for i in 0..messages {
        let id = format!("bench-msg-{i:06}");
        let body = keys.seal_for(
            &OsRandom,
            &at("contract_messages.body", &id),
            &format!("{i}번째 메시지: 검수 일정과 산출물 목록을 확인해 주세요."),
        );
        sql.push_str(&format!(
            "INSERT INTO contract_messages (id, contract_id, author_id, body, state, created_at) VALUES ('{id}', 'bench-ct', '{m}', '{body}', 'visible', '{now}');\n"
        ));
    }
    t.seed(&sql);
    let start = Instant::now();
    let read = t
        .call(
            "POST",
            "/__dev/plain-read",
            &[JSON],
            &json_body(&json!({"member_id": m})),
        )
        .expect(200);
    let read_secs = start.elapsed().as_secs_f64();
    assert_eq!(read.json()["rows"], messages);
    let start = Instant::now();
    let made = c
        .call(
            "POST",
            "/member/privacy-requests",
            &json!({"kind": "access"}),
        )
        .expect(201)
        .json();
    let request = made["request_id"].as_str().expect("id").to_owned();
    let job = t
        .query(&format!(
            "SELECT job_id FROM privacy_exports WHERE request_id = '{request}'"
        ))
        .first()
        .and_then(|r| r.text("job_id").map(str::to_owned))
        .expect("the copy's job");
    let state = job_end(t, &job, 1_800);
    let copy_secs = start.elapsed().as_secs_f64();
    assert_eq!(state, "done", "the copy's job ended {state}");
    let copied: i64 = t
        .query(&format!(
            "SELECT rows AS n FROM privacy_exports WHERE request_id = '{request}'"
        ))
        .first()
        .and_then(|r| r.int("n"))
        .unwrap_or(0);
    assert!(
        copied >= i64::try_from(messages).unwrap_or(0),
        "{copied} rows copied"
    );
    line("what | seconds | rows | ratio of the plain read's time".into());
    line(format!(
        "one plain query of the messages | {read_secs:.2} | {messages} | 1.00 (baseline)"
    ));
    line(format!(
        "the access copy (every holding, opened, sealed, joined) | {copy_secs:.1} | {copied} | {:.3}",
        read_secs / copy_secs
    ));
    let dir = root().join("bench-results");
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(mut f) = std::fs::File::create(dir.join(format!("privacy-{which}.txt"))) {
        let _ = f.write_all(out.as_bytes());
    }
}
