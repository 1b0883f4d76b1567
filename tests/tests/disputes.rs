//! Disputes on contracts (rules D1–D5, D7), end to end: stage 1's
//! objection and answer clock, settlement offers applied to the contract.

use e2e::receiver::same_recipient;
use e2e::*;
use serde_json::{json, Value as Json};
use sha2::Digest;

/// Tests that move the sweep's clock take this: a moved clock flags
/// another test's disputes before that test looks.
static SWEEP_CLOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn raise(c: &Company, contract: &str, claim: &str) -> Reply {
    c.call(
        "POST",
        &format!("/member/contracts/{contract}/disputes"),
        &json!({"claim": claim, "relief": "범위대로 다시 납품해 주세요"}),
    )
}

fn path(case: &Json) -> String {
    format!(
        "/member/contracts/{}/disputes/{}",
        case["contract_id"].as_str().expect("contract"),
        case["dispute_id"].as_str().expect("dispute")
    )
}

fn view(c: &Company, case: &Json) -> Json {
    c.call("GET", &path(case), &json!(null)).expect(200).json()
}

fn write(c: &Company, case: &Json, body: &str) -> Reply {
    c.call(
        "POST",
        &format!("{}/messages", path(case)),
        &json!({ "body": body }),
    )
}

fn offer(c: &Company, case: &Json, terms: &Json) -> Reply {
    c.call("POST", &format!("{}/offers", path(case)), terms)
}

fn answer(c: &Company, case: &Json, offer_id: &Json, answer: &str) -> Reply {
    c.call(
        "POST",
        &format!(
            "{}/offers/{}",
            path(case),
            offer_id.as_str().expect("offer")
        ),
        &json!({ "answer": answer }),
    )
}

fn contract(c: &Company, id: &str) -> Json {
    c.call("GET", &format!("/member/contracts/{id}"), &json!(null))
        .expect(200)
        .json()
}

