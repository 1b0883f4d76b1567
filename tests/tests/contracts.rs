//! Proposals into contracts (rule M2) and contracts between members (rules
//! C1, C2, C9, C10), end to end.

use e2e::receiver::same_recipient;
use e2e::*;
use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

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
    // Issue 22: the partner hears of it, with the link to its proposals.
    let origin = deployed_vars(&["PAGES_ORIGIN"])
        .first()
        .map(|(_, v)| v.clone())
        .expect("PAGES_ORIGIN");
    let link = format!("{origin}/app/#/proposals");
    let mails = receiver().wait_for("the proposal's notice", |got| {
        got.iter()
            .any(|m| same_recipient(&m.to, &d.partner.email) && m.text.contains(&link))
    });
    let notice = mails
        .iter()
        .find(|m| same_recipient(&m.to, &d.partner.email) && m.text.contains(&link))
        .expect("the notice");
    assert!(notice.subject.contains("제안"), "{}", notice.subject);
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
    // Issue 22: the partner reads what it would accept before it does.
    assert_eq!(offered["location"], "인천 현장");
    assert!(
        offered["scope"].as_str().is_some_and(|s| !s.is_empty()),
        "{offered}"
    );
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
    // Where the work is done: the request's location, for both parties
    // (C11 no longer screens it as prose).
    assert_eq!(r["location"], "인천 현장");
    assert_eq!(record(&d.partner, id)["location"], "인천 현장");
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
    assert_eq!(r["retention_class"], "contract_5y");
    // The two parties only; no one else sees or changes it.
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
    // Issue 22: listed by its title and both companies' names (the pages
    // never name a contract or a party by id).
    let company = |id: &str| {
        t.query(&format!(
            "SELECT company_name FROM members WHERE id = '{id}'"
        ))[0]
            .text("company_name")
            .map(str::to_owned)
    };
    let listed = &theirs["contracts"][0];
    assert_eq!(listed["title"], "물류센터 설계");
    assert_eq!(
        listed["client_company"].as_str().map(str::to_owned),
        company(&d.client.member_id)
    );
    assert_eq!(
        listed["partner_company"].as_str().map(str::to_owned),
        company(&d.partner.member_id)
    );
    assert!(listed["client_company"].is_string());
    assert_eq!(
        r["client_company"], listed["client_company"],
        "the record names them too"
    );
    assert_eq!(r["partner_company"], listed["partner_company"]);
    assert_eq!(
        record(&d.partner, id)["history"][0]["action"],
        "contract.drafted"
    );
}

/// rule C9: a contract cannot be assigned to a third party. An edit that
/// names another client or partner is refused on that field (so is an
/// amendment: both read the same terms), nothing is written, and the
/// parties stay who they were.
#[test]
fn c9_no_edit_assigns_the_contract_to_another_party() {
    let t = target();
    let d = deal("design");
    let id = drafted(&d);
    let stranger = Company::member(t, "partner");
    let r = record(&d.client, &id);
    for party in ["partner_id", "client_id"] {
        let refused = edit(&d.client, &id, &r, |b| {
            b[party] = json!(stranger.member_id);
        })
        .expect(422);
        assert_eq!(refused.pointers(), [format!("#/{party}")]);
    }
    let after = record(&d.client, &id);
    assert_eq!(after["partner_id"], d.partner.member_id.as_str());
    assert_eq!(after["client_id"], d.client.member_id.as_str());
    assert_eq!(after["revision"], r["revision"], "nothing was written");
    stranger
        .call("GET", &format!("/member/contracts/{id}"), &json!(null))
        .expect(404);
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
    // The record an action returns shows the action's own history entry,
    // exactly as the next read does.
    assert_eq!(r["history"], record(&d.partner, &id)["history"]);
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
            "contract.confirmed",
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

/// Tests that move the sweep's clock take this: a moved clock would
/// accept another such test's completed contract, or flag its requests,
/// before that test looks.
static SWEEP_CLOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs one sweep with its clock `days` ahead.
fn sweep_days_ahead(t: &dyn Target, days: i64) {
    sweep_ahead(t, days * 86_400);
}

// One test for C3–C5: the deemed acceptance moves the sweep's clock.
#[test]
fn c3_c4_c5_completion_inspection_defects_acceptance_and_the_deemed_acceptance() {
    let _clock = SWEEP_CLOCK.lock().unwrap_or_else(|e| e.into_inner());
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
    let done = post(&quiet.partner, &qid, "complete", &json!({}))
        .expect(200)
        .json();
    // The inspection is a clock: the client must act by its last KST day.
    let inspecting = clock_of(&clocks(&quiet.client), &qid)
        .expect("the client's clock")
        .clone();
    assert_eq!(inspecting["kind"], "contract_inspection");
    assert_eq!(inspecting["yours"], true);
    assert_eq!(inspecting["due_at"], done["inspection_until"]);
    assert_eq!(
        inspecting["due_day"],
        last_kst_day(done["inspection_until"].as_str().unwrap())
    );
    assert_ne!(inspecting["bucket"], "overdue");
    assert_eq!(
        clock_of(&clocks(&quiet.partner), &qid).expect("the partner's")["yours"],
        false
    );
    t.sweep();
    assert_eq!(
        record(&quiet.client, &qid)["state"],
        "completed",
        "not before the 7 days end"
    );
    sweep_days_ahead(t, 9);
    let r = record(&quiet.partner, &qid);
    assert_eq!(r["state"], "accepted", "{r}");
    assert!(
        clock_of(&clocks(&quiet.client), &qid).is_none(),
        "fired: closed"
    );
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM clocks WHERE subject = '{qid}' AND state = 'fired'"
            )
        ),
        1
    );
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

/// The element of the array `list` whose `key` is `value`.
fn find_in<'a>(list: &'a Json, key: &str, value: &Json) -> Option<&'a Json> {
    list.as_array()?.iter().find(|x| &x[key] == value)
}

