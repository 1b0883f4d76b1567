//! Member signup end to end (rules S1–S9, A1, A2, A5, A6). Runs in-process
//! against real SQLite by default and against `wrangler dev` with
//! `E2E_TARGET=wrangler`. Every response is also checked for ≤ 2 D1 round trips.

use e2e::receiver::same_recipient;
use e2e::*;
use serde_json::{json, Value as Json};

#[test]
fn s1_s7_happy_path_from_terms_to_active_then_login_and_logout() {
    let t = target();
    let a = Applicant::submitted(t);
    assert_eq!(a.status()["status"], "submitted");

    let reviewer = admin(t, "reviewer");
    let r = admin_call(
        t,
        &reviewer,
        "POST",
        "/admin/reviews",
        &json!({"member_id": a.member_id, "decision": "approve", "reason": "서류 확인 완료"}),
    )
    .expect(200);
    assert_eq!(r.json()["status"], "approved");

    // rule S7: five trial matchings, then the system fee → active.
    let billing = admin(t, "billing");
    let pay = json!({"member_id": a.member_id, "action": "payment", "reference": format!("PAY-{}", rand_below(1 << 40)), "amount_krw": 500000});
    let early = admin_call(t, &billing, "POST", "/admin/activation", &pay).expect(409);
    assert_eq!(early.json()["trials"], 0);
    for i in 0..5 {
        admin_call(t, &billing, "POST", "/admin/activation", &json!({"member_id": a.member_id, "action": "trial", "reference": format!("match-{i}")})).expect(200);
    }
    let done = admin_call(t, &billing, "POST", "/admin/activation", &pay)
        .expect(200)
        .json();
    assert_eq!(done["status"], "active");
    let welcome = done["welcome"].as_str().unwrap();
    assert!(
        welcome.contains("김담당") && welcome.contains(&a.login_id) && !welcome.contains('$'),
        "{welcome}"
    );

    // rule A5: login gives a session; logout revokes it.
    let login = t
        .call(
            "POST",
            "/auth/login",
            &[JSON],
            &json_body(&json!({"login_id": a.login_id, "password": a.password})),
        )
        .expect(200);
    // A token or a person's data is never kept by a cache on the way.
    assert_eq!(login.header("cache-control"), Some("no-store"));
    let login = login.json();
    let bearer = format!("Bearer {}", login["token"].as_str().unwrap());
    let me = t
        .call("GET", "/auth/me", &[("authorization", &bearer)], b"")
        .expect(200);
    assert_eq!(me.header("cache-control"), Some("no-store"));
    let me = me.json();
    assert_eq!(me["status"], "active");
    assert_eq!(me["email"], a.email);
    t.call("POST", "/auth/logout", &[("authorization", &bearer)], b"")
        .expect(200);
    t.call("GET", "/auth/me", &[("authorization", &bearer)], b"")
        .expect(401);
    t.call("POST", "/auth/logout", &[("authorization", &bearer)], b"")
        .expect(401);
}

#[test]
fn s1_every_step_out_of_order_gets_409_naming_the_missing_step() {
    let t = target();
    let mut a = Applicant::start(t);
    let missing = |r: Reply| {
        r.expect(409).json()["missing_step"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(missing(a.company()), "contact");
    assert_eq!(missing(a.upload("brochure", &pdf())), "contact");
    assert_eq!(missing(a.submit()), "contact");
    assert_eq!(
        missing(a.call("POST", "/signup/phone/send", &json!({}))),
        "contact"
    );
    a.contact().expect(200);
    assert_eq!(missing(a.company()), "phone");
    a.verify_phone();
    assert_eq!(missing(a.upload("brochure", &pdf())), "company");
    assert_eq!(missing(a.submit()), "company");
    a.company().expect(200);
    let r = a.submit().expect(409).json();
    assert_eq!(r["missing_step"], "documents");
    assert_eq!(
        r["missing_documents"],
        json!(["registration_certificate", "brochure", "portfolio"])
    );

    let reviewer = admin(t, "reviewer");
    let review = json!({"member_id": a.member_id, "decision": "approve", "reason": "ok"});
    assert_eq!(
        missing(admin_call(t, &reviewer, "POST", "/admin/reviews", &review)),
        "submit"
    );
    let billing = admin(t, "billing");
    assert_eq!(
        missing(admin_call(
            t,
            &billing,
            "POST",
            "/admin/activation",
            &json!({"member_id": a.member_id, "action": "waive"})
        )),
        "review"
    );

    // A step may be redone until submission, not after.
    let redo = a
        .call(
            "POST",
            "/signup/terms",
            &json!({"kind": "partner", "over_14": true, "consents": consents()}),
        )
        .expect(201)
        .json();
    // The redo's new token replaces the one before (rule A5).
    let old = a.auth();
    a.token = redo["signup_token"]
        .as_str()
        .expect("a new token")
        .to_owned();
    t.call("GET", "/signup/status", &[("authorization", &old)], b"")
        .expect(401);
    assert_eq!(redo["member_id"], a.member_id.as_str(), "same application");
    assert_eq!(redo["next"], "documents");
    a.company().expect(200);
    a.documents();
    a.submit().expect(200);
    let r = a.company().expect(409).json();
    assert_eq!(
        (r["status"].as_i64(), r["member_status"].as_str()),
        (Some(409), Some("submitted"))
    );
    a.contact().expect(409);
    a.call(
        "POST",
        "/signup/terms",
        &json!({"kind": "partner", "over_14": true, "consents": consents()}),
    )
    .expect(409);
}

#[test]
fn s2_consents_are_recorded_per_document_with_instant_and_encrypted_ip() {
    let t = target();
    let a = Applicant::start(t);
    let rows = t.query(&format!("SELECT document_kind, document_version, accepted, at, ip_enc FROM consents WHERE member_id = '{}' ORDER BY document_kind", a.member_id));
    let got: Vec<(String, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.text("document_kind").unwrap().to_owned(),
                r.int("accepted").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("marketing_email".into(), 0),
            ("marketing_sms".into(), 1),
            ("privacy_collection".into(), 1),
            ("terms_of_service".into(), 1)
        ]
    );
    assert!(rows
        .iter()
        .all(|r| r.text("document_version") == Some("2026-01-01") && r.text("at").is_some()));
}

#[test]
fn s2_under_14_and_missing_required_consent_are_refused_and_nothing_is_written() {
    let t = target();
    // Only this test creates `client` members (tests run in parallel).
    let before = count(t, "SELECT COUNT(*) AS n FROM members WHERE kind = 'client'");
    let body = json!({"kind": "client", "over_14": false, "consents": [
        {"kind": "terms_of_service", "version": "2026-01-01", "accepted": true},
        {"kind": "privacy_collection", "version": "2026-01-01", "accepted": false}]});
    let r = t
        .call(
            "POST",
            "/signup/terms",
            &[JSON, ("accept-language", "en")],
            &json_body(&body),
        )
        .expect(422);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(r.pointers(), ["#/over_14", "#/consents/1/accepted"]);
    assert_eq!(
        r.json()["errors"][0]["detail"],
        "Confirm that you are 14 or older: applicants under 14 cannot sign up."
    );
    let ko = t
        .call(
            "POST",
            "/signup/terms",
            &[JSON, ("accept-language", "ko-KR")],
            &json_body(&body),
        )
        .expect(422);
    assert_eq!(
        ko.json()["errors"][0]["detail"],
        "만 14세 이상인지 확인해 주세요. 만 14세 미만은 가입할 수 없습니다."
    );
    let old = json!({"kind": "client", "over_14": true, "consents": [
        {"kind": "terms_of_service", "version": "2020-01-01", "accepted": true},
        {"kind": "privacy_collection", "version": "2026-01-01", "accepted": true}]});
    assert_eq!(
        t.call("POST", "/signup/terms", &[JSON], &json_body(&old))
            .expect(422)
            .pointers(),
        ["#/consents/0/version"]
    );
    let kind = json!({"kind": "alien", "over_14": true, "consents": consents()});
    assert_eq!(
        t.call("POST", "/signup/terms", &[JSON], &json_body(&kind))
            .expect(422)
            .pointers(),
        ["#/kind"]
    );
    t.call("POST", "/signup/terms", &[JSON], b"not json")
        .expect(422);
    assert_eq!(
        count(t, "SELECT COUNT(*) AS n FROM members WHERE kind = 'client'"),
        before,
        "nothing written"
    );
}

#[test]
fn s3_every_contact_field_bad_input_gets_422_with_pointers_and_nothing_is_written() {
    let t = target();
    let a = Applicant::start(t);
    let cases = [
        ("login_id", json!("ab")),
        ("login_id", json!("kim@example.kr")),
        ("login_id", json!("01098765432")),
        ("password", json!("short")),
        ("password", json!("password123")),
        ("password_confirm", json!("something else entirely")),
        ("name", json!("")),
        ("mobile", json!("02-123-4567")),
        ("mobile", json!("070-1234-5678")),
        ("email", json!("not-an-email")),
        ("email", json!(42)),
        // The audit saw these accepted: a NUL and markup in the local part.
        ("email", json!("kim\u{0}@example.kr")),
        ("email", json!("<script>@example.kr")),
    ];
    for (field, value) in cases {
        let mut body = a.contact_body();
        body[field] = value.clone();
        let r = a.call("PUT", "/signup/contact", &body).expect(422);
        assert_eq!(r.pointers(), [format!("#/{field}")], "{field} = {value}");
    }
    let r = a.call("PUT", "/signup/contact", &json!({})).expect(422);
    assert_eq!(
        r.pointers().len(),
        6,
        "every missing field reported at once"
    );
    let row = &t.query(&format!(
        "SELECT step, login_id FROM members WHERE id = '{}'",
        a.member_id
    ))[0];
    assert_eq!(
        (row.int("step"), row.text("login_id")),
        (Some(1), None),
        "nothing written"
    );
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM login_ids WHERE member_id = '{}'",
                a.member_id
            )
        ),
        0
    );
}

#[test]
fn s3_login_id_is_unique_and_the_mobile_number_is_stored_as_digits() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    let b = Applicant::start(t);
    let mut body = b.contact_body();
    body["login_id"] = json!(a.login_id);
    let r = b.call("PUT", "/signup/contact", &body).expect(409);
    assert_eq!(r.json()["errors"][0]["pointer"], "#/login_id");
    // Redoing the step with a new ID frees the old one for nobody else (kept
    // by this applicant until it changes), and the phone is normalized.
    let phone = t.query(&format!(
        "SELECT phone_enc FROM members WHERE id = '{}'",
        a.member_id
    ))[0]
        .text("phone_enc")
        .unwrap()
        .to_owned();
    let place = |id: &str| domain::kernel::crypto::at("members.phone", id);
    assert_eq!(
        t.keys().open_at(&place(&a.member_id), &phone).unwrap(),
        a.mobile.replace('-', "")
    );
    // Sealed values are bound to their row: copied to another member's row,
    // this one would not open there (associated data).
    assert!(t.keys().open_at(&place(&b.member_id), &phone).is_err());
    assert!(phone.starts_with("v2."), "{phone}");
}

