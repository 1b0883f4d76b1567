//! The registry of personal data and free text (issue 21): every column
//! that holds data about a person, or text a person wrote, with whose data
//! it is, how it is kept (sealed, one-way, or plain and why) and its record
//! class (what retention will keep and destroy it by, rule R1). Every
//! other text column is either named for what it is (ids, instants,
//! states: [`by_name`]) or listed in [`NOT_PERSONAL`] with why. A test
//! over the migrated schema (`tests/src/registry.rs`) fails when a
//! migration adds a text column none of these cover, or when one of them
//! names a column that is not there.

crate::text_enum!(
    /// Whose data a column holds.
    pub enum Subject {
        /// a member company's contact person and its account
        Member = "member",
        /// an applicant before approval (the same row as a member)
        Applicant = "applicant",
        /// the member user who wrote the text (and anyone it names)
        Author = "author",
        /// a worker at a member's site (attendance)
        Worker = "worker",
        /// a member's site manager
        SiteManager = "site_manager",
        /// a staff member (admin)
        Admin = "admin",
        /// whoever called, by network address
        Caller = "caller",
        /// the addressee of a notice
        Recipient = "recipient",
    }
);

crate::text_enum!(
    /// Record classes (rule R1): the retention schedule keeps and destroys
    /// by these.
    pub enum RecordClass {
        /// what only membership needs: erased when the account closes
        Membership = "membership",
        /// the sign-in ID and the contacts, kept 1 year after the account
        /// closes to prevent fraud (R1)
        FraudPrevention1y = "fraud_prevention_1y",
        /// a closed account's key: its ID stays retired, never reused, and
        /// the business number stays without limit (seed 004)
        AccountKey = "account_key",
        /// consents and their evidence (kept with the membership)
        Consent = "consent",
        /// contracts and what the parties wrote in them: 5 years (C10)
        Contract5y = "contract_5y",
        /// complaints, disputes, direct-deal reports, privacy-rights
        /// requests and their answers: 3 years (D7)
        Dispute3y = "dispute_3y",
        /// content held for review and staff decisions on it
        Moderation = "moderation",
        /// a member's sites and attendance (kept for the member)
        Attendance = "attendance",
        /// the personal-data access log: at least 1 year (2 over 50,000 subjects)
        AccessLog = "access_log",
        /// notices until delivered, then 7 days (outbox purge)
        Notice = "notice",
        /// short-lived technical rows (sessions, idempotency, rate windows)
        Transient = "transient",
        /// staff accounts
        Staff = "staff",
        /// advertising: marketing campaigns and what was sent, 6 months
        /// (R1)
        Advertising6m = "advertising_6m",
        /// moved to separated storage by a deletion (P6, R3): kept to the
        /// last day its law keeps it, destroyed the day after
        Separated = "separated",
        /// a requester's copy of what is held (P4): 7 days to download
        AccessCopy = "access_copy",
        /// an upload whose write failed, the part files of a failed job:
        /// destroyed the day after (R2)
        FailedWrite = "failed_write",
    }
);

/// How a column keeps its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// AES-256-GCM bound to its place (`crypto::at`).
    Sealed,
    /// A keyed one-way value (blind index, password hash): equality only.
    OneWay,
    /// In plain text, for the stated reason.
    Plain(&'static str),
}

/// One registered column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub table: &'static str,
    pub column: &'static str,
    pub subject: Subject,
    /// text a person wrote (rather than data about a person)
    pub free_text: bool,
    pub kept: Kept,
    pub class: RecordClass,
}

const fn c(
    table: &'static str,
    column: &'static str,
    subject: Subject,
    free_text: bool,
    kept: Kept,
    class: RecordClass,
) -> Column {
    Column {
        table,
        column,
        subject,
        free_text,
        kept,
        class,
    }
}

use Kept::{OneWay, Plain, Sealed};
use RecordClass as R;
use Subject as S;

