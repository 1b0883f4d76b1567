//! Rule D1, stage 1: either party of a formed contract raises an objection
//! in writing (what is wrong, and the relief it asks for); the other party
//! answers within 7 KST days — by the end of the 7th KST calendar day after
//! the day it was raised — with a message, an offer or an answer to one.
//! Every message is kept, none editable, all sealed at rest; every text the
//! other party reads is screened for contact details and off-platform
//! dealing (C11: refused with the field named). An answer overdue is
//! flagged once by the sweep, to both parties and the mediators; from then,
//! or once answered, either party may escalate (D2). One dispute is open
//! on a contract at a time; a member an admin restricted raises none until
//! the restriction ends (D5).

use super::case::link;
use super::clocks::{answered, answers_material, ANSWER, ANSWER_DAYS};
use super::dispute::{
    as_party, bump, case_reads, disputable, role_of, still_open, CaseReads, CaseRows,
    DisputeMessageRow, DisputeRow, Stage,
};
use crate::contracts::c11_content::refuse_contact_details;
use crate::contracts::contract::as_party as contract_party;
use crate::kernel::audit::audit;
use crate::kernel::clocks::{self, Due, Fired};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::i18n::{fill, Lang};
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::kernel::types::after_kst_days;
use crate::personal_data::place::{DISPUTE_CLAIM, DISPUTE_MESSAGE, DISPUTE_RELIEF};
use crate::{read, read_set, row, stmt, use_case};

#[derive(Debug, Clone)]
pub struct OpenInput {
    pub contract_id: String,
    /// what is wrong, in writing
    pub claim: String,
    /// what the party asks for
    pub relief: String,
}

row!(
    /// A restriction on raising disputes (D5) in force for the caller.
    pub struct RestrictionRow {
        pub until_day: String,
    }
);

read_set!(pub struct OpenReads => OpenRows {
    restriction: Option<RestrictionRow>,
    open: Option<OpenDisputeRow>,
});

row!(
    pub struct OpenDisputeRow {
        pub id: String,
    }
);

/// `POST /member/contracts/{id}/disputes`: a party raises an objection on
/// a formed contract (D1).
pub struct OpenDispute;
use_case!(OpenDispute, "member.open_dispute", |_uc| Access::Matching, OpenInput => (crate::contracts::record::ContractReads, OpenReads));

impl OpenDispute {
    fn reads(
        &self,
        input: &OpenInput,
        env: &Env,
    ) -> (crate::contracts::record::ContractReads, OpenReads) {
        (
            crate::contracts::record::contract_reads(&input.contract_id, env),
            OpenReads {
                restriction: read!(
                    "SELECT until_day FROM dispute_restrictions WHERE member_id = ? AND lifted_at IS NULL AND until_day >= ? ORDER BY until_day DESC LIMIT 1",
                    env.caller(),
                    crate::kernel::types::kst_date(env.now).to_string()
                ),
                open: read!(
                    "SELECT id FROM disputes WHERE contract_id = ? AND stage IN ('negotiation', 'mediation')",
                    input.contract_id.as_str()
                ),
            },
        )
    }

