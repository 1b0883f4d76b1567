//! A dispute as its parties see it: its rows, the reads that make it (each
//! bound to the caller: a party reads only a dispute on a contract it is a
//! party to), the case it answers with, and the notice of a change to the
//! other party. Every dispute action reads the contract's record too
//! ([`case_reads`]): a settlement changes the contract in the same batch.

use crate::contracts::contract::{other_party, ContractRow, ContractState};
use crate::contracts::record::{contract_reads, ContractReads, ContractRows};
use crate::kernel::engine::{guard_one_change, Env, Plan};
use crate::kernel::i18n::{fill, msg, Lang};
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::personal_data::place::{
    DISPUTE_CLAIM, DISPUTE_MESSAGE, DISPUTE_OFFER_NOTE, DISPUTE_OFFER_SCOPE, DISPUTE_RELIEF,
};
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

crate::reply!(
    /// A dispute as its parties see it (D1): the objection, every message,
    /// file and offer, oldest first, and its deadlines.
    @personal pub struct DisputeCase {
        pub dispute_id: String,
        pub contract_id: String,
        /// the contract's current version's title
        pub title: String,
        pub client_id: String,
        pub partner_id: String,
        pub client_company: Option<String>,
        pub partner_company: Option<String>,
        /// the party who raised it
        pub raised_by: String,
        /// the party who answers it
        pub respondent_id: String,
        /// `negotiation`, `mediation`, `arbitration`, `settled`, `withdrawn`
        pub stage: Stage,
        /// the objection, as its party wrote it
        pub claim: String,
        /// what that party asks for
        pub relief: String,
        /// the first instant the respondent's answer is late: the end of the
        /// 7th KST calendar day after the day it was raised (D1)
        pub answer_by: String,
        pub answered_at: Option<String>,
        /// when the sweep flagged the answer as overdue
        pub flagged_at: Option<String>,
        /// either party may escalate to the platform's mediation now (D2):
        /// the respondent answered, or its answer is overdue
        pub can_escalate: bool,
        /// the offer whose acceptance settled it
        pub settled_offer: Option<String>,
        pub closed_at: Option<String>,
        pub closed_by: Option<String>,
        /// kept 3 years after it closed (D7)
        pub retention_class: String,
        /// changes with every change to the dispute
        pub revision: i64,
        /// the contract as it stands: its state and formed terms
        pub contract: DisputedContract,
        pub messages: Vec<DisputeMessage>,
        pub attachments: Vec<DisputeAttachment>,
        pub offers: Vec<DisputeOffer>,
        /// stage 2 (D2): the escalation, the mediator, the frozen record,
        /// the opinion and the parties' answers to it
        pub mediation: Option<Mediation>,
        /// stage 3 (D3): the referral to the KCAB and the filing pack
        pub arbitration: Option<Arbitration>,
        pub created_at: String,
    }
    pub struct Arbitration {
        pub referred_at: String,
        /// the party who referred it
        pub referred_by: String,
        /// the SHA-256 of the filing pack's JSON (`GET …/pack`), byte for
        /// byte: a party shows with it that the pack was not altered
        pub pack_sha256: String,
        /// the SHA-256 of its Korean rendering (`GET …/pack.html`)
        pub pack_html_sha256: String,
    }
    pub struct Mediation {
        pub escalated_at: String,
        pub escalated_by: String,
        /// the mediator assigned (none yet: an owner assigns one)
        pub mediator_id: Option<String>,
        pub assigned_at: Option<String>,
        /// `system` (the mediator with the fewest open cases) or the owner
        pub assigned_by: Option<String>,
        /// the SHA-256 of the case as it stood at escalation (its text:
        /// `GET …/frozen`), what the mediator was given
        pub frozen_sha256: String,
        /// the first instant the opinion is late: the end of the 15th KST
        /// calendar day after the escalation's day (D2)
        pub opinion_due: String,
        /// when the sweep flagged the opinion as overdue
        pub opinion_flagged_at: Option<String>,
        pub opinion: Option<Opinion>,
        /// what the mediator asked each party for, and by when
        pub material: Vec<MaterialRequest>,
    }
    pub struct Opinion {
        pub given_at: String,
        pub given_by: String,
        /// the facts as the mediator found them
        pub facts: String,
        /// the contract's clauses it rests on
        pub clauses: Vec<String>,
        /// the proposed outcome: settlement terms, or `none` (the contract
        /// stands)
        pub outcome: Outcome,
        pub amount_krw: Option<i64>,
        pub due_date: Option<String>,
        pub scope: Option<String>,
        pub reasons: String,
        /// each party's acceptance; with both, the outcome applies
        pub client_accepted_at: Option<String>,
        pub partner_accepted_at: Option<String>,
    }
    pub struct MaterialRequest {
        pub request_id: String,
        /// the party asked
        pub to_id: String,
        pub what: String,
        /// the first instant the material is late (the end of its KST day)
        pub due_by: String,
        pub requested_by: String,
        pub created_at: String,
        /// the party's next message or file after the request answers it
        pub answered_at: Option<String>,
        pub flagged_at: Option<String>,
    }
    pub struct DisputedContract {
        pub state: ContractState,
        pub formed_version: Option<i64>,
        pub amount_krw: Option<i64>,
        /// KST calendar date
        pub due_date: Option<String>,
        /// the SHA-256 of the formed version's canonical content (C2)
        pub sha256: Option<String>,
    }
    pub struct DisputeMessage {
        pub message_id: String,
        pub author_id: String,
        /// `client`, `partner`, `mediator`
        pub author_role: AuthorRole,
        pub body: String,
        pub created_at: String,
    }
    pub struct DisputeAttachment {
        pub attachment_id: String,
        pub author_id: String,
        /// the type its bytes show
        pub content_type: String,
        pub bytes: i64,
        /// the SHA-256 of the file
        pub sha256: String,
        pub created_at: String,
    }
    pub struct DisputeOffer {
        pub offer_id: String,
        pub from_id: String,
        pub to_id: String,
        /// `amount`, `redo`, `due_date`, `cancel`
        pub kind: OfferKind,
        /// the new contract amount (`amount`)
        pub amount_krw: Option<i64>,
        /// the new due date, or the date to redo by (KST calendar date)
        pub due_date: Option<String>,
        /// what to redo (`redo`)
        pub scope: Option<String>,
        /// why, for the other party
        pub note: Option<String>,
        /// `open`, `accepted`, `declined`, `withdrawn`, `void`
        pub state: OfferState,
        pub answered_at: Option<String>,
        /// the contract version an accepted offer made
        pub number: Option<i64>,
        pub created_at: String,
    }
);

