//! Billing (rules B1, B2, B8), end to end: plans as data, a member's plan
//! and its history, the monthly invoice run over every member (a backlog of
//! a thousand besides), exactly once when its steps run again, and the
//! next month's late fees.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, TimeZone, Utc};
use e2e::*;
use serde_json::{json, Value as Json};

/// The run is per month: the tests that move the sweep's clock to start
/// it take this, so one month's run is started by one test.
static SWEEP_CLOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn kst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap()
}

fn today_kst() -> NaiveDate {
    Utc::now().with_timezone(&kst()).date_naive()
}

fn first_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap()
}

fn next_month(day: NaiveDate) -> NaiveDate {
    first_of(first_of(day) + Days::new(32))
}

fn days_in(day: NaiveDate) -> i64 {
    (next_month(day) - first_of(day)).num_days()
}

fn label(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// 00:30 KST on `day`.
fn kst_half_past_midnight(day: NaiveDate) -> DateTime<Utc> {
    kst()
        .from_local_datetime(&day.and_hms_opt(0, 30, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn plan(t: &'static dyn Target, billing: &str, member: &str, body: &Json) -> Reply {
    admin_call(t, billing, "POST", &format!("/admin/members/{member}/plan"), body)
}

/// Waits for job `id` to finish: its row.
fn finished(t: &'static dyn Target, owner: &str, id: &str) -> Json {
    let job = format!("/admin/jobs/{id}");
    let mut row = json!(null);
    assert!(
        eventually(120, || {
            row = admin_call(t, owner, "GET", &job, &json!(null))
                .expect(200)
                .json();
            row["state"] == "done"
        }),
        "job {id} finishes: {row}"
    );
    row
}

/// Moves the sweep to 00:30 KST on `day`, which starts that month's run
/// and that day's dunning run, and waits for both: the invoice run's row.
fn run_month(t: &'static dyn Target, owner: &str, day: NaiveDate) -> Json {
    let secs = (kst_half_past_midnight(day) - Utc::now()).num_seconds();
    sweep_ahead(t, secs);
    finished(t, owner, &format!("dunning_{day}"));
    finished(t, owner, &format!("invoices_{}", label(day)))
}

fn lines_of(t: &dyn Target, invoice: &str) -> Vec<(String, i64)> {
    t.query(&format!(
        "SELECT kind, amount_krw FROM invoice_lines WHERE invoice_id = '{invoice}' ORDER BY line_no"
    ))
    .iter()
    .map(|r| {
        (
            r.text("kind").unwrap().to_owned(),
            r.int("amount_krw").unwrap(),
        )
    })
    .collect()
}

fn accepted_contract(d: &Deal) -> (String, i64) {
    let id = formed_contract(d);
    let path = |a: &str| format!("/member/contracts/{id}/{a}");
    d.partner.call("POST", &path("complete"), &json!({})).expect(200);
    let r = d.client.call("POST", &path("accept"), &json!({})).expect(200).json();
    assert_eq!(r["state"], "accepted");
    let n = r["current_version"].clone();
    let amount = r["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["number"] == n)
        .unwrap()["amount_krw"]
        .as_i64()
        .unwrap();
    (id, amount)
}

// One test for the run: it moves the sweep's clock over two months.
#[test]
fn b1_b2_b8_the_monthly_run_bills_every_member_once_prorated_with_vat_and_late_fees() {
    let _clock = SWEEP_CLOCK.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    let (billing, owner) = (admin(t, "billing"), admin(t, "owner"));
    let today = today_kst();
    let period = next_month(today);
    let after = next_month(period);

    // A partner with a plan from its activation (today), a terminal, and
    // an accepted contract in "design" (12%).
    let d = deal("design");
    admin_call(
        t,
        &billing,
        "POST",
        "/admin/member-devices",
        &json!({"member_id": d.partner.member_id, "device_limit": 1}),
    )
    .expect(200);
    let site = d.partner.site();
    let terminal = d.partner.terminal(&site);
    let (contract, amount) = accepted_contract(&d);
    let set = plan(
        t,
        &billing,
        &d.partner.member_id,
        &json!({"plan_code": "attend-basic", "units": 2, "term_months": 1}),
    )
    .expect(200)
    .json();
    // rule B1: the first plan starts on the activation day by default.
    assert_eq!(set["current"]["starts_on"], today.to_string(), "{set}");
    assert_eq!(set["current"]["monthly_krw"], 30_000);
    assert_eq!(set["history"].as_array().unwrap().len(), 1);

    // A backlog of a thousand active members activated around the last
    // KST midnight of the month before this one: 15:30 UTC on its last
    // day is the 1st of this month in Korea (this month whole); 14:59 UTC
    // is still that last day (one day of it).
    let last_day_before = first_of(today).pred_opt().unwrap();
    let utc_on = |h: u32, m: u32| {
        Utc.from_utc_datetime(&last_day_before.and_hms_opt(h, m, 0).unwrap())
            .to_rfc3339()
    };
    let (late, early) = (utc_on(15, 30), utc_on(14, 59));
    let n: usize = 500;
    t.seed(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
         INSERT INTO members (id, kind, status, step, created_at, activated_at)
           SELECT printf('bb-a-%04d', i), 'client', 'active', 7, '{late}', '{late}' FROM n
           UNION ALL SELECT printf('bb-b-%04d', i), 'client', 'active', 7, '{early}', '{early}' FROM n;
         INSERT INTO member_plans (id, member_id, plan_code, units, unit_price_krw, term_months, discount_bp, starts_on, created_by, created_at)
           SELECT 'mpl-' || id, id, 'attend-pro', 1, 12000, 1, 0, date(activated_at, '+9 hours'), 'seed', activated_at
           FROM members WHERE id LIKE 'bb-%';"
    ));

    // rule B4: backlog member bb-b-0003 was down 72 hours from the 1st of
    // this month (KST), 2 of them announced maintenance, and bb-b-0004 for
    // 30 hours (95.9% or more: no credit).
    let this_month = kst()
        .from_local_datetime(&first_of(today).and_hms_opt(0, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let outage = |body: Json| admin_call(t, &billing, "POST", "/admin/outages", &body);
    let hours = |h: i64| (this_month + chrono::Duration::hours(h)).to_rfc3339();
    outage(json!({"kind": "outage", "member_id": "bb-b-0003", "starts_at": hours(0), "ends_at": hours(72), "note": "DB 장애"}))
        .expect(201);
    let planned = outage(json!({"kind": "maintenance", "member_id": "bb-b-0003", "starts_at": hours(10), "ends_at": hours(12),
        "announced_at": hours(-48), "note": "정기 점검"}))
    .expect(201)
    .json();
    assert_eq!(planned["excluded"], true);
    outage(json!({"kind": "outage", "member_id": "bb-b-0004", "starts_at": hours(0), "ends_at": hours(30), "note": "망 장애"}))
        .expect(201);
    let bad = outage(json!({"kind": "maintenance", "starts_at": hours(5), "ends_at": hours(1), "note": ""})).expect(422);
    let mut ptrs = bad.pointers();
    ptrs.sort();
    assert_eq!(ptrs, vec!["#/announced_at", "#/ends_at", "#/note"], "every bad field at once");
    let listed = admin_call(t, &billing, "GET", &format!("/admin/outages?month={}", label(today)), &json!(null))
        .expect(200)
        .json();
    assert!(listed["outages"].as_array().unwrap().len() >= 3);

    let job = run_month(t, &owner, period);

    // rule B1: the partner's first invoice bills this month from today,
    // prorated by day and floored, and next month whole, due by the 10th.
    let list = d.partner.call("GET", "/member/invoices", &json!(null)).expect(200).json();
    let invoices = list["invoices"].as_array().unwrap();
    assert_eq!(invoices.len(), 1, "{list}");
    let inv = &invoices[0];
    assert_eq!(inv["period"], label(period));
    assert_eq!(inv["due_day"], format!("{}-10", label(period)));
    let days = days_in(today) - i64::from(today.day()) + 1;
    let prorated = 30_000 * days / days_in(today);
    // rule B8: the success fee at the category's 12%, once.
    let fee = amount * 1_200 / 10_000;
    let id = inv["id"].as_str().unwrap();
    assert_eq!(
        lines_of(t, id),
        vec![
            ("plan_fee".to_owned(), prorated),
            ("plan_fee".to_owned(), 30_000),
            ("success_fee".to_owned(), fee),
        ]
    );
    let supply = prorated + 30_000 + fee;
    assert_eq!(inv["supply_krw"], supply);
    assert_eq!(inv["vat_krw"], supply / 10);
    assert_eq!(inv["outside_krw"], 0);
    assert_eq!(inv["total_krw"], supply + supply / 10);
    let detail = d
        .partner
        .call("GET", &format!("/member/invoices/{id}"), &json!(null))
        .expect(200)
        .json();
    assert_eq!(detail["lines"][2]["source_id"], contract.as_str());
    assert_eq!(detail["lines"][2]["vat_class"], "taxable");
    // rule B10: the invoice is sent to the member, its amounts as the tax
    // invoice shows them.
    let grouped = |v: i64| {
        let d = v.to_string();
        let mut out = String::new();
        for (i, c) in d.chars().enumerate() {
            if i > 0 && (d.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    let total_text = format!("합계 {}원", grouped(supply + supply / 10));
    receiver().wait_for("the invoice's notice", |got| {
        got.iter().any(|m| {
            e2e::receiver::same_recipient(&m.to, &d.partner.email)
                && m.subject.contains("청구서")
                && m.text.contains(&total_text)
                && m.text.contains(&format!("{}-10", label(period)))
        })
    });
    // Another member's invoice is not found.
    d.client
        .call("GET", &format!("/member/invoices/{id}"), &json!(null))
        .expect(404);

    // rule B1: the backlog, each member once; 15:30 UTC was the next KST
    // day (two whole months), 14:59 UTC the day before (one day more).
    let count = |sql: &str| count(t, sql);
    let p = label(period);
    assert_eq!(
        count(&format!("SELECT COUNT(*) AS n FROM invoices WHERE period = '{p}' AND member_id LIKE 'bb-%'")),
        2 * i64::try_from(n).unwrap()
    );
    assert_eq!(
        count(&format!("SELECT COUNT(DISTINCT supply_krw) AS n FROM invoices WHERE period = '{p}' AND member_id LIKE 'bb-a-%'")),
        1
    );
    assert_eq!(
        lines_of(t, &format!("inv_{}_bb-a-0001", p.replace('-', ""))),
        vec![("plan_fee".to_owned(), 12_000), ("plan_fee".to_owned(), 12_000)]
    );
    assert_eq!(
        lines_of(t, &format!("inv_{}_bb-b-0001", p.replace('-', ""))),
        vec![
            ("plan_fee".to_owned(), 12_000 / days_in(last_day_before)),
            ("plan_fee".to_owned(), 12_000),
            ("plan_fee".to_owned(), 12_000)
        ]
    );
    assert!(job["units"].as_i64().unwrap() >= 2 * i64::try_from(n).unwrap() + 1, "{job}");
    // rule B4: 70 hours down this month: a credit of the shortfall below
    // 95% of the average of its plan fees (the day of last month and this
    // month), lowering the supply value; 30 hours: none.
    let month_secs = days_in(today) * 86_400;
    let down = 70 * 3_600;
    let one_day = 12_000 / days_in(last_day_before);
    let average = (one_day + 12_000) / 2;
    let credit = average * (20 * down - month_secs) / (20 * month_secs);
    assert!(credit > 0);
    assert_eq!(
        lines_of(t, &format!("inv_{}_bb-b-0003", p.replace('-', ""))),
        vec![
            ("plan_fee".to_owned(), one_day),
            ("plan_fee".to_owned(), 12_000),
            ("plan_fee".to_owned(), 12_000),
            ("sla_credit".to_owned(), -credit)
        ]
    );
    assert_eq!(
        lines_of(t, &format!("inv_{}_bb-b-0004", p.replace('-', ""))).len(),
        3,
        "no credit at 95% or more"
    );

    // Exactly once when every step runs again: the job rewound to its
    // first step and resumed writes no invoice and no line twice.
    let all = "SELECT (SELECT COUNT(*) FROM invoices) * 1000000 + (SELECT COUNT(*) FROM invoice_lines) AS n";
    let before = count(all);
    t.seed(&format!(
        "UPDATE jobs SET state = 'failed', step = 0, cursor = NULL, units = 0, finished_at = NULL WHERE id = 'invoices_{p}'"
    ));
    admin_call(t, &owner, "POST", &format!("/admin/jobs/invoices_{p}/resume"), &json!({})).expect(202);
    assert!(eventually(120, || {
        admin_call(t, &owner, "GET", &format!("/admin/jobs/invoices_{p}"), &json!(null))
            .expect(200)
            .json()["state"]
            == "done"
    }));
    assert_eq!(count(all), before, "nothing billed twice");
    assert_eq!(
        count(&format!("SELECT COUNT(*) AS n FROM outbox WHERE id = 'ntc_{id}'")),
        1,
        "the invoice is sent once"
    );
    assert_eq!(
        count(&format!("SELECT COUNT(*) AS n FROM invoice_lines WHERE source_id = '{contract}'")),
        1
    );

    // Billing staff read the month a page at a time.
    let mut seen = 0;
    let mut cursor = String::new();
    loop {
        let page = admin_call(
            t,
            &billing,
            "GET",
            &format!("/admin/invoices?period={p}&after={cursor}"),
            &json!(null),
        )
        .expect(200)
        .json();
        seen += page["invoices"].as_array().unwrap().len();
        match page["next_after"].as_str() {
            Some(a) => cursor = a.to_owned(),
            None => break,
        }
    }
    assert_eq!(
        i64::try_from(seen).unwrap(),
        count(&format!("SELECT COUNT(*) AS n FROM invoices WHERE period = '{p}'"))
    );
    let bad = admin_call(t, &billing, "GET", "/admin/invoices?period=2027-1", &json!(null));
    assert_eq!(bad.expect(422).pointers(), vec!["#/period".to_owned()]);

    // rule D6: the partner objects to 5,000 won of it within 10 days of
    // its sending; billing staff have 7 KST days, then name a new day.
    let objection = |body: &Json| {
        d.partner
            .call("POST", &format!("/member/invoices/{id}/objections"), body)
    };
    let total = inv["total_krw"].as_i64().unwrap();
    let over = objection(&json!({"disputed_krw": total + 1, "reason": "금액이 다릅니다"})).expect(422);
    assert_eq!(over.pointers(), vec!["#/disputed_krw".to_owned()]);
    let bad = objection(&json!({"disputed_krw": 0, "reason": ""})).expect(422);
    assert_eq!(bad.pointers().len(), 2, "every bad field at once");
    let ob = objection(&json!({"disputed_krw": 5_000, "reason": "12월 사용일수가 맞지 않습니다"}))
        .expect(201)
        .json();
    assert_eq!(ob["answer_by"], (today + Days::new(7)).to_string());
    objection(&json!({"disputed_krw": 1_000, "reason": "또 다른 이의"})).expect(409);
    let ob_id = ob["objection_id"].as_str().unwrap().to_owned();
    let staff = admin_call(t, &billing, "GET", "/admin/billing-objections", &json!(null))
        .expect(200)
        .json();
    assert!(staff["objections"].as_array().unwrap().iter().any(|o| o["objection_id"] == ob_id.as_str()));
    let clocks = admin_call(t, &billing, "GET", "/admin/clocks", &json!(null)).expect(200).json();
    assert_eq!(
        clock_of(&clocks, &ob_id).expect("the answer's clock")["due_day"],
        (today + Days::new(7)).to_string()
    );
    let later = today + Days::new(14);
    let delayed = admin_call(
        t,
        &billing,
        "POST",
        &format!("/admin/billing-objections/{ob_id}/delay"),
        &json!({"to_day": later.to_string(), "reason": "카드사 정산 자료를 확인하고 있습니다"}),
    )
    .expect(200)
    .json();
    assert_eq!(delayed["answer_by"], later.to_string());
    assert_eq!(delayed["extensions"], 1);
    receiver().wait_for("the objection's new day", |got| {
        got.iter().any(|m| {
            e2e::receiver::same_recipient(&m.to, &d.partner.email)
                && m.text.contains(&later.to_string())
                && m.text.contains("카드사 정산 자료")
        })
    });

    // Payments: billing staff record a transfer of one backlog member's
    // whole invoice, never more than is owed, a reference once.
    let paid_one = format!("inv_{}_bb-a-0001", p.replace('-', ""));
    let owed_two = format!("inv_{}_bb-a-0002", p.replace('-', ""));
    let pay = |invoice: &str, body: &Json| {
        admin_call(t, &billing, "POST", &format!("/admin/invoices/{invoice}/payments"), body)
    };
    let r = pay(&owed_two, &json!({"amount_krw": 26_401, "reference": "KB-0002"})).expect(422);
    assert_eq!(r.pointers(), vec!["#/amount_krw".to_owned()]);
    assert_eq!(r.json()["owed_krw"], 26_400);
    let r = pay(&paid_one, &json!({"amount_krw": 26_400, "reference": "KB-0001"}))
        .expect(201)
        .json();
    assert_eq!(r["invoice"]["state"], "paid");
    assert_eq!(r["payments"][0]["reference"], "KB-0001");
    pay(&paid_one, &json!({"amount_krw": 1, "reference": "KB-0003"})).expect(409);
    let r = pay(&owed_two, &json!({"amount_krw": 1, "reference": "KB-0001"})).expect(422);
    assert_eq!(r.pointers(), vec!["#/reference".to_owned()]);
    let r = pay(&owed_two, &json!({"amount_krw": 1, "reference": "김 입금"})).expect(422);
    assert_eq!(r.pointers(), vec!["#/reference".to_owned()]);

    // rule B2: a month on: the next invoice adds 3% of what is unpaid (one
    // month, from the day after the 10th) outside VAT; rule D6: not on the
    // 5,000 won under the open objection; nothing on the paid invoice.
    run_month(t, &owner, after);
    let next = format!("inv_{}_{}", label(after).replace('-', ""), d.partner.member_id);
    let late = (total - 5_000) * 3 / 100;
    assert_eq!(
        lines_of(t, &next),
        vec![("plan_fee".to_owned(), 30_000), ("late_fee".to_owned(), late)]
    );
    let r = d
        .partner
        .call("GET", &format!("/member/invoices/{next}"), &json!(null))
        .expect(200)
        .json();
    assert_eq!(r["invoice"]["supply_krw"], 30_000);
    assert_eq!(r["invoice"]["vat_krw"], 3_000);
    assert_eq!(r["invoice"]["outside_krw"], late);
    assert_eq!(r["lines"][1]["vat_class"], "outside");
    assert_eq!(r["lines"][1]["source_id"], id);
    assert_eq!(r["lines"][1]["quantity"], 1);
    let a = label(after).replace('-', "");
    assert_eq!(lines_of(t, &format!("inv_{a}_bb-a-0001")), vec![("plan_fee".to_owned(), 12_000)]);
    assert_eq!(
        lines_of(t, &format!("inv_{a}_bb-a-0002")),
        vec![("plan_fee".to_owned(), 12_000), ("late_fee".to_owned(), 792)]
    );

    // rule D6: the answer upholds part: 5,000 won of the first line is
    // reversed on the next invoice; the member is told.
    let answered = admin_call(
        t,
        &billing,
        "POST",
        &format!("/admin/billing-objections/{ob_id}"),
        &json!({"outcome": "partly_upheld", "answer": "일할 계산을 바로잡습니다", "corrections": [{"line_no": 1, "amount_krw": 5_000}]}),
    )
    .expect(200)
    .json();
    assert_eq!(answered["state"], "answered");
    assert_eq!(answered["credited_krw"], 5_000);
    admin_call(
        t,
        &billing,
        "POST",
        &format!("/admin/billing-objections/{ob_id}"),
        &json!({"outcome": "rejected", "answer": "다시"}),
    )
    .expect(409);
    receiver().wait_for("the objection's answer", |got| {
        got.iter().any(|m| {
            e2e::receiver::same_recipient(&m.to, &d.partner.email) && m.text.contains("일할 계산을 바로잡습니다")
        })
    });
    // Past its 10 days an invoice takes no objection.
    t.seed(&format!(
        "UPDATE invoices SET issued_at = '{}' WHERE id = '{next}'",
        (Utc::now() - chrono::Duration::days(12)).to_rfc3339()
    ));
    let closed = d
        .partner
        .call("POST", &format!("/member/invoices/{next}/objections"), &json!({"disputed_krw": 100, "reason": "늦은 이의"}))
        .expect(409)
        .json();
    assert!(closed["until"].is_string(), "{closed}");

    // rule B5: data lost by the platform's fault: what was claimed, up to
    // 1.5 x the average plan fee of the last 3 months billed (this month's
    // part, next month's and the one after); rule B7: evaded fees twice.
    let adjust = |body: Json| {
        admin_call(t, &billing, "POST", &format!("/admin/members/{}/adjustments", d.partner.member_id), &body)
    };
    let average = (prorated + 30_000 + 30_000) / 3;
    let cap = average * 3 / 2;
    let comp = adjust(json!({"kind": "compensation", "amount_krw": 1_000_000, "reference": "CLAIM-7"}))
        .expect(201)
        .json();
    assert_eq!(comp["cap_krw"], cap);
    assert_eq!(comp["amount_krw"], -cap);
    let small = adjust(json!({"kind": "compensation", "amount_krw": 1_000, "reference": "CLAIM-8"}))
        .expect(201)
        .json();
    assert_eq!(small["amount_krw"], -1_000, "less than the cap: what was claimed");
    let ev = adjust(json!({"kind": "evasion", "amount_krw": 10_000, "reference": "AUDIT-3"}))
        .expect(201)
        .json();
    assert_eq!(ev["amount_krw"], 20_000);
    let bad = adjust(json!({"kind": "gift", "amount_krw": 0, "reference": "자유 문장"})).expect(422);
    assert_eq!(bad.pointers().len(), 3);

    // The month after: the reversal, a new line, lowers the supply value;
    // the ledger's first line is unchanged; compensation and the evasion
    // charge are outside VAT.
    run_month(t, &owner, next_month(after));
    let third = format!("inv_{}_{}", label(next_month(after)).replace('-', ""), d.partner.member_id);
    let got = d
        .partner
        .call("GET", &format!("/member/invoices/{third}"), &json!(null))
        .expect(200)
        .json();
    let reversal = got["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "reversal")
        .expect("the reversal")
        .clone();
    assert_eq!(reversal["amount_krw"], -5_000);
    assert_eq!(reversal["vat_class"], "taxable");
    assert_eq!(reversal["source_id"], ob_id.as_str());
    assert_eq!(got["invoice"]["supply_krw"], 25_000);
    assert_eq!(lines_of(t, id)[0], ("plan_fee".to_owned(), prorated));
    let third_lines = lines_of(t, &third);
    for line in [
        ("compensation".to_owned(), -cap),
        ("compensation".to_owned(), -1_000),
        ("evasion".to_owned(), 20_000),
    ] {
        assert!(third_lines.contains(&line), "{line:?} in {third_lines:?}");
    }
    let outside: i64 = got["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["vat_class"] == "outside")
        .map(|l| l["amount_krw"].as_i64().unwrap())
        .sum();
    assert_eq!(got["invoice"]["outside_krw"], outside);

    // rule B2: the first invoice, due on the 10th two months ago, is still
    // unpaid more than 30 KST days on: that day's dunning run suspended the
    // partner with the reason; its terminal is refused.
    let sites = d.partner.call("GET", "/member/sites", &json!(null)).expect(200).json();
    assert_eq!(sites["suspended"], true, "{sites}");
    assert!(sites["suspension_reason"].as_str().unwrap().contains(id), "{sites}");
    terminal.post(t, "unpaid-1", &records(0, 1, "B")).expect(403);
    receiver().wait_for("the suspension's notice", |got| {
        got.iter().any(|m| {
            e2e::receiver::same_recipient(&m.to, &d.partner.email)
                && m.subject.contains("요금 미납")
                && m.text.contains(id)
        })
    });
    // The invoice paid, and nothing else owed past its grace period (by the
    // real clock): reinstated at once, its terminal accepted, told.
    let suspended = |member: &str| {
        count(&format!(
            "SELECT COUNT(*) AS n FROM members WHERE id = '{member}' AND suspended_for = 'unpaid'"
        ))
    };
    assert_eq!(suspended("bb-a-0002"), 1, "the backlog's unpaid too");
    assert_eq!(suspended("bb-a-0001"), 0, "paid on time: not suspended");
    let owed = total;
    pay(id, &json!({"amount_krw": owed, "reference": "KB-PARTNER-1"})).expect(201);
    let sites = d.partner.call("GET", "/member/sites", &json!(null)).expect(200).json();
    assert_eq!(sites["suspended"], false, "{sites}");
    terminal.post(t, "paid-1", &records(0, 1, "B")).expect(202);
    receiver().wait_for("the reinstatement's notice", |got| {
        got.iter().any(|m| {
            e2e::receiver::same_recipient(&m.to, &d.partner.email) && m.text.contains("이용이 재개")
        })
    });
}

#[test]
fn b1_a_plan_change_starts_on_a_1st_not_invoiced_and_keeps_the_history() {
    // The run would bill this member's first plan, moving the earliest change.
    let _clock = SWEEP_CLOCK.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    let billing = admin(t, "billing");
    let c = Company::member(t, "client");
    let today = today_kst();
    let path = format!("/admin/members/{}/plan", c.member_id);
    // Bad input: every field named at once, nothing written.
    let bad = plan(
        t,
        &billing,
        &c.member_id,
        &json!({"plan_code": "", "units": 0, "term_months": "x", "starts_on": "tomorrow"}),
    )
    .expect(422);
    let mut ptrs = bad.pointers();
    ptrs.sort();
    assert_eq!(ptrs, vec!["#/plan_code", "#/starts_on", "#/term_months", "#/units"]);
    for (body, pointer) in [
        (json!({"plan_code": "gold", "units": 1, "term_months": 1}), "#/plan_code"),
        (json!({"plan_code": "attend-basic", "units": 11, "term_months": 1}), "#/units"),
        (json!({"plan_code": "attend-basic", "units": 1, "term_months": 6}), "#/term_months"),
        // before the activation day
        (json!({"plan_code": "attend-basic", "units": 1, "term_months": 1, "starts_on": "2020-01-01"}), "#/starts_on"),
    ] {
        let r = plan(t, &billing, &c.member_id, &body).expect(422);
        assert_eq!(r.pointers(), vec![pointer.to_owned()], "{body}");
    }
    assert_eq!(
        count(t, &format!("SELECT COUNT(*) AS n FROM member_plans WHERE member_id = '{}'", c.member_id)),
        0
    );
    plan(t, &billing, &c.member_id, &json!({"plan_code": "attend-basic", "units": 3, "term_months": 1}))
        .expect(200);
    // A change starts on the 1st of a month after today.
    let mid = next_month(today) + Days::new(4);
    let r = plan(
        t,
        &billing,
        &c.member_id,
        &json!({"plan_code": "attend-pro", "units": 20, "term_months": 12, "starts_on": mid.to_string()}),
    )
    .expect(422);
    assert_eq!(r.json()["first_of_month"], true);
    let got = plan(
        t,
        &billing,
        &c.member_id,
        &json!({"plan_code": "attend-pro", "units": 20, "term_months": 12}),
    )
    .expect(200)
    .json();
    assert_eq!(got["current"]["starts_on"], next_month(today).to_string());
    // 12,000 × 20 × 12 less 10%
    assert_eq!(got["current"]["prepaid_krw"], 2_592_000);
    let history = got["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[1]["ends_on"],
        (next_month(today).pred_opt().unwrap()).to_string(),
        "the earlier row ends the day before"
    );
    // The member reads the same history; the price list is public.
    let mine = c.call("GET", "/member/plan", &json!(null)).expect(200).json();
    assert_eq!(mine["history"], got["history"]);
    let plans = t.call("GET", "/billing/plans", &[], &[]).expect(200).json();
    let basic = plans["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "attend-basic")
        .unwrap()
        .clone();
    assert_eq!(basic["unit_price_krw"], 15_000);
    assert_eq!(basic["terms"][1], json!({"months": 12, "discount_bp": 1000}));
    assert_eq!(
        admin_call(t, &billing, "GET", &path, &json!(null)).expect(200).json()["current"]["plan_code"],
        "attend-pro"
    );
    // Unknown member.
    admin_call(t, &billing, "GET", "/admin/members/nobody/plan", &json!(null)).expect(404);
}
