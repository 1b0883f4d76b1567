//! A dispute's case as its parties (and staff) see it (D1–D3): the reply
//! every dispute action answers with, built from the rows as read plus what
//! the action adds, and the notice of a party's change to the other party.

use super::dispute::{
    AuthorRole, CaseRows, DisputeRow, DisputeRows, OfferKind, OfferState, Outcome, Stage,
};
use crate::contracts::contract::{ContractRow, ContractState};
use crate::contracts::record::ContractRows;
use crate::kernel::engine::{Env, Plan};
use crate::kernel::i18n::{fill, msg, Lang};
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::personal_data::place::{
    DISPUTE_CLAIM, DISPUTE_MESSAGE, DISPUTE_OFFER_NOTE, DISPUTE_OFFER_SCOPE, DISPUTE_RELIEF,
};

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
