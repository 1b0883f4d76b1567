//! Every amount rule of billing as a pure function of won, days and
//! seconds (rules B1–B8; seed 003 §24–31): no floats, no I/O, each with a
//! table of cases. Money is whole won (`Krw`, never negative); an amount
//! that may go either way (an invoice line: a credit, a reversal) is `i64`
//! won. Days are KST calendar days (`Month`, `kernel::types::kst_date`).
//!
//! Rounding, stated once: every rule floors to the won, once, at the end of
//! its own computation (exact integer arithmetic before it, in `i128` where
//! a product could pass `i64`). Where a floor could go either way the rule
//! below says whom it favours; a member is never charged a fraction it
//! would not be charged by hand.

use crate::kernel::types::{kst_date, kst_midnight, Krw};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

/// A KST calendar month, the unit of billing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1–12
    pub month: u32,
}

impl Month {
    /// The month of a KST calendar day.
    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The KST month of an instant (15:00 UTC on the last day is already
    /// the next month's first day in Korea).
    pub fn at(instant: DateTime<Utc>) -> Month {
        Month::of(kst_date(instant))
    }

    /// `2026-12`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        NaiveDate::from_ymd_opt(year, month, 1).map(Month::of)
    }

    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a month has a first day")
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a month has a last day")
    }

    /// 28, 29, 30 or 31.
    pub fn days(self) -> i64 {
        i64::from(self.last_day().day())
    }

    /// Its first instant (KST midnight of the 1st) in UTC.
    pub fn start(self) -> DateTime<Utc> {
        kst_midnight(self.first_day())
    }

    /// The first instant of the next month.
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    /// The KST day `day` of this month, clamped to its last day.
    pub fn day(self, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, day).unwrap_or_else(|| self.last_day())
    }
}

/// `a × b / c` floored, exactly (`c > 0`); 0 for a negative result.
fn mul_div(a: i64, b: i64, c: i64) -> i64 {
    if c <= 0 {
        return 0;
    }
    let v = i128::from(a) * i128::from(b) / i128::from(c);
    i64::try_from(v.max(0)).unwrap_or(i64::MAX)
}

fn won(v: i64) -> Krw {
    Krw::new(v.max(0)).unwrap_or_default()
}

// ---------------------------------------------------------------- VAT

/// The VAT rate in basis points (부가가치세법 §30: 10%).
pub const VAT_BP: i64 = 1_000;

/// A taxable supply as a tax invoice shows it: supply value, tax, total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(not(target_family = "wasm"), derive(schemars::JsonSchema))]
pub struct Taxed {
    pub supply_krw: i64,
    pub vat_krw: i64,
    pub total_krw: i64,
}

/// VAT on a supply value (prices are quoted without VAT): 10% of the
/// invoice's net taxable supply, floored to the won once per invoice (not
/// per line, so lines never add up to a different tax than their sum).
pub fn vat(supply: i64) -> Taxed {
    let supply = supply.max(0);
    let vat = mul_div(supply, VAT_BP, 10_000);
    Taxed {
        supply_krw: supply,
        vat_krw: vat,
        total_krw: supply + vat,
    }
}

// ---------------------------------------------------------------- B1

/// The last KST day to pay a month's fee: the 10th of that month (seed 003
/// §25①: this month's fee is paid by the 10th; §24④: prepaid).
pub const DUE_DAY_OF_MONTH: u32 = 10;

/// The due day of an invoice for `month` (B1).
pub fn due_day(month: Month) -> NaiveDate {
    month.day(DUE_DAY_OF_MONTH)
}

/// The first month's fee (B1, seed 003 §26①): the monthly fee for the
/// days from the activation day to the month's last day, both counted,
/// over the month's days, floored (the member is never charged a part of
/// a won). Activation on the 1st is the whole month; on the 31st, one day.
pub fn first_month_fee(monthly: Krw, activated_on: NaiveDate) -> Krw {
    let month = Month::of(activated_on);
    let days = month.days() - i64::from(activated_on.day()) + 1;
    won(mul_div(monthly.won(), days, month.days()))
}