#[test]
fn s3_wrong_expired_and_too_many_codes() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    assert_eq!(
        a.call("POST", "/signup/phone/verify", &json!({"code": "123456"}))
            .expect(409)
            .json()["status"],
        409
    );
    a.call("POST", "/signup/phone/send", &json!({})).expect(202);
    // Resend is limited: not again within 60 s (rule A6).
    let again = a.call("POST", "/signup/phone/send", &json!({})).expect(429);
    assert!(again.header("retry-after").is_some());
    let code = a.latest_code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = a
        .call("POST", "/signup/phone/verify", &json!({"code": wrong}))
        .expect(422);
    assert_eq!(r.pointers(), ["#/code"]);
    assert_eq!(r.json()["tries_left"], 4);
    // Expired after 3 minutes (the dev clock moves forward).
    let auth = a.auth();
    let late = t
        .call(
            "POST",
            "/signup/phone/verify",
            &[
                JSON,
                ("authorization", &auth),
                ("x-dev-clock-offset-secs", "181"),
            ],
            &json_body(&json!({"code": code})),
        )
        .expect(422);
    assert_eq!(late.json()["errors"][0]["code"], "detail.code_expired");
    // Every attempt is a try, the late one too (counted before the code
    // is looked at): three more make five.
    for left in [2, 1, 0] {
        let r = a
            .call("POST", "/signup/phone/verify", &json!({"code": wrong}))
            .expect(422);
        assert_eq!(r.json()["tries_left"], left);
    }
    // Five tries: even the right code is refused until a new one.
    a.call("POST", "/signup/phone/verify", &json!({"code": code}))
        .expect(429);
    let r = t
        .call(
            "POST",
            "/signup/phone/send",
            &[
                JSON,
                ("authorization", &auth),
                ("x-dev-clock-offset-secs", "61"),
            ],
            b"{}",
        )
        .expect(202);
    assert_eq!(r.json()["sent"], true);
    let fresh = a.latest_code();
    a.call("POST", "/signup/phone/verify", &json!({"code": fresh}))
        .expect(200);
    // "Already verified" is a clear message, not an error.
    let r = a
        .call("POST", "/signup/phone/verify", &json!({"code": fresh}))
        .expect(200)
        .json();
    assert_eq!(r["already_verified"], true);
    assert_eq!(
        a.call("POST", "/signup/phone/send", &json!({}))
            .expect(200)
            .json()["already_verified"],
        true
    );
}

/// Issue 22: the phone step survives a reload and a resend. The status
/// says a code is live (so the page shows the code box again) and from
/// when another may be asked for; after a resend the first code still
/// works until it expires, the second too; an expired first code does not.
#[test]
fn s3_a_reload_keeps_the_code_box_and_the_first_code_works_after_a_resend() {
    // rule S3: a 6-digit code, 3 minutes, resend limited
    let t = target();
    let at = |a: &Applicant, secs: i64, method: &str, path: &str, body: &Json| {
        let (auth, offset) = (a.auth(), secs.to_string());
        t.call(
            method,
            path,
            &[
                JSON,
                ("authorization", &auth),
                ("x-dev-clock-offset-secs", &offset),
            ],
            &json_body(body),
        )
    };
    let a = Applicant::start(t);
    a.contact().expect(200);
    assert!(a.status()["phone_code"].is_null(), "no code sent yet");
    a.call("POST", "/signup/phone/send", &json!({})).expect(202);
    let live = a.status()["phone_code"].clone();
    let instant = |k: &str| {
        chrono::DateTime::parse_from_rfc3339(live[k].as_str().unwrap_or(""))
            .unwrap_or_else(|_| panic!("{k} in {live}"))
    };
    assert_eq!(
        (instant("expires_at") - instant("resend_at")).num_seconds(),
        120
    );
    let first = a.latest_code();
    // 61 s later a second code goes out; the first still works.
    at(&a, 61, "POST", "/signup/phone/send", &json!({})).expect(202);
    let second = a.latest_code();
    assert_ne!(first, second);
    let later = at(&a, 61, "GET", "/signup/status", &Json::Null)
        .expect(200)
        .json();
    assert!(
        later["phone_code"]["expires_at"].as_str() > live["expires_at"].as_str(),
        "{later}"
    );
    at(
        &a,
        62,
        "POST",
        "/signup/phone/verify",
        &json!({"code": first}),
    )
    .expect(200);
    assert!(a.status()["phone_code"].is_null(), "verified: no code box");
    // Past the first code's three minutes only the second works.
    let b = Applicant::start(t);
    b.contact().expect(200);
    b.call("POST", "/signup/phone/send", &json!({})).expect(202);
    let first = b.latest_code();
    at(&b, 61, "POST", "/signup/phone/send", &json!({})).expect(202);
    let second = b.latest_code();
    if first != second {
        let r = at(
            &b,
            181,
            "POST",
            "/signup/phone/verify",
            &json!({"code": first}),
        )
        .expect(422);
        assert_eq!(r.json()["errors"][0]["code"], "detail.code_wrong");
    }
    at(
        &b,
        182,
        "POST",
        "/signup/phone/verify",
        &json!({"code": second}),
    )
    .expect(200);
}

/// Issue 22: the company step reads numbers as Koreans type them
/// (separators, "원" / "명" / "년", 억 and 만) and a homepage without its
/// scheme; what it cannot read gets a message showing the form expected.
#[test]
fn s4_korean_number_formats_and_a_homepage_without_a_scheme_are_understood() {
    // rule S4: revenue, employees, founding year and homepage are recorded
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.verify_phone();
    let mut body = a.company_body();
    body["revenue_krw"] = json!("12억 5,000만원");
    body["employees"] = json!("1,024명");
    body["founded_year"] = json!("2015년");
    body["homepage"] = json!("www.example.co.kr");
    a.call("PUT", "/signup/company", &body).expect(200);
    let saved = a
        .call("GET", "/signup/company", &Json::Null)
        .expect(200)
        .json()["saved"]
        .clone();
    assert_eq!(saved["revenue_krw"], 1_250_000_000);
    assert_eq!(saved["employees"], 1024);
    assert_eq!(saved["founded_year"], 2015);
    assert_eq!(saved["homepage"], "https://www.example.co.kr");
    body["revenue_krw"] = json!("많이");
    body["employees"] = json!("스물넷");
    let auth = a.auth();
    let r = t
        .call(
            "PUT",
            "/signup/company",
            &[JSON, ("authorization", &auth), ("accept-language", "ko")],
            &json_body(&body),
        )
        .expect(422);
    assert_eq!(r.pointers(), ["#/revenue_krw", "#/employees"]);
    let details: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(
        details[0].contains("12억 원") && details[1].contains("24명"),
        "{details:?}"
    );
    assert!(
        details.iter().all(|d| !d.contains("형식이 올바르지")),
        "{details:?}"
    );
}

#[test]
fn s4_company_fields_bad_input_gets_422_with_pointers() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.verify_phone();
    let cases = [
        ("business_number", json!("220-81-62518")),
        ("business_number", json!("12345")),
        ("employees", json!(-3)),
        ("revenue_krw", json!("lots")),
        ("founded_year", json!(1066)),
        ("homepage", json!("javascript:alert(1)")),
        ("company_name", json!("x".repeat(101))),
    ];
    for (field, value) in cases {
        let mut body = a.company_body();
        body[field] = value.clone();
        assert_eq!(
            a.call("PUT", "/signup/company", &body)
                .expect(422)
                .pointers(),
            [format!("#/{field}")],
            "{field} = {value}"
        );
    }
    let mut body = a.company_body();
    body["categories"] = json!(["software", "design", "marketing", "consulting"]);
    assert_eq!(
        a.call("PUT", "/signup/company", &body)
            .expect(422)
            .pointers(),
        ["#/categories"]
    );
    body["categories"] = json!(["software", "astrology"]);
    assert_eq!(
        a.call("PUT", "/signup/company", &body)
            .expect(422)
            .pointers(),
        ["#/categories/1"]
    );
    let mut body = a.company_body();
    body.as_object_mut().unwrap().remove("address");
    assert_eq!(
        a.call("PUT", "/signup/company", &body)
            .expect(422)
            .pointers(),
        ["#/address"],
        "required for partners"
    );
    let row = &t.query(&format!(
        "SELECT step, business_number FROM members WHERE id = '{}'",
        a.member_id
    ))[0];
    assert_eq!(
        (row.int("step"), row.text("business_number")),
        (Some(2), None),
        "nothing written"
    );
}

