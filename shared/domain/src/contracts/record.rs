//! A contract's record as its parties see it (rules C1, C2, C10): the
//! reads that make it (each bound to the caller: object-level
//! authorization in SQL) and the JSON a party keeps; and the record staff
//! read (mediators, owners: `GET /admin/contracts/{id}`). The use cases that
//! change a contract (`c2_versions.rs` and the other rule files) answer
//! with it.

use super::contract::{
    confirmation_place, history, stored_canonical, CancelCause, ConfirmationRow, ContractRow,
    ContractState, DefectRow, HistoryRow, IpClause, MessageRow, MessageState, PartyRequestKind,
    PartyRequestState, RequestRow, VersionRow,
};
use crate::kernel::engine::{Access, AdminRole, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Read;
use crate::kernel::sealed::open_opt;
use crate::personal_data::place::{
    ANSWER_REASON, CANCEL_REASON, DEFECT_DESCRIPTION, MESSAGE_BODY, REQUEST_LOCATION,
    REQUEST_REASON,
};
use crate::{read, read_set, use_case};

// Object-level authorization in SQL, the one convention for a record's
// reads: each read names the contract (?1) and the reader (?2). A party
// reads only a contract it is a party to, with its rows; a stranger's
// request reads nothing of it (`as_party` then answers 404); nothing is
// read first and filtered after. Staff (the use case checks the role) read
// the contract by its id, `?2` empty: no member's own view (held messages
// are the content review's).
macro_rules! of_party {
    () => {
        "contract_id IN (SELECT id FROM contracts WHERE id = ?1 AND ?2 IN (client_id, partner_id))"
    };
}

/// A read of the record for `$who`: `$head`, the reader's condition, `$tail`.
macro_rules! by_reader {
    ($who:expr, $head:literal, $tail:literal) => {
        match $who {
            Reader::Party(_) => concat!($head, of_party!(), $tail),
            Reader::Staff => concat!($head, "contract_id = ?1 AND ?2 = ''", $tail),
        }
    };
}

/// Who reads a contract's record.
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    /// one of its parties (the member's id)
    Party(&'a str),
    /// staff who handle its deadlines and disputes (mediators, owners)
    Staff,
}

impl Reader<'_> {
    /// The reader's parameter (`?2`): the member's id, or empty for staff.
    pub fn id(&self) -> &str {
        match self {
            Reader::Party(id) => id,
            Reader::Staff => "",
        }
    }
}

/// Messages and history entries a record shows: the latest this many (and
/// whether there are more), so a long-lived contract's record stays bounded.
pub const RECORD_ENTRIES: usize = 200;

pub fn read_contract(id: &str, who: Reader) -> Read<Option<ContractRow>> {
    read!(
        match who {
            Reader::Party(_) =>
                "SELECT * FROM contracts WHERE id = ?1 AND ?2 IN (client_id, partner_id)",
            Reader::Staff => "SELECT * FROM contracts WHERE id = ?1 AND ?2 = ''",
        },
        id,
        who.id()
    )
}

pub fn read_versions(id: &str, who: Reader) -> Read<Vec<VersionRow>> {
    read!(
        by_reader!(
            who,
            "SELECT number, title, scope, amount_krw, due_date, ip_clause, portfolio_consent, sha256, author_id, created_at, canonical_enc, format FROM contract_versions WHERE ",
            " ORDER BY number"
        ),
        id,
        who.id()
    )
}

pub fn read_confirmations(id: &str, who: Reader) -> Read<Vec<ConfirmationRow>> {
    read!(
        by_reader!(
            who,
            "SELECT number, member_id, sha256, ip_enc, at FROM contract_confirmations WHERE ",
            " ORDER BY at"
        ),
        id,
        who.id()
    )
}

pub fn read_defects(id: &str, who: Reader) -> Read<Vec<DefectRow>> {
    read!(
        by_reader!(
            who,
            "SELECT id, reported_by, description, at FROM contract_defects WHERE ",
            " ORDER BY at"
        ),
        id,
        who.id()
    )
}

