//! One member's monthly invoice, composed without I/O (rules B1, B2, B8,
//! S7's yearly fee): the lines the month brings, each with its VAT class,
//! and the totals a tax invoice and a statement show.
//!
//! What an invoice for month M (issued from M's 1st, KST, due by M's 10th)
//! holds:
//! - the plan fee of every month not billed yet up to M (B1: the first
//!   month from the activation day, prorated; a prepaid term whole in its
//!   first month, nothing in its other months), at the price the member's
//!   plan row carries;
//! - the success fee of each of the member's contracts as partner accepted
//!   before M (B8; once per contract);
//! - the yearly system fee in each anniversary month of the activation
//!   (S7: the first year's is paid on activation);
//! - direct-deal penalties recorded as charges before M (C8, outside VAT);
//! - the late fee on every earlier invoice still unpaid after its due day
//!   (B2: the months owed by the run's day less the months already billed).

use super::amounts::{
    due_day, late_fee, late_months, month_fee, monthly_fee, prepaid_price, success_fee, vat, Month,
    Span, Taxed,
};
use super::b4_outages::proposed_credit;
use crate::kernel::types::Krw;
use chrono::{Datelike, NaiveDate};

crate::text_enum!(
    /// How a line stands to VAT.
    pub enum VatClass {
        /// A supply: its amount is a supply value, taxed at 10%.
        Taxable = "taxable",
        /// Not a supply (a late fee, a penalty, compensation): on the
        /// statement, not on a tax invoice.
        Outside = "outside",
        /// Lowers the supply value (an SLA credit): a negative amount.
        Reduction = "reduction",
    }
);

crate::text_enum!(
    /// What a line bills.
    pub enum LineKind {
        PlanFee = "plan_fee",
        PrepaidTerm = "prepaid_term",
        SuccessFee = "success_fee",
        SystemFee = "system_fee",
        DirectDeal = "direct_deal",
        LateFee = "late_fee",
        SlaCredit = "sla_credit",
        Compensation = "compensation",
        Evasion = "evasion",
        Reversal = "reversal",
    }
);

impl LineKind {
    /// Each kind's VAT class (a reversal takes its line's: see `Line`).
    pub fn vat_class(self) -> VatClass {
        match self {
            LineKind::PlanFee
            | LineKind::PrepaidTerm
            | LineKind::SuccessFee
            | LineKind::SystemFee
            | LineKind::Reversal => VatClass::Taxable,
            LineKind::DirectDeal | LineKind::LateFee | LineKind::Compensation | LineKind::Evasion => {
                VatClass::Outside
            }
            LineKind::SlaCredit => VatClass::Reduction,
        }
    }
}

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    pub vat_class: VatClass,
    /// Won; negative for a credit or a reversal.
    pub amount: i64,
    /// Units, months or late months.
    pub quantity: i64,
    pub service_month: Option<Month>,
    pub source_id: Option<String>,
    /// How it was computed (no personal data).
    pub basis: String,
}

impl Line {
    fn new(kind: LineKind, amount: i64, basis: String) -> Line {
        Line {
            kind,
            vat_class: kind.vat_class(),
            amount,
            quantity: 1,
            service_month: None,
            source_id: None,
            basis,
        }
    }
}

/// An invoice's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Net taxable supply, its VAT and their sum.
    pub taxed: Taxed,
    /// Outside VAT (may be negative: compensation).
    pub outside: i64,
    /// What is due: taxed total plus outside, never below 0.
    pub total: i64,
}

/// The totals of `lines`: the supply value is the taxable lines less the
/// reductions (never below 0), its VAT 10% floored once; what is outside
/// VAT is added as it is. A credit larger than the charges leaves 0 due
/// (the rest is not carried to a later invoice).
pub fn totals(lines: &[Line]) -> Totals {
    let sum = |class: VatClass| -> i64 {
        lines
            .iter()
            .filter(|l| l.vat_class == class)
            .map(|l| l.amount)
            .sum()
    };
    let taxed = vat(sum(VatClass::Taxable) + sum(VatClass::Reduction));
    let outside = sum(VatClass::Outside);
    Totals {
        taxed,
        outside,
        total: (taxed.total_krw + outside).max(0),
    }
}

