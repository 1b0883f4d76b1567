//! Member signup (rules S1–S9): the state machine and one use case per step.

use crate::common::{self, audit, bump_version, member_row, outbox, read_member, Limit};
use crate::crypto::{hash_password, new_id, six_digits};
use crate::ports::{Row, Stmt, StmtResult};
use crate::problem::{FieldError, Problem};
use crate::runtime::{guard_one_change, Auth, Effect, Env, Plan, Principal, UseCase};
use crate::stmt;
use crate::tokens::{self, TokenKind};
use crate::types::{kst_date, BusinessNumber, Email, LoginId, MobileNumber, Password};
use serde_json::{json, Map, Value as Json};

/// The signup steps in order (rule S1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Terms = 1,
    Contact = 2,
    Company = 3,
    Documents = 4,
    Submit = 5,
    Review = 6,
    Contract = 7,
}

impl Step {
    pub fn key(self) -> &'static str {
        match self {
            Step::Terms => "step.terms",
            Step::Contact => "step.contact",
            Step::Company => "step.company",
            Step::Documents => "step.documents",
            Step::Submit => "step.submit",
            Step::Review => "step.review",
            Step::Contract => "step.contract",
        }
    }
}

/// What the state machine knows about an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub status: String,
    /// Highest step completed among 1, 2, 3, 5.
    pub step: i64,
    pub phone_verified: bool,
    pub documents_complete: bool,
}

impl Progress {
    pub fn of(row: &Row, documents_complete: bool) -> Progress {
        Progress {
            status: row.text("status").unwrap_or("").to_owned(),
            step: row.int("step").unwrap_or(0),
            phone_verified: row.text("phone_verified_at").is_some(),
            documents_complete,
        }
    }

    /// May `step` run now? `Err` names what is missing (409) or why the
    /// application can no longer be edited (rule S1: edits until submission).
    pub fn allows(&self, step: Step) -> Result<(), Problem> {
        let editable = self.status == "applying";
        match step {
            Step::Terms | Step::Contact | Step::Company | Step::Documents | Step::Submit
                if !editable =>
            {
                Err(Problem::conflict("detail.already_submitted")
                    .with("status", json!(self.status)))
            }
            Step::Terms => Ok(()),
            Step::Contact => self.need(Step::Terms),
            Step::Company => {
                self.need(Step::Contact)?;
                if self.phone_verified {
                    Ok(())
                } else {
                    Err(Problem::step_missing("step.phone"))
                }
            }
            Step::Documents => self.need(Step::Company),
            Step::Submit => {
                self.need(Step::Company)?;
                if self.documents_complete {
                    Ok(())
                } else {
                    Err(Problem::step_missing("step.documents"))
                }
            }
            Step::Review => {
                if matches!(self.status.as_str(), "submitted" | "on_hold") {
                    Ok(())
                } else if self.status == "applying" {
                    Err(Problem::step_missing("step.submit"))
                } else {
                    Err(Problem::conflict("detail.review_state").with("status", json!(self.status)))
                }
            }
            Step::Contract => match self.status.as_str() {
                "approved" => Ok(()),
                "applying" | "submitted" | "on_hold" => Err(Problem::step_missing("step.review")),
                _ => {
                    Err(Problem::conflict("detail.activation_state")
                        .with("status", json!(self.status)))
                }
            },
        }
    }

    fn need(&self, s: Step) -> Result<(), Problem> {
        if self.step >= s as i64 {
            Ok(())
        } else {
            // Name the first step not done, not the one just before.
            let first_missing = [Step::Terms, Step::Contact, Step::Company]
                .into_iter()
                .find(|x| self.step < *x as i64)
                .unwrap_or(s);
            Err(Problem::step_missing(first_missing.key()))
        }
    }

    /// The next thing the applicant should do.
    pub fn next(&self) -> &'static str {
        match (self.status.as_str(), self.step) {
            ("applying", s) if s < 2 => "contact",
            ("applying", _) if !self.phone_verified => "phone",
            ("applying", s) if s < 3 => "company",
            ("applying", _) if !self.documents_complete => "documents",
            ("applying", _) => "submit",
            ("submitted" | "on_hold", _) => "review",
            ("approved", _) => "contract",
            _ => "none",
        }
    }
}

// ---------------------------------------------------------------- step 1

#[derive(Debug, Clone, PartialEq)]
pub struct Consent {
    pub kind: String,
    pub version: String,
    pub accepted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TermsInput {
    pub kind: String,
    pub over_14: bool,
    pub consents: Vec<Consent>,
}

/// Step 1: terms consent (rule S2). Without a signup token it starts a new
/// application; with one it redoes the step (new consent records, same
/// application, kind unchanged) until submission (rule S1).
pub struct Terms;

impl UseCase for Terms {
    type Input = TermsInput;
    const NAME: &'static str = "signup.terms";
    const AUTH: Auth = Auth::Optional(TokenKind::Signup);

    fn reads(&self, input: &TermsInput, who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![
            stmt!("SELECT kind, version, required FROM terms_documents WHERE current = 1"),
            stmt!(
                "SELECT kind FROM member_kinds WHERE kind = ?",
                input.kind.as_str()
            ),
            read_member(who.map_or("", |w| w.id.as_str())),
        ]
    }