pub fn read_requests(id: &str, who: Reader) -> Read<Vec<RequestRow>> {
    read!(
        by_reader!(
            who,
            "SELECT id, kind, from_id, to_id, number, message_id, reason, state, answer_by, answered_at, answer_reason, flagged_at, created_at
             FROM contract_requests WHERE ",
            " ORDER BY created_at, id"
        ),
        id,
        who.id()
    )
}

/// The messages `reader` may see: every visible one, and its own; the
/// latest `RECORD_ENTRIES` (one more is read to know there are more).
pub fn read_messages(id: &str, who: Reader) -> Read<Vec<MessageRow>> {
    read!(
        by_reader!(
            who,
            "SELECT * FROM (SELECT id, author_id, body, asks, state, created_at FROM contract_messages
             WHERE ",
            " AND (state = 'visible' OR author_id = ?2) ORDER BY created_at DESC, id DESC LIMIT ?3)
             ORDER BY created_at, id"
        ),
        id,
        who.id(),
        (RECORD_ENTRIES + 1) as i64
    )
}

/// The contract's history, the latest `RECORD_ENTRIES` (and one more).
/// A contract's history as read (the latest `RECORD_ENTRIES` + 1), and
/// the entries the change at hand adds after them
/// ([`ContractRows::add_history`]): the other party hears of those.
#[derive(Debug)]
pub struct History {
    pub entries: Vec<HistoryRow>,
    read: usize,
}

impl History {
    /// The entries this change added.
    pub fn added(&self) -> &[HistoryRow] {
        &self.entries[self.read..]
    }
}

impl crate::kernel::reads::FromResult for History {
    fn from_result(
        r: crate::kernel::ports::StmtResult,
    ) -> Result<Self, crate::kernel::reads::ReadError> {
        let entries = Vec::<HistoryRow>::from_result(r)?;
        Ok(History {
            read: entries.len(),
            entries,
        })
    }
}

pub fn read_history(id: &str, who: Reader) -> Read<History> {
    read!(
        by_reader!(
            who,
            "SELECT at, actor, action, detail FROM (SELECT seq, at, actor, action, detail FROM contract_history WHERE ",
            " ORDER BY seq DESC LIMIT ?3) ORDER BY seq"
        ),
        id,
        who.id(),
        (RECORD_ENTRIES + 1) as i64
    )
}

