//! Proposals into contracts (rule M2) and contracts between members (rules
//! C1, C2, C9, C10), end to end.

use e2e::*;
use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

/// A client with an open request, and a partner ranked for it.
struct Deal {
    client: Company,
    partner: Company,
    request_id: String,
}

fn deal(category: &str) -> Deal {
    let t = target();
    let partner = Company::member_in(t, "partner", &[category]);
    partner
        .call(
            "PUT",
            "/member/profile",
            &json!({"capabilities": ["설계"], "capacity": 1, "regions": ["all"]}),
        )
        .expect(200);
    let client = Company::member(t, "client");
    let request_id = client
        .call(
            "POST",
            "/member/requests",
            &json!({"category": category, "title": "물류센터 설계", "scope": "도면과 시방서", "budget_krw": 12_000_000, "due_date": "2099-03-31", "region": "incheon", "location": "인천 현장"}),
        )
        .expect(201)
        .json()["request_id"]
        .as_str()
        .expect("id")
        .to_owned();
    Deal {
        client,
        partner,
        request_id,
    }
}

/// The client offers the request, the partner accepts: the contract's id.
fn drafted(d: &Deal) -> String {
    let sent = d
        .client
        .call(
            "POST",
            &format!("/member/requests/{}/proposals", d.request_id),
            &json!({"partner_id": d.partner.member_id}),
        )
        .expect(201)
        .json();
    let pid = sent["proposal_id"].as_str().expect("proposal");
    d.partner
        .call(
            "POST",
            &format!("/member/proposals/{pid}"),
            &json!({"decision": "accept"}),
        )
        .expect(200)
        .json()["contract_id"]
        .as_str()
        .expect("contract")
        .to_owned()
}

fn record(c: &Company, id: &str) -> Json {
    c.call("GET", &format!("/member/contracts/{id}"), &json!(null))
        .expect(200)
        .json()
}