#[test]
fn s4_the_company_form_lists_the_kinds_fields_and_every_category_with_its_rate() {
    let t = target();
    let a = Applicant::start(t);
    let r = a
        .call("GET", "/signup/company", &json!(null))
        .expect(200)
        .json();
    assert_eq!(r["kind"], "partner");
    let required: Vec<&str> = r["required_fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(required.contains(&"categories") && required.contains(&"business_number"));
    let software = r["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "software")
        .expect("software is a category")
        .clone();
    assert_eq!(software["success_fee_bp"], 1000);
    assert_eq!(software["success_fee_percent"], 10.0);
    assert_eq!(software["name_ko"], "소프트웨어 개발");
    assert_eq!(r["categories"].as_array().unwrap().len(), 6);
    assert_eq!(r["system_fee"]["annual_krw"], 500000);
    // Without an applicant's token: refused.
    t.call("GET", "/signup/company", &[], b"").expect(401);
}

#[test]
fn s6_staff_list_members_with_their_device_limits_filtered_by_status() {
    let t = target();
    let a = Applicant::submitted(t);
    let reviewer = admin(t, "reviewer");
    let all = admin_call(t, &reviewer, "GET", "/admin/members", &json!(null))
        .expect(200)
        .json();
    let mine = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["member_id"] == a.member_id.as_str())
        .expect("the new applicant is listed")
        .clone();
    assert_eq!(mine["status"], "submitted");
    assert_eq!(mine["business_number"], a.business_number.as_str());
    assert_eq!(
        (mine["device_limit"].as_i64(), mine["devices"].as_i64()),
        (Some(0), Some(0))
    );
    assert!(
        mine.get("email").is_none() && mine.get("mobile").is_none(),
        "nothing personal"
    );
    let approved = admin_call(
        t,
        &reviewer,
        "GET",
        "/admin/members?status=approved",
        &json!(null),
    )
    .expect(200)
    .json();
    assert!(approved["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["status"] == "approved"));
    let bad = admin_call(
        t,
        &reviewer,
        "GET",
        "/admin/members?status=asleep",
        &json!(null),
    )
    .expect(422);
    assert_eq!(bad.pointers(), ["#/status"]);
}

#[test]
fn s4_category_fee_rates_and_the_system_fee_are_shown_back() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.verify_phone();
    let r = a.company().expect(200).json();
    assert_eq!(r["categories"][0]["code"], "software");
    assert_eq!(r["categories"][0]["success_fee_bp"], 1000);
    assert_eq!(r["system_fee"]["annual_krw"], 500000);
    assert_eq!(r["system_fee"]["billed_after_trial_matchings"], 5);
    assert_eq!(r["business_number"], a.business_number);
}

/// rule S4: "search my company" pre-fills step 3 from what the platform
/// knows: the public company data of members staff approved (no sample
/// rows in a production table any more). An application not yet approved
/// is not found.
#[test]
fn s4_search_my_company_prefills_by_number_or_name() {
    let t = target();
    let known = Applicant::submitted(t);
    let pending = Applicant::submitted(t);
    known.approve();
    let a = Applicant::start(t);
    let auth = a.auth();
    let search = |q: &str| {
        let q: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
        t.call(
            "GET",
            &format!("/signup/company-search?q={q}"),
            &[("authorization", &auth)],
            b"",
        )
        .expect(200)
        .json()
    };
    let name = |id: &str| {
        t.query(&format!(
            "SELECT company_name FROM members WHERE id = '{id}'"
        ))[0]
            .text("company_name")
            .expect("a company name")
            .to_owned()
    };
    let r = search(&known.business_number);
    assert_eq!(
        r["results"][0]["company_name"],
        name(&known.member_id).as_str()
    );
    assert_eq!(r["results"][0]["business_type"], "서비스업");
    assert_eq!(r["results"][0]["founded_year"], 2015);
    let r = search(&name(&known.member_id));
    assert_eq!(
        r["results"][0]["business_number"],
        known.business_number.as_str()
    );
    assert_eq!(search(&pending.business_number)["results"], json!([]));
    assert_eq!(search(&name(&pending.member_id))["results"], json!([]));
    // 17 Hangul syllables (51 bytes) were over D1's LIKE pattern limit: a 500.
    let long: String = "한빛".repeat(9).chars().take(17).collect();
    let q: String = long.bytes().map(|b| format!("%{b:02X}")).collect();
    let r = t
        .call(
            "GET",
            &format!("/signup/company-search?q={q}"),
            &[("authorization", &auth)],
            b"",
        )
        .expect(200)
        .json();
    assert!(r["results"].is_array());
    t.call(
        "GET",
        "/signup/company-search",
        &[("authorization", &auth)],
        b"",
    )
    .expect(422);
}

#[test]
fn s4_duplicate_business_number_of_a_live_member_is_asked_to_recheck() {
    let t = target();
    let first = Applicant::submitted(t);
    let reviewer = admin(t, "reviewer");
    admin_call(
        t,
        &reviewer,
        "POST",
        "/admin/reviews",
        &json!({"member_id": first.member_id, "decision": "approve", "reason": "ok"}),
    )
    .expect(200);

    let b = Applicant::start(t);
    b.contact().expect(200);
    b.verify_phone();
    let mut body = b.company_body();
    body["business_number"] = json!(first.business_number);
    let r = b.call("PUT", "/signup/company", &body).expect(409).json();
    assert_eq!(r["errors"][0]["pointer"], "#/business_number");
    let en = t
        .call(
            "PUT",
            "/signup/company",
            &[
                JSON,
                ("authorization", &b.auth()),
                ("accept-language", "en"),
            ],
            &json_body(&body),
        )
        .expect(409)
        .json();
    assert_eq!(
        en["detail"],
        "Please re-check your business registration number."
    );
}

#[test]
fn s5_documents_checked_by_content_size_and_count() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.verify_phone();
    a.company().expect(200);
    // A PNG named as a PDF is still a PNG: a brochure must be a PDF.
    assert_eq!(
        a.upload("brochure", &png()).expect(422).pointers(),
        ["#/file"]
    );
    assert_eq!(
        a.upload("portfolio", b"MZ\x90\x00 this is an exe")
            .expect(422)
            .pointers(),
        ["#/file"]
    );
    assert_eq!(
        a.upload("passport", &pdf()).expect(422).pointers(),
        ["#/kind"]
    );
    // Typed by structure, not by the first bytes alone: a PDF that is also
    // a web page, and an MP4 header followed by HTML, were both accepted.
    for polyglot in [
        &b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"[..],
        &b"\x00\x00\x00\x18ftypmp42<!DOCTYPE html><script>alert(1)</script>"[..],
    ] {
        assert_eq!(
            a.upload("portfolio", polyglot).expect(422).pointers(),
            ["#/file"]
        );
    }
    // Over the kind's own limit (a certificate: 10 MB): read, then refused.
    let mut big = pdf();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let r = a.upload("registration_certificate", &big).expect(413);
    assert_eq!(r.json()["max_bytes"], 10 * 1024 * 1024);
    // Over any document's limit (20 MB): refused by its declared length,
    // before it is sent.
    let auth = a.auth();
    let r = t.serve_declared(
        "PUT",
        "/signup/documents?kind=brochure",
        &[("authorization", &auth)],
        20 * 1024 * 1024 + 1,
        &pdf(),
    );
    assert_eq!(r.status, 413);
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM documents WHERE member_id = '{}'",
                a.member_id
            )
        ),
        0
    );
    a.upload("registration_certificate", &png()).expect(201);
    a.upload("brochure", &pdf()).expect(201);
    let r = a.upload("brochure", &pdf()).expect(201).json();
    assert_eq!(
        r["missing"],
        json!(["portfolio"]),
        "a second brochure replaces the first"
    );
    for i in 0..4 {
        a.upload("portfolio", &png()).expect(201);
        assert_eq!(
            a.submit().expect(409).json()["missing_documents"],
            json!(["portfolio"]),
            "{i} portfolio items are not enough"
        );
    }
    let r = a
        .upload("portfolio", b"\x00\x00\x00\x10ftypmp42\x00\x00\x00\x00")
        .expect(201)
        .json();
    assert_eq!(r["missing"], json!([]));
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM documents WHERE member_id = '{}' AND kind = 'brochure'",
                a.member_id
            )
        ),
        1
    );
    a.submit().expect(200);
}

/// rule S5: sizes read from a file are checked on the wasm builds, where
/// `usize` has 32 bits: the audit's 24-byte PNG (a chunk length of
/// 0xFFFFFFF4) once hung the whole Worker, and a 32-byte MP4 claiming a box
/// of 2^32 + 16 bytes was accepted. Polyglots whose markup or script sits
/// past the first kilobyte, or after the file's last structure, are refused.
#[test]
fn s5_files_that_lie_about_their_sizes_are_refused_by_the_wasm_builds() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.verify_phone();
    a.company().expect(200);
    let mut png_wrap = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    png_wrap.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xF4]);
    png_wrap.extend_from_slice(b"IHDR\0\0\0\0\0\0\0\0");
    assert_eq!(png_wrap.len(), 24);
    let mut mp4_wrap = b"\0\0\0\x10ftypmp42\0\0\0\0\0\0\0\x01mdat".to_vec();
    mp4_wrap.extend_from_slice(&((1u64 << 32) + 16).to_be_bytes());
    assert_eq!(mp4_wrap.len(), 32);
    let mut webp_wrap = b"RIFF\xf8\xff\xff\xffWEBPVP8 \0\0\0\0".to_vec();
    webp_wrap.truncate(20);
    // A JPEG with PHP after its first KiB, in a comment segment.
    let mut jpeg_php = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
    jpeg_php.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let comment = [&[b' '; 2048][..], b"<?php system($_GET['c']); ?>"].concat();
    jpeg_php.extend_from_slice(&[0xFF, 0xFE]);
    jpeg_php.extend_from_slice(&((comment.len() + 2) as u16).to_be_bytes());
    jpeg_php.extend_from_slice(&comment);
    jpeg_php.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0, 0x12, 0xFF, 0xD9]);
    // GIF/JavaScript: `GIF89a/*…*/=alert(…);` ends in the trailer byte.
    let mut gif_js = b"GIF89a/*\x01\0\0\0\0".to_vec();
    gif_js.extend_from_slice(b"\x2C\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0");
    gif_js.extend_from_slice(b"*/=alert(document.domain);");
    // A WebM whose Segment is followed by a page.
    let mut webm_html = vec![0x1A, 0x45, 0xDF, 0xA3, 0x87, 0x42, 0x82, 0x84];
    webm_html.extend_from_slice(b"webm");
    webm_html.extend_from_slice(&[0x18, 0x53, 0x80, 0x67, 0x82, 0xEC, 0x80]);
    webm_html.extend_from_slice(&[0; 1100]);
    webm_html.extend_from_slice(b"<html><body><script>alert(1)</script>");
    for (name, file) in [
        ("png chunk length 0xFFFFFFF4", &png_wrap),
        ("mp4 box of 2^32 + 16 bytes", &mp4_wrap),
        ("riff size 0xFFFFFFF8", &webp_wrap),
        ("jpeg with php past 1 KiB", &jpeg_php),
        ("gif/javascript polyglot", &gif_js),
        ("webm with html", &webm_html),
    ] {
        let r = a.upload("portfolio", file);
        assert_eq!(r.status, 422, "{name}: {}", r.json());
        assert_eq!(r.pointers(), ["#/file"], "{name}");
        // The Worker (or component) still answers.
        t.call("GET", "/healthz", &[], b"").expect(200);
    }
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM documents WHERE member_id = '{}'",
                a.member_id
            )
        ),
        0
    );
    // Every kind the OpenAPI document lists is one the code takes.
    let doc: Json = serde_json::from_str(meta::OPENAPI_FOR_TESTS).expect("openapi.json");
    let kinds = doc["paths"]["/signup/documents"]["put"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "kind")
        .and_then(|p| p["schema"]["enum"].as_array())
        .expect("kind is enumerated")
        .clone();
    assert_eq!(kinds.len(), 3);
    for kind in kinds {
        let kind = kind.as_str().expect("a string");
        let file = if kind == "brochure" { pdf() } else { png() };
        a.upload(kind, &file).expect(201);
    }
}

/// Issue 22: an application on hold is fixed and submitted again. The
/// status says so (next: resubmit); the company information and documents
/// may be changed (the terms and contact person may not); the reviewer sees
/// which fields and documents changed, never their values; after the
/// resubmission nothing may be edited until the next decision.
#[test]
fn s6_an_application_on_hold_is_fixed_resubmitted_and_the_reviewer_sees_what_changed() {
    // rule S6: a hold lasts until the applicant resolves it
    let t = target();
    let a = Applicant::submitted(t);
    let reviewer = admin(t, "reviewer");
    let review = |decision: &str| {
        admin_call(
            t,
            &reviewer,
            "POST",
            "/admin/reviews",
            &json!({"member_id": a.member_id, "decision": decision, "reason": "매출액과 회사 소개서를 확인해 주세요"}),
        )
    };
    // Nothing to fix before a hold: submitted means waiting.
    a.company().expect(409);
    review("hold").expect(200);
    let s = a.status();
    assert_eq!(
        (s["status"].as_str(), s["next"].as_str()),
        (Some("on_hold"), Some("resubmit"))
    );
    a.contact().expect(409);
    let mut company = a.company_body();
    company["revenue_krw"] = json!(1_500_000_000);
    company["employees"] = json!(30);
    // The form shows what was saved, fixed values included.
    let before = a
        .call("GET", "/signup/company", &Json::Null)
        .expect(200)
        .json();
    assert_eq!(before["saved"]["address"], company["address"], "{before}");
    assert_eq!(before["saved"]["employees"], 24);
    a.call("PUT", "/signup/company", &company).expect(200);
    let saved = a
        .call("GET", "/signup/company", &Json::Null)
        .expect(200)
        .json()["saved"]
        .clone();
    assert_eq!(
        (saved["revenue_krw"].as_i64(), saved["employees"].as_i64()),
        (Some(1_500_000_000), Some(30))
    );
    assert_eq!(saved["categories"], company["categories"]);
    a.upload("brochure", &pdf()).expect(201);
    let profile = |t: &'static dyn Target| {
        admin_call(
            t,
            &reviewer,
            "GET",
            &format!("/admin/members/{}", a.member_id),
            &Json::Null,
        )
        .expect(200)
        .json()
    };
    let record = profile(t);
    let changes: Vec<(String, Json)> = record["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["step"].as_str().unwrap_or("").to_owned(),
                c["fields"].clone(),
            )
        })
        .collect();
    // The company body differs from what was submitted only in these two
    // (its name is random per call: it changed too).
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0].0, "company");
    let fields: Vec<&str> = changes[0]
        .1
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        fields.contains(&"revenue_krw") && fields.contains(&"employees"),
        "{fields:?}"
    );
    assert!(
        !fields.contains(&"address") && !fields.contains(&"business_number"),
        "unchanged fields are not listed: {fields:?}"
    );
    assert_eq!(changes[1], ("documents".to_owned(), json!(["brochure"])));
    assert!(
        !record["changes"].to_string().contains("1500000000"),
        "names, never values"
    );
    // Resubmitted: waiting for review again; edits wait for the decision.
    let r = a.submit().expect(200).json();
    assert_eq!(r["status"], "submitted");
    assert_eq!(a.status()["next"], "review");
    a.call("PUT", "/signup/company", &company).expect(409);
    review("approve").expect(200);
    assert_eq!(a.status()["status"], "approved");
    assert_eq!(
        profile(t)["changes"].as_array().map(Vec::len),
        Some(2),
        "the record of changes stays"
    );
}

