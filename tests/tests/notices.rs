//! Notices leave the platform through the providers' real HTTP APIs (NAVER
//! Cloud SENS for SMS, Cloud Outbound Mailer for e-mail), here pointed at
//! the harness's receiver on 127.0.0.1, which checks each request's
//! signature as the providers' gateway does and records what it got.

use e2e::{admin, admin_call, deployed_vars, receiver, target, Applicant};
use serde_json::json;

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[test]
fn s3_the_code_reaches_the_sms_provider_signed_as_sens_expects() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.call("POST", "/signup/phone/send", &json!({})).expect(202);
    let got = receiver().wait_for_n_to(&a.mobile, 1);
    let sms = &got[0];
    assert_eq!(sms.channel, "sms");
    // Domestic digits, as SENS takes them; a short Korean text is an SMS.
    assert_eq!(sms.to, digits(&a.mobile));
    assert_eq!(sms.subject, "SMS");
    assert!(!sms.from.is_empty() && sms.from.bytes().all(|b| b.is_ascii_digit()));
    assert!(sms.text.contains("인증번호"), "{}", sms.text);
    // The code it carries is the one the platform checks.
    let code = a.latest_code();
    assert!(sms.text.contains(&code));
    a.call("POST", "/signup/phone/verify", &json!({"code": code}))
        .expect(200);
    // Every request the receiver got was signed with the right key.
    assert_eq!(receiver().refused(), 0);
}

#[test]
fn s6_s7_review_result_and_welcome_text_reach_the_mail_provider() {
    let t = target();
    let a = Applicant::submitted(t);
    a.activate();
    // The receipt of the submission, the review's result, the welcome.
    let mails = receiver().wait_for_n_to(&a.email, 3);
    assert!(mails.iter().all(|m| m.channel == "email"));
    let review = mails
        .iter()
        .find(|m| m.subject.contains("심사 결과"))
        .expect("the review result");
    // rule S6: the decision and its reason reach the applicant.
    assert!(
        review.text.contains("승인") && review.text.contains("ok"),
        "{}",
        review.text
    );
    let welcome = mails
        .iter()
        .find(|m| m.subject.contains("환영"))
        .expect("the welcome text");
    // rule S7: the welcome text is filled with the member's own values.
    assert!(welcome.text.contains(&a.login_id), "{}", welcome.text);
    assert!(welcome.text.contains(&a.name), "{}", welcome.text);
    assert!(!welcome.text.contains('$') && !welcome.text.contains('{'));
}

#[test]
fn a_provider_outage_delays_a_notice_but_loses_none() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    receiver().fail_next_to(&a.mobile, 2);
    a.call("POST", "/signup/phone/send", &json!({})).expect(202);
    // Retried by the queue until the provider takes it.
    let code = a.latest_code();
    assert_eq!(
        receiver().failures_left_to(&a.mobile),
        0,
        "the outage was hit"
    );
    a.call("POST", "/signup/phone/verify", &json!({"code": code}))
        .expect(200);
}

/// On Spin a missing provider key must not stop attendance (issue 21): the
/// application starts without the providers' keys (not required
/// variables), and the maintenance run, which drains the attendance queue,
/// runs; a notice waiting meanwhile stays in the outbox, undelivered, with
/// no attempt counted and never given up, until the keys are set.
#[test]
fn spin_keeps_attendance_running_without_notice_keys() {
    if std::env::var("E2E_TARGET").as_deref() != Ok("spin") {
        e2e::skip("a second Spin test host is started for the Spin run only");
        return;
    }
    let host: &'static e2e::SpinHost = Box::leak(Box::new(e2e::SpinHost::start_without(&[
        "NCP_ACCESS_KEY",
        "NCP_SECRET_KEY",
        "SENS_SERVICE_ID",
        "SMS_SENDER",
        "MAIL_SENDER",
    ])));
    use e2e::Target;
    let keys = host.keys();
    let seal = |place: &str, text: &str| {
        keys.seal_for(
            &adapter_sqlite::OsRandom,
            &domain::kernel::crypto::at(place, "ntc-waits"),
            text,
        )
    };
    host.seed(&format!(
        "INSERT INTO outbox (id, member_id, channel, template, recipient_enc, body_enc, created_at)
         VALUES ('ntc-waits', 'mem-none', 'email', 'waits', '{}', '{}', '2026-01-01T00:00:00+00:00');
         INSERT INTO queue_messages (body, created_at) VALUES ('{{\"type\":\"outbox\",\"id\":\"ntc-waits\"}}', '2026-01-01T00:00:00+00:00');",
        seal("outbox.recipient", "waits@example.com"),
        seal("outbox.body", "a notice that waits"),
    ));
    let bearer = format!("Bearer {}", host.maintenance_token());
    let r = host.call(
        "POST",
        "/maintenance/run",
        &[("authorization", bearer.as_str())],
        b"",
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let run = r.json();
    assert_eq!(run["failed_steps"], json!([]), "{run}");
    let row = host
        .query("SELECT delivered_at, attempts, gave_up_at FROM outbox WHERE id = 'ntc-waits'")
        .remove(0);
    assert_eq!(row.text("delivered_at"), None);
    assert_eq!(row.text("gave_up_at"), None);
    assert_eq!(
        row.int("attempts"),
        Some(0),
        "no attempt counted without keys"
    );
}

/// Issue 22: the applicant hears of its submission and of the decision by
/// e-mail and by text message, as the status page promises, each with the
/// link to its status page (the deployment's `PAGES_ORIGIN`).
#[test]
fn s6_submission_and_decision_reach_the_applicant_by_text_and_e_mail_with_a_link() {
    // rule S6: the reason is shown to the applicant
    let t = target();
    let origin = deployed_vars(&["PAGES_ORIGIN"])
        .first()
        .map(|(_, v)| v.clone())
        .expect("wrangler.toml sets PAGES_ORIGIN");
    let link = format!("{origin}/app/#/signup/status");
    let a = Applicant::submitted(t);
    admin_call(
        t,
        &admin(t, "reviewer"),
        "POST",
        "/admin/reviews",
        &json!({"member_id": a.member_id, "decision": "hold", "reason": "사업자등록증이 흐립니다"}),
    )
    .expect(200);
    let mails = receiver().wait_for_n_to(&a.email, 2);
    let receipt = mails
        .iter()
        .find(|m| m.subject.contains("접수"))
        .expect("the receipt");
    assert!(receipt.text.contains(&link), "{}", receipt.text);
    let result = mails
        .iter()
        .find(|m| m.subject.contains("보류"))
        .expect("the result");
    assert!(
        result.text.contains("사업자등록증이 흐립니다") && result.text.contains(&link),
        "{}",
        result.text
    );
    // The code, the receipt and the result by text message.
    let texts = receiver().wait_for_n_to(&a.mobile, 3);
    assert!(
        texts
            .iter()
            .any(|m| m.text.contains("접수") && m.text.contains(&link)),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|m| m.text.contains("보류") && m.text.contains(&link)),
        "{texts:?}"
    );
    assert_eq!(receiver().refused(), 0);
}