/// The rows of one dispute action: the contract's and the dispute's, as
/// read, with what the action adds.
impl CaseRows {
    /// The case of these rows, with `d` as it is after the change.
    ///
    /// # Errors
    /// A 500 when sealed words do not open (another key).
    pub fn case(&self, d: &DisputeRow, c: &ContractRow, env: &Env) -> Result<DisputeCase, Problem> {
        case(d, c, &self.contract, &self.dispute, env)
    }

    /// The answer to a party's change: the case after it, the writes, and
    /// the notice `what` (a message key) to the other party, by text
    /// message too when it starts a deadline for its reader.
    ///
    /// # Errors
    /// A 500 when sealed words do not open.
    pub fn answer(
        &self,
        status: u16,
        d: &DisputeRow,
        c: &ContractRow,
        mut writes: Vec<Stmt>,
        what: &str,
        deadline: bool,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let case = self.case(d, c, env)?;
        let (n, e) = notice(&self.contract, &case, what, deadline, env);
        writes.extend(n);
        Ok(Plan::ok(status, case, writes).effects(e))
    }
}

/// The page of a dispute, as a link in a notice.
pub fn link(env: &Env, contract_id: &str, id: &str) -> String {
    env.config
        .area::<crate::kernel::notify::Links>()
        .app(&format!("contracts/{contract_id}/disputes/{id}"))
}