    fn decide(
        &self,
        input: TermsInput,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let existing = match who {
            None => None,
            Some(_) => match member_row(&rows[2]) {
                Ok(m) => match Progress::of(m, false).allows(Step::Terms) {
                    Ok(()) => Some(m),
                    Err(p) => return Plan::fail(p),
                },
                Err(p) => return Plan::fail(p),
            },
        };
        let mut errors = Vec::new();
        if rows[1].rows.is_empty() {
            errors.push(FieldError::new("kind", "field.unknown_kind"));
        }
        if !input.over_14 {
            errors.push(FieldError::new("over_14", "field.under_14"));
        }
        let docs: Vec<&Row> = rows[0].rows.iter().collect();
        for (i, c) in input.consents.iter().enumerate() {
            let Some(doc) = docs
                .iter()
                .find(|d| d.text("kind") == Some(c.kind.as_str()))
            else {
                errors.push(FieldError::new(
                    &format!("consents/{i}/kind"),
                    "field.document_kind",
                ));
                continue;
            };
            if doc.text("version") != Some(c.version.as_str()) {
                errors.push(FieldError::new(
                    &format!("consents/{i}/version"),
                    "field.version",
                ));
            }
        }
        for doc in docs.iter().filter(|d| d.int("required") == Some(1)) {
            let kind = doc.text("kind").unwrap_or("");
            let accepted = input.consents.iter().any(|c| c.kind == kind && c.accepted);
            if !accepted {
                let at = input.consents.iter().position(|c| c.kind == kind);
                let pointer = at.map_or_else(
                    || "consents".to_owned(),
                    |i| format!("consents/{i}/accepted"),
                );
                errors.push(FieldError::new(&pointer, "field.must_accept"));
            }
        }
        if !errors.is_empty() {
            return Plan::fail(Problem::validation(errors));
        }
        let now = env.now.to_rfc3339();
        let (id, mut writes) = match existing {
            Some(m) => {
                let id = m.text("id").unwrap_or("").to_owned();
                let w = vec![
                    bump_version(&id, m.int("version").unwrap_or(0)),
                    guard_one_change(),
                ];
                (id, w)
            }
            None => {
                let id = new_id(env.rng, "mem");
                let w = vec![stmt!(
                    "INSERT INTO members (id, kind, status, step, created_at) VALUES (?, ?, 'applying', 1, ?)",
                    id.as_str(),
                    input.kind.as_str(),
                    now.as_str()
                )];
                (id, w)
            }
        };
        let next = existing.map_or("contact", |m| Progress::of(m, false).next());
        let ip = env.client_ip.map(|ip| env.keys.seal(env.rng, ip));
        for c in &input.consents {
            writes.push(stmt!(
                "INSERT INTO consents (id, member_id, document_kind, document_version, accepted, at, ip_enc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                new_id(env.rng, "cns"),
                id.as_str(),
                c.kind.as_str(),
                c.version.as_str(),
                c.accepted,
                now.as_str(),
                ip.clone()
            ));
        }
        let token = tokens::issue(
            env.keys,
            TokenKind::Signup,
            &id,
            &new_id(env.rng, "sgn"),
            "",
            env.now,
        );
        Plan::ok(
            201,
            json!({
                "member_id": id,
                "signup_token": token,
                "token_type": "Bearer",
                "expires_in": TokenKind::Signup.lifetime_secs(),
                "next": next,
            }),
            writes,
        )
    }
}

// ---------------------------------------------------------------- step 2

#[derive(Debug, Clone)]
pub struct ContactInput {
    pub login_id: LoginId,
    pub password: Password,
    pub name: String,
    pub mobile: MobileNumber,
    pub email: Email,
}

/// Step 2: contact person (rule S3).
pub struct Contact;

impl UseCase for Contact {
    type Input = ContactInput;
    const NAME: &'static str = "signup.contact";
    const AUTH: Auth = Auth::Required(TokenKind::Signup);

    fn reads(&self, input: &ContactInput, who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        let id = who.map_or("", |w| w.id.as_str());
        vec![
            read_member(id),
            stmt!(
                "SELECT member_id FROM login_ids WHERE login_id = ?",
                input.login_id.as_ref()
            ),
        ]
    }

    fn decide(
        &self,
        input: ContactInput,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let m = match member_row(&rows[0]) {
            Ok(m) => m,
            Err(p) => return Plan::fail(p),
        };
        let id = who.map_or("", |w| w.id.as_str());
        if let Err(p) = Progress::of(m, false).allows(Step::Contact) {
            return Plan::fail(p);
        }
        let taken = || {
            Problem::new(
                409,
                "login-id-taken",
                "title.conflict",
                "detail.login_id_taken",
            )
            .with(
                "errors",
                json!([{"pointer": "#/login_id", "code": "detail.login_id_taken"}]),
            )
        };
        let owner = rows[1].first().and_then(|r| r.text("member_id"));
        if owner.is_some_and(|o| o != id) {
            return Plan::fail(taken());
        }
        let phone_bidx = env.keys.blind_index("phone", input.mobile.as_ref());
        let mut writes = Vec::new();
        if owner.is_none() {
            // Release an ID this applicant took before (never one retired).
            writes.push(stmt!(
                "DELETE FROM login_ids WHERE member_id = ? AND retired_at IS NULL",
                id
            ));
            writes.push(stmt!(
                "INSERT INTO login_ids (login_id, member_id) VALUES (?, ?)",
                input.login_id.as_ref(),
                id
            ));
        }
        writes.push(stmt!(
            "UPDATE members SET login_id = ?, password_hash = ?, contact_name_enc = ?, phone_enc = ?,
               phone_verified_at = CASE WHEN phone_bidx = ? THEN phone_verified_at ELSE NULL END,
               phone_bidx = ?, email_enc = ?, email_bidx = ?, step = MAX(step, 2), version = version + 1
             WHERE id = ? AND version = ? AND status = 'applying'",
            input.login_id.as_ref(),
            hash_password(env.rng, input.password.expose()),
            env.keys.seal(env.rng, &input.name),
            env.keys.seal(env.rng, input.mobile.as_ref()),
            phone_bidx.as_str(),
            phone_bidx.as_str(),
            env.keys.seal(env.rng, input.email.as_ref()),
            env.keys.blind_index("email", input.email.as_ref()),
            id,
            m.int("version").unwrap_or(0)
        ));
        writes.push(guard_one_change());
        let same_phone = m.text("phone_bidx") == Some(phone_bidx.as_str())
            && m.text("phone_verified_at").is_some();
        Plan::ok(200, json!({ "member_id": id, "phone_verified": same_phone, "next": if same_phone { "company" } else { "phone" } }), writes)
            .conflict_means(taken())
    }
}

// ---------------------------------------------------------------- phone codes

pub const CODE_TTL_SECS: i64 = 180;
pub const CODE_MAX_TRIES: i64 = 5;
pub const CODE_RESEND_SECS: i64 = 60;
pub const CODE_DAILY_MAX: i64 = 5;
/// Codes to one number per hour, across applications (rule A6).
pub const PHONE_HOURLY: Limit = Limit {
    prefix: "code-phone",
    window_secs: 3600,
    max: 10,
};

fn code_hash(env: &Env, member_id: &str, code: &str) -> String {
    env.keys
        .blind_index("phone-code", &format!("{member_id}:{code}"))
}

/// Sends a 6-digit code to the contact's mobile (rule S3).
pub struct PhoneSend;

impl UseCase for PhoneSend {
    type Input = ();
    const NAME: &'static str = "signup.phone_send";
    const AUTH: Auth = Auth::Required(TokenKind::Signup);

    fn reads(&self, _: &(), who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        let id = who.map_or("", |w| w.id.as_str());
        vec![
            read_member(id),
            stmt!("SELECT * FROM phone_codes WHERE member_id = ?", id),
            stmt!("SELECT r.window_start, r.count FROM rate_limits r JOIN members m ON r.bucket = 'code-phone:' || m.phone_bidx WHERE m.id = ?", id),
        ]
    }