/// Issue 22: what was uploaded is shown back and can be removed until
/// submission: the status lists each document (kind, type, size), a removal
/// brings the kind back among the missing ones and blocks submission until
/// it is uploaded again; another applicant's document is unknown (404);
/// after submission nothing is removed (409).
#[test]
fn s5_uploaded_documents_are_listed_and_removable_until_submission() {
    // rule S5: a brochure is required before submission
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.verify_phone();
    a.company().expect(200);
    a.documents();
    let listed = a.status()["documents"].clone();
    let docs = listed.as_array().expect("documents");
    assert_eq!(docs.len(), 7, "{listed}");
    let brochure = docs
        .iter()
        .find(|d| d["kind"] == "brochure")
        .expect("the brochure");
    assert_eq!(brochure["content_type"], "application/pdf");
    assert_eq!(brochure["size_bytes"].as_u64(), Some(pdf().len() as u64));
    let id = brochure["document_id"].as_str().expect("id").to_owned();
    let other = Applicant::start(t);
    other.contact().expect(200);
    other.verify_phone();
    other.company().expect(200);
    other
        .call("DELETE", &format!("/signup/documents/{id}"), &Json::Null)
        .expect(404);
    let r = a
        .call("DELETE", &format!("/signup/documents/{id}"), &Json::Null)
        .expect(200)
        .json();
    assert_eq!(
        (r["kind"].as_str(), r["missing"].clone()),
        (Some("brochure"), json!(["brochure"]))
    );
    assert_eq!(a.status()["missing_documents"], json!(["brochure"]));
    assert_eq!(a.status()["documents"].as_array().map(Vec::len), Some(6));
    a.call("DELETE", &format!("/signup/documents/{id}"), &Json::Null)
        .expect(404);
    a.submit().expect(409);
    a.upload("brochure", &pdf()).expect(201);
    a.submit().expect(200);
    let first = a.status()["documents"][0]["document_id"]
        .as_str()
        .expect("id")
        .to_owned();
    a.call("DELETE", &format!("/signup/documents/{first}"), &Json::Null)
        .expect(409);
    assert_eq!(a.status()["documents"].as_array().map(Vec::len), Some(7));
}

#[test]
fn s6_hold_and_reject_need_reasons_shown_to_the_applicant_and_audited() {
    let t = target();
    let a = Applicant::submitted(t);
    let reviewer = admin(t, "reviewer");
    let r = admin_call(
        t,
        &reviewer,
        "POST",
        "/admin/reviews",
        &json!({"member_id": a.member_id, "decision": "hold", "reason": ""}),
    )
    .expect(422);
    assert_eq!(r.pointers(), ["#/reason"]);
    admin_call(t, &reviewer, "POST", "/admin/reviews", &json!({"member_id": a.member_id, "decision": "hold", "reason": "사업자등록증 사본이 흐립니다"})).expect(200);
    let s = a.status();
    assert_eq!(
        (s["status"].as_str(), s["decision_reason"].as_str()),
        (Some("on_hold"), Some("사업자등록증 사본이 흐립니다"))
    );
    admin_call(
        t,
        &reviewer,
        "POST",
        "/admin/reviews",
        &json!({"member_id": a.member_id, "decision": "reject", "reason": "타인 명의 도용"}),
    )
    .expect(200);
    let s = a.status();
    assert_eq!(
        (s["status"].as_str(), s["decision_reason"].as_str()),
        (Some("rejected"), Some("타인 명의 도용"))
    );
    admin_call(
        t,
        &reviewer,
        "POST",
        "/admin/reviews",
        &json!({"member_id": a.member_id, "decision": "approve", "reason": "x"}),
    )
    .expect(409);
    let audit = t.query(&format!(
        "SELECT action, detail FROM audit_log WHERE subject = '{}' ORDER BY seq",
        a.member_id
    ));
    let got: Vec<_> = audit
        .iter()
        .map(|r| {
            (
                r.text("action").unwrap().to_owned(),
                r.text("detail").unwrap().to_owned(),
            )
        })
        .collect();
    // The append-only chain names each decision's review row; the reasons
    // a person wrote stay in those rows (issue 21), never in the chain.
    let reasons: Vec<(String, String)> = got
        .iter()
        .map(|(action, detail)| {
            let review = detail.strip_prefix("reviews/").expect("a review's row");
            let row = t.query(&format!("SELECT reason FROM reviews WHERE id = '{review}'"));
            // sealed where it lives (issue 21)
            let sealed = row[0].text("reason").unwrap();
            assert!(sealed.starts_with("v2."), "{sealed}");
            let reason = t
                .keys()
                .open_at(
                    &domain::kernel::crypto::at("reviews.reason", review),
                    sealed,
                )
                .expect("opens where it lives");
            (action.clone(), reason)
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (
                "review.hold".to_owned(),
                "사업자등록증 사본이 흐립니다".to_owned()
            ),
            ("review.reject".to_owned(), "타인 명의 도용".to_owned())
        ]
    );
    // The sweep seals audit entries into a hash chain that verifies.
    t.sweep();
    let sealed = || {
        t.query(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE subject = '{}' AND hash IS NOT NULL",
            a.member_id
        ))
    };
    for _ in 0..50 {
        if sealed().first().and_then(|r| r.int("n")) == Some(2) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let chain = t.query("SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq");
    assert_eq!(domain::kernel::audit::verify(&chain), Ok(()));
    assert_eq!(sealed().first().and_then(|r| r.int("n")), Some(2));
}

#[test]
fn a4_a_role_without_access_is_refused_before_any_database_read() {
    let t = target();
    let reviewer = admin(t, "reviewer");
    let r = admin_call(
        t,
        &reviewer,
        "POST",
        "/admin/admins",
        &json!({"login_id": login_id(), "password": "correct horse battery", "role": "billing"}),
    )
    .expect(403);
    assert_eq!(r.round_trips(), 0, "refused before the read batch");
    let auditor = admin(t, "auditor");
    let r = admin_call(t, &auditor, "GET", "/admin/reviews", &json!(null)).expect(403);
    assert_eq!(r.round_trips(), 0);
    assert!(r.json()["detail"].is_string());
}

#[test]
fn s6_only_reviewers_and_owners_decide() {
    let t = target();
    let a = Applicant::submitted(t);
    for role in ["mediator", "billing", "auditor", "privacy_officer"] {
        let tok = admin(t, role);
        admin_call(
            t,
            &tok,
            "POST",
            "/admin/reviews",
            &json!({"member_id": a.member_id, "decision": "approve", "reason": "x"}),
        )
        .expect(403);
    }
    let owner = admin(t, "owner");
    admin_call(
        t,
        &owner,
        "POST",
        "/admin/reviews",
        &json!({"member_id": a.member_id, "decision": "approve", "reason": "owner approves"}),
    )
    .expect(200);
    // A signup token is not an admin token.
    t.call(
        "POST",
        "/admin/reviews",
        &[JSON, ("authorization", &a.auth())],
        b"{}",
    )
    .expect(401);
}

#[test]
fn s7_waived_trials_and_a_wrong_fee_amount() {
    let t = target();
    let a = Applicant::submitted(t);
    admin_call(
        t,
        &admin(t, "reviewer"),
        "POST",
        "/admin/reviews",
        &json!({"member_id": a.member_id, "decision": "approve", "reason": "ok"}),
    )
    .expect(200);
    let billing = admin(t, "billing");
    admin_call(
        t,
        &admin(t, "reviewer"),
        "POST",
        "/admin/activation",
        &json!({"member_id": a.member_id, "action": "waive"}),
    )
    .expect(403);
    // rule S7: the member's record says what activation may record next.
    let trials = |t: &'static dyn Target| {
        let r = admin_call(
            t,
            &billing,
            "GET",
            &format!("/admin/members/{}", a.member_id),
            &json!(null),
        )
        .expect(200)
        .json();
        (
            r["trial_matchings"].as_i64(),
            r["trial_matchings_required"].as_i64(),
            r["trials_waived"].as_bool(),
        )
    };
    assert_eq!(trials(t), (Some(0), Some(5), Some(false)));
    admin_call(
        t,
        &billing,
        "POST",
        "/admin/activation",
        &json!({"member_id": a.member_id, "action": "waive"}),
    )
    .expect(200);
    assert_eq!(trials(t), (Some(0), Some(5), Some(true)));
    let pay = |amount: i64| json!({"member_id": a.member_id, "action": "payment", "reference": format!("PAY-{}", rand_below(1 << 40)), "amount_krw": amount});
    assert_eq!(
        admin_call(t, &billing, "POST", "/admin/activation", &pay(400_000))
            .expect(422)
            .pointers(),
        ["#/amount_krw"]
    );
    assert_eq!(
        admin_call(t, &billing, "POST", "/admin/activation", &pay(500_000))
            .expect(200)
            .json()["status"],
        "active"
    );
    // A login before activation opens the application, not the member
    // API (s1_an_applicant_signing_in_before_activation_…); after, allowed.
    let b = Applicant::submitted(t);
    let r = b.sign_in().expect(200).json();
    assert!(r.get("token").is_none(), "no member session: {r}");
    assert_eq!(r["application"], "submitted");
}