/// A member's plan row (`member_plans`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanTerm {
    pub plan_code: String,
    pub units: i64,
    pub unit_price: Krw,
    pub term_months: i64,
    pub discount_bp: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl PlanTerm {
    fn covers(&self, month: Month) -> bool {
        self.starts_on <= month.last_day() && self.ends_on.is_none_or(|e| e >= month.first_day())
    }
    fn monthly(&self) -> Krw {
        monthly_fee(self.unit_price, self.units)
    }
}

/// A contract accepted and not billed yet (B8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub contract_id: String,
    pub amount: Krw,
    pub fee_bp: i64,
    pub category: String,
}

/// A charge recorded for the next invoice (C8's direct deals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub id: String,
    pub amount: Krw,
    pub basis: String,
}

/// A correction or credit recorded for the next invoice (a reversal of a
/// line an objection upheld, D6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub id: String,
    pub kind: LineKind,
    pub vat_class: VatClass,
    /// Won; negative for a reversal or a credit.
    pub amount: i64,
    pub basis: String,
    pub source_id: String,
}

/// An earlier invoice not paid in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpaid {
    pub invoice_id: String,
    pub period: String,
    pub due_day: NaiveDate,
    /// What is still owed on it, less its own late fees (no compounding)
    /// and less any amount under an open objection.
    pub overdue: Krw,
    /// Late months billed on it so far.
    pub late_months_billed: i64,
}

/// Everything one member's invoice for a month is made of.
#[derive(Debug, Clone, Default)]
pub struct MemberMonth {
    pub member_id: String,
    /// KST day of activation.
    pub activated_on: Option<NaiveDate>,
    /// The latest month invoiced before.
    pub last_period: Option<Month>,
    pub plans: Vec<PlanTerm>,
    pub accepted: Vec<Accepted>,
    pub charges: Vec<Charge>,
    pub adjustments: Vec<Adjustment>,
    pub unpaid: Vec<Unpaid>,
    /// Outages of the month before that reached the member (B4): counted
    /// from when it told the platform or the platform knew.
    pub outages: Vec<Span>,
    /// Maintenance announced before it began, in the month before.
    pub maintenance: Vec<Span>,
    /// Plan fees billed before, by the month they were for.
    pub base_fees: Vec<(Month, Krw)>,
}

/// A composed invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub id: String,
    pub member_id: String,
    pub period: Month,
    pub due_day: NaiveDate,
    pub lines: Vec<Line>,
    pub totals: Totals,
    /// The charges it bills (marked invoiced with it).
    pub charge_ids: Vec<String>,
    /// The adjustments it bills (marked invoiced with it).
    pub adjustment_ids: Vec<String>,
}

/// The invoice id of a member's month: one per member and month, the same
/// however often the run composes it.
pub fn invoice_id(member_id: &str, period: Month) -> String {
    format!("inv_{:04}{:02}_{member_id}", period.year, period.month)
}