    fn decide(&self, _: (), who: Option<&Principal>, rows: Vec<StmtResult>, env: &Env) -> Plan {
        let m = match member_row(&rows[0]) {
            Ok(m) => m,
            Err(p) => return Plan::fail(p),
        };
        let id = who.map_or("", |w| w.id.as_str());
        let progress = Progress::of(m, false);
        if let Err(p) = progress.allows(Step::Contact).and_then(|()| {
            if progress.step >= 2 {
                Ok(())
            } else {
                Err(Problem::step_missing("step.contact"))
            }
        }) {
            return Plan::fail(p);
        }
        if progress.phone_verified {
            return Plan::ok(
                200,
                json!({ "already_verified": true, "code": "detail.phone_already_verified" }),
                vec![],
            );
        }
        let today = kst_date(env.now).to_string();
        let phone_bidx = m.text("phone_bidx").unwrap_or("");
        let prior = rows[1].first();
        if let Some(p) = prior {
            let sent = common::parse_instant(p.text("sent_at"));
            if let Some(sent) = sent {
                let wait = CODE_RESEND_SECS - (env.now - sent).num_seconds();
                if wait > 0 {
                    return Plan::fail(Problem::rate_limited(
                        "detail.code_resend_wait",
                        u64::try_from(wait).unwrap_or(1),
                    ));
                }
            }
            if p.text("sent_day") == Some(today.as_str())
                && p.int("sent_today").unwrap_or(0) >= CODE_DAILY_MAX
            {
                return Plan::fail(Problem::rate_limited("detail.code_daily_limit", 3600));
            }
        }
        if let Err(wait) = PHONE_HOURLY.check(&rows[2], env.now) {
            return Plan::fail(Problem::rate_limited("detail.rate_limited", wait));
        }
        let code = six_digits(env.rng);
        let phone = m
            .text("phone_enc")
            .and_then(|p| env.keys.open(p).ok())
            .unwrap_or_default();
        let (notice, send) = outbox(
            env,
            id,
            "sms",
            "phone_code",
            &phone,
            &format!("[멤버 플랫폼] 인증번호 {code} (3분 안에 입력)"),
        );
        let writes = vec![
            stmt!(
                "INSERT INTO phone_codes (member_id, code_hash, phone_bidx, expires_at, tries, sent_at, sent_day, sent_today)
                 VALUES (?, ?, ?, ?, 0, ?, ?, 1)
                 ON CONFLICT (member_id) DO UPDATE SET code_hash = excluded.code_hash, phone_bidx = excluded.phone_bidx,
                   expires_at = excluded.expires_at, tries = 0, sent_at = excluded.sent_at,
                   sent_today = CASE WHEN phone_codes.sent_day = excluded.sent_day THEN phone_codes.sent_today + 1 ELSE 1 END,
                   sent_day = excluded.sent_day",
                id,
                code_hash(env, id, &code),
                phone_bidx,
                (env.now + chrono::Duration::seconds(CODE_TTL_SECS)).to_rfc3339(),
                env.now.to_rfc3339(),
                today.as_str()
            ),
            PHONE_HOURLY.hit(phone_bidx, env.now),
            notice,
        ];
        Plan::ok(
            202,
            json!({ "sent": true, "expires_in": CODE_TTL_SECS, "resend_after": CODE_RESEND_SECS }),
            writes,
        )
        .effect(send)
    }
}

/// Checks the code (rule S3): 3-minute expiry, 5 tries.
pub struct PhoneVerify;

impl UseCase for PhoneVerify {
    type Input = String;
    const NAME: &'static str = "signup.phone_verify";
    const AUTH: Auth = Auth::Required(TokenKind::Signup);

    fn reads(&self, _: &String, who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        let id = who.map_or("", |w| w.id.as_str());
        vec![
            read_member(id),
            stmt!("SELECT * FROM phone_codes WHERE member_id = ?", id),
        ]
    }

    fn decide(
        &self,
        code: String,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let m = match member_row(&rows[0]) {
            Ok(m) => m,
            Err(p) => return Plan::fail(p),
        };
        let id = who.map_or("", |w| w.id.as_str());
        let progress = Progress::of(m, false);
        if let Err(p) = progress.allows(Step::Contact) {
            return Plan::fail(p);
        }
        if progress.phone_verified {
            return Plan::ok(
                200,
                json!({ "verified": true, "already_verified": true, "code": "detail.phone_already_verified" }),
                vec![],
            );
        }
        let Some(pc) = rows[1].first() else {
            return Plan::fail(Problem::conflict("detail.no_code"));
        };
        let field = |key| Problem::field("code", key);
        let tries = pc.int("tries").unwrap_or(0);
        if tries >= CODE_MAX_TRIES {
            return Plan::fail(Problem {
                status: 429,
                ..field("detail.code_tries")
            });
        }
        let expired = common::parse_instant(pc.text("expires_at")).is_none_or(|e| env.now > e);
        if expired {
            return Plan::fail(field("detail.code_expired"));
        }
        let same_phone = pc.text("phone_bidx") == m.text("phone_bidx");
        let right = same_phone
            && crate::crypto::constant_time_eq(
                code_hash(env, id, &code).as_bytes(),
                pc.text("code_hash").unwrap_or("").as_bytes(),
            );
        if !right {
            return Plan::fail_with(
                field("detail.code_wrong").with("tries_left", json!(CODE_MAX_TRIES - tries - 1)),
                vec![stmt!(
                    "UPDATE phone_codes SET tries = tries + 1 WHERE member_id = ?",
                    id
                )],
            );
        }
        Plan::ok(
            200,
            json!({ "verified": true, "next": if progress.step >= 3 { "documents" } else { "company" } }),
            vec![
                stmt!(
                    "UPDATE members SET phone_verified_at = ?, version = version + 1 WHERE id = ?",
                    env.now.to_rfc3339(),
                    id
                ),
                stmt!("DELETE FROM phone_codes WHERE member_id = ?", id),
            ],
        )
    }
}

// ---------------------------------------------------------------- step 3

/// Company fields as parsed; which are required depends on the member kind.
#[derive(Debug, Clone, Default)]
pub struct CompanyInput {
    pub company_name: Option<String>,
    pub business_number: Option<BusinessNumber>,
    pub representative_name: Option<String>,
    pub business_type: Option<String>,
    pub business_item: Option<String>,
    pub address: Option<String>,
    pub revenue_krw: Option<i64>,
    pub employees: Option<i64>,
    pub founded_year: Option<i64>,
    pub homepage: Option<String>,
    pub categories: Option<Vec<String>>,
}

impl CompanyInput {
    fn present(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        let mut add = |name, yes: bool| {
            if yes {
                v.push(name);
            }
        };
        add("company_name", self.company_name.is_some());
        add("business_number", self.business_number.is_some());
        add("representative_name", self.representative_name.is_some());
        add("business_type", self.business_type.is_some());
        add("business_item", self.business_item.is_some());
        add("address", self.address.is_some());
        add("revenue_krw", self.revenue_krw.is_some());
        add("employees", self.employees.is_some());
        add("founded_year", self.founded_year.is_some());
        add("homepage", self.homepage.is_some());
        add("categories", self.categories.is_some());
        v
    }
}

pub const COMPANY_FIELDS: &[&str] = &[
    "company_name",
    "business_number",
    "representative_name",
    "business_type",
    "business_item",
    "address",
    "revenue_krw",
    "employees",
    "founded_year",
    "homepage",
    "categories",
];

/// Step 3: company information (rule S4).
pub struct Company;

impl UseCase for Company {
    type Input = CompanyInput;
    const NAME: &'static str = "signup.company";
    const AUTH: Auth = Auth::Required(TokenKind::Signup);

