//! Rule S2: terms consent records (document kind, version, accepted, time,
//! sealed address), the under-14 confirmation; step 1 of S1.

use super::member::{bump_version, read_member, MemberRow};
use super::s1_steps::{Progress, Step};
use super::SignupConfig;
use crate::kernel::crypto::{at, new_id};
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::limits::{Limit, Window};
use crate::kernel::problem::{FieldError, Problem};
use crate::kernel::tokens::{self, TokenKind};
use crate::{read, read_set, row, stmt, use_case};

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

row!(
    /// A document an applicant consents to, in its current version.
    pub struct TermsDocument {
        pub kind: String,
        pub version: String,
        pub required: bool,
    }
);

row!(
    pub struct KindRow {
        pub kind: String,
    }
);

crate::reply!(
    /// Step 1 done: the application and its signup token.
    pub struct SignupStarted {
        pub member_id: String,
        /// bearer token for the following steps
        #[serde(skip_serializing_if = "Option::is_none")]
        pub signup_token: Option<String>,
        pub token_type: &'static str,
        /// seconds
        pub expires_in: u64,
        pub next: &'static str,
    }
);

read_set!(pub struct TermsReads => TermsRows {
    documents: Vec<TermsDocument>,
    kind: Option<KindRow>,
    member: Option<MemberRow>,
    new_from_address: Option<Window>,
});

/// New applications from one client address per hour (A6): each holds a
/// login ID once its contact step is done.
fn applications_per_address(env: &Env) -> Limit {
    Limit {
        prefix: "signup-ip",
        window_secs: 3600,
        max: env
            .config
            .area::<SignupConfig>()
            .applications_per_address_hour,
    }
}

/// Step 1: terms consent (rule S2). Without a signup token it starts a new
/// application; with one it redoes the step (new consent records, same
/// application, kind unchanged) until submission (rule S1).
pub struct Terms;
use_case!(Terms, "signup.terms", |_uc| Access::SignupOptional, TermsInput => TermsReads);

impl Terms {
    fn reads(&self, input: &TermsInput, env: &Env) -> TermsReads {
        TermsReads {
            documents: read!(
                "SELECT kind, version, required FROM terms_documents WHERE current = 1"
            ),
            kind: read!(
                "SELECT kind FROM member_kinds WHERE kind = ?",
                input.kind.as_str()
            ),
            member: read_member(env.caller()),
            // Counted only for a new application (no token yet), by a blind
            // index of the address.
            new_from_address: if env.who.is_none() {
                let ip = env
                    .keys
                    .blind_index("rate-ip", env.client_ip.unwrap_or("unknown"));
                applications_per_address(env).take(&ip, env.now)
            } else {
                Limit::untaken()
            },
        }
    }

