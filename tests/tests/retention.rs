//! Retention and destruction (rules R1, R2), end to end: the schedule as
//! data, and the daily destruction run over five years of moved clock with
//! data in every class, then a backlog of thousands. Its own binary: moving
//! the sweep's clock years ahead destroys what the other suites keep.

use e2e::*;
use serde_json::{json, Value as Json};
use std::sync::Mutex;

/// The two tests move the same sweep clock: they take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const DAY: i64 = 86_400;

/// Runs the sweep `days` ahead and waits for that KST day's destruction run
/// to finish; returns the retention view.
fn destroy_at(t: &'static dyn Target, officer: &str, days: i64) -> Json {
    let day = kst_day_ahead(days);
    let job = format!("job_destroy_{day}");
    sweep_ahead(t, days * DAY);
    let mut view = Json::Null;
    let done = eventually(240, || {
        t.background_round();
        view = admin_call(t, officer, "GET", "/admin/retention", &json!(null))
            .expect(200)
            .json();
        view["runs"]
            .as_array()
            .expect("runs")
            .iter()
            .any(|r| r["job_id"] == job.as_str() && r["state"] != "running")
    });
    let error = t
        .query(&format!("SELECT state, error FROM jobs WHERE id = '{job}'"))
        .first()
        .map(|r| format!("{:?} {:?}", r.text("state"), r.text("error")));
    assert!(
        done && error
            .as_deref()
            .is_some_and(|e| e.starts_with("Some(\"done\")")),
        "the run of {day} did not finish: {error:?} {view}"
    );
    view
}

fn n(t: &dyn Target, sql: &str) -> i64 {
    count(t, sql)
}

/// Sweeps until the access log and the audit log have no entry left
/// unsealed (`kernel::chain`): a destruction run takes sealed entries only.
fn seal_all(t: &dyn Target) {
    let unsealed = "SELECT (SELECT COUNT(*) FROM access_log WHERE hash IS NULL)
                         + (SELECT COUNT(*) FROM audit_log WHERE hash IS NULL) AS n";
    assert!(
        eventually(240, || {
            t.sweep();
            t.background_round();
            n(t, unsealed) == 0
        }),
        "entries left unsealed: {}",
        n(t, unsealed)
    );
}

/// The KST day `days` from now (a run's day).
fn kst_day_ahead(days: i64) -> String {
    let kst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    (chrono::Utc::now() + chrono::Duration::seconds(days * DAY))
        .with_timezone(&kst)
        .date_naive()
        .to_string()
}

/// What the run of the day `job_day` days ahead logged for `class` and
/// table `what`.
fn logged(view: &Json, job_day: i64, class: &str, what: &str) -> i64 {
    let day = kst_day_ahead(job_day);
    view["destroyed"]
        .as_array()
        .expect("destroyed")
        .iter()
        .filter(|d| d["day"] == day.as_str() && d["class"] == class && d["what"] == what)
        .map(|d| d["rows"].as_i64().unwrap_or(0))
        .sum()
}