    fn reads(&self, input: &CompanyInput, who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        let id = who.map_or("", |w| w.id.as_str());
        let brn = input.business_number.as_ref().map_or("", |b| b.as_ref());
        vec![
            read_member(id),
            stmt!("SELECT k.required_fields, k.optional_fields FROM member_kinds k JOIN members m ON m.kind = k.kind WHERE m.id = ?", id),
            stmt!("SELECT code, name_ko, name_en, success_fee_bp FROM categories ORDER BY code"),
            stmt!("SELECT id FROM members WHERE business_number = ? AND status IN ('approved','active') AND id != ?", brn, id),
        ]
    }

    fn decide(
        &self,
        input: CompanyInput,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let m = match member_row(&rows[0]) {
            Ok(m) => m,
            Err(p) => return Plan::fail(p),
        };
        let id = who.map_or("", |w| w.id.as_str());
        if let Err(p) = Progress::of(m, false).allows(Step::Company) {
            return Plan::fail(p);
        }
        let fields_of = |col: &str| -> Vec<String> {
            rows[1]
                .first()
                .and_then(|r| r.text(col))
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default()
        };
        let (required, optional) = (fields_of("required_fields"), fields_of("optional_fields"));
        let present = input.present();
        let mut errors = Vec::new();
        for r in &required {
            if !present.contains(&r.as_str()) {
                errors.push(FieldError::new(r, "field.required"));
            }
        }
        for p in &present {
            if !required.iter().chain(&optional).any(|f| f == p) {
                errors.push(FieldError::new(p, "field.not_for_kind"));
            }
        }
        let known: Vec<&Row> = rows[2].rows.iter().collect();
        let mut chosen = Vec::new();
        if let Some(cats) = &input.categories {
            if cats.is_empty() || cats.len() > 3 {
                errors.push(FieldError::new("categories", "field.categories_count"));
            }
            for (i, c) in cats.iter().enumerate() {
                match known.iter().find(|k| k.text("code") == Some(c.as_str())) {
                    Some(k) => chosen.push(json!({
                        "code": c,
                        "name_ko": k.text("name_ko"),
                        "name_en": k.text("name_en"),
                        "success_fee_bp": k.int("success_fee_bp"),
                        "success_fee_percent": k.int("success_fee_bp").unwrap_or(0) as f64 / 100.0,
                    })),
                    None => errors.push(FieldError::new(
                        &format!("categories/{i}"),
                        "field.unknown_category",
                    )),
                }
            }
        }
        if !errors.is_empty() {
            return Plan::fail(Problem::validation(errors));
        }
        let brn_taken = Problem::new(
            409,
            "business-number",
            "title.conflict",
            "detail.brn_duplicate",
        )
        .with(
            "errors",
            json!([{"pointer": "#/business_number", "code": "detail.brn_duplicate"}]),
        );
        if !rows[3].rows.is_empty() {
            return Plan::fail(brn_taken);
        }
        let extra = json!({
            "business_type": input.business_type,
            "business_item": input.business_item,
            "revenue_krw": input.revenue_krw,
            "employees": input.employees,
            "founded_year": input.founded_year,
            "homepage": input.homepage,
        });
        let seal = |v: &Option<String>| v.as_ref().map(|s| env.keys.seal(env.rng, s));
        let writes = vec![
            stmt!(
                "UPDATE members SET company_name = ?, business_number = ?, representative_name_enc = ?, address_enc = ?,
                   company_json = ?, categories = ?, capability_updated_at = ?, step = MAX(step, 3), version = version + 1
                 WHERE id = ? AND version = ? AND status = 'applying'",
                input.company_name.clone(),
                input.business_number.as_ref().map(|b| b.as_ref().to_owned()),
                seal(&input.representative_name),
                seal(&input.address),
                extra.to_string(),
                input.categories.as_ref().map(|c| json!(c).to_string()),
                env.now.to_rfc3339(),
                id,
                m.int("version").unwrap_or(0)
            ),
            guard_one_change(),
        ];
        Plan::ok(
            200,
            json!({
                "member_id": id,
                "business_number": input.business_number.as_ref().map(BusinessNumber::formatted),
                "categories": chosen,
                "system_fee": {
                    "annual_krw": env.config.system_fee_krw,
                    "billed_after_trial_matchings": env.config.trial_matchings,
                },
                "next": "documents",
            }),
            writes,
        )
        .conflict_means(brn_taken)
    }
}

/// "Search my company" (rule S4): by business number or name prefix, what the
/// platform already knows, to pre-fill step 3.
pub struct CompanySearch;

impl UseCase for CompanySearch {
    type Input = String;
    const NAME: &'static str = "signup.company_search";
    const AUTH: Auth = Auth::Required(TokenKind::Signup);

    fn reads(&self, q: &String, _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        match BusinessNumber::parse(q) {
            Ok(b) => vec![stmt!(
                "SELECT * FROM company_directory WHERE business_number = ?",
                b.as_ref()
            )],
            Err(_) => {
                let escaped = q
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                vec![stmt!(
                    "SELECT * FROM company_directory WHERE company_name LIKE ? ESCAPE '\\' ORDER BY company_name LIMIT 10",
                    format!("{escaped}%")
                )]
            }
        }
    }

    fn decide(&self, _: String, _: Option<&Principal>, rows: Vec<StmtResult>, _: &Env) -> Plan {
        let found: Vec<Json> = rows[0]
            .rows
            .iter()
            .map(|r| {
                let brn = r
                    .text("business_number")
                    .and_then(|b| BusinessNumber::parse(b).ok());
                json!({
                    "company_name": r.text("company_name"),
                    "business_number": brn.as_ref().map(BusinessNumber::formatted),
                    "business_type": r.text("business_type"),
                    "business_item": r.text("business_item"),
                    "founded_year": r.int("founded_year"),
                    "homepage": r.text("homepage"),
                })
            })
            .collect();
        Plan::ok(200, json!({ "results": found }), vec![])
    }
}

// ---------------------------------------------------------------- step 4

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    RegistrationCertificate,
    Brochure,
    Portfolio,
}

