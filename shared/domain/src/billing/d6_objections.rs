//! Rule D6 (seed 003 §29): a member objects to an invoice within 10 KST
//! days of its sending, naming the disputed part of its total and why;
//! billing staff answer within 7 KST days (a clock, `billing_objection`)
//! or, when they cannot, name a new day with the reason (the clock
//! extended, the member told). While the objection is open the disputed
//! amount bears no late fee (`b1_run`: it is left out of the overdue
//! amount); the rest of the invoice does. An answer that upholds the
//! objection corrects lines: each correction is a reversal on the next
//! invoice (the ledger is never edited).

use super::b1_invoices::{one_reads, LineRow, OneReads, OneRows};
use super::b1_plans::BILLING_ROLES;
use crate::kernel::audit::audit;
use crate::kernel::clocks::{self, Due, Kind};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::i18n::{fill, Lang};
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::kernel::sealed::{open_opt, SealedText};
use crate::kernel::types::{kst_date, parse_instant, Krw};
use crate::personal_data::place::{BILLING_OBJECTION_ANSWER, BILLING_OBJECTION_REASON};
use crate::{read, read_set, row, stmt, use_case};
use chrono::{Days, NaiveDate};
use serde_json::json;

/// KST days after the day an invoice was sent that a member may object.
pub const WINDOW_DAYS: u64 = 10;

/// KST days billing staff have to answer.
pub const ANSWER_DAYS: u64 = 7;

/// An objection to an invoice, a clock: billing staff act, the member waits.
pub const BILLING_OBJECTION: Kind = Kind {
    name: "billing_objection",
    watchers: &[AdminRole::Billing],
};

/// The last KST day to object to an invoice sent at `issued_at`.
pub fn last_day_to_object(issued_on: NaiveDate) -> NaiveDate {
    issued_on
        .checked_add_days(Days::new(WINDOW_DAYS))
        .unwrap_or(issued_on)
}

crate::text_enum!(
    /// What the answer decided.
    pub enum ObjectionOutcome {
        Upheld = "upheld",
        PartlyUpheld = "partly_upheld",
        Rejected = "rejected",
    }
);

crate::reply!(
    /// An objection to an invoice and its answer (D6).
    @personal pub struct BillingObjection {
        pub objection_id: String,
        pub invoice_id: String,
        pub member_id: String,
        /// the part of the invoice's total disputed
        pub disputed_krw: i64,
        pub reason: String,
        /// `open`, `answered`
        pub state: String,
        /// the last KST day to answer (later when billing staff named a new day)
        pub answer_by: Option<String>,
        /// how often a new day was named
        pub extensions: i64,
        pub outcome: Option<ObjectionOutcome>,
        pub answer: Option<String>,
        /// what the answer reverses on the next invoice
        pub credited_krw: i64,
        pub answered_at: Option<String>,
        pub created_at: String,
    }
    @personal pub struct BillingObjections {
        pub objections: Vec<BillingObjection>,
    }
);

row!(
    pub struct ObjectionRow {
        pub id: String,
        pub invoice_id: String,
        pub member_id: String,
        pub disputed_krw: i64,
        pub reason: SealedText,
        pub state: String,
        pub outcome: Option<ObjectionOutcome>,
        pub answer: Option<SealedText>,
        pub credited_krw: i64,
        pub answered_at: Option<String>,
        pub version: i64,
        pub created_at: String,
        pub answer_by: Option<String>,
        pub extensions: Option<i64>,
        pub email_enc: Option<String>,
    }
);

impl ObjectionRow {
    fn view(&self, env: &Env) -> Result<BillingObjection, Problem> {
        Ok(BillingObjection {
            objection_id: self.id.clone(),
            invoice_id: self.invoice_id.clone(),
            member_id: self.member_id.clone(),
            disputed_krw: self.disputed_krw,
            reason: self.reason.open(env.keys, BILLING_OBJECTION_REASON, &self.id)?,
            state: self.state.clone(),
            answer_by: self.answer_by.clone(),
            extensions: self.extensions.unwrap_or(0),
            outcome: self.outcome,
            answer: open_opt(&self.answer, env.keys, BILLING_OBJECTION_ANSWER, &self.id)?,
            credited_krw: self.credited_krw,
            answered_at: self.answered_at.clone(),
            created_at: self.created_at.clone(),
        })
    }
}