/// The notice of a change to the party who did not make it.
fn notice(
    rows: &ContractRows,
    case: &DisputeCase,
    what: &str,
    deadline: bool,
    env: &Env,
) -> (Vec<Stmt>, Vec<crate::kernel::engine::Effect>) {
    let Some(p) = rows.location.as_ref() else {
        return (vec![], vec![]);
    };
    let me = env.caller();
    let (to, company) = if me == case.client_id {
        (
            Contact {
                member_id: &case.partner_id,
                email_enc: p.partner_email.as_deref(),
                phone_enc: p.partner_phone.as_deref(),
            },
            case.client_company.as_deref(),
        )
    } else {
        (
            Contact {
                member_id: &case.client_id,
                email_enc: p.client_email.as_deref(),
                phone_enc: p.client_phone.as_deref(),
            },
            case.partner_company.as_deref(),
        )
    };
    let lang = Lang::Ko;
    let mut said = msg(what, lang).to_owned();
    if deadline {
        said.push(' ');
        said.push_str(&fill(
            "notice.dispute.answer_by",
            lang,
            &[(
                "date",
                &crate::contracts::notices::last_day(&case.answer_by, lang),
            )],
        ));
    }
    let text = fill(
        "notice.dispute",
        lang,
        &[
            ("title", &case.title),
            ("company", company.unwrap_or_default()),
            ("what", &said),
            ("link", &link(env, &case.contract_id, &case.dispute_id)),
        ],
    );
    to_member(env, to, "dispute", &text, deadline)
}

/// The case of dispute `d` on contract `c` from their rows.
fn case(
    d: &DisputeRow,
    c: &ContractRow,
    contract: &ContractRows,
    rows: &DisputeRows,
    env: &Env,
) -> Result<DisputeCase, Problem> {
    let keys = env.keys;
    let formed = contract
        .versions
        .iter()
        .find(|v| Some(v.number) == c.formed_version);
    let title = contract
        .versions
        .iter()
        .find(|v| v.number == c.current_version)
        .map(|v| v.terms(keys, &c.id).map(|t| t.title))
        .transpose()?
        .unwrap_or_default();
    let answered = d.answered_at.is_some();
    let overdue = d.flagged_at.is_some()
        || crate::kernel::types::parse_instant(Some(&d.answer_by))
            .is_some_and(|due| env.now >= due);
    Ok(DisputeCase {
        dispute_id: d.id.clone(),
        contract_id: d.contract_id.clone(),
        title,
        client_id: d.client_id.clone(),
        partner_id: d.partner_id.clone(),
        client_company: contract
            .location
            .as_ref()
            .and_then(|l| l.client_company.clone()),
        partner_company: contract
            .location
            .as_ref()
            .and_then(|l| l.partner_company.clone()),
        raised_by: d.raised_by.clone(),
        respondent_id: d.respondent_id.clone(),
        stage: d.stage,
        claim: d.claim.open(keys, DISPUTE_CLAIM, &d.id)?,
        relief: d.relief.open(keys, DISPUTE_RELIEF, &d.id)?,
        answer_by: d.answer_by.clone(),
        answered_at: d.answered_at.clone(),
        flagged_at: d.flagged_at.clone(),
        can_escalate: d.stage == Stage::Negotiation && (answered || overdue),
        settled_offer: d.settled_offer.clone(),
        closed_at: d.closed_at.clone(),
        closed_by: d.closed_by.clone(),
        retention_class: d.retention_class.clone(),
        revision: d.version,
        contract: DisputedContract {
            state: c.state,
            formed_version: c.formed_version,
            amount_krw: formed.map(|v| v.amount_krw),
            due_date: formed.map(|v| v.due_date.clone()),
            sha256: formed.map(|v| v.sha256.clone()),
        },
        messages: rows
            .messages
            .iter()
            .map(|m| {
                Ok(DisputeMessage {
                    message_id: m.id.clone(),
                    author_id: m.author_id.clone(),
                    author_role: m.author_role,
                    body: m.body.open(keys, DISPUTE_MESSAGE, &m.id)?,
                    created_at: m.created_at.clone(),
                })
            })
            .collect::<Result<_, Problem>>()?,
        attachments: rows
            .attachments
            .iter()
            .map(|a| DisputeAttachment {
                attachment_id: a.id.clone(),
                author_id: a.author_id.clone(),
                content_type: a.content_type.clone(),
                bytes: a.bytes,
                sha256: a.sha256.clone(),
                created_at: a.created_at.clone(),
            })
            .collect(),
        offers: rows
            .offers
            .iter()
            .map(|o| {
                Ok(DisputeOffer {
                    offer_id: o.id.clone(),
                    from_id: o.from_id.clone(),
                    to_id: o.to_id.clone(),
                    kind: o.kind,
                    amount_krw: o.amount_krw,
                    due_date: o.due_date.clone(),
                    scope: crate::kernel::sealed::open_opt(
                        &o.scope,
                        keys,
                        DISPUTE_OFFER_SCOPE,
                        &o.id,
                    )?,
                    note: crate::kernel::sealed::open_opt(
                        &o.note,
                        keys,
                        DISPUTE_OFFER_NOTE,
                        &o.id,
                    )?,
                    state: o.state,
                    answered_at: o.answered_at.clone(),
                    number: o.number,
                    created_at: o.created_at.clone(),
                })
            })
            .collect::<Result<_, Problem>>()?,
        mediation: mediation(d, rows, env)?,
        arbitration: match (
            &d.referred_at,
            &d.referred_by,
            &d.pack_sha256,
            &d.pack_html_sha256,
        ) {
            (Some(at), Some(by), Some(json), Some(html)) => Some(Arbitration {
                referred_at: at.clone(),
                referred_by: by.clone(),
                pack_sha256: json.clone(),
                pack_html_sha256: html.clone(),
            }),
            _ => None,
        },
        created_at: d.created_at.clone(),
    })
}