/// The plan's fee for `month` of a member activated on `activated_on`
/// (B1): nothing before the activation month, the prorated part in it,
/// the whole monthly fee after it.
pub fn month_fee(monthly: Krw, activated_on: NaiveDate, month: Month) -> Krw {
    let first = Month::of(activated_on);
    if month < first {
        Krw::default()
    } else if month == first {
        first_month_fee(monthly, activated_on)
    } else {
        monthly
    }
}

/// A plan's monthly fee: the unit price (per terminal or per seat) times
/// the contracted units.
pub fn monthly_fee(unit_price: Krw, units: i64) -> Krw {
    won(unit_price.won().saturating_mul(units.max(0)))
}

/// A prepaid term's price: `months` of the monthly fee less the term's
/// discount (basis points), the price floored (a fraction of a won is
/// never charged).
pub fn prepaid_price(monthly: Krw, months: i64, discount_bp: i64) -> Krw {
    let list = i128::from(monthly.won()) * i128::from(months.max(0));
    let price = list * i128::from(10_000 - discount_bp.clamp(0, 10_000)) / 10_000;
    won(i64::try_from(price).unwrap_or(i64::MAX))
}

// ---------------------------------------------------------------- B2

/// The late fee per month overdue, in basis points (seed 003 §28①: 3/100).
pub const LATE_FEE_BP: i64 = 300;

/// How many months of late fee are owed on `today` for an amount due by
/// `due_day` (B2, seed 003 §28②: from the day after the due day, added
/// monthly). A part month counts whole: the first 3% is owed on the day
/// after the due day, the next on the same day of each following month
/// (clamped to a short month's last day).
pub fn late_months(due_day: NaiveDate, today: NaiveDate) -> i64 {
    let Some(first) = due_day.checked_add_days(Days::new(1)) else {
        return 0;
    };
    if today < first {
        return 0;
    }
    let mut months = (i64::from(today.year()) - i64::from(first.year())) * 12
        + i64::from(today.month())
        - i64::from(first.month());
    // This month's day not reached yet: the last whole month is the one before.
    let anniversary = crate::kernel::types::add_months(first, u32::try_from(months).unwrap_or(0));
    if today < anniversary {
        months -= 1;
    }
    months + 1
}

/// The late fee on `overdue` for `months` months: 3% a month of the
/// overdue amount (not of earlier late fees: no compounding), floored.
pub fn late_fee(overdue: Krw, months: i64) -> Krw {
    won(mul_div(overdue.won(), LATE_FEE_BP * months.max(0), 10_000))
}

// ---------------------------------------------------------------- B3

/// The part of (prepaid − used) refunded on a mid-term cancellation (B3,
/// seed 003 §26③): 90%; the other 10% is the cancellation penalty.
pub const PREPAID_REFUND_BP: i64 = 9_000;

/// Calendar days the platform has to pay a B3 refund after the request.
pub const REFUND_DAYS: u64 = 15;

/// A prepaid plan's cancellation, settled (B3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(not(target_family = "wasm"), derive(schemars::JsonSchema))]
pub struct PrepaidSettlement {
    /// used: the days from the term's first day to the cancellation day,
    /// both counted, at the undiscounted monthly price
    pub used_krw: i64,
    /// prepaid − used (0 when used is more)
    pub unused_krw: i64,
    pub refund_krw: i64,
    /// the 10% kept as the cancellation penalty
    pub penalty_krw: i64,
}

/// Used = for each calendar month of the term up to the cancellation day,
/// monthly × days used in it / its days, floored per month (a month used
/// whole is the whole monthly price). Refund = 90% of (prepaid − used),
/// floored.
pub fn prepaid_refund(
    prepaid: Krw,
    monthly_list: Krw,
    first_day: NaiveDate,
    cancel_day: NaiveDate,
) -> PrepaidSettlement {
    let mut used = 0_i64;
    let mut month = Month::of(first_day);
    while cancel_day >= first_day && month <= Month::of(cancel_day) {
        let from = if month == Month::of(first_day) { first_day } else { month.first_day() };
        let to = if month == Month::of(cancel_day) { cancel_day } else { month.last_day() };
        let days = (to - from).num_days() + 1;
        used = used.saturating_add(mul_div(monthly_list.won(), days, month.days()));
        month = month.next();
    }
    let unused = (prepaid.won() - used).max(0);
    let refund = mul_div(unused, PREPAID_REFUND_BP, 10_000);
    PrepaidSettlement {
        used_krw: used,
        unused_krw: unused,
        refund_krw: refund,
        penalty_krw: unused - refund,
    }
}