/// Where sealed text lives (`kernel::sealed`): `table.column`, as the
/// areas that write and read it name it (one list, so that two areas never
/// spell a place two ways; a test checks each is registered as sealed).
pub mod place {
    pub const REQUEST_TITLE: &str = "work_requests.title";
    pub const REQUEST_SCOPE: &str = "work_requests.scope";
    pub const REQUEST_LOCATION: &str = "work_requests.location";
    pub const PORTFOLIO_TEXT: &str = "partner_profiles.portfolio_text";
    pub const HELD_REASON: &str = "held_content.reason";
    pub const MESSAGE_BODY: &str = "contract_messages.body";
    pub const VERSION_TITLE: &str = "contract_versions.title";
    pub const VERSION_SCOPE: &str = "contract_versions.scope";
    pub const CANCEL_REASON: &str = "contracts.cancel_reason";
    pub const DEFECT_DESCRIPTION: &str = "contract_defects.description";
    pub const REQUEST_REASON: &str = "contract_requests.reason";
    pub const ANSWER_REASON: &str = "contract_requests.answer_reason";
    pub const DEAL_DESCRIPTION: &str = "direct_deal_reports.description";
    pub const DEAL_REASON: &str = "direct_deal_reports.reason";
    pub const SITE_SERVICES: &str = "sites.services";
    pub const DECISION_REASON: &str = "members.decision_reason";
    pub const SUSPENSION_REASON: &str = "members.suspension_reason";
    pub const TERMINATION_REASON: &str = "members.termination_reason";
    pub const REVIEW_REASON: &str = "reviews.reason";
    pub const PRIVACY_DETAILS: &str = "privacy_requests.details";
    pub const PRIVACY_DELAY_REASON: &str = "privacy_requests.delay_reason";
    pub const PRIVACY_ANSWER: &str = "privacy_requests.answer";
    pub const PRIVACY_LEGAL_BASIS: &str = "privacy_requests.legal_basis";
    pub const PRIVACY_PROXY_NAME: &str = "privacy_requests.proxy_name";
    pub const MARKETING_TEXT: &str = "marketing_campaigns.text";
    pub const DISPUTE_CLAIM: &str = "disputes.claim";
    pub const DISPUTE_RELIEF: &str = "disputes.relief";
    pub const DISPUTE_MESSAGE: &str = "dispute_messages.body";
    pub const DISPUTE_OFFER_SCOPE: &str = "dispute_offers.scope";
    pub const DISPUTE_OFFER_NOTE: &str = "dispute_offers.note";
    pub const RESTRICTION_REASON: &str = "dispute_restrictions.reason";
    pub const DISPUTE_OUTCOME_SCOPE: &str = "disputes.outcome_scope";
    pub const DISPUTE_MATERIAL: &str = "dispute_material_requests.what";
    pub const OBJECTION_TEXT: &str = "platform_objections.text";
    pub const OBJECTION_ANSWER: &str = "platform_objections.answer";
    pub const BILLING_OBJECTION_REASON: &str = "billing_objections.reason";
    pub const BILLING_OBJECTION_ANSWER: &str = "billing_objections.answer";
    pub const OUTAGE_NOTE: &str = "outages.note";
    /// Every place above.
    pub const ALL: &[&str] = &[
        REQUEST_TITLE,
        REQUEST_SCOPE,
        REQUEST_LOCATION,
        PORTFOLIO_TEXT,
        HELD_REASON,
        MESSAGE_BODY,
        VERSION_TITLE,
        VERSION_SCOPE,
        CANCEL_REASON,
        DEFECT_DESCRIPTION,
        REQUEST_REASON,
        ANSWER_REASON,
        DEAL_DESCRIPTION,
        DEAL_REASON,
        SITE_SERVICES,
        DECISION_REASON,
        SUSPENSION_REASON,
        TERMINATION_REASON,
        REVIEW_REASON,
        PRIVACY_DETAILS,
        PRIVACY_DELAY_REASON,
        PRIVACY_ANSWER,
        PRIVACY_LEGAL_BASIS,
        PRIVACY_PROXY_NAME,
        MARKETING_TEXT,
        DISPUTE_CLAIM,
        DISPUTE_RELIEF,
        DISPUTE_MESSAGE,
        DISPUTE_OFFER_SCOPE,
        DISPUTE_OFFER_NOTE,
        RESTRICTION_REASON,
        DISPUTE_OUTCOME_SCOPE,
        DISPUTE_MATERIAL,
        OBJECTION_TEXT,
        OBJECTION_ANSWER,
        BILLING_OBJECTION_REASON,
        BILLING_OBJECTION_ANSWER,
        OUTAGE_NOTE,
    ];
}

/// The sealed columns whose rows from before they were sealed the sweep
/// seals in place (`kernel::sealed::SealLegacy`): every place but those
/// added sealed (`contracts.cancel_reason`).
pub const LEGACY: &[crate::kernel::sealed::Legacy] = &[
    crate::legacy_text!("work_requests", "id", "title"),
    crate::legacy_text!("work_requests", "id", "scope"),
    crate::legacy_text!("work_requests", "id", "location"),
    crate::legacy_text!("partner_profiles", "member_id", "portfolio_text"),
    crate::legacy_text!("held_content", "id", "reason"),
    crate::legacy_text!("contract_messages", "id", "body"),
    crate::legacy_text!("contract_versions", "contract_id || '/' || number", "title"),
    crate::legacy_text!("contract_versions", "contract_id || '/' || number", "scope"),
    crate::legacy_text!("contract_defects", "id", "description"),
    crate::legacy_text!("contract_requests", "id", "reason"),
    crate::legacy_text!("contract_requests", "id", "answer_reason"),
    crate::legacy_text!("direct_deal_reports", "id", "description"),
    crate::legacy_text!("direct_deal_reports", "id", "reason"),
    crate::legacy_text!("sites", "id", "services"),
    crate::legacy_text!("members", "id", "decision_reason"),
    crate::legacy_text!("members", "id", "suspension_reason"),
    crate::legacy_text!("reviews", "id", "reason"),
];