/// An objection's columns, with its clock's day and its member's e-mail.
macro_rules! objections {
    ($where:literal) => {
        concat!(
            "SELECT o.id, o.invoice_id, o.member_id, o.disputed_krw, o.reason, o.state, o.outcome, o.answer,
               o.credited_krw, o.answered_at, o.version, o.created_at,
               k.due_day AS answer_by, k.extensions, m.email_enc
             FROM billing_objections o JOIN members m ON m.id = o.member_id
             LEFT JOIN clocks k ON k.kind = 'billing_objection' AND k.subject = o.id AND k.state = 'open'
             WHERE ",
            $where
        )
    };
}

read_set!(pub struct ObjectionsReads => ObjectionsRows { objections: Vec<ObjectionRow> });

/// The member's e-mail about its objection: the text `key` filled with
/// the invoice and `more`.
fn tell(
    env: &Env,
    o: &ObjectionRow,
    key: &str,
    more: &[(&str, &str)],
) -> (Vec<crate::kernel::ports::Stmt>, Vec<crate::kernel::engine::Effect>) {
    let mut params = vec![("invoice", o.invoice_id.as_str())];
    params.extend_from_slice(more);
    let text = fill(key, Lang::Ko, &params);
    to_member(
        env,
        Contact {
            member_id: &o.member_id,
            email_enc: o.email_enc.as_deref(),
            phone_enc: None,
        },
        "billing_objection",
        &text,
        false,
    )
}

fn views(rows: &[ObjectionRow], env: &Env) -> Result<Vec<BillingObjection>, Problem> {
    rows.iter().map(|o| o.view(env)).collect()
}

#[derive(Debug, Clone)]
pub struct ObjectInput {
    pub invoice_id: String,
    pub disputed: Krw,
    pub reason: String,
}

read_set!(pub struct OpenReads => OpenRows { open: Option<Count> });

/// `POST /member/invoices/{id}/objections`: the member objects to its
/// invoice within 10 KST days of its sending (D6).
pub struct ObjectToInvoice;
use_case!(ObjectToInvoice, "member.billing_objection", |_uc| Access::Member, ObjectInput => (OneReads, OpenReads));

impl ObjectToInvoice {
    fn reads(&self, input: &ObjectInput, _: &Env) -> (OneReads, OpenReads) {
        (
            one_reads(&input.invoice_id),
            OpenReads {
                open: read!(
                    "SELECT 1 AS n FROM billing_objections WHERE invoice_id = ? AND state = 'open'",
                    input.invoice_id.as_str()
                ),
            },
        )
    }

    fn decide(
        &self,
        input: ObjectInput,
        (rows, open): (OneRows, OpenRows),
        env: &Env,
    ) -> Result<Plan, Problem> {
        let inv = rows
            .invoice
            .filter(|i| i.member_id == env.caller())
            .ok_or_else(Problem::not_found)?;
        let today = kst_date(env.now);
        let sent = parse_instant(Some(&inv.issued_at)).map_or(today, kst_date);
        let until = last_day_to_object(sent);
        if today > until {
            return Err(Problem::conflict("detail.objection_window_closed")
                .with("until", json!(until.to_string())));
        }
        if open.open.is_some() {
            return Err(Problem::conflict("detail.objection_open"));
        }
        if input.disputed.won() > inv.total_krw {
            return Err(Problem::field("disputed_krw", "detail.objection_over_total")
                .with("total_krw", json!(inv.total_krw)));
        }
        let id = new_id(env.rng, "bob");
        let now = env.now.to_rfc3339();
        let answer_by = today
            .checked_add_days(Days::new(ANSWER_DAYS))
            .unwrap_or(today);
        let reason = SealedText::seal(env, BILLING_OBJECTION_REASON, &id, &input.reason);
        let writes = vec![
            stmt!(
                "INSERT INTO billing_objections (id, invoice_id, member_id, disputed_krw, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                id.as_str(),
                inv.id.as_str(),
                env.caller(),
                input.disputed,
                &reason,
                now.as_str()
            ),
            clocks::open(
                env,
                &Due {
                    kind: &BILLING_OBJECTION,
                    subject: &id,
                    record: format!("billing_objection/{id}"),
                    actor: "billing",
                    party: Some(env.caller()),
                    last_day: answer_by,
                },
            ),
            audit(env, env.caller(), "billing.objection", env.caller(), &id),
        ];
        Ok(Plan::ok(
            201,
            BillingObjection {
                objection_id: id,
                invoice_id: inv.id,
                member_id: env.caller().to_owned(),
                disputed_krw: input.disputed.won(),
                reason: input.reason,
                state: "open".into(),
                answer_by: Some(answer_by.to_string()),
                extensions: 0,
                outcome: None,
                answer: None,
                credited_krw: 0,
                answered_at: None,
                created_at: now,
            },
            writes,
        )
        .conflict_means(Problem::conflict("detail.objection_open")))
    }
}