/// Issue 22: an applicant who comes back (another browser or device, after
/// the 24-hour signup cookie) signs in with the ID and password of step 2
/// and is led to the application's status and next step, with a session of
/// the application only; the earlier signup token stops working. Closed
/// accounts stay refused.
#[test]
fn s1_an_applicant_signing_in_before_activation_gets_its_application() {
    // rule S1: the steps go on from where the application stands
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    // Half-way (phone not yet verified): the wizard goes on from there.
    let r = a.sign_in().expect(200).json();
    assert_eq!(r["application"], "applying");
    assert!(r.get("token").is_none() && r["role"].is_null(), "{r}");
    let old = a.auth();
    let mut back = Applicant {
        token: r["signup_token"].as_str().expect("signup token").to_owned(),
        ..a
    };
    t.call("GET", "/signup/status", &[("authorization", &old)], b"")
        .expect(401);
    let status = back.status();
    // The contact step's saved values come back with the status.
    assert_eq!(
        (
            status["login_id"].as_str(),
            status["contact_name"].as_str(),
            status["email"].as_str()
        ),
        (
            Some(back.login_id.as_str()),
            Some("김담당"),
            Some(back.email.as_str())
        )
    );
    assert_eq!(
        (status["status"].as_str(), status["next"].as_str()),
        (Some("applying"), Some("phone"))
    );
    back.verify_phone();
    back.company().expect(200);
    back.documents();
    back.submit().expect(200);
    // Submitted: the session shows the status, edits are refused as before,
    // and no member route opens with it.
    back.token = back.sign_in().expect(200).json()["signup_token"]
        .as_str()
        .expect("signup token")
        .to_owned();
    assert_eq!(back.status()["next"], "review");
    back.company().expect(409);
    t.call(
        "GET",
        "/member/sites",
        &[("authorization", &back.auth())],
        b"",
    )
    .expect(401);
    // A wrong password is still the same 401 as an unknown ID.
    t.call(
        "POST",
        "/auth/login",
        &[JSON],
        &json_body(&json!({"login_id": back.login_id, "password": "not the password"})),
    )
    .expect(401);
    // The web pages get the session as a cookie, never in the body.
    let cookie = t
        .call(
            "POST",
            "/auth/login",
            &[JSON, ("x-session", "cookie")],
            &json_body(&json!({"login_id": back.login_id, "password": back.password})),
        )
        .expect(200);
    assert!(cookie.json().get("signup_token").is_none());
    assert!(cookie
        .header("set-cookie")
        .is_some_and(|c| c.starts_with("mp_signup=") && c.contains("HttpOnly")));
    // (A closed account, terminated or withdrawn, is still refused: no
    // route closes one yet, so `member::tests` shows which statuses are
    // applications; writing the row here would lock a running server's
    // database under the other tests.)
}

#[test]
fn s8_stale_capability_information_asks_the_member_to_update() {
    // rule S8 (the 6-month boundary itself is unit-tested in the domain crate).
    let t = target();
    let a = Applicant::submitted(t);
    let bearer = format!("Bearer {}", a.activate());
    assert_eq!(
        t.call("GET", "/auth/me", &[("authorization", &bearer)], b"")
            .expect(200)
            .json()["capability_update_requested"],
        false
    );
    t.sweep();
    assert_eq!(count(t, &format!("SELECT COUNT(*) AS n FROM members WHERE id = '{}' AND update_requested_at IS NOT NULL", a.member_id)), 0, "fresh data: not asked");
    // Seven months later (the sweep's clock only; local dev switch).
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        br#"{"sweep_clock_offset_secs": "18500000"}"#,
    )
    .expect(200);
    t.sweep();
    let asked = |n: i64| {
        for _ in 0..50 {
            if count(t, &format!("SELECT COUNT(*) AS n FROM outbox WHERE member_id = '{}' AND template = 'capability_update'", a.member_id)) == n {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    };
    assert!(asked(1), "one reminder");
    assert_eq!(
        t.call("GET", "/auth/me", &[("authorization", &bearer)], b"")
            .expect(200)
            .json()["capability_update_requested"],
        true
    );
    t.sweep();
    assert!(asked(1), "asked once per update, not every sweep");
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        br#"{"sweep_clock_offset_secs": "0"}"#,
    )
    .expect(200);
}

#[test]
fn s9_second_signup_with_the_same_phone_or_business_number_is_flagged() {
    let t = target();
    let first = Applicant::submitted(t);
    let mut b = Applicant::start(t);
    b.mobile = first.mobile.clone();
    b.contact().expect(200);
    b.verify_phone();
    b.company().expect(200);
    b.documents();
    b.submit().expect(200);
    let mut c = Applicant::start(t);
    c.business_number = first.business_number.clone();
    c.contact().expect(200);
    c.verify_phone();
    c.company().expect(200);
    c.documents();
    c.submit().expect(200);
    let flags = |id: &str| -> Vec<String> {
        t.query(&format!(
            "SELECT reason FROM signup_flags WHERE member_id = '{id}' ORDER BY reason"
        ))
        .iter()
        .map(|r| r.text("reason").unwrap().to_owned())
        .collect()
    };
    assert_eq!(flags(&b.member_id), ["same_phone"]);
    assert_eq!(flags(&c.member_id), ["same_business_number"]);
    let queue = admin_call(
        t,
        &admin(t, "reviewer"),
        "GET",
        "/admin/reviews",
        &json!(null),
    )
    .expect(200)
    .json();
    let item = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["member_id"] == c.member_id.as_str())
        .expect("in the queue")
        .clone();
    assert_eq!(item["flags"], json!(["same_business_number"]));
}

#[test]
fn a1_a2_passwords_are_argon2id_and_personal_fields_never_plain_in_the_database() {
    let t = target();
    let a = Applicant::submitted(t);
    let row = &t.query(&format!(
        "SELECT password_hash FROM members WHERE id = '{}'",
        a.member_id
    ))[0];
    assert!(row
        .text("password_hash")
        .unwrap()
        .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    let bytes = t.database_bytes();
    let hay = String::from_utf8_lossy(&bytes);
    for secret in [
        a.mobile.replace('-', ""),
        a.email.clone(),
        a.name.clone(),
        "이대표".into(),
        "세종대로".into(),
        a.password.clone(),
    ] {
        assert!(!hay.contains(&secret), "{secret} is stored in plain text");
    }
}

#[test]
fn a5_tokens_of_the_wrong_kind_or_tampered_are_refused() {
    let t = target();
    let a = Applicant::start(t);
    t.call(
        "PUT",
        "/signup/contact",
        &[JSON],
        &json_body(&a.contact_body()),
    )
    .expect(401);
    let mut bad = a.token.clone();
    bad.push('x');
    t.call(
        "PUT",
        "/signup/contact",
        &[JSON, ("authorization", &format!("Bearer {bad}"))],
        &json_body(&a.contact_body()),
    )
    .expect(401);
    t.call("GET", "/auth/me", &[("authorization", &a.auth())], b"")
        .expect(401);
    // The scheme's name is case-insensitive (RFC 9110 §11.1); another
    // scheme, or none, is not a bearer token.
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let auth = format!("{scheme} {}", a.token);
        t.call("GET", "/signup/status", &[("authorization", &auth)], b"")
            .expect(200);
    }
    for auth in [format!("Basic {}", a.token), a.token.clone()] {
        t.call("GET", "/signup/status", &[("authorization", &auth)], b"")
            .expect(401);
    }
}

#[test]
fn a6_login_with_wrong_password_then_rate_limited() {
    let t = target();
    let owner = admin(t, "owner");
    let _ = owner;
    let id = login_id();
    let wrong = json!({"login_id": id, "password": "not the password"});
    for _ in 0..5 {
        let r = t
            .call("POST", "/auth/login", &[JSON], &json_body(&wrong))
            .expect(401);
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
    }
    let r = t
        .call(
            "POST",
            "/auth/login",
            &[JSON, ("accept-language", "en")],
            &json_body(&wrong),
        )
        .expect(429);
    assert!(r.header("retry-after").is_some());
    assert_eq!(
        r.json()["detail"],
        "Too many sign-in attempts. Try again later."
    );
    // The buckets are blind indexes: neither what was typed as the login ID
    // (often an e-mail address or phone number by mistake) nor the address.
    let mistyped = format!("{}@example.kr", login_id());
    t.call(
        "POST",
        "/auth/login",
        &[JSON],
        &json_body(&json!({"login_id": mistyped, "password": "not the password"})),
    )
    .expect(401);
    let plain = t.query(&format!(
        "SELECT bucket FROM rate_limits WHERE bucket LIKE '%{id}%' OR bucket LIKE '%example.kr%' OR bucket LIKE '%127.0.0.1%'"
    ));
    assert!(plain.is_empty(), "{plain:?}");
    // Admin logins are limited the same way, per login ID.
    let admin_wrong = json!({"login_id": "owner", "password": "wrong wrong wrong"});
    for _ in 0..5 {
        t.call("POST", "/admin/login", &[JSON], &json_body(&admin_wrong))
            .expect(401);
    }
    t.call("POST", "/admin/login", &[JSON], &json_body(&admin_wrong))
        .expect(429);
}

#[test]
fn a6_parallel_wrong_passwords_run_no_more_checks_than_the_limit() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    let wrong = json_body(&json!({"login_id": a.login_id, "password": "not the password at all"}));
    // From an address of its own: the suite's other sign-ins stay clear of
    // this address's limit.
    let addr = format!("127.0.{}.{}", 1 + rand_below(250), 1 + rand_below(250));
    let statuses = at_once(t, 30, |t| {
        t.call_from(&addr, "POST", "/auth/login", &[JSON], &wrong)
            .status
    });
    // 401 means the password was checked; 429 that it was not.
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
}

#[test]
fn a6_parallel_wrong_codes_are_compared_no_more_than_five_times() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.call("POST", "/signup/phone/send", &json!({})).expect(202);
    let code = a.latest_code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let body = json_body(&json!({"code": wrong}));
    let auth = a.auth();
    let statuses = at_once(t, 40, |t| {
        t.call(
            "POST",
            "/signup/phone/verify",
            &[JSON, ("authorization", &auth)],
            &body,
        )
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
    a.call("POST", "/signup/phone/verify", &json!({"code": code}))
        .expect(429);
}

#[test]
fn a6_a_stranger_cannot_lock_out_a_login_id_or_staff_sign_in() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    let wrong = json_body(&json!({"login_id": a.login_id, "password": "not the password at all"}));
    // An attacker at one address uses up the (ID, address) limit...
    for _ in 0..5 {
        t.call_from("127.0.0.7", "POST", "/auth/login", &[JSON], &wrong)
            .expect(401);
    }
    t.call_from("127.0.0.7", "POST", "/auth/login", &[JSON], &wrong)
        .expect(429);
    // ...and the owner of the ID, at another address, is not locked out:
    // the password is checked (not active yet: its application opens).
    let right = json_body(&json!({"login_id": a.login_id, "password": a.password}));
    let r = t
        .call_from("127.0.0.8", "POST", "/auth/login", &[JSON], &right)
        .expect(200);
    assert_eq!(r.json()["application"], "applying");
    // Thirty member sign-in failures from one address (any IDs) block
    // member sign-in from it, never staff sign-in (separate realms).
    let addr = format!("127.0.{}.{}", 1 + rand_below(250), 1 + rand_below(250));
    for i in 0..30 {
        let other = json_body(
            &json!({"login_id": format!("nobody{i}x"), "password": "not the password at all"}),
        );
        t.call_from(&addr, "POST", "/auth/login", &[JSON], &other)
            .expect(401);
    }
    t.call_from(&addr, "POST", "/auth/login", &[JSON], &right)
        .expect(429);
    let _ = admin(t, "owner");
    let owner = json_body(&json!({"login_id": "owner", "password": "owner passphrase for tests"}));
    t.call_from(&addr, "POST", "/admin/login", &[JSON], &owner)
        .expect(200);
}