/// Every column holding personal data or free text a person wrote.
pub const REGISTRY: &[Column] = &[
    // signup and accounts
    c("members", "login_id", S::Member, false, Plain("the sign-in key, looked up by equality and shown to staff"), R::FraudPrevention1y),
    c("members", "password_hash", S::Member, false, OneWay, R::Membership),
    c("members", "contact_name_enc", S::Member, false, Sealed, R::FraudPrevention1y),
    c("members", "phone_enc", S::Member, false, Sealed, R::FraudPrevention1y),
    c("members", "phone_bidx", S::Member, false, OneWay, R::FraudPrevention1y),
    c("members", "email_enc", S::Member, false, Sealed, R::FraudPrevention1y),
    c("members", "email_bidx", S::Member, false, OneWay, R::FraudPrevention1y),
    c("members", "representative_name_enc", S::Member, false, Sealed, R::FraudPrevention1y),
    c("members", "address_enc", S::Member, false, Sealed, R::Membership),
    c("members", "decision_reason", S::Admin, true, Sealed, R::Membership),
    c("members", "suspension_reason", S::Admin, true, Sealed, R::Membership),
    c("members", "termination_reason", S::Admin, true, Sealed, R::Membership),
    c("reviews", "reason", S::Admin, true, Sealed, R::Membership),
    c("contact_persons", "name_enc", S::Member, false, Sealed, R::Membership),
    c("contact_persons", "phone_enc", S::Member, false, Sealed, R::Membership),
    c("contact_persons", "phone_bidx", S::Member, false, OneWay, R::Membership),
    c("contact_persons", "email_enc", S::Member, false, Sealed, R::Membership),
    c("contact_persons", "email_bidx", S::Member, false, OneWay, R::Membership),
    c("contact_persons", "login_id", S::Member, false, Plain("a contact person's sign-in key, looked up by equality (reserved for good in login_ids)"), R::Membership),
    c("contact_persons", "password_hash", S::Member, false, OneWay, R::Membership),
    c("contact_persons", "invite_hash", S::Member, false, OneWay, R::Membership),
    c("phone_codes", "phone_bidx", S::Applicant, false, OneWay, R::Transient),
    c("phone_codes", "code_hash", S::Applicant, false, OneWay, R::Transient),
    c("phone_codes", "previous_hash", S::Applicant, false, OneWay, R::Transient),
    c("recovery_codes", "phone_bidx", S::Member, false, OneWay, R::Transient),
    c("recovery_codes", "code_hash", S::Member, false, OneWay, R::Transient),
    c("recovery_codes", "ticket_hash", S::Member, false, OneWay, R::Transient),
    c("consents", "ip_enc", S::Caller, false, Sealed, R::Consent),
    c("login_ids", "login_id", S::Member, false, Plain("a sign-in key's reservation across members and staff: unique, looked up by equality"), R::AccountKey),
    c("admins", "login_id", S::Admin, false, Plain("a staff sign-in key"), R::Staff),
    c("admins", "password_hash", S::Admin, false, OneWay, R::Staff),
    c("idempotency", "session_enc", S::Member, false, Sealed, R::Transient),
    // the kernel
    c("access_log", "client_ip_enc", S::Caller, false, Sealed, R::AccessLog),
    c("access_log", "why", S::Admin, true, Sealed, R::AccessLog),
    c("outbox", "recipient_enc", S::Recipient, false, Sealed, R::Notice),
    c("outbox", "body_enc", S::Recipient, false, Sealed, R::Notice),
    c("clocks", "extended_reason_enc", S::Admin, true, Sealed, R::Membership),
    c("audit_log", "detail", S::Admin, false, Plain("codes, ids, counts and references to sealed rows: what a person wrote stays sealed in its row (the chain is append-only and could never erase it)"), R::AccessLog),
    // matching
    c("work_requests", "title", S::Author, true, Sealed, R::Contract5y),
    c("work_requests", "scope", S::Author, true, Sealed, R::Contract5y),
    c("work_requests", "location", S::Author, true, Sealed, R::Contract5y),
    c("partner_profiles", "portfolio_text", S::Author, true, Sealed, R::Membership),
    c("held_content", "reason", S::Admin, true, Sealed, R::Moderation),
    // contracts
    c("contract_versions", "title", S::Author, true, Sealed, R::Contract5y),
    c("contract_versions", "scope", S::Author, true, Sealed, R::Contract5y),
    c("contracts", "cancel_reason", S::Author, true, Sealed, R::Contract5y),
    c("contract_versions", "canonical_enc", S::Author, true, Sealed, R::Contract5y),
    c("contract_confirmations", "ip_enc", S::Caller, false, Sealed, R::Contract5y),
    c("contract_messages", "body", S::Author, true, Sealed, R::Contract5y),
    c("contract_defects", "description", S::Author, true, Sealed, R::Contract5y),
    c("contract_requests", "reason", S::Author, true, Sealed, R::Contract5y),
    c("contract_requests", "answer_reason", S::Author, true, Sealed, R::Contract5y),
    c("contract_history", "detail", S::Author, false, Plain("codes, versions, hashes and the ids of the rows that hold the parties' reasons, sealed"), R::Contract5y),
    c("direct_deal_reports", "description", S::Author, true, Sealed, R::Dispute3y),
    c("direct_deal_reports", "reason", S::Admin, true, Sealed, R::Dispute3y),
    c("privacy_requests", "details", S::Author, true, Sealed, R::Dispute3y),
    c("privacy_requests", "delay_reason", S::Admin, true, Sealed, R::Dispute3y),
    c("privacy_requests", "answer", S::Admin, true, Sealed, R::Dispute3y),
    c("privacy_requests", "legal_basis", S::Admin, true, Sealed, R::Dispute3y),
    c("privacy_requests", "proxy_name", S::Admin, false, Sealed, R::Dispute3y),
    c("privacy_requests", "code_hash", S::Member, false, OneWay, R::Dispute3y),
    c("marketing_campaigns", "text", S::Admin, true, Sealed, R::Advertising6m),
    // disputes (D7: kept 3 years after the case closed)
    c("disputes", "claim", S::Author, true, Sealed, R::Dispute3y),
    c("disputes", "relief", S::Author, true, Sealed, R::Dispute3y),
    c("dispute_messages", "body", S::Author, true, Sealed, R::Dispute3y),
    c("dispute_offers", "scope", S::Author, true, Sealed, R::Dispute3y),
    c("dispute_offers", "note", S::Author, true, Sealed, R::Dispute3y),
    c("dispute_restrictions", "reason", S::Admin, true, Sealed, R::Dispute3y),
    c("disputes", "frozen_enc", S::Author, true, Sealed, R::Dispute3y),
    c("disputes", "opinion_enc", S::Admin, true, Sealed, R::Dispute3y),
    c("disputes", "outcome_scope", S::Admin, true, Sealed, R::Dispute3y),
    c("dispute_material_requests", "what", S::Admin, true, Sealed, R::Dispute3y),
    c("platform_objections", "text", S::Author, true, Sealed, R::Dispute3y),
    c("platform_objections", "answer", S::Admin, true, Sealed, R::Dispute3y),
    c("billing_objections", "reason", S::Author, true, Sealed, R::Dispute3y),
    c("billing_objections", "answer", S::Admin, true, Sealed, R::Dispute3y),
    c("outages", "note", S::Admin, true, Sealed, R::Staff),
    c("separated_records", "data_enc", S::Member, false, Sealed, R::Separated),
    // devices and attendance
    c("sites", "manager_name_enc", S::SiteManager, false, Sealed, R::Attendance),
    c("sites", "manager_contact_enc", S::SiteManager, false, Sealed, R::Attendance),
    c("sites", "address_enc", S::SiteManager, false, Sealed, R::Attendance),
    c("sites", "services", S::Author, true, Sealed, R::Attendance),
    c("attendance_records", "worker_code", S::Worker, false, Plain("a terminal's pseudonymous worker number, keyed on by the shard's unique index; only the member maps it to a person"), R::Attendance),
    c("adms_quarantine", "source_enc", S::Caller, false, Sealed, R::Attendance),
    c("adms_quarantine", "source_bidx", S::Caller, false, OneWay, R::Attendance),
    c("adms_quarantine", "records_enc", S::Worker, false, Sealed, R::Attendance),
    c("terminals", "adms_source_enc", S::Caller, false, Sealed, R::Attendance),
    c("terminals", "adms_source_bidx", S::Caller, false, OneWay, R::Attendance),
    c("dead_letters", "body", S::Worker, false, Plain("a queued batch kept as queued for replay: pseudonymous worker numbers and times, as attendance_records"), R::Attendance),
    c("queue_messages", "body", S::Worker, false, Plain("Spin's table queue: the same messages as the Workers' queues (pseudonymous worker numbers; notices by id only)"), R::Transient),
];

