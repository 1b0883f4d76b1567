//! Work requests and matching (rules M1, M3) and holding posted content
//! with contact details for review (rule C11), end to end.
//!
//! Tests in this binary run at once against one database: each uses its own
//! category, and asserts the order of its own partners among whoever else
//! is proposed.

use e2e::*;
use serde_json::{json, Value as Json};

fn profile(capabilities: usize, capacity: u32, regions: &[&str]) -> Json {
    json!({
        "capabilities": (0..capabilities).map(|i| format!("핵심역량 {i}")).collect::<Vec<_>>(),
        "capacity": capacity,
        "regions": regions,
    })
}

/// A partner in `categories`, with a saved profile.
fn partner(t: &'static dyn Target, categories: &[&str], body: &Json) -> Company {
    let p = Company::member_in(t, "partner", categories);
    p.call("PUT", "/member/profile", body).expect(200);
    p
}

/// A work request with a real street address as its location: structured
/// data for the contracted partner, not screened as prose (rule C11), so
/// it does not hold the request (tests used to dodge with "본사").
fn request_body(category: &str, region: &str, scope: &str) -> Json {
    json!({
        "category": category,
        "title": "사내 시스템 고도화",
        "scope": scope,
        "budget_krw": 30_000_000,
        "due_date": "2099-12-31",
        "region": region,
        "location": "서울특별시 강남구 테헤란로 123, 5층",
    })
}

/// My partners' proposals, in the order proposed.
fn mine<'a>(proposals: &'a Json, ids: &[&str]) -> Vec<&'a Json> {
    proposals
        .as_array()
        .expect("proposals")
        .iter()
        .filter(|p| ids.contains(&p["partner_id"].as_str().unwrap_or("")))
        .collect()
}

