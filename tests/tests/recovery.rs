//! Issue 22: finding the login ID and setting a new password by the mobile
//! number verified at signup (rules A1, A5, A6), end to end.

use e2e::receiver::same_recipient;
use e2e::*;
use serde_json::json;

/// A client address of the test's own: the per-address limits of the
/// suite's other tests stay clear of it.
fn own_address() -> String {
    format!("127.0.{}.{}", 1 + rand_below(250), 1 + rand_below(250))
}

fn post(t: &dyn Target, from: &str, path: &str, body: &serde_json::Value) -> Reply {
    t.call_from(from, "POST", path, &[JSON], &json_body(body))
}

/// The six digits of the latest recovery code sent to `mobile`, once the
/// SMS provider (the receiver) got it.
fn code_sent_to(mobile: &str, not: &[String]) -> String {
    let code = |text: &str| -> Option<String> {
        regex_lite::Regex::new(r"\[(\d{6})\]")
            .unwrap()
            .captures(text)
            .map(|c| c[1].to_owned())
    };
    let got = receiver().wait_for("a recovery code", |got| {
        got.iter().any(|m| {
            m.channel == "sms"
                && same_recipient(&m.to, mobile)
                && code(&m.text).is_some_and(|c| !not.contains(&c))
        })
    });
    got.iter()
        .filter(|m| m.channel == "sms" && same_recipient(&m.to, mobile))
        .filter_map(|m| code(&m.text))
        .filter(|c| !not.contains(c))
        .last()
        .expect("a code")
}

/// rule A6: a code by SMS to the verified number (the same answer for a
/// number with no account, which gets nothing), one a minute; the right
/// code gives the number's login IDs and a one-time ticket; the ticket sets
/// a new password once (rule A1: the signup's password policy), ends the
/// member's sessions (rule A5) and tells the member by e-mail.
#[test]
fn a6_a_verified_mobile_finds_the_login_id_and_sets_a_new_password_once() {
    let t = target();
    let a = Applicant::submitted(t);
    let session = a.activate();
    let member = Company::of(t, &a, session);
    member.call("GET", "/auth/me", &json!(null)).expect(200);
    let from = own_address();
    // No account on this number: the same answer, and no text message.
    let stranger = mobile();
    let none = post(
        t,
        &from,
        "/auth/recovery/send",
        &json!({"mobile": stranger}),
    )
    .expect(202)
    .json();
    // The member's number, as Koreans type it.
    let sent = post(
        t,
        &from,
        "/auth/recovery/send",
        &json!({"mobile": a.mobile}),
    )
    .expect(202)
    .json();
    assert_eq!(
        none, sent,
        "the answer does not tell whether a number has an account"
    );
    let code = code_sent_to(&a.mobile, &[]);
    assert!(
        !receiver()
            .messages()
            .iter()
            .any(|m| same_recipient(&m.to, &stranger)),
        "nothing is sent to a number with no account"
    );
    // One code a minute.
    post(
        t,
        &from,
        "/auth/recovery/send",
        &json!({"mobile": a.mobile}),
    )
    .expect(429);
    // A wrong code says how many tries are left.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = post(
        t,
        &from,
        "/auth/recovery/verify",
        &json!({"mobile": a.mobile, "code": wrong}),
    )
    .expect(422)
    .json();
    assert_eq!(r["errors"][0]["pointer"], "#/code");
    assert_eq!(r["tries_left"], 4);
    let found = post(
        t,
        &from,
        "/auth/recovery/verify",
        &json!({"mobile": a.mobile, "code": code}),
    )
    .expect(200)
    .json();
    assert_eq!(found["accounts"][0]["login_id"], a.login_id.as_str());
    assert_eq!(found["accounts"].as_array().unwrap().len(), 1);
    let ticket = found["ticket"].as_str().unwrap().to_owned();
    // The code is spent.
    post(
        t,
        &from,
        "/auth/recovery/verify",
        &json!({"mobile": a.mobile, "code": code}),
    )
    .expect(422);
    // rule A1: the new password follows the signup's policy.
    let reset = |login_id: &str, password: &str, confirm: &str| {
        post(
            t,
            &from,
            "/auth/recovery/password",
            &json!({"mobile": a.mobile, "ticket": ticket, "login_id": login_id, "password": password, "password_confirm": confirm}),
        )
    };
    let new_password = "새 비밀번호는 길고 기억하기 쉽게";
    let r = reset(&a.login_id, "password123", "password123")
        .expect(422)
        .json();
    assert_eq!(r["errors"][0]["pointer"], "#/password");
    let r = reset(&a.login_id, new_password, "다른 비밀번호")
        .expect(422)
        .json();
    assert_eq!(r["errors"][0]["pointer"], "#/password_confirm");
    // Only a login ID found on this number.
    let r = reset("someone_else", new_password, new_password)
        .expect(422)
        .json();
    assert_eq!(r["errors"][0]["pointer"], "#/login_id");
    let r = reset(&a.login_id, new_password, new_password)
        .expect(200)
        .json();
    assert_eq!(r["login_id"], a.login_id.as_str());
    // Once: the ticket is spent.
    let r = reset(&a.login_id, "또 다른 새 비밀번호", "또 다른 새 비밀번호")
        .expect(422)
        .json();
    assert_eq!(r["errors"][0]["pointer"], "#/ticket");
    // rule A5: the member's sessions ended; the new password signs in.
    member.call("GET", "/auth/me", &json!(null)).expect(401);
    let login = |password: &str| {
        post(
            t,
            &from,
            "/auth/login",
            &json!({"login_id": a.login_id, "password": password}),
        )
    };
    login(&a.password).expect(401);
    login(new_password).expect(200);
    // The member hears of it by e-mail.
    receiver().wait_for("the password notice", |got| {
        got.iter().any(|m| {
            same_recipient(&m.to, &a.email)
                && m.text.contains(&a.login_id)
                && m.text.contains("비밀번호")
        })
    });
}

/// rule A6: five tries per code, counted before the code is compared: of
/// 30 parallel wrong guesses at most five are compared, and afterwards the
/// right code is refused too.
#[test]
fn a6_parallel_wrong_recovery_codes_are_compared_no_more_than_five_times() {
    let t = target();
    let a = Applicant::submitted(t);
    let from = own_address();
    post(
        t,
        &from,
        "/auth/recovery/send",
        &json!({"mobile": a.mobile}),
    )
    .expect(202);
    let code = code_sent_to(&a.mobile, &[]);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let body = json_body(&json!({"mobile": a.mobile, "code": wrong}));
    let statuses = at_once(t, 30, |t| {
        t.call_from(&from, "POST", "/auth/recovery/verify", &[JSON], &body)
            .status
    });
    // 422 means the code was compared; 429 that it was not.
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        5,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 422 || *s == 429),
        "{statuses:?}"
    );
    post(
        t,
        &from,
        "/auth/recovery/verify",
        &json!({"mobile": a.mobile, "code": code}),
    )
    .expect(429);
}