/// A table that holds rows about a member's contact person: what an access
/// request copies (P4) and what a deletion plans over (P6). The copy takes
/// every column of the subject's rows, sealed ones opened at their place
/// (`table.column` without `_enc`, bound to the row's `key`), one-way
/// values and the `omit` columns left out. An area that adds a table of
/// personal data adds its holding here (or says in [`NOT_HELD`] why the
/// subject holds nothing there): a test fails until it does, and the copy
/// then includes it without a change to the export.
#[derive(Debug, Clone, Copy)]
pub struct Holding {
    pub table: &'static str,
    /// What it is, as the copy's Korean cover lists it.
    pub label_ko: &'static str,
    /// `SELECT <key> AS export_key, * FROM <table> WHERE <whose> LIMIT ?2`,
    /// `?1` the member's id.
    pub select: &'static str,
    /// Columns left out of the copy: another person's data, or secrets.
    pub omit: &'static [&'static str],
}

/// A [`Holding`] from literals: the table, its Korean label, the row key its sealed values
/// are bound to, and which rows are the member's (`?1`).
#[macro_export]
macro_rules! holding {
    ($table:literal, $label:literal, $key:literal, $whose:literal $(, omit: [$($o:literal),*])?) => {
        $crate::personal_data::Holding {
            table: $table,
            label_ko: $label,
            select: concat!("SELECT ", $key, " AS export_key, * FROM ", $table, " WHERE ", $whose, " LIMIT ?2"),
            omit: &[$($($o),*)?],
        }
    };
}