#[test]
fn m1_m3_partners_are_ranked_by_the_documented_score_with_every_factor_shown_and_weights_are_data()
{
    let t = target();
    let cat = "consulting";
    // a: serves the request's region; b: serves every region; c: elsewhere
    // only, but more capabilities; all otherwise alike.
    let a = partner(t, &[cat], &profile(3, 2, &["jeju"]));
    let b = partner(t, &[cat], &profile(3, 2, &["all"]));
    let c = partner(t, &[cat, "design"], &profile(5, 2, &["seoul"]));
    let client = Company::member(t, "client");
    let req = client
        .call(
            "POST",
            "/member/requests",
            &request_body(cat, "jeju", "업무 프로세스 진단"),
        )
        .expect(201)
        .json();
    assert_eq!(req["state"], "open");
    let id = req["request_id"].as_str().expect("id");
    let got = client
        .call("GET", &format!("/member/requests/{id}"), &json!(null))
        .expect(200)
        .json();
    let ids = [
        a.member_id.as_str(),
        b.member_id.as_str(),
        c.member_id.as_str(),
    ];
    let ranked = mine(&got["proposals"], &ids);
    assert_eq!(ranked.len(), 3, "all three proposed: {got}");
    for p in &ranked {
        let factors = p["factors"].as_array().expect("factors");
        let names: Vec<&str> = factors
            .iter()
            .filter_map(|f| f["factor"].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "category",
                "capabilities",
                "capacity",
                "portfolio",
                "scale",
                "region",
                "freshness"
            ]
        );
        // Each factor: weight × value / 10; the total is their sum.
        let mut sum = 0;
        for f in factors {
            let (v, w, pts) = (
                f["value"].as_u64().unwrap(),
                f["weight"].as_u64().unwrap(),
                f["points"].as_u64().unwrap(),
            );
            assert_eq!(pts, w * v / 10, "{f}");
            sum += pts;
        }
        assert_eq!(p["points"].as_u64(), Some(sum));
    }
    let by_id = |id: &str| {
        ranked
            .iter()
            .find(|p| p["partner_id"] == id)
            .copied()
            .expect("proposed")
    };
    let value = |p: &Json, name: &str| {
        p["factors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["factor"] == name)
            .unwrap()["value"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(value(by_id(&a.member_id), "region"), 1000);
    assert_eq!(value(by_id(&b.member_id), "region"), 1000);
    assert_eq!(value(by_id(&c.member_id), "region"), 0);
    assert_eq!(value(by_id(&c.member_id), "capabilities"), 1000);
    assert_eq!(value(by_id(&a.member_id), "freshness"), 1000);
    // a and b score alike (7,690: category 2,000, capabilities 1,200,
    // capacity 500, portfolio 750, scale 740, region 1,500, freshness
    // 1,000); b saved its profile later, so it is fresher and first. c has
    // 800 ‰ more capabilities (+400) but not the region (−1,500): last.
    assert_eq!(by_id(&a.member_id)["points"], 7690, "{got}");
    assert_eq!(by_id(&b.member_id)["points"], 7690, "{got}");
    assert_eq!(by_id(&c.member_id)["points"], 6990, "{got}");
    let order: Vec<&str> = ranked
        .iter()
        .map(|p| p["partner_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            b.member_id.as_str(),
            a.member_id.as_str(),
            c.member_id.as_str()
        ]
    );
    let ranks: Vec<u64> = ranked.iter().map(|p| p["rank"].as_u64().unwrap()).collect();
    assert!(
        ranks.windows(2).all(|w| w[0] < w[1]),
        "ranks increase: {ranks:?}"
    );

    // The partner sees its own score, every factor, in each category.
    let own = a
        .call("GET", "/member/profile", &json!(null))
        .expect(200)
        .json();
    assert_eq!(own["scores"][0]["category"], cat);
    assert_eq!(
        own["scores"][0]["factors"].as_array().map(Vec::len),
        Some(7)
    );

    // rule M3: six months later (the sweep's clock), a's information is
    // stale and it ranks below b until it saves its profile again.
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        &json_body(&json!({"sweep_clock_offset_secs": (190 * 86_400).to_string()})),
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
    // b turned stale too (same day): refresh b only.
    b.call("PUT", "/member/profile", &profile(3, 2, &["all"]))
        .expect(200);
    let got = client
        .call("GET", &format!("/member/requests/{id}"), &json!(null))
        .expect(200)
        .json();
    let ranked = mine(&got["proposals"], &ids);
    let order: Vec<&str> = ranked
        .iter()
        .map(|p| p["partner_id"].as_str().unwrap())
        .collect();
    assert_eq!(order[0], b.member_id, "the fresh partner first: {got}");
    let stale_a = ranked
        .iter()
        .find(|p| p["partner_id"] == a.member_id.as_str())
        .expect("a");
    assert_eq!(value(stale_a, "freshness"), 0, "{stale_a}");
    a.call("PUT", "/member/profile", &profile(3, 2, &["jeju"]))
        .expect(200);
    let got = client
        .call("GET", &format!("/member/requests/{id}"), &json!(null))
        .expect(200)
        .json();
    let fresh_a = mine(&got["proposals"], &ids)
        .into_iter()
        .find(|p| p["partner_id"] == a.member_id.as_str())
        .expect("a");
    assert_eq!(value(fresh_a, "freshness"), 1000, "updated: fresh again");

    // rule M1: the weights are data. An owner weighs capabilities double and
    // region not at all: c (5 capabilities, stale) now leads with 7,990
    // against a's and b's 7,390, once the background job has re-scored the
    // stored ranking rows (a request no longer updates them all at once).
    let owner = admin(t, "owner");
    let bad = admin_call(
        t,
        &owner,
        "PUT",
        "/admin/match-weights",
        &json!({"weights": {"luck": 5, "region": 101}}),
    )
    .expect(422);
    let mut p = bad.pointers();
    p.sort();
    assert_eq!(p, ["#/weights/luck", "#/weights/region"]);
    let set = admin_call(
        t,
        &owner,
        "PUT",
        "/admin/match-weights",
        &json!({"weights": {"region": 0, "capabilities": 40}}),
    )
    .expect(200)
    .json();
    assert_eq!(
        set["weights"][1],
        json!({"factor": "capabilities", "weight": 40})
    );
    let job = format!(
        "/admin/jobs/{}",
        set["rescoring_job"].as_str().expect("a job")
    );
    assert!(
        eventually(60, || {
            admin_call(t, &owner, "GET", &job, &json!(null))
                .expect(200)
                .json()["state"]
                == "done"
        }),
        "the ranking rows are re-scored"
    );
    let got = client
        .call("GET", &format!("/member/requests/{id}"), &json!(null))
        .expect(200)
        .json();
    let ranked = mine(&got["proposals"], &ids);
    let order: Vec<&str> = ranked
        .iter()
        .map(|p| p["partner_id"].as_str().unwrap())
        .collect();
    assert_eq!(order[0], c.member_id, "{got}");
    assert_eq!(ranked[0]["points"], 7990, "{got}");
    let shown = admin_call(
        t,
        &admin(t, "auditor"),
        "GET",
        "/admin/match-weights",
        &json!(null),
    )
    .expect(200)
    .json();
    assert_eq!(
        shown["weights"][5],
        json!({"factor": "region", "weight": 0})
    );
    admin_call(
        t,
        &owner,
        "PUT",
        "/admin/match-weights",
        &json!({"weights": {"region": 15, "capabilities": 20}}),
    )
    .expect(200);
}

#[test]
fn m1_a_request_is_the_clients_and_only_clients_post_them() {
    let t = target();
    let client = Company::member(t, "client");
    let other = Company::member(t, "client");
    let partner = Company::member_in(t, "partner", &["marketing"]);
    let body = request_body("marketing", "busan", "브랜드 캠페인 기획");
    partner.call("POST", "/member/requests", &body).expect(403);
    let id = client
        .call("POST", "/member/requests", &body)
        .expect(201)
        .json()["request_id"]
        .as_str()
        .expect("id")
        .to_owned();
    // Another member: as if it did not exist.
    other
        .call("GET", &format!("/member/requests/{id}"), &json!(null))
        .expect(404);
    let list = client
        .call("GET", "/member/requests", &json!(null))
        .expect(200)
        .json();
    assert_eq!(list["requests"][0]["request_id"], id.as_str());
    // Only partners have a matching profile.
    client
        .call("PUT", "/member/profile", &profile(1, 1, &["all"]))
        .expect(403);
}

#[test]
fn m1_bad_requests_are_refused_with_field_pointers_and_nothing_is_written() {
    let t = target();
    let client = Company::member(t, "client");
    let before = count(
        t,
        &format!(
            "SELECT COUNT(*) AS n FROM work_requests WHERE client_id = '{}'",
            client.member_id
        ),
    );
    let r = client
        .call(
            "POST",
            "/member/requests",
            &json!({"category": "software", "title": " ", "scope": "x", "budget_krw": 0, "due_date": "2026-13-01", "region": "mars", "location": "본사"}),
        )
        .expect(422);
    let mut p = r.pointers();
    p.sort();
    assert_eq!(p, ["#/budget_krw", "#/due_date", "#/region", "#/title"]);
    let r = client
        .call("POST", "/member/requests", &{
            let mut b = request_body("software", "seoul", "범위");
            b["due_date"] = json!("2020-01-01");
            b
        })
        .expect(422);
    assert_eq!(r.pointers(), ["#/due_date"]);
    let r = client
        .call(
            "POST",
            "/member/requests",
            &request_body("astrology", "seoul", "범위"),
        )
        .expect(422);
    assert_eq!(r.pointers(), ["#/category"]);
    let after = count(
        t,
        &format!(
            "SELECT COUNT(*) AS n FROM work_requests WHERE client_id = '{}'",
            client.member_id
        ),
    );
    assert_eq!(before, after);
    let partner = Company::member_in(t, "partner", &["software"]);
    let r = partner
        .call(
            "PUT",
            "/member/profile",
            &json!({"capabilities": [], "capacity": 101, "regions": ["seoul", "atlantis"]}),
        )
        .expect(422);
    let mut p = r.pointers();
    p.sort();
    assert_eq!(p, ["#/capabilities", "#/capacity", "#/regions/1"]);
}

#[test]
fn c11_contact_details_hold_a_request_until_a_reviewer_releases_it() {
    let t = target();
    let client = Company::member(t, "client");
    let held = client
        .call(
            "POST",
            "/member/requests",
            &request_body(
                "manufacturing",
                "ulsan",
                "자세한 건 공일공 일이삼사 오육칠팔 로 연락 주세요",
            ),
        )
        .expect(201)
        .json();
    assert_eq!(held["state"], "held");
    assert_eq!(held["findings"][0]["kind"], "phone");
    let id = held["request_id"].as_str().expect("id");
    // Held: no partner is proposed yet.
    let got = client
        .call("GET", &format!("/member/requests/{id}"), &json!(null))
        .expect(200)
        .json();
    assert_eq!(got["state"], "held");
    assert_eq!(got["proposals"], json!([]));
    // The reviewer sees it with what was found, and releases it with a reason.
    let reviewer = admin(t, "reviewer");
    let list = admin_call(t, &reviewer, "GET", "/admin/held", &json!(null))
        .expect(200)
        .json();
    let item = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["subject_id"] == id)
        .expect("the request is held")
        .clone();
    assert_eq!(item["kind"], "work_request");
    assert!(item["text"].as_str().unwrap().contains("공일공"));
    let hid = item["held_id"].as_str().expect("held id");
    admin_call(
        t,
        &reviewer,
        "POST",
        &format!("/admin/held/{hid}"),
        &json!({"decision": "release"}),
    )
    .expect(422);
    admin_call(
        t,
        &reviewer,
        "POST",
        &format!("/admin/held/{hid}"),
        &json!({"decision": "release", "reason": "발주처 대표번호로 확인됨"}),
    )
    .expect(200);
    // Decided once only.
    admin_call(
        t,
        &reviewer,
        "POST",
        &format!("/admin/held/{hid}"),
        &json!({"decision": "reject", "reason": "again"}),
    )
    .expect(409);
    let got = client
        .call("GET", &format!("/member/requests/{id}"), &json!(null))
        .expect(200)
        .json();
    assert_eq!(got["state"], "open");
    assert_eq!(got["review_reason"], "발주처 대표번호로 확인됨");

    // A rejected request stays closed to matching.
    let r = client
        .call(
            "POST",
            "/member/requests",
            &request_body("manufacturing", "ulsan", "수수료 없이 직거래 원합니다"),
        )
        .expect(201)
        .json();
    assert_eq!(r["findings"][0]["kind"], "off_platform");
    let rid = r["request_id"].as_str().unwrap();
    let list = admin_call(t, &reviewer, "GET", "/admin/held", &json!(null))
        .expect(200)
        .json();
    let hid = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["subject_id"] == rid)
        .expect("held")["held_id"]
        .as_str()
        .unwrap()
        .to_owned();
    admin_call(
        t,
        &reviewer,
        "POST",
        &format!("/admin/held/{hid}"),
        &json!({"decision": "reject", "reason": "직거래 제안"}),
    )
    .expect(200);
    let got = client
        .call("GET", &format!("/member/requests/{rid}"), &json!(null))
        .expect(200)
        .json();
    assert_eq!(got["state"], "rejected");
    assert_eq!(got["review_reason"], "직거래 제안");
}