/// The open request of `kind` on the record.
fn open_request<'a>(r: &'a Json, kind: &str) -> &'a Json {
    r["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .find(|q| q["kind"] == kind && q["state"] == "open")
        .unwrap_or_else(|| panic!("an open {kind} request in {r}"))
}

fn answer(c: &Company, id: &str, q: &Json, body: &Json) -> Reply {
    c.call(
        "POST",
        &format!(
            "/member/contracts/{id}/requests/{}",
            q["request_id"].as_str().unwrap()
        ),
        body,
    )
}

/// An amendment of `r` (formed) with `change` applied to its terms.
fn amend(c: &Company, id: &str, r: &Json, change: impl FnOnce(&mut Json)) -> Reply {
    let n = r["formed_version"]
        .as_i64()
        .or_else(|| r["current_version"].as_i64())
        .expect("a version");
    let v = find_in(&r["versions"], "number", &json!(n)).unwrap();
    let mut body = json!({
        "revision": r["revision"], "title": v["title"], "scope": v["scope"], "amount_krw": v["amount_krw"],
        "due_date": v["due_date"], "ip_clause": v["ip_clause"], "portfolio_consent": v["portfolio_consent"],
        "reason": "범위 추가",
    });
    change(&mut body);
    c.call("POST", &format!("/member/contracts/{id}/amendments"), &body)
}

