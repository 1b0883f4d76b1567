//! The web pages in a real browser: `tests/browser/pages.mjs` (playwright-core
//! driving Debian's headless Chromium, axe-core for WCAG 2.1 A/AA) against
//! the pages and API this harness started, with accounts made here: an
//! active member and a reviewer. Runs where the target serves the pages
//! (`wrangler dev`, static assets); screenshots go to
//! `target/browser-artifacts/` (kept by the run, not committed).

use e2e::*;
use std::process::Command;

#[test]
fn a5_pages_sign_in_members_and_staff_in_korean_and_english_accessibly() {
    let t = target();
    let Some(base) = t.pages_url() else {
        eprintln!("this target serves no pages; the browser tests run against wrangler dev");
        return;
    };
    let member = Applicant::submitted(t);
    member.activate();
    let (staff, staff_password) = admin_account(t, "reviewer");
    let artifacts = root().join("target/browser-artifacts");
    let out = Command::new(root().join("node_modules/.bin/node"))
        .arg(root().join("tests/browser/pages.mjs"))
        .env("BASE_URL", &base)
        .env("ARTIFACTS", &artifacts)
        .env("MEMBER_LOGIN", &member.login_id)
        .env("MEMBER_PASSWORD", &member.password)
        .env("STAFF_LOGIN", &staff)
        .env("STAFF_PASSWORD", &staff_password)
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
