//! Plans as data and a member's plan with its history (rule B1, B10's
//! thresholds; seed 003 §24, §26).
//!
//! Billing staff set a member's plan: the plan, its units (terminals or
//! seats, at most the plan's), its term (monthly, or prepaid for the
//! months of one of the plan's terms at that term's discount) and its
//! first day. The first plan starts on the activation day or later (B1:
//! the first month is prorated from it); a change starts on the 1st of a
//! month after the last one invoiced, so no invoiced month changes and a
//! month has one plan; a prepaid term starts on a 1st. The current row is
//! ended the day before, and the new row copies the plan's price (a later
//! price change does not reach it: §24③).

use super::amounts::{monthly_fee, prepaid_price, Month};
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::types::{kst_date, parse_instant, Krw};
use crate::{read, read_set, row, stmt, use_case};
use chrono::{Datelike, NaiveDate};

/// Who sets members' plans and reads their billing.
pub const BILLING_ROLES: &[AdminRole] = &[AdminRole::Billing, AdminRole::Owner];

row!(
    pub struct PlanRow {
        pub code: String,
        pub name_ko: String,
        pub name_en: String,
        pub unit: String,
        pub unit_price_krw: Krw,
        pub max_units: i64,
        pub on_sale: bool,
    }
);
row!(
    pub struct TermRow {
        pub plan_code: String,
        pub months: i64,
        pub discount_bp: i64,
    }
);
row!(
    pub struct ThresholdRow {
        pub plan_code: String,
        pub metric: String,
        pub threshold: i64,
    }
);

crate::reply!(
    /// A term a plan is sold on.
    pub struct PlanTermView {
        /// 1: monthly; more: prepaid for that many months
        pub months: i64,
        /// discount in basis points (1000 = 10%)
        pub discount_bp: i64,
    }
    /// A usage threshold: the billing contact is told once it is passed (B10).
    pub struct ThresholdView {
        /// `terminals`, `seats` or `records` (a month's attendance records)
        pub metric: String,
        pub threshold: i64,
    }
    /// A plan.
    pub struct PlanView {
        pub code: String,
        pub name_ko: String,
        pub name_en: String,
        /// `terminal` or `seat`
        pub unit: String,
        /// per unit and month, supply value (VAT excluded)
        pub unit_price_krw: Krw,
        /// the most units it allows
        pub max_units: i64,
        pub terms: Vec<PlanTermView>,
        pub thresholds: Vec<ThresholdView>,
    }
    /// The plans on sale.
    pub struct Plans {
        pub plans: Vec<PlanView>,
    }
);

fn plan_views(plans: Vec<PlanRow>, terms: &[TermRow], thresholds: &[ThresholdRow]) -> Vec<PlanView> {
    plans
        .into_iter()
        .map(|p| PlanView {
            name_ko: p.name_ko,
            name_en: p.name_en,
            terms: terms
                .iter()
                .filter(|t| t.plan_code == p.code)
                .map(|t| PlanTermView {
                    months: t.months,
                    discount_bp: t.discount_bp,
                })
                .collect(),
            thresholds: thresholds
                .iter()
                .filter(|t| t.plan_code == p.code)
                .map(|t| ThresholdView {
                    metric: t.metric.clone(),
                    threshold: t.threshold,
                })
                .collect(),
            code: p.code,
            unit: p.unit,
            unit_price_krw: p.unit_price_krw,
            max_units: p.max_units,
        })
        .collect()
}

read_set!(pub struct PlansReads => PlansRows {
    plans: Vec<PlanRow>,
    terms: Vec<TermRow>,
    thresholds: Vec<ThresholdRow>,
});

fn plans_reads() -> PlansReads {
    PlansReads {
        plans: read!("SELECT code, name_ko, name_en, unit, unit_price_krw, max_units, on_sale FROM plans WHERE on_sale = 1 ORDER BY code"),
        terms: read!("SELECT plan_code, months, discount_bp FROM plan_terms ORDER BY plan_code, months"),
        thresholds: read!("SELECT plan_code, metric, threshold FROM plan_thresholds ORDER BY plan_code, metric, threshold"),
    }
}

/// `GET /billing/plans`: the plans on sale, their terms and thresholds
/// (public: the price list of seed 003 §24①).
pub struct ListPlans;
use_case!(ListPlans, "billing.plans", |_uc| Access::Public, () => PlansReads);

impl ListPlans {
    fn reads(&self, (): &(), _: &Env) -> PlansReads {
        plans_reads()
    }

    fn decide(&self, (): (), rows: PlansRows, _: &Env) -> Result<Plan, Problem> {
        let plans = plan_views(rows.plans, &rows.terms, &rows.thresholds);
        Ok(Plan::ok(200, Plans { plans }, vec![]))
    }
}