#[test]
fn a6_new_applications_per_address_are_limited() {
    let t = target();
    let addr = loopback();
    let terms = json_body(&json!({"kind": "partner", "over_14": true, "consents": consents()}));
    let mut token = String::new();
    for _ in 0..20 {
        let r = t
            .call_from(&addr, "POST", "/signup/terms", &[JSON], &terms)
            .expect(201);
        token = r.json()["signup_token"].as_str().unwrap().to_owned();
    }
    let r = t
        .call_from(
            &addr,
            "POST",
            "/signup/terms",
            &[JSON, ("accept-language", "en")],
            &terms,
        )
        .expect(429);
    assert!(r.header("retry-after").is_some());
    assert_eq!(
        r.json()["detail"],
        "Too many new applications from this address. Try again later."
    );
    // Another address is not limited, nor is redoing step 1 with a token.
    t.call_from(&loopback(), "POST", "/signup/terms", &[JSON], &terms)
        .expect(201);
    let auth = format!("Bearer {token}");
    t.call_from(
        &addr,
        "POST",
        "/signup/terms",
        &[JSON, ("authorization", &auth)],
        &terms,
    )
    .expect(201);
}

#[test]
fn a6_contact_saves_are_limited_before_the_password_is_hashed() {
    let t = target();
    let a = Applicant::start(t);
    for _ in 0..10 {
        a.contact().expect(200);
    }
    let r = a.contact().expect(429);
    assert!(r.header("retry-after").is_some());
}

#[test]
fn s5_portfolio_items_are_capped_at_twenty() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.verify_phone();
    a.company().expect(200);
    for _ in 0..20 {
        a.upload("portfolio", &png()).expect(201);
    }
    let r = a.upload("portfolio", &png()).expect(409);
    assert_eq!(r.json()["max_items"], 20);
    // Other kinds are not held back by the full portfolio.
    a.upload("brochure", &pdf()).expect(201);
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM documents WHERE member_id = '{}' AND kind = 'portfolio'",
                a.member_id
            )
        ),
        20
    );
}

/// rule R2: an upload whose write fails (five in parallel for the last
/// two places of the portfolio: three fail, by the batch's re-count or
/// before storing anything) leaves no file behind: a request whose batch
/// fails deletes the blob it stored.
#[test]
fn r2_an_upload_whose_write_fails_leaves_no_blob_behind() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.verify_phone();
    a.company().expect(200);
    for _ in 0..18 {
        a.upload("portfolio", &png()).expect(201);
    }
    let statuses = at_once(t, 5, |_| a.upload("portfolio", &png()).status);
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        2,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        3,
        "{statuses:?}"
    );
    let prefix = format!("members/{}/", a.member_id);
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM documents WHERE member_id = '{}'",
                a.member_id
            )
        ),
        20
    );
    // An upload refused before its file was stored leaves its record for
    // the daily run (R2); none is left for a write that was made.
    assert_eq!(
        count(t, &format!("SELECT COUNT(*) AS n FROM blob_intents i JOIN documents d ON d.blob_key = i.key WHERE d.member_id = '{}'", a.member_id)),
        0,
        "a write made clears its upload's record"
    );
    match t.blobs_under(&prefix) {
        Some(n) => assert_eq!(n, 20, "a blob for each document, none for the failed writes"),
        None => skip("this target's blob store is not readable from the test (Spin's test host keeps it in memory)"),
    }
}

/// `POST /signup/terms` with an Idempotency-Key (and any other headers).
fn terms_with_key(t: &dyn Target, key: &str, body: &[u8], more: &[(&str, &str)]) -> Reply {
    let mut headers = vec![JSON, ("idempotency-key", key)];
    headers.extend_from_slice(more);
    t.call("POST", "/signup/terms", &headers, body)
}

/// `POST /member/sites` as this company, with an Idempotency-Key.
fn site_with_key(c: &Company, key: &str, body: &[u8]) -> Reply {
    let auth = format!("Bearer {}", c.session);
    c.t.call(
        "POST",
        "/member/sites",
        &[JSON, ("authorization", &auth), ("idempotency-key", key)],
        body,
    )
}

fn site_body() -> Vec<u8> {
    json_body(
        &json!({"name": "본사", "manager_name": "김", "manager_contact": "010-1234-5678", "address": "서울"}),
    )
}

fn stored_keys(t: &dyn Target, key: &str) -> i64 {
    count(
        t,
        &format!("SELECT COUNT(*) AS n FROM idempotency WHERE key = '{key}'"),
    )
}

#[test]
fn idempotency_key_replays_the_callers_own_answer_and_refuses_another_payload() {
    let t = target();
    let c = Company::active(t, 1);
    let key = format!("idem-{}", rand_below(1 << 50));
    let first = site_with_key(&c, &key, &site_body()).expect(201);
    let again = site_with_key(&c, &key, &site_body()).expect(201);
    assert_eq!(first.json()["site_id"], again.json()["site_id"]);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let mut other = site_body();
    other.push(b' ');
    site_with_key(&c, &key, &other).expect(422);
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM sites WHERE member_id = '{}'",
                c.member_id
            )
        ),
        1
    );
    // Another caller sending the same key and body is answered for itself,
    // never with the first caller's answer.
    let d = Company::active(t, 1);
    let theirs = site_with_key(&d, &key, &site_body()).expect(201);
    assert!(theirs.header("idempotent-replayed").is_none());
    assert_ne!(theirs.json()["site_id"], first.json()["site_id"]);
}

#[test]
fn idempotency_keys_of_anonymous_callers_are_not_used() {
    let t = target();
    let key = format!("idem-{}", rand_below(1 << 50));
    let body = json_body(&json!({"kind": "partner", "over_14": true, "consents": consents()}));
    // Two clients with one key and one body: each gets its own application
    // and token (the second once got the first one's signup token).
    let first = terms_with_key(t, &key, &body, &[]).expect(201);
    let second = terms_with_key(t, &key, &body, &[]).expect(201);
    assert!(second.header("idempotent-replayed").is_none());
    assert_ne!(first.json()["member_id"], second.json()["member_id"]);
    assert_ne!(first.json()["signup_token"], second.json()["signup_token"]);
    assert_eq!(stored_keys(t, &key), 0);
}

#[test]
fn idempotency_stores_answers_sealed_for_their_scope_and_key() {
    let t = target();
    let c = Company::active(t, 1);
    let site = c.site();
    let key = format!("idem-{}", rand_below(1 << 50));
    let auth = format!("Bearer {}", c.session);
    let register = || {
        t.call(
            "POST",
            "/member/terminals",
            &[JSON, ("authorization", &auth), ("idempotency-key", &key)],
            &json_body(&json!({"site_id": site, "name": "정문", "mode": "webhook"})),
        )
        .expect(201)
    };
    let first = register();
    let secret = first.json()["secret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    let rows = t.query(&format!(
        "SELECT scope, body FROM idempotency WHERE key = '{key}'"
    ));
    let stored = rows[0].text("body").expect("a stored answer").to_owned();
    assert!(
        !stored.contains(&secret),
        "the terminal secret is stored in clear"
    );
    assert!(stored.starts_with("v2."), "{stored}");
    // Bound to its scope and key: it does not open for another key.
    let scope = rows[0].text("scope").expect("scope").to_owned();
    let keys = t.keys();
    assert!(keys
        .open_for(&format!("idempotency.body:{scope}:{key}"), &stored)
        .is_ok());
    assert!(keys
        .open_for(&format!("idempotency.body:{scope}:other"), &stored)
        .is_err());
    // The replay still gives the caller its answer.
    assert_eq!(register().json()["secret"], secret.as_str());
}

#[test]
fn unknown_routes_and_methods_get_problem_documents() {
    let t = target();
    let r = t.call("GET", "/nope", &[], b"");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(
        t.call("GET", "/healthz", &[], b"").expect(200).json()["status"],
        "ok"
    );
}

#[test]
fn methods_are_checked_on_every_runtime_and_nothing_happens_on_a_wrong_one() {
    let t = target();
    let a = Applicant::start(t);
    // GET on a POST-only step: 405 with Allow, and the application is untouched.
    let r = a.call("GET", "/signup/submit", &json!(null)).expect(405);
    assert_eq!(r.header("allow"), Some("POST"));
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    // Its text says the method is wrong, not that nothing is there.
    assert_eq!(r.json()["title"], "허용되지 않는 메서드입니다");
    assert!(
        r.json()["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Allow")),
        "{}",
        r.json()
    );
    assert_eq!(r.round_trips(), 0);
    assert_eq!(a.status()["status"], "applying");
    let r = t
        .call("DELETE", "/admin/members/mem_1", &[], b"")
        .expect(405);
    assert_eq!(r.header("allow"), Some("GET"));
}

#[test]
fn staff_read_a_members_record_by_path_and_every_read_is_access_logged() {
    let t = target();
    let a = Applicant::submitted(t);
    let path = format!("/admin/members/{}", a.member_id);
    let logged = || {
        t.query(&format!(
            "SELECT admin_role, what, why FROM access_log WHERE subject = '{}'",
            a.member_id
        ))
    };
    assert!(logged().is_empty());
    let reviewer = admin(t, "reviewer");
    let r = admin_call(t, &reviewer, "GET", &path, &json!(null))
        .expect(200)
        .json();
    assert_eq!(r["member_id"], a.member_id.as_str());
    assert_eq!(r["contact_name"], a.name.as_str());
    assert_eq!(r["email"], a.email.as_str());
    assert_eq!(r["status"], "submitted");
    assert_eq!(r["documents"].as_array().map(Vec::len), Some(7));
    // One entry per read, written by the engine in the request's batch; the
    // reason is sealed like other personal data.
    let rows = logged();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].text("admin_role"), Some("reviewer"));
    assert_eq!(rows[0].text("what"), Some("member.read_profile"));
    assert_ne!(rows[0].text("why"), Some("admin.member_profile"), "sealed");
    admin_call(t, &reviewer, "GET", &path, &json!(null)).expect(200);
    assert_eq!(logged().len(), 2);
    // A role without access is refused before any read, and nothing is logged.
    let auditor = admin(t, "auditor");
    let r = admin_call(t, &auditor, "GET", &path, &json!(null)).expect(403);
    assert_eq!(r.round_trips(), 0);
    assert_eq!(logged().len(), 2);
    admin_call(
        t,
        &reviewer,
        "GET",
        "/admin/members/mem_nobody",
        &json!(null),
    )
    .expect(404);
    t.call("GET", &path, &[], b"").expect(401);
}

#[test]
fn s5_staff_download_documents_as_attachments_and_each_download_is_access_logged() {
    let t = target();
    let a = Applicant::submitted(t);
    let reviewer = admin(t, "reviewer");
    let record = admin_call(
        t,
        &reviewer,
        "GET",
        &format!("/admin/members/{}", a.member_id),
        &json!(null),
    )
    .expect(200)
    .json();
    let brochure = record["documents"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["kind"] == "brochure"))
        .and_then(|d| d["document_id"].as_str())
        .expect("a brochure")
        .to_owned();
    let path = format!("/admin/members/{}/documents/{brochure}", a.member_id);
    let r = admin_call(t, &reviewer, "GET", &path, &json!(null)).expect(200);
    assert_eq!(r.body, pdf());
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    // Never rendered by the browser, whatever the bytes hold.
    assert!(r
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment;")));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert!(r
        .header("content-security-policy")
        .is_some_and(|c| c.contains("sandbox")));
    let logged = t.query(&format!(
        "SELECT what FROM access_log WHERE subject = '{}' AND what = 'member.read_document'",
        a.member_id
    ));
    assert_eq!(logged.len(), 1);
    // Another member's path, or another role, gets nothing.
    let other = format!("/admin/members/mem_nobody/documents/{brochure}");
    admin_call(t, &reviewer, "GET", &other, &json!(null)).expect(404);
    let auditor = admin(t, "auditor");
    admin_call(t, &auditor, "GET", &path, &json!(null)).expect(403);
}

