//! Privacy rights (rules P1–P9, R3, A7), end to end: a member user's
//! own requests on the legal clock, the privacy officer's desk, marketing
//! by opt-in and its withdrawal, and account withdrawal.

use e2e::receiver::same_recipient;
use e2e::*;
use serde_json::{json, Value as Json};

fn make(c: &Company, body: &Json) -> Reply {
    c.call("POST", "/member/privacy-requests", body)
}

fn mine(c: &Company) -> Json {
    c.call("GET", "/member/privacy-requests", &json!(null))
        .expect(200)
        .json()
}

fn find<'a>(list: &'a Json, id: &str) -> Option<&'a Json> {
    list["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .find(|r| r["request_id"] == id)
}

/// The 10th KST calendar day after the day of `received` (RFC 3339).
fn tenth_kst_day_after(received: &str) -> String {
    let kst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    let day = chrono::DateTime::parse_from_rfc3339(received)
        .unwrap()
        .with_timezone(&kst)
        .date_naive();
    (day + chrono::Days::new(10)).to_string()
}

/// rules P1, P2: a signed-in member user asks about its own data (the
/// session is the identity check) for one of the seven kinds, due by the
/// 10th KST day after receipt (P3); one open request of a kind at a time;
/// nobody else sees or withdraws it; the requester waits on its clock and
/// may withdraw it.
#[test]
fn p2_a_signed_in_member_asks_about_its_own_data_and_sees_its_day() {
    let t = target();
    let c = Company::member(t, "client");
    let other = Company::member(t, "partner");
    // rule P1: one of the kinds.
    let r = make(&c, &json!({"kind": "everything"})).expect(422).json();
    assert_eq!(r["errors"][0]["pointer"], "#/kind");
    let r = make(&c, &json!({"kind": "correction", "details": "담당자 이름의 철자를 고쳐 주세요: 김담당 → 김담담"}))
        .expect(201)
        .json();
    let id = r["request_id"].as_str().unwrap().to_owned();
    assert_eq!(
        r["state"], "in_progress",
        "the session verified the requester"
    );
    assert_eq!(r["channel"], "self");
    // rule P3: the 10th KST day after the day of receipt.
    assert_eq!(
        r["due_day"],
        tenth_kst_day_after(r["received_at"].as_str().unwrap()).as_str()
    );
    // One open request of a kind: the second names the first.
    let again = make(&c, &json!({"kind": "correction"})).expect(409).json();
    assert_eq!(again["request_id"], id.as_str());
    make(&c, &json!({"kind": "access"})).expect(201);
    // Listed with its words; nobody else sees it.
    let listed = mine(&c);
    assert_eq!(
        find(&listed, &id).expect("listed")["details"],
        "담당자 이름의 철자를 고쳐 주세요: 김담당 → 김담담"
    );
    assert!(find(&mine(&other), &id).is_none());
    other
        .call(
            "POST",
            &format!("/member/privacy-requests/{id}/withdraw"),
            &json!({}),
        )
        .expect(404);
    // The requester waits on its clock; it is not the requester's to act.
    let clocks = c
        .call("GET", "/member/clocks", &json!(null))
        .expect(200)
        .json();
    let clock = clock_of(&clocks, &id).expect("the requester sees the clock");
    assert_eq!(clock["kind"], "privacy_request");
    assert_eq!(clock["yours"], false);
    assert_eq!(clock["due_day"], r["due_day"]);
    // Withdrawn: closed, its clock too.
    let w = c
        .call(
            "POST",
            &format!("/member/privacy-requests/{id}/withdraw"),
            &json!({}),
        )
        .expect(200)
        .json();
    assert_eq!(w["state"], "withdrawn");
    c.call(
        "POST",
        &format!("/member/privacy-requests/{id}/withdraw"),
        &json!({}),
    )
    .expect(409);
    let clocks = c
        .call("GET", "/member/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(
        clock_of(&clocks, &id).is_none(),
        "a withdrawn request's clock is closed"
    );
    // The kind may be asked again.
    make(&c, &json!({"kind": "correction"})).expect(201);
}

/// rule P3: the privacy officer sees the request on the dashboard and in
/// the queue (the requester's words read: in the access log, rule A3); a
/// delay needs a reason and a later day, and the requester is told both;
/// a refusal needs its reason and the law it rests on (what deletion's and
/// suspension's refusals will rest on, once those are built), and the
/// requester is told; the clock ends with the answer.
#[test]
fn p3_a_delay_has_its_reason_and_day_told_and_a_refusal_its_reason_and_law() {
    let t = target();
    let c = Company::member(t, "partner");
    let r = make(
        &c,
        &json!({"kind": "deletion", "details": "포트폴리오 사진을 모두 지워 주세요"}),
    )
    .expect(201)
    .json();
    let id = r["request_id"].as_str().unwrap().to_owned();
    let officer = admin(t, "privacy_officer");
    let desk = |method: &str, path: &str, body: &Json| admin_call(t, &officer, method, path, body);
    // On the privacy officer's dashboard, and in the queue with its words.
    let clocks = desk("GET", "/admin/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(
        clock_of(&clocks, &id).is_some(),
        "the officer watches the clock"
    );
    let queue = desk("GET", "/admin/privacy-requests", &json!(null))
        .expect(200)
        .json();
    let queued = find(&queue, &id).expect("queued");
    assert_eq!(queued["details"], "포트폴리오 사진을 모두 지워 주세요");
    assert_eq!(queued["member_id"], c.member_id.as_str());
    assert!(queued["company_name"].is_string());
    // rule A3: the read of the requester's words is in the access log.
    assert!(
        count(t, &format!("SELECT COUNT(*) AS n FROM access_log WHERE subject = '{}' AND what = 'privacy.read_request'", c.member_id)) >= 1
    );
    // A delay: its reason and a later day, both required.
    let delay = |body: &Json| desk("POST", &format!("/admin/privacy-requests/{id}/delay"), body);
    let p = delay(&json!({"revision": 1})).expect(422).json();
    let pointers: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["pointer"].as_str())
        .collect();
    assert!(
        pointers.contains(&"#/reason") && pointers.contains(&"#/until"),
        "{p}"
    );
    let due = r["due_day"].as_str().unwrap();
    delay(&json!({"revision": 1, "reason": "이유", "until": due})).expect(422);
    let until = (chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap()
        + chrono::Days::new(5))
    .to_string();
    let reason = "보관된 사진이 많아 확인에 시간이 더 필요합니다";
    let delayed = delay(&json!({"revision": 1, "reason": reason, "until": until}))
        .expect(200)
        .json();
    assert_eq!(delayed["state"], "delayed");
    assert_eq!(delayed["due_day"], until.as_str());
    assert_eq!(delayed["delay_reason"], reason);
    // Made on what was read: a second delay on the old revision is refused.
    delay(&json!({"revision": 1, "reason": reason, "until": until})).expect(409);
    // The requester is told the reason and the new day.
    let d = chrono::NaiveDate::parse_from_str(&until, "%Y-%m-%d").unwrap();
    let day = d.format("%Y년 %-m월 %-d일").to_string();
    receiver().wait_for("the delay's notice", |got| {
        got.iter().any(|m| {
            same_recipient(&m.to, &c.email) && m.text.contains(reason) && m.text.contains(&day)
        })
    });
    // The clock moved with it.
    let clocks = desk("GET", "/admin/clocks", &json!(null))
        .expect(200)
        .json();
    let clock = clock_of(&clocks, &id).expect("still open");
    assert_eq!(clock["due_day"], until.as_str());
    // A refusal, whole or in part, needs its reason and law.
    let answer = |body: &Json| {
        desk(
            "POST",
            &format!("/admin/privacy-requests/{id}/answer"),
            body,
        )
    };
    let p = answer(&json!({"revision": 2, "outcome": "partially_refused"}))
        .expect(422)
        .json();
    let pointers: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["pointer"].as_str())
        .collect();
    assert_eq!(pointers, ["#/answer", "#/legal_basis"]);
    let done = answer(&json!({
        "revision": 2,
        "outcome": "partially_refused",
        "answer": "포트폴리오 사진은 지웠습니다. 계약서에 첨부된 사진은 계약 기록으로 5년간 보관합니다.",
        "legal_basis": "전자상거래 등에서의 소비자보호에 관한 법률 제6조",
    }))
    .expect(200)
    .json();
    assert_eq!(done["state"], "partially_refused");
    answer(&json!({"revision": 3, "outcome": "completed"})).expect(409);
    // The requester reads the answer and is told of it; the clock ended.
    let seen = find(&mine(&c), &id).cloned().expect("listed");
    assert_eq!(
        seen["legal_basis"],
        "전자상거래 등에서의 소비자보호에 관한 법률 제6조"
    );
    receiver().wait_for("the answer's notice", |got| {
        got.iter()
            .any(|m| same_recipient(&m.to, &c.email) && m.text.contains("일부 거절"))
    });
    let clocks = desk("GET", "/admin/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(
        clock_of(&clocks, &id).is_none(),
        "answered: the clock is closed"
    );
    // Other staff roles do not read the desk.
    admin_call(
        t,
        &admin(t, "reviewer"),
        "GET",
        "/admin/privacy-requests",
        &json!(null),
    )
    .expect(403);
}