/// `GET /member/billing-objections`: the member's objections, newest first.
pub struct MyBillingObjections;
use_case!(MyBillingObjections, "member.billing_objections", |_uc| Access::Member, () => ObjectionsReads);

impl MyBillingObjections {
    fn reads(&self, (): &(), env: &Env) -> ObjectionsReads {
        ObjectionsReads {
            objections: read!(
                objections!("o.member_id = ? ORDER BY o.created_at DESC, o.id LIMIT 200"),
                env.caller()
            ),
        }
    }

    fn decide(&self, (): (), rows: ObjectionsRows, env: &Env) -> Result<Plan, Problem> {
        let objections = views(&rows.objections, env)?;
        Ok(Plan::ok(200, BillingObjections { objections }, vec![]))
    }
}

/// `GET /admin/billing-objections`: the open objections, due first, then
/// the last answered (billing staff).
pub struct StaffBillingObjections;
use_case!(StaffBillingObjections, "admin.billing_objections", |_uc| Access::Admin(BILLING_ROLES), () => ObjectionsReads);

impl StaffBillingObjections {
    fn reads(&self, (): &(), _: &Env) -> ObjectionsReads {
        ObjectionsReads {
            objections: read!(objections!(
                "1 = 1 ORDER BY o.state = 'answered', k.due_at, o.answered_at DESC, o.id LIMIT 200"
            )),
        }
    }

    fn decide(&self, (): (), rows: ObjectionsRows, env: &Env) -> Result<Plan, Problem> {
        let objections = views(&rows.objections, env)?;
        let who: Vec<String> = objections.iter().map(|o| o.member_id.clone()).collect();
        Ok(Plan::ok(200, BillingObjections { objections }, vec![])
            .touches_all(who.iter().map(String::as_str), "billing.read_objections"))
    }
}

/// A line the answer corrects: how much of it is reversed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub line_no: i64,
    pub amount: Krw,
}

#[derive(Debug, Clone)]
pub struct AnswerInput {
    pub objection_id: String,
    pub outcome: ObjectionOutcome,
    pub answer: String,
    pub corrections: Vec<Correction>,
}

read_set!(pub struct AnswerReads => AnswerRows {
    objection: Option<ObjectionRow>,
    lines: Vec<LineRow>,
});

/// The reversals an answer's corrections make, checked against the
/// invoice's lines: `(line, amount)` each.
///
/// # Errors
/// 422 at `corrections`: a rejection with corrections, an upholding
/// without, a line not on the invoice or not a charge, more than the
/// line, or more in all than the disputed amount.
pub fn reversals<'a>(
    outcome: ObjectionOutcome,
    corrections: &[Correction],
    lines: &'a [LineRow],
    disputed: i64,
) -> Result<Vec<(&'a LineRow, i64)>, Problem> {
    let refuse = || Problem::field("corrections", "detail.objection_corrections");
    if (outcome == ObjectionOutcome::Rejected) != corrections.is_empty() {
        return Err(refuse());
    }
    let mut out = Vec::new();
    for c in corrections {
        let line = lines
            .iter()
            .find(|l| l.line_no == c.line_no && l.amount_krw > 0)
            .ok_or_else(refuse)?;
        if c.amount.won() == 0 || c.amount.won() > line.amount_krw {
            return Err(refuse());
        }
        out.push((line, c.amount.won()));
    }
    let total: i64 = out.iter().map(|(_, a)| a).sum();
    if total > disputed {
        return Err(refuse());
    }
    Ok(out)
}