/// Every table holding rows about a member's contact person, in the order
/// a copy lists them.
pub const HOLDINGS: &[Holding] = &[
    crate::holding!("members", "회원 및 담당자 정보", "id", "id = ?1"),
    crate::holding!("login_ids", "아이디", "login_id", "member_id = ?1"),
    crate::holding!(
        "consents",
        "동의 기록(약관 버전)",
        "member_id",
        "member_id = ?1"
    ),
    crate::holding!("documents", "제출 서류(목록)", "id", "member_id = ?1"),
    crate::holding!("reviews", "가입 심사 결과", "id", "member_id = ?1", omit: ["admin_id"]),
    crate::holding!(
        "partner_profiles",
        "파트너 프로필",
        "member_id",
        "member_id = ?1"
    ),
    crate::holding!("work_requests", "작업 의뢰", "id", "client_id = ?1"),
    crate::holding!(
        "proposals",
        "제안",
        "id",
        "client_id = ?1 OR partner_id = ?1"
    ),
    crate::holding!("held_content", "검토 보류된 게시물", "id", "member_id = ?1", omit: ["decided_by"]),
    crate::holding!(
        "contracts",
        "계약",
        "id",
        "client_id = ?1 OR partner_id = ?1"
    ),
    crate::holding!("contract_versions", "계약서 버전", "contract_id || '/' || number",
        "contract_id IN (SELECT id FROM contracts WHERE client_id = ?1 OR partner_id = ?1)",
        omit: ["canonical_enc"]),
    crate::holding!(
        "contract_messages",
        "계약 메시지",
        "id",
        "contract_id IN (SELECT id FROM contracts WHERE client_id = ?1 OR partner_id = ?1)"
    ),
    crate::holding!(
        "contract_defects",
        "하자 신고",
        "id",
        "contract_id IN (SELECT id FROM contracts WHERE client_id = ?1 OR partner_id = ?1)"
    ),
    crate::holding!(
        "contract_requests",
        "계약 변경·해지 요청",
        "id",
        "contract_id IN (SELECT id FROM contracts WHERE client_id = ?1 OR partner_id = ?1)"
    ),
    crate::holding!(
        "contract_confirmations",
        "계약 확인 기록",
        "contract_id || '/' || number || '/' || member_id",
        "member_id = ?1"
    ),
    crate::holding!(
        "contract_history",
        "계약 이력",
        "seq",
        "contract_id IN (SELECT id FROM contracts WHERE client_id = ?1 OR partner_id = ?1)"
    ),
    crate::holding!("direct_deal_reports", "직거래 신고", "id", "reporter_id = ?1", omit: ["decided_by"]),
    crate::holding!(
        "disputes",
        "분쟁",
        "id",
        "client_id = ?1 OR partner_id = ?1"
    ),
    crate::holding!(
        "dispute_messages",
        "분쟁 메시지",
        "id",
        "dispute_id IN (SELECT id FROM disputes WHERE client_id = ?1 OR partner_id = ?1)"
    ),
    crate::holding!(
        "dispute_attachments",
        "분쟁 증거 파일(목록)",
        "id",
        "dispute_id IN (SELECT id FROM disputes WHERE client_id = ?1 OR partner_id = ?1)"
    ),
    crate::holding!(
        "dispute_offers",
        "분쟁 합의 제안",
        "id",
        "from_id = ?1 OR to_id = ?1"
    ),
    crate::holding!("platform_objections", "플랫폼 분쟁 처리에 대한 이의", "id", "member_id = ?1", omit: ["answered_by"]),
    crate::holding!("billing_objections", "청구 요금에 대한 이의", "id", "member_id = ?1", omit: ["answered_by"]),
    crate::holding!("dispute_material_requests", "분쟁 자료 요청", "id", "to_id = ?1", omit: ["requested_by"]),
    crate::holding!("dispute_restrictions", "분쟁 제기 제한", "id", "member_id = ?1", omit: ["restricted_by", "lifted_by"]),
    // Other people: the persons the administrator added are listed by
    // number, state and days, never their contact details.
    crate::holding!("contact_persons", "추가한 담당자(연락처 제외)", "id", "member_id = ?1",
        omit: ["name_enc", "phone_enc", "phone_bidx", "email_enc", "email_bidx", "login_id", "password_hash", "invite_hash"]),
    crate::holding!("privacy_requests", "개인정보 요청", "id", "member_id = ?1",
        omit: ["entered_by", "code_hash"]),
    crate::holding!("sites", "현장", "id", "member_id = ?1"),
    crate::holding!("terminals", "근태 단말기", "id", "member_id = ?1", omit: ["secret_enc", "prev_secret_enc"]),
    crate::holding!("outbox", "발송된 알림", "id", "member_id = ?1", omit: ["claim"]),
    crate::holding!("access_log", "개인정보 접속기록(열람자 정보 제외)", "admin_id || ':' || subject || ':' || at", "subject = ?1",
        omit: ["admin_id", "client_ip_enc", "prev_hash", "hash"]),
    crate::holding!(
        "separated_records",
        "분리 보관 정보",
        "id",
        "member_id = ?1"
    ),
];