/// rule P3: a request not answered by the end of its last KST day is
/// shown to staff as overdue: flagged by the sweep at the KST midnight that
/// ends the day (two minutes before it, not yet), on the officer's queue
/// and dashboard; the answer still ends it.
#[test]
fn p3_past_the_end_of_its_last_kst_day_a_request_is_flagged_overdue() {
    let t = target();
    let c = Company::member(t, "client");
    // A kind the desk answers (an access request is answered by its copy: P4).
    let r = make(&c, &json!({"kind": "suspension"})).expect(201).json();
    let id = r["request_id"].as_str().unwrap().to_owned();
    let day =
        chrono::NaiveDate::parse_from_str(r["due_day"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    // KST midnight after the last day, in UTC: 15:00 on that day.
    let end = domain::kernel::clocks::due_at(day);
    assert_eq!(end.format("%H:%M").to_string(), "15:00");
    let ahead = |secs_after_end: i64| (end - chrono::Utc::now()).num_seconds() + secs_after_end;
    let officer = admin(t, "privacy_officer");
    let queued = || {
        let q = admin_call(t, &officer, "GET", "/admin/privacy-requests", &json!(null))
            .expect(200)
            .json();
        find(&q, &id).cloned().expect("queued")
    };
    sweep_ahead(t, ahead(-120));
    assert!(queued()["overdue_at"].is_null(), "not before its day ends");
    sweep_ahead(t, ahead(120));
    let q = queued();
    assert!(
        q["overdue_at"].is_string(),
        "flagged once its day ended: {q}"
    );
    let clocks = admin_call(t, &officer, "GET", "/admin/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(
        clock_of(&clocks, &id).expect("still open")["fired_at"].is_string(),
        "the dashboard shows it fired"
    );
    // The answer still ends it.
    admin_call(
        t,
        &officer,
        "POST",
        &format!("/admin/privacy-requests/{id}/answer"),
        &json!({"revision": q["revision"], "outcome": "completed", "answer": "처리를 정지했습니다"}),
    )
    .expect(200);
    let clocks = admin_call(t, &officer, "GET", "/admin/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(clock_of(&clocks, &id).is_none());
}

/// An active partner whose signup consents say yes to marketing by e-mail
/// (rule S2: every member test's default says no), signed in.
fn opted_in_to_email(t: &'static dyn Target) -> Company {
    let mut consents = consents();
    consents[2]["accepted"] = json!(true);
    let a = Applicant::submitted_consenting(t, "partner", &consents);
    let session = a.activate();
    Company::of(t, &a, session)
}

/// rules P8, A7: a campaign reaches only those who opted in to its
/// channel, labelled "(광고)" with the free way to refuse; a member who
/// withdraws the consent while its notice is queued (the provider refused
/// the first tries) gets nothing: the deliverer reads the consent at send
/// time and drops the notice. The withdrawal is done before its answer.
#[test]
fn p8_a_withdrawn_marketing_consent_stops_a_notice_already_queued() {
    let t = target();
    let withdrawing = opted_in_to_email(t);
    let staying = opted_in_to_email(t);
    // Said no to e-mail at signup (and yes to texts).
    let declined = Company::member(t, "client");
    let owner = admin(t, "owner");
    let tag = format!("겨울 신기능 안내 {}", rand_below(1 << 40));
    // The provider refuses the withdrawing member's first tries.
    receiver().fail_next_to(&withdrawing.email, 4);
    let sent = admin_call(
        t,
        &owner,
        "POST",
        "/admin/marketing",
        &json!({"channel": "email", "text": tag}),
    )
    .expect(202)
    .json();
    let campaign = sent["campaign_id"].as_str().unwrap().to_owned();
    let job = sent["job_id"].as_str().unwrap().to_owned();
    // Nobody else sends campaigns: a reviewer is refused.
    admin_call(
        t,
        &admin(t, "reviewer"),
        "POST",
        "/admin/marketing",
        &json!({"channel": "email", "text": tag}),
    )
    .expect(403);
    let got = |to: &str| -> Vec<e2e::receiver::Received> {
        receiver()
            .messages()
            .into_iter()
            .filter(|m| same_recipient(&m.to, to) && m.text.contains(&tag))
            .collect()
    };
    // The withdrawing member's notice is queued (the provider refuses its
    // first tries, so it waits).
    let notice = format!("ntc_{campaign}_{}", withdrawing.member_id);
    let queued = format!("SELECT COUNT(*) AS n FROM outbox WHERE id = '{notice}'");
    assert!(
        eventually(120, || {
            t.background_round();
            count(t, &queued) == 1
        }),
        "the withdrawing member's notice was queued"
    );
    // rule P8: withdrawn before the answer.
    let w = make(&withdrawing, &json!({"kind": "marketing_email"}))
        .expect(201)
        .json();
    assert_eq!(w["state"], "completed");
    assert!(w["answered_at"].is_string());
    // The next try reads the consent, and the notice is dropped unsent.
    assert!(
        eventually(180, || {
            t.background_round();
            count(t, &queued) == 0
        }),
        "the queued advertisement was dropped unsent: {:?}",
        t.query(&format!(
            "SELECT attempts, delivered_at, gave_up_at FROM outbox WHERE id = '{notice}'"
        ))
    );
    assert!(
        got(&withdrawing.email).is_empty(),
        "nothing sent after the withdrawal"
    );
    // rule A7: the one who stays opted in gets it, as advertising.
    assert!(
        eventually(120, || {
            t.background_round();
            !got(&staying.email).is_empty()
        }),
        "the opted-in member's advertisement arrived"
    );
    let ad = &got(&staying.email)[0];
    assert!(ad.subject.starts_with("(광고)"), "{}", ad.subject);
    assert!(ad.text.contains("(광고)"), "{}", ad.text);
    assert!(
        ad.text.contains("/app/#/privacy"),
        "how to refuse: {}",
        ad.text
    );
    // rule A7: none was ever written for the member who said no.
    assert!(
        eventually(120, || {
            t.background_round();
            t.query(&format!("SELECT state FROM jobs WHERE id = '{job}'"))
                .first()
                .and_then(|r| r.text("state").map(str::to_owned))
                .as_deref()
                == Some("done")
        }),
        "the campaign's job finished"
    );
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM outbox WHERE id = 'ntc_{campaign}_{}'",
                declined.member_id
            )
        ),
        0
    );
    assert!(got(&declined.email).is_empty());
    // The campaign's words are sealed at rest.
    let bytes = t.database_bytes();
    assert!(
        !bytes.windows(tag.len()).any(|w| w == tag.as_bytes()),
        "the campaign text is sealed"
    );
}