impl DocKind {
    pub fn parse(s: &str) -> Result<DocKind, &'static str> {
        match s {
            "registration_certificate" => Ok(DocKind::RegistrationCertificate),
            "brochure" => Ok(DocKind::Brochure),
            "portfolio" => Ok(DocKind::Portfolio),
            _ => Err("field.document_kind"),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::RegistrationCertificate => "registration_certificate",
            DocKind::Brochure => "brochure",
            DocKind::Portfolio => "portfolio",
        }
    }
    /// Largest accepted file (rule S5: brochure at most 20 MB).
    pub fn max_bytes(self) -> usize {
        match self {
            DocKind::RegistrationCertificate => 10 * 1024 * 1024,
            DocKind::Brochure | DocKind::Portfolio => 20 * 1024 * 1024,
        }
    }
    /// Content types accepted, as sniffed from the bytes (rule S5).
    pub fn accepts(self, sniffed: &str) -> bool {
        match self {
            DocKind::RegistrationCertificate => {
                matches!(sniffed, "application/pdf" | "image/jpeg" | "image/png")
            }
            DocKind::Brochure => sniffed == "application/pdf",
            DocKind::Portfolio => sniffed.starts_with("image/") || sniffed.starts_with("video/"),
        }
    }
}

/// The content type by magic bytes, never by name (rule S5).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |m: &[u8]| bytes.starts_with(m);
    if starts(b"%PDF-") {
        Some("application/pdf")
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if starts(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        if &bytes[8..12] == b"qt  " {
            Some("video/quicktime")
        } else {
            Some("video/mp4")
        }
    } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("video/webm")
    } else {
        None
    }
}

#[derive(Debug, Clone)]
pub struct DocumentInput {
    pub kind: DocKind,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Which required documents are still missing (rule S5).
pub fn missing_documents(counts: &StmtResult) -> Vec<&'static str> {
    let n = |k: &str| {
        counts
            .rows
            .iter()
            .find(|r| r.text("kind") == Some(k))
            .and_then(|r| r.int("n"))
            .unwrap_or(0)
    };
    let mut missing = Vec::new();
    if n("registration_certificate") < 1 {
        missing.push("registration_certificate");
    }
    if n("brochure") < 1 {
        missing.push("brochure");
    }
    if n("portfolio") < PORTFOLIO_MIN {
        missing.push("portfolio");
    }
    missing
}

pub const PORTFOLIO_MIN: i64 = 5;

fn count_documents(id: &str) -> Stmt {
    stmt!(
        "SELECT kind, COUNT(*) AS n FROM documents WHERE member_id = ? GROUP BY kind",
        id
    )
}

/// Step 4: documents (rule S5). Certificate and brochure replace the previous
/// one; portfolio items add up.
pub struct Documents;

impl UseCase for Documents {
    type Input = DocumentInput;
    const NAME: &'static str = "signup.documents";
    const AUTH: Auth = Auth::Required(TokenKind::Signup);

    fn reads(&self, _: &DocumentInput, who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        let id = who.map_or("", |w| w.id.as_str());
        vec![read_member(id), count_documents(id)]
    }

    fn decide(
        &self,
        input: DocumentInput,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let m = match member_row(&rows[0]) {
            Ok(m) => m,
            Err(p) => return Plan::fail(p),
        };
        let id = who.map_or("", |w| w.id.as_str());
        if let Err(p) = Progress::of(m, false).allows(Step::Documents) {
            return Plan::fail(p);
        }
        let doc_id = new_id(env.rng, "doc");
        let blob_key = format!("members/{id}/{doc_id}");
        let mut writes = Vec::new();
        if input.kind != DocKind::Portfolio {
            writes.push(stmt!(
                "DELETE FROM documents WHERE member_id = ? AND kind = ?",
                id,
                input.kind.as_str()
            ));
        }
        writes.push(stmt!(
            "INSERT INTO documents (id, member_id, kind, content_type, size_bytes, blob_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            doc_id.as_str(),
            id,
            input.kind.as_str(),
            input.content_type,
            i64::try_from(input.bytes.len()).unwrap_or(i64::MAX),
            blob_key.as_str(),
            env.now.to_rfc3339()
        ));
        // Uploads may run in parallel (five portfolio items at once), so the
        // guard is the application still being editable, not its version.
        writes.push(stmt!(
            "UPDATE members SET version = version + 1 WHERE id = ? AND status = 'applying'",
            id
        ));
        writes.push(guard_one_change());
        // Counts after this upload, for the applicant's checklist.
        let mut counts = rows[1].clone();
        let replaced = input.kind != DocKind::Portfolio;
        match counts
            .rows
            .iter_mut()
            .find(|r| r.text("kind") == Some(input.kind.as_str()))
        {
            Some(r) => {
                let n = if replaced {
                    1
                } else {
                    r.int("n").unwrap_or(0) + 1
                };
                r.0.insert("n".into(), crate::ports::Value::Int(n));
            }
            None => counts.rows.push(Row([
                (
                    "kind".to_owned(),
                    crate::ports::Value::Text(input.kind.as_str().into()),
                ),
                ("n".to_owned(), crate::ports::Value::Int(1)),
            ]
            .into())),
        }
        let missing = missing_documents(&counts);
        Plan::ok(
            201,
            json!({
                "document_id": doc_id,
                "kind": input.kind.as_str(),
                "content_type": input.content_type,
                "size_bytes": input.bytes.len(),
                "missing": missing,
                "next": if missing.is_empty() { "submit" } else { "documents" },
            }),
            writes,
        )
        .effect(Effect::PutBlob {
            key: blob_key,
            bytes: input.bytes,
            content_type: input.content_type.to_owned(),
        })
    }
}

// ---------------------------------------------------------------- step 5

/// Step 5: submit for review; flags possible duplicate signups (rule S9).
pub struct Submit;

impl UseCase for Submit {
    type Input = ();
    const NAME: &'static str = "signup.submit";
    const AUTH: Auth = Auth::Required(TokenKind::Signup);

    fn reads(&self, _: &(), who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        let id = who.map_or("", |w| w.id.as_str());
        vec![
            read_member(id),
            count_documents(id),
            stmt!(
                "SELECT o.id, CASE WHEN o.business_number = m.business_number THEN 'same_business_number' ELSE 'same_phone' END AS reason
                 FROM members m JOIN members o ON o.id != m.id
                   AND (o.business_number = m.business_number OR o.phone_bidx = m.phone_bidx)
                 WHERE m.id = ? AND o.status NOT IN ('rejected','withdrawn') AND o.step >= 2",
                id
            ),
        ]
    }