/// Registered tables where a member's contact person holds nothing to copy
/// or plan over, with why.
pub const NOT_HELD: &[(&str, &str)] = &[
    ("phone_codes", "one-way codes that expire within minutes"),
    ("blob_intents", "keys of uploads in flight, cleared by their own write"),
    ("recovery_codes", "one-way codes that expire within minutes"),
    ("idempotency", "stored answers kept for a day, without personal data"),
    ("admins", "staff accounts"),
    ("clocks", "deadlines: their days are in the cases and contracts copied"),
    ("audit_log", "staff and system actions by id; what they refer to is copied from its own rows"),
    ("marketing_campaigns", "texts staff wrote; what reached the member is in `outbox`"),
    ("outages", "staff's notes about the platform's outages; their effect is on the member's invoices"),
    ("attendance_records", "workers' records kept for the member company (its attendance view), not about its contact person"),
    ("adms_quarantine", "terminals' held records about workers"),
    ("dead_letters", "queued attendance about workers"),
    ("queue_messages", "queued attendance about workers, notices by id"),
];

/// Where the sealed values of column `column` of `table` live (the
/// `place` of `crypto::at`): the column's name without `_enc`.
pub fn sealed_place(table: &str, column: &str) -> String {
    format!("{table}.{}", column.trim_end_matches("_enc"))
}

