//! Abandoned applications expire (hardening of rules S1, A6): one not
//! submitted 30 days after it started is withdrawn by the sweep, its login
//! ID is free again and its contact person's data is erased. Its own
//! binary: it moves the expiry's clock for every application in the
//! database, which would expire the other suites' applicants.

use e2e::*;
use serde_json::json;

fn expiry_clock(t: &dyn Target, secs: i64) {
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        format!(r#"{{"expiry_clock_offset_secs": "{secs}"}}"#).as_bytes(),
    )
    .expect(200);
}

#[test]
fn s1_abandoned_applications_expire_and_release_their_login_ids() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    let submitted = Applicant::submitted(t);
    let row = |id: &str| {
        t.query(&format!(
            "SELECT status, expired_at, login_id, contact_name_enc, email_enc FROM members WHERE id = '{id}'"
        ))
        .remove(0)
    };
    // 29 days on: nothing expires yet.
    expiry_clock(t, 29 * 86_400);
    t.sweep();
    assert_eq!(row(&a.member_id).text("status"), Some("applying"));
    // 31 days on: the unsubmitted application is withdrawn, the submitted
    // one is not touched.
    expiry_clock(t, 31 * 86_400);
    t.sweep();
    expiry_clock(t, 0);
    let r = row(&a.member_id);
    assert_eq!(r.text("status"), Some("withdrawn"));
    assert!(r.text("expired_at").is_some());
    assert_eq!(r.text("login_id"), None);
    assert_eq!(r.text("contact_name_enc"), None, "contact data erased");
    assert_eq!(r.text("email_enc"), None);
    assert_eq!(row(&submitted.member_id).text("status"), Some("submitted"));
    // The login ID is free for someone else.
    let b = Applicant::start(t);
    let mut body = b.contact_body();
    body["login_id"] = json!(a.login_id);
    b.call("PUT", "/signup/contact", &body).expect(200);
    // The expired application says so and cannot be continued.
    let status = a
        .call("GET", "/signup/status", &json!(null))
        .expect(200)
        .json();
    assert_eq!(status["status"], "withdrawn");
    a.contact().expect(409);
}