crate::reply!(
    /// A contract's whole record as its parties see it (C1, C2, C10).
    @personal pub struct ContractRecord {
        pub contract_id: String,
        pub request_id: Option<String>,
        /// where the work is done (the request's location), for both parties
        pub location: Option<String>,
        pub client_id: String,
        pub partner_id: String,
        pub client_company: Option<String>,
        pub partner_company: Option<String>,
        pub category: String,
        /// success fee in basis points (M2)
        pub success_fee_bp: i64,
        /// `draft`, `in_progress`, `completed`, `accepted`, `cancelled`
        pub state: ContractState,
        pub current_version: i64,
        /// changes with every change to the contract (an edit, a
        /// confirmation): an edit names the revision it was made on
        pub revision: i64,
        pub formed_version: Option<i64>,
        pub formed_at: Option<String>,
        /// kept 5 years (C10)
        pub retention_class: String,
        /// when the partner reported completion (C3)
        pub completed_at: Option<String>,
        /// the client inspects until then: the end of the 7th KST calendar
        /// day after the day completion was reported (C3)
        pub inspection_until: Option<String>,
        pub accepted_at: Option<String>,
        /// accepted because the client did not answer in 7 days (C3)
        pub deemed: bool,
        /// when the rights passed to the client (C5); never if reserved
        pub ip_transferred_at: Option<String>,
        pub cancelled_at: Option<String>,
        /// `withdrawn` (a draft), `agreed` (both parties) or `dispute` (C6)
        pub cancel_cause: Option<CancelCause>,
        /// why a draft was withdrawn, as its party wrote it
        pub cancel_reason: Option<String>,
        /// defects the client reported (C4)
        pub defects: Vec<Defect>,
        /// every version, oldest first, each with the SHA-256 of its canonical content
        pub versions: Vec<ContractVersion>,
        /// every confirmation: which version, its hash, when, from which address
        pub confirmations: Vec<Confirmation>,
        /// what each party asked of the other, and whether it was answered
        /// in time (C2, C6, C7)
        pub requests: Vec<PartyRequest>,
        /// the parties' messages: every visible one, and the reader's own
        /// held or rejected ones (C11)
        pub messages: Vec<ContractMessage>,
        /// earlier messages exist than the latest 200 shown
        pub earlier_messages: bool,
        pub history: Vec<HistoryEntry>,
        /// earlier history exists than the latest 200 entries shown
        pub earlier_history: bool,
    }
    pub struct PartyRequest {
        pub request_id: String,
        /// `confirmation`, `amendment`, `cancellation`, `question`
        pub kind: PartyRequestKind,
        pub from_id: String,
        pub to_id: String,
        /// the version an amendment proposes, or a confirmation asks for
        pub number: Option<i64>,
        /// the message a question asks in
        pub message_id: Option<String>,
        pub reason: Option<String>,
        /// `open` until answered (`accepted`, `declined`, `answered`),
        /// `withdrawn` by its author or `void` (made moot by a later change)
        pub state: PartyRequestState,
        /// the end of the 7th KST calendar day after the request's day (C7)
        pub answer_by: String,
        pub answered_at: Option<String>,
        pub answer_reason: Option<String>,
        /// when the sweep flagged it as overdue to both parties and the staff (C7)
        pub flagged_at: Option<String>,
        pub created_at: String,
    }
    pub struct ContractMessage {
        pub message_id: String,
        pub author_id: String,
        pub body: String,
        /// asks the other party for an answer (C7)
        pub asks: bool,
        /// `visible`; `held` for review or `rejected` (seen by the author only, C11)
        pub state: MessageState,
        pub created_at: String,
    }
    pub struct ContractVersion {
        pub number: i64,
        pub title: String,
        pub scope: String,
        pub amount_krw: i64,
        /// KST calendar date
        pub due_date: String,
        pub ip_clause: IpClause,
        pub portfolio_consent: bool,
        pub sha256: String,
        /// what the hash is of
        pub canonical: String,
        /// the format that text was written in (stored with the version)
        pub format: i64,
        /// the arbitration clause naming the KCAB, part of the hashed text
        /// from format 2 on (C1, D3)
        pub arbitration_clause: Option<String>,
        pub author_id: String,
        pub created_at: String,
    }
    pub struct Confirmation {
        pub number: i64,
        pub member_id: String,
        pub sha256: String,
        pub ip: Option<String>,
        pub at: String,
    }
    pub struct Defect {
        pub reported_by: String,
        pub description: String,
        pub at: String,
    }
    pub struct HistoryEntry {
        pub at: String,
        pub actor: String,
        pub action: String,
        pub detail: String,
    }
    pub struct Contracts {
        pub contracts: Vec<ContractListing>,
    }
    pub struct ContractListing {
        pub contract_id: String,
        /// the current version's title
        pub title: String,
        pub client_id: String,
        pub partner_id: String,
        pub client_company: Option<String>,
        pub partner_company: Option<String>,
        pub state: ContractState,
        pub current_version: i64,
        pub created_at: String,
    }
);

