//! Rule P2, requests the privacy officer enters: made on paper, by e-mail
//! or by phone (the request is no harder to make than the collection
//! was). The case waits in `identity_pending`, its clock already running
//! from receipt (P3), until the requester reads back a 6-digit code sent
//! only to a contact point the member already has on file, its mobile or
//! e-mail, never to one given in the request (a number typed into a
//! request must not reach another person's data). The code is kept hashed,
//! lives 30 minutes, allows 5 tries counted before it is compared (in the
//! reading batch, as signup's code), one send a minute and 5 a KST day.
//!
//! A proxy (a legal representative or a delegate) is recorded by name
//! (sealed), relationship and the SHA-256 of the power of attorney the
//! officer checked, typed by its bytes like signup's documents; the
//! document itself stays in the officer's file. Without it the identity is
//! not verified. The person whose data it is is told a proxy acted.
//!
//! Once verified the request starts what a signed-in one starts at once
//! (`p1_requests::carry_out`): a marketing withdrawal or the account's
//! closing done and the case answered, an access copy's job started.

use super::p1_requests::{
    carry_out, case_due, CaseRow, CaseState, Channel, RightsCase, RightsKind, DESK,
};
use crate::kernel::clocks;
use crate::kernel::crypto::{constant_time_eq, new_id, sha256_hex, six_digits};
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::{fill, msg};
use crate::kernel::outbox::outbox;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::{open_opt, SealedText};
use crate::kernel::types::{kst_date, parse_instant};
use crate::personal_data::place::{PRIVACY_DETAILS, PRIVACY_PROXY_NAME};
use crate::signup::member::MemberRow;
use crate::signup::s3_phone::may_send_again;
use crate::{read, read_set, row, stmt, use_case};
use serde_json::json;

/// How long a code works.
pub const CODE_TTL_SECS: i64 = 30 * 60;
/// Tries per code.
pub const CODE_MAX_TRIES: i64 = 5;
/// The largest power of attorney accepted.
pub const POA_MAX_BYTES: usize = 10 * 1024 * 1024;

crate::text_enum!(
    /// Where the code goes: a contact point on file.
    pub enum CodeTo {
        /// the member's mobile number, by text message
        Sms = "sms",
        /// the member's e-mail address
        Email = "email",
    }
);

crate::text_enum!(
    /// Who acts for the person (PIPA art. 38(1), Enforcement Decree art. 45).
    pub enum ProxyRelationship {
        /// 법정대리인
        LegalRepresentative = "legal_representative",
        /// 위임받은 자
        Delegate = "delegate",
    }
);

row!(
    /// A case's identity check as stored (`proxy_name` sealed).
    pub struct IdentityRow {
        pub id: String,
        pub member_id: String,
        pub state: CaseState,
        pub entered_by: Option<String>,
        pub code_to: Option<CodeTo>,
        pub code_hash: Option<String>,
        pub code_expires_at: Option<String>,
        pub code_tries: i64,
        pub code_sent_at: Option<String>,
        pub code_sent_day: Option<String>,
        pub code_sent_today: i64,
        pub verified_at: Option<String>,
        pub proxy_name: Option<SealedText>,
        pub proxy_relationship: Option<ProxyRelationship>,
        pub poa_sha256: Option<String>,
        pub poa_content_type: Option<String>,
        pub poa_size: Option<i64>,
    }
);

/// The columns of [`IdentityRow`].
#[macro_export]
macro_rules! privacy_identity_columns {
    () => {
        "id, member_id, state, entered_by, code_to, code_hash, code_expires_at, code_tries, code_sent_at, code_sent_day, code_sent_today, verified_at, proxy_name, proxy_relationship, poa_sha256, poa_content_type, poa_size"
    };
}