/// rule R1: the schedule is data the privacy officer reads: a row per
/// class with its period, legal basis in both languages and action.
/// rule R2: one run a KST day takes what expired, class by class at its
/// period's end and not before: a withdrawn member's documents (and their
/// blobs) and what only membership needed within days; advertising at 6
/// months; consents, the fraud-prevention contacts and the attendance (its
/// shard included) at a year, keeping the account key, and the access log
/// (a year with under 50,000 people's data held); disputes, privacy requests and moderation at 3; contracts with
/// everything in them at 5. Each run is logged in counts and field names,
/// never contents.
#[test]
fn r2_five_years_of_moved_clock_destroy_each_class_at_its_end() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    let owner = admin(t, "owner");
    let officer = admin(t, "privacy_officer");
    // rule R1: the schedule.
    let view = admin_call(t, &officer, "GET", "/admin/retention", &json!(null))
        .expect(200)
        .json();
    let schedule = view["schedule"].as_array().expect("schedule");
    assert!(schedule.len() >= 13, "{view}");
    let contract = schedule
        .iter()
        .find(|s| s["class"] == "contract_5y")
        .expect("contract_5y");
    assert_eq!(contract["months"], 60);
    assert!(contract["basis_ko"]
        .as_str()
        .unwrap()
        .contains("전자상거래법"));
    assert!(schedule.iter().any(|s| s["class"] == "account_key"
        && s["months"].is_null()
        && s["action"] == "keep_minimal"));
    for role in ["reviewer", "billing", "auditor", "mediator"] {
        admin_call(t, &admin(t, role), "GET", "/admin/retention", &json!(null)).expect(403);
    }

    // A member with documents, consents, a site, a terminal and attendance
    // in its shard, read by staff (the access log), that withdraws.
    let a = Applicant::submitted(t);
    let session = a.activate();
    let c = Company::of(t, &a, session);
    let m = c.member_id.clone();
    admin_call(
        t,
        &owner,
        "POST",
        "/admin/member-devices",
        &json!({"member_id": m, "device_limit": 1}),
    )
    .expect(200);
    let site = c.site();
    let terminal = c.terminal(&site);
    terminal
        .post(t, "wh-retention-1", &records(0, 5, "ret"))
        .expect(202);
    assert!(eventually(60, || {
        t.background_round();
        stored(t, &format!("member_id = '{m}'")) == 5
    }));
    admin_call(
        t,
        &owner,
        "GET",
        &format!("/admin/members/{m}"),
        &json!(null),
    )
    .expect(200);
    let about = format!("SELECT COUNT(*) AS n FROM access_log WHERE subject = '{m}'");
    assert!(n(t, &about) >= 1);
    c.call(
        "POST",
        "/member/privacy-requests",
        &json!({"kind": "marketing_email"}),
    )
    .expect(201);
    // rule P4: a copy for access, downloadable 7 days (class access_copy).
    let copy = c
        .call(
            "POST",
            "/member/privacy-requests",
            &json!({"kind": "access"}),
        )
        .expect(201)
        .json();
    let copy_id = copy["request_id"].as_str().expect("id").to_owned();
    let copy_state = format!(
        "SELECT COUNT(*) AS n FROM privacy_exports WHERE request_id = '{copy_id}' AND state = "
    );
    assert!(eventually(240, || {
        t.background_round();
        n(t, &format!("{copy_state}'ready'")) == 1
    }));
    c.call(
        "POST",
        "/member/privacy-requests",
        &json!({"kind": "withdrawal"}),
    )
    .expect(201);
    // rules P6, R3: a deletion executed today: its contacts and consents
    // in separated storage until the last day a year on.
    let g = Company::member(t, "client");
    let deletion = g
        .call(
            "POST",
            "/member/privacy-requests",
            &json!({"kind": "deletion"}),
        )
        .expect(201)
        .json();
    admin_call(
        t,
        &officer,
        "POST",
        &format!(
            "/admin/privacy-requests/{}/erase",
            deletion["request_id"].as_str().expect("id")
        ),
        &json!({"revision": 1}),
    )
    .expect(200);
    let separated = format!(
        "SELECT COUNT(*) AS n FROM separated_records WHERE member_id = '{}'",
        g.member_id
    );
    assert_eq!(n(t, &separated), 2);
    let blob = t
        .query(&format!(
            "SELECT blob_key FROM documents WHERE member_id = '{m}'"
        ))
        .first()
        .and_then(|r| r.text("blob_key").map(str::to_owned))
        .expect("a document");
    // A campaign (advertising), and a contract, a direct-deal report and
    // held content closed today (seeded as the areas write them).
    admin_call(
        t,
        &owner,
        "POST",
        "/admin/marketing",
        &json!({"channel": "email", "text": "12월 신규 기능 안내"}),
    )
    .expect(202);
    let now = chrono::Utc::now().to_rfc3339();
    let other = Company::member(t, "partner");
    let o = other.member_id.clone();
    t.seed(&format!(
        "INSERT INTO work_requests (id, client_id, category, title, scope, budget_krw, due_date, region, location, state, version, created_at)
           VALUES ('ret-wr', '{m}', 'design', 'x', 'x', 1000000, '2026-12-31', 'seoul', 'x', 'closed', 1, '{now}');
         INSERT INTO contracts (id, request_id, client_id, partner_id, category, success_fee_bp, state, current_version, formed_version, retention_class, version, created_at, accepted_at)
           VALUES ('ret-ct', 'ret-wr', '{m}', '{o}', 'design', 1000, 'accepted', 1, 1, 'contract_5y', 1, '{now}', '{now}');
         INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES ('ret-ct', '{now}', '{m}', 'drafted', '');
         INSERT INTO direct_deal_reports (id, contract_id, reporter_id, description, state, decided_at, version, created_at)
           VALUES ('ret-dd', 'ret-ct', '{o}', 'x', 'dismissed', '{now}', 1, '{now}');
         INSERT INTO held_content (id, kind, subject_id, member_id, found, state, decided_at, version, created_at)
           VALUES ('ret-hc', 'message', 'ret-x', '{o}', 'phone', 'released', '{now}', 1, '{now}');
         INSERT INTO disputes (id, contract_id, client_id, partner_id, raised_by, respondent_id, stage, claim, relief, answer_by, closed_at, created_at)
           VALUES ('ret-dsp', 'ret-ct', '{m}', '{o}', '{m}', '{o}', 'settled', 'x', 'x', '{now}', '{now}', '{now}');
         INSERT INTO dispute_messages (id, dispute_id, author_id, author_role, body, created_at)
           VALUES ('ret-dmsg', 'ret-dsp', '{o}', 'partner', 'x', '{now}');
         INSERT INTO dispute_attachments (id, dispute_id, author_id, blob_key, content_type, bytes, sha256, created_at)
           VALUES ('ret-att', 'ret-dsp', '{o}', 'disputes/ret-dsp/files/ret-att', 'application/pdf', 1, 'x', '{now}');
         INSERT INTO platform_objections (id, member_id, dispute_id, text, due_by, answer, answered_at, created_at)
           VALUES ('ret-obj', '{m}', 'ret-dsp', 'x', '{now}', 'x', '{now}', '{now}');"
    ));
    // rule R4: a member terminated (S10) reads its data for a year, so
    // what its membership needed is kept that year and erased days after
    // it, its fraud-prevention contacts a year after that.
    let ended = Applicant::submitted(t);
    ended.activate();
    admin_call(
        t,
        &owner,
        "POST",
        &format!("/admin/members/{}/terminate", ended.member_id),
        &json!({"cause": "unpaid_fees", "reason": "3개월 미납"}),
    )
    .expect(200);
    let column = |id: &str, col: &str| {
        t.query(&format!("SELECT {col} AS v FROM members WHERE id = '{id}'"))
            .first()
            .map(|r| r.text("v").map(str::to_owned))
            .expect("the member row stays")
    };
    let member = |col: &str| column(&m, col);
    let terminated = |col: &str| column(&ended.member_id, col);
    let consents = format!("SELECT COUNT(*) AS n FROM consents WHERE member_id = '{m}'");
    let requests = format!("SELECT COUNT(*) AS n FROM privacy_requests WHERE member_id = '{m}'");
    let sites = format!("SELECT COUNT(*) AS n FROM sites WHERE member_id = '{m}'");
    let campaigns = "SELECT COUNT(*) AS n FROM marketing_campaigns";
    let contracts = "SELECT COUNT(*) AS n FROM contracts WHERE id = 'ret-ct'";

    // rule R2: files no row refers to. An upload whose request ended
    // between storing the file and its write (the document's row never
    // made, the upload's record left), and an access copy whose job
    // failed with parts stored.
    let left = Applicant::submitted(t);
    let doc = t.query(&format!(
        "SELECT id, blob_key FROM documents WHERE member_id = '{}' LIMIT 1",
        left.member_id
    ));
    let (doc_id, orphan) = (
        doc[0].text("id").unwrap().to_owned(),
        doc[0].text("blob_key").unwrap().to_owned(),
    );
    let now = chrono::Utc::now().to_rfc3339();
    t.seed(&format!(
        "DELETE FROM documents WHERE id = '{doc_id}';
         INSERT INTO blob_intents (key, at) VALUES ('{orphan}', '{now}');
         INSERT INTO privacy_requests (id, member_id, kind, state, channel, received_at, due_day, answered_at, version, created_at)
           VALUES ('prq_failed_copy', '{lm}', 'access', 'refused', 'self', '{now}', '2099-01-01', '{now}', 2, '{now}');
         INSERT INTO jobs (id, kind, params, state, error, created_by, created_at, finished_at)
           VALUES ('job_failed_copy', 'privacy.export', '{{}}', 'failed', 'detail.job_step_dead_lettered', 'test', '{now}', '{now}');
         INSERT INTO privacy_exports (request_id, member_id, job_id, blob_key, holdings, created_at)
           VALUES ('prq_failed_copy', '{lm}', 'job_failed_copy', 'exports/prq_failed_copy.json', 40, '{now}');",
        lm = left.member_id
    ));
    let failed_copy = "SELECT COUNT(*) AS n FROM privacy_exports WHERE request_id = 'prq_failed_copy' AND state = ";

    // Two days on: what only membership needed is gone, the rest kept.
    let view = destroy_at(t, &officer, 2);
    assert_eq!(
        n(
            t,
            &format!("SELECT COUNT(*) AS n FROM blob_intents WHERE key = '{orphan}'")
        ),
        0
    );
    assert!(
        logged(&view, 2, "failed_write", "blob_intents") >= 1,
        "{view}"
    );
    match t.blob_exists(&orphan) {
        Some(there) => assert!(!there, "the orphaned upload is deleted"),
        None => skip("this target's blob store is not readable from the test (Spin's test host keeps it in memory): the run's log counts the deletes"),
    }
    assert_eq!(n(t, &format!("{failed_copy}'expired'")), 1);
    assert_eq!(
        logged(&view, 2, "failed_write", "privacy_exports"),
        1,
        "{view}"
    );
    assert_eq!(
        n(
            t,
            &format!("SELECT COUNT(*) AS n FROM documents WHERE member_id = '{m}'")
        ),
        0
    );
    match t.blob_exists(&blob) {
        Some(there) => assert!(!there, "the document's blob is deleted"),
        None => skip("this target's blob store is not readable from the test (Spin's test host keeps it in memory): the run's log counts the deletes"),
    }
    assert!(logged(&view, 2, "membership", "documents") >= 1, "{view}");
    assert!(member("erased_at").is_some());
    assert!(member("password_hash").is_none());
    assert!(member("address_enc").is_none());
    assert!(member("login_id").is_some(), "kept a year against fraud");
    assert!(member("phone_enc").is_some());
    assert!(n(t, &consents) > 0);
    assert_eq!(
        stored(t, &format!("member_id = '{m}'")),
        5,
        "read-only for a year (R4)"
    );
    assert_eq!(n(t, campaigns), 1);
    assert_eq!(
        n(t, &format!("{copy_state}'ready'")),
        1,
        "a copy is kept 7 days"
    );
    assert_eq!(n(t, &separated), 2, "kept to its last day");
    assert!(
        terminated("password_hash").is_some(),
        "read-only for a year"
    );
    assert!(terminated("erased_at").is_none());
    // Staff still read what is left of the record.
    admin_call(
        t,
        &owner,
        "GET",
        &format!("/admin/members/{m}"),
        &json!(null),
    )
    .expect(200);

    // Six months and three days: the advertising record is gone.
    let view = destroy_at(t, &officer, 184 + 3);
    assert_eq!(n(t, campaigns), 0);
    assert_eq!(
        logged(&view, 187, "advertising_6m", "marketing_campaigns"),
        1
    );
    // rule P4: the copy's file is gone, its row says so.
    assert_eq!(n(t, &format!("{copy_state}'expired'")), 1);
    assert!(
        logged(&view, 187, "access_copy", "privacy_exports") >= 1,
        "{view}"
    );
    match t.blob_exists(&format!("exports/{copy_id}.json")) {
        Some(there) => assert!(!there, "the copy's file is deleted"),
        None => skip("this target's blob store is not readable from the test (Spin's test host keeps it in memory): the run's log counts the deletes"),
    }
    assert_eq!(n(t, &separated), 2);
    assert!(n(t, &about) >= 1, "the access log is kept a year");
    assert!(n(t, &consents) > 0);

    // A year and three days: consents, contacts and attendance are gone;
    // the account key and business number stay, the ID stays retired; the
    // access log about the member is gone (kept a year with under 50,000
    // people's data held; a read of another member's record is the chains'
    // newest entry, which a run keeps to link the next: rule A3).
    admin_call(
        t,
        &owner,
        "GET",
        &format!("/admin/members/{o}"),
        &json!(null),
    )
    .expect(200);
    seal_all(t);
    let view = destroy_at(t, &officer, 366 + 3);
    assert_eq!(n(t, &consents), 0);
    for col in [
        "login_id",
        "contact_name_enc",
        "phone_enc",
        "phone_bidx",
        "email_enc",
        "representative_name_enc",
    ] {
        assert!(member(col).is_none(), "{col}");
    }
    assert!(member("business_number").is_some());
    assert_eq!(
        n(t, &format!("SELECT COUNT(*) AS n FROM login_ids WHERE login_id = '{}' AND retired_at IS NOT NULL", a.login_id)),
        1
    );
    assert_eq!(
        stored(t, &format!("member_id = '{m}'")),
        0,
        "the shard's rows"
    );
    assert_eq!(n(t, &sites), 0);
    assert_eq!(logged(&view, 369, "attendance", "attendance_records"), 5);
    assert_eq!(n(t, &about), 0, "the access log is kept a year");
    // rule R3: separated storage destroyed the day after its last day.
    assert_eq!(n(t, &separated), 0);
    assert!(
        logged(&view, 369, "separated", "separated_records") >= 2,
        "{view}"
    );
    assert!(
        terminated("password_hash").is_none(),
        "its read-only year over"
    );
    assert!(terminated("termination_reason").is_none());
    assert!(
        terminated("login_id").is_some(),
        "a year against fraud from then"
    );
    assert!(n(t, &requests) > 0);

    // Two years and three days: the terminated member's contacts, a year
    // after its read-only year.
    destroy_at(t, &officer, 731 + 3);
    assert!(terminated("login_id").is_none());
    assert_eq!(
        terminated("termination_cause").as_deref(),
        Some("unpaid_fees")
    );
    assert!(n(t, &requests) > 0);

    // Three years and three days: privacy requests, reports, moderation,
    // disputes with everything in them.
    // rule D7: a dispute closed 3 years ago is destroyed with its messages,
    // files and the objections about it; its contract waits for it.
    assert_eq!(
        n(t, "SELECT COUNT(*) AS n FROM disputes WHERE id = 'ret-dsp'"),
        1
    );
    let view = destroy_at(t, &officer, 1096 + 3);
    assert_eq!(n(t, &requests), 0);
    for gone in [
        "SELECT COUNT(*) AS n FROM disputes WHERE id = 'ret-dsp'",
        "SELECT COUNT(*) AS n FROM dispute_messages WHERE dispute_id = 'ret-dsp'",
        "SELECT COUNT(*) AS n FROM dispute_attachments WHERE dispute_id = 'ret-dsp'",
        "SELECT COUNT(*) AS n FROM platform_objections WHERE id = 'ret-obj'",
    ] {
        assert_eq!(n(t, gone), 0, "{gone}");
    }
    assert!(logged(&view, 1099, "dispute_3y", "disputes") >= 1);
    assert_eq!(
        n(
            t,
            "SELECT COUNT(*) AS n FROM direct_deal_reports WHERE id = 'ret-dd'"
        ),
        0
    );
    assert_eq!(
        n(
            t,
            "SELECT COUNT(*) AS n FROM held_content WHERE id = 'ret-hc'"
        ),
        0
    );
    // rule C10: contract records are kept 5 years: still there at 3 …
    assert_eq!(n(t, contracts), 1, "contracts are kept 5 years");

    // … and destroyed with everything in them after 5 (rule C10).
    // Five years and three days: the contract and everything in it.
    let view = destroy_at(t, &officer, 1827 + 3);
    assert_eq!(n(t, contracts), 0);
    assert_eq!(
        n(
            t,
            "SELECT COUNT(*) AS n FROM contract_history WHERE contract_id = 'ret-ct'"
        ),
        0
    );
    assert_eq!(
        n(
            t,
            "SELECT COUNT(*) AS n FROM work_requests WHERE id = 'ret-wr'"
        ),
        0
    );
    assert!(logged(&view, 1830, "contract_5y", "contracts") >= 1);
    // The log holds counts and field names, never what was destroyed.
    let text = view.to_string();
    assert!(
        !text.contains(&a.login_id) && !text.contains(&c.email),
        "{text}"
    );
    assert!(member("business_number").is_some(), "kept without limit");
}