/// Text columns that hold neither personal data nor free text a person
/// wrote, with why (beyond those [`by_name`] covers).
pub const NOT_PERSONAL: &[(&str, &str)] = &[
    (
        "access_log.subject",
        "the id of the member whose data was read",
    ),
    ("access_log.what", "the use case's name"),
    ("access_log.admin_role", "a staff role"),
    ("admins.role", "a staff role"),
    ("adms_quarantine.decision", "a decision code"),
    ("adms_quarantine.reason", "a reason code"),
    ("attendance_records.direction", "in or out"),
    (
        "attendance_records.method",
        "how the terminal verified (code)",
    ),
    ("attendance_records.result", "the terminal's result code"),
    (
        "attendance_records.terminal_time",
        "an instant as the terminal stated it",
    ),
    ("audit_log.actor", "an id, or system"),
    ("audit_log.action", "an action's name"),
    ("audit_log.subject", "the id of a row"),
    ("audit_log.hash", "the chain's hash"),
    ("audit_log.prev_hash", "the chain's hash"),
    ("access_log.hash", "the chain's hash"),
    ("reports.period", "a month or a quarter"),
    (
        "reports.body",
        "a report's ids, counts and operation names, never personal data",
    ),
    ("access_log.prev_hash", "the chain's hash"),
    (
        "destruction_log.chain_hash",
        "the chain's hash where a run destroyed up to",
    ),
    ("categories.code", "a category"),
    ("categories.name_ko", "a category's name"),
    ("categories.name_en", "a category's name"),
    ("charges.basis", "how a charge was computed"),
    ("invoice_lines.basis", "how a line was computed (plan, units, prices, days)"),
    ("invoice_lines.service_month", "a month"),
    ("invoice_lines.vat_class", "a VAT class"),
    ("invoices.period", "a month"),
    ("payments.method", "a payment method"),
    ("members.suspended_for", "who suspended: staff or unpaid fees"),
    ("payments.provider", "manual or the payment provider"),
    ("payments.reference", "a bank's or provider's reference: letters, digits, - _ / . only"),
    ("payments.paid_on", "a day"),
    ("billing_adjustments.vat_class", "a VAT class"),
    ("billing_adjustments.basis", "how an adjustment was computed"),
    ("billing_objections.outcome", "an answer's outcome"),
    ("billing_objections.retention_class", "a record class"),
    ("member_plans.plan_code", "a plan's code"),
    ("member_plans.starts_on", "a day"),
    ("member_plans.ends_on", "a day"),
    ("plan_terms.plan_code", "a plan's code"),
    ("plan_thresholds.plan_code", "a plan's code"),
    ("plan_thresholds.metric", "what a threshold counts"),
    ("plans.code", "a plan's code"),
    ("plans.name_ko", "a plan's name"),
    ("plans.name_en", "a plan's name"),
    ("plans.unit", "terminal or seat"),
    ("clocks.subject", "the id of the row a deadline is about"),
    ("clocks.record", "a record's type and id"),
    ("clocks.actor", "a member's id"),
    ("clocks.party", "a member's id"),
    ("clocks.extended_from", "a KST day"),
    (
        "company_directory.business_number",
        "an approved member's public company data",
    ),
    (
        "company_directory.company_name",
        "an approved member's public company data",
    ),
    (
        "company_directory.business_type",
        "an approved member's public company data",
    ),
    (
        "company_directory.business_item",
        "an approved member's public company data",
    ),
    (
        "company_directory.homepage",
        "an approved member's public company data",
    ),
    ("consents.document_kind", "a terms document's kind"),
    ("consents.document_version", "a terms document's version"),
    ("contract_confirmations.sha256", "a version's hash"),
    ("contract_history.actor", "a member's id, or system"),
    ("contract_history.action", "an action's name"),
    ("contract_requests.answer_by", "an instant"),
    ("contract_versions.due_date", "a date"),
    ("contract_versions.ip_clause", "a clause's code"),
    ("contract_versions.sha256", "a version's hash"),
    ("contracts.category", "a category"),
    ("contracts.retention_class", "a record class"),
    ("contracts.inspection_until", "an instant"),
    ("contracts.cancel_cause", "a cause's code"),
    ("dead_letters.queue", "a queue's name"),
    ("destruction_log.class", "a record class"),
    ("destruction_log.what", "a table's name"),
    ("destruction_log.fields", "column names, never their values"),
    ("destruction_log.cutoff", "an instant"),
    ("retention_schedule.class", "a record class"),
    (
        "retention_schedule.starts",
        "the event a period runs from (a code)",
    ),
    (
        "retention_schedule.action",
        "what happens at the end (a code)",
    ),
    ("retention_schedule.basis_ko", "a published legal basis"),
    ("retention_schedule.basis_en", "a published legal basis"),
    ("dev_switches.name", "local development's switches"),
    ("dev_switches.value", "local development's switches"),
    ("documents.content_type", "a media type"),
    ("disputes.retention_class", "a record class"),
    (
        "disputes.stage",
        "negotiation, mediation, arbitration, settled or withdrawn",
    ),
    ("disputes.frozen_sha256", "a hash of the frozen case"),
    ("disputes.outcome_kind", "the kind of an opinion's outcome"),
    ("disputes.outcome_due_date", "a date"),
    ("disputes.opinion_due", "an instant"),
    ("disputes.pack_sha256", "a hash of the filing pack"),
    ("platform_objections.retention_class", "a record class"),
    (
        "disputes.pack_html_sha256",
        "a hash of the filing pack's rendering",
    ),
    (
        "disputes.settled_offer",
        "the id of the offer that settled it",
    ),
    (
        "dispute_messages.author_role",
        "client, partner or mediator",
    ),
    ("dispute_attachments.content_type", "a media type"),
    ("dispute_attachments.sha256", "a file's hash"),
    (
        "dispute_attachments.blob_key",
        "a key in the blob store (the file itself is in R2)",
    ),
    ("dispute_offers.due_date", "a date"),
    (
        "documents.blob_key",
        "a key in the blob store (the document itself is in R2)",
    ),
    ("fee_payments.reference", "a payment's reference number"),
    (
        "held_content.found",
        "the kinds of contact detail found (codes)",
    ),
    ("idempotency.scope", "a use case and caller id"),
    ("privacy_requests.channel", "how a request came in (a code)"),
    (
        "blob_intents.key",
        "a key in the blob store of an upload in flight",
    ),
    (
        "privacy_requests.code_to",
        "which contact point on file a code went to (a code)",
    ),
    (
        "privacy_requests.proxy_relationship",
        "a proxy's relationship (a code)",
    ),
    ("privacy_requests.poa_sha256", "a power of attorney's hash"),
    ("privacy_requests.poa_content_type", "a media type"),
    (
        "privacy_requests.plan",
        "a deletion's plan: table and column names, classes, laws and days, never values",
    ),
    (
        "privacy_exports.blob_key",
        "a key in the blob store (the copy itself is sealed there, class access_copy)",
    ),
    (
        "privacy_exports.cover",
        "a copy's Korean cover: labels, counts and days, never values",
    ),
    ("separated_records.class", "a record class"),
    ("separated_records.what", "a table's name"),
    (
        "separated_records.fields",
        "column names, never their values",
    ),
    ("idempotency.key", "a client's idempotency key"),
    (
        "idempotency.body",
        "the stored answer: no personal data (a session token is kept apart, sealed)",
    ),
    ("idempotency.request_hash", "a request's hash"),
    ("jobs.params", "a job's ids and settings"),
    ("jobs.error", "an error class"),
    ("jobs.cursor", "a job's position (ids)"),
    ("match_index.category", "a category"),
    ("match_index.region", "a region code"),
    ("match_index.vals", "scores"),
    ("match_weights.factor", "a factor's name"),
    ("member_kinds.name_ko", "a member kind's name"),
    ("member_kinds.name_en", "a member kind's name"),
    ("member_kinds.required_fields", "field names"),
    ("member_kinds.optional_fields", "field names"),
    (
        "members.company_name",
        "a company's registered name: public, and searched by staff",
    ),
    (
        "members.business_number",
        "a company's public registration number (S9 compares them)",
    ),
    (
        "members.company_json",
        "company facts: business type and item, revenue, staff, founding year, homepage",
    ),
    ("members.categories", "category codes"),
    ("members.decision", "a decision code"),
    ("members.termination_cause", "a cause code"),
    ("members.fee_paid_reference", "a payment's reference number"),
    ("outbox.channel", "sms or email"),
    ("outbox.template", "a template's name"),
    ("outbox.claim", "a deliverer's claim token"),
    (
        "outbox.consent_kind",
        "the kind of consent a notice needs (a terms document's kind)",
    ),
    ("marketing_campaigns.channel", "email or sms"),
    ("outbox.last_error", "a channel and a provider's status"),
    ("partner_profiles.capabilities", "capability codes"),
    ("partner_profiles.regions", "region codes"),
    ("rate_limits.window_start", "an instant"),
    (
        "rate_limits.bucket",
        "a limit's name with a blind index or id",
    ),
    ("reviews.decision", "a decision code"),
    ("sealed_columns.place", "a sealed column's name"),
    ("sessions.jti", "a token's id"),
    ("sessions.principal_kind", "member, signup or admin"),
    ("signup_flags.reason", "a flag's code"),
    ("application_changes.step", "a signup step's name"),
    (
        "application_changes.fields",
        "names of fields or document kinds, never their values",
    ),
    ("sites.name", "a site's name (a place of work)"),
    ("sweep_steps.step", "a step's name"),
    (
        "sweep_steps.last_error",
        "an error class and the engine's message, never bound values",
    ),
    ("terminals.name", "a terminal's name"),
    ("terminals.mode", "webhook or adms"),
    ("terminals.serial", "a device's serial number"),
    ("terminals.secret_enc", "a device secret, sealed"),
    ("terminals.prev_secret_enc", "a device secret, sealed"),
    ("terms_documents.title_ko", "published terms"),
    ("terms_documents.title_en", "published terms"),
    ("terms_documents.text_ko", "published terms"),
    ("terms_documents.text_en", "published terms"),
    ("terms_documents.summary_ko", "a published change's summary"),
    ("terms_documents.summary_en", "a published change's summary"),
    ("trial_matchings.reference", "a matching's reference number"),
    ("work_requests.category", "a category"),
    ("work_requests.due_date", "a date"),
    ("work_requests.region", "a region code"),
];