/// rule P9: account withdrawal closes the account before its answer: the
/// session ends, signing in is refused, the login ID is retired for good
/// (a new applicant cannot take it), and the member is told by e-mail.
/// While a contract of the member is open it is refused, nothing written.
#[test]
fn p9_withdrawal_closes_the_account_at_once_and_retires_the_login_id() {
    let t = target();
    let d = deal("design");
    drafted(&d);
    let blocked = make(&d.partner, &json!({"kind": "withdrawal"}))
        .expect(409)
        .json();
    assert_eq!(blocked["open_contracts"], 1);
    assert!(mine(&d.partner)["requests"].as_array().unwrap().is_empty());
    d.partner
        .call("GET", "/member/profile", &json!(null))
        .expect(200);
    let a = Applicant::submitted_as(t, "partner");
    let session = a.activate();
    let c = Company::of(t, &a, session);
    let w = make(&c, &json!({"kind": "withdrawal"})).expect(201).json();
    assert_eq!(w["state"], "completed");
    // The session ended with it.
    c.call("GET", "/member/privacy-requests", &json!(null))
        .expect(401);
    let refused = a.sign_in().expect(403).json();
    assert_eq!(refused["member_status"], "withdrawn");
    // Retired for good: another applicant cannot take the ID.
    let next = Applicant::start(t);
    let mut body = next.contact_body();
    body["login_id"] = json!(a.login_id);
    next.call("PUT", "/signup/contact", &body).expect(409);
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM login_ids WHERE login_id = '{}' AND retired_at IS NOT NULL",
                a.login_id
            )
        ),
        1
    );
    // Told, with the ID.
    receiver().wait_for("the withdrawal's notice", |got| {
        got.iter().any(|m| {
            same_recipient(&m.to, &a.email)
                && m.subject.contains("탈퇴")
                && m.text.contains(&a.login_id)
        })
    });
}

/// rule P7: a processing suspension is refused only with a reason and the
/// law it rests on, both shown to the requester; granted, it stops the
/// processing: the partner is no longer proposed to a client's request.
#[test]
fn p7_a_suspension_is_refused_only_with_its_law_and_granted_stops_matching() {
    let t = target();
    let d = deal("consulting");
    let proposed = |d: &Deal| -> bool {
        let got = d
            .client
            .call(
                "GET",
                &format!("/member/requests/{}", d.request_id),
                &json!(null),
            )
            .expect(200)
            .json();
        got["proposals"]
            .as_array()
            .expect("proposals")
            .iter()
            .any(|p| p["partner_id"] == d.partner.member_id.as_str())
    };
    assert!(proposed(&d), "ranked before");
    let officer = admin(t, "privacy_officer");
    let answer = |id: &str, body: &Json| {
        admin_call(
            t,
            &officer,
            "POST",
            &format!("/admin/privacy-requests/{id}/answer"),
            body,
        )
    };
    let first = make(
        &d.partner,
        &json!({"kind": "suspension", "details": "추천 노출을 멈춰 주세요"}),
    )
    .expect(201)
    .json();
    let id = first["request_id"].as_str().unwrap().to_owned();
    // Refused only with its reason and law.
    let pointers = answer(&id, &json!({"revision": 1, "outcome": "refused"}))
        .expect(422)
        .pointers();
    assert_eq!(pointers, ["#/answer", "#/legal_basis"]);
    let basis = "개인정보 보호법 제37조 제2항 제4호";
    answer(
        &id,
        &json!({
            "revision": 1,
            "outcome": "refused",
            "answer": "진행 중인 계약의 이행을 위해 처리가 필요합니다.",
            "legal_basis": basis,
        }),
    )
    .expect(200);
    let seen = find(&mine(&d.partner), &id).cloned().expect("listed");
    assert_eq!(seen["legal_basis"], basis, "given to the requester");
    assert!(proposed(&d), "refused: processing goes on");
    // Asked again and granted: no longer proposed.
    let second = make(&d.partner, &json!({"kind": "suspension"}))
        .expect(201)
        .json();
    let id = second["request_id"].as_str().unwrap().to_owned();
    answer(
        &id,
        &json!({"revision": 1, "outcome": "completed", "answer": "추천 노출을 멈췄습니다."}),
    )
    .expect(200);
    assert!(!proposed(&d), "suspended: not proposed");
}