#[test]
fn c11_a_portfolio_text_with_contact_details_is_held_then_removed_if_rejected() {
    let t = target();
    let p = Company::member_in(t, "partner", &["construction"]);
    let mut body = profile(2, 1, &["daegu"]);
    body["portfolio_text"] = json!("시공 사례 다수. 문의: kim dot build at gmail dot com");
    let saved = p.call("PUT", "/member/profile", &body).expect(200).json();
    assert_eq!(saved["portfolio_held"], true);
    assert_eq!(saved["portfolio_findings"][0]["kind"], "email");
    let reviewer = admin(t, "owner");
    let list = admin_call(t, &reviewer, "GET", "/admin/held", &json!(null))
        .expect(200)
        .json();
    let hid = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["subject_id"] == p.member_id.as_str() && i["kind"] == "portfolio")
        .expect("held")["held_id"]
        .as_str()
        .unwrap()
        .to_owned();
    admin_call(
        t,
        &reviewer,
        "POST",
        &format!("/admin/held/{hid}"),
        &json!({"decision": "reject", "reason": "연락처 포함"}),
    )
    .expect(200);
    let got = p
        .call("GET", "/member/profile", &json!(null))
        .expect(200)
        .json();
    assert_eq!(got["portfolio_text"], json!(null));
    assert_eq!(got["portfolio_held"], false);
}