fn current(r: &Json) -> &Json {
    let n = r["current_version"].as_i64().expect("version");
    r["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .find(|v| v["number"] == n)
        .expect("current version listed")
}

fn confirm(c: &Company, id: &str, r: &Json) -> Reply {
    let v = current(r);
    c.call(
        "POST",
        &format!("/member/contracts/{id}/confirm"),
        &json!({"version": v["number"], "sha256": v["sha256"]}),
    )
}

fn edit(c: &Company, id: &str, r: &Json, change: impl FnOnce(&mut Json)) -> Reply {
    let v = current(r);
    let mut body = json!({
        "revision": r["revision"], "title": v["title"], "scope": v["scope"], "amount_krw": v["amount_krw"],
        "due_date": v["due_date"], "ip_clause": v["ip_clause"], "portfolio_consent": v["portfolio_consent"],
    });
    change(&mut body);
    c.call("POST", &format!("/member/contracts/{id}/versions"), &body)
}

#[test]
fn m2_c1_an_accepted_proposal_becomes_a_draft_with_the_categorys_success_fee() {
    let t = target();
    let d = deal("design");
    // The partner sees what it was offered.
    let pid = d
        .client
        .call(
            "POST",
            &format!("/member/requests/{}/proposals", d.request_id),
            &json!({"partner_id": d.partner.member_id}),
        )
        .expect(201)
        .json()["proposal_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Once per partner and request.
    d.client
        .call(
            "POST",
            &format!("/member/requests/{}/proposals", d.request_id),
            &json!({"partner_id": d.partner.member_id}),
        )
        .expect(409);
    // Only a partner ranked in the request's category.
    let other = Company::member_in(t, "partner", &["marketing"]);
    let r = d
        .client
        .call(
            "POST",
            &format!("/member/requests/{}/proposals", d.request_id),
            &json!({"partner_id": other.member_id}),
        )
        .expect(422);
    assert_eq!(r.pointers(), ["#/partner_id"]);
    let list = d
        .partner
        .call("GET", "/member/proposals", &json!(null))
        .expect(200)
        .json();
    let offered = &list["proposals"][0];
    assert_eq!(offered["proposal_id"], pid.as_str());
    assert_eq!(offered["success_fee_bp"], 1200, "design's success fee");
    // Another partner cannot answer it.
    other
        .call(
            "POST",
            &format!("/member/proposals/{pid}"),
            &json!({"decision": "accept"}),
        )
        .expect(404);
    let accepted = d
        .partner
        .call(
            "POST",
            &format!("/member/proposals/{pid}"),
            &json!({"decision": "accept"}),
        )
        .expect(200)
        .json();
    assert_eq!(accepted["state"], "accepted");
    let id = accepted["contract_id"].as_str().expect("contract");
    d.partner
        .call(
            "POST",
            &format!("/member/proposals/{pid}"),
            &json!({"decision": "decline"}),
        )
        .expect(409);
    // rule C1: the draft carries the request's terms and the defaults.
    let r = record(&d.client, id);
    assert_eq!(r["state"], "draft");
    assert_eq!(r["success_fee_bp"], 1200);
    assert_eq!(r["client_id"], d.client.member_id.as_str());
    assert_eq!(r["partner_id"], d.partner.member_id.as_str());
    let v = current(&r);
    assert_eq!(v["title"], "물류센터 설계");
    assert_eq!(v["amount_krw"], 12_000_000);
    assert_eq!(v["due_date"], "2099-03-31");
    assert_eq!(
        v["ip_clause"], "transfer",
        "rights pass on acceptance by default"
    );
    assert_eq!(
        v["portfolio_consent"], true,
        "portfolio use allowed by default"
    );
    // rule C10: kept 5 years.
    assert_eq!(r["retention_class"], "contract_5y");
    // rule C9: the two parties only; no one else sees or changes it.
    let stranger = Company::member(t, "client");
    stranger
        .call("GET", &format!("/member/contracts/{id}"), &json!(null))
        .expect(404);
    edit(&stranger, id, &r, |_| {}).expect(404);
    confirm(&stranger, id, &r).expect(404);
    let theirs = d
        .partner
        .call("GET", "/member/contracts", &json!(null))
        .expect(200)
        .json();
    assert_eq!(theirs["contracts"][0]["contract_id"], id);
    assert_eq!(
        record(&d.partner, id)["history"][0]["action"],
        "contract.drafted"
    );
}

#[test]
fn c2_every_edit_is_a_version_and_both_confirming_one_version_forms_the_contract() {
    let d = deal("construction");
    let id = drafted(&d);
    let r = record(&d.client, id.as_str());
    // The hash is SHA-256 of the version's canonical content, as shown.
    let v = current(&r);
    let hash = format!(
        "{:x}",
        Sha256::digest(v["canonical"].as_str().unwrap().as_bytes())
    );
    assert_eq!(v["sha256"], hash.as_str());
    // The client confirms version 1; the partner then edits (reserving the
    // rights): version 2, and the client's confirmation of 1 no longer counts.
    let r = confirm(&d.client, &id, &r).expect(200).json();
    assert_eq!(r["state"], "draft");
    let r = edit(&d.partner, &id, &r, |b| b["ip_clause"] = json!("reserved"))
        .expect(201)
        .json();
    assert_eq!(r["current_version"], 2);
    assert_ne!(current(&r)["sha256"], hash.as_str());
    let r = confirm(&d.partner, &id, &r).expect(200).json();
    assert_eq!(
        r["state"], "draft",
        "one party's confirmation does not form it"
    );
    // Confirming the old version: 409, it changed.
    let old = d.client.call(
        "POST",
        &format!("/member/contracts/{id}/confirm"),
        &json!({"version": 1, "sha256": hash}),
    );
    assert_eq!(old.status, 409);
    // A wrong hash for the current version: 409.
    d.client
        .call(
            "POST",
            &format!("/member/contracts/{id}/confirm"),
            &json!({"version": 2, "sha256": "0".repeat(64)}),
        )
        .expect(409);
    let r = confirm(&d.client, &id, &r).expect(200).json();
    assert_eq!(
        r["state"], "in_progress",
        "both confirmed version 2: formed"
    );
    assert_eq!(r["formed_version"], 2);
    let confirmations = r["confirmations"].as_array().unwrap();
    assert!(confirmations
        .iter()
        .filter(|k| k["number"] == 2)
        .all(|k| k["ip"].is_string() && k["at"].is_string()));
    // Formed: no more edits (amendments only), and no second confirmation.
    edit(&d.client, &id, &r, |b| b["amount_krw"] = json!(1)).expect(409);
    confirm(&d.partner, &id, &r).expect(409);
    let actions: Vec<&str> = r["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["action"].as_str())
        .collect();
    assert!(
        actions.starts_with(&[
            "contract.drafted",
            "contract.confirmed",
            "contract.edited",
            "contract.confirmed"
        ]),
        "{actions:?}"
    );
    // Edits with contact details are refused with the field named (C11).
    let d2 = deal("manufacturing");
    let id2 = drafted(&d2);
    let r2 = record(&d2.client, &id2);
    let bad = edit(&d2.client, &id2, &r2, |b| {
        b["scope"] = json!("상세는 kim at gmail dot com 으로")
    })
    .expect(422);
    assert_eq!(bad.pointers(), ["#/scope"]);
}

#[test]
fn c2_an_edit_and_a_confirm_made_on_the_same_state_one_wins_the_other_gets_409() {
    let d = deal("software");
    let id = drafted(&d);
    for round in 0..6 {
        let mut r = record(&d.client, &id);
        // A fresh version for each round (a confirm that won last round
        // would make the next one fail for being a second confirmation).
        let n = r["current_version"].clone();
        if r["confirmations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["number"] == n)
        {
            r = edit(&d.client, &id, &r, |b| {
                b["title"] = json!(format!("물류센터 설계 {round}"))
            })
            .expect(201)
            .json();
        }
        let (a, b) = std::thread::scope(|s| {
            let edit = s.spawn(|| {
                edit(&d.client, &id, &r, |b| {
                    b["amount_krw"] = json!(12_000_000 + round)
                })
                .status
            });
            let confirm = s.spawn(|| confirm(&d.partner, &id, &r).status);
            (edit.join().unwrap(), confirm.join().unwrap())
        });
        // The edit wins with 201 (a new version), the confirm with 200.
        let won = [a == 201, b == 200];
        let lost = [a == 409, b == 409];
        assert!(
            won.iter().filter(|w| **w).count() == 1 && lost.iter().filter(|l| **l).count() == 1,
            "round {round}: edit {a}, confirm {b}"
        );
    }
    // Nothing half-done: every version has a hash, the confirmations bind hashes of real versions.
    let r = record(&d.client, &id);
    let hashes: Vec<&str> = r["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["sha256"].as_str().unwrap())
        .collect();
    for k in r["confirmations"].as_array().unwrap() {
        assert!(hashes.contains(&k["sha256"].as_str().unwrap()));
    }
}

/// A formed contract (both parties confirmed version `current`).
fn formed(d: &Deal, reserve_rights: bool) -> String {
    let id = drafted(d);
    let mut r = record(&d.client, &id);
    if reserve_rights {
        r = edit(&d.partner, &id, &r, |b| b["ip_clause"] = json!("reserved"))
            .expect(201)
            .json();
    }
    confirm(&d.partner, &id, &r).expect(200);
    let r = confirm(&d.client, &id, &r).expect(200).json();
    assert_eq!(r["state"], "in_progress");
    id
}

/// The end of the 7th KST calendar day after the day of `completed_at`.
fn seven_kst_days_after(completed_at: &str) -> chrono::DateTime<chrono::Utc> {
    let kst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    let day = chrono::DateTime::parse_from_rfc3339(completed_at)
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

fn post(c: &Company, id: &str, action: &str, body: &Json) -> Reply {
    c.call("POST", &format!("/member/contracts/{id}/{action}"), body)
}

// One test for C3–C5: the deemed acceptance moves the sweep's clock, which
// would accept any other test's completed contract meanwhile.
#[test]
fn c3_c4_c5_completion_inspection_defects_acceptance_and_the_deemed_acceptance() {
    let t = target();
    // rule C3: only the partner reports completion, only of a formed contract.
    let early = deal("consulting");
    let draft = drafted(&early);
    post(&early.partner, &draft, "complete", &json!({})).expect(409);
    let d = deal("consulting");
    let id = formed(&d, false);
    post(&d.client, &id, "complete", &json!({})).expect(403);
    let r = post(&d.partner, &id, "complete", &json!({}))
        .expect(200)
        .json();
    assert_eq!(r["state"], "completed");
    let until =
        chrono::DateTime::parse_from_rfc3339(r["inspection_until"].as_str().unwrap()).unwrap();
    assert_eq!(
        until,
        seven_kst_days_after(r["completed_at"].as_str().unwrap())
    );
    // rule C4: defects within the inspection: back to in progress, free repair.
    post(&d.client, &id, "defects", &json!({"description": " "})).expect(422);
    let r = post(
        &d.client,
        &id,
        "defects",
        &json!({"description": "로그인 화면 오류"}),
    )
    .expect(200)
    .json();
    assert_eq!(r["state"], "in_progress");
    assert_eq!(r["defects"][0]["description"], "로그인 화면 오류");
    assert_eq!(
        r["current_version"], 1,
        "a free repair: the terms are unchanged"
    );
    // Repaired, reported again: a new inspection; the client accepts.
    post(&d.partner, &id, "complete", &json!({})).expect(200);
    // rule C5: the rights pass on acceptance (not reserved), recorded.
    let r = post(&d.client, &id, "accept", &json!({}))
        .expect(200)
        .json();
    assert_eq!(r["state"], "accepted");
    assert_eq!(r["deemed"], false);
    assert!(r["ip_transferred_at"].is_string(), "{r}");
    post(
        &d.client,
        &id,
        "defects",
        &json!({"description": "늦은 하자"}),
    )
    .expect(409);

    // Reserved rights stay with the partner on acceptance.
    let reserved = deal("design");
    let rid = formed(&reserved, true);
    post(&reserved.partner, &rid, "complete", &json!({})).expect(200);
    let r = post(&reserved.client, &rid, "accept", &json!({}))
        .expect(200)
        .json();
    assert_eq!(r["ip_transferred_at"], json!(null), "{r}");

    // rule C3: no answer in 7 KST days: the sweep (not a request) accepts it.
    let quiet = deal("marketing");
    let qid = formed(&quiet, false);
    post(&quiet.partner, &qid, "complete", &json!({})).expect(200);
    t.sweep();
    assert_eq!(
        record(&quiet.client, &qid)["state"],
        "completed",
        "not before the 7 days end"
    );
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        &json_body(&json!({"sweep_clock_offset_secs": (9 * 86_400).to_string()})),
    )
    .expect(200);
    t.sweep();
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        br#"{"sweep_clock_offset_secs": "0"}"#,
    )
    .expect(200);
    let r = record(&quiet.partner, &qid);
    assert_eq!(r["state"], "accepted", "{r}");
    assert_eq!(r["deemed"], true);
    assert!(r["ip_transferred_at"].is_string());
    let last = r["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["action"].as_str(), last["actor"].as_str()),
        (Some("contract.deemed_accepted"), Some("system"))
    );
    post(
        &quiet.client,
        &qid,
        "defects",
        &json!({"description": "너무 늦은 하자"}),
    )
    .expect(409);
}
