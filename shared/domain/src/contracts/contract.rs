//! A contract as both parties see it: its rows, the canonical content of a
//! version and its SHA-256 (C2), who may see it (the two parties; C9: the
//! parties are fixed), and its history. Every contract action reads it
//! with [`contract_reads`] and writes [`history`] beside its change.

use crate::kernel::audit::audit;
use crate::kernel::crypto::at;
use crate::kernel::engine::Env;
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::reads::Read;
use crate::{read, row, stmt};
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
    }
);

row!(
    pub struct VersionRow {
        pub number: i64,
        pub title: String,
        pub scope: String,
        pub amount_krw: i64,
        pub due_date: String,
        pub ip_clause: IpClause,
        pub portfolio_consent: bool,
        pub sha256: String,
        pub author_id: String,
        pub created_at: String,
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
        pub reported_by: String,
        pub description: String,
        pub at: String,
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

/// The canonical content of version `number` of a contract: a JSON object
/// with its keys in order, no spaces; what a confirmation's SHA-256 is of.
pub fn canonical(c: &ContractRow, number: i64, t: &Terms) -> String {
    let mut m = std::collections::BTreeMap::new();
    m.insert("amount_krw", serde_json::json!(t.amount_krw));
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

/// The statement that stores version `number` with its hash.
pub fn version_insert(c: &ContractRow, number: i64, t: &Terms, author: &str, env: &Env) -> Stmt {
    stmt!(
        "INSERT INTO contract_versions (contract_id, number, title, scope, amount_krw, due_date, ip_clause, portfolio_consent, sha256, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        c.id.as_str(),
        number,
        t.title.as_str(),
        t.scope.as_str(),
        t.amount_krw,
        t.due_date.as_str(),
        t.ip_clause,
        t.portfolio_consent,
        sha256_hex(&canonical(c, number, t)),
        author,
        env.now.to_rfc3339()
    )
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

pub fn read_contract(id: &str) -> Read<Option<ContractRow>> {
    read!("SELECT * FROM contracts WHERE id = ?", id)
}

pub fn read_versions(id: &str) -> Read<Vec<VersionRow>> {
    read!(
        "SELECT number, title, scope, amount_krw, due_date, ip_clause, portfolio_consent, sha256, author_id, created_at FROM contract_versions WHERE contract_id = ? ORDER BY number",
        id
    )
}

pub fn read_confirmations(id: &str) -> Read<Vec<ConfirmationRow>> {
    read!(
        "SELECT number, member_id, sha256, ip_enc, at FROM contract_confirmations WHERE contract_id = ? ORDER BY at",
        id
    )
}

pub fn read_defects(id: &str) -> Read<Vec<DefectRow>> {
    read!(
        "SELECT reported_by, description, at FROM contract_defects WHERE contract_id = ? ORDER BY at",
        id
    )
}

pub fn read_history(id: &str) -> Read<Vec<HistoryRow>> {
    read!(
        "SELECT at, actor, action, detail FROM contract_history WHERE contract_id = ? ORDER BY seq",
        id
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
        let text = canonical(&c, 1, &terms());
        assert_eq!(
            text,
            r#"{"amount_krw":30000000,"client_id":"mem_c","contract_id":"con_1","due_date":"2027-01-31","ip_clause":"transfer","partner_id":"mem_p","portfolio_consent":true,"scope":"범위","success_fee_bp":1000,"title":"시스템 구축","version":1}"#
        );
        // Python's hashlib.sha256 of those UTF-8 bytes.
        let h = sha256_hex(&text);
        assert_eq!(
            h,
            "dfa0b75de24222441da26d51765ad5defb4ec357cc95158a7cd327b2e24a24fe"
        );
        let mut other = terms();
        other.ip_clause = IpClause::Reserved;
        assert_ne!(h, sha256_hex(&canonical(&c, 1, &other)));
        assert_ne!(h, sha256_hex(&canonical(&c, 2, &terms())));
        assert_eq!(h, sha256_hex(&canonical(&c, 1, &terms())));
    }
}