/// Why a column is not personal by its name alone: ids (except sign-in
/// keys), instants, states and kinds, versions, days, hashes and cursors.
pub fn by_name(column: &str) -> Option<&'static str> {
    let ends = |s: &str| column == s.trim_start_matches('_') || column.ends_with(s);
    if column == "login_id" || column.ends_with("_enc") || column.ends_with("_bidx") {
        None
    } else if ends("_id") {
        Some("an id")
    } else if ends("_at") || ends("_until") {
        Some("an instant")
    } else if ["state", "status", "kind", "step", "version"].contains(&column) {
        Some("a state or kind")
    } else if ends("_day") || ends("_by") {
        Some("a day, or the id of who did it")
    } else {
        None
    }
}

/// The registered column `table.column`, if any.
pub fn registered(table: &str, column: &str) -> Option<&'static Column> {
    REGISTRY
        .iter()
        .find(|c| c.table == table && c.column == column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_and_personal_data_are_sealed_or_say_why_not() {
        for c in REGISTRY {
            if let Plain(why) = c.kept {
                assert!(
                    why.len() > 10,
                    "{}.{}: say why it is plain",
                    c.table,
                    c.column
                );
            }
            assert!(
                !c.column.ends_with("_enc") || c.kept == Sealed,
                "{}.{}",
                c.table,
                c.column
            );
        }
        // Text a person wrote is sealed, every column of it.
        for c in REGISTRY.iter().filter(|c| c.free_text) {
            assert_eq!(c.kept, Sealed, "{}.{} is free text", c.table, c.column);
        }
        // Every place the areas seal at is a registered, sealed column,
        // and every legacy column the sweep seals is one of them.
        for p in place::ALL {
            let (t, c) = p.split_once('.').expect("table.column");
            assert_eq!(registered(t, c).map(|c| c.kept), Some(Sealed), "{p}");
        }
        for l in LEGACY {
            assert!(place::ALL.contains(&l.place), "{}", l.place);
        }
        // rule P4: every table of the registry is copied for an access
        // request, or says why its subject holds nothing there.
        for c in REGISTRY {
            let held = HOLDINGS.iter().filter(|h| h.table == c.table).count();
            let not = NOT_HELD.iter().filter(|(t, _)| *t == c.table).count();
            assert_eq!(held + not, 1, "{}: add a holding or say why not", c.table);
        }
        let mut names: Vec<_> = REGISTRY.iter().map(|c| (c.table, c.column)).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), REGISTRY.len(), "each column once");
    }
}