/// rule P5: a correction is applied with the answer: the contact person's
/// name and e-mail set in place (the old values overwritten, not kept),
/// the audit entry naming the fields only; completed, it must correct
/// something, and only a correction may.
#[test]
fn p5_a_correction_is_applied_with_its_answer_and_logged_by_field() {
    let t = target();
    let c = Company::member(t, "client");
    let officer = admin(t, "privacy_officer");
    let r = make(
        &c,
        &json!({"kind": "correction", "details": "담당자 이름과 메일 주소가 바뀌었습니다"}),
    )
    .expect(201)
    .json();
    let id = r["request_id"].as_str().unwrap().to_owned();
    let answer = |body: &Json| {
        admin_call(
            t,
            &officer,
            "POST",
            &format!("/admin/privacy-requests/{id}/answer"),
            body,
        )
    };
    let p = answer(&json!({"revision": 1, "outcome": "completed"}))
        .expect(422)
        .json();
    assert_eq!(p["errors"][0]["pointer"], "#/contact_name", "{p}");
    answer(&json!({"revision": 1, "outcome": "completed", "email": "not-an-address"})).expect(422);
    let email = format!("corrected-{}@example.com", rand_below(1 << 40));
    answer(
        &json!({"revision": 1, "outcome": "completed", "contact_name": "김담담", "email": email}),
    )
    .expect(200);
    // Applied: staff's record shows the new values.
    let record = admin_call(
        t,
        &admin(t, "owner"),
        "GET",
        &format!("/admin/members/{}", c.member_id),
        &json!(null),
    )
    .expect(200)
    .json();
    let text = record.to_string();
    assert!(text.contains("김담담") && text.contains(&email), "{text}");
    assert!(!text.contains(&c.email), "the old address is not kept");
    // Logged by field name, never by value.
    let logged = t.query(&format!(
        "SELECT detail FROM audit_log WHERE action = 'privacy.corrected' AND subject = '{}'",
        c.member_id
    ));
    assert_eq!(
        logged.first().and_then(|r| r.text("detail")),
        Some("contact_name,email")
    );
    // Only a correction corrects.
    let other = make(&c, &json!({"kind": "suspension"})).expect(201).json();
    let oid = other["request_id"].as_str().unwrap().to_owned();
    let p = admin_call(
        t,
        &officer,
        "POST",
        &format!("/admin/privacy-requests/{oid}/answer"),
        &json!({"revision": 1, "outcome": "completed", "contact_name": "다른 이름"}),
    )
    .expect(422)
    .json();
    assert_eq!(p["errors"][0]["pointer"], "#/contact_name");
}

/// Waits for the copy of access request `id` to be ready; its case.
fn copy_ready(c: &Company, id: &str) -> Json {
    let mut case = Json::Null;
    let ready = eventually(240, || {
        c.t.background_round();
        case = find(&mine(c), id).cloned().expect("listed");
        case["export"]["state"] == "ready"
    });
    assert!(ready, "the copy was not made: {case}");
    case
}

