//! A contract as both parties see it: its rows, the canonical content of a
//! version and its SHA-256 (C2), who may see it (the two parties; C9: the
//! parties are fixed), and its history. Every contract action reads it
//! with [`contract_reads`] and writes its history entry with
//! `ContractRows::add_history` (which calls [`history`]) beside its change.

use crate::kernel::audit::audit;
use crate::kernel::crypto::at;
use crate::kernel::crypto::Keys;
use crate::kernel::engine::Env;
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::personal_data::place::{REQUEST_REASON, VERSION_SCOPE, VERSION_TITLE};
use crate::{row, stmt};
use sha2::{Digest, Sha256};

crate::text_enum!(
    /// Where a contract is (C1–C6).
    pub enum ContractState {
        Draft = "draft",
        InProgress = "in_progress",
        Completed = "completed",
        Accepted = "accepted",
        Cancelled = "cancelled",
    }
);

crate::text_enum!(
    /// Who holds the rights to the work once completion is accepted (C1, C5).
    pub enum IpClause {
        /// rights pass to the client when completion is accepted (default)
        Transfer = "transfer",
        /// rights stay with the partner (agreed before forming)
        Reserved = "reserved",
    }
);

row!(
    pub struct ContractRow {
        pub id: String,
        pub request_id: Option<String>,
        pub client_id: String,
        pub partner_id: String,
        pub category: String,
        pub success_fee_bp: i64,
        pub state: ContractState,
        pub current_version: i64,
        pub formed_version: Option<i64>,
        pub formed_at: Option<String>,
        pub retention_class: String,
        pub version: i64,
        pub created_at: String,
        pub completed_at: Option<String>,
        pub inspection_until: Option<String>,
        pub accepted_at: Option<String>,
        pub deemed: bool,
        pub ip_transferred_at: Option<String>,
        pub cancelled_at: Option<String>,
        pub cancel_cause: Option<CancelCause>,
        /// a withdrawn draft's reason (C6), sealed at `CANCEL_REASON`
        pub cancel_reason: Option<SealedText>,
    }
);

crate::text_enum!(
    /// Why a contract was cancelled (C6).
    pub enum CancelCause {
        /// a party withdrew the draft before it formed
        Withdrawn = "withdrawn",
        /// both parties agreed to cancel the formed contract
        Agreed = "agreed",
        /// a dispute's outcome
        Dispute = "dispute",
    }
);

row!(
    pub struct VersionRow {
        pub number: i64,
        /// sealed at `VERSION_TITLE` / `VERSION_SCOPE`, row `<contract>/<number>`
        pub title: SealedText,
        pub scope: SealedText,
        pub amount_krw: i64,
        pub due_date: String,
        pub ip_clause: IpClause,
        pub portfolio_consent: bool,
        pub sha256: String,
        pub author_id: String,
        pub created_at: String,
        /// The exact text `sha256` is of, sealed (none before migration 0018).
        pub canonical_enc: Option<String>,
        /// The format that text was written in (`CANONICAL_FORMAT`).
        pub format: i64,
    }
);

row!(
    pub struct ConfirmationRow {
        pub number: i64,
        pub member_id: String,
        pub sha256: String,
        pub ip_enc: Option<String>,
        pub at: String,
    }
);

row!(
    pub struct DefectRow {
        pub id: String,
        pub reported_by: String,
        pub description: SealedText,
        pub at: String,
    }
);

crate::text_enum!(
    /// What one party asks of the other (C2, C6, C7).
    pub enum PartyRequestKind {
        /// confirm the draft's version the other party confirmed
        Confirmation = "confirmation",
        /// agree to new terms for the formed contract (C2)
        Amendment = "amendment",
        /// agree to cancel the formed contract (C6)
        Cancellation = "cancellation",
        /// answer a message
        Question = "question",
    }
);

crate::text_enum!(
    /// Where a request is (C7).
    pub enum PartyRequestState {
        Open = "open",
        Accepted = "accepted",
        Declined = "declined",
        /// a confirmation, or a message in reply to a question
        Answered = "answered",
        /// taken back by its author
        Withdrawn = "withdrawn",
        /// made moot by a later change (an edit, the contract's end)
        Void = "void",
    }
);