    fn decide(&self, _: (), who: Option<&Principal>, rows: Vec<StmtResult>, env: &Env) -> Plan {
        let m = match member_row(&rows[0]) {
            Ok(m) => m,
            Err(p) => return Plan::fail(p),
        };
        let id = who.map_or("", |w| w.id.as_str());
        let missing = missing_documents(&rows[1]);
        if let Err(p) = Progress::of(m, missing.is_empty()).allows(Step::Submit) {
            return Plan::fail(if p.status == 409 && p.kind == "step-order" {
                p.with("missing_documents", json!(missing))
            } else {
                p
            });
        }
        let now = env.now.to_rfc3339();
        let mut writes = vec![
            stmt!(
                "UPDATE members SET status = 'submitted', step = 5, submitted_at = ?, version = version + 1
                 WHERE id = ? AND version = ? AND status = 'applying'",
                now.as_str(),
                id,
                m.int("version").unwrap_or(0)
            ),
            guard_one_change(),
        ];
        let mut flags = Vec::new();
        for r in &rows[2].rows {
            let (other, reason) = (
                r.text("id").unwrap_or(""),
                r.text("reason").unwrap_or("same_phone"),
            );
            flags.push(json!({ "reason": reason }));
            writes.push(stmt!(
                "INSERT OR IGNORE INTO signup_flags (id, member_id, reason, other_member_id, at) VALUES (?, ?, ?, ?, ?)",
                new_id(env.rng, "flg"),
                id,
                reason,
                other,
                now.as_str()
            ));
        }
        Plan::ok(
            200,
            json!({ "member_id": id, "status": "submitted", "next": "review" }),
            writes,
        )
    }
}

/// The applicant's view of the application, including a decision's reason (rule S6).
pub struct Status;

impl UseCase for Status {
    type Input = ();
    const NAME: &'static str = "signup.status";
    const AUTH: Auth = Auth::Required(TokenKind::Signup);

    fn reads(&self, _: &(), who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        let id = who.map_or("", |w| w.id.as_str());
        vec![read_member(id), count_documents(id)]
    }

    fn decide(&self, _: (), _: Option<&Principal>, rows: Vec<StmtResult>, _: &Env) -> Plan {
        let m = match member_row(&rows[0]) {
            Ok(m) => m,
            Err(p) => return Plan::fail(p),
        };
        let missing = missing_documents(&rows[1]);
        let progress = Progress::of(m, missing.is_empty());
        Plan::ok(
            200,
            json!({
                "member_id": m.text("id"),
                "kind": m.text("kind"),
                "status": progress.status,
                "next": progress.next(),
                "phone_verified": progress.phone_verified,
                "missing_documents": missing,
                "decision": m.text("decision"),
                "decision_reason": m.text("decision_reason"),
            }),
            vec![],
        )
    }
}

// ---------------------------------------------------------------- steps 6 and 7

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Hold,
    Reject,
}

impl Decision {
    pub fn parse(s: &str) -> Result<Decision, &'static str> {
        match s {
            "approve" => Ok(Decision::Approve),
            "hold" => Ok(Decision::Hold),
            "reject" => Ok(Decision::Reject),
            _ => Err("field.decision"),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Hold => "hold",
            Decision::Reject => "reject",
        }
    }
    fn status(self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Hold => "on_hold",
            Decision::Reject => "rejected",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReviewInput {
    pub member_id: String,
    pub decision: Decision,
    pub reason: String,
}

pub fn may_review(role: &str) -> bool {
    matches!(role, "reviewer" | "owner")
}

/// An admin's step on an application: the role may take it (403), the
/// member exists (404) and is at this step (409).
fn admin_step<'a>(
    who: Option<&'a Principal>,
    member: &'a StmtResult,
    may: fn(&str) -> bool,
    step: Step,
) -> Result<(&'a Principal, &'a Row), Problem> {
    let admin = who.ok_or_else(|| Problem::unauthorized("detail.unauthorized"))?;
    if !may(&admin.role) {
        return Err(Problem::forbidden("detail.forbidden_role"));
    }
    let m = member.first().ok_or_else(Problem::not_found)?;
    Progress::of(m, true).allows(step)?;
    Ok((admin, m))
}

/// Step 6: an admin's review decision (rule S6), audited with its reason.
pub struct Review;

impl UseCase for Review {
    type Input = ReviewInput;
    const NAME: &'static str = "admin.review";
    const AUTH: Auth = Auth::Required(TokenKind::Admin);

    fn reads(&self, input: &ReviewInput, _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![
            read_member(&input.member_id),
            stmt!(
                "SELECT reason, other_member_id FROM signup_flags WHERE member_id = ?",
                input.member_id.as_str()
            ),
        ]
    }

    fn decide(
        &self,
        input: ReviewInput,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let (admin, m) = match admin_step(who, &rows[0], may_review, Step::Review) {
            Ok(found) => found,
            Err(p) => return Plan::fail(p),
        };
        let id = input.member_id.as_str();
        let now = env.now.to_rfc3339();
        let mut writes = vec![
            stmt!(
                "UPDATE members SET status = ?, decision = ?, decision_reason = ?, version = version + 1
                 WHERE id = ? AND version = ? AND status IN ('submitted','on_hold')",
                input.decision.status(),
                input.decision.as_str(),
                input.reason.as_str(),
                id,
                m.int("version").unwrap_or(0)
            ),
            guard_one_change(),
            stmt!(
                "INSERT INTO reviews (id, member_id, admin_id, decision, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                new_id(env.rng, "rev"),
                id,
                admin.id.as_str(),
                input.decision.as_str(),
                input.reason.as_str(),
                now.as_str()
            ),
            audit(env, &admin.id, &format!("review.{}", input.decision.as_str()), id, &input.reason),
        ];
        let mut effects = Vec::new();
        if let Some(email) = m.text("email_enc").and_then(|e| env.keys.open(e).ok()) {
            let (notice, send) = outbox(
                env,
                id,
                "email",
                &format!("review_{}", input.decision.as_str()),
                &email,
                &format!(
                    "가입 심사 결과: {} — 사유: {}",
                    input.decision.as_str(),
                    input.reason
                ),
            );
            writes.push(notice);
            effects.push(send);
        }
        let brn_taken = Problem::new(
            409,
            "business-number",
            "title.conflict",
            "detail.brn_duplicate",
        );
        let mut plan = Plan::ok(
            200,
            json!({
                "member_id": id,
                "status": input.decision.status(),
                "decision": input.decision.as_str(),
                "reason": input.reason,
                "flags": rows[1].rows.iter().map(|r| json!({"reason": r.text("reason"), "other_member_id": r.text("other_member_id")})).collect::<Vec<_>>(),
                "next": if input.decision == Decision::Approve { "contract" } else { "none" },
            }),
            writes,
        )
        .conflict_means(brn_taken);
        plan.effects = effects;
        plan
    }
}

