//! The release Worker (built without the cargo feature `dev`, as `wrangler
//! deploy` builds it) has no dev-only behaviour, even when the deployment's
//! settings ask for it: this starts `wrangler dev` on a release build with
//! `DEV_MODE=true` given, as an uploaded `.dev.vars` once would have.
//! `scripts/test.sh` runs it once, after the other wrangler tests
//! (`--features release-check`); the same requests on a dev build behave
//! otherwise (the other suites rely on it).

use e2e::{consents, json_body, Target, Wrangler, JSON};
use serde_json::json;
use std::sync::OnceLock;

fn release() -> &'static Wrangler {
    static W: OnceLock<Wrangler> = OnceLock::new();
    W.get_or_init(Wrangler::start_release)
}

#[test]
fn dev_routes_are_404_in_the_release_worker() {
    let t = release();
    for path in [
        "/__dev/switches",
        "/__dev/plain-insert",
        "/__dev/plain-delete",
        "/__dev/plain-read",
    ] {
        let r = t.serve("POST", path, &[JSON], br#"{"consumer_fail_rate":"1"}"#);
        assert_eq!(
            r.status,
            404,
            "{path}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
    }
}

#[test]
fn no_round_trip_header_in_the_release_worker() {
    let t = release();
    for (method, path) in [
        ("GET", "/healthz"),
        ("GET", "/signup/status"),
        ("GET", "/nowhere"),
    ] {
        let r = t.serve(method, path, &[], b"");
        assert!(
            r.header("x-db-round-trips").is_none(),
            "{method} {path} carries x-db-round-trips"
        );
    }
}

#[test]
fn the_clock_offset_header_does_nothing_in_the_release_worker() {
    let t = release();
    let r = t.call(
        "POST",
        "/signup/terms",
        &[JSON],
        &json_body(&json!({"kind": "partner", "over_14": true, "consents": consents()})),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let token = r.json()["signup_token"].as_str().expect("token").to_owned();
    let bearer = format!("Bearer {token}");
    // Two days on: a dev build would find the 24-hour signup token expired.
    let r = t.call(
        "GET",
        "/signup/status",
        &[
            ("authorization", &bearer),
            ("x-dev-clock-offset-secs", "172800"),
        ],
        b"",
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

/// Without the notice providers' keys edge-members serves no route of its
/// own (the signup's code and submission, sign-in): each answers 503 with a
/// problem document that names no setting, rather than send an applicant a
/// code that could never arrive. The devices' accept path still works: a missing provider key
/// must not stop attendance (issue 21).
#[test]
fn without_notice_keys_the_worker_refuses_to_serve() {
    let t = Wrangler::start_release_without_notice_keys();
    for (method, path, body) in [
        ("GET", "/healthz", &b""[..]),
        // The step that sends the applicant's code (the signup's first
        // steps are edge-office's, which sends nothing).
        ("POST", "/signup/phone/send", &br#"{}"#[..]),
        (
            "POST",
            "/auth/login",
            &br#"{"login_id":"nobody","password":"not a password"}"#[..],
        ),
    ] {
        let r = t.serve(method, path, &[JSON], body);
        assert_eq!(r.status, 503, "{method} {path}");
        let p = r.json();
        assert_eq!(
            p["type"],
            "https://problems.member-platform.kr/not-configured"
        );
        assert!(!String::from_utf8_lossy(&r.body).contains("NCP_"), "{p}");
    }
    // Attendance does not wait for e-mail: the devices' accept path is
    // served (an unknown serial is refused as such, not as not configured).
    for (method, path) in [
        ("GET", "/iclock/cdata?SN=NO-SUCH-SERIAL&options=all"),
        ("POST", "/devices/webhook?terminal=trm_none"),
    ] {
        let r = t.serve(method, path, &[JSON], b"{}");
        assert_ne!(
            r.status,
            503,
            "{method} {path}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert!(
            matches!(r.status, 400..=499),
            "{method} {path}: {}",
            r.status
        );
    }
}