/// Where the frozen case and the opinion are sealed.
pub fn frozen_place(id: &str) -> String {
    crate::kernel::crypto::at("disputes.frozen", id)
}
pub fn opinion_place(id: &str) -> String {
    crate::kernel::crypto::at("disputes.opinion", id)
}

/// The words of an opinion, as sealed in `opinion_enc`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct OpinionText {
    pub facts: String,
    pub clauses: Vec<String>,
    pub reasons: String,
}

fn mediation(d: &DisputeRow, rows: &DisputeRows, env: &Env) -> Result<Option<Mediation>, Problem> {
    let (Some(at), Some(by), Some(hash), Some(due)) = (
        &d.escalated_at,
        &d.escalated_by,
        &d.frozen_sha256,
        &d.opinion_due,
    ) else {
        return Ok(None);
    };
    let keys = env.keys;
    let opinion = match (&d.opinion_enc, &d.opinion_at, &d.opinion_by, d.outcome_kind) {
        (Some(sealed), Some(given_at), Some(given_by), Some(outcome)) => {
            let text: OpinionText = keys
                .open_at(&opinion_place(&d.id), sealed)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .ok_or_else(Problem::internal)?;
            Some(Opinion {
                given_at: given_at.clone(),
                given_by: given_by.clone(),
                facts: text.facts,
                clauses: text.clauses,
                outcome,
                amount_krw: d.outcome_amount_krw,
                due_date: d.outcome_due_date.clone(),
                scope: crate::kernel::sealed::open_opt(
                    &d.outcome_scope,
                    keys,
                    crate::personal_data::place::DISPUTE_OUTCOME_SCOPE,
                    &d.id,
                )?,
                reasons: text.reasons,
                client_accepted_at: d.client_accepted_at.clone(),
                partner_accepted_at: d.partner_accepted_at.clone(),
            })
        }
        _ => None,
    };
    Ok(Some(Mediation {
        escalated_at: at.clone(),
        escalated_by: by.clone(),
        mediator_id: d.mediator_id.clone(),
        assigned_at: d.assigned_at.clone(),
        assigned_by: d.assigned_by.clone(),
        frozen_sha256: hash.clone(),
        opinion_due: due.clone(),
        opinion_flagged_at: d.opinion_flagged_at.clone(),
        opinion,
        material: rows
            .material
            .iter()
            .map(|m| {
                Ok(MaterialRequest {
                    request_id: m.id.clone(),
                    to_id: m.to_id.clone(),
                    what: m.what.open(
                        keys,
                        crate::personal_data::place::DISPUTE_MATERIAL,
                        &m.id,
                    )?,
                    due_by: m.due_by.clone(),
                    requested_by: m.requested_by.clone(),
                    created_at: m.created_at.clone(),
                    answered_at: m.answered_at.clone(),
                    flagged_at: m.flagged_at.clone(),
                })
            })
            .collect::<Result<_, Problem>>()?,
    }))
}

/// The other party of the dispute than the caller.
pub fn other<'a>(c: &'a ContractRow, env: &Env) -> &'a str {
    other_party(c, env.caller())
}