/// What an admin records on the way from approval to `active` (rule S7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivationAction {
    Trial { reference: String },
    Waive,
    Payment { reference: String, amount_krw: i64 },
}

#[derive(Debug, Clone)]
pub struct ActivationInput {
    pub member_id: String,
    pub action: ActivationAction,
}

/// The membership contract's state as a billing module would see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractState {
    pub trials: i64,
    pub waived: bool,
}

/// The port a billing module takes over later (rule S7): whether an action
/// is allowed and whether it completes the membership contract. Until then
/// `ManualContract` lets admins record trials, waivers and the fee payment.
pub trait MembershipContract {
    /// `Ok(true)` when the action completes the contract (→ `active`).
    ///
    /// # Errors
    /// A problem document to show when the action is not allowed now.
    fn check(
        &self,
        state: &ContractState,
        action: &ActivationAction,
        config: &crate::runtime::Config,
    ) -> Result<bool, Problem>;
}

pub struct ManualContract;

impl MembershipContract for ManualContract {
    fn check(
        &self,
        state: &ContractState,
        action: &ActivationAction,
        config: &crate::runtime::Config,
    ) -> Result<bool, Problem> {
        match action {
            ActivationAction::Trial { .. } | ActivationAction::Waive => Ok(false),
            ActivationAction::Payment { amount_krw, .. } => {
                if !state.waived && state.trials < config.trial_matchings {
                    return Err(Problem::conflict("detail.trials_pending")
                        .with("trials", json!(state.trials)));
                }
                if *amount_krw != config.system_fee_krw {
                    return Err(Problem::field("amount_krw", "detail.fee_mismatch"));
                }
                Ok(true)
            }
        }
    }
}

pub fn may_record_contract(role: &str) -> bool {
    matches!(role, "billing" | "owner")
}

/// Fills the welcome text's placeholders (rule S7; seed 000).
pub fn welcome_text(partner_name: &str, contact_name: &str, partner_id: &str) -> String {
    "$partner name$ $contact name$님, 멤버 플랫폼 가입을 환영합니다. 아이디: $partner id$"
        .replace("$partner name$", partner_name)
        .replace("$contact name$", contact_name)
        .replace("$partner id$", partner_id)
}

/// Step 7: trials, waiver and system-fee payment → `active` (rule S7).
pub struct Activation<C: MembershipContract>(pub C);

impl<C: MembershipContract> UseCase for Activation<C> {
    type Input = ActivationInput;
    const NAME: &'static str = "admin.activation";
    const AUTH: Auth = Auth::Required(TokenKind::Admin);

    fn reads(&self, input: &ActivationInput, _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![
            read_member(&input.member_id),
            stmt!(
                "SELECT COUNT(*) AS n FROM trial_matchings WHERE member_id = ?",
                input.member_id.as_str()
            ),
        ]
    }

    fn decide(
        &self,
        input: ActivationInput,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let (admin, m) = match admin_step(who, &rows[0], may_record_contract, Step::Contract) {
            Ok(found) => found,
            Err(p) => return Plan::fail(p),
        };
        let id = input.member_id.as_str();
        let state = ContractState {
            trials: rows[1].first().and_then(|r| r.int("n")).unwrap_or(0),
            waived: m.int("trials_waived") == Some(1),
        };
        let completes = match self.0.check(&state, &input.action, env.config) {
            Ok(c) => c,
            Err(p) => return Plan::fail(p),
        };
        let now = env.now.to_rfc3339();
        let version = m.int("version").unwrap_or(0);
        let mut writes = Vec::new();
        let mut effects = Vec::new();
        let (action, detail) = match &input.action {
            ActivationAction::Trial { reference } => {
                writes.push(stmt!(
                    "INSERT INTO trial_matchings (id, member_id, reference, recorded_by, at) VALUES (?, ?, ?, ?, ?)",
                    new_id(env.rng, "trl"),
                    id,
                    reference.as_str(),
                    admin.id.as_str(),
                    now.as_str()
                ));
                writes.push(bump_version(id, version));
                ("contract.trial", reference.clone())
            }
            ActivationAction::Waive => {
                writes.push(stmt!("UPDATE members SET trials_waived = 1, version = version + 1 WHERE id = ? AND version = ?", id, version));
                ("contract.waive_trials", String::new())
            }
            ActivationAction::Payment {
                reference,
                amount_krw,
            } => {
                writes.push(stmt!(
                    "INSERT INTO fee_payments (id, member_id, amount_krw, reference, recorded_by, at) VALUES (?, ?, ?, ?, ?, ?)",
                    new_id(env.rng, "pay"),
                    id,
                    *amount_krw,
                    reference.as_str(),
                    admin.id.as_str(),
                    now.as_str()
                ));
                writes.push(stmt!(
                    "UPDATE members SET status = 'active', fee_paid_reference = ?, activated_at = ?, step = 7, version = version + 1
                     WHERE id = ? AND version = ? AND status = 'approved'",
                    reference.as_str(),
                    now.as_str(),
                    id,
                    version
                ));
                ("contract.payment", reference.clone())
            }
        };
        writes.push(guard_one_change());
        writes.push(audit(env, &admin.id, action, id, &detail));
        let mut welcome = None;
        if completes {
            let contact = m
                .text("contact_name_enc")
                .and_then(|e| env.keys.open(e).ok())
                .unwrap_or_default();
            let text = welcome_text(
                m.text("company_name").unwrap_or(""),
                &contact,
                m.text("login_id").unwrap_or(""),
            );
            if let Some(email) = m.text("email_enc").and_then(|e| env.keys.open(e).ok()) {
                let (notice, send) = outbox(env, id, "email", "welcome", &email, &text);
                writes.push(notice);
                effects.push(send);
            }
            welcome = Some(text);
        }
        let trials =
            state.trials + i64::from(matches!(input.action, ActivationAction::Trial { .. }));
        let mut plan = Plan::ok(
            200,
            json!({
                "member_id": id,
                "status": if completes { "active" } else { "approved" },
                "trials": trials,
                "trials_waived": state.waived || input.action == ActivationAction::Waive,
                "welcome": welcome,
            }),
            writes,
        );
        plan.effects = effects;
        plan
    }
}

/// Capability information older than this asks the member to update (rule S8).
pub const CAPABILITY_STALE_MONTHS: u32 = 6;