crate::reply!(
    /// How the requester of an entered case is being verified, as the desk
    /// sees it (never the code).
    pub struct IdentityCheck {
        /// the staff account that entered the request
        pub entered_by: Option<String>,
        /// where the latest code went: `sms` or `email`, on file
        pub code_to: Option<CodeTo>,
        /// when the latest code stops working
        pub code_expires_at: Option<String>,
        pub tries_left: i64,
        /// from when another code may be sent
        pub resend_at: Option<String>,
        pub verified_at: Option<String>,
        pub proxy: Option<Proxy>,
    }
    /// Who acted for the person, and the document it showed.
    pub struct Proxy {
        pub name: String,
        pub relationship: ProxyRelationship,
        /// the power of attorney's SHA-256, once attached
        pub document_sha256: Option<String>,
        pub document_type: Option<String>,
        pub document_bytes: Option<i64>,
    }
    /// An entered case with its identity check.
    @personal pub struct EnteredCase {
        #[serde(flatten)]
        pub case: RightsCase,
        pub identity: IdentityCheck,
    }
);

impl IdentityRow {
    /// The check as the desk sees it.
    ///
    /// # Errors
    /// A 500 when the proxy's name does not open.
    pub fn view(&self, env: &Env) -> Result<IdentityCheck, Problem> {
        let proxy = match (
            open_opt(&self.proxy_name, env.keys, PRIVACY_PROXY_NAME, &self.id)?,
            self.proxy_relationship,
        ) {
            (Some(name), Some(relationship)) => Some(Proxy {
                name,
                relationship,
                document_sha256: self.poa_sha256.clone(),
                document_type: self.poa_content_type.clone(),
                document_bytes: self.poa_size,
            }),
            _ => None,
        };
        let pending = self.state == CaseState::IdentityPending;
        Ok(IdentityCheck {
            entered_by: self.entered_by.clone(),
            code_to: self.code_to,
            code_expires_at: self.code_expires_at.clone().filter(|_| pending),
            tries_left: if pending {
                (CODE_MAX_TRIES - self.code_tries).max(0)
            } else {
                0
            },
            resend_at: parse_instant(self.code_sent_at.as_deref())
                .filter(|_| pending)
                .map(|s| {
                    (s + chrono::Duration::seconds(crate::signup::s3_phone::CODE_RESEND_SECS))
                        .to_rfc3339()
                }),
            verified_at: self.verified_at.clone(),
            proxy,
        })
    }
}

fn code_hash(env: &Env, case: &str, code: &str) -> String {
    env.keys
        .blind_index("privacy-code", &format!("{case}:{code}"))
}

/// A new code for case `id` of `m`, to `to` on file: the statement that
/// keeps its hash and counters, and the notice that carries it.
///
/// # Errors
/// 422 (`code_to`) when the member has no such contact point on file.
fn new_code(
    env: &Env,
    id: &str,
    kind: RightsKind,
    m: &MemberRow,
    to: CodeTo,
) -> Result<
    (
        Vec<crate::kernel::ports::Stmt>,
        crate::kernel::engine::Effect,
    ),
    Problem,
> {
    let address = m
        .contact()
        .address(env.keys, to.as_str())
        .ok_or_else(|| Problem::field("code_to", "field.privacy_no_contact"))?;
    let code = six_digits(env.rng);
    let text = fill(
        "notice.privacy_code",
        Lang::Ko,
        &[
            ("code", &code),
            (
                "kind",
                msg(&format!("privacy.kind.{}", kind.as_str()), Lang::Ko),
            ),
        ],
    );
    let (notice, send) = outbox(env, &m.id, to.as_str(), "privacy_code", &address, &text);
    let today = kst_date(env.now).to_string();
    Ok((
        vec![
            stmt!(
                "UPDATE privacy_requests SET code_to = ?, code_hash = ?, code_expires_at = ?, code_tries = 0, code_sent_at = ?,
                   code_sent_today = CASE WHEN code_sent_day = ? THEN code_sent_today + 1 ELSE 1 END, code_sent_day = ?
                 WHERE id = ? AND state = 'identity_pending'",
                to,
                code_hash(env, id, &code),
                (env.now + chrono::Duration::seconds(CODE_TTL_SECS)).to_rfc3339(),
                env.now.to_rfc3339(),
                today.as_str(),
                today.as_str(),
                id
            ),
            guard_one_change(),
            notice,
        ],
        send,
    ))
}