    fn decide(
        &self,
        input: OpenInput,
        (contract, open): (crate::contracts::record::ContractRows, OpenRows),
        env: &Env,
    ) -> Result<Plan, Problem> {
        let c = contract_party(contract.contract.clone(), env)?;
        if let Some(r) = open.restriction {
            // D5: refused until the restriction ends, and said so.
            return Err(Problem::forbidden("detail.dispute_restricted")
                .with("until", serde_json::json!(r.until_day)));
        }
        disputable(&c)?;
        if let Some(o) = open.open {
            return Err(Problem::conflict("detail.dispute_open")
                .with("dispute_id", serde_json::json!(o.id)));
        }
        // C11: the other party reads both.
        refuse_contact_details(&[("claim", &input.claim), ("relief", &input.relief)])?;
        let id = new_id(env.rng, "dsp");
        let now = env.now.to_rfc3339();
        let answer_by = after_kst_days(env.now, ANSWER_DAYS);
        let respondent = crate::contracts::contract::other_party(&c, env.caller()).to_owned();
        let d = DisputeRow {
            id: id.clone(),
            contract_id: c.id.clone(),
            client_id: c.client_id.clone(),
            partner_id: c.partner_id.clone(),
            raised_by: env.caller().to_owned(),
            respondent_id: respondent.clone(),
            stage: Stage::Negotiation,
            claim: SealedText::seal(env, DISPUTE_CLAIM, &id, &input.claim),
            relief: SealedText::seal(env, DISPUTE_RELIEF, &id, &input.relief),
            answer_by: answer_by.to_rfc3339(),
            answered_at: None,
            flagged_at: None,
            settled_offer: None,
            closed_at: None,
            closed_by: None,
            retention_class: crate::personal_data::RecordClass::Dispute3y
                .as_str()
                .to_owned(),
            version: 1,
            created_at: now.clone(),
            escalated_at: None,
            escalated_by: None,
            mediator_id: None,
            assigned_at: None,
            assigned_by: None,
            frozen_sha256: None,
            frozen_enc: None,
            opinion_due: None,
            opinion_by: None,
            opinion_flagged_at: None,
            opinion_enc: None,
            opinion_at: None,
            outcome_kind: None,
            outcome_amount_krw: None,
            outcome_due_date: None,
            outcome_scope: None,
            client_accepted_at: None,
            partner_accepted_at: None,
            referred_at: None,
            referred_by: None,
            pack_sha256: None,
            pack_html_sha256: None,
        };
        let mut writes = vec![
            stmt!(
                "INSERT INTO disputes (id, contract_id, client_id, partner_id, raised_by, respondent_id, stage, claim, relief, answer_by, retention_class, version, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, 'negotiation', ?, ?, ?, ?, 1, ?)",
                d.id.as_str(),
                d.contract_id.as_str(),
                d.client_id.as_str(),
                d.partner_id.as_str(),
                d.raised_by.as_str(),
                d.respondent_id.as_str(),
                &d.claim,
                &d.relief,
                d.answer_by.as_str(),
                d.retention_class.as_str(),
                now.as_str()
            ),
            clocks::open(
                env,
                &Due {
                    kind: &ANSWER,
                    subject: &id,
                    record: format!("dispute/{}/{id}", c.id),
                    actor: &respondent,
                    party: Some(env.caller()),
                    last_day: clocks::last_day(answer_by),
                },
            ),
            stmt!(
                "INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES (?, ?, ?, 'dispute.raised', ?)",
                c.id.as_str(),
                now.as_str(),
                env.caller(),
                id.as_str()
            ),
            audit(env, env.caller(), "dispute.raised", &c.id, &id),
        ];
        let rows = CaseRows {
            contract,
            dispute: super::dispute::DisputeRows {
                dispute: None,
                messages: vec![],
                attachments: vec![],
                offers: vec![],
                material: vec![],
            },
        };
        let plan = rows.answer(
            201,
            &d,
            &c,
            std::mem::take(&mut writes),
            "notice.dispute.raised",
            true,
            env,
        )?;
        // A second dispute racing this one: the unique index refuses it.
        Ok(plan.conflict_means(Problem::conflict("detail.dispute_open")))
    }
}

#[derive(Debug, Clone)]
pub struct DisputeMessageInput {
    pub contract_id: String,
    pub dispute_id: String,
    pub body: String,
}

/// `POST /member/contracts/{id}/disputes/{dispute_id}/messages`: a party
/// writes on the dispute; the respondent's first message answers it (D1).
pub struct PostDisputeMessage;
use_case!(PostDisputeMessage, "member.dispute_message", |_uc| Access::Matching, DisputeMessageInput => CaseReads);

impl PostDisputeMessage {
    fn reads(&self, input: &DisputeMessageInput, env: &Env) -> CaseReads {
        case_reads(&input.dispute_id, &input.contract_id, env)
    }