/// `POST /admin/billing-objections/{id}`: billing staff answer once; an
/// upheld objection's corrections are reversals on the next invoice; the
/// member is told.
pub struct AnswerBillingObjection;
use_case!(AnswerBillingObjection, "admin.answer_billing_objection", |_uc| Access::Admin(BILLING_ROLES), AnswerInput => AnswerReads);

impl AnswerBillingObjection {
    fn reads(&self, input: &AnswerInput, _: &Env) -> AnswerReads {
        AnswerReads {
            objection: read!(objections!("o.id = ?"), input.objection_id.as_str()),
            lines: read!(
                "SELECT l.line_no, l.kind, l.vat_class, l.amount_krw, l.quantity, l.service_month, l.source_id, l.basis
                 FROM invoice_lines l JOIN billing_objections o ON o.invoice_id = l.invoice_id
                 WHERE o.id = ? ORDER BY l.line_no",
                input.objection_id.as_str()
            ),
        }
    }

    fn decide(&self, input: AnswerInput, rows: AnswerRows, env: &Env) -> Result<Plan, Problem> {
        let mut o = rows.objection.ok_or_else(Problem::not_found)?;
        if o.state != "open" {
            return Err(Problem::conflict("detail.already_decided"));
        }
        let reversals = reversals(input.outcome, &input.corrections, &rows.lines, o.disputed_krw)?;
        let credited: i64 = reversals.iter().map(|(_, a)| a).sum();
        let now = env.now.to_rfc3339();
        let answer = SealedText::seal(env, BILLING_OBJECTION_ANSWER, &o.id, &input.answer);
        let mut writes = vec![
            stmt!(
                "UPDATE billing_objections SET state = 'answered', outcome = ?, answer = ?, credited_krw = ?, answered_by = ?, answered_at = ?, version = version + 1
                 WHERE id = ? AND version = ? AND state = 'open'",
                input.outcome,
                &answer,
                credited,
                env.caller(),
                now.as_str(),
                o.id.as_str(),
                o.version
            ),
            guard_one_change(),
            clocks::meet(env, &BILLING_OBJECTION, &o.id),
        ];
        for (n, (line, amount)) in reversals.iter().enumerate() {
            writes.push(stmt!(
                "INSERT INTO billing_adjustments (id, member_id, kind, vat_class, amount_krw, basis, source_id, created_by, created_at)
                 VALUES (?, ?, 'reversal', ?, ?, ?, ?, ?, ?)",
                format!("adj_{}_{}", o.id, n + 1),
                o.member_id.as_str(),
                line.vat_class.as_str(),
                -amount,
                format!("reverses {amount} KRW of line {} ({}) of {}", line.line_no, line.kind, o.invoice_id),
                o.id.as_str(),
                env.caller(),
                now.as_str()
            ));
        }
        writes.push(audit(
            env,
            env.caller(),
            "billing.objection_answered",
            &o.member_id,
            &format!("{} {} credited {credited} KRW", o.id, input.outcome.as_str()),
        ));
        let (n, e) = tell(
            env,
            &o,
            "notice.billing.objection_answered",
            &[
                ("credited", &Krw::new(credited).unwrap_or_default().grouped()),
                ("answer", &input.answer),
            ],
        );
        writes.extend(n);
        o.state = "answered".into();
        o.outcome = Some(input.outcome);
        o.answer = Some(answer);
        o.credited_krw = credited;
        o.answered_at = Some(now);
        o.answer_by = None;
        let member = o.member_id.clone();
        Ok(Plan::ok(200, o.view(env)?, writes)
            .effects(e)
            .touches(&member, "billing.answer_objection")
            .conflict_means(Problem::conflict("detail.already_decided")))
    }
}

#[derive(Debug, Clone)]
pub struct DelayInput {
    pub objection_id: String,
    pub to_day: NaiveDate,
    pub reason: String,
}