row!(
    pub struct MemberPlanRow {
        pub id: String,
        pub plan_code: String,
        pub units: i64,
        pub unit_price_krw: Krw,
        pub term_months: i64,
        pub discount_bp: i64,
        pub starts_on: String,
        pub ends_on: Option<String>,
        pub created_by: String,
        pub created_at: String,
    }
);
row!(
    pub struct BilledMember {
        pub id: String,
        pub status: String,
        pub activated_at: Option<String>,
        pub last_period: Option<String>,
    }
);

crate::reply!(
    /// One row of a member's plan history.
    pub struct MemberPlanView {
        pub id: String,
        pub plan_code: String,
        pub units: i64,
        /// per unit and month, as agreed (supply value)
        pub unit_price_krw: Krw,
        /// the monthly fee: unit price × units (supply value)
        pub monthly_krw: Krw,
        /// 1: monthly; more: a prepaid term
        pub term_months: i64,
        pub discount_bp: i64,
        /// a prepaid term's price (billed whole in its first month)
        pub prepaid_krw: Option<Krw>,
        /// first KST day
        pub starts_on: String,
        /// last KST day, when it ended
        pub ends_on: Option<String>,
        pub created_at: String,
    }
    /// A member's plan: the one in force last, and every earlier one.
    pub struct MemberPlans {
        pub member_id: String,
        /// KST day of activation
        pub activated_on: Option<String>,
        /// the last month invoiced (`YYYY-MM`)
        pub invoiced_through: Option<String>,
        pub current: Option<MemberPlanView>,
        /// newest first, the current one included
        pub history: Vec<MemberPlanView>,
    }
);

impl MemberPlanRow {
    fn view(&self) -> MemberPlanView {
        let monthly = monthly_fee(self.unit_price_krw, self.units);
        MemberPlanView {
            id: self.id.clone(),
            plan_code: self.plan_code.clone(),
            units: self.units,
            unit_price_krw: self.unit_price_krw,
            monthly_krw: monthly,
            term_months: self.term_months,
            discount_bp: self.discount_bp,
            prepaid_krw: (self.term_months > 1)
                .then(|| prepaid_price(monthly, self.term_months, self.discount_bp)),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            created_at: self.created_at.clone(),
        }
    }
}

read_set!(pub struct MemberPlanReads => MemberPlanRows {
    member: Option<BilledMember>,
    history: Vec<MemberPlanRow>,
});

fn member_plan_reads(member_id: &str) -> MemberPlanReads {
    MemberPlanReads {
        member: read!(
            "SELECT m.id, m.status, m.activated_at, (SELECT MAX(period) FROM invoices i WHERE i.member_id = m.id) AS last_period
             FROM members m WHERE m.id = ?",
            member_id
        ),
        history: read!(
            "SELECT id, plan_code, units, unit_price_krw, term_months, discount_bp, starts_on, ends_on, created_by, created_at
             FROM member_plans WHERE member_id = ? ORDER BY starts_on DESC, created_at DESC LIMIT 120",
            member_id
        ),
    }
}

fn member_plans(m: &BilledMember, history: &[MemberPlanRow]) -> MemberPlans {
    MemberPlans {
        member_id: m.id.clone(),
        activated_on: parse_instant(m.activated_at.as_deref()).map(|t| kst_date(t).to_string()),
        invoiced_through: m.last_period.clone(),
        current: history.iter().find(|h| h.ends_on.is_none()).map(MemberPlanRow::view),
        history: history.iter().map(MemberPlanRow::view).collect(),
    }
}

/// `GET /admin/members/{id}/plan`: a member's plan and its history.
pub struct ViewMemberPlan;
use_case!(ViewMemberPlan, "admin.member_plan", |_uc| Access::Admin(BILLING_ROLES), String => MemberPlanReads);

impl ViewMemberPlan {
    fn reads(&self, id: &String, _: &Env) -> MemberPlanReads {
        member_plan_reads(id)
    }

    fn decide(&self, _: String, rows: MemberPlanRows, _: &Env) -> Result<Plan, Problem> {
        let m = rows.member.ok_or_else(Problem::not_found)?;
        Ok(Plan::ok(200, member_plans(&m, &rows.history), vec![]))
    }
}

/// `GET /member/plan`: the member's own plan and its history.
pub struct MyPlan;
use_case!(MyPlan, "member.plan", |_uc| Access::Member, () => MemberPlanReads);

impl MyPlan {
    fn reads(&self, (): &(), env: &Env) -> MemberPlanReads {
        member_plan_reads(env.caller())
    }

    fn decide(&self, (): (), rows: MemberPlanRows, _: &Env) -> Result<Plan, Problem> {
        let m = rows.member.ok_or_else(Problem::not_found)?;
        Ok(Plan::ok(200, member_plans(&m, &rows.history), vec![]))
    }
}

/// A plan to set.
#[derive(Debug, Clone)]
pub struct SetPlanInput {
    pub member_id: String,
    pub plan_code: String,
    pub units: i64,
    pub term_months: i64,
    /// The first KST day; by default the activation day (a first plan) or
    /// the 1st of the month after the last invoiced one.
    pub starts_on: Option<NaiveDate>,
}