#[test]
fn c2_a_formed_contract_changes_only_by_an_amendment_both_confirm() {
    let early = deal("software");
    let draft = drafted(&early);
    // Not before forming: a draft is edited instead.
    amend(
        &early.partner,
        &draft,
        &record(&early.partner, &draft),
        |_| {},
    )
    .expect(409);
    let d = deal("software");
    let id = formed(&d, false);
    let r = record(&d.client, &id);
    // Agreed before forming (C1): the IP clause and portfolio consent stay.
    let bad = amend(&d.partner, &id, &r, |b| b["ip_clause"] = json!("reserved")).expect(422);
    assert_eq!(bad.pointers(), ["#/ip_clause"]);
    amend(&d.partner, &id, &r, |b| {
        b["scope"] = json!("010-1234-5678 로 연락")
    })
    .expect(422);
    // The partner proposes more money: version 2, confirmed by its author.
    let r = amend(&d.partner, &id, &r, |b| b["amount_krw"] = json!(15_000_000))
        .expect(201)
        .json();
    assert_eq!(r["current_version"], 2);
    assert_eq!(r["formed_version"], 1, "the formed version stays in force");
    let q = open_request(&r, "amendment").clone();
    assert_eq!(q["from_id"], d.partner.member_id.as_str());
    assert_eq!(q["to_id"], d.client.member_id.as_str());
    assert_eq!(q["number"], 2);
    assert!(r["confirmations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["number"] == 2 && k["member_id"] == d.partner.member_id.as_str()));
    // One amendment open at a time.
    amend(&d.client, &id, &r, |b| b["amount_krw"] = json!(9_000_000)).expect(409);
    // Only the addressee accepts; by the version's hash.
    answer(&d.partner, &id, &q, &json!({"answer": "accept"})).expect(403);
    answer(
        &d.client,
        &id,
        &q,
        &json!({"answer": "accept", "sha256": "0".repeat(64)}),
    )
    .expect(409);
    let hash = current(&r)["sha256"].clone();
    let r = answer(
        &d.client,
        &id,
        &q,
        &json!({"answer": "accept", "sha256": hash}),
    )
    .expect(200)
    .json();
    assert_eq!(r["formed_version"], 2, "both confirmed version 2: in force");
    assert_eq!(r["state"], "in_progress");
    answer(&d.client, &id, &q, &json!({"answer": "decline"})).expect(409);
    // A declined amendment leaves the terms in force.
    let r = amend(&d.client, &id, &r, |b| b["due_date"] = json!("2099-01-31"))
        .expect(201)
        .json();
    let q = open_request(&r, "amendment").clone();
    let r = answer(
        &d.partner,
        &id,
        &q,
        &json!({"answer": "decline", "reason": "일정 불가"}),
    )
    .expect(200)
    .json();
    assert_eq!(r["formed_version"], 2);
    let declined = find_in(&r["requests"], "request_id", &q["request_id"]).unwrap();
    assert_eq!(declined["state"], "declined");
    assert_eq!(declined["answer_reason"], "일정 불가");
    let r = record(&d.partner, &id);
    let actions: Vec<&str> = r["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["action"].as_str())
        .collect();
    for a in [
        "contract.amendment_proposed",
        "contract.amended",
        "contract.amendment_declined",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

#[test]
fn c6_a_draft_is_withdrawn_at_once_a_formed_contract_ends_only_by_both() {
    // It completes a contract: no other test's sweep may accept it first.
    let _clock = SWEEP_CLOCK.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    // Before forming: either party withdraws the draft.
    let d = deal("design");
    let draft = drafted(&d);
    post(&d.client, &draft, "cancel", &json!({"reason": " "})).expect(422);
    let r = post(
        &d.partner,
        &draft,
        "cancel",
        &json!({"reason": "일정이 맞지 않음"}),
    )
    .expect(200)
    .json();
    assert_eq!(r["state"], "cancelled");
    assert_eq!(r["cancel_cause"], "withdrawn");
    assert_eq!(r["cancel_reason"], "일정이 맞지 않음");
    confirm(&d.client, &draft, &r).expect(409);

    // After forming: the client alone cannot cancel, refuse or send back.
    let d = deal("design");
    let id = formed(&d, false);
    let r = post(&d.client, &id, "cancel", &json!({"reason": "예산 삭감"}))
        .expect(200)
        .json();
    assert_eq!(r["state"], "in_progress", "a request, not a cancellation");
    let q = open_request(&r, "cancellation").clone();
    assert_eq!(q["reason"], "예산 삭감");
    // The client cannot answer its own request, nor ask twice.
    answer(&d.client, &id, &q, &json!({"answer": "accept"})).expect(403);
    post(&d.partner, &id, "cancel", &json!({"reason": "동의"})).expect(409);
    // Nothing to accept or send back before the partner reports completion.
    post(&d.client, &id, "accept", &json!({})).expect(409);
    post(
        &d.client,
        &id,
        "defects",
        &json!({"description": "마음이 바뀜"}),
    )
    .expect(409);
    // The partner declines: the contract goes on.
    let r = answer(
        &d.partner,
        &id,
        &q,
        &json!({"answer": "decline", "reason": "이미 착수"}),
    )
    .expect(200)
    .json();
    assert_eq!(r["state"], "in_progress");
    // Asked again, the partner agrees: cancelled by both.
    let r = post(&d.client, &id, "cancel", &json!({"reason": "사업 중단"}))
        .expect(200)
        .json();
    let q = open_request(&r, "cancellation").clone();
    let stranger = Company::member(t, "partner");
    answer(&stranger, &id, &q, &json!({"answer": "accept"})).expect(404);
    let r = answer(&d.partner, &id, &q, &json!({"answer": "accept"}))
        .expect(200)
        .json();
    assert_eq!(r["state"], "cancelled");
    assert_eq!(r["cancel_cause"], "agreed");
    assert!(r["cancelled_at"].is_string());
    post(&d.partner, &id, "complete", &json!({})).expect(409);
    // An accepted contract is not cancelled.
    let done = deal("design");
    let did = formed(&done, false);
    post(&done.partner, &did, "complete", &json!({})).expect(200);
    post(&done.client, &did, "accept", &json!({})).expect(200);
    post(
        &done.partner,
        &did,
        "cancel",
        &json!({"reason": "늦었지만"}),
    )
    .expect(409);
}

fn message(c: &Company, id: &str, body: &Json) -> Reply {
    c.call("POST", &format!("/member/contracts/{id}/messages"), body)
}

/// A contract's record stays bounded: the latest 200 history entries and
/// messages, and whether earlier ones exist.
#[test]
fn a_long_contract_record_shows_its_latest_200_entries() {
    let t = target();
    let d = deal("software");
    let id = drafted(&d);
    t.seed(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
         INSERT INTO contract_history (contract_id, at, actor, action, detail)
           SELECT '{id}', '2026-12-01T00:00:00+00:00', 'system', 'contract.note', 'n' || i FROM n"
    ));
    let r = record(&d.client, &id);
    let history = r["history"].as_array().expect("history");
    assert_eq!(history.len(), 200);
    assert_eq!(r["earlier_history"], true);
    assert_eq!(history[199]["detail"], "n250", "the latest last");
    assert_eq!(r["earlier_messages"], false);
}

/// rule C11: every text the other party reads is screened: contract
/// terms (each field named), defect descriptions, cancellation reasons,
/// and direct-deal reports (which name the off-platform deal they report,
/// so only contact details count there). The refusal names the field, not
/// what was found, so a poster does not learn what to disguise; nothing is
/// written.
#[test]
fn c11_every_text_the_other_party_reads_is_screened() {
    let t = target();
    let d = deal("software");
    let draft = drafted(&d);
    let r = record(&d.client, &draft);
    let bad = edit(&d.client, &draft, &r, |b| {
        b["title"] = json!("연락은 010 9876 5432 로");
    })
    .expect(422);
    assert_eq!(bad.pointers(), ["#/title"]);
    let said = String::from_utf8_lossy(&bad.body).to_string();
    assert!(
        !said.contains("9876") && !said.contains("findings"),
        "{said}"
    );
    assert_eq!(record(&d.client, &draft)["revision"], r["revision"]);
    let cancel = post(
        &d.client,
        &draft,
        "cancel",
        &json!({"reason": "메일 kim@example.com 로 주세요"}),
    )
    .expect(422);
    assert_eq!(cancel.pointers(), ["#/reason"]);
    let d = deal("software");
    let id = formed(&d, false);
    post(&d.partner, &id, "complete", &json!({})).expect(200);
    let defect = post(
        &d.client,
        &id,
        "defects",
        &json!({"description": "카톡 아이디 kimdev77 로 상세 보냄"}),
    )
    .expect(422);
    assert_eq!(defect.pointers(), ["#/description"]);
    assert_eq!(
        record(&d.client, &id)["state"],
        "completed",
        "nothing written"
    );
    let witness = Company::member(t, "partner");
    let report = |description: &str| {
        witness.call(
            "POST",
            "/member/direct-deals",
            &json!({"contract_id": id, "description": description}),
        )
    };
    assert_eq!(
        report("파트너 번호 010-2222-3333 으로 직접 연락 옴")
            .expect(422)
            .pointers(),
        ["#/description"]
    );
    report("두 회사가 플랫폼 밖에서 직거래했습니다").expect(201);
}

#[test]
fn c11_a_message_with_contact_details_is_held_until_staff_release_it() {
    let t = target();
    let d = deal("consulting");
    let id = drafted(&d);
    message(&d.client, &id, &json!({"body": "  "})).expect(422);
    let r = message(
        &d.client,
        &id,
        &json!({"body": "일정 확인 부탁드립니다.\n다음 주 가능할까요?"}),
    )
    .expect(201)
    .json();
    assert_eq!(r["messages"][0]["state"], "visible");
    assert!(
        r["messages"][0]["body"].as_str().unwrap().contains('\n'),
        "line breaks kept"
    );
    let held = message(
        &d.partner,
        &id,
        &json!({"body": "카톡 아이디 kim_design 으로 따로 연락 주세요", "asks": true}),
    )
    .expect(201)
    .json();
    let mine = held["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(mine["state"], "held", "its author sees it held");
    let seen = record(&d.client, &id);
    assert_eq!(
        seen["messages"].as_array().unwrap().len(),
        1,
        "the other party does not"
    );
    assert!(
        seen["requests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["kind"] != "question"),
        "a held message asks nothing yet"
    );
    let reviewer = admin(t, "reviewer");
    let list = admin_call(t, &reviewer, "GET", "/admin/held", &json!(null))
        .expect(200)
        .json();
    let item = find_in(&list["items"], "subject_id", &mine["message_id"])
        .expect("held for review")
        .clone();
    assert_eq!(item["kind"], "message");
    assert!(item["text"].as_str().unwrap().contains("kim_design"));
    // rule A3: what the member wrote, read by staff, is in the access log.
    assert!(
        count(t, &format!(
            "SELECT COUNT(*) AS n FROM access_log WHERE subject = '{}' AND what = 'content.read_held'",
            item["member_id"].as_str().unwrap()
        )) >= 1
    );
    admin_call(
        t,
        &reviewer,
        "POST",
        &format!("/admin/held/{}", item["held_id"].as_str().unwrap()),
        &json!({"decision": "release", "reason": "업무 연락처 아님"}),
    )
    .expect(200);
    let seen = record(&d.client, &id);
    assert_eq!(
        seen["messages"].as_array().unwrap().len(),
        2,
        "released: shown"
    );
    // rule C7: released, it asks the client for an answer, which the
    // client's next message gives.
    let q = open_request(&seen, "question").clone();
    assert_eq!(q["to_id"], d.client.member_id.as_str());
    assert_eq!(q["message_id"], mine["message_id"]);
    let r = message(
        &d.client,
        &id,
        &json!({"body": "네, 플랫폼 메시지로 진행하겠습니다."}),
    )
    .expect(201)
    .json();
    let answered = find_in(&r["requests"], "request_id", &q["request_id"]).unwrap();
    assert_eq!(answered["state"], "answered");
    // Rejected: it stays hidden from the other party.
    let held = message(
        &d.client,
        &id,
        &json!({"body": "제 메일은 lee@example.com 입니다"}),
    )
    .expect(201)
    .json();
    let hid = held["messages"].as_array().unwrap().last().unwrap()["message_id"].clone();
    let list = admin_call(t, &reviewer, "GET", "/admin/held", &json!(null))
        .expect(200)
        .json();
    let item = find_in(&list["items"], "subject_id", &hid)
        .expect("held")
        .clone();
    admin_call(
        t,
        &reviewer,
        "POST",
        &format!("/admin/held/{}", item["held_id"].as_str().unwrap()),
        &json!({"decision": "reject", "reason": "직접 연락처"}),
    )
    .expect(200);
    let partner_view = record(&d.partner, &id);
    assert!(partner_view["messages"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["message_id"] != hid));
    let author_view = record(&d.client, &id);
    let own = find_in(&author_view["messages"], "message_id", &hid)
        .unwrap()
        .clone();
    assert_eq!(own["state"], "rejected");
}

/// The member's open clocks.
fn clocks(c: &Company) -> Json {
    c.call("GET", "/member/clocks", &json!(null))
        .expect(200)
        .json()
}

/// The open clocks an admin of `role` sees on the dashboard's first page.
fn staff_clocks(t: &'static dyn Target, role: &str) -> Json {
    admin_call(t, &admin(t, role), "GET", "/admin/clocks", &json!(null))
        .expect(200)
        .json()
}

/// The last KST day before the instant `end` (RFC 3339).
fn last_kst_day(end: &str) -> String {
    let end = chrono::DateTime::parse_from_rfc3339(end).unwrap() - chrono::Duration::seconds(1);
    end.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap())
        .date_naive()
        .to_string()
}

/// `2026-12-10` as a notice writes it: `2026년 12월 10일 23:59`.
fn korean_day(day: &str) -> String {
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    d.format("%Y년 %-m월 %-d일 23:59").to_string()
}

/// Waits for the notice to `to` (an address or a number) with all of
/// `words`, and returns its text.
fn notice_to(to: &str, words: &[&str]) -> String {
    let got = receiver().wait_for(&format!("a notice to {to} with {words:?}"), |got| {
        got.iter()
            .any(|m| same_recipient(&m.to, to) && words.iter().all(|w| m.text.contains(w)))
    });
    got.into_iter()
        .find(|m| same_recipient(&m.to, to) && words.iter().all(|w| m.text.contains(w)))
        .expect("the notice")
        .text
}

/// Issue 22: each party hears of the other's contract actions, by e-mail
/// with a link to the contract, and of its own deadlines — the answer a
/// request asks of it (C7) and the inspection (C3), by the day — by text
/// message too. Nobody hears of its own action; no notice names a record
/// by its internal id (the link aside).
#[test]
fn each_party_hears_of_the_others_actions_and_its_own_deadlines_with_a_link() {
    let t = target();
    let d = deal("design");
    let id = drafted(&d);
    let origin = deployed_vars(&["PAGES_ORIGIN"])
        .first()
        .map(|(_, v)| v.clone())
        .expect("PAGES_ORIGIN");
    let link = format!("{origin}/app/#/contracts/{id}");
    // The client hears that its proposal was accepted: a draft to read.
    let accepted = notice_to(&d.client.email, &[&link, "수락"]);
    notice_to(&d.client.mobile, &[&link, "수락"]);
    // rule C7: the client confirms; the partner hears it, and by when it
    // must answer the confirmation asked of it.
    let r = record(&d.client, &id);
    let r = confirm(&d.client, &id, &r).expect(200).json();
    let ask = open_request(&r, "confirmation");
    let by = korean_day(&last_kst_day(ask["answer_by"].as_str().unwrap()));
    let confirmed = notice_to(&d.partner.email, &[&link, "확인했습니다", &by]);
    notice_to(&d.partner.mobile, &[&link, "확인했습니다", &by]);
    assert!(
        confirmed.contains("물류센터 설계"),
        "the contract by its title: {confirmed}"
    );
    // The partner confirms: the contract is formed, the client hears it.
    let r = confirm(&d.partner, &id, &r).expect(200).json();
    assert_eq!(r["state"], "in_progress");
    let formed = notice_to(&d.client.email, &[&link, "성립"]);
    // rule C3: completion reported; the client hears by when to inspect.
    let r = post(&d.partner, &id, "complete", &json!({}))
        .expect(200)
        .json();
    let by = korean_day(&last_kst_day(r["inspection_until"].as_str().unwrap()));
    let completed = notice_to(&d.client.email, &[&link, "검수", &by]);
    notice_to(&d.client.mobile, &[&link, "검수", &by]);
    // Nobody hears of its own action: the partner's contract notices are
    // the client's confirmation alone; the client's, the three above.
    let notices = |m: &Company| {
        count(t, &format!("SELECT COUNT(*) AS n FROM outbox WHERE template = 'contract' AND member_id = '{}' AND channel = 'email'", m.member_id))
    };
    assert_eq!(notices(&d.partner), 1, "the partner's contract notices");
    assert_eq!(notices(&d.client), 2, "the client's contract notices");
    let internal = regex_lite::Regex::new(r"\b(con|mem|prop|req)_[A-Za-z0-9]{6,}").unwrap();
    for text in [&accepted, &confirmed, &formed, &completed] {
        let words = text.replace(&link, "");
        assert!(!internal.is_match(&words), "an internal id as text: {text}");
    }
}

/// Issue 21: one clock for every deadline, listed overdue first, then due
/// today, this week and later (KST days), for the member who must act, the
/// member who waits, and the staff whose role watches the kind.
#[test]
fn open_clocks_are_listed_overdue_first_then_today_this_week_later() {
    let t = target();
    let d = deal("consulting");
    let kst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    let today = chrono::Utc::now().with_timezone(&kst).date_naive();
    let day = |n: i64| today + chrono::Duration::days(n);
    let end = |n: i64| domain::kernel::clocks::due_at(day(n)).to_rfc3339();
    let (client, partner) = (&d.client.member_id, &d.partner.member_id);
    // Clocks of a kind of its own, so that no sweep step fires them.
    let mut sql = String::new();
    for (subject, n) in [
        ("ck-later", 30),
        ("ck-overdue", -2),
        ("ck-today", 0),
        ("ck-old", -40),
    ] {
        sql.push_str(&format!(
            "INSERT INTO clocks (id, kind, subject, record, actor, party, due_day, due_at, opened_at)
             VALUES ('clk-{subject}-{client}', 'test_kind', '{subject}-{client}', 'contract/x', '{client}', '{partner}', '{}', '{}', '{}');",
            day(n), end(n), end(-60)
        ));
    }
    sql.push_str(&format!(
        "INSERT INTO clocks (id, kind, subject, record, actor, due_day, due_at, opened_at, state)
         VALUES ('clk-met-{client}', 'test_kind', 'met-{client}', 'contract/x', '{client}', '{}', '{}', '{}', 'met');",
        day(-1), end(-1), end(-60)
    ));
    t.seed(&sql);
    let list = clocks(&d.client);
    let mine: Vec<(&str, &str)> = list["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "test_kind")
        .map(|c| {
            (
                c["subject"].as_str().unwrap(),
                c["bucket"].as_str().unwrap(),
            )
        })
        .collect();
    let s = |x: &str| format!("{x}-{client}");
    assert_eq!(
        mine,
        [
            (s("ck-old").as_str(), "overdue"),
            (s("ck-overdue").as_str(), "overdue"),
            (s("ck-today").as_str(), "today"),
            (s("ck-later").as_str(), "later"),
        ],
        "deadline first; a met clock is not listed: {list}"
    );
    // The counts cover every open clock of the member, bucket by bucket.
    assert_eq!(list["more"], false);
    for b in ["overdue", "today", "this_week", "later"] {
        let listed = list["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["bucket"] == b)
            .count();
        assert_eq!(list["counts"][b], listed as i64, "{b}: {list}");
    }
    assert!(list["counts"]["overdue"].as_i64().unwrap() >= 2);
    assert!(list["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["yours"] == true || c["kind"] != "test_kind"));
    // The party waits on the same clocks; another member sees none of them.
    let waits = clocks(&d.partner);
    assert_eq!(
        clock_of(&waits, &s("ck-today")).expect("the party's")["yours"],
        false
    );
    let stranger = Company::member(t, "client");
    assert!(clock_of(&clocks(&stranger), &s("ck-today")).is_none());
    // An owner sees every kind; no role watches the test's kind.
    let owner = staff_clocks(t, "owner");
    assert!(clock_of(&owner, &s("ck-old")).is_some(), "{owner}");
    let mediator = staff_clocks(t, "mediator");
    assert!(clock_of(&mediator, &s("ck-old")).is_none());
}

/// The staff's list of overdue requests, as an admin of `role` asks.
fn overdue(t: &'static dyn Target, role: &str) -> Reply {
    admin_call(
        t,
        &admin(t, role),
        "GET",
        "/admin/contract-requests",
        &json!(null),
    )
}

#[test]
fn c7_a_request_unanswered_for_7_kst_days_is_flagged_to_both_and_to_staff() {
    let _clock = SWEEP_CLOCK.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    let d = deal("manufacturing");
    let id = drafted(&d);
    // The client confirms: the partner is asked to confirm the same version,
    // by the end of the 7th KST day after today.
    let r = confirm(&d.client, &id, &record(&d.client, &id))
        .expect(200)
        .json();
    let q = open_request(&r, "confirmation").clone();
    assert_eq!(q["to_id"], d.partner.member_id.as_str());
    let created = chrono::DateTime::parse_from_rfc3339(q["created_at"].as_str().unwrap()).unwrap();
    let due = chrono::DateTime::parse_from_rfc3339(q["answer_by"].as_str().unwrap()).unwrap();
    assert_eq!(due, seven_kst_days_after(&created.to_rfc3339()));
    // Not overdue on the 7th day; overdue after it.
    t.sweep();
    sweep_days_ahead(t, 6);
    assert_eq!(
        open_request(&record(&d.client, &id), "confirmation")["flagged_at"],
        json!(null)
    );
    sweep_days_ahead(t, 9);
    let r = record(&d.partner, &id);
    let flagged = open_request(&r, "confirmation");
    assert!(flagged["flagged_at"].is_string(), "{r}");
    assert!(r["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["action"] == "contract.request_overdue" && h["actor"] == "system"));
    // By e-mail to both parties.
    for who in [&d.client, &d.partner] {
        receiver().wait_for("the overdue notice", |got| {
            got.iter().any(|m| {
                same_recipient(&m.to, &who.email) && m.subject.contains("답하지 않은 계약 요청")
            })
        });
    }
    // On the mediators' list (and not for the reviewers).
    let list = overdue(t, "mediator").expect(200).json();
    assert!(list["requests"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["request_id"] == q["request_id"] && x["contract_id"] == id.as_str()));
    overdue(t, "reviewer").expect(403);
    // One clock: the partner must act, the client waits, mediators watch;
    // fired (flagged) and still open until answered.
    let rid = q["request_id"].as_str().unwrap();
    let partners = clocks(&d.partner);
    let mine = clock_of(&partners, rid).expect("the partner's clock");
    assert_eq!(mine["kind"], "contract_request");
    assert_eq!(mine["yours"], true);
    assert_eq!(mine["record"], format!("contract/{id}"));
    assert_eq!(
        mine["due_day"],
        last_kst_day(q["answer_by"].as_str().unwrap())
    );
    assert!(mine["fired_at"].is_string(), "{mine}");
    assert_eq!(
        clock_of(&clocks(&d.client), rid).expect("the client's")["yours"],
        false
    );
    let staff = staff_clocks(t, "mediator");
    assert_eq!(
        clock_of(&staff, rid).expect("the mediators'")["actor"],
        d.partner.member_id.as_str()
    );
    let reviewers = staff_clocks(t, "reviewer");
    assert!(
        clock_of(&reviewers, rid).is_none(),
        "reviewers do not watch contract requests"
    );
    // The clock links to its record: the contract, as mediators read it
    // (no addresses, the read logged for both parties).
    let staff_view = admin_call(
        t,
        &admin(t, "mediator"),
        "GET",
        &format!("/admin/contracts/{id}"),
        &json!(null),
    )
    .expect(200)
    .json();
    assert_eq!(staff_view["contract_id"], id.as_str());
    assert!(find_in(&staff_view["requests"], "request_id", &q["request_id"]).is_some());
    assert!(staff_view["confirmations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k["ip"].is_null()));
    // rule A3: an admin's read of the parties' data is logged, per subject.
    for party in [&d.client.member_id, &d.partner.member_id] {
        assert!(
            count(t, &format!("SELECT COUNT(*) AS n FROM access_log WHERE subject = '{party}' AND what = 'contract.read_record'")) >= 1,
            "the read is logged for {party}"
        );
    }
    admin_call(
        t,
        &admin(t, "reviewer"),
        "GET",
        &format!("/admin/contracts/{id}"),
        &json!(null),
    )
    .expect(403);
    admin_call(
        t,
        &admin(t, "owner"),
        "GET",
        "/admin/contracts/con_nothing",
        &json!(null),
    )
    .expect(404);
    // Flagged once: another sweep sends nothing more.
    let before = count(t, &format!("SELECT COUNT(*) AS n FROM outbox WHERE template = 'request_overdue' AND member_id = '{}'", d.partner.member_id));
    assert_eq!(before, 1);
    sweep_days_ahead(t, 10);
    assert_eq!(count(t, &format!("SELECT COUNT(*) AS n FROM outbox WHERE template = 'request_overdue' AND member_id = '{}'", d.partner.member_id)), 1);
    // Answering it (the partner confirms) ends it; it leaves the list.
    let r = confirm(&d.partner, &id, &r).expect(200).json();
    assert_eq!(r["state"], "in_progress");
    assert!(
        clock_of(&clocks(&d.partner), rid).is_none(),
        "met: no longer open"
    );
    assert_eq!(
        count(t, &format!("SELECT COUNT(*) AS n FROM clocks WHERE subject = '{rid}' AND state = 'met' AND fired_at IS NOT NULL")),
        1
    );
    let list = overdue(t, "owner").expect(200).json();
    assert!(list["requests"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["request_id"] != q["request_id"]));
    // An edit makes a confirmation request moot.
    let d2 = deal("manufacturing");
    let id2 = drafted(&d2);
    let r2 = confirm(&d2.partner, &id2, &record(&d2.partner, &id2))
        .expect(200)
        .json();
    let q2 = open_request(&r2, "confirmation")["request_id"].clone();
    let r2 = edit(&d2.client, &id2, &r2, |b| {
        b["amount_krw"] = json!(13_000_000)
    })
    .expect(201)
    .json();
    let voided = find_in(&r2["requests"], "request_id", &q2).unwrap();
    assert_eq!(voided["state"], "void");
    assert_eq!(
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM clocks WHERE subject = '{}' AND state = 'void'",
                q2.as_str().unwrap()
            )
        ),
        1,
        "its clock is void"
    );
}

#[test]
fn c8_a_confirmed_direct_deal_costs_the_partner_200_percent_of_the_success_fee() {
    let t = target();
    let d = deal("design");
    let id = formed(&d, false);
    // Anyone signed in reports it: here a third member, then the client.
    let witness = Company::member(t, "partner");
    let bad = witness
        .call(
            "POST",
            "/member/direct-deals",
            &json!({"contract_id": "con_nothing", "description": "직거래"}),
        )
        .expect(422);
    assert_eq!(bad.pointers(), ["#/contract_id"]);
    let first = witness
        .call(
            "POST",
            "/member/direct-deals",
            &json!({"contract_id": id, "description": "두 회사가 플랫폼 밖에서 계약했습니다"}),
        )
        .expect(201)
        .json();
    assert_eq!(first["state"], "reported");
    let second = d
        .client
        .call(
            "POST",
            "/member/direct-deals",
            &json!({"contract_id": id, "description": "파트너가 직접 계약을 제안했습니다"}),
        )
        .expect(201)
        .json();
    let judge = admin(t, "mediator");
    let list = admin_call(t, &judge, "GET", "/admin/direct-deals", &json!(null))
        .expect(200)
        .json();
    let listed = find_in(&list["reports"], "report_id", &first["report_id"])
        .expect("listed for staff")
        .clone();
    assert_eq!(listed["partner_id"], d.partner.member_id.as_str());
    assert_eq!(listed["success_fee_bp"], 1200, "design's success fee");
    // rule A3: the reports' words about both parties, read by staff, are
    // in the access log under each party.
    for party in [&d.client.member_id, &d.partner.member_id] {
        assert!(
            count(t, &format!(
                "SELECT COUNT(*) AS n FROM access_log WHERE subject = '{party}' AND what = 'contract.read_direct_deals'"
            )) >= 1
        );
    }
    assert_eq!(listed["terms_amount_krw"], 12_000_000);
    // A reason is required.
    let path = format!(
        "/admin/direct-deals/{}",
        first["report_id"].as_str().unwrap()
    );
    admin_call(t, &judge, "POST", &path, &json!({"decision": "confirm"})).expect(422);
    // Confirmed: 200% of the 12% fee on the amount in force, charged to the
    // partner (the client proposed it; it makes no difference).
    let confirmed = admin_call(
        t,
        &judge,
        "POST",
        &path,
        &json!({"decision": "confirm", "reason": "양측 계좌 이체 내역 확인"}),
    )
    .expect(200)
    .json();
    assert_eq!(confirmed["state"], "confirmed");
    assert_eq!(confirmed["charge_krw"], 2_880_000);
    assert_eq!(
        count(t, &format!("SELECT COUNT(*) AS n FROM charges WHERE member_id = '{}' AND kind = 'direct_deal' AND amount_krw = 2880000 AND invoiced_at IS NULL", d.partner.member_id)),
        1,
        "recorded for billing"
    );
    admin_call(
        t,
        &judge,
        "POST",
        &path,
        &json!({"decision": "dismiss", "reason": "다시"}),
    )
    .expect(409);
    // The same matching is charged once: a second confirmation is refused
    // whole (the report stays open), a dismissal is fine.
    let path2 = format!(
        "/admin/direct-deals/{}",
        second["report_id"].as_str().unwrap()
    );
    admin_call(
        t,
        &judge,
        "POST",
        &path2,
        &json!({"decision": "confirm", "reason": "같은 건", "deal_amount_krw": 50_000_000}),
    )
    .expect(409);
    let mine = d
        .client
        .call("GET", "/member/direct-deals", &json!(null))
        .expect(200)
        .json();
    assert_eq!(mine["reports"][0]["state"], "reported");
    admin_call(
        t,
        &judge,
        "POST",
        &path2,
        &json!({"decision": "dismiss", "reason": "이미 확인된 건"}),
    )
    .expect(200);
    // The reporter sees the outcome; the partner hears of the charge.
    let theirs = witness
        .call("GET", "/member/direct-deals", &json!(null))
        .expect(200)
        .json();
    assert_eq!(theirs["reports"][0]["state"], "confirmed");
    assert_eq!(theirs["reports"][0]["reason"], "양측 계좌 이체 내역 확인");
    assert_eq!(
        theirs["reports"][0]["charge_krw"],
        json!(null),
        "not the parties' money"
    );
    receiver().wait_for("the direct-deal notice", |got| {
        got.iter()
            .any(|m| same_recipient(&m.to, &d.partner.email) && m.text.contains("2,880,000"))
    });
    assert!(record(&d.partner, &id)["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["action"] == "contract.direct_deal_confirmed"));
    // A stated deal amount is what the charge is computed on.
    let d2 = deal("software");
    let id2 = formed(&d2, false);
    let r = d2
        .client
        .call(
            "POST",
            "/member/direct-deals",
            &json!({"contract_id": id2, "description": "추가 작업을 직접 계약"}),
        )
        .expect(201)
        .json();
    let fee = record(&d2.client, &id2)["success_fee_bp"].as_i64().unwrap();
    let confirmed = admin_call(
        t,
        &admin(t, "owner"),
        "POST",
        &format!("/admin/direct-deals/{}", r["report_id"].as_str().unwrap()),
        &json!({"decision": "confirm", "reason": "계약서 사본", "deal_amount_krw": 1_234_567}),
    )
    .expect(200)
    .json();
    assert_eq!(confirmed["charge_krw"], 1_234_567 * fee * 2 / 10_000);
}

/// rule A2, issue 21: every kind of text a person writes is sealed at rest.
/// A unique marker (and, where the text may hold them, a phone number and
/// an e-mail) is written into each: a work request's title, scope and
/// location, a portfolio, a message, a draft's terms, a withdrawn draft's
/// reason, a cancellation's reason and its answer, a defect, a direct-deal
/// report and staff's decision on it, a decision on held content, a site's
/// services, a review's reason and a suspension's; none of them is in the
/// database file, and the parties still read their words.
#[test]
fn a2_every_text_a_person_writes_is_sealed_at_rest() {
    let _clock = SWEEP_CLOCK.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    let n = format!("{:08}", std::process::id() ^ 0x5eed);
    let mark = |what: &str| format!("표식{what}{n}");
    let contact = |what: &str| {
        format!(
            "{} 연락 010-7{}-{} seal{what}{n}@example.com",
            mark(what),
            &n[..3],
            &n[4..8]
        )
    };
    let mut written: Vec<String> = Vec::new();
    let d = deal("consulting");
    // A work request (held: it has contact details) with its location.
    let (title, scope, location) = (mark("title"), contact("scope"), contact("location"));
    d.client
        .call(
            "POST",
            "/member/requests",
            &json!({"category": "consulting", "title": title, "scope": scope, "budget_krw": 1_000_000, "due_date": "2099-03-31", "region": "seoul", "location": location}),
        )
        .expect(201);
    written.extend([title, scope, location]);
    // A portfolio (held as well).
    let portfolio = contact("portfolio");
    d.partner
        .call(
            "PUT",
            "/member/profile",
            &json!({"capabilities": ["설계"], "capacity": 1, "regions": ["all"], "portfolio_text": portfolio}),
        )
        .expect(200);
    written.push(portfolio);
    // A draft's terms, and a draft withdrawn with a reason.
    let draft = drafted(&d);
    let r = record(&d.client, &draft);
    let terms = (mark("vtitle"), mark("vscope"));
    let r = edit(&d.client, &draft, &r, |b| {
        b["title"] = json!(terms.0);
        b["scope"] = json!(terms.1);
    })
    .expect(201)
    .json();
    assert_eq!(
        current(&r)["title"],
        terms.0.as_str(),
        "the parties read it"
    );
    let withdrawn = mark("withdrawn");
    let r = post(&d.client, &draft, "cancel", &json!({"reason": withdrawn}))
        .expect(200)
        .json();
    assert_eq!(r["cancel_reason"], withdrawn.as_str());
    written.extend([terms.0, terms.1, withdrawn]);
    // A formed contract: a message (held), a cancellation asked and
    // declined, completion and a defect.
    let d = deal("consulting");
    let id = formed(&d, false);
    let body = contact("message");
    let m = message(&d.client, &id, &json!({"body": body}))
        .expect(201)
        .json();
    let own = m["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(own["body"], body.as_str(), "the author reads it");
    written.push(body);
    let asked = mark("cancel");
    let r = post(&d.partner, &id, "cancel", &json!({"reason": asked}))
        .expect(200)
        .json();
    let q = open_request(&r, "cancellation").clone();
    assert_eq!(q["reason"], asked.as_str());
    let declined = mark("declined");
    answer(
        &d.client,
        &id,
        &q,
        &json!({"answer": "decline", "reason": declined}),
    )
    .expect(200);
    written.extend([asked, declined]);
    post(&d.partner, &id, "complete", &json!({})).expect(200);
    let defect = mark("defect");
    let r = post(&d.client, &id, "defects", &json!({"description": defect}))
        .expect(200)
        .json();
    assert_eq!(r["defects"][0]["description"], defect.as_str());
    written.push(defect);
    // Staff decide on the held message with a reason.
    let reviewer = admin(t, "reviewer");
    let held = admin_call(t, &reviewer, "GET", "/admin/held", &json!(null))
        .expect(200)
        .json();
    let item = held["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["subject_id"] == own["message_id"])
        .expect("the message is held")
        .clone();
    let released = mark("released");
    admin_call(
        t,
        &reviewer,
        "POST",
        &format!("/admin/held/{}", item["held_id"].as_str().unwrap()),
        &json!({"decision": "release", "reason": released}),
    )
    .expect(200);
    written.push(released);
    // A direct-deal report, dismissed with a reason.
    let reported = mark("deal");
    let report = d
        .client
        .call(
            "POST",
            "/member/direct-deals",
            &json!({"contract_id": id, "description": reported}),
        )
        .expect(201)
        .json();
    let dismissed = mark("dismissed");
    admin_call(
        t,
        &admin(t, "mediator"),
        "POST",
        &format!(
            "/admin/direct-deals/{}",
            report["report_id"].as_str().unwrap()
        ),
        &json!({"decision": "dismiss", "reason": dismissed}),
    )
    .expect(200);
    written.extend([reported, dismissed]);
    // A site's services, a suspension's reason, a review's reason.
    let services = contact("services");
    d.client
        .call(
            "POST",
            "/member/sites",
            &json!({"name": "현장", "manager_name": "김현장", "manager_contact": "010-0000-0000", "address": "서울", "services": [services]}),
        )
        .expect(201);
    written.push(services);
    let suspended = Company::member(t, "client");
    let why = mark("suspended");
    admin_call(
        t,
        &admin(t, "billing"),
        "POST",
        "/admin/member-devices",
        &json!({"member_id": suspended.member_id, "suspended": true, "reason": why}),
    )
    .expect(200);
    written.push(why);
    let applicant = Applicant::submitted(t);
    let hold = mark("review");
    admin_call(
        t,
        &reviewer,
        "POST",
        "/admin/reviews",
        &json!({"member_id": applicant.member_id, "decision": "hold", "reason": hold}),
    )
    .expect(200);
    written.push(hold);
    // None of it, nor the contact details in it, is in the database file.
    let bytes = t.database_bytes();
    let hay = String::from_utf8_lossy(&bytes);
    for w in &written {
        for needle in w.split(' ').filter(|s| s.len() > 6) {
            assert!(
                !hay.contains(needle),
                "{needle:?} (of {w:?}) is stored in plain text"
            );
        }
    }
}