    fn decide(
        &self,
        input: DisputeMessageInput,
        rows: <CaseReads as crate::kernel::reads::ReadSet>::Rows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut rows = CaseRows::from(rows);
        let c = contract_party(rows.contract.contract.clone(), env)?;
        let mut d = as_party(rows.dispute.dispute.clone(), env)?;
        still_open(&d)?;
        refuse_contact_details(&[("body", &input.body)])?;
        let id = new_id(env.rng, "dmsg");
        let now = env.now.to_rfc3339();
        let body = SealedText::seal(env, DISPUTE_MESSAGE, &id, &input.body);
        let role = role_of(&c, env.caller());
        let mut writes = bump(&d).to_vec();
        writes.push(stmt!(
            "INSERT INTO dispute_messages (id, dispute_id, author_id, author_role, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            id.as_str(),
            d.id.as_str(),
            env.caller(),
            role,
            &body,
            now.as_str()
        ));
        writes.extend(answered(&mut d, env));
        writes.extend(answers_material(&mut rows.dispute, env));
        d.version += 1;
        rows.dispute.messages.push(DisputeMessageRow {
            id,
            author_id: env.caller().to_owned(),
            author_role: role,
            body,
            created_at: now,
        });
        Ok(rows
            .answer(201, &d, &c, writes, "notice.dispute.message", false, env)?
            .conflict_means(Problem::conflict("detail.dispute_changed")))
    }
}

/// `GET /member/contracts/{id}/disputes/{dispute_id}`: the case as its
/// parties see it.
pub struct ViewDispute;
use_case!(ViewDispute, "member.dispute", |_uc| Access::Matching, (String, String) => CaseReads);

impl ViewDispute {
    fn reads(&self, (contract_id, id): &(String, String), env: &Env) -> CaseReads {
        case_reads(id, contract_id, env)
    }

    fn decide(
        &self,
        _: (String, String),
        rows: <CaseReads as crate::kernel::reads::ReadSet>::Rows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let rows = CaseRows::from(rows);
        let c = contract_party(rows.contract.contract.clone(), env)?;
        let d = as_party(rows.dispute.dispute.clone(), env)?;
        Ok(Plan::ok(200, rows.case(&d, &c, env)?, vec![]))
    }
}

row!(
    pub struct DisputeListRow {
        pub id: String,
        pub contract_id: String,
        pub client_id: String,
        pub partner_id: String,
        pub client_company: Option<String>,
        pub partner_company: Option<String>,
        pub raised_by: String,
        pub respondent_id: String,
        pub stage: Stage,
        pub answer_by: String,
        pub answered_at: Option<String>,
        pub flagged_at: Option<String>,
        pub closed_at: Option<String>,
        pub created_at: String,
    }
);

read_set!(pub struct ListReads => ListRows { disputes: Vec<DisputeListRow> });

crate::reply!(
    /// The caller's disputes, newest first (at most 200).
    pub struct Disputes {
        pub disputes: Vec<DisputeListing>,
    }
    pub struct DisputeListing {
        pub dispute_id: String,
        pub contract_id: String,
        pub client_id: String,
        pub partner_id: String,
        pub client_company: Option<String>,
        pub partner_company: Option<String>,
        pub raised_by: String,
        pub respondent_id: String,
        pub stage: Stage,
        /// the end of the respondent's 7 KST days (D1)
        pub answer_by: String,
        pub answered_at: Option<String>,
        pub flagged_at: Option<String>,
        pub closed_at: Option<String>,
        pub created_at: String,
    }
);

/// `GET /member/disputes`: the disputes on the caller's contracts.
pub struct ListDisputes;
use_case!(ListDisputes, "member.disputes", |_uc| Access::Matching, () => ListReads);

impl ListDisputes {
    fn reads(&self, _: &(), env: &Env) -> ListReads {
        ListReads {
            disputes: read!(
                "SELECT d.id, d.contract_id, d.client_id, d.partner_id, cm.company_name AS client_company, pm.company_name AS partner_company,
                        d.raised_by, d.respondent_id, d.stage, d.answer_by, d.answered_at, d.flagged_at, d.closed_at, d.created_at
                 FROM disputes d LEFT JOIN members cm ON cm.id = d.client_id LEFT JOIN members pm ON pm.id = d.partner_id
                 WHERE ?1 IN (d.client_id, d.partner_id) ORDER BY d.created_at DESC, d.id LIMIT 200",
                env.caller()
            ),
        }
    }