row!(
    pub struct RequestRow {
        pub id: String,
        pub kind: PartyRequestKind,
        pub from_id: String,
        pub to_id: String,
        pub number: Option<i64>,
        pub message_id: Option<String>,
        pub reason: Option<SealedText>,
        pub state: PartyRequestState,
        pub answer_by: String,
        pub answered_at: Option<String>,
        pub answer_reason: Option<SealedText>,
        pub flagged_at: Option<String>,
        pub created_at: String,
    }
);

crate::text_enum!(
    /// Whether the other party sees a message (C11).
    pub enum MessageState {
        Visible = "visible",
        /// waits for staff review; only its author sees it
        Held = "held",
        /// refused by staff; only its author sees it
        Rejected = "rejected",
    }
);

row!(
    pub struct MessageRow {
        pub id: String,
        pub author_id: String,
        pub body: SealedText,
        pub asks: bool,
        pub state: MessageState,
        pub created_at: String,
    }
);

row!(
    pub struct HistoryRow {
        pub at: String,
        pub actor: String,
        pub action: String,
        pub detail: String,
    }
);

/// The terms of one version (what a party edits and confirms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub title: String,
    pub scope: String,
    pub amount_krw: i64,
    /// KST calendar date, `YYYY-MM-DD`
    pub due_date: String,
    pub ip_clause: IpClause,
    pub portfolio_consent: bool,
}

/// The format `canonical` writes (stored with each version). A change to
/// what it writes is a new format; stored texts keep the one they have.
/// Format 2 adds the arbitration clause (C1, D3).
pub const CANONICAL_FORMAT: i64 = 2;

/// The arbitration clause every version carries from format 2 on (C1): the
/// written agreement to arbitrate the Korean Commercial Arbitration Board
/// (KCAB) requires of a request for arbitration (D3). The parties first
/// negotiate and may ask for the platform's mediation (D1, D2).
pub const ARBITRATION_CLAUSE: &str = "이 계약으로부터 또는 이 계약과 관련하여 당사자 사이에 발생하는 분쟁으로서 플랫폼의 협의·조정 절차로 해결되지 않은 것은 대한상사중재원(KCAB)의 중재규칙에 따라 서울에서 중재로 최종 해결한다. 중재판정은 최종적이며 당사자 쌍방을 구속한다.";

/// Where a version's sealed text lives (its sealing context).
fn canonical_place(contract_id: &str, number: i64) -> String {
    crate::kernel::crypto::at(
        "contract_versions.canonical",
        &format!("{contract_id}:{number}"),
    )
}

/// The text a version's SHA-256 is of: the stored one, as it was written
/// (verifiable whatever the code writes today), or for a version written
/// before texts were stored, format 1 of its row.
pub fn stored_canonical(
    c: &ContractRow,
    v: &VersionRow,
    keys: &crate::kernel::crypto::Keys,
) -> Result<String, Problem> {
    v.canonical_enc
        .as_deref()
        .and_then(|sealed| keys.open_at(&canonical_place(&c.id, v.number), sealed).ok())
        .map_or_else(
            || {
                v.terms(keys, &c.id)
                    .map(|t| canonical_format(c, v.number, &t, 1))
            },
            Ok,
        )
}

/// The key a version's sealed words are bound to: `<contract>/<number>`.
pub fn version_row(contract_id: &str, number: i64) -> String {
    format!("{contract_id}/{number}")
}

impl VersionRow {
    /// The terms this version states, its words opened.
    ///
    /// # Errors
    /// A 500 when they do not open (another key).
    pub fn terms(&self, keys: &Keys, contract_id: &str) -> Result<Terms, Problem> {
        let row = version_row(contract_id, self.number);
        Ok(Terms {
            title: self.title.open(keys, VERSION_TITLE, &row)?,
            scope: self.scope.open(keys, VERSION_SCOPE, &row)?,
            amount_krw: self.amount_krw,
            due_date: self.due_date.clone(),
            ip_clause: self.ip_clause,
            portfolio_consent: self.portfolio_consent,
        })
    }
}

/// The canonical content of version `number` of a contract: a JSON object
/// with its keys in order, no spaces; what a confirmation's SHA-256 is of.
pub fn canonical(c: &ContractRow, number: i64, t: &Terms) -> String {
    canonical_format(c, number, t, CANONICAL_FORMAT)
}