#[derive(Debug, Clone)]
pub struct EnterInput {
    pub member_id: String,
    pub kind: RightsKind,
    pub channel: Channel,
    pub details: Option<String>,
    pub code_to: CodeTo,
    pub proxy: Option<(String, ProxyRelationship)>,
}

read_set!(pub struct EnterReads => EnterRows {
    member: Option<MemberRow>,
    open: Vec<CaseRow>,
});

/// `POST /admin/privacy-requests`: a request made on paper, by e-mail or
/// by phone, entered by the desk; a code goes to the member's contact
/// point on file.
pub struct EnterRequest;
use_case!(EnterRequest, "admin.privacy_enter", |_uc| Access::Admin(DESK), EnterInput => EnterReads);

impl EnterRequest {
    fn reads(&self, input: &EnterInput, _: &Env) -> EnterReads {
        EnterReads {
            member: read!("SELECT * FROM members WHERE id = ?", input.member_id.as_str()),
            open: read!(
                concat!(
                    "SELECT ",
                    crate::privacy_case_columns!(),
                    " FROM privacy_requests WHERE member_id = ? AND kind = ? AND state IN ('received', 'identity_pending', 'in_progress', 'delayed')"
                ),
                input.member_id.as_str(),
                input.kind
            ),
        }
    }

    fn decide(&self, input: EnterInput, rows: EnterRows, env: &Env) -> Result<Plan, Problem> {
        let m = rows
            .member
            .ok_or_else(|| Problem::field("member_id", "field.privacy_member_unknown"))?;
        if let Some(open) = rows.open.first() {
            return Err(
                Problem::conflict("detail.privacy_request_open").with("request_id", json!(open.id))
            );
        }
        let id = new_id(env.rng, "prq");
        let now = env.now.to_rfc3339();
        let day = super::p1_requests::last_day(env.now);
        let details = input
            .details
            .as_deref()
            .map(|d| SealedText::seal(env, PRIVACY_DETAILS, &id, d));
        let proxy_name = input
            .proxy
            .as_ref()
            .map(|(name, _)| SealedText::seal(env, PRIVACY_PROXY_NAME, &id, name));
        let (code, send) = new_code(env, &id, input.kind, &m, input.code_to)?;
        let mut writes = vec![stmt!(
            "INSERT INTO privacy_requests (id, member_id, kind, state, channel, details, received_at, due_day, version, created_at, entered_by, proxy_name, proxy_relationship)
             VALUES (?, ?, ?, 'identity_pending', ?, ?, ?, ?, 1, ?, ?, ?, ?)",
            id.as_str(),
            m.id.as_str(),
            input.kind,
            input.channel,
            details.as_ref(),
            now.as_str(),
            day.to_string(),
            now.as_str(),
            env.caller(),
            proxy_name.as_ref(),
            input.proxy.as_ref().map(|(_, r)| *r)
        )];
        writes.extend(code);
        // The clock runs from receipt, whatever the identity check takes.
        writes.push(clocks::open(env, &case_due(&id, &m.id, day)));
        writes.push(crate::kernel::audit::audit(
            env,
            env.caller(),
            "privacy.request_entered",
            &id,
            &format!("{}:{}", input.kind.as_str(), input.channel.as_str()),
        ));
        let case = CaseRow {
            id: id.clone(),
            member_id: m.id.clone(),
            kind: input.kind,
            state: CaseState::IdentityPending,
            channel: input.channel,
            details,
            received_at: now.clone(),
            due_day: day.to_string(),
            delayed_at: None,
            delay_reason: None,
            answered_at: None,
            answer: None,
            legal_basis: None,
            overdue_at: None,
            version: 1,
        };
        let identity = IdentityRow {
            id: id.clone(),
            member_id: m.id.clone(),
            state: CaseState::IdentityPending,
            entered_by: Some(env.caller().to_owned()),
            code_to: Some(input.code_to),
            code_hash: None,
            code_expires_at: Some(
                (env.now + chrono::Duration::seconds(CODE_TTL_SECS)).to_rfc3339(),
            ),
            code_tries: 0,
            code_sent_at: Some(now.clone()),
            code_sent_day: None,
            code_sent_today: 1,
            verified_at: None,
            proxy_name,
            proxy_relationship: input.proxy.as_ref().map(|(_, r)| *r),
            poa_sha256: None,
            poa_content_type: None,
            poa_size: None,
        };
        Ok(Plan::ok(
            201,
            EnteredCase {
                case: case.view(env)?,
                identity: identity.view(env)?,
            },
            writes,
        )
        .effect(send)
        .touches(&m.id, "privacy.enter_request"))
    }
}