/// rule P4: an access request is answered by a background job's copy of
/// everything held about the requester, built from the registry's
/// holdings (every holding is in it, sealed values opened, one-way values,
/// secrets and other people's data left out), with a Korean cover (the
/// fields of an access notice) and the processors; the case is answered
/// and the requester told; only the requester downloads it.
#[test]
fn p4_an_access_request_is_answered_with_a_copy_of_everything_held() {
    let t = target();
    let c = Company::member(t, "client");
    let other = Company::member(t, "client");
    let officer = admin(t, "privacy_officer");
    // Words the member wrote (sealed at rest), and a staff read of its data
    // (the access log).
    let said = format!("처리정지 요청 사유 {}", rand_below(1 << 40));
    make(&c, &json!({"kind": "suspension", "details": said})).expect(201);
    admin_call(t, &officer, "GET", "/admin/privacy-requests", &json!(null)).expect(200);
    let r = make(&c, &json!({"kind": "access"})).expect(201).json();
    let id = r["request_id"].as_str().unwrap().to_owned();
    assert_eq!(r["state"], "in_progress");
    let case = copy_ready(&c, &id);
    assert_eq!(case["state"], "completed", "answered by its copy: {case}");
    assert!(case["answer"].as_str().unwrap().contains("JSON"), "{case}");
    let export = &case["export"];
    assert_eq!(export["holdings_done"], export["holdings"]);
    assert_eq!(
        export["download"],
        format!("/member/privacy-requests/{id}/export").as_str()
    );
    // The Korean cover: the fields of an access notice.
    let cover = &export["cover"];
    assert_eq!(cover["제목"], "개인정보 열람 통지");
    assert_eq!(cover["수수료"], "없음");
    assert!(cover["열람 장소 및 방법"]
        .as_str()
        .unwrap()
        .contains("JSON"));
    assert!(
        cover["열람 항목"].as_array().unwrap().len() >= 20,
        "{cover}"
    );
    // The file: an attachment, only for the requester.
    other
        .call(
            "GET",
            &format!("/member/privacy-requests/{id}/export"),
            &json!(null),
        )
        .expect(404);
    let file = c
        .call(
            "GET",
            &format!("/member/privacy-requests/{id}/export"),
            &json!(null),
        )
        .expect(200);
    assert!(file
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment")));
    let copy = file.json();
    assert_eq!(copy["format"], "privacy-export/1");
    assert_eq!(copy["member_id"], c.member_id.as_str());
    // Built from the registry: every holding is there.
    for h in domain::personal_data::HOLDINGS {
        assert!(copy["held"][h.table].is_array(), "{} missing", h.table);
    }
    let held = &copy["held"];
    let me = &held["members"][0];
    assert_eq!(me["email"], c.email.as_str(), "sealed values opened");
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    assert_eq!(digits(me["phone"].as_str().unwrap()), digits(&c.mobile));
    assert!(me.get("password_hash").is_none() && me.get("phone_bidx").is_none());
    assert!(
        held["consents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["document_version"].is_string()),
        "consents with their document versions"
    );
    assert!(held["privacy_requests"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["details"] == said.as_str()));
    let entries = held["access_log"].as_array().unwrap();
    assert!(!entries.is_empty(), "the access-log entries about them");
    assert!(entries
        .iter()
        .all(|e| e.get("admin_id").is_none() && e.get("client_ip").is_none()));
    assert_eq!(copy["not_opened"], json!([]));
    assert!(copy["processors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["purpose"].as_str().unwrap().contains("이메일")));
    // Told.
    receiver().wait_for("the copy's notice", |got| {
        got.iter()
            .any(|m| same_recipient(&m.to, &c.email) && m.text.contains("열람 자료"))
    });
}

/// rules P6, R3: a deletion is planned first (what is erased now, what
/// moves to separated storage under which law until when, what stays
/// where it is, what blocks it); an open contract blocks it and nothing
/// is written; executed, in one batch the account closes, membership data
/// is erased, the contacts kept against fraud and the consents move to
/// separated storage, and the case is partly refused with what was kept
/// and the law (never empty), told to the requester. Separated storage is
/// read by the privacy officer alone, each read in the access log.
#[test]
fn p6_a_deletion_is_planned_then_executed_keeping_only_what_a_law_keeps() {
    let t = target();
    let officer = admin(t, "privacy_officer");
    let desk = |method: &str, path: &str, body: &Json| admin_call(t, &officer, method, path, body);
    // Blocked by an open contract: nothing written.
    let d = deal("design");
    drafted(&d);
    let r = make(&d.partner, &json!({"kind": "deletion"}))
        .expect(201)
        .json();
    let blocked_id = r["request_id"].as_str().unwrap().to_owned();
    let plan = desk(
        "GET",
        &format!("/admin/privacy-requests/{blocked_id}/deletion-plan"),
        &json!(null),
    )
    .expect(200)
    .json();
    assert_eq!(plan["executable"], false);
    assert_eq!(plan["blocked"][0]["what"], "contracts");
    let p = desk(
        "POST",
        &format!("/admin/privacy-requests/{blocked_id}/erase"),
        &json!({"revision": 1}),
    )
    .expect(409)
    .json();
    assert_eq!(p["open_contracts"], 1, "{p}");
    d.partner
        .call("GET", "/member/profile", &json!(null))
        .expect(200);

    // A member with consents and an earlier request.
    let c = Company::member(t, "client");
    let m = c.member_id.clone();
    make(
        &c,
        &json!({"kind": "suspension", "details": "광고 문자를 멈춰 주세요"}),
    )
    .expect(201);
    let r = make(
        &c,
        &json!({"kind": "deletion", "details": "제 정보를 모두 지워 주세요"}),
    )
    .expect(201)
    .json();
    let id = r["request_id"].as_str().unwrap().to_owned();
    // Only a deletion has a plan.
    let other = make(&c, &json!({"kind": "correction"})).expect(201).json();
    desk(
        "GET",
        &format!(
            "/admin/privacy-requests/{}/deletion-plan",
            other["request_id"].as_str().unwrap()
        ),
        &json!(null),
    )
    .expect(409);
    let plan = desk(
        "GET",
        &format!("/admin/privacy-requests/{id}/deletion-plan"),
        &json!(null),
    )
    .expect(200)
    .json();
    assert_eq!(plan["executable"], true, "{plan}");
    let item = |class: &str, action: &str| {
        plan["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["class"] == class && i["action"] == action)
            .cloned()
            .unwrap_or_else(|| panic!("{class} {action}: {plan}"))
    };
    let kst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    let today = chrono::Utc::now().with_timezone(&kst).date_naive();
    let a_year_on = today
        .checked_add_months(chrono::Months::new(12))
        .unwrap()
        .to_string();
    assert!(item("membership", "erase_now")["basis_ko"].is_null());
    let fraud = item("fraud_prevention_1y", "separate");
    assert_eq!(fraud["until"], a_year_on.as_str());
    assert!(fraud["basis_ko"].as_str().unwrap().contains("부정 이용"));
    assert!(item("consent", "separate")["count"].as_i64().unwrap() >= 1);
    assert!(item("dispute_3y", "keep")["until"].is_string(), "{plan}");
    item("account_key", "keep_minimal");
    // A stale revision changes nothing.
    desk(
        "POST",
        &format!("/admin/privacy-requests/{id}/erase"),
        &json!({"revision": 9}),
    )
    .expect(409);
    let done = desk(
        "POST",
        &format!("/admin/privacy-requests/{id}/erase"),
        &json!({"revision": 1}),
    )
    .expect(200)
    .json();
    assert_eq!(done["state"], "partially_refused", "{done}");
    let answer = done["answer"].as_str().unwrap();
    assert!(answer.contains("부정 이용 방지"), "{answer}");
    assert!(answer.contains(&a_year_on), "{answer}");
    assert!(!done["legal_basis"].as_str().unwrap().is_empty());
    assert_eq!(done["plan"]["items"], plan["items"]);
    desk(
        "POST",
        &format!("/admin/privacy-requests/{id}/erase"),
        &json!({"revision": 2}),
    )
    .expect(409);
    // In one batch: closed, erased, moved.
    c.call("GET", "/member/privacy-requests", &json!(null))
        .expect(401);
    let row = t.query(&format!(
        "SELECT status, login_id, contact_name_enc, email_enc, password_hash, erased_at, minimised_at FROM members WHERE id = '{m}'"
    ));
    let row = row.first().expect("the member row");
    assert_eq!(row.text("status"), Some("withdrawn"));
    for col in ["login_id", "contact_name_enc", "email_enc", "password_hash"] {
        assert!(row.text(col).is_none(), "{col} left in the live table");
    }
    assert!(row.text("erased_at").is_some() && row.text("minimised_at").is_some());
    assert_eq!(
        count(
            t,
            &format!("SELECT COUNT(*) AS n FROM consents WHERE member_id = '{m}' AND accepted = 1")
        ),
        0
    );
    assert_eq!(
        count(t, &format!("SELECT COUNT(*) AS n FROM separated_records WHERE member_id = '{m}' AND kept_until = '{a_year_on}'")),
        2
    );
    receiver().wait_for("the deletion's answer", |got| {
        got.iter()
            .any(|m| same_recipient(&m.to, &c.email) && m.text.contains("일부 거절"))
    });
    // rule R3: separated storage, for the privacy officer alone, each read
    // in the access log.
    let logged = format!(
        "SELECT COUNT(*) AS n FROM access_log WHERE subject = '{m}' AND what = 'privacy.read_separated'"
    );
    assert_eq!(count(t, &logged), 0);
    let kept = desk(
        "GET",
        &format!("/admin/separated-records?member={m}"),
        &json!(null),
    )
    .expect(200)
    .json();
    let records = kept["records"].as_array().unwrap();
    assert_eq!(records.len(), 2, "{kept}");
    let contact = records
        .iter()
        .find(|r| r["what"] == "members")
        .expect("contacts");
    assert_eq!(contact["data"]["email"], c.email.as_str());
    assert_eq!(contact["kept_until"], a_year_on.as_str());
    assert_eq!(count(t, &logged), 1);
    for role in ["owner", "reviewer", "auditor", "billing", "mediator"] {
        admin_call(
            t,
            &admin(t, role),
            "GET",
            "/admin/separated-records",
            &json!(null),
        )
        .expect(403);
    }
}

/// rule A8: a change to a document is scheduled with its first KST day, at
/// least 7 days ahead (30 for an important one), one waiting at a time;
/// every member is told by notice at once; the sweep makes it current at
/// the KST midnight it applies from (two minutes before, not yet); then a
/// member consents again to the version in effect, the consent recording
/// it. (A document seeded for this test, so the others' signups keep
/// their versions.)
#[test]
fn a8_a_change_is_announced_ahead_applies_on_its_day_and_is_consented_again() {
    let t = target();
    let kind = format!("test_notice_{}", rand_below(1 << 40));
    t.seed(&format!(
        "INSERT INTO terms_documents (kind, version, required, current, title_ko, title_en, text_ko, text_en, position, effective_at)
         VALUES ('{kind}', '2026-01-01', 0, 1, '시험 안내 수신 동의 (선택)', 'Consent to test notices (optional)', '본문', 'Text', 9, '2025-12-31T15:00:00+00:00')"
    ));
    let c = Company::member(t, "client");
    let owner = admin(t, "owner");
    let kst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    let today = chrono::Utc::now().with_timezone(&kst).date_naive();
    let day = |n: u64| (today + chrono::Days::new(n)).to_string();
    let tag = format!("안내 주기 변경 {}", rand_below(1 << 40));
    let body = |on: &str, important: bool| {
        json!({"kind": kind, "title_ko": "시험 안내 수신 동의 (선택)", "title_en": "Consent to test notices (optional)",
               "text_ko": "바뀐 본문", "text_en": "The new text", "summary_ko": tag, "summary_en": "Notices change",
               "effective_on": on, "important": important, "reconsent": true})
    };
    let schedule = |b: &Json| admin_call(t, &owner, "POST", "/admin/terms", b);
    // Too soon: 6 days; an important change needs 30.
    let p = schedule(&body(&day(6), false)).expect(422).json();
    assert_eq!(p["errors"][0]["pointer"], "#/effective_on");
    assert_eq!(p["earliest"], day(7).as_str());
    let p = schedule(&body(&day(29), true)).expect(422).json();
    assert_eq!(p["earliest"], day(30).as_str());
    admin_call(
        t,
        &admin(t, "reviewer"),
        "POST",
        "/admin/terms",
        &body(&day(8), false),
    )
    .expect(403);
    let v = schedule(&body(&day(8), false)).expect(201).json();
    assert_eq!(v["state"], "waiting");
    assert_eq!(v["version"], day(8).as_str());
    schedule(&body(&day(9), false)).expect(409);
    // Announced to the member at once, and on the public terms.
    let notice = format!(
        "SELECT COUNT(*) AS n FROM outbox WHERE id = 'ntc_terms_{kind}_{}_{}'",
        day(8),
        c.member_id
    );
    assert!(eventually(240, || {
        t.background_round();
        count(t, &notice) == 1
    }));
    receiver().wait_for("the change's notice", |got| {
        got.iter()
            .any(|m| same_recipient(&m.to, &c.email) && m.text.contains(&tag))
    });
    let terms = c.call("GET", "/terms", &json!(null)).expect(200).json();
    assert!(terms["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["kind"] == kind.as_str()
            && u["version"] == day(8).as_str()
            && u["reconsent"] == true));
    let state = |c: &Company| {
        c.call("GET", "/member/consents", &json!(null))
            .expect(200)
            .json()["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == kind.as_str())
            .cloned()
            .expect("the document")
    };
    assert_eq!(state(&c)["version"], "2026-01-01");
    assert_eq!(state(&c)["pending"], false);
    // Its day begins at KST midnight: two minutes before, still waiting.
    let starts = domain::kernel::clocks::due_at(today + chrono::Days::new(7));
    let version_state = || {
        admin_call(t, &owner, "GET", "/admin/terms", &json!(null))
            .expect(200)
            .json()["versions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["kind"] == kind.as_str() && v["version"] == day(8).as_str())
            .map(|v| v["state"].clone())
            .expect("listed")
    };
    sweep_ahead(t, (starts - chrono::Utc::now()).num_seconds() - 120);
    assert_eq!(version_state(), "waiting");
    sweep_ahead(t, (starts - chrono::Utc::now()).num_seconds() + 120);
    assert_eq!(version_state(), "current");
    // Consent again, to the version in effect.
    let s = state(&c);
    assert_eq!(s["version"], day(8).as_str());
    assert_eq!(s["pending"], true, "{s}");
    let give = |version: &str| {
        c.call(
            "POST",
            "/member/consents",
            &json!({"kind": kind, "version": version, "accepted": true}),
        )
    };
    let p = give("2026-01-01").expect(422).json();
    assert_eq!(p["errors"][0]["pointer"], "#/version");
    give(&day(8)).expect(200);
    let s = state(&c);
    assert_eq!(s["pending"], false);
    assert_eq!(s["given_version"], day(8).as_str());
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM consents WHERE member_id = '{}' AND document_kind = '{kind}' AND document_version = '{}' AND accepted = 1",
                c.member_id,
                day(8)
            )
        ),
        1
    );
}

/// The identity code of the latest request the desk entered for `c`, as
/// the provider got it at `to` (the member's own mobile or e-mail).
fn identity_code(c: &Company, to: &str) -> String {
    let t = c.t;
    let rows = t.query(&format!(
        "SELECT id, body_enc FROM outbox WHERE member_id = '{}' AND template = 'privacy_code' ORDER BY created_at DESC, rowid DESC LIMIT 1",
        c.member_id
    ));
    let row = rows.first().expect("a code was sent");
    let (id, sealed) = (row.text("id").unwrap(), row.text("body_enc").unwrap());
    let text = t
        .keys()
        .open_at(&domain::kernel::crypto::at("outbox.body", id), sealed)
        .expect("the notice opens");
    receiver().wait_for("the identity code", |got| {
        got.iter()
            .any(|m| m.text.contains(&text) && same_recipient(&m.to, to))
    });
    text.split(|ch: char| !ch.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("six digits")
        .to_owned()
}

/// rule P2: a request that came on paper, by e-mail or by phone is entered
/// by the privacy officer and waits for its requester's identity: a code
/// goes only to a contact point the member has on file (the request names
/// the kind of contact, never an address), its tries are counted before
/// they are compared (40 parallel guesses, 5 compared), nothing is done and
/// nothing but a refusal answers it until the code is read back; then it
/// does what a signed-in request does at once. The clock runs from receipt.
#[test]
fn p2_an_entered_request_is_verified_by_a_code_sent_only_to_a_contact_on_file() {
    let t = target();
    let c = opted_in_to_email(t);
    let officer = admin(t, "privacy_officer");
    let desk = |method: &str, path: &str, body: &Json| admin_call(t, &officer, method, path, body);
    let enter = |body: &Json| desk("POST", "/admin/privacy-requests", body);
    let p = enter(&json!({"member_id": c.member_id, "kind": "marketing_email", "channel": "phone", "code_to": "01099998888"}))
        .expect(422)
        .json();
    assert_eq!(p["errors"][0]["pointer"], "#/code_to");
    let p = enter(&json!({"member_id": "mem_nobody", "kind": "access", "channel": "written", "code_to": "sms"}))
        .expect(422)
        .json();
    assert_eq!(p["errors"][0]["pointer"], "#/member_id");
    let first = enter(&json!({
        "member_id": c.member_id, "kind": "marketing_email", "channel": "phone",
        "details": "전화로 이메일 광고를 그만 받겠다고 하심", "code_to": "sms",
    }))
    .expect(201)
    .json();
    let id = first["request_id"].as_str().unwrap().to_owned();
    assert_eq!(first["state"], "identity_pending");
    assert_eq!(first["channel"], "phone");
    assert_eq!(first["identity"]["code_to"], "sms");
    assert_eq!(first["identity"]["tries_left"], 5);
    assert_eq!(
        first["due_day"],
        tenth_kst_day_after(first["received_at"].as_str().unwrap()).as_str(),
        "rule P3: the clock runs from receipt"
    );
    let clocks = desk("GET", "/admin/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(clock_of(&clocks, &id).is_some());
    // The code went to the member's own mobile, and nowhere else.
    let code = identity_code(&c, &c.mobile);
    let sent = t.query(&format!(
        "SELECT id, recipient_enc FROM outbox WHERE member_id = '{}' AND template = 'privacy_code'",
        c.member_id
    ));
    assert_eq!(sent.len(), 1);
    let to = t
        .keys()
        .open_at(
            &domain::kernel::crypto::at("outbox.recipient", sent[0].text("id").unwrap()),
            sent[0].text("recipient_enc").unwrap(),
        )
        .unwrap();
    assert!(same_recipient(&to, &c.mobile));
    // Nothing is done before the identity is known: not answered, not withdrawn.
    let answer = |body: &Json| {
        desk(
            "POST",
            &format!("/admin/privacy-requests/{id}/answer"),
            body,
        )
    };
    let p = answer(&json!({"revision": 1, "outcome": "completed"}))
        .expect(409)
        .json();
    assert!(p["detail"].as_str().unwrap().contains("본인 확인"), "{p}");
    // One code a minute.
    desk(
        "POST",
        &format!("/admin/privacy-requests/{id}/identity-code"),
        &json!({"code_to": "email"}),
    )
    .expect(429);
    // 40 guesses at once: 5 compared, the rest refused uncompared, and then
    // not even the right code is.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let verify_path = format!("/admin/privacy-requests/{id}/verify");
    let body = json_body(&json!({"code": wrong}));
    let auth = format!("Bearer {officer}");
    let statuses = at_once(t, 40, |t| {
        t.call(
            "POST",
            &verify_path,
            &[JSON, ("authorization", &auth)],
            &body,
        )
        .status
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        5,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 422 || *s == 429),
        "{statuses:?}"
    );
    desk("POST", &verify_path, &json!({"code": code})).expect(429);
    let consented = || {
        count(t, &format!(
            "SELECT accepted AS n FROM consents WHERE member_id = '{}' AND document_kind = 'marketing_email' ORDER BY at DESC, rowid DESC LIMIT 1",
            c.member_id
        ))
    };
    assert_eq!(consented(), 1, "nothing was done");
    // Not verified: the desk may refuse it, with its reason and law.
    answer(&json!({
        "revision": 1, "outcome": "refused",
        "answer": "본인 확인이 되지 않아 처리할 수 없습니다.",
        "legal_basis": "개인정보 보호법 시행령 제46조",
    }))
    .expect(200);
    // Entered again, the code to the e-mail on file: read back, done at once.
    let again = enter(&json!({"member_id": c.member_id, "kind": "marketing_email", "channel": "email", "code_to": "email"}))
        .expect(201)
        .json();
    let id = again["request_id"].as_str().unwrap().to_owned();
    let code = identity_code(&c, &c.email);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let verify_path = format!("/admin/privacy-requests/{id}/verify");
    let p = desk("POST", &verify_path, &json!({"code": wrong}))
        .expect(422)
        .json();
    assert_eq!(p["tries_left"], 4);
    let done = desk("POST", &verify_path, &json!({"code": code}))
        .expect(200)
        .json();
    assert_eq!(done["state"], "completed");
    assert!(done["identity"]["verified_at"].is_string());
    assert_eq!(consented(), 0, "rule P8: withdrawn with the verification");
    desk("POST", &verify_path, &json!({"code": code})).expect(409);
    let clocks = desk("GET", "/admin/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(
        clock_of(&clocks, &id).is_none(),
        "answered: its clock closed"
    );
    // The requester sees it among its own, as entered.
    assert_eq!(find(&mine(&c), &id).expect("listed")["channel"], "email");
    // The desk's queue shows how it was verified, never the code.
    let queue = desk("GET", "/admin/privacy-requests", &json!(null))
        .expect(200)
        .json();
    let queued = find(&queue, &id).expect("queued");
    assert_eq!(queued["identity"]["code_to"], "email");
    assert!(!queue.to_string().contains(&code));
    // Only the desk enters requests.
    admin_call(
        t,
        &admin(t, "reviewer"),
        "POST",
        "/admin/privacy-requests",
        &json!({}),
    )
    .expect(403);
}

/// rule P2: a proxy is named with its relationship and shows a power of
/// attorney, checked by its bytes and kept as its SHA-256; without it the
/// requester's identity is not verified; once verified the person whose
/// data it is is told a proxy acted.
#[test]
fn p2_a_proxy_shows_a_power_of_attorney_and_the_person_is_told() {
    let t = target();
    let c = Company::member(t, "client");
    let officer = admin(t, "privacy_officer");
    let desk = |method: &str, path: &str, body: &Json| admin_call(t, &officer, method, path, body);
    let r = desk(
        "POST",
        "/admin/privacy-requests",
        &json!({
            "member_id": c.member_id, "kind": "correction", "channel": "written",
            "details": "담당자 이메일 변경 요청 (위임장 첨부)", "code_to": "sms",
            "proxy_name": "박대리", "proxy_relationship": "delegate",
        }),
    )
    .expect(201)
    .json();
    let id = r["request_id"].as_str().unwrap().to_owned();
    assert_eq!(r["identity"]["proxy"]["name"], "박대리");
    assert_eq!(r["identity"]["proxy"]["relationship"], "delegate");
    assert!(r["identity"]["proxy"]["document_sha256"].is_null());
    let code = identity_code(&c, &c.mobile);
    let verify_path = format!("/admin/privacy-requests/{id}/verify");
    let p = desk("POST", &verify_path, &json!({"code": code}))
        .expect(409)
        .json();
    assert!(p["detail"].as_str().unwrap().contains("위임장"), "{p}");
    // Typed by its bytes: an executable named like a PDF is refused.
    let poa = format!("/admin/privacy-requests/{id}/power-of-attorney");
    let put = |bytes: &[u8]| {
        t.call(
            "PUT",
            &poa,
            &[
                ("content-type", "application/octet-stream"),
                ("authorization", &format!("Bearer {officer}")),
            ],
            bytes,
        )
    };
    let p = put(b"MZ\x90\x00 poa.pdf").expect(422).json();
    assert_eq!(p["errors"][0]["pointer"], "#/file");
    let pdf = b"%PDF-1.4\n1 0 obj << /Title (power of attorney) >> endobj\n%%EOF\n";
    let attached = put(pdf).expect(200).json();
    let sha = domain::kernel::crypto::sha256_hex(&[pdf]);
    assert_eq!(
        attached["identity"]["proxy"]["document_sha256"],
        sha.as_str()
    );
    assert_eq!(
        attached["identity"]["proxy"]["document_type"],
        "application/pdf"
    );
    let done = desk("POST", &verify_path, &json!({"code": code}))
        .expect(200)
        .json();
    assert_eq!(done["state"], "in_progress");
    // The person is told a proxy acted, by name and relationship.
    receiver().wait_for("the proxy's notice", |got| {
        got.iter().any(|m| {
            same_recipient(&m.to, &c.email)
                && m.text.contains("박대리")
                && m.text.contains("위임받은 대리인")
        })
    });
    // A power of attorney only where a proxy acts, and only while pending.
    put(pdf).expect(409);
}

/// rule P10: a member company's administrator adds contact persons (each
/// invited by e-mail, with a login of its own) who then work in the
/// company's account but manage no contact persons; it removes one who
/// left: the person's name, mobile, e-mail and password are erased at
/// once (P6), its sessions end, its login ID is retired for good, and it
/// is told. Another company cannot touch it.
#[test]
fn p10_an_administrator_adds_contact_persons_and_removes_one_who_left() {
    let t = target();
    let c = Company::member(t, "client");
    let p = c
        .call(
            "POST",
            "/member/contacts",
            &json!({"name": "", "mobile": "02-1", "email": "nope"}),
        )
        .expect(422)
        .json();
    assert_eq!(p["errors"].as_array().unwrap().len(), 3, "{p}");
    let person = c.add_person();
    let list = c
        .call("GET", "/member/contacts", &json!(null))
        .expect(200)
        .json();
    assert_eq!(list["administrator"]["administrator"], true);
    assert_eq!(list["administrator"]["email"], c.email.as_str());
    let listed = list["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == person.person_id.as_str())
        .expect("listed")
        .clone();
    assert_eq!(listed["state"], "active");
    assert_eq!(listed["email"], person.email.as_str());
    assert_eq!(listed["login_id"], person.login_id.as_str());
    // The same address twice is one person.
    c.call(
        "POST",
        "/member/contacts",
        &json!({"name": "같은 사람", "mobile": "010-1111-2222", "email": person.email}),
    )
    .expect(409);
    // The person works in the company's account...
    let me = person
        .call("GET", "/auth/me", &json!(null))
        .expect(200)
        .json();
    assert_eq!(me["member_id"], c.member_id.as_str());
    assert_eq!(me["administrator"], false);
    // Its own contact, not the administrator's.
    assert_eq!(me["email"], person.email.as_str());
    assert_eq!(me["login_id"], person.login_id.as_str());
    assert_eq!(
        c.call("GET", "/auth/me", &json!(null)).expect(200).json()["administrator"],
        true
    );
    person
        .call("GET", "/member/privacy-requests", &json!(null))
        .expect(200);
    // ...and manages no contact persons: refused before anything is read.
    let refused = person
        .call("GET", "/member/contacts", &json!(null))
        .expect(403);
    assert_eq!(refused.round_trips(), 0);
    person
        .call(
            "DELETE",
            &format!("/member/contacts/{}", person.person_id),
            &json!(null),
        )
        .expect(403);
    // Another company's administrator does not find it.
    Company::member(t, "client")
        .call(
            "DELETE",
            &format!("/member/contacts/{}", person.person_id),
            &json!(null),
        )
        .expect(404);
    // Removed: what was erased, what is kept and why.
    let removed = c
        .call(
            "DELETE",
            &format!("/member/contacts/{}", person.person_id),
            &json!(null),
        )
        .expect(200)
        .json();
    assert_eq!(removed["state"], "removed");
    assert_eq!(
        removed["erased"],
        json!(["name", "mobile", "email", "password"])
    );
    assert!(removed["kept"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["field"] == "login_id"));
    // Its session ended, it cannot sign in again, nobody takes its ID.
    person.call("GET", "/auth/me", &json!(null)).expect(401);
    t.call(
        "POST",
        "/auth/login",
        &[JSON],
        &json_body(&json!({"login_id": person.login_id, "password": person.password})),
    )
    .expect(401);
    let next = Applicant::start(t);
    let mut body = next.contact_body();
    body["login_id"] = json!(person.login_id);
    next.call("PUT", "/signup/contact", &body).expect(409);
    // Erased in the database, not hidden.
    assert_eq!(
        count(t, &format!(
            "SELECT COUNT(*) AS n FROM contact_persons WHERE id = '{}' AND name_enc IS NULL AND phone_enc IS NULL
               AND email_enc IS NULL AND email_bidx IS NULL AND password_hash IS NULL AND login_id IS NULL",
            person.person_id
        )),
        1
    );
    let list = c
        .call("GET", "/member/contacts", &json!(null))
        .expect(200)
        .json();
    let gone = list["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == person.person_id.as_str())
        .expect("still listed as removed")
        .clone();
    assert!(gone["name"].is_null() && gone["email"].is_null(), "{gone}");
    // Told, at the address that was then erased.
    receiver().wait_for("the removal's notice", |got| {
        got.iter()
            .any(|m| same_recipient(&m.to, &person.email) && m.text.contains(&person.login_id))
    });
    c.call(
        "DELETE",
        &format!("/member/contacts/{}", person.person_id),
        &json!(null),
    )
    .expect(409);
}

/// rule P10: an invitation works once and for 72 hours.
#[test]
fn p10_an_invitation_works_once_and_for_72_hours() {
    let t = target();
    let c = Company::member(t, "partner");
    let email = "late.person@example.kr";
    let added = c
        .call(
            "POST",
            "/member/contacts",
            &json!({"name": "늦은 담당자", "mobile": "010-3333-4444", "email": email}),
        )
        .expect(201)
        .json();
    assert_eq!(added["state"], "invited");
    let token = c.invitation_token(email);
    let accept = |login: &str| {
        t.call(
            "POST",
            "/contacts/accept",
            &[JSON],
            &json_body(&json!({"token": token, "login_id": login, "password": "a long passphrase 12", "password_confirm": "a long passphrase 12"})),
        )
    };
    t.seed(&format!(
        "UPDATE contact_persons SET invite_expires_at = '2020-01-01T00:00:00+00:00' WHERE id = '{}'",
        added["person_id"].as_str().unwrap()
    ));
    accept("late01").expect(410);
    t.seed(&format!(
        "UPDATE contact_persons SET invite_expires_at = '2099-01-01T00:00:00+00:00' WHERE id = '{}'",
        added["person_id"].as_str().unwrap()
    ));
    accept("late01").expect(200);
    accept("late02").expect(404);
}