    fn decide(&self, _: (), rows: ListRows, _: &Env) -> Result<Plan, Problem> {
        let disputes = rows
            .disputes
            .into_iter()
            .map(|d| DisputeListing {
                dispute_id: d.id,
                contract_id: d.contract_id,
                client_id: d.client_id,
                partner_id: d.partner_id,
                client_company: d.client_company,
                partner_company: d.partner_company,
                raised_by: d.raised_by,
                respondent_id: d.respondent_id,
                stage: d.stage,
                answer_by: d.answer_by,
                answered_at: d.answered_at,
                flagged_at: d.flagged_at,
                closed_at: d.closed_at,
                created_at: d.created_at,
            })
            .collect();
        Ok(Plan::ok(200, Disputes { disputes }, vec![]))
    }
}

row!(
    pub struct OverdueAnswer {
        pub clock_id: String,
        pub id: String,
        pub contract_id: String,
        pub raised_by: String,
        pub respondent_id: String,
        pub raiser_email: Option<String>,
        pub respondent_email: Option<String>,
    }
);

read_set!(pub struct OverdueReads => OverdueRows { due: Vec<OverdueAnswer> });

/// The sweep step (D1): a respondent's answer past its day is flagged
/// once, on the dispute and the contract's history, and by e-mail to both
/// parties; from then either may escalate (D2).
pub struct FlagUnanswered {
    /// Moves this step's clock (local development's tests only; 0 elsewhere).
    pub clock_offset_secs: i64,
}

/// Disputes flagged a run at most.
const FLAGGED_PER_RUN: usize = crate::kernel::sweep::items(FlagUnanswered::BUDGET, 7);

impl Step for FlagUnanswered {
    type Reads = OverdueReads;
    const NAME: &'static str = "dispute_answers_overdue";
    /// The clock fired (2), the flag, history, audit and two e-mails: 7
    /// statements a dispute.
    const BUDGET: usize = 70;

    fn reads(&self, env: &Env) -> OverdueReads {
        let now = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        OverdueReads {
            due: read!(
                concat!(
                    "SELECT k.id AS clock_id, d.id, d.contract_id, d.raised_by, d.respondent_id,
                       r.email_enc AS raiser_email, a.email_enc AS respondent_email
                     FROM clocks k JOIN disputes d ON d.id = k.subject
                       LEFT JOIN members r ON r.id = d.raised_by LEFT JOIN members a ON a.id = d.respondent_id WHERE ",
                    crate::clocks_due!()
                ),
                ANSWER.name,
                now.to_rfc3339(),
                FLAGGED_PER_RUN as i64
            ),
        }
    }

    fn plan(&self, rows: OverdueRows, env: &Env) -> StepOutcome {
        let mut out = StepOutcome {
            more: rows.due.len() == FLAGGED_PER_RUN,
            ..StepOutcome::default()
        };
        let when = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        let now = when.to_rfc3339();
        for d in &rows.due {
            out.count += 1;
            out.writes
                .extend(clocks::fire(&d.clock_id, when, Fired::Flags));
            out.writes.push(stmt!(
                "UPDATE disputes SET flagged_at = ? WHERE id = ? AND flagged_at IS NULL",
                now.as_str(),
                d.id.as_str()
            ));
            out.writes.push(stmt!(
                "INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES (?, ?, 'system', 'dispute.answer_overdue', ?)",
                d.contract_id.as_str(),
                now.as_str(),
                d.id.as_str()
            ));
            out.writes.push(audit(
                env,
                "system",
                "dispute.answer_overdue",
                &d.contract_id,
                &d.id,
            ));
            let text = fill(
                "notice.dispute.answer_overdue",
                Lang::Ko,
                &[("link", &link(env, &d.contract_id, &d.id))],
            );
            for (member, sealed) in [
                (&d.raised_by, &d.raiser_email),
                (&d.respondent_id, &d.respondent_email),
            ] {
                let to = Contact {
                    member_id: member,
                    email_enc: sealed.as_deref(),
                    phone_enc: None,
                };
                let (n, e) = to_member(env, to, "dispute_answer_overdue", &text, false);
                out.writes.extend(n);
                out.effects.extend(e);
            }
        }
        out
    }
}