/// The canonical content as format `format` writes it (1: without the
/// arbitration clause; 2: with it).
pub fn canonical_format(c: &ContractRow, number: i64, t: &Terms, format: i64) -> String {
    let mut m = std::collections::BTreeMap::new();
    m.insert("amount_krw", serde_json::json!(t.amount_krw));
    if format >= 2 {
        m.insert("arbitration_clause", serde_json::json!(ARBITRATION_CLAUSE));
    }
    m.insert("client_id", serde_json::json!(c.client_id));
    m.insert("contract_id", serde_json::json!(c.id));
    m.insert("due_date", serde_json::json!(t.due_date));
    m.insert("ip_clause", serde_json::json!(t.ip_clause.as_str()));
    m.insert("partner_id", serde_json::json!(c.partner_id));
    m.insert("portfolio_consent", serde_json::json!(t.portfolio_consent));
    m.insert("scope", serde_json::json!(t.scope));
    m.insert("success_fee_bp", serde_json::json!(c.success_fee_bp));
    m.insert("title", serde_json::json!(t.title));
    m.insert("version", serde_json::json!(number));
    serde_json::to_string(&m).unwrap_or_default()
}

/// SHA-256 of `text`, lower-case hex.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Version `number` of `c` with the caller as its author and its hash:
/// its row and the statement that stores it.
pub fn version_insert(c: &ContractRow, number: i64, t: &Terms, env: &Env) -> (VersionRow, Stmt) {
    version_insert_by(c, number, t, env.caller(), env)
}

/// Version `number` of `c` with `author` as its author (a settlement's
/// terms are the offer's author's, made when the other party accepts).
pub fn version_insert_by(
    c: &ContractRow,
    number: i64,
    t: &Terms,
    author: &str,
    env: &Env,
) -> (VersionRow, Stmt) {
    let text = canonical(c, number, t);
    let sealed = env
        .keys
        .seal_for(env.rng, &canonical_place(&c.id, number), &text);
    let row = version_row(&c.id, number);
    let v = VersionRow {
        number,
        title: SealedText::seal(env, VERSION_TITLE, &row, &t.title),
        scope: SealedText::seal(env, VERSION_SCOPE, &row, &t.scope),
        amount_krw: t.amount_krw,
        due_date: t.due_date.clone(),
        ip_clause: t.ip_clause,
        portfolio_consent: t.portfolio_consent,
        sha256: sha256_hex(&text),
        author_id: author.to_owned(),
        created_at: env.now.to_rfc3339(),
        canonical_enc: Some(sealed),
        format: CANONICAL_FORMAT,
    };
    let s = stmt!(
        "INSERT INTO contract_versions (contract_id, number, title, scope, amount_krw, due_date, ip_clause, portfolio_consent, sha256, author_id, created_at, canonical_enc, format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        c.id.as_str(),
        number,
        &v.title,
        &v.scope,
        v.amount_krw,
        v.due_date.as_str(),
        v.ip_clause,
        v.portfolio_consent,
        v.sha256.as_str(),
        v.author_id.as_str(),
        v.created_at.as_str(),
        v.canonical_enc.clone(),
        v.format
    );
    (v, s)
}

/// One entry of the contract's own history and of the audit log.
pub fn history(env: &Env, contract_id: &str, action: &str, detail: &str) -> [Stmt; 2] {
    [
        stmt!(
            "INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
            contract_id,
            env.now.to_rfc3339(),
            env.caller(),
            action,
            detail
        ),
        audit(env, env.caller(), action, contract_id, detail),
    ]
}

/// Where a confirmation's client address is sealed.
pub fn confirmation_place(contract_id: &str, number: i64, member: &str) -> String {
    at(
        "contract_confirmations.ip",
        &format!("{contract_id}/{number}/{member}"),
    )
}

/// The caller's confirmation of version `number` by its hash, with the
/// client's address sealed (C2): its row and the statement that stores it.
pub fn confirmation_insert(
    c: &ContractRow,
    number: i64,
    sha256: &str,
    env: &Env,
) -> (ConfirmationRow, Stmt) {
    let k = ConfirmationRow {
        number,
        member_id: env.caller().to_owned(),
        sha256: sha256.to_owned(),
        ip_enc: env.client_ip.map(|ip| {
            env.keys.seal_for(
                env.rng,
                &confirmation_place(&c.id, number, env.caller()),
                ip,
            )
        }),
        at: env.now.to_rfc3339(),
    };
    let s = stmt!(
        "INSERT INTO contract_confirmations (contract_id, number, member_id, sha256, ip_enc, at) VALUES (?, ?, ?, ?, ?, ?)",
        c.id.as_str(),
        number,
        k.member_id.as_str(),
        k.sha256.as_str(),
        k.ip_enc.as_deref(),
        k.at.as_str()
    );
    (k, s)
}