/// rule R2: a backlog of thousands (2,500 access-log entries, 300 closed
/// accounts with 1,200 consents) is destroyed by one run in bounded steps,
/// every row of it, each step logged.
#[test]
fn r2_a_backlog_of_thousands_is_destroyed_in_bounded_steps() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    let officer = admin(t, "privacy_officer");
    let old = "2019-01-01T00:00:00+00:00";
    let rows = |k: i64| {
        format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {k})")
    };
    t.seed(&format!(
        "{r} INSERT INTO access_log (at, admin_id, admin_role, subject, what, why) SELECT '{old}', 'bl-admin', 'owner', 'bl-' || i, 'backlog', 'x' FROM n;
         {m} INSERT INTO members (id, kind, status, step, created_at, closed_at, login_id) SELECT 'bl-wd-' || i, 'partner', 'withdrawn', 7, '{old}', '{old}', 'bl-wd-' || i FROM n;
         {c} INSERT INTO consents (id, member_id, document_kind, document_version, accepted, at) SELECT 'bl-cs-' || i, 'bl-wd-' || (1 + i % 300), 'terms_of_service', '2026-01-01', 1, '{old}' FROM n;",
        r = rows(2_500),
        m = rows(300),
        c = rows(1_200),
    ));
    // A read of today after them: the chain's newest entry, which is kept.
    let member = Company::member(t, "client").member_id;
    admin_call(
        t,
        &admin(t, "owner"),
        "GET",
        &format!("/admin/members/{member}"),
        &json!(null),
    )
    .expect(200);
    seal_all(t);
    let view = destroy_at(t, &officer, 4000);
    assert_eq!(
        n(
            t,
            "SELECT COUNT(*) AS n FROM access_log WHERE admin_id = 'bl-admin'"
        ),
        0
    );
    assert_eq!(
        n(
            t,
            "SELECT COUNT(*) AS n FROM consents WHERE id LIKE 'bl-cs-%'"
        ),
        0
    );
    assert_eq!(
        n(
            t,
            "SELECT COUNT(*) AS n FROM members WHERE id LIKE 'bl-wd-%' AND login_id IS NOT NULL"
        ),
        0
    );
    assert_eq!(n(t, "SELECT COUNT(*) AS n FROM members WHERE id LIKE 'bl-wd-%' AND attendance_erased_at IS NULL"), 0);
    // In steps of at most 500 rows each (by the day's run, or by today's,
    // which sealing the backlog's entries started: both logged).
    let steps: Vec<i64> = view["destroyed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["class"] == "access_log" && d["what"] == "access_log")
        .map(|d| d["rows"].as_i64().unwrap())
        .collect();
    assert!(steps.iter().sum::<i64>() >= 2_500, "{steps:?}");
    assert!(
        steps.len() >= 5 && steps.iter().all(|r| *r <= 500),
        "{steps:?}"
    );
}

