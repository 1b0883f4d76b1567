//! A dispute's rows and the reads that make them (each bound to its
//! reader: a party reads only a dispute on a contract it is a party to, a
//! mediator only its assigned cases, an owner all), and the checks every
//! action makes. Every party's action reads the contract's record too
//! ([`case_reads`]): a settlement changes the contract in the same batch.
//! The reply it answers with is `case.rs`'s.

use crate::contracts::contract::{other_party, ContractRow, ContractState};
use crate::contracts::record::{contract_reads, ContractReads, ContractRows};
use crate::kernel::engine::{guard_one_change, Env};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::{read, row, stmt};

crate::text_enum!(
    /// Where a dispute is (D1–D3).
    pub enum Stage {
        /// stage 1: the parties negotiate (D1)
        Negotiation = "negotiation",
        /// stage 2: a mediator of the platform's (D2)
        Mediation = "mediation",
        /// stage 3: referred to the KCAB; the platform's process is closed (D3)
        Arbitration = "arbitration",
        /// ended by an accepted offer or opinion
        Settled = "settled",
        /// taken back by the party who raised it
        Withdrawn = "withdrawn",
    }
);

impl Stage {
    /// Still the platform's to handle.
    pub fn is_open(self) -> bool {
        matches!(self, Stage::Negotiation | Stage::Mediation)
    }
}

crate::text_enum!(
    /// What a settlement offer proposes (D1): any terms, not all or nothing.
    pub enum OfferKind {
        /// a new contract amount, lower or higher than the formed one
        Amount = "amount",
        /// a scope the partner redoes by a date
        Redo = "redo",
        /// a new due date
        DueDate = "due_date",
        /// cancelling the contract by agreement (C6's cause `dispute`)
        Cancel = "cancel",
    }
);

crate::text_enum!(
    /// Where an offer is.
    pub enum OfferState {
        Open = "open",
        Accepted = "accepted",
        Declined = "declined",
        /// taken back by its author
        Withdrawn = "withdrawn",
        /// made moot: the dispute ended another way
        Void = "void",
    }
);

crate::text_enum!(
    /// Who wrote a message on a dispute.
    pub enum AuthorRole {
        Client = "client",
        Partner = "partner",
        Mediator = "mediator",
    }
);

row!(
    pub struct DisputeRow {
        pub id: String,
        pub contract_id: String,
        pub client_id: String,
        pub partner_id: String,
        pub raised_by: String,
        pub respondent_id: String,
        pub stage: Stage,
        /// sealed at `DISPUTE_CLAIM` / `DISPUTE_RELIEF`, row: the dispute
        pub claim: SealedText,
        pub relief: SealedText,
        pub answer_by: String,
        pub answered_at: Option<String>,
        pub flagged_at: Option<String>,
        pub settled_offer: Option<String>,
        pub closed_at: Option<String>,
        pub closed_by: Option<String>,
        pub retention_class: String,
        pub version: i64,
        pub created_at: String,
        pub escalated_at: Option<String>,
        pub escalated_by: Option<String>,
        pub mediator_id: Option<String>,
        pub assigned_at: Option<String>,
        pub assigned_by: Option<String>,
        pub frozen_sha256: Option<String>,
        /// the case as it stood at escalation, canonical JSON, sealed at
        /// `crypto::at("disputes.frozen", id)`
        pub frozen_enc: Option<String>,
        pub opinion_due: Option<String>,
        pub opinion_by: Option<String>,
        pub opinion_flagged_at: Option<String>,
        /// facts, clauses and reasons, JSON sealed at
        /// `crypto::at("disputes.opinion", id)`
        pub opinion_enc: Option<String>,
        pub opinion_at: Option<String>,
        pub outcome_kind: Option<Outcome>,
        pub outcome_amount_krw: Option<i64>,
        pub outcome_due_date: Option<String>,
        pub outcome_scope: Option<SealedText>,
        pub client_accepted_at: Option<String>,
        pub partner_accepted_at: Option<String>,
        pub referred_at: Option<String>,
        pub referred_by: Option<String>,
        pub pack_sha256: Option<String>,
        pub pack_html_sha256: Option<String>,
    }
);