// ---------------------------------------------------------------- B4

/// The availability the contract promises (seed 003 §31②): 95%.
pub const AVAILABILITY_BP: i64 = 9_500;

/// An interval of outage or maintenance, `[from, to)` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// Seconds of outage that count in `[from, to)` (a month, or its part the
/// member used): the union of the outages (overlaps count once), clipped
/// to the window, less the pre-announced maintenance in it (seed 003
/// §31②). An outage counts from the member's notice, or from when the
/// platform knew if that was earlier: the caller gives that as `from`.
pub fn outage_secs(
    outages: &[Span],
    maintenance: &[Span],
    window: Span,
) -> i64 {
    let clip = |s: &Span| Span {
        from: s.from.max(window.from),
        to: s.to.min(window.to),
    };
    let union = |spans: &[Span]| -> Vec<Span> {
        let mut v: Vec<Span> = spans.iter().map(clip).filter(|s| s.to > s.from).collect();
        v.sort_by_key(|s| s.from);
        let mut out: Vec<Span> = Vec::new();
        for s in v {
            match out.last_mut() {
                Some(last) if s.from <= last.to => last.to = last.to.max(s.to),
                _ => out.push(s),
            }
        }
        out
    };
    let down = union(outages);
    let planned = union(maintenance);
    let mut secs = 0_i64;
    for d in &down {
        let mut total = (d.to - d.from).num_seconds();
        for p in &planned {
            let from = d.from.max(p.from);
            let to = d.to.min(p.to);
            if to > from {
                total -= (to - from).num_seconds();
            }
        }
        secs += total.max(0);
    }
    secs
}

/// Availability in basis points, floored (B4): 10,000 × (1 − outage /
/// window), the window in seconds (a 30-day month: 2,592,000).
pub fn availability_bp(outage_secs: i64, window_secs: i64) -> i64 {
    if window_secs <= 0 {
        return 10_000;
    }
    let up = (window_secs - outage_secs.clamp(0, window_secs)).max(0);
    mul_div(up, 10_000, window_secs)
}

/// The credit proposed for a month below 95% (B4, seed 003 §31③): the
/// 3-month average fee times the shortfall (95% − availability), exact
/// from the seconds (not from the floored percentage), floored. At 90%
/// the credit is 5% of the average fee; at or above 95%, nothing.
pub fn sla_credit(average_fee: Krw, outage_secs: i64, window_secs: i64) -> Krw {
    if window_secs <= 0 {
        return Krw::default();
    }
    let down = outage_secs.clamp(0, window_secs);
    // shortfall = down/T − 5% = (20·down − T) / (20·T)
    let numerator = 20 * down - window_secs;
    if numerator <= 0 {
        return Krw::default();
    }
    won(mul_div(average_fee.won(), numerator, 20 * window_secs))
}

/// The average of the last (up to) 3 months' fees, floored (a member
/// billed for fewer months averages over those).
pub fn three_month_average(fees: &[Krw]) -> Krw {
    let last: Vec<i64> = fees.iter().rev().take(3).map(|k| k.won()).collect();
    if last.is_empty() {
        return Krw::default();
    }
    let n = i64::try_from(last.len()).unwrap_or(1);
    won(last.iter().sum::<i64>() / n)
}

// ---------------------------------------------------------------- B5

/// Compensation for data lost by the platform's fault (B5, seed 003 §31④):
/// what was claimed, up to 1.5 × the 3-month average base fee (add-ons
/// excluded), the cap floored.
pub fn data_loss_compensation(claimed: Krw, average_base_fee: Krw) -> Krw {
    let cap = won(mul_div(average_base_fee.won(), 3, 2));
    claimed.min(cap)
}

// ---------------------------------------------------------------- B6

/// The processing fee kept on a card refund after the card's cancel
/// window (B6, seed 003 §29④): 5%.
pub const CARD_REFUND_FEE_BP: i64 = 500;

