//! The web pages in a real browser: `tests/browser/pages.mjs` (playwright-core
//! driving Debian's headless Chromium, axe-core for WCAG 2.1 A/AA) against
//! the pages and API this harness started, with accounts made here: an
//! active member, a reviewer and an owner. The script signs a new applicant
//! up through the wizard, the reviewer approves it, the owner activates it,
//! and the new member registers a site and a terminal whose signed batch
//! shows in its attendance and in the ingestion chart. Runs where the target serves the pages
//! (`wrangler dev`: static assets; the Spin components: the `web`
//! component); screenshots go to `target/browser-artifacts/<target>/`
//! (kept by the run, not committed).

use e2e::*;
use std::process::Command;

#[test]
fn a5_pages_sign_in_members_and_staff_in_korean_and_english_accessibly() {
    // rule S4: the company step's field messages, in Korean and English
    // rule S6: a reviewer's decision needs a reason
    // rule A4: a reviewer has no admins page
    // rule M1: a client sees the proposed partners with every factor
    // rule C11: a request with a phone number is held until released
    // rule M2: an offer accepted in the partner's browser makes a draft
    // rule C2: both browsers confirm the same version and it forms
    // rule C3: a completion left unanswered 7 days is deemed accepted
    // rule S10: a reviewer terminates a member for a cause, with a reason
    // rule R4: the terminated member signs in to read, and is told until when
    // rule A3: an owner verifies the logs' hash chains on the staff page
    // rule P4: the member's access request is answered by a copy it downloads
    // rule P6: the privacy officer reads a deletion's plan and executes it
    // rule R3: the privacy officer reads separated storage
    // rule P2: the privacy officer enters a proxy's request and verifies it
    // rule P10: an administrator adds a contact person who joins, and removes one
    // rule A8: an owner schedules a change to the terms a week ahead
    // rule D1: a client objects in writing on a contract; the partner answers
    // rule D2: the partner escalates; the mediator assigned gives an opinion
    // rule D3: the client refers the case to the KCAB and downloads the pack
    let t = target();
    let Some(base) = t.pages_url() else {
        skip("this target serves no pages; the browser tests run against wrangler dev");
        return;
    };
    let member = Applicant::submitted(t);
    let partner_session = member.activate();
    // rule M1: the partner registers a profile; a client posts requests.
    admin_call(
        t,
        &partner_session,
        "PUT",
        "/member/profile",
        &serde_json::json!({"capabilities": ["그룹웨어", "ERP"], "capacity": 2, "regions": ["seoul"]}),
    )
    .expect(200);
    let client = Applicant::submitted_as(t, "client");
    client.activate();
    // rule S7: a partner in trial sees its trial matchings left
    let trial = Applicant::submitted(t);
    trial.approve();
    // A company the platform knows, for "search my company" (a fixture of
    // the tests, not of the production migrations).
    t.seed(
        "INSERT OR IGNORE INTO company_directory (business_number, company_name, business_type, business_item, founded_year, homepage)
         VALUES ('2208162517', '캐스팅엔 주식회사', '서비스업', '소프트웨어 개발', 2014, 'https://castingn.example')",
    );
    // rule S10, R4: a member a reviewer terminates in the browser.
    let ended = Applicant::submitted(t);
    ended.activate();
    // rules P6, R3: a member asks for deletion; the privacy officer
    // executes it in the browser.
    let leaving = Company::member(t, "client");
    let deletion = leaving
        .call(
            "POST",
            "/member/privacy-requests",
            &serde_json::json!({"kind": "deletion"}),
        )
        .expect(201)
        .json()["request_id"]
        .as_str()
        .expect("id")
        .to_owned();
    // rule P10: a company whose administrator adds and removes a contact person.
    let team = Applicant::submitted_as(t, "client");
    team.activate();
    // rule P2: a request by post from a proxy, entered at the desk.
    let entered = Company::member(t, "partner");
    let (officer, officer_password) = admin_account(t, "privacy_officer");
    let (staff, staff_password) = admin_account(t, "reviewer");
    let (owner, owner_password) = admin_account(t, "owner");
    // rule D2: the only mediator, so the case is assigned to it.
    let (mediator, mediator_password) = admin_account(t, "mediator");
    let artifacts = root()
        .join("target/browser-artifacts")
        .join(std::env::var("E2E_TARGET").unwrap_or_else(|_| "in-process".into()));
    let out = Command::new(root().join("node_modules/.bin/node"))
        .arg(root().join("tests/browser/pages.mjs"))
        .env("BASE_URL", &base)
        .env("ARTIFACTS", &artifacts)
        .env("MEMBER_LOGIN", &member.login_id)
        .env("MEMBER_PASSWORD", &member.password)
        .env("PARTNER_ID", &member.member_id)
        .env("PARTNER_LOGIN", &member.login_id)
        .env("PARTNER_PASSWORD", &member.password)
        .env("CLIENT_LOGIN", &client.login_id)
        .env("CLIENT_PASSWORD", &client.password)
        .env("TRIAL_LOGIN", &trial.login_id)
        .env("TRIAL_PASSWORD", &trial.password)
        .env("ENDED_ID", &ended.member_id)
        .env("ENDED_LOGIN", &ended.login_id)
        .env("ENDED_PASSWORD", &ended.password)
        .env("STAFF_LOGIN", &staff)
        .env("STAFF_PASSWORD", &staff_password)
        .env("PRIVACY_LOGIN", &officer)
        .env("PRIVACY_PASSWORD", &officer_password)
        .env("DELETION_ID", &deletion)
        .env("ENTERED_ID", &entered.member_id)
        .env("TEAM_LOGIN", &team.login_id)
        .env("TEAM_PASSWORD", &team.password)
        .env("ENTERED_MOBILE", &entered.mobile)
        .env("OWNER_LOGIN", &owner)
        .env("OWNER_PASSWORD", &owner_password)
        .env("MEDIATOR_LOGIN", &mediator)
        .env("MEDIATOR_PASSWORD", &mediator_password)
        .env("BUSINESS_NUMBER", business_number())
        .env("RECEIVER_URL", &receiver().origin)
        .env("MAINTENANCE_TOKEN", t.maintenance_token())
        .current_dir(root())
        .output()
        .expect("node runs (scripts/setup.sh installs it)");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{said}");
    assert!(out.status.success(), "browser tests failed:\n{said}");
}

/// Every page and asset carries the Content-Security-Policy (no inline
/// script, nothing from elsewhere) and `nosniff`, on each runtime that
/// serves them; a folder without its slash leads to its page.
#[test]
fn pages_are_served_with_a_csp_that_allows_no_inline_script() {
    let t = target();
    if t.pages_url().is_none() {
        skip("this target serves no pages (wrangler dev and Spin's web component do)");
        return;
    }
    for path in [
        "/",
        "/app/",
        "/staff/",
        "/assets/app.js",
        "/assets/style.css",
    ] {
        let r = t.serve("GET", path, &[], b"");
        assert_eq!(r.status, 200, "{path}");
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    let html = t.serve("GET", "/app/", &[], b"");
    assert!(html
        .header("content-type")
        .unwrap_or_default()
        .starts_with("text/html"));
    assert!(
        !String::from_utf8_lossy(&html.body).contains("<script>"),
        "no inline script"
    );
    // Without the slash: redirected (the harness follows) to the app.
    let r = t.serve("GET", "/app", &[], b"");
    assert_eq!(r.status, 200);
    assert!(String::from_utf8_lossy(&r.body).contains("/assets/app.js"));
    // The headers file itself is configuration, not a page.
    assert_ne!(t.serve("GET", "/_headers", &[], b"").status, 200);
}