/// The record of `c` with its rows (addresses and the parties' words
/// opened for them).
fn record(c: &ContractRow, rows: &ContractRows, env: &Env) -> Result<ContractRecord, Problem> {
    let keys = env.keys;
    Ok(ContractRecord {
        contract_id: c.id.clone(),
        request_id: c.request_id.clone(),
        location: match (
            rows.location.as_ref().and_then(|l| l.location.as_ref()),
            &c.request_id,
        ) {
            (Some(l), Some(request)) => Some(l.open(keys, REQUEST_LOCATION, request)?),
            _ => None,
        },
        client_company: rows
            .location
            .as_ref()
            .and_then(|l| l.client_company.clone()),
        partner_company: rows
            .location
            .as_ref()
            .and_then(|l| l.partner_company.clone()),
        client_id: c.client_id.clone(),
        partner_id: c.partner_id.clone(),
        category: c.category.clone(),
        success_fee_bp: c.success_fee_bp,
        state: c.state,
        current_version: c.current_version,
        revision: c.version,
        formed_version: c.formed_version,
        formed_at: c.formed_at.clone(),
        retention_class: c.retention_class.clone(),
        completed_at: c.completed_at.clone(),
        inspection_until: c.inspection_until.clone(),
        accepted_at: c.accepted_at.clone(),
        deemed: c.deemed,
        ip_transferred_at: c.ip_transferred_at.clone(),
        cancelled_at: c.cancelled_at.clone(),
        cancel_cause: c.cancel_cause,
        cancel_reason: open_opt(&c.cancel_reason, keys, CANCEL_REASON, &c.id)?,
        defects: rows
            .defects
            .iter()
            .map(|d| {
                Ok(Defect {
                    reported_by: d.reported_by.clone(),
                    description: d.description.open(keys, DEFECT_DESCRIPTION, &d.id)?,
                    at: d.at.clone(),
                })
            })
            .collect::<Result<_, Problem>>()?,
        versions: rows
            .versions
            .iter()
            .map(|v| {
                let terms = v.terms(keys, &c.id)?;
                Ok(ContractVersion {
                    number: v.number,
                    title: terms.title,
                    scope: terms.scope,
                    amount_krw: v.amount_krw,
                    due_date: v.due_date.clone(),
                    ip_clause: v.ip_clause,
                    portfolio_consent: v.portfolio_consent,
                    sha256: v.sha256.clone(),
                    canonical: stored_canonical(c, v, keys)?,
                    format: v.format,
                    arbitration_clause: (v.format >= 2)
                        .then(|| super::contract::ARBITRATION_CLAUSE.to_owned()),
                    author_id: v.author_id.clone(),
                    created_at: v.created_at.clone(),
                })
            })
            .collect::<Result<_, Problem>>()?,
        confirmations: rows
            .confirmations
            .iter()
            .map(|k| Confirmation {
                number: k.number,
                member_id: k.member_id.clone(),
                sha256: k.sha256.clone(),
                ip: k.ip_enc.as_deref().and_then(|sealed| {
                    env.keys
                        .open_at(&confirmation_place(&c.id, k.number, &k.member_id), sealed)
                        .ok()
                }),
                at: k.at.clone(),
            })
            .collect(),
        requests: rows
            .requests
            .iter()
            .map(|q| {
                Ok(PartyRequest {
                    request_id: q.id.clone(),
                    kind: q.kind,
                    from_id: q.from_id.clone(),
                    to_id: q.to_id.clone(),
                    number: q.number,
                    message_id: q.message_id.clone(),
                    reason: open_opt(&q.reason, keys, REQUEST_REASON, &q.id)?,
                    state: q.state,
                    answer_by: q.answer_by.clone(),
                    answered_at: q.answered_at.clone(),
                    answer_reason: open_opt(&q.answer_reason, keys, ANSWER_REASON, &q.id)?,
                    flagged_at: q.flagged_at.clone(),
                    created_at: q.created_at.clone(),
                })
            })
            .collect::<Result<_, Problem>>()?,
        earlier_messages: rows.messages.len() > RECORD_ENTRIES,
        earlier_history: rows.history.entries.len() > RECORD_ENTRIES,
        messages: rows
            .messages
            .iter()
            .skip(rows.messages.len().saturating_sub(RECORD_ENTRIES))
            .map(|m| {
                Ok(ContractMessage {
                    message_id: m.id.clone(),
                    author_id: m.author_id.clone(),
                    body: m.body.open(keys, MESSAGE_BODY, &m.id)?,
                    asks: m.asks,
                    state: m.state,
                    created_at: m.created_at.clone(),
                })
            })
            .collect::<Result<_, Problem>>()?,
        history: rows
            .history
            .entries
            .iter()
            .skip(rows.history.entries.len().saturating_sub(RECORD_ENTRIES))
            .map(|h| HistoryEntry {
                at: h.at.clone(),
                actor: h.actor.clone(),
                action: h.action.clone(),
                detail: h.detail.clone(),
            })
            .collect(),
    })
}