crate::text_enum!(
    /// What a mediator's opinion proposes (D2): settlement terms, or that
    /// the contract stands as it is.
    pub enum Outcome {
        Amount = "amount",
        Redo = "redo",
        DueDate = "due_date",
        Cancel = "cancel",
        /// the claim is not upheld: the contract stands
        None = "none",
    }
);

row!(
    pub struct MaterialRow {
        pub id: String,
        pub to_id: String,
        /// sealed at `DISPUTE_MATERIAL`
        pub what: SealedText,
        pub due_by: String,
        pub requested_by: String,
        pub created_at: String,
        pub answered_at: Option<String>,
        pub flagged_at: Option<String>,
    }
);

row!(
    pub struct DisputeMessageRow {
        pub id: String,
        pub author_id: String,
        pub author_role: AuthorRole,
        pub body: SealedText,
        pub created_at: String,
    }
);

row!(
    pub struct AttachmentRow {
        pub id: String,
        pub author_id: String,
        pub content_type: String,
        pub bytes: i64,
        pub sha256: String,
        pub created_at: String,
    }
);

row!(
    pub struct OfferRow {
        pub id: String,
        pub from_id: String,
        pub to_id: String,
        pub kind: OfferKind,
        pub amount_krw: Option<i64>,
        pub due_date: Option<String>,
        pub scope: Option<SealedText>,
        pub note: Option<SealedText>,
        pub state: OfferState,
        pub answered_at: Option<String>,
        pub number: Option<i64>,
        pub created_at: String,
    }
);

crate::read_set!(pub struct DisputeReads => DisputeRows {
    dispute: Option<DisputeRow>,
    messages: Vec<DisputeMessageRow>,
    attachments: Vec<AttachmentRow>,
    offers: Vec<OfferRow>,
    material: Vec<MaterialRow>,
});

/// Who reads a dispute: one of its parties, the mediator assigned to it,
/// or an owner (object-level authorization in SQL: `?3` names the reader).
#[derive(Debug, Clone, Copy)]
pub enum CaseReader<'a> {
    /// a party (the member's id)
    Party(&'a str),
    /// the mediator assigned to it (the admin's id)
    Mediator(&'a str),
    /// an owner: any dispute
    Owner,
}

impl CaseReader<'_> {
    fn id(&self) -> &str {
        match self {
            CaseReader::Party(id) | CaseReader::Mediator(id) => id,
            CaseReader::Owner => "",
        }
    }
}

/// Dispute `?1` on contract `?2` as reader `?3` may see it.
macro_rules! of_reader {
    (party) => {
        "id = ?1 AND contract_id = ?2 AND ?3 IN (client_id, partner_id)"
    };
    (mediator) => {
        "id = ?1 AND contract_id = ?2 AND mediator_id = ?3"
    };
    (owner) => {
        "id = ?1 AND contract_id = ?2 AND ?3 = ''"
    };
}

/// A read of the dispute's rows for `$who`: `$head`, the reader's
/// condition on the dispute, `$tail`.
macro_rules! by_reader {
    ($who:expr, $head:literal, $tail:literal) => {
        match $who {
            CaseReader::Party(_) => concat!(
                $head,
                "dispute_id IN (SELECT id FROM disputes WHERE ",
                of_reader!(party),
                ")",
                $tail
            ),
            CaseReader::Mediator(_) => concat!(
                $head,
                "dispute_id IN (SELECT id FROM disputes WHERE ",
                of_reader!(mediator),
                ")",
                $tail
            ),
            CaseReader::Owner => concat!(
                $head,
                "dispute_id IN (SELECT id FROM disputes WHERE ",
                of_reader!(owner),
                ")",
                $tail
            ),
        }
    };
}

/// The messages, files and offers a case shows at most (the first ones; a
/// dispute that needs more is one for the mediator).
pub const CASE_ENTRIES: i64 = 500;

pub fn dispute_reads(id: &str, contract_id: &str, env: &Env) -> DisputeReads {
    reads_as(id, contract_id, CaseReader::Party(env.caller()))
}

