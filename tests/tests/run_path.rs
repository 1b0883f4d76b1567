//! The platform started the README's way: `bash scripts/dev.sh` (not the
//! harness's own set-up), then the first admin made with
//! `scripts/create-admin.sh`, a member company signed up through the API
//! with the phone code read from the notice receiver the script started,
//! approved, activated, a site and a terminal registered, and a signed
//! terminal batch seen stored (in the member's and the staff's attendance
//! view, which read the attendance shards the script must have migrated).
//! Runs once, in the wrangler stage (the script runs `wrangler dev`); every
//! answer is checked against the OpenAPI document like any other test's.

use e2e::*;
use serde_json::{json, Value as Json};
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `scripts/dev.sh` in a process group of its own, ended (with wrangler,
/// workerd and the receiver) when the test ends, passing or not.
struct DevServer {
    child: Child,
    dir: std::path::PathBuf,
    log: std::path::PathBuf,
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let pgid = self.child.id() as i32;
        unsafe {
            libc::kill(-pgid, libc::SIGTERM);
        }
        let _ = self.child.wait();
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

struct Platform {
    base: String,
    notices: String,
    agent: ureq::Agent,
}

impl Platform {
    #[track_caller]
    fn call(&self, method: &str, path: &str, auth: Option<&str>, body: &Json) -> Reply {
        let bearer = auth.map(|a| format!("Bearer {a}"));
        let mut headers = vec![JSON];
        if let Some(b) = &bearer {
            headers.push(("authorization", b.as_str()));
        }
        let bytes = if body.is_null() {
            Vec::new()
        } else {
            json_body(body)
        };
        self.send(method, path, &headers, &bytes)
    }

    #[track_caller]
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let r = http_call(&self.agent, &self.base, method, path, headers, body);
        e2e::conformance::check(method, path, body, &r);
        r
    }

    /// The phone code the receiver the script started got for `mobile`
    /// (polled: the outbox sends after the answer).
    fn code_for(&self, mobile: &str) -> String {
        let mut code = None;
        let got = eventually(60, || {
            let Ok(resp) = self.agent.get(format!("{}/messages", self.notices)).call() else {
                return false;
            };
            let text = resp.into_body().read_to_string().unwrap_or_default();
            let list: Json = serde_json::from_str(&text).unwrap_or(Json::Null);
            code = list.as_array().into_iter().flatten().find_map(|m| {
                let to = m["to"].as_str().unwrap_or("");
                (m["channel"] == "sms" && receiver::same_recipient(to, mobile))
                    .then(|| m["text"].as_str().unwrap_or(""))
                    .and_then(|text| {
                        text.split(|c: char| !c.is_ascii_digit())
                            .find(|w| w.len() == 6)
                            .map(str::to_owned)
                    })
            });
            code.is_some()
        });
        assert!(got, "no phone code reached the script's receiver");
        code.unwrap_or_default()
    }
}

fn start() -> (DevServer, Platform) {
    let dir = std::env::temp_dir().join(format!("e2e-run-path-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder for the run");
    let (port, notices, inspector) = (free_port(), free_port(), free_port());
    // The log stays beside the state (kept when the test fails).
    let log = dir.join("dev.log");
    let out = std::fs::File::create(&log).expect("log file");
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("scripts/dev.sh"))
        .current_dir(root())
        .env("PORT", port.to_string())
        .env("NOTICES_PORT", notices.to_string())
        .env("INSPECTOR_PORT", inspector.to_string())
        .env("DEV_DIR", &dir)
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out);
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            libc::setpgid(0, 0);
            Ok(())
        });
    }
    let mut server = DevServer {
        child: cmd.spawn().expect("scripts/dev.sh starts"),
        dir,
        log,
    };
    let platform = Platform {
        base: format!("http://127.0.0.1:{port}"),
        notices: format!("http://127.0.0.1:{notices}"),
        agent: agent(),
    };
    // Up when /healthz answers; a script that exits first fails at once.
    let deadline = Instant::now() + Duration::from_secs(900);
    loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!(
                "scripts/dev.sh exited ({status}) before the platform answered:\n{}",
                std::fs::read_to_string(&server.log).unwrap_or_default()
            );
        }
        if platform
            .agent
            .get(format!("{}/healthz", platform.base))
            .call()
            .is_ok_and(|r| r.status() == 200)
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the platform did not answer; see {}",
            server.log.display()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    (server, platform)
}

