//! Authorization as a matrix (rule A4, least privilege): every route of the
//! catalog against a visitor, an applicant, a member user of a partner and
//! of a client company, a partner in its trial matchings (rule S7), a
//! terminated partner's read-only session (rule R4), and each admin role. A caller the route does not
//! admit gets 401 or 403 before anything is read (0 database round trips);
//! a caller it admits gets past the check
//! (whatever the empty request then earns: 200, 404, 409, 422, …). Its own
//! binary: the logouts at the end revoke the sessions it uses.

use e2e::*;
use std::collections::BTreeSet;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Visitor,
    Applicant,
    /// A member user of a partner or a client company.
    Member(&'static str),
    /// A member user of a partner in its trial matchings (rule S7).
    Trial,
    /// A terminated partner's read-only session (rule R4).
    ReadOnly,
    /// A contact person a client company's administrator added (P10).
    Person,
    Admin(&'static str),
}

const ROLES: [&str; 6] = [
    "reviewer",
    "mediator",
    "privacy_officer",
    "billing",
    "auditor",
    "owner",
];

/// Who each route admits. Routes that prove the caller otherwise (devices
/// by signature, the maintenance run by its token, sign-in, bootstrap,
/// health and the document, dev-only switches) are `Open` here and have
/// their own tests.
#[derive(Debug, Clone, Copy)]
enum Admits {
    Open,
    /// No token, or an applicant's (signup step 1 redone).
    VisitorOrApplicant,
    Applicant,
    /// Any member user.
    Member,
    /// Member users of this kind only (`partner`, `client`).
    MemberOf(&'static str),
    /// A member company's administrator, not a contact person it added
    /// (P10).
    Administrator,
    /// Any member user, and partners in trial (the matching routes).
    Matching,
    /// Member users of this kind, and partners in trial if `partner`.
    MatchingOf(&'static str),
    /// Any member user, in trial or read-only: one's own session and
    /// rights as a data subject.
    Own,
    Admins(&'static [&'static str]),
}

const ALL_ADMINS: &[&str] = &ROLES;

fn matrix() -> Vec<(&'static str, &'static str, Admits)> {
    use Admits::*;
    vec![
        ("POST", "/signup/terms", VisitorOrApplicant),
        ("PUT", "/signup/contact", Applicant),
        ("POST", "/signup/phone/send", Applicant),
        ("POST", "/signup/phone/verify", Applicant),
        ("GET", "/signup/company", Applicant),
        ("PUT", "/signup/company", Applicant),
        ("GET", "/signup/company-search", Applicant),
        ("PUT", "/signup/documents", Applicant),
        ("DELETE", "/signup/documents/{id}", Applicant),
        ("POST", "/signup/submit", Applicant),
        ("GET", "/signup/status", Applicant),
        ("GET", "/auth/me", Matching),
        ("GET", "/member/sites", Member),
        ("POST", "/member/sites", Member),
        ("POST", "/member/terminals", Member),
        ("POST", "/member/terminals/action", Member),
        ("GET", "/member/terminals/quarantine", Member),
        ("POST", "/member/terminals/quarantine/{id}", Member),
        ("GET", "/member/attendance", Member),
        ("GET", "/member/profile", MatchingOf("partner")),
        ("PUT", "/member/profile", MatchingOf("partner")),
        ("GET", "/member/requests", MemberOf("client")),
        ("POST", "/member/requests", MemberOf("client")),
        ("GET", "/member/requests/{id}", MemberOf("client")),
        (
            "POST",
            "/member/requests/{id}/proposals",
            MemberOf("client"),
        ),
        ("GET", "/member/proposals", MatchingOf("partner")),
        ("POST", "/member/proposals/{id}", MatchingOf("partner")),
        ("GET", "/member/contracts", Matching),
        ("GET", "/member/contracts/{id}", Matching),
        ("POST", "/member/contracts/{id}/versions", Matching),
        ("POST", "/member/contracts/{id}/confirm", Matching),
        (
            "POST",
            "/member/contracts/{id}/complete",
            MatchingOf("partner"),
        ),
        (
            "POST",
            "/member/contracts/{id}/accept",
            MatchingOf("client"),
        ),
        (
            "POST",
            "/member/contracts/{id}/defects",
            MatchingOf("client"),
        ),
        ("POST", "/member/contracts/{id}/amendments", Matching),
        ("GET", "/member/disputes", Matching),
        ("POST", "/member/contracts/{id}/disputes", Matching),
        (
            "GET",
            "/member/contracts/{id}/disputes/{dispute_id}",
            Matching,
        ),
        (
            "POST",
            "/member/contracts/{id}/disputes/{dispute_id}/messages",
            Matching,
        ),
        (
            "POST",
            "/member/contracts/{id}/disputes/{dispute_id}/offers",
            Matching,
        ),
        (
            "POST",
            "/member/contracts/{id}/disputes/{dispute_id}/offers/{offer_id}",
            Matching,
        ),
        (
            "POST",
            "/member/contracts/{id}/disputes/{dispute_id}/escalation",
            Matching,
        ),
        (
            "POST",
            "/member/contracts/{id}/disputes/{dispute_id}/opinion",
            Matching,
        ),
        (
            "GET",
            "/member/contracts/{id}/disputes/{dispute_id}/frozen",
            Matching,
        ),
        (
            "POST",
            "/member/contracts/{id}/disputes/{dispute_id}/arbitration",
            Matching,
        ),
        (
            "GET",
            "/member/contracts/{id}/disputes/{dispute_id}/pack",
            Matching,
        ),
        (
            "GET",
            "/member/contracts/{id}/disputes/{dispute_id}/pack.html",
            Matching,
        ),
        (
            "PUT",
            "/member/contracts/{id}/disputes/{dispute_id}/attachments",
            Matching,
        ),
        (
            "GET",
            "/member/contracts/{id}/disputes/{dispute_id}/attachments/{attachment_id}",
            Matching,
        ),
        ("POST", "/member/objections", Matching),
        ("GET", "/member/objections", Matching),
        ("GET", "/admin/objections", Admins(&["owner"])),
        ("POST", "/admin/objections/{id}", Admins(&["owner"])),
        (
            "POST",
            "/admin/members/{id}/dispute-restriction",
            Admins(&["mediator", "owner"]),
        ),
        ("GET", "/billing/plans", Open),
        ("GET", "/member/plan", Member),
        ("GET", "/member/invoices", Member),
        ("GET", "/member/invoices/{id}", Member),
        ("GET", "/admin/members/{id}/plan", Admins(&["billing", "owner"])),
        ("POST", "/admin/members/{id}/plan", Admins(&["billing", "owner"])),
        ("GET", "/admin/invoices", Admins(&["billing", "owner"])),
        ("GET", "/admin/invoices/{id}", Admins(&["billing", "owner"])),
        ("POST", "/admin/invoices/{id}/payments", Admins(&["billing", "owner"])),
        ("POST", "/member/invoices/{id}/objections", Member),
        ("GET", "/member/billing-objections", Member),
        ("GET", "/admin/billing-objections", Admins(&["billing", "owner"])),
        ("POST", "/admin/outages", Admins(&["billing", "owner"])),
        ("POST", "/admin/members/{id}/adjustments", Admins(&["billing", "owner"])),
        ("GET", "/admin/outages", Admins(&["billing", "owner"])),
        ("POST", "/admin/billing-objections/{id}", Admins(&["billing", "owner"])),
        ("POST", "/admin/billing-objections/{id}/delay", Admins(&["billing", "owner"])),
        ("GET", "/admin/disputes", Admins(&["mediator", "owner"])),
        (
            "GET",
            "/admin/contracts/{id}/disputes/{dispute_id}",
            Admins(&["mediator", "owner"]),
        ),
        (
            "GET",
            "/admin/contracts/{id}/disputes/{dispute_id}/frozen",
            Admins(&["mediator", "owner"]),
        ),
        (
            "PUT",
            "/admin/contracts/{id}/disputes/{dispute_id}/mediator",
            Admins(&["owner"]),
        ),
        (
            "POST",
            "/admin/contracts/{id}/disputes/{dispute_id}/material",
            Admins(&["mediator"]),
        ),
        (
            "POST",
            "/admin/contracts/{id}/disputes/{dispute_id}/opinion",
            Admins(&["mediator"]),
        ),
        ("POST", "/member/contracts/{id}/cancel", Matching),
        ("POST", "/member/contracts/{id}/messages", Matching),
        (
            "POST",
            "/member/contracts/{id}/requests/{request_id}",
            Matching,
        ),
        (
            "GET",
            "/admin/contract-requests",
            Admins(&["mediator", "owner"]),
        ),
        ("GET", "/member/clocks", Matching),
        ("GET", "/admin/clocks", Admins(ALL_ADMINS)),
        (
            "GET",
            "/admin/contracts/{id}",
            Admins(&["mediator", "owner"]),
        ),
        ("GET", "/member/direct-deals", Matching),
        ("POST", "/member/direct-deals", Matching),
        ("GET", "/admin/direct-deals", Admins(&["mediator", "owner"])),
        (
            "POST",
            "/admin/direct-deals/{id}",
            Admins(&["mediator", "owner"]),
        ),
        ("GET", "/admin/held", Admins(&["reviewer", "owner"])),
        ("GET", "/admin/match-weights", Admins(ALL_ADMINS)),
        ("PUT", "/admin/match-weights", Admins(&["owner"])),
        ("POST", "/admin/marketing", Admins(&["owner"])),
        ("POST", "/admin/held/{id}", Admins(&["reviewer", "owner"])),
        ("GET", "/admin/reviews", Admins(&["reviewer", "owner"])),
        (
            "GET",
            "/admin/members",
            Admins(&["reviewer", "billing", "owner"]),
        ),
        (
            "GET",
            "/admin/members/{id}/sites",
            Admins(&["billing", "owner"]),
        ),
        ("POST", "/admin/reviews", Admins(&["reviewer", "owner"])),
        (
            "POST",
            "/admin/members/{id}/terminate",
            Admins(&["reviewer", "owner"]),
        ),
        (
            "GET",
            "/admin/members/{id}",
            Admins(&["reviewer", "billing", "owner"]),
        ),
        (
            "GET",
            "/admin/members/{id}/documents/{doc}",
            Admins(&["reviewer", "billing", "owner"]),
        ),
        ("POST", "/admin/activation", Admins(&["billing", "owner"])),
        (
            "POST",
            "/admin/member-devices",
            Admins(&["billing", "owner"]),
        ),
        ("GET", "/admin/admins", Admins(&["owner"])),
        ("POST", "/admin/admins", Admins(&["owner"])),
        ("GET", "/admin/attendance", Admins(&["billing", "owner"])),
        ("GET", "/admin/dead-letters", Admins(&["owner"])),
        ("POST", "/admin/dead-letters/replay", Admins(&["owner"])),
        ("POST", "/admin/jobs/move-attendance", Admins(&["owner"])),
        ("GET", "/admin/jobs/{id}", Admins(&["owner"])),
        ("POST", "/admin/jobs/{id}/resume", Admins(&["owner"])),
        ("GET", "/admin/background", Admins(&["owner"])),
        ("GET", "/member/privacy-requests", Own),
        ("POST", "/member/privacy-requests", Own),
        ("POST", "/member/privacy-requests/{id}/withdraw", Own),
        ("GET", "/member/privacy-requests/{id}/export", Own),
        ("GET", "/member/consents", Own),
        ("POST", "/member/consents", Own),
        // rule P10: the administrator manages the company's contact persons.
        ("GET", "/member/contacts", Administrator),
        ("POST", "/member/contacts", Administrator),
        ("DELETE", "/member/contacts/{id}", Administrator),
        ("POST", "/contacts/accept", Open),
        ("GET", "/admin/terms", Admins(&["privacy_officer", "owner"])),
        (
            "POST",
            "/admin/terms",
            Admins(&["privacy_officer", "owner"]),
        ),
        (
            "GET",
            "/admin/privacy-requests/{id}/deletion-plan",
            Admins(&["privacy_officer", "owner"]),
        ),
        (
            "POST",
            "/admin/privacy-requests/{id}/erase",
            Admins(&["privacy_officer", "owner"]),
        ),
        // rule R3: separated storage is the privacy officer's alone.
        (
            "GET",
            "/admin/separated-records",
            Admins(&["privacy_officer"]),
        ),
        (
            "GET",
            "/admin/privacy-requests",
            Admins(&["privacy_officer", "owner"]),
        ),
        (
            "GET",
            "/admin/retention",
            Admins(&["privacy_officer", "owner"]),
        ),
        ("GET", "/admin/reports", Admins(&["auditor", "owner"])),
        (
            "GET",
            "/admin/chains/{chain}",
            Admins(&["privacy_officer", "auditor", "owner"]),
        ),
        (
            "POST",
            "/admin/privacy-requests/{id}/delay",
            Admins(&["privacy_officer", "owner"]),
        ),
        (
            "POST",
            "/admin/privacy-requests/{id}/answer",
            Admins(&["privacy_officer", "owner"]),
        ),
        // rule P2: requests entered by the desk and their identity checks.
        (
            "POST",
            "/admin/privacy-requests",
            Admins(&["privacy_officer", "owner"]),
        ),
        (
            "POST",
            "/admin/privacy-requests/{id}/identity-code",
            Admins(&["privacy_officer", "owner"]),
        ),
        (
            "POST",
            "/admin/privacy-requests/{id}/verify",
            Admins(&["privacy_officer", "owner"]),
        ),
        (
            "PUT",
            "/admin/privacy-requests/{id}/power-of-attorney",
            Admins(&["privacy_officer", "owner"]),
        ),
        // Last: they revoke the session they are called with.
        ("POST", "/auth/logout", Own),
        ("POST", "/admin/logout", Admins(ALL_ADMINS)),
        ("GET", "/healthz", Open),
        ("GET", "/terms", Open),
        ("POST", "/auth/login", Open),
        ("POST", "/auth/recovery/send", Open),
        ("POST", "/auth/recovery/verify", Open),
        ("POST", "/auth/recovery/password", Open),
        ("POST", "/admin/login", Open),
        ("POST", "/admin/bootstrap", Open),
        ("POST", "/devices/webhook", Open),
        ("GET", "/iclock/cdata", Open),
        ("POST", "/iclock/cdata", Open),
        ("GET", "/iclock/getrequest", Open),
        ("POST", "/maintenance/run", Open),
        ("POST", "/__dev/switches", Open),
        ("POST", "/__dev/plain-insert", Open),
        ("POST", "/__dev/plain-delete", Open),
        ("POST", "/__dev/plain-read", Open),
    ]
}

fn admits(a: Admits, c: Caller, method: &str) -> bool {
    match (a, c) {
        // A terminated partner reads what a partner reads, and writes
        // nothing but its own rights' requests and its sign-out (R4).
        (Admits::Own, Caller::ReadOnly) => true,
        (_, Caller::ReadOnly) => method == "GET" && admits(a, Caller::Member("partner"), method),
        // A contact person is a member user of its company, but not its
        // administrator.
        (Admits::Administrator, Caller::Person) => false,
        (_, Caller::Person) => admits(a, Caller::Member("client"), method),
        (Admits::Administrator, Caller::Member(_)) => true,
        (Admits::Own, Caller::Member(_) | Caller::Trial) => true,
        (Admits::Open, _) => true,
        (Admits::VisitorOrApplicant, Caller::Visitor | Caller::Applicant) => true,
        (Admits::Applicant, Caller::Applicant) => true,
        (Admits::Member, Caller::Member(_)) => true,
        (Admits::MemberOf(k), Caller::Member(c)) => k == c,
        (Admits::Matching, Caller::Member(_) | Caller::Trial) => true,
        (Admits::MatchingOf(k), Caller::Member(c)) => k == c,
        (Admits::MatchingOf(k), Caller::Trial) => k == "partner",
        (Admits::Admins(roles), Caller::Admin(r)) => roles.contains(&r),
        _ => false,
    }
}

#[test]
fn a4_every_route_admits_only_its_callers_and_refuses_the_rest_before_any_read() {
    let t = target();
    // The table covers every route served: a new route must be added here.
    let served: BTreeSet<(String, String)> = catalog::FUNCTIONS
        .iter()
        .flat_map(|f| {
            f.routes
                .iter()
                .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        })
        .collect();
    let listed: BTreeSet<(String, String)> = matrix()
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(served, listed, "every route is in the matrix");

    let applicant = Applicant::start(t).token;
    let trial = Applicant::submitted(t).approve_in_trial();
    let member = Company::active(t, 1).session;
    let client_company = Company::member(t, "client");
    let person = client_company.add_person().session;
    let client = client_company.session.clone();
    let terminated = Applicant::submitted_as(t, "partner");
    terminated.activate();
    admin_call(
        t,
        &admin(t, "owner"),
        "POST",
        &format!("/admin/members/{}/terminate", terminated.member_id),
        &serde_json::json!({"cause": "terms_violation", "reason": "matrix"}),
    )
    .expect(200);
    let read_only = terminated.session();
    let admins: Vec<(&str, String)> = ROLES.iter().map(|r| (*r, admin(t, r))).collect();
    let mut callers: Vec<(Caller, Option<String>)> = vec![
        (Caller::Visitor, None),
        (Caller::Applicant, Some(applicant)),
        (Caller::Member("partner"), Some(member)),
        (Caller::Member("client"), Some(client)),
        (Caller::Trial, Some(trial)),
        (Caller::ReadOnly, Some(read_only)),
        (Caller::Person, Some(person)),
    ];
    callers.extend(
        admins
            .into_iter()
            .map(|(r, tok)| (Caller::Admin(r), Some(tok))),
    );

    for (method, pattern, rule) in matrix() {
        if matches!(rule, Admits::Open) {
            continue;
        }
        let path = pattern
            .replace("{id}", "nobody_1")
            .replace("{doc}", "doc_1")
            .replace("{request_id}", "req_1");
        for (caller, token) in &callers {
            let auth = token.as_ref().map(|t| format!("Bearer {t}"));
            let mut headers = vec![JSON];
            if let Some(a) = &auth {
                headers.push(("authorization", a.as_str()));
            }
            let r = t.call(method, &path, &headers, b"{}");
            let refused = matches!(r.status, 401 | 403);
            if admits(rule, *caller, method) {
                assert!(!refused, "{method} {path} refused {caller:?}: {}", r.status);
            } else {
                assert!(refused, "{method} {path} admitted {caller:?}: {}", r.status);
                assert_eq!(
                    r.round_trips(),
                    0,
                    "{method} {path} read the database before refusing {caller:?}"
                );
            }
        }
    }
    // The logouts above revoked the sessions: the member's token is refused now.
    let (_, member) = &callers[2];
    let auth = format!("Bearer {}", member.as_deref().unwrap_or(""));
    t.call("GET", "/auth/me", &[("authorization", &auth)], b"")
        .expect(401);
}