/// What the run bills a member for `period` on `run_day` (KST), or
/// `None` when there is nothing to bill or the month is invoiced already.
/// `system_fee`: the yearly fee (S7).
pub fn compose(m: &MemberMonth, period: Month, run_day: NaiveDate, system_fee: Krw) -> Option<Invoice> {
    if m.last_period.is_some_and(|p| p >= period) {
        return None;
    }
    let mut lines = Vec::new();
    if let Some(activated) = m.activated_on {
        plan_fees(m, activated, period, &mut lines);
        // S7: the fee of each year after the first, in its anniversary month.
        let first = Month::of(activated);
        let years = period.year - first.year;
        if years >= 1 && period.month == first.month && system_fee.won() > 0 {
            let mut l = Line::new(
                LineKind::SystemFee,
                system_fee.won(),
                format!("system fee, year {}", years + 1),
            );
            l.service_month = Some(period);
            lines.push(l);
        }
    }
    if let Some(activated) = m.activated_on {
        if let Some(l) = sla_line(m, activated, period, &lines) {
            lines.push(l);
        }
    }
    for a in &m.accepted {
        let fee = success_fee(a.amount, a.fee_bp);
        let mut l = Line::new(
            LineKind::SuccessFee,
            fee.won(),
            format!("{} KRW x {} bp ({})", a.amount.won(), a.fee_bp, a.category),
        );
        l.source_id = Some(a.contract_id.clone());
        lines.push(l);
    }
    for c in &m.charges {
        let mut l = Line::new(LineKind::DirectDeal, c.amount.won(), c.basis.clone());
        l.source_id = Some(c.id.clone());
        lines.push(l);
    }
    for a in &m.adjustments {
        lines.push(Line {
            kind: a.kind,
            vat_class: a.vat_class,
            amount: a.amount,
            quantity: 1,
            service_month: None,
            source_id: Some(a.source_id.clone()),
            basis: a.basis.clone(),
        });
    }
    for u in &m.unpaid {
        let owed = late_months(u.due_day, run_day);
        let new = owed - u.late_months_billed;
        if new <= 0 || u.overdue.won() == 0 {
            continue;
        }
        let fee = late_fee(u.overdue, new);
        let mut l = Line::new(
            LineKind::LateFee,
            fee.won(),
            format!(
                "3% x {new} month(s) of {} KRW overdue since {} ({})",
                u.overdue.won(),
                u.due_day,
                u.period
            ),
        );
        l.quantity = new;
        l.source_id = Some(u.invoice_id.clone());
        lines.push(l);
    }
    lines.retain(|l| l.amount != 0);
    if lines.is_empty() {
        return None;
    }
    Some(Invoice {
        id: invoice_id(&m.member_id, period),
        member_id: m.member_id.clone(),
        period,
        due_day: due_day(period),
        totals: totals(&lines),
        charge_ids: m.charges.iter().map(|c| c.id.clone()).collect(),
        adjustment_ids: m.adjustments.iter().map(|a| a.id.clone()).collect(),
        lines,
    })
}

/// B4's credit for the month before `period` as a line, a reduction of
/// the supply value (`b4_outages::proposed_credit`).
fn sla_line(m: &MemberMonth, activated: NaiveDate, period: Month, lines: &[Line]) -> Option<Line> {
    let billed_now = lines
        .iter()
        .filter(|l| l.kind == LineKind::PlanFee)
        .filter_map(|l| l.service_month.map(|mo| (mo, l.amount)));
    let fees = m.base_fees.iter().map(|(mo, k)| (*mo, k.won())).chain(billed_now);
    let c = proposed_credit(&m.outages, &m.maintenance, fees, activated, period)?;
    let mut l = Line::new(LineKind::SlaCredit, -c.credit.won(), c.basis);
    l.service_month = Some(c.month);
    Some(l)
}

/// The plan fees of every month from the first not billed (the activation
/// month for a first invoice) to `period`.
fn plan_fees(m: &MemberMonth, activated: NaiveDate, period: Month, lines: &mut Vec<Line>) {
    let mut month = match m.last_period {
        Some(p) => p.next().max(Month::of(activated)),
        None => Month::of(activated),
    };
    while month <= period {
        // The row in force in the month: the latest that covers it.
        let plan = m
            .plans
            .iter()
            .filter(|p| p.covers(month))
            .max_by_key(|p| p.starts_on);
        if let Some(p) = plan {
            if let Some(line) = plan_line(p, activated, month) {
                lines.push(line);
            }
        }
        month = month.next();
    }
}