/// The first instant after the 7th KST calendar day after `at`'s day.
fn seven_kst_days_after(at: &str) -> chrono::DateTime<chrono::Utc> {
    let kst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    let day = chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .with_timezone(&kst)
        .date_naive()
        + chrono::Days::new(8);
    day.and_hms_opt(0, 0, 0)
        .unwrap()
        .and_local_timezone(kst)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

#[test]
fn d1_an_objection_in_writing_is_answered_by_the_other_party_and_every_message_is_kept() {
    let _clock = SWEEP_CLOCK.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    let d = deal("design");
    // Not on a draft: nothing is agreed yet.
    let early = deal("design");
    let draft = drafted(&early);
    raise(&early.client, &draft, "초안이 마음에 들지 않음").expect(409);
    let id = formed_contract(&d);
    // Only a party raises one; a stranger learns nothing of the contract.
    let stranger = Company::member(t, "client");
    raise(&stranger, &id, "남의 계약").expect(404);
    // In writing: both texts, screened like every text the other party reads.
    let bad = d
        .client
        .call(
            "POST",
            &format!("/member/contracts/{id}/disputes"),
            &json!({"claim": " "}),
        )
        .expect(422);
    assert_eq!(bad.pointers(), ["#/claim", "#/relief"]);
    let held = raise(&d.client, &id, "연락 주세요 010-9876-5432").expect(422);
    assert_eq!(held.pointers(), ["#/claim"]);
    let case = raise(&d.client, &id, "도면 일부가 시방서와 다릅니다")
        .expect(201)
        .json();
    assert_eq!(case["stage"], "negotiation");
    assert_eq!(case["raised_by"], d.client.member_id.as_str());
    assert_eq!(case["respondent_id"], d.partner.member_id.as_str());
    assert_eq!(case["claim"], "도면 일부가 시방서와 다릅니다");
    assert_eq!(case["retention_class"], "dispute_3y");
    assert_eq!(case["can_escalate"], false);
    // The answer is due by the end of the 7th KST day after today.
    let due = chrono::DateTime::parse_from_rfc3339(case["answer_by"].as_str().unwrap()).unwrap();
    assert_eq!(
        due,
        seven_kst_days_after(case["created_at"].as_str().unwrap())
    );
    // One open dispute per contract.
    raise(&d.partner, &id, "반대 이의").expect(409);
    // The respondent hears of it with the link and its deadline, by text
    // message too (it starts a deadline for it).
    let link = format!("/app/#/contracts/{id}/disputes/");
    receiver().wait_for("the dispute's notices", |got| {
        let mine = |ch: &str| {
            got.iter().any(|m| {
                m.channel == ch
                    && (same_recipient(&m.to, &d.partner.email)
                        || same_recipient(&m.to, &d.partner.mobile))
                    && m.text.contains(&link)
            })
        };
        mine("email") && mine("sms")
    });
    // On the respondent's open deadlines, as the one who must act.
    let clocks = d
        .partner
        .call("GET", "/member/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(
        clocks["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kind"] == "dispute_answer"
                && k["subject"] == case["dispute_id"]
                && k["yours"] == true),
        "{clocks}"
    );
    // The raiser writing again does not answer it; the respondent's first
    // message does.
    let r = write(&d.client, &case, "사진을 첨부합니다")
        .expect(201)
        .json();
    assert_eq!(r["answered_at"], json!(null));
    write(&d.partner, &case, "연락처 010-1111-2222").expect(422);
    let r = write(&d.partner, &case, "수정본을 보내겠습니다")
        .expect(201)
        .json();
    assert!(r["answered_at"].is_string());
    assert_eq!(r["can_escalate"], true, "answered: stage 1 may now fail");
    let bodies: Vec<&str> = r["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["사진을 첨부합니다", "수정본을 보내겠습니다"]);
    assert_eq!(r["messages"][1]["author_role"], "partner");
    // The answer met the clock.
    let met = t.query(&format!(
        "SELECT state FROM clocks WHERE kind = 'dispute_answer' AND subject = '{}'",
        case["dispute_id"].as_str().unwrap()
    ));
    assert_eq!(met[0].text("state"), Some("met"));
    // Kept as written, and sealed at rest (no word of it in the database).
    let stored = t.query(&format!(
        "SELECT d.claim, m.body FROM disputes d JOIN dispute_messages m ON m.dispute_id = d.id WHERE d.id = '{}'",
        case["dispute_id"].as_str().unwrap()
    ));
    assert_eq!(stored.len(), 2);
    for row in &stored {
        for col in ["claim", "body"] {
            let v = row.text(col).unwrap();
            assert!(
                !v.contains("도면") && !v.contains("사진") && !v.contains("수정본"),
                "{col} stored plain: {v}"
            );
        }
    }
    // Both parties see the same case; the list shows it.
    assert_eq!(view(&d.partner, &case)["messages"], r["messages"]);
    d.partner
        .call("GET", &path(&case), &json!(null))
        .expect(200);
    stranger.call("GET", &path(&case), &json!(null)).expect(404);
    write(&stranger, &case, "끼어들기").expect(404);
    let list = d
        .partner
        .call("GET", "/member/disputes", &json!(null))
        .expect(200)
        .json();
    assert!(list["disputes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["dispute_id"] == case["dispute_id"] && x["stage"] == "negotiation"));
    // The contract's history records it.
    let c = contract(&d.client, &id);
    assert!(c["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["action"] == "dispute.raised" && h["detail"] == case["dispute_id"]));
}

#[test]
fn d1_an_answer_not_given_by_the_7th_kst_day_is_flagged_to_both() {
    let _clock = SWEEP_CLOCK.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    let d = deal("manufacturing");
    let id = formed_contract(&d);
    let case = raise(&d.partner, &id, "대금이 지급되지 않았습니다")
        .expect(201)
        .json();
    let dispute = case["dispute_id"].as_str().unwrap().to_owned();
    let due = chrono::DateTime::parse_from_rfc3339(case["answer_by"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let flagged = |t: &dyn Target| {
        t.query(&format!(
            "SELECT flagged_at FROM disputes WHERE id = '{dispute}'"
        ))[0]
            .text("flagged_at")
            .map(str::to_owned)
    };
    // KST day edge: a second before the 7th KST day ends, not overdue …
    let to_edge = (due - chrono::Utc::now()).num_seconds();
    sweep_ahead(t, to_edge - 60);
    assert_eq!(flagged(t), None);
    assert_eq!(view(&d.client, &case)["can_escalate"], false);
    // … after it, flagged once, on the case and the contract's history,
    // to both parties by e-mail; from then either may escalate.
    sweep_ahead(t, to_edge + 60);
    let at = flagged(t).expect("flagged");
    sweep_ahead(t, to_edge + 3_600);
    assert_eq!(flagged(t).as_deref(), Some(at.as_str()), "flagged once");
    let r = view(&d.client, &case);
    assert_eq!(r["flagged_at"], json!(at));
    assert_eq!(r["can_escalate"], true);
    assert!(contract(&d.partner, &id)["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["action"] == "dispute.answer_overdue" && h["actor"] == "system"));
    for who in [&d.client, &d.partner] {
        receiver().wait_for("the overdue dispute's notice", |got| {
            got.iter().any(|m| {
                same_recipient(&m.to, &who.email) && m.subject.contains("답이 없는 계약 분쟁")
            })
        });
    }
    // Still open on the deadlines, flagged, until the respondent answers.
    let clocks = d
        .client
        .call("GET", "/member/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(clocks["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["subject"] == dispute.as_str() && k["fired_at"].is_string()));
    // The mediators watch it (and the reviewers do not).
    let seen = |role: &str| {
        admin_call(t, &admin(t, role), "GET", "/admin/clocks", &json!(null))
            .expect(200)
            .json()["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["subject"] == dispute.as_str())
    };
    assert!(seen("mediator"));
    assert!(!seen("reviewer"));
    // The raiser writing again meets nothing; the respondent's answer,
    // late, meets it.
    let clock = |t: &dyn Target| {
        t.query(&format!(
            "SELECT state FROM clocks WHERE kind = 'dispute_answer' AND subject = '{dispute}'"
        ))[0]
            .text("state")
            .map(str::to_owned)
    };
    write(&d.partner, &case, "답을 기다립니다").expect(201);
    assert_eq!(clock(t).as_deref(), Some("open"));
    write(&d.client, &case, "늦었지만 답합니다").expect(201);
    assert_eq!(clock(t).as_deref(), Some("met"));
}

#[test]
fn d1_an_accepted_offer_settles_the_dispute_and_amends_the_contract_on_both() {
    let d = deal("software");
    let id = formed_contract(&d);
    let before = contract(&d.client, &id);
    let amount = before["versions"][0]["amount_krw"].as_i64().unwrap();
    let case = raise(&d.client, &id, "로그인 기능이 동작하지 않습니다")
        .expect(201)
        .json();
    // Terms, not all or nothing: each kind with what it needs.
    let bad = offer(&d.partner, &case, &json!({"kind": "redo"})).expect(422);
    assert_eq!(bad.pointers(), ["#/scope", "#/due_date"]);
    offer(
        &d.partner,
        &case,
        &json!({"kind": "due_date", "due_date": "2001-01-01"}),
    )
    .expect(422);
    let r = offer(
        &d.partner,
        &case,
        &json!({"kind": "amount", "amount_krw": amount - 2_000_000, "note": "일부 감액으로 정리합시다"}),
    )
    .expect(201)
    .json();
    let first = r["offers"][0].clone();
    assert_eq!(first["state"], "open");
    assert!(
        r["answered_at"].is_string(),
        "an offer answers the objection"
    );
    // One open offer per party; only the addressee answers it.
    offer(&d.partner, &case, &json!({"kind": "cancel"})).expect(409);
    answer(&d.partner, &case, &first["offer_id"], "accept").expect(403);
    let r = answer(&d.client, &case, &first["offer_id"], "decline")
        .expect(200)
        .json();
    assert_eq!(r["offers"][0]["state"], "declined");
    assert_eq!(r["stage"], "negotiation");
    // The client proposes a redo by a date instead; the partner accepts.
    let r = offer(
        &d.client,
        &case,
        &json!({"kind": "redo", "scope": "로그인 화면과 비밀번호 찾기", "due_date": "2099-04-30"}),
    )
    .expect(201)
    .json();
    let redo = r["offers"][1].clone();
    assert_eq!(redo["scope"], "로그인 화면과 비밀번호 찾기");
    let r = answer(&d.partner, &case, &redo["offer_id"], "accept")
        .expect(200)
        .json();
    assert_eq!(r["stage"], "settled");
    assert_eq!(r["settled_offer"], redo["offer_id"]);
    assert_eq!(r["offers"][1]["state"], "accepted");
    assert_eq!(r["offers"][1]["number"], 2);
    assert_eq!(r["contract"]["formed_version"], 2);
    assert_eq!(r["contract"]["due_date"], "2099-04-30");
    // On the contract: version 2, the offer's terms, confirmed by both
    // (its author with the offer), in force at once; history names the
    // dispute.
    let c = contract(&d.partner, &id);
    assert_eq!(c["formed_version"], 2);
    assert_eq!(c["state"], "in_progress");
    let v2 = &c["versions"][1];
    assert_eq!(v2["author_id"], d.client.member_id.as_str());
    assert_eq!(v2["due_date"], "2099-04-30");
    assert_eq!(v2["amount_krw"], amount, "a redo keeps the amount");
    assert!(v2["scope"]
        .as_str()
        .unwrap()
        .ends_with("] 로그인 화면과 비밀번호 찾기"));
    for who in [&d.client, &d.partner] {
        assert!(c["confirmations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["number"] == 2
                && k["member_id"] == who.member_id.as_str()
                && k["sha256"] == v2["sha256"]));
    }
    let history = c["history"].as_array().unwrap();
    assert!(history.iter().any(|h| h["action"] == "contract.amended"
        && h["detail"]
            .as_str()
            .unwrap()
            .contains(case["dispute_id"].as_str().unwrap())));
    assert!(history.iter().any(|h| h["action"] == "dispute.settled"));
    // Over: nothing more is written on it.
    write(&d.client, &case, "감사합니다").expect(409);
    offer(&d.client, &case, &json!({"kind": "cancel"})).expect(409);
    // A new dispute may be raised on the contract again.
    raise(&d.partner, &id, "재작업 범위에 대한 이견").expect(201);
}

#[test]
fn d1_c6_an_accepted_cancellation_offer_cancels_the_contract_with_cause_dispute() {
    let d = deal("design");
    let id = formed_contract(&d);
    let case = raise(&d.partner, &id, "요구사항이 계속 바뀝니다")
        .expect(201)
        .json();
    let r = offer(
        &d.partner,
        &case,
        &json!({"kind": "cancel", "note": "합의 해지합시다"}),
    )
    .expect(201)
    .json();
    let o = r["offers"][0]["offer_id"].clone();
    // Its author may take it back, then make it again.
    answer(&d.partner, &case, &o, "withdraw").expect(200);
    answer(&d.client, &case, &o, "accept").expect(409);
    let r = offer(&d.partner, &case, &json!({"kind": "cancel"}))
        .expect(201)
        .json();
    let o = r["offers"][1]["offer_id"].clone();
    let r = answer(&d.client, &case, &o, "accept").expect(200).json();
    assert_eq!(r["stage"], "settled");
    assert_eq!(r["contract"]["state"], "cancelled");
    let c = contract(&d.client, &id);
    assert_eq!(c["state"], "cancelled");
    assert_eq!(c["cancel_cause"], "dispute", "C6: a dispute's outcome");
    assert!(c["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["action"] == "contract.cancelled"
            && h["detail"].as_str().unwrap().contains(o.as_str().unwrap())));
    // The partner hears of the settlement.
    receiver().wait_for("the settlement's notice", |got| {
        got.iter().any(|m| {
            same_recipient(&m.to, &d.partner.email) && m.text.contains("합의 제안을 받아들였습니다")
        })
    });
}

/// Two changes made on the same state of a dispute: an offer accepted and
/// withdrawn at once, exactly one wins; the other gets 409 and wrote nothing.
#[test]
fn d1_an_acceptance_racing_a_withdrawal_one_wins() {
    let d = deal("consulting");
    let id = formed_contract(&d);
    let case = raise(&d.client, &id, "검수 기준에 대한 이견")
        .expect(201)
        .json();
    for round in 0..4 {
        let r = offer(
            &d.partner,
            &case,
            &json!({"kind": "due_date", "due_date": format!("2099-0{}-15", round + 1)}),
        )
        .expect(201)
        .json();
        let o = r["offers"].as_array().unwrap().last().unwrap()["offer_id"].clone();
        let (a, w) = std::thread::scope(|s| {
            let accept = s.spawn(|| answer(&d.client, &case, &o, "accept").status);
            let withdraw = s.spawn(|| answer(&d.partner, &case, &o, "withdraw").status);
            (accept.join().unwrap(), withdraw.join().unwrap())
        });
        assert!(
            (a == 200) != (w == 200) && (a == 409 || w == 409),
            "round {round}: accept {a}, withdraw {w}"
        );
        let now = view(&d.client, &case);
        if a == 200 {
            assert_eq!(now["stage"], "settled");
            assert_eq!(contract(&d.client, &id)["formed_version"], 2);
            return;
        }
        assert_eq!(now["stage"], "negotiation");
        assert_eq!(
            contract(&d.client, &id)["formed_version"],
            1,
            "nothing half-done"
        );
    }
}

/// rule D5: a member a mediator restricted for abusing the process raises
/// no new dispute until the restriction's last day has passed, and is told
/// until when and why; nothing else changes for it (its ranking neither).
/// rule D4: it objects to the restriction; an owner answers within 15 KST
/// days.
#[test]
fn d5_d4_a_restricted_member_raises_no_dispute_until_its_day_and_may_object() {
    let t = target();
    let d = deal("design");
    let id = formed_contract(&d);
    let today = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap())
        .date_naive();
    let until = (today + chrono::Days::new(1)).to_string();
    let (mediator_token, _) = mediator(t);
    let restrict = |body: &Json| {
        admin_call(
            t,
            &mediator_token,
            "POST",
            &format!("/admin/members/{}/dispute-restriction", d.partner.member_id),
            body,
        )
    };
    restrict(&json!({"reason": "반복된 근거 없는 이의", "until_day": "2001-01-01"})).expect(422);
    let points = |t: &dyn Target| {
        t.query(&format!(
            "SELECT points FROM match_index WHERE member_id = '{}' ORDER BY category",
            d.partner.member_id
        ))
    };
    let ranked = points(t);
    let r = restrict(&json!({"reason": "반복된 근거 없는 이의", "until_day": until}))
        .expect(201)
        .json();
    let restriction = r["restriction_id"].as_str().unwrap().to_owned();
    receiver().wait_for("the restriction's notice", |got| {
        got.iter().any(|m| {
            same_recipient(&m.to, &d.partner.email)
                && m.text.contains("반복된 근거 없는 이의")
                && m.text.contains(&until)
        })
    });
    let refused = raise(&d.partner, &id, "또 이의").expect(403);
    let p = refused.json();
    assert_eq!(p["until"], json!(until));
    assert!(p["detail"].as_str().unwrap().contains("제한"), "{p}");
    assert!(t
        .query(&format!(
            "SELECT id FROM disputes WHERE contract_id = '{id}'"
        ))
        .is_empty());
    assert_eq!(points(t), ranked, "nothing lowers its ranking");
    // D4: the member objects to it; an owner answers within 15 KST days.
    let o = d
        .partner
        .call(
            "POST",
            "/member/objections",
            &json!({"restriction_id": restriction, "text": "이의 제기는 정당했습니다"}),
        )
        .expect(201)
        .json();
    let due = chrono::DateTime::parse_from_rfc3339(o["due_by"].as_str().unwrap()).unwrap();
    assert_eq!(
        due,
        seven_kst_days_after(o["created_at"].as_str().unwrap()) + chrono::Duration::days(8)
    );
    d.client
        .call(
            "POST",
            "/member/objections",
            &json!({"restriction_id": restriction, "text": "남의 제한"}),
        )
        .expect(422);
    let owner = admin(t, "owner");
    let open = admin_call(t, &owner, "GET", "/admin/objections", &json!(null))
        .expect(200)
        .json();
    assert!(
        open["objections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["objection_id"] == o["objection_id"]
                && x["text"] == "이의 제기는 정당했습니다")
    );
    let url = format!("/admin/objections/{}", o["objection_id"].as_str().unwrap());
    admin_call(t, &mediator_token, "POST", &url, &json!({"answer": "x"})).expect(403);
    let answered = admin_call(
        t,
        &owner,
        "POST",
        &url,
        &json!({"answer": "기록을 검토했고 제한을 유지합니다"}),
    )
    .expect(200)
    .json();
    assert!(answered["answered_at"].is_string());
    admin_call(t, &owner, "POST", &url, &json!({"answer": "다시"})).expect(409);
    let mine = d
        .partner
        .call("GET", "/member/objections", &json!(null))
        .expect(200)
        .json();
    assert_eq!(
        mine["objections"][0]["answer"],
        "기록을 검토했고 제한을 유지합니다"
    );
    let met = t.query(&format!(
        "SELECT state FROM clocks WHERE kind = 'platform_objection' AND subject = '{}'",
        o["objection_id"].as_str().unwrap()
    ));
    assert_eq!(met[0].text("state"), Some("met"));
    // A restriction whose last day has passed refuses nothing (its day,
    // moved back, as if the days had passed).
    t.seed(&format!(
        "UPDATE dispute_restrictions SET until_day = '{}' WHERE id = '{restriction}'",
        today - chrono::Days::new(1)
    ));
    raise(&d.partner, &id, "납기 지연").expect(201);
}

/// A mediator of its own: its session and its admin id.
fn mediator(t: &'static dyn Target) -> (String, String) {
    let (login, pw) = admin_account(t, "mediator");
    let token = t
        .call(
            "POST",
            "/admin/login",
            &[JSON],
            &json_body(&json!({"login_id": login, "password": pw})),
        )
        .expect(200)
        .json()["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let id = t.query(&format!("SELECT id FROM admins WHERE login_id = '{login}'"))[0]
        .text("id")
        .expect("id")
        .to_owned();
    (token, id)
}

fn staff_path(case: &Json) -> String {
    path(case).replacen("/member/", "/admin/", 1)
}

/// A dispute the respondent answered: ready to escalate.
fn answered_case(d: &Deal, contract: &str) -> Json {
    let case = raise(&d.client, contract, "디자인 시안이 계약 범위와 다릅니다")
        .expect(201)
        .json();
    write(&d.partner, &case, "범위 안이라고 봅니다").expect(201);
    case
}

fn escalate(c: &Company, case: &Json) -> Reply {
    c.call("POST", &format!("{}/escalation", path(case)), &json!(null))
}

#[test]
fn d2_a_failed_negotiation_goes_to_a_mediator_whose_opinion_both_parties_accept() {
    let t = target();
    let d = deal("design");
    let id = formed_contract(&d);
    let amount = contract(&d.client, &id)["versions"][0]["amount_krw"]
        .as_i64()
        .unwrap();
    // Not before stage 1 failed: the respondent has 7 KST days to answer.
    let case = raise(&d.client, &id, "디자인 시안이 계약 범위와 다릅니다")
        .expect(201)
        .json();
    let early = escalate(&d.client, &case).expect(409).json();
    assert_eq!(early["answer_by"], case["answer_by"]);
    write(&d.partner, &case, "범위 안이라고 봅니다").expect(201);
    // Answered, no settlement: either party escalates. The case is frozen.
    let before = view(&d.partner, &case);
    let r = escalate(&d.partner, &case).expect(200).json();
    assert_eq!(r["stage"], "mediation");
    let m = &r["mediation"];
    assert_eq!(m["escalated_by"], d.partner.member_id.as_str());
    let escalated = m["escalated_at"].as_str().unwrap();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(m["opinion_due"].as_str().unwrap()).unwrap(),
        fifteen_kst_days_after(escalated),
        "the opinion is due by the end of the 15th KST day"
    );
    escalate(&d.client, &case).expect(409);
    // Both parties see exactly what the mediator was given, by its hash.
    let hash = m["frozen_sha256"].as_str().unwrap().to_owned();
    for party in [&d.client, &d.partner] {
        let f = party
            .call("GET", &format!("{}/frozen", path(&case)), &json!(null))
            .expect(200)
            .json();
        assert_eq!(f["sha256"], hash.as_str());
        let text = f["text"].as_str().unwrap();
        assert_eq!(format!("{:x}", sha2::Sha256::digest(text.as_bytes())), hash);
        let frozen: Json = serde_json::from_str(text).unwrap();
        assert_eq!(frozen["stage"], "negotiation");
        assert_eq!(frozen["messages"], before["messages"]);
    }
    // An owner assigns our mediator; another mediator sees nothing of it.
    let (token, me) = mediator(t);
    let (other, _) = mediator(t);
    let owner = admin(t, "owner");
    let assigned = admin_call(
        t,
        &owner,
        "PUT",
        &format!("{}/mediator", staff_path(&case)),
        &json!({"mediator_id": me}),
    )
    .expect(200)
    .json();
    assert_eq!(assigned["mediation"]["mediator_id"], me.as_str());
    admin_call(
        t,
        &owner,
        "PUT",
        &format!("{}/mediator", staff_path(&case)),
        &json!({"mediator_id": "adm_nobody"}),
    )
    .expect(422);
    admin_call(t, &other, "GET", &staff_path(&case), &json!(null)).expect(404);
    let queue = admin_call(t, &token, "GET", "/admin/disputes", &json!(null))
        .expect(200)
        .json();
    assert!(queue["disputes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["dispute_id"] == case["dispute_id"]));
    let seen = admin_call(t, &token, "GET", &staff_path(&case), &json!(null))
        .expect(200)
        .json();
    assert_eq!(seen["claim"], case["claim"]);
    // Every read by staff is logged for both parties (A3).
    for party in [&d.client, &d.partner] {
        let logged = t.query(&format!(
            "SELECT what FROM access_log WHERE admin_id = '{me}' AND subject = '{}'",
            party.member_id
        ));
        assert!(
            logged
                .iter()
                .any(|r| r.text("what") == Some("dispute.read_case")),
            "{logged:?}"
        );
    }
    // Material from the partner by a day; its next message answers it.
    let r = admin_call(
        t,
        &token,
        "POST",
        &format!("{}/material", staff_path(&case)),
        &json!({"party": "partner", "what": "최종 시안 원본 파일", "due_date": "2099-01-10"}),
    )
    .expect(200)
    .json();
    let asked = r["mediation"]["material"][0].clone();
    assert_eq!(asked["to_id"], d.partner.member_id.as_str());
    let yours = d
        .partner
        .call("GET", "/member/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(yours["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["kind"] == "dispute_material"
            && k["subject"] == asked["request_id"]
            && k["yours"] == true));
    let r = write(&d.partner, &case, "원본 파일 목록을 보냅니다")
        .expect(201)
        .json();
    assert!(r["mediation"]["material"][0]["answered_at"].is_string());
    // The opinion: facts, the clauses, an outcome, reasons — once, by the
    // assigned mediator only.
    let opinion = json!({
        "facts": "시안 3건 중 1건이 범위 밖입니다",
        "clauses": ["제1조 작업 범위", "제3조 검수"],
        "outcome": "amount",
        "amount_krw": amount - 1_000_000,
        "reasons": "범위 밖 작업분을 감액합니다"
    });
    admin_call(
        t,
        &other,
        "POST",
        &format!("{}/opinion", staff_path(&case)),
        &opinion,
    )
    .expect(404);
    let bad = admin_call(
        t,
        &token,
        "POST",
        &format!("{}/opinion", staff_path(&case)),
        &json!({"facts": "x", "clauses": [], "outcome": "amount", "reasons": "y"}),
    )
    .expect(422);
    assert_eq!(bad.pointers(), ["#/clauses", "#/amount_krw"]);
    let r = admin_call(
        t,
        &token,
        "POST",
        &format!("{}/opinion", staff_path(&case)),
        &opinion,
    )
    .expect(200)
    .json();
    let o = &r["mediation"]["opinion"];
    assert_eq!(o["outcome"], "amount");
    assert_eq!(o["clauses"], json!(["제1조 작업 범위", "제3조 검수"]));
    admin_call(
        t,
        &token,
        "POST",
        &format!("{}/opinion", staff_path(&case)),
        &opinion,
    )
    .expect(409);
    let met = t.query(&format!(
        "SELECT state FROM clocks WHERE kind = 'dispute_opinion' AND subject = '{}'",
        case["dispute_id"].as_str().unwrap()
    ));
    assert_eq!(met[0].text("state"), Some("met"));
    // Each party accepts it; with both, it applies to the contract.
    let accept = |c: &Company| c.call("POST", &format!("{}/opinion", path(&case)), &json!(null));
    let r = accept(&d.client).expect(200).json();
    assert_eq!(r["stage"], "mediation");
    assert_eq!(contract(&d.client, &id)["formed_version"], 1);
    accept(&d.client).expect(409);
    let r = accept(&d.partner).expect(200).json();
    assert_eq!(r["stage"], "settled");
    let c = contract(&d.partner, &id);
    assert_eq!(c["formed_version"], 2);
    assert_eq!(c["versions"][1]["amount_krw"], amount - 1_000_000);
}

/// The first instant after the 15th KST calendar day after `at`'s day.
fn fifteen_kst_days_after(at: &str) -> chrono::DateTime<chrono::Utc> {
    seven_kst_days_after(at) + chrono::Duration::days(8)
}

#[test]
fn d2_an_opinion_not_given_in_15_kst_days_is_flagged_to_both_parties_and_owners() {
    let _clock = SWEEP_CLOCK.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    let d = deal("manufacturing");
    let id = formed_contract(&d);
    let case = answered_case(&d, &id);
    let r = escalate(&d.client, &case).expect(200).json();
    let dispute = case["dispute_id"].as_str().unwrap().to_owned();
    let due = chrono::DateTime::parse_from_rfc3339(r["mediation"]["opinion_due"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let flagged = |t: &dyn Target| {
        t.query(&format!(
            "SELECT opinion_flagged_at FROM disputes WHERE id = '{dispute}'"
        ))[0]
            .text("opinion_flagged_at")
            .map(str::to_owned)
    };
    let to_edge = (due - chrono::Utc::now()).num_seconds();
    sweep_ahead(t, to_edge - 60);
    assert_eq!(flagged(t), None, "not before the 15th KST day ends");
    sweep_ahead(t, to_edge + 60);
    assert!(flagged(t).is_some());
    let r = view(&d.partner, &case);
    assert!(r["mediation"]["opinion_flagged_at"].is_string());
    for who in [&d.client, &d.partner] {
        receiver().wait_for("the overdue opinion's notice", |got| {
            got.iter().any(|m| {
                same_recipient(&m.to, &who.email) && m.subject.contains("기한이 지난 분쟁 조정")
            })
        });
    }
    // Owners see it flagged among the open deadlines.
    let owner = admin(t, "owner");
    let clocks = admin_call(t, &owner, "GET", "/admin/clocks", &json!(null))
        .expect(200)
        .json();
    assert!(clocks["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["kind"] == "dispute_opinion"
            && k["subject"] == dispute.as_str()
            && k["fired_at"].is_string()));
}

/// The race: an escalation and a settlement's acceptance made on
/// the same state; exactly one wins whatever the order (the escalation
/// lapses open offers; a settled dispute is not escalated).
#[test]
fn d2_an_escalation_racing_a_settlement_acceptance_one_wins() {
    for round in 0..4 {
        let d = deal("consulting");
        let id = formed_contract(&d);
        let case = raise(&d.client, &id, "검수 기준에 대한 이견")
            .expect(201)
            .json();
        let r = offer(&d.partner, &case, &json!({"kind": "cancel"}))
            .expect(201)
            .json();
        let o = r["offers"][0]["offer_id"].clone();
        let (a, e) = std::thread::scope(|s| {
            let accept = s.spawn(|| answer(&d.client, &case, &o, "accept").status);
            let escalation = s.spawn(|| escalate(&d.partner, &case).status);
            (accept.join().unwrap(), escalation.join().unwrap())
        });
        assert!(
            (a == 200) != (e == 200) && (a == 409 || e == 409),
            "round {round}: accept {a}, escalate {e}"
        );
        let now = view(&d.client, &case);
        let c = contract(&d.client, &id);
        if a == 200 {
            assert_eq!(now["stage"], "settled");
            assert_eq!(c["state"], "cancelled");
        } else {
            assert_eq!(now["stage"], "mediation");
            assert_eq!(c["state"], "in_progress", "nothing half-done");
            assert_eq!(now["offers"][0]["state"], "void");
        }
    }
}

#[test]
fn d3_a_referral_to_the_kcab_closes_the_process_and_hands_both_parties_a_hashed_pack() {
    let t = target();
    let d = deal("software");
    let id = formed_contract(&d);
    // C1: the contract the parties confirmed carries the arbitration clause
    // naming the KCAB, in the text its hash is of.
    let before = contract(&d.client, &id);
    let v1 = &before["versions"][0];
    assert!(v1["arbitration_clause"]
        .as_str()
        .unwrap()
        .contains("대한상사중재원"));
    let canonical: Json = serde_json::from_str(v1["canonical"].as_str().unwrap()).unwrap();
    assert_eq!(canonical["arbitration_clause"], v1["arbitration_clause"]);
    let case = answered_case(&d, &id);
    // Not from stage 1: mediation comes first.
    d.partner
        .call(
            "POST",
            &format!("{}/arbitration", path(&case)),
            &json!(null),
        )
        .expect(409);
    escalate(&d.client, &case).expect(200);
    let (token, me) = mediator(t);
    admin_call(
        t,
        &admin(t, "owner"),
        "PUT",
        &format!("{}/mediator", staff_path(&case)),
        &json!({"mediator_id": me}),
    )
    .expect(200);
    // Not before the opinion (or its 15 days).
    let early = d
        .partner
        .call(
            "POST",
            &format!("{}/arbitration", path(&case)),
            &json!(null),
        )
        .expect(409)
        .json();
    assert!(early["opinion_due"].is_string());
    admin_call(
        t,
        &token,
        "POST",
        &format!("{}/opinion", staff_path(&case)),
        &json!({"facts": "검수 기준이 계약서에 없습니다", "clauses": ["제3조 검수"], "outcome": "none", "reasons": "계약대로 유지합니다"}),
    )
    .expect(200);
    // The partner does not accept and refers it.
    let r = d
        .partner
        .call(
            "POST",
            &format!("{}/arbitration", path(&case)),
            &json!(null),
        )
        .expect(200)
        .json();
    assert_eq!(r["stage"], "arbitration");
    assert!(r["closed_at"].is_string());
    let a = &r["arbitration"];
    assert_eq!(a["referred_by"], d.partner.member_id.as_str());
    let pack_sha = a["pack_sha256"].as_str().unwrap().to_owned();
    // Closed: nothing more is written on it, and the contract stands.
    write(&d.client, &case, "다시 협의합시다").expect(409);
    d.client
        .call("POST", &format!("{}/opinion", path(&case)), &json!(null))
        .expect(409);
    assert_eq!(contract(&d.client, &id)["state"], "in_progress");
    // Both parties download the same pack; its bytes hash to what the case shows.
    for party in [&d.client, &d.partner] {
        let got = party
            .call("GET", &format!("{}/pack", path(&case)), &json!(null))
            .expect(200);
        assert_eq!(format!("{:x}", sha2::Sha256::digest(&got.body)), pack_sha);
    }
    let pack: Json = d
        .client
        .call("GET", &format!("{}/pack", path(&case)), &json!(null))
        .expect(200)
        .json();
    assert_eq!(pack["institution"]["name_ko"], "대한상사중재원");
    assert_eq!(
        pack["parties"]["claimant"]["member_id"],
        d.partner.member_id.as_str()
    );
    assert_eq!(
        pack["parties"]["respondent"]["member_id"],
        d.client.member_id.as_str()
    );
    assert!(pack["parties"]["claimant"]["company_name"].is_string());
    let rfa = &pack["request_for_arbitration"];
    assert_eq!(rfa["objection"]["claim"], case["claim"]);
    assert_eq!(rfa["objection"]["relief_sought"], case["relief"]);
    let facts = rfa["facts"].as_array().unwrap();
    assert!(
        facts
            .windows(2)
            .all(|w| w[0]["at"].as_str() <= w[1]["at"].as_str()),
        "a timeline"
    );
    assert!(facts
        .iter()
        .any(|f| f["fact"].as_str().unwrap().contains("중재 회부")));
    // The contract's versions with their hashes and the clause.
    assert_eq!(pack["contract"]["versions"][0]["sha256"], v1["sha256"]);
    assert_eq!(
        pack["contract"]["arbitration_clause"]["in_versions"],
        json!([1])
    );
    // Every message with its hash; the opinion; the audit entries.
    for m in pack["messages"].as_array().unwrap() {
        let body = m["body"].as_str().unwrap();
        assert_eq!(
            m["sha256"],
            format!("{:x}", sha2::Sha256::digest(body.as_bytes()))
        );
    }
    assert_eq!(pack["messages"].as_array().unwrap().len(), 1);
    assert_eq!(pack["mediation"]["opinion"]["outcome"], "none");
    let actions: Vec<&str> = pack["audit"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"dispute.raised") && actions.contains(&"dispute.escalated"),
        "{actions:?}"
    );
    let index = pack["evidence_index"].as_array().unwrap();
    assert_eq!(index[0]["no"], 1);
    assert!(index.iter().any(|e| e["kind"] == "frozen_case"));
    // The readable Korean rendering, hashed too.
    let html = d
        .partner
        .call("GET", &format!("{}/pack.html", path(&case)), &json!(null))
        .expect(200);
    assert_eq!(
        format!("{:x}", sha2::Sha256::digest(&html.body)),
        a["pack_html_sha256"].as_str().unwrap()
    );
    let text = String::from_utf8(html.body).unwrap();
    assert!(
        text.contains("중재신청서") && text.contains(&pack_sha),
        "{text}"
    );
    // Nobody else gets it.
    let stranger = Company::member(t, "client");
    stranger
        .call("GET", &format!("{}/pack", path(&case)), &json!(null))
        .expect(404);
}

fn attach(c: &Company, case: &Json, bytes: &[u8]) -> Reply {
    c.t.call(
        "PUT",
        &format!("{}/attachments", path(case)),
        &[
            ("content-type", "application/octet-stream"),
            ("authorization", &format!("Bearer {}", c.session)),
        ],
        bytes,
    )
}

/// rule D1: evidence files are checked by their bytes, kept as added,
/// named by their SHA-256, and seen by both parties only.
#[test]
fn d1_evidence_files_are_checked_by_content_and_kept_with_their_hash() {
    let t = target();
    let d = deal("design");
    let id = formed_contract(&d);
    let case = raise(&d.client, &id, "납품 파일이 손상되었습니다")
        .expect(201)
        .json();
    let bad = attach(&d.client, &case, b"MZ\x90\x00 not a document").expect(422);
    assert_eq!(bad.pointers(), ["#/file"]);
    let file = pdf();
    let r = attach(&d.partner, &case, &file).expect(201).json();
    let a = &r["attachments"][0];
    assert_eq!(a["content_type"], "application/pdf");
    assert_eq!(a["bytes"], file.len());
    assert_eq!(a["sha256"], format!("{:x}", sha2::Sha256::digest(&file)));
    assert!(
        r["answered_at"].is_string(),
        "the respondent's file answers"
    );
    let url = format!(
        "{}/attachments/{}",
        path(&case),
        a["attachment_id"].as_str().unwrap()
    );
    let got = d.client.call("GET", &url, &json!(null)).expect(200);
    assert_eq!(got.body, file);
    let stranger = Company::member(t, "client");
    stranger.call("GET", &url, &json!(null)).expect(404);
    attach(&stranger, &case, &file).expect(404);
}