read_set!(pub struct IdentityReads => IdentityRows {
    case: Option<CaseRow>,
    identity: Option<IdentityRow>,
    member: Option<MemberRow>,
    open_contracts: Option<super::p9_withdrawal::OpenContracts>,
});

fn identity_reads(id: &str, tried: bool) -> IdentityReads {
    IdentityReads {
        case: read!(
            concat!("SELECT ", crate::privacy_case_columns!(), " FROM privacy_requests WHERE id = ?"),
            id
        ),
        // A try is counted before the code is compared, in this first
        // batch: of 40 parallel guesses only the first 5 are compared.
        identity: if tried {
            read!(
                concat!(
                    "UPDATE privacy_requests SET code_tries = code_tries + 1 WHERE id = ? AND state = 'identity_pending' RETURNING ",
                    crate::privacy_identity_columns!()
                ),
                id
            )
        } else {
            read!(
                concat!("SELECT ", crate::privacy_identity_columns!(), " FROM privacy_requests WHERE id = ?"),
                id
            )
        },
        member: read!(
            "SELECT * FROM members WHERE id = (SELECT member_id FROM privacy_requests WHERE id = ?)",
            id
        ),
        open_contracts: read!(
            "SELECT COUNT(*) AS n FROM contracts c JOIN privacy_requests r ON r.id = ?1
             WHERE r.kind = 'withdrawal' AND (c.client_id = r.member_id OR c.partner_id = r.member_id)
               AND c.state IN ('draft', 'in_progress', 'completed')",
            id
        ),
    }
}

/// The case and its check, or why nothing can be done to its identity.
fn pending(
    rows: IdentityRows,
) -> Result<
    (
        CaseRow,
        IdentityRow,
        MemberRow,
        Option<super::p9_withdrawal::OpenContracts>,
    ),
    Problem,
> {
    let case = rows.case.ok_or_else(Problem::not_found)?;
    if case.state != CaseState::IdentityPending {
        return Err(Problem::conflict("detail.privacy_identity_not_pending"));
    }
    let identity = rows
        .identity
        .ok_or_else(|| Problem::conflict("detail.privacy_identity_not_pending"))?;
    let member = rows.member.ok_or_else(Problem::not_found)?;
    Ok((case, identity, member, rows.open_contracts))
}

#[derive(Debug, Clone)]
pub struct ResendInput {
    pub id: String,
    pub code_to: CodeTo,
}

/// `POST /admin/privacy-requests/{id}/identity-code`: a new code to a
/// contact point on file (the one before stops working).
pub struct ResendCode;
use_case!(ResendCode, "admin.privacy_identity_code", |_uc| Access::Admin(DESK), ResendInput => IdentityReads);

impl ResendCode {
    fn reads(&self, input: &ResendInput, _: &Env) -> IdentityReads {
        identity_reads(&input.id, false)
    }