/// The other party of `c` than `member`.
pub fn other_party<'a>(c: &'a ContractRow, member: &str) -> &'a str {
    if member == c.client_id {
        &c.partner_id
    } else {
        &c.client_id
    }
}

/// What a party asks of the other (one [`RequestRow`] to come).
pub struct Ask {
    pub kind: PartyRequestKind,
    pub number: Option<i64>,
    pub message_id: Option<String>,
    pub reason: Option<String>,
}

/// A new open request from the caller to the other party, due in 7 KST
/// days (C7): its row and the statement that stores it.
pub fn request_insert(c: &ContractRow, ask: Ask, env: &Env) -> (RequestRow, Stmt) {
    let id = crate::kernel::crypto::new_id(env.rng, "req");
    let reason = ask
        .reason
        .as_deref()
        .map(|r| SealedText::seal(env, REQUEST_REASON, &id, r));
    let q = RequestRow {
        id,
        kind: ask.kind,
        from_id: env.caller().to_owned(),
        to_id: other_party(c, env.caller()).to_owned(),
        number: ask.number,
        message_id: ask.message_id,
        reason,
        state: PartyRequestState::Open,
        answer_by: answer_by(env.now).to_rfc3339(),
        answered_at: None,
        answer_reason: None,
        flagged_at: None,
        created_at: env.now.to_rfc3339(),
    };
    let s = stmt!(
        "INSERT INTO contract_requests (id, contract_id, kind, from_id, to_id, number, message_id, reason, state, answer_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
        q.id.as_str(),
        c.id.as_str(),
        q.kind,
        q.from_id.as_str(),
        q.to_id.as_str(),
        q.number,
        q.message_id.as_deref(),
        q.reason.as_ref(),
        q.answer_by.as_str(),
        q.created_at.as_str()
    );
    (q, s)
}

/// KST calendar days a party has to answer the other's request (C7).
pub const ANSWER_DAYS: u64 = 7;

/// When a request made at `at` becomes overdue: the end of the 7th KST
/// calendar day after its day (C7).
pub fn answer_by(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    crate::kernel::types::after_kst_days(at, ANSWER_DAYS)
}

/// Ends the contract's open requests of `kinds` as `state` (a later change
/// answered them or made them moot).
pub fn close_requests(
    contract_id: &str,
    kinds: &[PartyRequestKind],
    state: PartyRequestState,
    now: &str,
) -> Stmt {
    let kinds = serde_json::to_string(&kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>())
        .unwrap_or_default();
    stmt!(
        "UPDATE contract_requests SET state = ?, answered_at = ? WHERE contract_id = ? AND state = 'open' AND kind IN (SELECT value FROM json_each(?))",
        state,
        now,
        contract_id,
        kinds
    )
}

/// The contract, if the caller is one of its parties; 404 for anyone else
/// (whether it exists is not theirs to know).
///
/// # Errors
/// 404 when there is no such contract or the caller is not a party.
pub fn as_party(c: Option<ContractRow>, env: &Env) -> Result<ContractRow, Problem> {
    c.filter(|c| c.client_id == env.caller() || c.partner_id == env.caller())
        .ok_or_else(Problem::not_found)
}