#[test]
fn a4_only_owners_add_staff_and_every_admin_action_is_audited() {
    let t = target();
    let reviewer = admin(t, "reviewer");
    let body = json!({"login_id": login_id(), "password": "staff passphrase x", "role": "billing"});
    admin_call(t, &reviewer, "POST", "/admin/admins", &body).expect(403);
    let owner = admin(t, "owner");
    let bad =
        json!({"login_id": login_id(), "password": "staff passphrase x", "role": "superuser"});
    assert_eq!(
        admin_call(t, &owner, "POST", "/admin/admins", &bad)
            .expect(422)
            .pointers(),
        ["#/role"]
    );
    let created = admin_call(t, &owner, "POST", "/admin/admins", &body)
        .expect(201)
        .json();
    let id = created["admin_id"].as_str().unwrap();
    admin_call(t, &owner, "POST", "/admin/admins", &body).expect(409);
    // Owners see every staff account with its role; nobody else does.
    let list = admin_call(t, &owner, "GET", "/admin/admins", &json!(null))
        .expect(200)
        .json();
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["admin_id"] == id)
        .expect("the new admin is listed")
        .clone();
    assert_eq!(
        (listed["login_id"].clone(), listed["role"].clone()),
        (body["login_id"].clone(), json!("billing"))
    );
    assert!(listed.get("password_hash").is_none());
    admin_call(t, &reviewer, "GET", "/admin/admins", &json!(null)).expect(403);
    let rows = t.query(&format!(
        "SELECT action, detail FROM audit_log WHERE subject = '{id}'"
    ));
    assert_eq!(
        (rows[0].text("action"), rows[0].text("detail")),
        (Some("admin.create"), Some("billing"))
    );
    // The bootstrap works once, and only with the deployment's token.
    let again = json!({"token": t.bootstrap_token(), "login_id": "owner_two", "password": "owner passphrase 2"});
    t.call("POST", "/admin/bootstrap", &[JSON], &json_body(&again))
        .expect(409);
    let wrong = json!({"token": "not-the-token-at-all", "login_id": "owner_two", "password": "owner passphrase 2"});
    t.call("POST", "/admin/bootstrap", &[JSON], &json_body(&wrong))
        .expect(403);
    // Staff sessions end at logout.
    let auth = format!("Bearer {reviewer}");
    t.call("POST", "/admin/logout", &[("authorization", &auth)], b"")
        .expect(200);
    admin_call(t, &reviewer, "GET", "/admin/reviews", &json!(null)).expect(401);
}

#[test]
fn idempotency_keys_hold_for_unsafe_methods_after_the_session_check_and_expire() {
    let t = target();
    let c = Company::active(t, 1);
    let auth = format!("Bearer {}", c.session);
    // A GET with a key is answered fresh each time and stores nothing (it
    // once stored a decrypted profile).
    let key = format!("idem-{}", rand_below(1 << 50));
    for _ in 0..2 {
        let r = t
            .call(
                "GET",
                "/auth/me",
                &[("authorization", &auth), ("idempotency-key", &key)],
                b"",
            )
            .expect(200);
        assert!(r.header("idempotent-replayed").is_none());
    }
    let stored = |k: &str| {
        count(
            t,
            &format!("SELECT COUNT(*) AS n FROM idempotency WHERE key = '{k}'"),
        )
    };
    assert_eq!(stored(&key), 0);
    // A stored answer is never replayed to a session that has been revoked.
    let key = format!("idem-{}", rand_below(1 << 50));
    let site = json_body(
        &json!({"name": "본사", "manager_name": "김", "manager_contact": "010-1234-5678", "address": "서울"}),
    );
    let headers = [
        JSON,
        ("authorization", auth.as_str()),
        ("idempotency-key", key.as_str()),
    ];
    t.call("POST", "/member/sites", &headers, &site).expect(201);
    assert_eq!(stored(&key), 1);
    t.call("POST", "/auth/logout", &[("authorization", &auth)], b"")
        .expect(200);
    t.call("POST", "/member/sites", &headers, &site).expect(401);
    // An expired key is reusable at once, for another request (it answered
    // 409 until the sweep purged it).
    let c = Company::active(t, 1);
    let key = format!("idem-{}", rand_below(1 << 50));
    let first = site_with_key(&c, &key, &site_body()).expect(201).json();
    // Another payload under the same key: a mismatch while the key lives…
    let mut other = site_body();
    other.push(b' ');
    site_with_key(&c, &key, &other).expect(422);
    // …and a new request once it has expired (25 hours later: the dev clock
    // moves forward, with the same session's token as issued then).
    let later = session_token_later(t, &c.session, 90_000);
    let again = t
        .call(
            "POST",
            "/member/sites",
            &[
                JSON,
                ("authorization", &format!("Bearer {later}")),
                ("idempotency-key", &key),
                ("x-dev-clock-offset-secs", "90000"),
            ],
            &other,
        )
        .expect(201);
    assert!(again.header("idempotent-replayed").is_none());
    assert_ne!(again.json()["site_id"], first["site_id"]);
    assert_eq!(stored(&key), 1, "the expired row was replaced");
}

/// The same member session's token as it would be issued `secs` from now
/// (for requests that move the dev clock past a token's lifetime).
fn session_token_later(t: &dyn Target, token: &str, secs: i64) -> String {
    use domain::kernel::tokens::{issue, verify, TokenKind};
    let keys = t.keys();
    let now = chrono::Utc::now();
    let v = verify(&keys, TokenKind::Member, token, now).expect("a live session token");
    issue(
        &keys,
        TokenKind::Member,
        &v.subject,
        &v.jti,
        &v.role,
        now + chrono::Duration::seconds(secs),
    )
}

/// Eight requests with one Idempotency-Key released together: the step runs
/// once; every other answer is a replay or a 409 in flight. Returns how many
/// were in flight.
fn same_key_at_once(t: &'static dyn Target) -> usize {
    let a = Applicant::start(t);
    let key = format!("idem-{}", rand_below(1 << 50));
    let auth = a.auth();
    let body = json_body(&a.contact_body());
    let start = std::sync::Barrier::new(8);
    let replies: Vec<Reply> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    t.call(
                        "PUT",
                        "/signup/contact",
                        &[JSON, ("authorization", &auth), ("idempotency-key", &key)],
                        &body,
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let fresh = replies
        .iter()
        .filter(|r| r.status == 200 && r.header("idempotent-replayed").is_none())
        .count();
    let replayed = replies
        .iter()
        .filter(|r| r.status == 200 && r.header("idempotent-replayed") == Some("true"))
        .count();
    let in_flight = replies
        .iter()
        .filter(|r| {
            r.status == 409
                && r.json()["type"]
                    .as_str()
                    .is_some_and(|k| k.ends_with("/idempotency-in-progress"))
        })
        .count();
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(fresh, 1, "the step ran once: {statuses:?}");
    assert_eq!(
        fresh + replayed + in_flight,
        8,
        "a replay or a 409 in flight: {statuses:?}"
    );
    in_flight
}

#[test]
fn idempotency_key_in_flight_answers_409_and_the_step_runs_once() {
    let t = target();
    if !t.concurrent() {
        // The invariants hold wherever requests run (see Target::concurrent).
        same_key_at_once(t);
        return;
    }
    // On workerd requests interleave at every database call, but whether one
    // arrives while the first is in flight depends on timing: some round of
    // a few shows it.
    let mut rounds = Vec::new();
    for _ in 0..6 {
        rounds.push(same_key_at_once(t));
        if rounds.last() > Some(&0) {
            break;
        }
    }
    assert!(
        rounds.iter().any(|n| *n > 0),
        "no 409 in flight in {} rounds",
        rounds.len()
    );
}

#[test]
fn s5_portfolio_items_uploaded_in_parallel_are_all_kept() {
    let t = target();
    let a = Applicant::start(t);
    a.contact().expect(200);
    a.verify_phone();
    a.company().expect(200);
    std::thread::scope(|s| {
        for _ in 0..5 {
            s.spawn(|| a.upload("portfolio", &png()).expect(201));
        }
    });
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM documents WHERE member_id = '{}' AND kind = 'portfolio'",
                a.member_id
            )
        ),
        5
    );
}

/// rule A5 for the web pages: a page asks for a cookie session
/// (`x-session: cookie`) and gets the token only as an `HttpOnly`,
/// `SameSite=Strict` cookie, never in the body, so a script injected into a
/// page cannot read it. The cookie is honoured only with that header, which
/// a cross-site form or link cannot send; signing out clears it.
#[test]
fn a5_pages_get_sessions_as_httponly_cookies_honoured_only_with_their_header() {
    let t = target();
    let a = Applicant::submitted(t);
    a.activate();
    let login = t
        .call(
            "POST",
            "/auth/login",
            &[JSON, ("x-session", "cookie")],
            &json_body(&json!({"login_id": a.login_id, "password": a.password})),
        )
        .expect(200);
    assert!(login.json().get("token").is_none(), "{}", login.json());
    let set = login.header("set-cookie").expect("a cookie").to_owned();
    assert!(set.starts_with("mp_member="), "{set}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=1800"] {
        assert!(set.contains(attr), "{set} lacks {attr}");
    }
    let cookie = set.split(';').next().expect("name=value").to_owned();
    let me = t
        .call(
            "GET",
            "/auth/me",
            &[("cookie", &cookie), ("x-session", "cookie")],
            b"",
        )
        .expect(200);
    assert_eq!(me.json()["login_id"], a.login_id.as_str());
    // Without the header (a cross-site form or link): not signed in.
    t.call("GET", "/auth/me", &[("cookie", &cookie)], b"")
        .expect(401);
    // Signing out clears the cookie and revokes the session.
    let out = t
        .call(
            "POST",
            "/auth/logout",
            &[("cookie", &cookie), ("x-session", "cookie")],
            b"",
        )
        .expect(200);
    assert!(out
        .header("set-cookie")
        .is_some_and(|c| c.starts_with("mp_member=;") && c.contains("Max-Age=0")));
    t.call(
        "GET",
        "/auth/me",
        &[("cookie", &cookie), ("x-session", "cookie")],
        b"",
    )
    .expect(401);
    // API clients keep getting the token in the body.
    let api = t
        .call(
            "POST",
            "/auth/login",
            &[JSON],
            &json_body(&json!({"login_id": a.login_id, "password": a.password})),
        )
        .expect(200);
    assert!(api.json()["token"].is_string() && api.header("set-cookie").is_none());
}

