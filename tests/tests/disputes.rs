//! Disputes on contracts (rules D1–D5, D7), end to end: stage 1's
//! objection and answer clock, settlement offers applied to the contract.

use e2e::receiver::same_recipient;
use e2e::*;
use serde_json::{json, Value as Json};

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

/// rule D5: a member restricted for abusing the process raises no new
/// dispute until the restriction's last day has passed, and is told until
/// when; nothing else changes for it.
#[test]
fn d5_a_restricted_member_raises_no_dispute_until_its_day_ends() {
    let t = target();
    let d = deal("design");
    let id = formed_contract(&d);
    let today = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap())
        .date_naive();
    // As an admin's restriction is stored (its route comes with D5's staff
    // side): until tomorrow.
    t.seed(&format!(
        "INSERT INTO dispute_restrictions (id, member_id, reason, until_day, restricted_by, created_at)
         VALUES ('rst-{0}', '{0}', 'x', '{1}', 'adm-test', '2026-01-01T00:00:00+00:00')",
        d.client.member_id,
        today + chrono::Days::new(1)
    ));
    let refused = raise(&d.client, &id, "또 이의").expect(403);
    let p = refused.json();
    assert_eq!(
        p["until"],
        json!((today + chrono::Days::new(1)).to_string())
    );
    assert!(p["detail"].as_str().unwrap().contains("제한"), "{p}");
    assert!(t
        .query(&format!(
            "SELECT id FROM disputes WHERE contract_id = '{id}'"
        ))
        .is_empty());
    // A restriction whose day has passed refuses nothing.
    t.seed(&format!(
        "UPDATE dispute_restrictions SET until_day = '{}' WHERE id = 'rst-{}'",
        today - chrono::Days::new(1),
        d.client.member_id
    ));
    raise(&d.client, &id, "납기 지연").expect(201);
}