/// Is the member's capability/capacity information stale at `now` (rule S8)?
pub fn capability_stale(updated_at: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> bool {
    let Some(updated) = common::parse_instant(updated_at) else {
        return false;
    };
    crate::types::add_months(kst_date(updated), CAPABILITY_STALE_MONTHS) <= kst_date(now)
}

/// The cron sweep's reads for rule S8: active members whose information is
/// stale and who were not asked since their last update.
pub fn stale_capability_reads(now: chrono::DateTime<chrono::Utc>) -> Vec<Stmt> {
    let cutoff = now - chrono::Duration::days(180);
    vec![stmt!(
        "SELECT id, capability_updated_at, email_enc FROM members
         WHERE status = 'active' AND capability_updated_at < ?
           AND (update_requested_at IS NULL OR update_requested_at < capability_updated_at)
         LIMIT 100",
        cutoff.to_rfc3339()
    )]
}

/// Writes for rule S8: mark each stale member asked, and notify by email.
pub fn stale_capability_writes(rows: &StmtResult, env: &Env) -> (Vec<Stmt>, Vec<Effect>) {
    let mut writes = Vec::new();
    let mut effects = Vec::new();
    for r in rows
        .rows
        .iter()
        .filter(|r| capability_stale(r.text("capability_updated_at"), env.now))
    {
        let id = r.text("id").unwrap_or("");
        writes.push(stmt!(
            "UPDATE members SET update_requested_at = ? WHERE id = ?",
            env.now.to_rfc3339(),
            id
        ));
        if let Some(email) = r.text("email_enc").and_then(|e| env.keys.open(e).ok()) {
            let (n, e) = outbox(
                env,
                id,
                "email",
                "capability_update",
                &email,
                "회사 역량·수용력 정보가 6개월이 지났습니다. 최신 정보로 갱신해 주세요.",
            );
            writes.push(n);
            effects.push(e);
        }
    }
    (writes, effects)
}

/// Helper for function crates: a JSON object's string array field.
pub fn string_list(
    map: &Map<String, Json>,
    name: &str,
) -> Result<Option<Vec<String>>, &'static str> {
    match map.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or("field.type"))
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err("field.type"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn progress(status: &str, step: i64, phone: bool, docs: bool) -> Progress {
        Progress {
            status: status.into(),
            step,
            phone_verified: phone,
            documents_complete: docs,
        }
    }

    #[test]
    fn s1_state_machine_names_the_first_missing_step() {
        let p = progress("applying", 1, false, false);
        assert!(p.allows(Step::Contact).is_ok());
        assert_eq!(
            p.allows(Step::Company).unwrap_err().extra["missing_step"],
            "contact"
        );
        assert_eq!(
            p.allows(Step::Documents).unwrap_err().extra["missing_step"],
            "contact"
        );
        let p = progress("applying", 2, false, false);
        assert_eq!(
            p.allows(Step::Company).unwrap_err().extra["missing_step"],
            "phone"
        );
        let p = progress("applying", 3, true, false);
        assert_eq!(
            p.allows(Step::Submit).unwrap_err().extra["missing_step"],
            "documents"
        );
        assert!(progress("applying", 3, true, true)
            .allows(Step::Submit)
            .is_ok());
        assert_eq!(
            progress("applying", 3, true, true)
                .allows(Step::Review)
                .unwrap_err()
                .extra["missing_step"],
            "submit"
        );
        assert_eq!(
            progress("submitted", 5, true, true)
                .allows(Step::Contract)
                .unwrap_err()
                .extra["missing_step"],
            "review"
        );
        assert!(progress("approved", 5, true, true)
            .allows(Step::Contract)
            .is_ok());
    }

    #[test]
    fn s1_steps_can_be_redone_until_submission_only() {
        for s in [
            Step::Terms,
            Step::Contact,
            Step::Company,
            Step::Documents,
            Step::Submit,
        ] {
            let e = progress("submitted", 5, true, true).allows(s).unwrap_err();
            assert_eq!((e.status, e.detail), (409, "detail.already_submitted"));
        }
        assert!(progress("applying", 3, true, false)
            .allows(Step::Contact)
            .is_ok());
        assert!(progress("on_hold", 5, true, true)
            .allows(Step::Review)
            .is_ok());
        assert_eq!(
            progress("rejected", 5, true, true)
                .allows(Step::Review)
                .unwrap_err()
                .detail,
            "detail.review_state"
        );
    }

    #[test]
    fn s8_capability_is_stale_after_six_calendar_months_in_kst() {
        let now = at("2026-11-22T03:00:00Z");
        assert!(
            !capability_stale(Some("2026-05-22T15:00:00Z"), now),
            "2026-05-23 KST: 6 months on 2026-11-23"
        );
        assert!(
            capability_stale(Some("2026-05-21T15:00:00Z"), now),
            "2026-05-22 KST: 6 months today"
        );
        assert!(!capability_stale(None, now));
    }

    #[test]
    fn s7_welcome_text_fills_every_placeholder() {
        let t = welcome_text("캐스팅엔", "김담당", "kim_01");
        assert_eq!(
            t,
            "캐스팅엔 김담당님, 멤버 플랫폼 가입을 환영합니다. 아이디: kim_01"
        );
    }

    #[test]
    fn s7_payment_needs_five_trials_or_a_waiver_and_the_exact_fee() {
        let c = crate::runtime::Config::default();
        let pay = ActivationAction::Payment {
            reference: "r".into(),
            amount_krw: 500_000,
        };
        assert_eq!(
            ManualContract
                .check(
                    &ContractState {
                        trials: 4,
                        waived: false
                    },
                    &pay,
                    &c
                )
                .unwrap_err()
                .detail,
            "detail.trials_pending"
        );
        assert_eq!(
            ManualContract.check(
                &ContractState {
                    trials: 5,
                    waived: false
                },
                &pay,
                &c
            ),
            Ok(true)
        );
        assert_eq!(
            ManualContract.check(
                &ContractState {
                    trials: 0,
                    waived: true
                },
                &pay,
                &c
            ),
            Ok(true)
        );
        let wrong = ActivationAction::Payment {
            reference: "r".into(),
            amount_krw: 1,
        };
        assert_eq!(
            ManualContract
                .check(
                    &ContractState {
                        trials: 5,
                        waived: false
                    },
                    &wrong,
                    &c
                )
                .unwrap_err()
                .errors[0]
                .pointer,
            "#/amount_krw"
        );
        assert_eq!(
            ManualContract.check(
                &ContractState {
                    trials: 0,
                    waived: false
                },
                &ActivationAction::Waive,
                &c
            ),
            Ok(false)
        );
    }

    #[test]
    fn s5_sniffs_content_types_by_magic_bytes() {
        assert_eq!(sniff(b"%PDF-1.4"), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a.."), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 1]), Some("video/webm"));
        assert_eq!(sniff(b"hello.pdf"), None);
        assert!(!DocKind::RegistrationCertificate.accepts("image/gif"));
        assert!(DocKind::Portfolio.accepts("video/mp4"));
    }
}