    fn decide(&self, input: ResendInput, rows: IdentityRows, env: &Env) -> Result<Plan, Problem> {
        let (case, mut identity, m, _) = pending(rows)?;
        if let (Some(at), Some(day)) = (&identity.code_sent_at, &identity.code_sent_day) {
            may_send_again(at, day, identity.code_sent_today, env.now)?;
        }
        let (writes, send) = new_code(env, &case.id, case.kind, &m, input.code_to)?;
        let today = kst_date(env.now).to_string();
        identity.code_sent_today = if identity.code_sent_day.as_deref() == Some(today.as_str()) {
            identity.code_sent_today + 1
        } else {
            1
        };
        identity.code_to = Some(input.code_to);
        identity.code_tries = 0;
        identity.code_sent_at = Some(env.now.to_rfc3339());
        identity.code_sent_day = Some(today);
        identity.code_expires_at =
            Some((env.now + chrono::Duration::seconds(CODE_TTL_SECS)).to_rfc3339());
        Ok(Plan::ok(
            202,
            EnteredCase {
                case: case.view(env)?,
                identity: identity.view(env)?,
            },
            writes,
        )
        .effect(send)
        .touches(&m.id, "privacy.identity_code"))
    }
}

#[derive(Debug, Clone)]
pub struct DocumentInput {
    pub id: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// `PUT /admin/privacy-requests/{id}/power-of-attorney`: the proxy's
/// document, typed by its bytes; its hash is kept, not the document.
pub struct AttachPowerOfAttorney;
use_case!(AttachPowerOfAttorney, "admin.privacy_power_of_attorney", |_uc| Access::Admin(DESK), DocumentInput => IdentityReads);

impl AttachPowerOfAttorney {
    fn reads(&self, input: &DocumentInput, _: &Env) -> IdentityReads {
        identity_reads(&input.id, false)
    }

    fn decide(&self, input: DocumentInput, rows: IdentityRows, env: &Env) -> Result<Plan, Problem> {
        let (case, mut identity, m, _) = pending(rows)?;
        if identity.proxy_relationship.is_none() {
            return Err(Problem::conflict("detail.privacy_no_proxy"));
        }
        let hash = sha256_hex(&[&input.bytes]);
        let size = i64::try_from(input.bytes.len()).unwrap_or(i64::MAX);
        let writes = vec![
            stmt!(
                "UPDATE privacy_requests SET poa_sha256 = ?, poa_content_type = ?, poa_size = ?
                 WHERE id = ? AND state = 'identity_pending'",
                hash.as_str(),
                input.content_type,
                size,
                case.id.as_str()
            ),
            guard_one_change(),
            crate::kernel::audit::audit(
                env,
                env.caller(),
                "privacy.power_of_attorney",
                &case.id,
                &hash,
            ),
        ];
        identity.poa_sha256 = Some(hash);
        identity.poa_content_type = Some(input.content_type.to_owned());
        identity.poa_size = Some(size);
        Ok(Plan::ok(
            200,
            EnteredCase {
                case: case.view(env)?,
                identity: identity.view(env)?,
            },
            writes,
        )
        .touches(&m.id, "privacy.power_of_attorney")
        .conflict_means(Problem::conflict("detail.privacy_identity_not_pending")))
    }
}

#[derive(Debug, Clone)]
pub struct VerifyInput {
    pub id: String,
    pub code: String,
}

/// `POST /admin/privacy-requests/{id}/verify`: the code the requester read
/// back; right, the request starts what it asks for.
pub struct VerifyIdentity;
use_case!(VerifyIdentity, "admin.privacy_verify", |_uc| Access::Admin(DESK), VerifyInput => IdentityReads);

impl VerifyIdentity {
    fn reads(&self, input: &VerifyInput, _: &Env) -> IdentityReads {
        identity_reads(&input.id, true)
    }