/// `POST /admin/billing-objections/{id}/delay`: billing staff cannot
/// answer in 7 days: a new last day, with the reason, sent to the member
/// (seed 003 §29②); the clock is extended.
pub struct DelayBillingObjection;
use_case!(DelayBillingObjection, "admin.delay_billing_objection", |_uc| Access::Admin(BILLING_ROLES), DelayInput => ObjectionsReads);

impl DelayBillingObjection {
    fn reads(&self, input: &DelayInput, _: &Env) -> ObjectionsReads {
        ObjectionsReads {
            objections: read!(objections!("o.id = ?"), input.objection_id.as_str()),
        }
    }

    fn decide(&self, input: DelayInput, rows: ObjectionsRows, env: &Env) -> Result<Plan, Problem> {
        let mut o = rows
            .objections
            .into_iter()
            .next()
            .ok_or_else(Problem::not_found)?;
        if o.state != "open" {
            return Err(Problem::conflict("detail.already_decided"));
        }
        let current = o
            .answer_by
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        if current.is_some_and(|c| input.to_day <= c) {
            return Err(Problem::field("to_day", "detail.delay_not_later")
                .with("answer_by", json!(o.answer_by)));
        }
        let mut writes: Vec<_> =
            clocks::extend(env, &BILLING_OBJECTION, &o.id, input.to_day, &input.reason).into();
        writes.push(audit(
            env,
            env.caller(),
            "billing.objection_delayed",
            &o.member_id,
            &format!("{} to {}", o.id, input.to_day),
        ));
        let (n, e) = tell(
            env,
            &o,
            "notice.billing.objection_delayed",
            &[("date", &input.to_day.to_string()), ("reason", &input.reason)],
        );
        writes.extend(n);
        o.answer_by = Some(input.to_day.to_string());
        o.extensions = Some(o.extensions.unwrap_or(0) + 1);
        let member = o.member_id.clone();
        Ok(Plan::ok(200, o.view(env)?, writes)
            .effects(e)
            .touches(&member, "billing.delay_objection")
            .conflict_means(Problem::conflict("detail.billing_changed")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(no: i64, amount: i64) -> LineRow {
        LineRow {
            line_no: no,
            kind: "plan_fee".into(),
            vat_class: "taxable".into(),
            amount_krw: amount,
            quantity: 1,
            service_month: None,
            source_id: None,
            basis: String::new(),
        }
    }
    fn fix(no: i64, amount: i64) -> Correction {
        Correction {
            line_no: no,
            amount: Krw::new(amount).unwrap(),
        }
    }

    // rule D6
    #[test]
    fn d6_the_window_is_10_kst_days_after_the_sending_day() {
        let sent = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert_eq!(last_day_to_object(sent).to_string(), "2027-01-11");
        // Sent at 15:30 UTC on 31 Dec: 1 Jan in Korea.
        let at = parse_instant(Some("2026-12-31T15:30:00+00:00")).unwrap();
        assert_eq!(last_day_to_object(kst_date(at)).to_string(), "2027-01-11");
    }

    // rule D6
    #[test]
    fn d6_corrections_reverse_no_more_than_the_line_and_the_disputed_amount() {
        let lines = [line(1, 30_000), line(2, 1_440_000), line(3, -5_000)];
        let ok = reversals(ObjectionOutcome::PartlyUpheld, &[fix(1, 10_000)], &lines, 20_000).unwrap();
        assert_eq!((ok[0].0.line_no, ok[0].1), (1, 10_000));
        for (outcome, fixes, disputed) in [
            (ObjectionOutcome::Rejected, vec![fix(1, 1)], 20_000),
            (ObjectionOutcome::Upheld, vec![], 20_000),
            (ObjectionOutcome::Upheld, vec![fix(9, 1)], 20_000),
            (ObjectionOutcome::Upheld, vec![fix(3, 1)], 20_000),
            (ObjectionOutcome::Upheld, vec![fix(1, 30_001)], 50_000),
            (ObjectionOutcome::Upheld, vec![fix(1, 15_000), fix(2, 6_000)], 20_000),
        ] {
            let got = reversals(outcome, &fixes, &lines, disputed).unwrap_err();
            assert_eq!(got.errors[0].pointer, "#/corrections", "{fixes:?}");
        }
        assert!(reversals(ObjectionOutcome::Rejected, &[], &lines, 1).unwrap().is_empty());
    }
}