    fn decide(&self, input: TermsInput, rows: TermsRows, env: &Env) -> Result<Plan, Problem> {
        applications_per_address(env)
            .over(&rows.new_from_address, env.now)
            .map_err(|wait| Problem::rate_limited("detail.applications_rate_limited", wait))?;
        let existing = match env.who {
            None => None,
            Some(_) => {
                let m = super::member::own(rows.member)?;
                Progress::of(&m, false).allows(Step::Terms)?;
                Some(m)
            }
        };
        let mut errors = Vec::new();
        if rows.kind.is_none() {
            errors.push(FieldError::new("kind", "field.unknown_kind"));
        }
        if !input.over_14 {
            errors.push(FieldError::new("over_14", "field.age_unconfirmed"));
        }
        for (i, c) in input.consents.iter().enumerate() {
            let Some(doc) = rows.documents.iter().find(|d| d.kind == c.kind) else {
                errors.push(FieldError::new(
                    &format!("consents/{i}/kind"),
                    "field.document_kind",
                ));
                continue;
            };
            if doc.version != c.version {
                errors.push(FieldError::new(
                    &format!("consents/{i}/version"),
                    "field.version",
                ));
            }
        }
        for doc in rows.documents.iter().filter(|d| d.required) {
            let accepted = input
                .consents
                .iter()
                .any(|c| c.kind == doc.kind && c.accepted);
            if !accepted {
                let at = input.consents.iter().position(|c| c.kind == doc.kind);
                let pointer = at.map_or_else(
                    || "consents".to_owned(),
                    |i| format!("consents/{i}/accepted"),
                );
                errors.push(FieldError::new(&pointer, "field.must_accept"));
            }
        }
        if !errors.is_empty() {
            return Err(Problem::validation(errors));
        }
        let now = env.now.to_rfc3339();
        let (id, mut writes) = match &existing {
            Some(m) => (
                m.id.clone(),
                vec![bump_version(&m.id, m.version), guard_one_change()],
            ),
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
        let next = existing
            .as_ref()
            .map_or("contact", |m| Progress::of(m, false).next());
        let ip = env
            .client_ip
            .map(|ip| env.keys.seal_for(env.rng, &at("consents.ip", &id), ip));
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
        let jti = new_id(env.rng, "sgn");
        let token = tokens::issue(env.keys, TokenKind::Signup, &id, &jti, "", env.now);
        writes.extend(tokens::signup_session(&id, &jti, env.now));
        Ok(Plan::ok(
            201,
            SignupStarted {
                member_id: id.clone(),
                signup_token: Some(token),
                token_type: "Bearer",
                expires_in: TokenKind::Signup.lifetime_secs(),
                next,
            },
            writes,
        )
        .starts_session(TokenKind::Signup))
    }
}

row!(
    /// A current document with its words in one language.
    pub struct DocumentText {
        pub kind: String,
        pub version: String,
        pub required: bool,
        pub title: String,
        pub text: String,
    }
);

crate::reply!(
    /// The documents an applicant consents to, in their current versions:
    /// what the signup page shows and then sends back (kind, version).
    pub struct CurrentDocuments {
        /// `ko` or `en`, from `Accept-Language`
        pub lang: &'static str,
        pub documents: Vec<CurrentDocument>,
        /// changes announced, with the day each applies (A8)
        pub upcoming: Vec<UpcomingDocument>,
    }
    pub struct CurrentDocument {
        pub kind: String,
        pub version: String,
        pub required: bool,
        pub title: String,
        /// the full text (paragraphs, `## ` headings)
        pub text: String,
    }
    /// A version announced and not yet in effect (rule A8).
    pub struct UpcomingDocument {
        pub kind: String,
        pub version: String,
        pub title: String,
        /// what changes
        pub summary: String,
        /// the instant it applies from (KST midnight of its first day)
        pub effective_at: String,
        pub important: bool,
        /// members consent again once it applies
        pub reconsent: bool,
    }
);

row!(
    /// An announced version in one language.
    pub struct UpcomingText {
        pub kind: String,
        pub version: String,
        pub title: String,
        pub summary: String,
        pub effective_at: String,
        pub important: bool,
        pub reconsent: bool,
    }
);

read_set!(pub struct DocumentsReads => DocumentsRows {
    documents: Vec<DocumentText>,
    upcoming: Vec<UpcomingText>,
});

/// `GET /terms`: the current terms and policies with their versions and
/// full texts in the caller's language (rule S2), so a client learns the
/// version it must consent to before it sends step 1.
pub struct CurrentTerms;
use_case!(CurrentTerms, "signup.current_terms", |_uc| Access::Public, crate::kernel::http::Lang => DocumentsReads);

impl CurrentTerms {
    fn reads(&self, lang: &crate::kernel::http::Lang, _: &Env) -> DocumentsReads {
        DocumentsReads {
            documents: if *lang == crate::kernel::http::Lang::Ko {
                read!("SELECT kind, version, required, title_ko AS title, text_ko AS text FROM terms_documents WHERE current = 1 ORDER BY position, kind")
            } else {
                read!("SELECT kind, version, required, title_en AS title, text_en AS text FROM terms_documents WHERE current = 1 ORDER BY position, kind")
            },
            upcoming: if *lang == crate::kernel::http::Lang::Ko {
                read!("SELECT kind, version, title_ko AS title, summary_ko AS summary, effective_at, important, reconsent FROM terms_documents
                       WHERE current = 0 AND superseded_at IS NULL ORDER BY effective_at")
            } else {
                read!("SELECT kind, version, title_en AS title, summary_en AS summary, effective_at, important, reconsent FROM terms_documents
                       WHERE current = 0 AND superseded_at IS NULL ORDER BY effective_at")
            },
        }
    }

    fn decide(
        &self,
        lang: crate::kernel::http::Lang,
        rows: DocumentsRows,
        _: &Env,
    ) -> Result<Plan, Problem> {
        Ok(Plan::ok(
            200,
            CurrentDocuments {
                lang: if lang == crate::kernel::http::Lang::Ko {
                    "ko"
                } else {
                    "en"
                },
                documents: rows
                    .documents
                    .into_iter()
                    .map(|d| CurrentDocument {
                        kind: d.kind,
                        version: d.version,
                        required: d.required,
                        title: d.title,
                        text: d.text,
                    })
                    .collect(),
                upcoming: rows
                    .upcoming
                    .into_iter()
                    .map(|u| UpcomingDocument {
                        kind: u.kind,
                        version: u.version,
                        title: u.title,
                        summary: u.summary,
                        effective_at: u.effective_at,
                        important: u.important,
                        reconsent: u.reconsent,
                    })
                    .collect(),
            },
            vec![],
        ))
    }
}