/// rule A5: an answer kept for an Idempotency-Key never hands a session
/// token to a script. A page redoing step 1 with its cookie gets the new
/// token as a cookie, and so does its replay (the stored answer keeps the
/// token apart, sealed); an API client gets it in the body both times. A
/// new signup token revokes the one before, and activation revokes it.
#[test]
fn a5_a_replayed_signup_answer_keeps_the_token_out_of_the_body() {
    let t = target();
    let a = Applicant::start(t);
    let cookie = format!("mp_signup={}", a.token);
    let body = json_body(&json!({"kind": "partner", "over_14": true, "consents": consents()}));
    let redo = |headers: &[(&str, &str)]| {
        t.call(
            "POST",
            "/signup/terms",
            &[&[JSON][..], headers].concat(),
            &body,
        )
    };
    let page = [
        ("cookie", cookie.as_str()),
        ("x-session", "cookie"),
        ("idempotency-key", "redo-1"),
    ];
    let first = redo(&page).expect(201);
    let replay = redo(&page).expect(201);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    let mut tokens = vec![];
    for r in [&first, &replay] {
        assert!(r.json().get("signup_token").is_none(), "{}", r.json());
        let set = r.header("set-cookie").expect("the token as a cookie");
        assert!(set.contains("HttpOnly"), "{set}");
        let (_, token) = set
            .split(';')
            .next()
            .and_then(|c| c.split_once('='))
            .expect("name=value");
        tokens.push(token.to_owned());
    }
    assert_eq!(
        tokens[0], tokens[1],
        "the replay carries the first answer's token"
    );
    assert_ne!(tokens[0], a.token);
    assert_eq!(
        count(
            t,
            "SELECT COUNT(*) AS n FROM idempotency WHERE key = 'redo-1' AND session_enc IS NOT NULL"
        ),
        1
    );
    // The new token works; the one before it no longer does.
    let status = |token: &str| {
        t.call(
            "GET",
            "/signup/status",
            &[("authorization", &format!("Bearer {token}"))],
            b"",
        )
    };
    status(&tokens[0]).expect(200);
    status(&a.token).expect(401);
    // An API client gets the token in the body, the first time and again.
    let bearer = format!("Bearer {}", tokens[0]);
    let api = [
        ("authorization", bearer.as_str()),
        ("idempotency-key", "redo-2"),
    ];
    let first = redo(&api).expect(201).json();
    let again = redo(&api).expect(201).json();
    assert!(first["signup_token"].is_string());
    assert_eq!(first["signup_token"], again["signup_token"]);
    // Activation ends the signup token: a member signs in from then on.
    let b = Applicant::submitted(t);
    b.t.call(
        "GET",
        "/signup/status",
        &[("authorization", &b.auth())],
        b"",
    )
    .expect(200);
    b.activate();
    b.t.call(
        "GET",
        "/signup/status",
        &[("authorization", &b.auth())],
        b"",
    )
    .expect(401);
}

/// rule S2: a client learns the current documents, their versions and full
/// texts from the API (in Korean or English), and consents to exactly
/// those versions.
#[test]
fn s2_current_terms_are_served_with_versions_and_texts_in_both_languages() {
    let t = target();
    let ko = t
        .call(
            "GET",
            "/terms",
            &[("accept-language", "ko-KR,ko;q=0.9")],
            b"",
        )
        .expect(200)
        .json();
    assert_eq!(ko["lang"], "ko");
    let docs = ko["documents"].as_array().expect("documents").clone();
    let kinds: Vec<&str> = docs.iter().filter_map(|d| d["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "terms_of_service",
            "privacy_collection",
            "marketing_email",
            "marketing_sms"
        ]
    );
    assert_eq!(
        docs.iter()
            .map(|d| d["required"].as_bool())
            .collect::<Vec<_>>(),
        [Some(true), Some(true), Some(false), Some(false)]
    );
    let hangul = |s: &str| s.chars().any(|c| ('가'..='힣').contains(&c));
    assert!(docs
        .iter()
        .all(|d| hangul(d["title"].as_str().unwrap_or(""))
            && d["text"].as_str().is_some_and(|x| x.len() > 100)));
    let en = t
        .call("GET", "/terms", &[("accept-language", "en-US")], b"")
        .expect(200)
        .json();
    assert_eq!(en["lang"], "en");
    assert!(en["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .all(|d| !hangul(d["text"].as_str().unwrap_or("가"))
            && !hangul(d["title"].as_str().unwrap_or("가"))));
    // Consenting to what was served starts an application.
    let consents: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| json!({"kind": d["kind"], "version": d["version"], "accepted": true}))
        .collect();
    t.call(
        "POST",
        "/signup/terms",
        &[JSON],
        &json_body(&json!({"kind": "partner", "over_14": true, "consents": consents})),
    )
    .expect(201);
}

/// Whether `partner` is among the partners proposed for `client`'s request.
fn ranked_for(client: &Company, request_id: &str, partner: &str) -> bool {
    client
        .call(
            "GET",
            &format!("/member/requests/{request_id}"),
            &json!(null),
        )
        .expect(200)
        .json()["proposals"]
        .as_array()
        .expect("proposals")
        .iter()
        .any(|p| p["partner_id"] == partner)
}

/// rule S10: staff terminate a member for a cause of the terms (seed 000
/// §7), the cause recorded and the member told; what it did stops being
/// shown at once: out of clients' rankings, its open postings closed and
/// the proposals pending with it declined, every session ended.
#[test]
fn s10_a_termination_records_its_cause_and_stops_showing_what_the_member_did() {
    let t = target();
    let a = Applicant::submitted_in(t, "partner", &["marketing"]);
    let session = a.activate();
    let partner = Company::of(t, &a, session);
    partner
        .call(
            "PUT",
            "/member/profile",
            &json!({"capabilities": ["브랜딩"], "capacity": 2, "regions": ["all"]}),
        )
        .expect(200);
    let client = Company::member(t, "client");
    let post = |c: &Company| -> String {
        c.call(
            "POST",
            "/member/requests",
            &json!({"category": "marketing", "title": "신제품 홍보", "scope": "온라인 캠페인", "budget_krw": 3_000_000, "due_date": "2099-05-31", "region": "busan", "location": "부산"}),
        )
        .expect(201)
        .json()["request_id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    let request = post(&client);
    assert!(
        ranked_for(&client, &request, &partner.member_id),
        "ranked before"
    );
    client
        .call(
            "POST",
            &format!("/member/requests/{request}/proposals"),
            &json!({"partner_id": partner.member_id}),
        )
        .expect(201);
    let reviewer = admin(t, "reviewer");
    let terminate = |member: &str, body: &Json| {
        admin_call(
            t,
            &reviewer,
            "POST",
            &format!("/admin/members/{member}/terminate"),
            body,
        )
    };
    // A cause of the terms and a reason, or nothing happens.
    let pointers = terminate(&client.member_id, &json!({"cause": "dislike"}))
        .expect(422)
        .pointers();
    assert_eq!(pointers, ["#/cause", "#/reason"]);
    client
        .call("GET", "/member/requests", &json!(null))
        .expect(200);

    // The client is terminated: its posting closes, the proposal is declined.
    let reason = "타인 명의의 사업자등록증으로 가입";
    let got = terminate(
        &client.member_id,
        &json!({"cause": "false_information", "reason": reason}),
    )
    .expect(200)
    .json();
    assert_eq!(got["status"], "terminated");
    assert_eq!(got["cause"], "false_information");
    client
        .call("GET", "/member/requests", &json!(null))
        .expect(401);
    let proposals = partner
        .call("GET", "/member/proposals", &json!(null))
        .expect(200)
        .json();
    let mine: Vec<&Json> = proposals["proposals"]
        .as_array()
        .expect("proposals")
        .iter()
        .filter(|p| p["request_id"] == request.as_str())
        .collect();
    assert_eq!(mine.len(), 1, "{proposals}");
    assert_eq!(mine[0]["state"], "declined");
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM work_requests WHERE id = '{request}' AND state = 'closed'"
            )
        ),
        1
    );
    // Once: a terminated member is not terminated again.
    let again = terminate(
        &client.member_id,
        &json!({"cause": "crime", "reason": "다시"}),
    )
    .expect(409)
    .json();
    assert_eq!(again["member_status"], "terminated");
    // Staff see the cause and reason on the record; the member was told.
    let record = admin_call(
        t,
        &reviewer,
        "GET",
        &format!("/admin/members/{}", client.member_id),
        &json!(null),
    )
    .expect(200)
    .json();
    assert_eq!(record["termination"]["cause"], "false_information");
    assert_eq!(record["termination"]["reason"], reason);
    receiver().wait_for("the termination's notice", |got| {
        got.iter().any(|m| {
            same_recipient(&m.to, &client.email)
                && m.subject.contains("해지")
                && m.text.contains("허위 정보")
                && m.text.contains(reason)
        })
    });

    // The partner terminated: no longer proposed to another client.
    let other = Company::member(t, "client");
    let request = post(&other);
    assert!(
        ranked_for(&other, &request, &partner.member_id),
        "ranked before"
    );
    terminate(
        &partner.member_id,
        &json!({"cause": "duplicate_registration", "reason": "같은 회사의 두 번째 계정"}),
    )
    .expect(200);
    assert!(
        !ranked_for(&other, &request, &partner.member_id),
        "not after"
    );
}

/// rule R4: a terminated member signs in to read its data for a year and
/// changes nothing: every route that writes is refused before it reads,
/// while its rights as a data subject (a privacy request) and signing out
/// stay open. (Where the year ends, at a KST day's edge, is checked on the
/// clock in `s10_termination.rs`.)
#[test]
fn r4_a_terminated_member_reads_its_data_and_writes_nothing() {
    let t = target();
    let a = Applicant::submitted_in(t, "partner", &["construction"]);
    let session = a.activate();
    let partner = Company::of(t, &a, session);
    let profile = json!({"capabilities": ["시공"], "capacity": 1, "regions": ["all"]});
    partner.call("PUT", "/member/profile", &profile).expect(200);
    admin_call(
        t,
        &admin(t, "owner"),
        "POST",
        &format!("/admin/members/{}/terminate", partner.member_id),
        &json!({"cause": "service_harm", "reason": "자동화 도구로 과도한 요청"}),
    )
    .expect(200);
    let signed = a.sign_in().expect(200).json();
    let until = signed["read_only_until"].as_str().expect("read-only until");
    let year_on = chrono::Utc::now() + chrono::Duration::days(365);
    assert!(
        chrono::DateTime::parse_from_rfc3339(until).expect("instant") >= year_on,
        "a year: {until}"
    );
    let reader = Company::of(t, &a, signed["token"].as_str().expect("token").to_owned());
    let me = reader
        .call("GET", "/auth/me", &json!(null))
        .expect(200)
        .json();
    assert_eq!(me["status"], "terminated");
    assert_eq!(me["read_only_until"], until);
    let saved = reader
        .call("GET", "/member/profile", &json!(null))
        .expect(200)
        .json();
    assert_eq!(saved["capacity"], 1);
    reader
        .call("GET", "/member/proposals", &json!(null))
        .expect(200);
    // Writes are refused, and nothing changed.
    let mut changed = profile.clone();
    changed["capacity"] = json!(9);
    let refused = reader
        .call("PUT", "/member/profile", &changed)
        .expect(403)
        .json();
    assert!(
        refused["detail"]
            .as_str()
            .is_some_and(|d| d.contains("조회만")),
        "{refused}"
    );
    assert_eq!(
        reader
            .call("GET", "/member/profile", &json!(null))
            .expect(200)
            .json()["capacity"],
        1
    );
    // Its rights as a data subject outlast the membership: a request, and
    // withdrawal, which ends the year at once (it stays terminated).
    reader
        .call(
            "POST",
            "/member/privacy-requests",
            &json!({"kind": "access", "details": "보관 중인 정보 사본"}),
        )
        .expect(201);
    let closed = reader
        .call(
            "POST",
            "/member/privacy-requests",
            &json!({"kind": "withdrawal"}),
        )
        .expect(201)
        .json();
    assert_eq!(closed["state"], "completed");
    let refused = a.sign_in().expect(403).json();
    assert_eq!(refused["member_status"], "terminated");
}