/// Dispute `id`'s rows as `who` may see them (nothing for anyone else).
pub fn reads_as(id: &str, contract_id: &str, who: CaseReader) -> DisputeReads {
    let me = who.id();
    DisputeReads {
        dispute: read!(
            match who {
                CaseReader::Party(_) => concat!("SELECT * FROM disputes WHERE ", of_reader!(party)),
                CaseReader::Mediator(_) => concat!("SELECT * FROM disputes WHERE ", of_reader!(mediator)),
                CaseReader::Owner => concat!("SELECT * FROM disputes WHERE ", of_reader!(owner)),
            },
            id,
            contract_id,
            me
        ),
        messages: read!(
            by_reader!(
                who,
                "SELECT id, author_id, author_role, body, created_at FROM dispute_messages WHERE ",
                " ORDER BY created_at, id LIMIT ?4"
            ),
            id,
            contract_id,
            me,
            CASE_ENTRIES
        ),
        attachments: read!(
            by_reader!(
                who,
                "SELECT id, author_id, content_type, bytes, sha256, created_at FROM dispute_attachments WHERE ",
                " ORDER BY created_at, id LIMIT ?4"
            ),
            id,
            contract_id,
            me,
            CASE_ENTRIES
        ),
        offers: read!(
            by_reader!(
                who,
                "SELECT id, from_id, to_id, kind, amount_krw, due_date, scope, note, state, answered_at, number, created_at FROM dispute_offers WHERE ",
                " ORDER BY created_at, id LIMIT ?4"
            ),
            id,
            contract_id,
            me,
            CASE_ENTRIES
        ),
        material: read!(
            by_reader!(
                who,
                "SELECT id, to_id, what, due_by, requested_by, created_at, answered_at, flagged_at FROM dispute_material_requests WHERE ",
                " ORDER BY created_at, id LIMIT ?4"
            ),
            id,
            contract_id,
            me,
            CASE_ENTRIES
        ),
    }
}

/// Everything a dispute action reads, in one batch: the contract's record
/// (as its party sees it) and the dispute's rows.
pub type CaseReads = (ContractReads, DisputeReads);

/// The rows of [`CaseReads`].
#[derive(Debug)]
pub struct CaseRows {
    pub contract: ContractRows,
    pub dispute: DisputeRows,
}

impl From<(ContractRows, DisputeRows)> for CaseRows {
    fn from((contract, dispute): (ContractRows, DisputeRows)) -> Self {
        CaseRows { contract, dispute }
    }
}

pub fn case_reads(id: &str, contract_id: &str, env: &Env) -> CaseReads {
    (
        contract_reads(contract_id, env),
        dispute_reads(id, contract_id, env),
    )
}

/// The dispute, if the caller is one of its parties; 404 for anyone else.
///
/// # Errors
/// 404.
pub fn as_party(d: Option<DisputeRow>, env: &Env) -> Result<DisputeRow, Problem> {
    d.filter(|d| d.client_id == env.caller() || d.partner_id == env.caller())
        .ok_or_else(Problem::not_found)
}

/// The caller's role on contract `c`.
pub fn role_of(c: &ContractRow, member: &str) -> AuthorRole {
    if member == c.client_id {
        AuthorRole::Client
    } else {
        AuthorRole::Partner
    }
}

/// Refused unless the dispute is still the parties' to negotiate or the
/// mediator's (D1, D2).
///
/// # Errors
/// 409 naming the stage.
pub fn still_open(d: &DisputeRow) -> Result<(), Problem> {
    if d.stage.is_open() {
        Ok(())
    } else {
        Err(Problem::conflict("detail.dispute_closed").with("stage", serde_json::json!(d.stage)))
    }
}

/// The conditional update every change to a dispute makes: the loser of
/// two racing changes aborts its whole batch (409).
pub fn bump(d: &DisputeRow) -> [Stmt; 2] {
    [
        stmt!(
            "UPDATE disputes SET version = version + 1 WHERE id = ? AND version = ?",
            d.id.as_str(),
            d.version
        ),
        guard_one_change(),
    ]
}

/// Contracts a dispute may be raised on: formed ones (a draft is not agreed
/// yet; a cancelled one is over).
pub fn disputable(c: &ContractRow) -> Result<(), Problem> {
    if matches!(
        c.state,
        ContractState::InProgress | ContractState::Completed | ContractState::Accepted
    ) {
        Ok(())
    } else {
        Err(Problem::conflict("detail.contract_state").with("state", serde_json::json!(c.state)))
    }
}

/// The other party of the dispute than the caller.
pub fn other<'a>(c: &'a ContractRow, env: &Env) -> &'a str {
    other_party(c, env.caller())
}