    fn decide(&self, input: VerifyInput, rows: IdentityRows, env: &Env) -> Result<Plan, Problem> {
        let (mut case, mut identity, m, open_contracts) = pending(rows)?;
        let field = |key| Problem::field("code", key);
        // `code_tries` counts this attempt.
        if identity.code_tries > CODE_MAX_TRIES {
            return Err(Problem {
                status: 429,
                ..field("detail.code_tries")
            });
        }
        let live = parse_instant(identity.code_expires_at.as_deref()).is_some_and(|e| env.now <= e);
        let Some(hash) = identity.code_hash.as_ref().filter(|_| live) else {
            return Err(field("detail.code_expired"));
        };
        let typed = code_hash(env, &case.id, &input.code);
        if !constant_time_eq(typed.as_bytes(), hash.as_bytes()) {
            return Err(field("detail.code_wrong")
                .with("tries_left", json!(CODE_MAX_TRIES - identity.code_tries)));
        }
        // A proxy shows its power of attorney before anything is done.
        if identity.proxy_relationship.is_some() && identity.poa_sha256.is_none() {
            return Err(Problem::conflict("detail.privacy_poa_missing"));
        }
        let immediate = case.kind.is_immediate();
        let state = if immediate {
            CaseState::Completed
        } else {
            CaseState::InProgress
        };
        let now = env.now.to_rfc3339();
        let mut writes = vec![
            stmt!(
                "UPDATE privacy_requests SET state = ?, verified_at = ?, code_hash = NULL, version = version + 1,
                   answered_at = CASE WHEN ? THEN ? ELSE answered_at END
                 WHERE id = ? AND version = ? AND state = 'identity_pending'",
                state,
                now.as_str(),
                immediate,
                now.as_str(),
                case.id.as_str(),
                case.version
            ),
            guard_one_change(),
            crate::kernel::audit::audit(env, env.caller(), "privacy.identity_verified", &case.id, ""),
        ];
        let (work, mut sends) = carry_out(env, case.kind, &case.id, &m, open_contracts.as_ref())?;
        writes.extend(work);
        if immediate {
            writes.push(clocks::meet(
                env,
                &super::p1_requests::PRIVACY_REQUEST,
                &case.id,
            ));
        }
        // The person is told a proxy acted for it (P2).
        if let (Some(name), Some(relationship)) = (
            open_opt(&identity.proxy_name, env.keys, PRIVACY_PROXY_NAME, &case.id)?,
            identity.proxy_relationship,
        ) {
            let text = fill(
                "notice.privacy_proxy_acted",
                Lang::Ko,
                &[
                    ("name", &name),
                    (
                        "relationship",
                        msg(
                            &format!("privacy.proxy.{}", relationship.as_str()),
                            Lang::Ko,
                        ),
                    ),
                    (
                        "kind",
                        msg(&format!("privacy.kind.{}", case.kind.as_str()), Lang::Ko),
                    ),
                ],
            );
            let (notices, told) =
                crate::kernel::outbox::to_member(env, m.contact(), "privacy_proxy", &text, true);
            writes.extend(notices);
            sends.extend(told);
        }
        case.state = state;
        case.version += 1;
        if immediate {
            case.answered_at = Some(now.clone());
        }
        identity.state = state;
        identity.verified_at = Some(now);
        Ok(Plan::ok(
            200,
            EnteredCase {
                case: case.view(env)?,
                identity: identity.view(env)?,
            },
            writes,
        )
        .effects(sends)
        .touches(&m.id, "privacy.verify_identity")
        .conflict_means(Problem::conflict("detail.privacy_request_changed")))
    }
}

/// Whether a case may be answered: one whose requester is not verified
/// yet may only be refused (its identity could not be verified), never
/// done, even in part (P2: identity is verified before anything is done).
///
/// # Errors
/// 409 for anything but a whole refusal of a case still pending.
pub fn may_answer(state: CaseState, refusing_whole: bool) -> Result<(), Problem> {
    if state == CaseState::IdentityPending && !refusing_whole {
        return Err(Problem::conflict("detail.privacy_identity_pending"));
    }
    Ok(())
}