/// The first day a new plan may start, and whether it must be a 1st:
/// a first plan from the activation day, a change from the month after
/// the last invoiced one (and after today).
fn earliest(m: &BilledMember, history: &[MemberPlanRow], today: NaiveDate) -> Option<NaiveDate> {
    let activated = parse_instant(m.activated_at.as_deref()).map(kst_date)?;
    if history.is_empty() {
        return Some(activated.max(today));
    }
    let after_invoiced = m
        .last_period
        .as_deref()
        .and_then(Month::parse)
        .map(|p| p.next().first_day());
    let next_month = Month::of(today).next().first_day();
    Some(after_invoiced.map_or(next_month, |a| a.max(next_month)))
}

/// `POST /admin/members/{id}/plan`: billing staff set a member's plan
/// from a day (B1); the history keeps every earlier row.
pub struct SetPlan;
use_case!(SetPlan, "admin.set_plan", |_uc| Access::Admin(BILLING_ROLES), SetPlanInput => (MemberPlanReads, PlansReads));

impl SetPlan {
    fn reads(&self, input: &SetPlanInput, _: &Env) -> (MemberPlanReads, PlansReads) {
        (member_plan_reads(&input.member_id), plans_reads())
    }

    fn decide(
        &self,
        input: SetPlanInput,
        (rows, catalogue): (MemberPlanRows, PlansRows),
        env: &Env,
    ) -> Result<Plan, Problem> {
        let m = rows.member.ok_or_else(Problem::not_found)?;
        if m.status != "active" {
            return Err(Problem::conflict("detail.billing_member_inactive"));
        }
        let Some(plan) = catalogue.plans.iter().find(|p| p.code == input.plan_code) else {
            return Err(Problem::field("plan_code", "detail.plan_unknown"));
        };
        let Some(term) = catalogue
            .terms
            .iter()
            .find(|t| t.plan_code == plan.code && t.months == input.term_months)
        else {
            return Err(Problem::field("term_months", "detail.plan_term_unknown"));
        };
        if input.units > plan.max_units {
            return Err(Problem::field("units", "detail.plan_units_over")
                .with("max_units", serde_json::json!(plan.max_units)));
        }
        let today = kst_date(env.now);
        let first = rows.history.is_empty();
        let earliest = earliest(&m, &rows.history, today)
            .ok_or_else(|| Problem::conflict("detail.billing_member_inactive"))?;
        let starts_on = input.starts_on.unwrap_or(earliest);
        let must_be_first = !first || term.months > 1;
        if starts_on < earliest || (must_be_first && starts_on.day() != 1) {
            return Err(Problem::field("starts_on", "detail.plan_start_invalid")
                .with("earliest", serde_json::json!(earliest.to_string()))
                .with("first_of_month", serde_json::json!(must_be_first)));
        }
        let id = new_id(env.rng, "mpl");
        let now = env.now.to_rfc3339();
        let mut writes = Vec::new();
        let current = rows.history.iter().find(|h| h.ends_on.is_none());
        if let Some(c) = current {
            let ends_on = starts_on.pred_opt().unwrap_or(starts_on).to_string();
            // A row starting after the new one's first day is replaced whole.
            writes.push(stmt!(
                "UPDATE member_plans SET ends_on = ? WHERE id = ? AND ends_on IS NULL",
                ends_on.as_str(),
                c.id.as_str()
            ));
            writes.push(guard_one_change());
        }
        writes.push(stmt!(
            "INSERT INTO member_plans (id, member_id, plan_code, units, unit_price_krw, term_months, discount_bp, starts_on, created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            id.as_str(),
            m.id.as_str(),
            plan.code.as_str(),
            input.units,
            plan.unit_price_krw,
            term.months,
            term.discount_bp,
            starts_on.to_string(),
            env.caller(),
            now.as_str()
        ));
        writes.push(audit(
            env,
            env.caller(),
            "billing.plan_set",
            &m.id,
            &format!("{} x{} {}m from {starts_on}", plan.code, input.units, term.months),
        ));
        let mut history: Vec<MemberPlanRow> = rows.history.clone();
        for h in &mut history {
            if h.ends_on.is_none() {
                h.ends_on = Some(starts_on.pred_opt().unwrap_or(starts_on).to_string());
            }
        }
        history.insert(
            0,
            MemberPlanRow {
                id,
                plan_code: plan.code.clone(),
                units: input.units,
                unit_price_krw: plan.unit_price_krw,
                term_months: term.months,
                discount_bp: term.discount_bp,
                starts_on: starts_on.to_string(),
                ends_on: None,
                created_by: env.caller().to_owned(),
                created_at: now,
            },
        );
        Ok(Plan::ok(200, member_plans(&m, &history), writes)
            .conflict_means(Problem::conflict("detail.billing_changed")))
    }
}