crate::row!(
    /// Where the work is done: the request's location (rule C11: data for
    /// the contracted partner, not prose shown to those proposed), the
    /// parties' company names (pages name them, never by id), and where
    /// each is reached (sealed; for the notices of the other's actions,
    /// never in a record).
    pub struct WorkLocation {
        pub location: Option<crate::kernel::sealed::SealedText>,
        pub client_company: Option<String>,
        pub partner_company: Option<String>,
        pub client_email: Option<String>,
        pub client_phone: Option<String>,
        pub partner_email: Option<String>,
        pub partner_phone: Option<String>,
    }
);

/// The location and the parties' company names of contract `?1`.
macro_rules! parties {
    () => {
        "SELECT r.location, cm.company_name AS client_company, pm.company_name AS partner_company,
           cm.email_enc AS client_email, cm.phone_enc AS client_phone, pm.email_enc AS partner_email, pm.phone_enc AS partner_phone
         FROM contracts c LEFT JOIN work_requests r ON r.id = c.request_id
         LEFT JOIN members cm ON cm.id = c.client_id LEFT JOIN members pm ON pm.id = c.partner_id
         WHERE c.id = ?1"
    };
}

read_set!(pub struct ContractReads => ContractRows {
    contract: Option<ContractRow>,
    location: Option<WorkLocation>,
    versions: Vec<VersionRow>,
    confirmations: Vec<ConfirmationRow>,
    history: History,
    defects: Vec<DefectRow>,
    requests: Vec<RequestRow>,
    messages: Vec<MessageRow>,
});

/// Everything of contract `id` a record shows to the caller (one read each).
pub fn contract_reads(id: &str, env: &Env) -> ContractReads {
    reads_for(id, Reader::Party(env.caller()))
}

/// Everything of contract `id` a record shows to `who` (one read each).
pub fn reads_for(id: &str, who: Reader) -> ContractReads {
    ContractReads {
        contract: read_contract(id, who),
        location: read!(
            match who {
                Reader::Party(_) => concat!(parties!(), " AND ?2 IN (c.client_id, c.partner_id)"),
                Reader::Staff => concat!(parties!(), " AND ?2 = ''"),
            },
            id,
            who.id()
        ),
        versions: read_versions(id, who),
        confirmations: read_confirmations(id, who),
        history: read_history(id, who),
        defects: read_defects(id, who),
        requests: read_requests(id, who),
        messages: read_messages(id, who),
    }
}

impl ContractRows {
    /// The record of these rows, with `c` as it is after the change (the
    /// rows already carry what the change adds, its history entry too).
    ///
    /// # Errors
    /// A 500 when sealed words do not open (another key).
    pub fn record(&self, c: &ContractRow, env: &Env) -> Result<ContractRecord, Problem> {
        record(c, self, env)
    }

    /// The change's entry in the contract's history and the audit log
    /// ([`history`]): its statements, and the entry in these rows, so the
    /// record an action returns shows it as the next read will.
    pub fn add_history(
        &mut self,
        env: &Env,
        contract_id: &str,
        action: &str,
        detail: &str,
    ) -> [crate::kernel::ports::Stmt; 2] {
        self.history.entries.push(HistoryRow {
            at: env.now.to_rfc3339(),
            actor: env.caller().to_owned(),
            action: action.to_owned(),
            detail: detail.to_owned(),
        });
        history(env, contract_id, action, detail)
    }