/// Walks a chain's verification page by page (`GET /admin/chains/{chain}`):
/// the first page, the entries found linked, and where it broke.
fn verified(t: &'static dyn Target, officer: &str, chain: &str) -> (Json, i64, Option<i64>) {
    let mut after = 0;
    let mut first = Json::Null;
    let mut checked = 0;
    loop {
        let page = admin_call(
            t,
            officer,
            "GET",
            &format!("/admin/chains/{chain}?after={after}"),
            &json!(null),
        )
        .expect(200)
        .json();
        checked += page["checked"].as_i64().expect("checked");
        if first.is_null() {
            first = page.clone();
        }
        if let Some(at) = page["broken_at"].as_i64() {
            return (first, checked, Some(at));
        }
        match page["next_after"].as_i64() {
            Some(next) => after = next,
            None => return (first, checked, None),
        }
    }
}

/// rule A3: the personal-data access log is a hash chain, sealed by the
/// sweep; staff verify it from the oldest entry kept, which after a
/// destruction run (rule R2) links to the hash that run logged; an entry
/// changed in the database file, its trigger bypassed, breaks the chain
/// exactly there, and the chain is whole again once it is put back.
#[test]
fn a3_the_access_chain_verifies_from_the_oldest_kept_and_breaks_where_the_file_was_changed() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    let owner = admin(t, "owner");
    let officer = admin(t, "privacy_officer");
    let m = Company::member(t, "client").member_id;
    let read = || {
        admin_call(
            t,
            &owner,
            "GET",
            &format!("/admin/members/{m}"),
            &json!(null),
        )
        .expect(200);
    };
    read();
    read();
    seal_all(t);
    // Two years and ten days on, the entries of today expire: all but the
    // chain's head go, and the run logs the last one's hash.
    let view = destroy_at(t, &officer, 731 + 10);
    assert!(
        logged(&view, 741, "access_log", "access_log") >= 1,
        "{view}"
    );
    read();
    read();
    seal_all(t);
    let sealed = "SELECT COUNT(*) AS n FROM access_log WHERE hash IS NOT NULL";
    assert!(n(t, sealed) >= 3, "the head and the new entries are sealed");
    let (first, checked, broken) = verified(t, &officer, "access_log");
    assert_eq!(broken, None, "{first}");
    assert_eq!(first["anchored"], true, "{first}");
    assert_eq!(checked, n(t, sealed));
    assert_eq!(
        verified(t, &officer, "audit_log").2,
        None,
        "the audit chain too"
    );
    for role in ["reviewer", "billing", "mediator"] {
        admin_call(
            t,
            &admin(t, role),
            "GET",
            "/admin/chains/access_log",
            &json!(null),
        )
        .expect(403);
    }

    // The file changed behind the platform's back: one sealed entry's
    // operation rewritten (its trigger dropped, then put back).
    let victim = t
        .query("SELECT seq, what FROM access_log WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1 OFFSET 1")
        .first()
        .map(|r| (r.int("seq").expect("seq"), r.text("what").expect("what").to_owned()))
        .expect("a sealed entry before the newest");
    let trigger = t
        .query("SELECT sql FROM sqlite_master WHERE name = 'access_log_seal_only'")
        .first()
        .and_then(|r| r.text("sql").map(str::to_owned))
        .expect("the seal-only trigger");
    let rewrite = |what: &str| {
        t.seed(&format!(
            "DROP TRIGGER access_log_seal_only;
             UPDATE access_log SET what = '{what}' WHERE seq = {};
             {trigger};",
            victim.0
        ));
    };
    rewrite("nothing.read");
    assert_eq!(verified(t, &officer, "access_log").2, Some(victim.0));
    rewrite(&victim.1);
    assert_eq!(verified(t, &officer, "access_log").2, None, "whole again");
    // An entry removed without a destruction run: the oldest kept no
    // longer links to the anchor.
    let oldest = t
        .query("SELECT MIN(seq) AS n FROM access_log")
        .first()
        .and_then(|r| r.int("n"))
        .expect("an entry");
    let delete_trigger = t
        .query("SELECT sql FROM sqlite_master WHERE name = 'access_log_no_delete'")
        .first()
        .and_then(|r| r.text("sql").map(str::to_owned))
        .expect("the no-delete trigger");
    t.seed(&format!(
        "DROP TRIGGER access_log_no_delete;
         DELETE FROM access_log WHERE seq = {oldest};
         {delete_trigger};"
    ));
    let (_, _, broken) = verified(t, &officer, "access_log");
    assert!(
        broken.is_some_and(|b| b > oldest),
        "broken after the removed: {broken:?}"
    );
}