/// `scripts/create-admin.sh <login> <base>` with the password on stdin.
fn create_admin(base: &str, login: &str, password: &str) -> std::process::Output {
    let mut child = Command::new("bash")
        .arg(root().join("scripts/create-admin.sh"))
        .arg(login)
        .arg(base)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("create-admin.sh runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("password sent");
    child.wait_with_output().expect("create-admin.sh ends")
}

#[test]
fn the_readme_run_command_stores_and_shows_a_terminals_batch() {
    if std::env::var("E2E_TARGET").as_deref() != Ok("wrangler") {
        skip("runs scripts/dev.sh, which serves the platform on wrangler dev: once, in the wrangler stage");
        return;
    }
    let (_server, p) = start();

    // The first admin, the README's way; a second bootstrap fails loudly.
    let password = "owner passphrase of the run path";
    let first = create_admin(&p.base, "owner", password);
    assert!(
        first.status.success(),
        "create-admin.sh: {}",
        String::from_utf8_lossy(&first.stderr)
    );
    let again = create_admin(&p.base, "owner2", password);
    assert!(!again.status.success(), "a second bootstrap must fail");
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("not created"),
        "the failure is said: {}",
        String::from_utf8_lossy(&again.stderr)
    );
    let owner = p
        .call(
            "POST",
            "/admin/login",
            None,
            &json!({"login_id": "owner", "password": password}),
        )
        .expect(200)
        .json()["token"]
        .as_str()
        .expect("owner token")
        .to_owned();

    // A member company signs up; its phone code comes from the receiver
    // the script started (the SMS provider of the run).
    let started = p
        .call(
            "POST",
            "/signup/terms",
            None,
            &json!({"kind": "client", "over_14": true, "consents": consents()}),
        )
        .expect(201)
        .json();
    let member_id = started["member_id"].as_str().expect("member id").to_owned();
    let signup = started["signup_token"].as_str().expect("token").to_owned();
    let (login, pass, phone) = (login_id(), "a long enough passphrase", mobile());
    let s = Some(signup.as_str());
    p.call(
        "PUT",
        "/signup/contact",
        s,
        &json!({"login_id": login, "password": pass, "password_confirm": pass, "name": "김담당",
                "mobile": phone, "email": format!("{login}@example.co.kr")}),
    )
    .expect(200);
    p.call("POST", "/signup/phone/send", s, &json!({}))
        .expect(202);
    let code = p.code_for(&phone);
    p.call("POST", "/signup/phone/verify", s, &json!({"code": code}))
        .expect(200);
    p.call(
        "PUT",
        "/signup/company",
        s,
        &json!({"company_name": "실행 경로 주식회사", "business_number": business_number(),
                "representative_name": "이대표", "business_type": "건설업", "business_item": "실내건축",
                "address": "서울특별시 중구 세종대로 110", "revenue_krw": 1_200_000_000, "employees": 24,
                "founded_year": 2015, "homepage": "https://example.co.kr", "categories": ["software"]}),
    )
    .expect(200);
    let bearer = format!("Bearer {signup}");
    let upload = |kind: &str, bytes: &[u8]| {
        p.send(
            "PUT",
            &format!("/signup/documents?kind={kind}"),
            &[
                ("content-type", "application/octet-stream"),
                ("authorization", &bearer),
            ],
            bytes,
        )
        .expect(201);
    };
    upload("registration_certificate", &pdf());
    upload("brochure", &pdf());
    for _ in 0..5 {
        upload("portfolio", &png());
    }
    p.call("POST", "/signup/submit", s, &json!({})).expect(200);

    // The owner reviews and activates it and gives it one terminal.
    let o = Some(owner.as_str());
    p.call(
        "POST",
        "/admin/reviews",
        o,
        &json!({"member_id": member_id, "decision": "approve", "reason": "서류 확인 완료"}),
    )
    .expect(200);
    p.call(
        "POST",
        "/admin/activation",
        o,
        &json!({"member_id": member_id, "action": "waive"}),
    )
    .expect(200);
    p.call(
        "POST",
        "/admin/activation",
        o,
        &json!({"member_id": member_id, "action": "payment", "reference": "PAY-RUN-PATH", "amount_krw": 500000}),
    )
    .expect(200);
    p.call(
        "POST",
        "/admin/member-devices",
        o,
        &json!({"member_id": member_id, "device_limit": 1}),
    )
    .expect(200);

    // The member registers a site and a terminal.
    let session = p
        .call(
            "POST",
            "/auth/login",
            None,
            &json!({"login_id": login, "password": pass}),
        )
        .expect(200)
        .json()["token"]
        .as_str()
        .expect("member token")
        .to_owned();
    let m = Some(session.as_str());
    let site = p
        .call(
            "POST",
            "/member/sites",
            m,
            &json!({"name": "판교 현장", "manager_name": "박소장", "manager_contact": "010-2222-3333",
                    "address": "경기도 성남시 분당구 판교로 1", "services": ["attendance"]}),
        )
        .expect(201)
        .json()["site_id"]
        .as_str()
        .expect("site")
        .to_owned();
    let terminal = p
        .call(
            "POST",
            "/member/terminals",
            m,
            &json!({"site_id": site, "name": "정문 단말기", "mode": "webhook"}),
        )
        .expect(201)
        .json();
    let terminal_id = terminal["terminal_id"].as_str().expect("id");
    let secret = terminal["secret"].as_str().expect("secret");

    // A signed batch of today's (KST) records: 202, then stored.
    let day = (chrono::Utc::now() + chrono::Duration::hours(9))
        .format("%Y-%m-%d")
        .to_string();
    let records: Vec<Json> = (0..4)
        .map(|i| {
            json!({"event_id": format!("run-path-{i}"), "terminal_time": format!("{day}T{:02}:00:00+09:00", 7 + i),
                   "worker_code": format!("W{:03}", i % 2), "direction": if i < 2 { "in" } else { "out" },
                   "method": "face", "result": "accepted"})
        })
        .collect();
    let body = json_body(&json!({ "records": records }));
    let ts = now_secs();
    let sig = domain::devices::v2_webhook::sign(secret, "run-path-1", ts, &body).expect("secret");
    let ts = ts.to_string();
    p.send(
        "POST",
        &format!("/devices/webhook?terminal={terminal_id}"),
        &[
            JSON,
            ("webhook-id", "run-path-1"),
            ("webhook-timestamp", &ts),
            ("webhook-signature", &sig),
        ],
        &body,
    )
    .expect(202);

    // Shown where the member and staff read attendance: the day's view
    // reads the shard the queue consumer stored the batch in.
    let path = |who: &str| format!("/{who}/attendance?site={site}&day={day}");
    let mut seen = Json::Null;
    let stored = eventually(120, || {
        seen = p
            .call("GET", &path("member"), m, &Json::Null)
            .expect(200)
            .json();
        seen["workers"].as_array().is_some_and(|w| {
            w.iter()
                .map(|w| w["records"].as_i64().unwrap_or(0))
                .sum::<i64>()
                == 4
        })
    });
    assert!(stored, "the batch was not stored and shown: {seen}");
    let staff = p
        .call("GET", &path("admin"), o, &Json::Null)
        .expect(200)
        .json();
    assert_eq!(staff["workers"], seen["workers"], "staff see the same day");
    assert_eq!(
        seen["terminals"][0]["records"], 4,
        "counted for its terminal: {seen}"
    );
}