/// The conditional update every contract change makes: it bumps the
/// contract's `version` only if no other change came first (the batch's
/// guard then aborts the loser with 409).
pub fn bump(c: &ContractRow) -> Stmt {
    stmt!(
        "UPDATE contracts SET version = version + 1 WHERE id = ? AND version = ?",
        c.id.as_str(),
        c.version
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> ContractRow {
        ContractRow {
            id: "con_1".into(),
            request_id: None,
            client_id: "mem_c".into(),
            partner_id: "mem_p".into(),
            category: "software".into(),
            success_fee_bp: 1000,
            state: ContractState::Draft,
            current_version: 1,
            formed_version: None,
            formed_at: None,
            retention_class: "contract_5y".into(),
            version: 1,
            created_at: "2026-11-26T00:00:00+00:00".into(),
            completed_at: None,
            inspection_until: None,
            accepted_at: None,
            deemed: false,
            ip_transferred_at: None,
            cancelled_at: None,
            cancel_cause: None,
            cancel_reason: None,
        }
    }

    fn terms() -> Terms {
        Terms {
            title: "시스템 구축".into(),
            scope: "범위".into(),
            amount_krw: 30_000_000,
            due_date: "2027-01-31".into(),
            ip_clause: IpClause::Transfer,
            portfolio_consent: true,
        }
    }

    #[test]
    fn c2_a_version_hashes_its_canonical_content_and_any_change_changes_it() {
        let c = contract();
        // Format 1 (versions written before the arbitration clause).
        let one = canonical_format(&c, 1, &terms(), 1);
        assert_eq!(
            one,
            r#"{"amount_krw":30000000,"client_id":"mem_c","contract_id":"con_1","due_date":"2027-01-31","ip_clause":"transfer","partner_id":"mem_p","portfolio_consent":true,"scope":"범위","success_fee_bp":1000,"title":"시스템 구축","version":1}"#
        );
        // Python's hashlib.sha256 of those UTF-8 bytes.
        assert_eq!(
            sha256_hex(&one),
            "dfa0b75de24222441da26d51765ad5defb4ec357cc95158a7cd327b2e24a24fe"
        );
        // Format 2, today's: the same with the arbitration clause (C1).
        let text = canonical(&c, 1, &terms());
        assert_eq!(
            text,
            one.replacen(
                r#""client_id""#,
                &format!(r#""arbitration_clause":"{ARBITRATION_CLAUSE}","client_id""#),
                1
            )
        );
        let h = sha256_hex(&text);
        assert_eq!(
            h,
            "cfd3e54de7d1307c2e45d341b6a0f5d1803ea9da9b9f98d810c2c98f7746284e"
        );
        let mut other = terms();
        other.ip_clause = IpClause::Reserved;
        assert_ne!(h, sha256_hex(&canonical(&c, 1, &other)));
        assert_ne!(h, sha256_hex(&canonical(&c, 2, &terms())));
        assert_eq!(h, sha256_hex(&canonical(&c, 1, &terms())));
    }

    /// rule C1: every version written today carries the arbitration clause
    /// naming the KCAB, the written agreement a request for arbitration
    /// needs (D3); versions of format 1 are shown as they were.
    #[test]
    fn c1_a_draft_carries_the_arbitration_clause_naming_the_kcab() {
        assert!(
            ARBITRATION_CLAUSE.contains("대한상사중재원") && ARBITRATION_CLAUSE.contains("KCAB")
        );
        let c = contract();
        let v: serde_json::Value = serde_json::from_str(&canonical(&c, 1, &terms())).unwrap();
        assert_eq!(v["arbitration_clause"], ARBITRATION_CLAUSE);
        let old: serde_json::Value =
            serde_json::from_str(&canonical_format(&c, 1, &terms(), 1)).unwrap();
        assert!(old.get("arbitration_clause").is_none());
    }

    /// rule C2: a version stays verifiable when the code changes: the text
    /// its hash is of is stored (sealed) with its format, and the record
    /// shows that text, not what today's serialiser would write.
    #[test]
    fn c2_a_version_is_verified_against_its_stored_text() {
        use crate::kernel::crypto::testkit::{keys, SeqRandom};
        let (keys, rng) = (keys(), SeqRandom(std::cell::Cell::new(3)));
        let config = crate::kernel::engine::Config::default();
        let env = crate::kernel::engine::testkit::env(&keys, &rng, &config);
        let c = contract();
        let (mut v, _) = version_insert(&c, 1, &terms(), &env);
        assert_eq!(v.format, CANONICAL_FORMAT);
        let sealed = v.canonical_enc.clone().expect("stored");
        assert!(
            !sealed.contains("시스템 구축"),
            "sealed: free text is not stored plain"
        );
        assert_eq!(
            stored_canonical(&c, &v, &keys).unwrap(),
            canonical(&c, 1, &terms())
        );
        // As if an older format had written other text: that text is shown
        // and verifies against the hash, whatever `canonical` writes now.
        let older = r#"{"title":"시스템 구축","version":1}"#;
        v.canonical_enc = Some(keys.seal_for(&rng, &canonical_place(&c.id, 1), older));
        v.sha256 = sha256_hex(older);
        let shown = stored_canonical(&c, &v, &keys).unwrap();
        assert_eq!(shown, older);
        assert_eq!(sha256_hex(&shown), v.sha256);
        // A version from before texts were stored: format 1 of its row.
        v.canonical_enc = None;
        assert_eq!(
            stored_canonical(&c, &v, &keys).unwrap(),
            canonical_format(&c, 1, &terms(), 1)
        );
    }
}