    /// The caller's open request of `kind` to the other party, if any.
    pub fn open_request(&self, kind: PartyRequestKind) -> Option<&RequestRow> {
        self.requests
            .iter()
            .find(|q| q.kind == kind && q.state == PartyRequestState::Open)
    }

    /// Records in these rows that `kinds` of open requests ended as `state`.
    pub fn close(&mut self, kinds: &[PartyRequestKind], state: PartyRequestState, now: &str) {
        for q in &mut self.requests {
            if q.state == PartyRequestState::Open && kinds.contains(&q.kind) {
                q.state = state;
                q.answered_at = Some(now.to_owned());
            }
        }
    }
}

/// Who reads any contract's record: the mediators (its deadlines, its
/// disputes) and owners.
pub const CONTRACT_STAFF: &[AdminRole] = &[AdminRole::Mediator, AdminRole::Owner];

/// `GET /admin/contracts/{id}`: a contract's record for staff, without the
/// parties' addresses (confirmations' IPs) and without held messages (the
/// content review shows those). Reading the parties' words is logged for
/// both parties (rule A3).
pub struct StaffContract;
use_case!(StaffContract, "admin.contract", |_uc| Access::Admin(CONTRACT_STAFF), String => ContractReads);

impl StaffContract {
    fn reads(&self, id: &String, _: &Env) -> ContractReads {
        reads_for(id, Reader::Staff)
    }

    fn decide(&self, _: String, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let c = rows.contract.clone().ok_or_else(Problem::not_found)?;
        let mut record = rows.record(&c, env)?;
        for k in &mut record.confirmations {
            k.ip = None;
        }
        Ok(Plan::ok(200, record, vec![])
            .touches(&c.client_id, "contract.read_record")
            .touches(&c.partner_id, "contract.read_record"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::engine::Principal;
    use crate::kernel::ports::Value;
    use crate::kernel::reads::ReadSet;
    use crate::kernel::tokens::TokenKind;

    /// Object-level authorization in SQL: every read of a contract's
    /// record names the caller and reads only a contract the caller is a
    /// party to (never another member's rows, read and filtered after).
    /// Staff read a contract by its id, with the reader's parameter empty:
    /// no member's own view (a member id is never empty).
    #[test]
    fn staff_reads_name_the_contract_and_no_member() {
        for s in reads_for("con_1", Reader::Staff).into_stmts() {
            assert!(s.sql.contains("?2 = ''"), "{}", s.sql);
            assert!(!s.sql.contains("client_id, partner_id)"), "{}", s.sql);
            assert_eq!(s.params[0], Value::from("con_1"), "{}", s.sql);
            assert_eq!(s.params[1], Value::from(""), "{}", s.sql);
        }
    }

    #[test]
    fn every_read_of_a_contract_record_carries_the_callers_predicate() {
        let keys = crate::kernel::crypto::testkit::keys();
        let rng = crate::kernel::crypto::testkit::SeqRandom(std::cell::Cell::new(1));
        let config = crate::kernel::engine::Config::default();
        let mut env = crate::kernel::engine::testkit::env(&keys, &rng, &config);
        env.who = Some(Principal {
            kind: TokenKind::Member,
            id: "mem_caller".into(),
            jti: "ses_1".into(),
            role: None,
            person: None,
        });
        let stmts = contract_reads("con_1", &env).into_stmts();
        assert_eq!(stmts.len(), 8);
        for s in stmts {
            let party = s.sql.contains("?2 IN (client_id, partner_id)")
                || s.sql.contains("?2 IN (c.client_id, c.partner_id)");
            assert!(party, "{}", s.sql);
            assert_eq!(s.params[0], Value::from("con_1"), "{}", s.sql);
            assert_eq!(s.params[1], Value::from("mem_caller"), "{}", s.sql);
        }
    }
}