/// What a card refund pays back: the whole amount inside the cancel window
/// (the sale is cancelled); after it, the amount less 5%, the fee floored
/// (in the member's favour).
pub fn card_refund(amount: Krw, within_cancel_window: bool) -> Krw {
    if within_cancel_window {
        return amount;
    }
    won(amount.won() - mul_div(amount.won(), CARD_REFUND_FEE_BP, 10_000))
}

// ---------------------------------------------------------------- B7

/// Fee evasion (B7, seed 003 §30): twice the evaded amount.
pub fn evasion_charge(evaded: Krw) -> Krw {
    won(evaded.won().saturating_mul(2))
}

// ---------------------------------------------------------------- B8

/// A matching's success fee (B8): the contract's amount at its category's
/// rate in basis points, floored.
pub fn success_fee(amount: Krw, fee_bp: i64) -> Krw {
    amount.basis_points(fee_bp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn k(v: i64) -> Krw {
        Krw::new(v).unwrap()
    }
    fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
    }

    #[test]
    fn months_know_their_lengths_and_korea_time() {
        for (label, days) in [
            ("2026-01", 31),
            ("2026-02", 28),
            ("2028-02", 29),
            ("2100-02", 28),
            ("2000-02", 29),
            ("2026-04", 30),
            ("2026-12", 31),
        ] {
            assert_eq!(Month::parse(label).unwrap().days(), days, "{label}");
        }
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("26-1"), None);
        // 15:00 UTC on 31 Dec is 1 Jan in Korea.
        assert_eq!(Month::at(utc(2026, 12, 31, 14, 59)).label(), "2026-12");
        assert_eq!(Month::at(utc(2026, 12, 31, 15, 0)).label(), "2027-01");
        assert_eq!(Month::parse("2027-01").unwrap().start(), utc(2026, 12, 31, 15, 0));
        assert_eq!(Month::parse("2026-12").unwrap().prev().label(), "2026-11");
    }

    // rule B1
    #[test]
    fn b1_the_first_month_is_prorated_by_day_to_its_end_floored() {
        let monthly = k(100_000);
        for (activated, fee) in [
            (d(2026, 12, 1), 100_000),
            // 31-day month, last day: 1/31 of 100,000 = 3,225.8 → 3,225
            (d(2026, 12, 31), 3_225),
            // 17 days of 31: 54,838.7 → 54,838
            (d(2026, 12, 15), 54_838),
            // February: 28 days; 15th → 14 days = half
            (d(2026, 2, 15), 50_000),
            // leap February: 29 days; 29th → 1 day = 3,448.2 → 3,448
            (d(2028, 2, 29), 3_448),
            (d(2028, 2, 1), 100_000),
            // 30-day month, 30th: 3,333.3 → 3,333
            (d(2026, 4, 30), 3_333),
        ] {
            assert_eq!(first_month_fee(monthly, activated).won(), fee, "{activated}");
        }
        // An exact fraction is charged exactly: 31,000 over 31 days.
        assert_eq!(first_month_fee(k(31_000), d(2026, 1, 31)).won(), 1_000);
    }

    // rule B1
    #[test]
    fn b1_activation_after_15_utc_is_the_next_korean_day() {
        let monthly = k(310_000);
        // 30 Nov 15:30 UTC = 1 Dec 00:30 KST: December whole, nothing in November.
        let on = kst_date(utc(2026, 11, 30, 15, 30));
        assert_eq!(on, d(2026, 12, 1));
        assert_eq!(month_fee(monthly, on, Month::parse("2026-11").unwrap()).won(), 0);
        assert_eq!(month_fee(monthly, on, Month::parse("2026-12").unwrap()).won(), 310_000);
        // 30 Dec 14:59 UTC = 30 Dec 23:59 KST: two days of 31.
        let on = kst_date(utc(2026, 12, 30, 14, 59));
        assert_eq!(month_fee(monthly, on, Month::parse("2026-12").unwrap()).won(), 20_000);
        // 30 Dec 15:00 UTC = 31 Dec KST: one day.
        let on = kst_date(utc(2026, 12, 30, 15, 0));
        assert_eq!(month_fee(monthly, on, Month::parse("2026-12").unwrap()).won(), 10_000);
        // Then whole months.
        assert_eq!(month_fee(monthly, on, Month::parse("2027-02").unwrap()).won(), 310_000);
    }

    // rule B1
    #[test]
    fn b1_every_month_is_due_by_its_10th_in_korea() {
        assert_eq!(due_day(Month::parse("2027-02").unwrap()), d(2027, 2, 10));
        // The deadline ends at KST midnight after the 10th: 10th 15:00 UTC.
        let ends = crate::kernel::clocks::due_at(due_day(Month::parse("2027-01").unwrap()));
        assert_eq!(ends, utc(2027, 1, 10, 15, 0));
    }

    #[test]
    fn plan_prices_multiply_and_discount_exactly() {
        assert_eq!(monthly_fee(k(15_000), 12).won(), 180_000);
        assert_eq!(monthly_fee(k(15_000), 0).won(), 0);
        for (monthly, months, bp, price) in [
            (100_000, 12, 1_000, 1_080_000),
            (100_000, 12, 0, 1_200_000),
            // 33,333 × 6 = 199,998 less 7.5% = 184,998.15 → 184,998
            (33_333, 6, 750, 184_998),
            (100_000, 1, 10_000, 0),
        ] {
            assert_eq!(prepaid_price(k(monthly), months, bp).won(), price);
        }
    }

    #[test]
    fn vat_is_ten_percent_of_the_supply_floored_once() {
        for (supply, tax, total) in [
            (100_000, 10_000, 110_000),
            (54_838, 5_483, 60_321),
            (9, 0, 9),
            (0, 0, 0),
            (-500, 0, 0),
        ] {
            assert_eq!(
                vat(supply),
                Taxed {
                    supply_krw: supply.max(0),
                    vat_krw: tax,
                    total_krw: total
                },
                "{supply}"
            );
        }
    }

    // rule B2
    #[test]
    fn b2_late_fee_is_3_percent_a_month_a_started_month_whole() {
        let due = d(2027, 1, 10);
        for (today, months) in [
            (d(2027, 1, 10), 0),
            (d(2027, 1, 11), 1),
            (d(2027, 2, 10), 1),
            (d(2027, 2, 11), 2),
            (d(2027, 3, 11), 3),
            (d(2028, 1, 11), 13),
        ] {
            assert_eq!(late_months(due, today), months, "{today}");
        }
        // Due on the 31st: the month after ends on a short month's last day.
        let due = d(2027, 1, 30);
        assert_eq!(late_months(due, d(2027, 1, 31)), 1);
        assert_eq!(late_months(due, d(2027, 2, 27)), 1);
        assert_eq!(late_months(due, d(2027, 2, 28)), 2);
        for (overdue, months, fee) in [
            (110_000, 1, 3_300),
            (110_000, 2, 6_600),
            (60_321, 1, 1_809), // 1,809.63 → 1,809
            (110_000, 0, 0),
        ] {
            assert_eq!(late_fee(k(overdue), months).won(), fee);
        }
    }

    // rule B3
    #[test]
    fn b3_cancelling_a_prepaid_plan_refunds_90_percent_of_the_unused_at_list_price() {
        // 12 months prepaid at 10% off 100,000 a month: 1,080,000.
        let prepaid = prepaid_price(k(100_000), 12, 1_000);
        for (cancel, used, refund) in [
            // January whole and 14 of February's 28 days: 150,000 used.
            (d(2027, 2, 14), 150_000, 837_000),
            // the first day only: 1/31 → 3,225
            (d(2027, 1, 1), 3_225, 969_097),
            // eleven whole months at list price use up more than the
            // discounted prepayment: nothing to refund
            (d(2027, 11, 30), 1_100_000, 0),
            (d(2027, 12, 31), 1_200_000, 0),
        ] {
            let s = prepaid_refund(prepaid, k(100_000), d(2027, 1, 1), cancel);
            assert_eq!(s.used_krw, used, "{cancel}");
            assert_eq!(s.refund_krw, refund, "{cancel}");
            assert_eq!(s.refund_krw + s.penalty_krw, s.unused_krw);
        }
        // A term starting mid-month counts that month's days from its start.
        let s = prepaid_refund(k(600_000), k(100_000), d(2028, 2, 15), d(2028, 3, 31));
        // 15 of 29 leap-February days (51,724.1 → 51,724) and March whole
        assert_eq!(s.used_krw, 151_724);
        assert_eq!(s.refund_krw, 403_448); // 90% of 448,276 = 403,448.4
    }

    fn span(a: DateTime<Utc>, b: DateTime<Utc>) -> Span {
        Span { from: a, to: b }
    }

    // rule B4
    #[test]
    fn b4_availability_counts_outages_once_and_excludes_announced_maintenance() {
        let month = Month::parse("2026-11").unwrap(); // 30 days, 2,592,000 s
        let window = span(month.start(), month.end());
        let h = |n: i64| chrono::Duration::hours(n);
        let t0 = utc(2026, 11, 10, 0, 0);
        // 36 h of outage, of which 6 h overlap a second outage, and 4 h
        // announced maintenance inside it: 36 − 4 = 32 h.
        let outages = [span(t0, t0 + h(36)), span(t0 + h(30), t0 + h(36))];
        let maintenance = [span(t0 + h(2), t0 + h(6))];
        let secs = outage_secs(&outages, &maintenance, window);
        assert_eq!(secs, 32 * 3600);
        // An outage across the month's start counts only its part inside.
        let edge = [span(month.start() - h(5), month.start() + h(3))];
        assert_eq!(outage_secs(&edge, &[], window), 3 * 3600);
        for (down_h, bp) in [(0, 10_000), (36, 9_500), (72, 9_000), (720, 0), (1, 9_986)] {
            assert_eq!(availability_bp(down_h * 3600, 720 * 3600), bp, "{down_h} h");
        }
    }

    // rule B4
    #[test]
    fn b4_below_95_percent_the_credit_is_the_shortfall_of_the_average_fee() {
        let avg = k(300_000);
        let month = 720 * 3600;
        for (down_h, credit) in [
            (0, 0),
            // exactly 95%: no credit
            (36, 0),
            // 90%: 5% of 300,000
            (72, 15_000),
            // 94.9%: 37 h of 720 → (740 − 720)/(20·720) = 1/720 → 416.6 → 416
            (37, 416),
            // down all month: 95% of the fee
            (720, 285_000),
            (900, 285_000),
        ] {
            assert_eq!(sla_credit(avg, down_h * 3600, month).won(), credit, "{down_h} h");
        }
        assert_eq!(three_month_average(&[k(100), k(200), k(300), k(400)]).won(), 300);
        assert_eq!(three_month_average(&[k(100), k(201)]).won(), 150);
        assert_eq!(three_month_average(&[]).won(), 0);
    }

    // rule B5
    #[test]
    fn b5_data_loss_compensation_is_capped_at_one_and_a_half_average_base_fees() {
        for (claimed, avg, paid) in [
            (1_000_000, 300_000, 450_000),
            (200_000, 300_000, 200_000),
            (1_000_000, 100_001, 150_001), // 150,001.5 → 150,001
            (5, 0, 0),
        ] {
            assert_eq!(data_loss_compensation(k(claimed), k(avg)).won(), paid);
        }
    }

    // rule B6
    #[test]
    fn b6_card_refunds_after_the_cancel_window_keep_5_percent() {
        for (amount, within, back) in [
            (110_000, true, 110_000),
            (110_000, false, 104_500),
            (60_321, false, 57_305), // fee 3,016.05 → 3,016
            (19, false, 19),         // fee 0.95 → 0
        ] {
            assert_eq!(card_refund(k(amount), within).won(), back, "{amount}");
        }
    }

    // rule B7
    #[test]
    fn b7_evaded_fees_are_charged_twice() {
        for (evaded, charge) in [(0, 0), (150_000, 300_000), (1, 2)] {
            assert_eq!(evasion_charge(k(evaded)).won(), charge);
        }
    }

    // rule B8
    #[test]
    fn b8_success_fees_are_the_categorys_rate_of_the_amount() {
        for (amount, bp, fee) in [
            (12_000_000, 1_200, 1_440_000),
            (1_234_567, 1_000, 123_456),
            (999, 500, 49),
            (5_000_000, 0, 0),
        ] {
            assert_eq!(success_fee(k(amount), bp).won(), fee);
        }
    }
}