/// rule A9: once a KST month and a quarter have ended, the sweep starts
/// their reports' jobs: the monthly access-log review (downloads without a
/// reason, bulk reads, reads at night, staff accounts created) and the
/// quarterly self-audit (that review, the retention runs, the requests that
/// went overdue), for owners and auditors. A past quarter is seeded (March
/// 2025, its last entry a second before KST midnight and one a minute
/// after it, which is April's) and the sweep's clock moved to mid-April.
#[test]
fn a9_the_monthly_review_and_quarterly_self_audit_are_made_when_their_period_ends() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let t = target();
    // Another test's run of today may still be taking steps: it would
    // destroy the seeded entries (older than a year) before the report.
    assert!(
        eventually(240, || {
            t.background_round();
            n(t, "SELECT COUNT(*) AS n FROM jobs WHERE state = 'running'") == 0
        }),
        "jobs still running"
    );
    let keys = t.keys();
    let entry = |seq: i64, at: &str, admin: &str, subject: &str, what: &str, why: &str| {
        let row = format!("{admin}:{subject}:{at}");
        let why = keys.seal_for(
            &adapter_sqlite::OsRandom,
            &domain::kernel::crypto::at("access_log.why", &row),
            why,
        );
        format!(
            "INSERT INTO access_log (seq, at, admin_id, admin_role, subject, what, why)
             VALUES ({seq}, '{at}', '{admin}', 'owner', '{subject}', '{what}', '{why}');"
        )
    };
    // High numbers: after every entry the other tests make, so the chains'
    // order holds (the sweep seals them after those).
    let base = 1_000_000_000;
    let mut sql = String::new();
    // A download without a reason (its reason is the operation's name) and
    // one with a reason; at 23:30 KST, a read at night.
    sql.push_str(&entry(
        base,
        "2025-03-10T14:30:00+00:00",
        "a9-night",
        "a9-m1",
        "member.read_document",
        "admin.document_file",
    ));
    sql.push_str(&entry(
        base + 1,
        "2025-03-11T02:00:00+00:00",
        "a9-day",
        "a9-m2",
        "member.read_document",
        "서류 재확인 요청",
    ));
    // 120 subjects read by one admin on one KST day: a bulk read.
    for i in 0..120 {
        sql.push_str(&entry(
            base + 2 + i,
            "2025-03-20T03:00:00+00:00",
            "a9-bulk",
            &format!("a9-s{i}"),
            "member.read_profile",
            "admin.member_profile",
        ));
    }
    // 31 March 23:59:59 KST is March; 1 April 00:01 KST is not.
    sql.push_str(&entry(
        base + 200,
        "2025-03-31T14:59:59+00:00",
        "a9-edge",
        "a9-m3",
        "member.read_document",
        "admin.document_file",
    ));
    sql.push_str(&entry(
        base + 201,
        "2025-03-31T15:01:00+00:00",
        "a9-after",
        "a9-m4",
        "member.read_document",
        "admin.document_file",
    ));
    sql.push_str(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ('2025-02-03T01:00:00+00:00', 'adm-a9-owner', 'admin.create', 'adm-a9-new', 'auditor');
         INSERT INTO destruction_log (job_id, day, class, what, fields, rows, cutoff, at)
           VALUES ('job_destroy_2025-01-15', '2025-01-15', 'consent', 'consents', 'x', 7, '2024-01-15T00:00:00+00:00', '2025-01-15T00:00:00+00:00');
         INSERT INTO members (id, kind, status, step, created_at) VALUES ('a9-m1', 'partner', 'active', 7, '2025-01-01T00:00:00+00:00');
         INSERT INTO privacy_requests (id, member_id, kind, state, channel, received_at, due_day, overdue_at, version, created_at)
           VALUES ('a9-prq', 'a9-m1', 'access', 'in_progress', 'self', '2025-02-01T00:00:00+00:00', '2025-02-11', '2025-02-11T15:00:00+00:00', 1, '2025-02-01T00:00:00+00:00');",
    );
    t.seed(&sql);
    let mid_april = chrono::DateTime::parse_from_rfc3339("2025-04-16T03:00:00+00:00").unwrap();
    let offset = (mid_april.timestamp() - chrono::Utc::now().timestamp()).to_string();
    let reports = || {
        admin_call(
            t,
            &admin(t, "auditor"),
            "GET",
            "/admin/reports",
            &json!(null),
        )
        .expect(200)
        .json()["reports"]
            .as_array()
            .expect("reports")
            .clone()
    };
    sweep_ahead(t, offset.parse().unwrap());
    let mut got = Vec::new();
    assert!(
        eventually(120, || {
            t.background_round();
            got = reports();
            ["2025-03", "2025-Q1"]
                .iter()
                .all(|p| got.iter().any(|r| r["period"] == *p))
        }),
        "the reports were made: {got:?}"
    );
    let of = |period: &str| got.iter().find(|r| r["period"] == period).unwrap()["body"].clone();
    let march = of("2025-03");
    let unreasoned: Vec<&str> = march["downloads_without_reason"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["admin_id"].as_str().unwrap())
        .collect();
    assert_eq!(unreasoned, ["a9-night", "a9-edge"], "{march}");
    assert_eq!(march["downloads"], 3, "April's entry is not March's");
    let bulk = march["bulk_reads"].as_array().unwrap();
    assert!(
        bulk.iter().any(|b| b["admin_id"] == "a9-bulk"
            && b["subjects"] == 120
            && b["day"] == "2025-03-20"),
        "{march}"
    );
    let night = march["night_reads"].as_array().unwrap();
    assert!(night.iter().any(|n| n["admin_id"] == "a9-night"), "{march}");
    assert!(
        night.iter().any(|n| n["admin_id"] == "a9-edge"),
        "23:59:59 KST is night"
    );
    assert!(!night
        .iter()
        .any(|n| n["admin_id"] == "a9-bulk" || n["admin_id"] == "a9-day"));
    let quarter = of("2025-Q1");
    assert!(
        quarter["admins_created"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["admin_id"] == "adm-a9-new" && a["role"] == "auditor"),
        "{quarter}"
    );
    assert!(
        quarter["destroyed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["class"] == "consent" && d["rows"] == 7),
        "{quarter}"
    );
    assert!(
        quarter["overdue_requests"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["request_id"] == "a9-prq"),
        "{quarter}"
    );
    assert_eq!(quarter["downloads"], 3);
    // Made once: the next sweep starts no second job for the period.
    sweep_ahead(t, offset.parse().unwrap());
    assert_eq!(
        n(
            t,
            "SELECT COUNT(*) AS n FROM jobs WHERE id = 'report_review_2025-03'"
        ),
        1
    );
    for role in ["reviewer", "privacy_officer", "billing", "mediator"] {
        admin_call(t, &admin(t, role), "GET", "/admin/reports", &json!(null)).expect(403);
    }
}