fn plan_line(p: &PlanTerm, activated: NaiveDate, month: Month) -> Option<Line> {
    let monthly = p.monthly();
    let unit = format!("{} x {} KRW", p.units, p.unit_price.won());
    if p.term_months > 1 {
        // Billed whole in the term's first month.
        if Month::of(p.starts_on) != month {
            return None;
        }
        let price = prepaid_price(monthly, p.term_months, p.discount_bp);
        let mut l = Line::new(
            LineKind::PrepaidTerm,
            price.won(),
            format!(
                "{} {unit} x {} months less {} bp",
                p.plan_code, p.term_months, p.discount_bp
            ),
        );
        l.quantity = p.units;
        l.service_month = Some(month);
        return Some(l);
    }
    // Billing starts on the later of activation and the plan's first day.
    let from = activated.max(p.starts_on);
    let fee = month_fee(monthly, from, month);
    let days = if Month::of(from) == month && from.day() > 1 {
        format!(
            " ({}/{} days from {from})",
            month.days() - i64::from(from.day()) + 1,
            month.days()
        )
    } else {
        String::new()
    };
    let mut l = Line::new(
        LineKind::PlanFee,
        fee.won(),
        format!("{} {unit}, {}{days}", p.plan_code, month.label()),
    );
    l.quantity = p.units;
    l.service_month = Some(month);
    Some(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn k(v: i64) -> Krw {
        Krw::new(v).unwrap()
    }
    fn month(s: &str) -> Month {
        Month::parse(s).unwrap()
    }
    fn plan(units: i64, price: i64, starts_on: NaiveDate) -> PlanTerm {
        PlanTerm {
            plan_code: "attend-basic".into(),
            units,
            unit_price: k(price),
            term_months: 1,
            discount_bp: 0,
            starts_on,
            ends_on: None,
        }
    }
    fn member(activated: NaiveDate, plans: Vec<PlanTerm>) -> MemberMonth {
        MemberMonth {
            member_id: "mbr_1".into(),
            activated_on: Some(activated),
            plans,
            ..MemberMonth::default()
        }
    }
    fn amounts(inv: &Invoice) -> Vec<(LineKind, i64)> {
        inv.lines.iter().map(|l| (l.kind, l.amount)).collect()
    }

    // rule B1
    #[test]
    fn b1_the_first_invoice_bills_the_prorated_month_then_the_next_whole() {
        // Activated 15 Dec (17 of 31 days), 2 terminals at 15,500.
        let m = member(d(2026, 12, 15), vec![plan(2, 15_500, d(2026, 12, 15))]);
        let inv = compose(&m, month("2027-01"), d(2027, 1, 1), k(0)).unwrap();
        assert_eq!(
            amounts(&inv),
            vec![(LineKind::PlanFee, 17_000), (LineKind::PlanFee, 31_000)]
        );
        assert_eq!(inv.due_day, d(2027, 1, 10));
        assert_eq!(inv.totals.taxed.supply_krw, 48_000);
        assert_eq!(inv.totals.taxed.vat_krw, 4_800);
        assert_eq!(inv.totals.total, 52_800);
        assert_eq!(inv.id, "inv_202701_mbr_1");
        // The next month bills only itself; the same month again, nothing.
        let m = MemberMonth {
            last_period: Some(month("2027-01")),
            ..m
        };
        let feb = compose(&m, month("2027-02"), d(2027, 2, 1), k(0)).unwrap();
        assert_eq!(amounts(&feb), vec![(LineKind::PlanFee, 31_000)]);
        assert_eq!(compose(&m, month("2027-01"), d(2027, 1, 2), k(0)), None);
    }

    // rule B1
    #[test]
    fn b1_activation_in_the_invoiced_month_itself_is_prorated_in_it() {
        // Activated on 31 Mar: April's run bills 1 day of March and April whole.
        let m = member(d(2027, 3, 31), vec![plan(1, 31_000, d(2027, 3, 31))]);
        let inv = compose(&m, month("2027-04"), d(2027, 4, 1), k(0)).unwrap();
        assert_eq!(
            amounts(&inv),
            vec![(LineKind::PlanFee, 1_000), (LineKind::PlanFee, 31_000)]
        );
        assert!(inv.lines[0].basis.contains("1/31 days"), "{}", inv.lines[0].basis);
        // A leap February: activated on the 29th.
        let m = member(d(2028, 2, 29), vec![plan(1, 29_000, d(2028, 2, 29))]);
        let inv = compose(&m, month("2028-03"), d(2028, 3, 1), k(0)).unwrap();
        assert_eq!(
            amounts(&inv),
            vec![(LineKind::PlanFee, 1_000), (LineKind::PlanFee, 29_000)]
        );
    }

    // rule B1
    #[test]
    fn b1_a_plan_change_bills_each_month_at_the_row_in_force() {
        let mut old = plan(2, 10_000, d(2026, 11, 1));
        old.ends_on = Some(d(2026, 12, 31));
        let new = plan(5, 10_000, d(2027, 1, 1));
        let m = MemberMonth {
            last_period: Some(month("2026-11")),
            ..member(d(2026, 11, 1), vec![old, new])
        };
        // December was missed (no run): billed with January at its own row.
        let inv = compose(&m, month("2027-01"), d(2027, 1, 3), k(0)).unwrap();
        assert_eq!(
            amounts(&inv),
            vec![(LineKind::PlanFee, 20_000), (LineKind::PlanFee, 50_000)]
        );
    }

    // rule B1
    #[test]
    fn b1_a_prepaid_term_is_billed_whole_in_its_first_month_only() {
        let mut p = plan(10, 12_000, d(2027, 1, 1));
        p.term_months = 12;
        p.discount_bp = 1_000;
        let m = member(d(2027, 1, 1), vec![p]);
        let inv = compose(&m, month("2027-01"), d(2027, 1, 1), k(0)).unwrap();
        // 120,000 × 12 × 0.9
        assert_eq!(amounts(&inv), vec![(LineKind::PrepaidTerm, 1_296_000)]);
        let m = MemberMonth {
            last_period: Some(month("2027-01")),
            ..m
        };
        assert_eq!(compose(&m, month("2027-02"), d(2027, 2, 1), k(0)), None);
    }

    // rule B8
    #[test]
    fn b8_success_fees_system_fee_and_direct_deals_each_have_their_vat_class() {
        let mut m = member(d(2025, 12, 20), vec![]);
        m.last_period = Some(month("2026-11"));
        m.accepted = vec![Accepted {
            contract_id: "con_1".into(),
            amount: k(12_000_000),
            fee_bp: 1_200,
            category: "design".into(),
        }];
        m.charges = vec![Charge {
            id: "chg_1".into(),
            amount: k(2_880_000),
            basis: "2 x 1200 bp x 12000000 KRW".into(),
        }];
        let inv = compose(&m, month("2026-12"), d(2026, 12, 1), k(500_000)).unwrap();
        assert_eq!(
            amounts(&inv),
            vec![
                (LineKind::SystemFee, 500_000),
                (LineKind::SuccessFee, 1_440_000),
                (LineKind::DirectDeal, 2_880_000),
            ]
        );
        assert_eq!(inv.lines[2].vat_class, VatClass::Outside);
        // VAT on the supplies only; the penalty is added outside it.
        assert_eq!(inv.totals.taxed.supply_krw, 1_940_000);
        assert_eq!(inv.totals.taxed.vat_krw, 194_000);
        assert_eq!(inv.totals.outside, 2_880_000);
        assert_eq!(inv.totals.total, 5_014_000);
        assert_eq!(inv.charge_ids, vec!["chg_1".to_owned()]);
        // Not an anniversary month: no system fee.
        m.last_period = Some(month("2026-12"));
        m.accepted.clear();
        m.charges.clear();
        assert_eq!(compose(&m, month("2027-01"), d(2027, 1, 1), k(500_000)), None);
    }

    // rule B2
    #[test]
    fn b2_unpaid_invoices_bring_a_late_fee_for_each_new_month_only() {
        let mut m = member(d(2026, 10, 1), vec![]);
        m.last_period = Some(month("2026-12"));
        m.unpaid = vec![Unpaid {
            invoice_id: "inv_202612_mbr_1".into(),
            period: "2026-12".into(),
            due_day: d(2026, 12, 10),
            overdue: k(110_000),
            late_months_billed: 0,
        }];
        let inv = compose(&m, month("2027-01"), d(2027, 1, 1), k(0)).unwrap();
        assert_eq!(amounts(&inv), vec![(LineKind::LateFee, 3_300)]);
        assert_eq!(inv.lines[0].quantity, 1);
        assert_eq!(inv.lines[0].vat_class, VatClass::Outside);
        assert_eq!(inv.totals.taxed.vat_krw, 0);
        // A month later, one month billed already: another 3%, not 6%.
        m.last_period = Some(month("2027-01"));
        m.unpaid[0].late_months_billed = 1;
        let feb = compose(&m, month("2027-02"), d(2027, 2, 1), k(0)).unwrap();
        assert_eq!(amounts(&feb), vec![(LineKind::LateFee, 3_300)]);
        // Run late, on 12 Feb: three months owed (from 11 Dec, 11 Jan,
        // 11 Feb), one billed.
        let late = compose(&m, month("2027-02"), d(2027, 2, 12), k(0)).unwrap();
        assert_eq!(amounts(&late), vec![(LineKind::LateFee, 6_600)]);
        assert_eq!(late.lines[0].quantity, 2);
        // A reversal an objection's answer recorded lowers the supply.
        m.adjustments = vec![Adjustment {
            id: "adj_1".into(),
            kind: LineKind::Reversal,
            vat_class: VatClass::Taxable,
            amount: -10_000,
            basis: "reverses 10000 KRW of line 1".into(),
            source_id: "bob_1".into(),
        }];
        let fixed = compose(&m, month("2027-02"), d(2027, 2, 1), k(0)).unwrap();
        assert_eq!(
            amounts(&fixed),
            vec![(LineKind::Reversal, -10_000), (LineKind::LateFee, 3_300)]
        );
        assert_eq!(fixed.totals.taxed.supply_krw, 0, "never below 0");
        assert_eq!(fixed.adjustment_ids, vec!["adj_1".to_owned()]);
        m.adjustments.clear();
        // Nothing overdue (an objection covers it all): no fee.
        m.unpaid[0].overdue = k(0);
        assert_eq!(compose(&m, month("2027-02"), d(2027, 2, 1), k(0)), None);
    }

    // rule B4
    #[test]
    fn b4_a_month_below_95_percent_brings_a_credit_on_the_next_invoice() {
        use chrono::TimeZone;
        let mut m = member(d(2026, 10, 1), vec![plan(10, 30_000, d(2026, 10, 1))]);
        m.last_period = Some(month("2026-12"));
        m.base_fees = vec![
            (month("2026-10"), k(300_000)),
            (month("2026-11"), k(300_000)),
            (month("2026-12"), k(300_000)),
        ];
        // December (744 h): 74.4 h down = 90%, of which 2 h announced maintenance.
        let at = |day: u32, h: u32| Utc.with_ymd_and_hms(2026, 12, day, h, 0, 0).unwrap();
        let down_from = at(10, 0);
        let down_to = down_from + chrono::Duration::seconds(744 * 360 + 2 * 3600);
        m.outages = vec![Span { from: down_from, to: down_to }];
        m.maintenance = vec![Span { from: at(10, 1), to: at(10, 3) }];
        let inv = compose(&m, month("2027-01"), d(2027, 1, 1), k(0)).unwrap();
        // 5% of the 300,000 average
        assert_eq!(
            amounts(&inv),
            vec![(LineKind::PlanFee, 300_000), (LineKind::SlaCredit, -15_000)]
        );
        assert_eq!(inv.lines[1].vat_class, VatClass::Reduction);
        assert!(inv.lines[1].basis.starts_with("availability 90.00% in 2026-12"), "{}", inv.lines[1].basis);
        assert_eq!(inv.totals.taxed.supply_krw, 285_000);
        // At 95% or above: nothing.
        m.outages = vec![Span { from: down_from, to: down_from + chrono::Duration::hours(37) }];
        m.maintenance.clear();
        let inv = compose(&m, month("2027-01"), d(2027, 1, 1), k(0)).unwrap();
        assert_eq!(amounts(&inv), vec![(LineKind::PlanFee, 300_000)]);
    }

    #[test]
    fn credits_lower_the_supply_and_never_make_the_total_negative() {
        let line = |kind: LineKind, amount| Line::new(kind, amount, String::new());
        let t = totals(&[
            line(LineKind::PlanFee, 100_000),
            line(LineKind::SlaCredit, -5_000),
            line(LineKind::LateFee, 3_300),
        ]);
        assert_eq!(t.taxed.supply_krw, 95_000);
        assert_eq!(t.taxed.vat_krw, 9_500);
        assert_eq!(t.total, 107_800);
        let t = totals(&[
            line(LineKind::PlanFee, 10_000),
            line(LineKind::Compensation, -450_000),
        ]);
        assert_eq!(t.total, 0);
    }
}