/// A partner approved and in its trial matchings, signed in (rule S7).
fn partner_in_trial(t: &'static dyn Target, category: &str) -> (Applicant, Company) {
    let a = Applicant::submitted_in(t, "partner", &[category]);
    let c = Company::of(t, &a, a.approve_in_trial());
    (a, c)
}

fn trials(t: &dyn Target, member: &str) -> i64 {
    count(
        t,
        &format!("SELECT COUNT(*) AS n FROM trial_matchings WHERE member_id = '{member}' AND recorded_by = 'system'"),
    )
}

#[test]
fn s7_m2_accepted_proposals_are_the_trial_matchings_of_a_partner_in_trial() {
    let t = target();
    let (a, p) = partner_in_trial(t, "marketing");
    // In trial it signs in to the matching routes only.
    let r = p.call("GET", "/member/sites", &json!(null)).expect(403);
    assert_eq!(r.round_trips(), 0, "refused before any read");
    assert!(
        r.json()["detail"].as_str().unwrap().contains("시범"),
        "{}",
        r.json()
    );
    p.call("PUT", "/member/profile", &profile(5, 4, &["jeju"]))
        .expect(200);
    let me = |p: &Company| p.call("GET", "/auth/me", &json!(null)).expect(200).json();
    assert_eq!(me(&p)["status"], "approved");
    assert_eq!(me(&p)["trial_matchings_left"], 5, "all five left");
    let client = Company::member(t, "client");
    let offer = |n: usize| {
        let id = client
            .call(
                "POST",
                "/member/requests",
                &request_body("marketing", "jeju", &format!("캠페인 {n}")),
            )
            .expect(201)
            .json()["request_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let got = client
            .call("GET", &format!("/member/requests/{id}"), &json!(null))
            .expect(200)
            .json();
        (id, !mine(&got["proposals"], &[&p.member_id]).is_empty())
    };
    // Each proposal it accepts is one trial matching, up to the
    // configured five; then it is no longer proposed.
    for n in 1..=5 {
        let (request, proposed) = offer(n);
        assert!(proposed, "proposed while in trial ({n})");
        let pid = client
            .call(
                "POST",
                &format!("/member/requests/{request}/proposals"),
                &json!({"partner_id": p.member_id}),
            )
            .expect(201)
            .json()["proposal_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let accepted = p
            .call(
                "POST",
                &format!("/member/proposals/{pid}"),
                &json!({"decision": "accept"}),
            )
            .expect(200)
            .json();
        assert!(accepted["contract_id"].is_string());
        assert_eq!(trials(t, &p.member_id), n as i64);
        assert_eq!(me(&p)["trial_matchings_left"], 5 - n as i64);
        if n == 1 {
            // The fee cannot be paid before the trials are done.
            let r = a.pay().expect(409).json();
            assert_eq!(r["trials"], 1);
            // It follows its contract like any partner.
            let id = accepted["contract_id"].as_str().unwrap();
            assert_eq!(
                p.call("GET", &format!("/member/contracts/{id}"), &json!(null))
                    .expect(200)
                    .json()["state"],
                "draft"
            );
        }
    }
    let ranked = |id: &str| {
        count(
            t,
            &format!("SELECT COUNT(*) AS n FROM match_index WHERE member_id = '{id}'"),
        )
    };
    assert_eq!(
        ranked(&p.member_id),
        0,
        "out of trial: its ranking rows are gone"
    );
    let (request, proposed) = offer(6);
    assert!(!proposed, "five trial matchings done: not proposed");
    let r = client
        .call(
            "POST",
            &format!("/member/requests/{request}/proposals"),
            &json!({"partner_id": p.member_id}),
        )
        .expect(422);
    assert_eq!(r.pointers(), ["#/partner_id"]);
    // Paid: active, every route open, no trial count, ranked again.
    a.pay().expect(200);
    assert!(
        ranked(&p.member_id) > 0,
        "active: ranked from its profile again"
    );
    assert!(offer(7).1, "and proposed again");
    let session = a.session();
    admin_call(t, &session, "GET", "/member/sites", &json!(null)).expect(200);
    let me = admin_call(t, &session, "GET", "/auth/me", &json!(null))
        .expect(200)
        .json();
    assert!(me.get("trial_matchings_left").is_none(), "{me}");
    // A partner whose trials were waived waits for the fee: no member
    // session, only its application's.
    let w = Applicant::submitted(t);
    w.approve();
    w.waive_trials();
    let r = w.sign_in().expect(200).json();
    assert_eq!(r["application"], "approved");
    assert!(r.get("token").is_none(), "{r}");
}

/// Issue 21 (bounded work, M1): a suspended partner's ranking rows go (it
/// is not proposed, and no request reads rows only to skip them); once
/// reinstated it is ranked again from what it registered.
#[test]
fn m1_a_suspended_partner_leaves_the_rankings_and_returns_when_reinstated() {
    let t = target();
    let p = partner(t, &["construction"], &profile(3, 2, &["all"]));
    let client = Company::member(t, "client");
    // Whether the client may propose the request to it: only to a partner
    // ranked for the request (422 at `partner_id` otherwise).
    let proposed = || {
        let id = client
            .call(
                "POST",
                "/member/requests",
                &request_body("construction", "busan", "설계"),
            )
            .expect(201)
            .json()["request_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let r = client.call(
            "POST",
            &format!("/member/requests/{id}/proposals"),
            &json!({"partner_id": p.member_id}),
        );
        match r.status {
            201 => true,
            _ => {
                assert_eq!(r.expect(422).pointers(), ["#/partner_id"]);
                false
            }
        }
    };
    let ranked = || {
        count(
            t,
            &format!(
                "SELECT COUNT(*) AS n FROM match_index WHERE member_id = '{}'",
                p.member_id
            ),
        )
    };
    assert!(ranked() > 0 && proposed());
    let billing = admin(t, "billing");
    let suspend = |on: bool| {
        admin_call(
            t,
            &billing,
            "POST",
            "/admin/member-devices",
            &json!({"member_id": p.member_id, "suspended": on, "reason": "요금 미납"}),
        )
        .expect(200);
    };
    suspend(true);
    assert_eq!(ranked(), 0, "suspended: its rows are gone");
    assert!(!proposed(), "and it is not proposed");
    suspend(false);
    assert!(ranked() > 0, "reinstated: ranked again");
    assert!(proposed(), "and proposed again");
}
