//! Billing in won and Korea time (rules B1–B10, D6; seed 003 §24–32, seed
//! 000's fees, seed 001's usage alerts). Every amount rule is a pure
//! function in `amounts.rs` with a table of cases; the rest reads rows,
//! composes without I/O and writes one batch.
//!
//! | rule | file | tests |
//! |---|---|---|
//! | B1 billing from the activation day, the first month prorated by day to its end, then monthly, due by the 10th (KST); plans as data, a member's plan history; the monthly run (a job, started by the sweep each KST month, exactly once per member and month) | `amounts.rs` (`first_month_fee`, `month_fee`, `due_day`), `invoice.rs` (composition, VAT classes, totals), `b1_plans.rs`, `b1_run.rs`, `b1_invoices.rs` | `b1_*` in `amounts.rs`, `invoice.rs` and `tests/tests/billing.rs` |
//! | B2 late fee 3% of the overdue amount a month from the day after the due day, a started month whole | `amounts.rs` (`late_months`, `late_fee`), `invoice.rs` | `b2_*` in `amounts.rs`, `invoice.rs`, `tests/tests/billing.rs` |
//! | B3 a prepaid plan cancelled mid-term: 90% of (prepaid − used at the undiscounted price, daily) | `amounts.rs` (`prepaid_refund`) | `b3_*` in `amounts.rs` |
//! | B4 availability from outages billing staff record (from the member's notice or when the platform knew; overlaps once; maintenance announced before it began excluded); below 95% the next invoice proposes a credit of the shortfall of the 3-month average plan fee (a reduction of the supply value) | `amounts.rs` (`outage_secs`, `availability_bp`, `sla_credit`), `b4_outages.rs`, `invoice.rs` (`sla_line`), `b1_run.rs` | `b4_*` in `amounts.rs`, `invoice.rs`, `tests/tests/billing.rs` |
//! | B5 data-loss compensation up to 1.5 × the 3-month average base fee, recorded by billing staff for the next invoice (outside VAT, a credit) | `amounts.rs`, `b5_b7_adjustments.rs` | `b5_*` in `amounts.rs` and `tests/tests/billing.rs` |
//! | B6 a card refund after the cancel window keeps 5% | `amounts.rs` | `b6_*` in `amounts.rs` |
//! | B7 evaded fees charged twice, recorded by billing staff for the next invoice (outside VAT) | `amounts.rs`, `b5_b7_adjustments.rs` | `b7_*` in `amounts.rs` and `tests/tests/billing.rs` |
//! | B8 success fee by category, once per accepted contract; the yearly system fee; C8's penalties billed outside VAT | `amounts.rs`, `invoice.rs`, `b1_run.rs` | `b8_*` in `amounts.rs`, `invoice.rs`, `tests/tests/billing.rs` |
//!
//! | B2 (payments) bank transfers recorded by billing staff with the bank's reference, never more than is owed; a paid invoice bears no late fee | `b2_payments.rs` | `b2_*` in `tests/tests/billing.rs` |
//! | B2 (suspension) an invoice unpaid 30 KST days after its due day suspends the member (V6: terminals refused, not proposed, told why) by a daily job; a payment leaving nothing that overdue reinstates it at once; what an open objection disputes suspends no one | `b2_suspension.rs`, `b2_payments.rs` | `b2_*` in `b2_suspension.rs` and `tests/tests/billing.rs` |
//! | D6 an objection within 10 KST days of the invoice's sending; answered in 7 KST days (a clock) or a new day with the reason; the disputed amount bears no late fee while open; an upheld objection's corrections are reversals on the next invoice | `d6_objections.rs`, `b1_run.rs` (overdue less the disputed; adjustments billed) | `d6_*` in `d6_objections.rs` and `tests/tests/billing.rs` |
//!
//! Payments through the provider, refunds, reconciliation, the e-tax
//! invoices, suspension for non-payment, credits and claims, B9's
//! termination and B10's usage alerts come next.

pub mod amounts;
pub mod b1_invoices;
pub mod b1_plans;
pub mod b1_run;
pub mod b2_payments;
pub mod b2_suspension;
pub mod b4_outages;
pub mod b5_b7_adjustments;
pub mod d6_objections;
pub mod invoice;
pub mod messages;

pub use messages::MESSAGES;
