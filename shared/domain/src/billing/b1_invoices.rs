//! Invoices as the member's accountant and billing staff read them (rules
//! B1, B2, B8): the list, and one invoice with its lines, each line's VAT
//! class, and the tax breakdown (supply value, VAT, total; what is outside
//! VAT on a statement of its own).

use super::b1_plans::BILLING_ROLES;
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{read, read_set, row, use_case};

row!(
    pub struct InvoiceRow {
        pub id: String,
        pub member_id: String,
        pub company_name: Option<String>,
        pub period: String,
        pub supply_krw: i64,
        pub vat_krw: i64,
        pub outside_krw: i64,
        pub total_krw: i64,
        pub paid_krw: i64,
        pub due_day: String,
        pub issued_at: String,
        pub paid_at: Option<String>,
        pub version: i64,
    }
);
row!(
    pub struct LineRow {
        pub line_no: i64,
        pub kind: String,
        pub vat_class: String,
        pub amount_krw: i64,
        pub quantity: i64,
        pub service_month: Option<String>,
        pub source_id: Option<String>,
        pub basis: String,
    }
);

crate::reply!(
    /// An invoice's head: its month, totals and state.
    pub struct InvoiceSummary {
        pub id: String,
        pub member_id: String,
        pub company_name: Option<String>,
        /// the KST month billed, `YYYY-MM`
        pub period: String,
        /// net taxable supply (VAT excluded)
        pub supply_krw: i64,
        /// 10% of the supply, floored once
        pub vat_krw: i64,
        /// outside VAT: late fees, penalties, compensation (a statement,
        /// not a tax invoice); negative for compensation
        pub outside_krw: i64,
        /// what is due: supply + VAT + outside, never below 0
        pub total_krw: i64,
        pub paid_krw: i64,
        /// the last KST day to pay (the 10th)
        pub due_day: String,
        pub issued_at: String,
        pub paid_at: Option<String>,
        /// `open`, `paid`
        pub state: String,
    }
    /// One line.
    pub struct InvoiceLine {
        pub line_no: i64,
        /// plan_fee, prepaid_term, success_fee, system_fee, direct_deal,
        /// late_fee, sla_credit, compensation, evasion, reversal
        pub kind: String,
        /// taxable, outside, reduction
        pub vat_class: String,
        /// won; negative for a credit or a reversal
        pub amount_krw: i64,
        /// units, months or late months
        pub quantity: i64,
        pub service_month: Option<String>,
        /// what it bills: a contract, a charge, the invoice a late fee is on
        pub source_id: Option<String>,
        /// how it was computed
        pub basis: String,
    }
    /// A payment of an invoice.
    pub struct PaymentView {
        pub payment_id: String,
        /// transfer, card, virtual_account
        pub method: String,
        /// manual (recorded by billing staff), portone
        pub provider: String,
        /// the bank's or the provider's reference
        pub reference: String,
        pub amount_krw: i64,
        pub refunded_krw: i64,
        /// the KST day it was paid
        pub paid_on: String,
        pub created_at: String,
    }
    /// An invoice with its lines and payments.
    pub struct InvoiceDetail {
        pub invoice: InvoiceSummary,
        pub lines: Vec<InvoiceLine>,
        pub payments: Vec<PaymentView>,
    }
    /// A list of invoices: a member's newest first, a month's by id.
    pub struct Invoices {
        pub invoices: Vec<InvoiceSummary>,
        /// more follow: ask again with `after` set to this id
        pub next_after: Option<String>,
    }
);

impl InvoiceRow {
    fn summary(&self) -> InvoiceSummary {
        InvoiceSummary {
            id: self.id.clone(),
            member_id: self.member_id.clone(),
            company_name: self.company_name.clone(),
            period: self.period.clone(),
            supply_krw: self.supply_krw,
            vat_krw: self.vat_krw,
            outside_krw: self.outside_krw,
            total_krw: self.total_krw,
            paid_krw: self.paid_krw,
            due_day: self.due_day.clone(),
            issued_at: self.issued_at.clone(),
            paid_at: self.paid_at.clone(),
            state: if self.paid_at.is_some() { "paid" } else { "open" }.to_owned(),
        }
    }
}

/// The columns an invoice's head is read with, `$where` appended.
macro_rules! invoices {
    ($where:literal) => {
        concat!(
            "SELECT i.id, i.member_id, m.company_name, i.period, i.supply_krw, i.vat_krw, i.outside_krw, i.total_krw,
               i.paid_krw, i.due_day, i.issued_at, i.paid_at, i.version
             FROM invoices i JOIN members m ON m.id = i.member_id WHERE ",
            $where
        )
    };
}

read_set!(pub struct ListReads => ListRows { invoices: Vec<InvoiceRow> });

/// A page of a month's invoices for staff.
pub const PAGE: i64 = 500;

fn list(rows: ListRows, page: Option<i64>) -> Plan {
    let invoices: Vec<InvoiceSummary> = rows.invoices.iter().map(InvoiceRow::summary).collect();
    let full = page.is_some_and(|n| i64::try_from(invoices.len()).unwrap_or(0) == n);
    let next_after = invoices.last().filter(|_| full).map(|i| i.id.clone());
    Plan::ok(200, Invoices { invoices, next_after }, vec![])
}

/// `GET /member/invoices`: the member's invoices, newest first.
pub struct MyInvoices;
use_case!(MyInvoices, "member.invoices", |_uc| Access::Member, () => ListReads);

impl MyInvoices {
    fn reads(&self, (): &(), env: &Env) -> ListReads {
        ListReads {
            invoices: read!(
                invoices!("i.member_id = ? ORDER BY i.period DESC LIMIT 120"),
                env.caller()
            ),
        }
    }

    fn decide(&self, (): (), rows: ListRows, _: &Env) -> Result<Plan, Problem> {
        Ok(list(rows, None))
    }
}

/// Which page of a month's invoices.
#[derive(Debug, Clone)]
pub struct PeriodPage {
    /// `YYYY-MM`
    pub period: String,
    /// the last id of the page before (empty: the first page)
    pub after: String,
}

/// `GET /admin/invoices?period=YYYY-MM&after=`: a month's invoices
/// (billing staff), by id, a page of 500 at a time.
pub struct PeriodInvoices;
use_case!(PeriodInvoices, "admin.invoices", |_uc| Access::Admin(BILLING_ROLES), PeriodPage => ListReads);

impl PeriodInvoices {
    fn reads(&self, page: &PeriodPage, _: &Env) -> ListReads {
        ListReads {
            invoices: read!(
                invoices!("i.period = ? AND i.id > ? ORDER BY i.id LIMIT ?"),
                page.period.as_str(),
                page.after.as_str(),
                PAGE
            ),
        }
    }

    fn decide(&self, _: PeriodPage, rows: ListRows, _: &Env) -> Result<Plan, Problem> {
        Ok(list(rows, Some(PAGE)))
    }
}

row!(
    pub struct PaymentRow {
        pub id: String,
        pub method: String,
        pub provider: String,
        pub reference: String,
        pub amount_krw: i64,
        pub refunded_krw: i64,
        pub paid_on: String,
        pub created_at: String,
    }
);

read_set!(pub struct OneReads => OneRows {
    invoice: Option<InvoiceRow>,
    lines: Vec<LineRow>,
    payments: Vec<PaymentRow>,
});

/// An invoice's reads: its head, lines and payments.
pub fn one_reads(id: &str) -> OneReads {
    OneReads {
        invoice: read!(invoices!("i.id = ?"), id),
        lines: read!(
            "SELECT line_no, kind, vat_class, amount_krw, quantity, service_month, source_id, basis
             FROM invoice_lines WHERE invoice_id = ? ORDER BY line_no",
            id
        ),
        payments: read!(
            "SELECT id, method, provider, reference, amount_krw, refunded_krw, paid_on, created_at
             FROM payments WHERE invoice_id = ? ORDER BY created_at, id",
            id
        ),
    }
}

/// An invoice as it is read, with its lines and payments.
pub fn detail(invoice: &InvoiceRow, lines: Vec<LineRow>, payments: &[PaymentRow]) -> InvoiceDetail {
    InvoiceDetail {
        payments: payments
            .iter()
            .map(|p| PaymentView {
                payment_id: p.id.clone(),
                method: p.method.clone(),
                provider: p.provider.clone(),
                reference: p.reference.clone(),
                amount_krw: p.amount_krw,
                refunded_krw: p.refunded_krw,
                paid_on: p.paid_on.clone(),
                created_at: p.created_at.clone(),
            })
            .collect(),
        invoice: invoice.summary(),
        lines: lines
            .into_iter()
            .map(|l| InvoiceLine {
                line_no: l.line_no,
                kind: l.kind,
                vat_class: l.vat_class,
                amount_krw: l.amount_krw,
                quantity: l.quantity,
                service_month: l.service_month,
                source_id: l.source_id,
                basis: l.basis,
            })
            .collect(),
    }
}

/// `GET /member/invoices/{id}`: one of the member's invoices (another
/// member's is not found).
pub struct MyInvoice;
use_case!(MyInvoice, "member.invoice", |_uc| Access::Member, String => OneReads);

impl MyInvoice {
    fn reads(&self, id: &String, _: &Env) -> OneReads {
        one_reads(id)
    }

    fn decide(&self, _: String, rows: OneRows, env: &Env) -> Result<Plan, Problem> {
        let i = rows
            .invoice
            .filter(|i| i.member_id == env.caller())
            .ok_or_else(Problem::not_found)?;
        Ok(Plan::ok(200, detail(&i, rows.lines, &rows.payments), vec![]))
    }
}

/// `GET /admin/invoices/{id}`: any invoice (billing staff).
pub struct StaffInvoice;
use_case!(StaffInvoice, "admin.invoice", |_uc| Access::Admin(BILLING_ROLES), String => OneReads);

impl StaffInvoice {
    fn reads(&self, id: &String, _: &Env) -> OneReads {
        one_reads(id)
    }

    fn decide(&self, _: String, rows: OneRows, _: &Env) -> Result<Plan, Problem> {
        let i = rows.invoice.ok_or_else(Problem::not_found)?;
        Ok(Plan::ok(200, detail(&i, rows.lines, &rows.payments), vec![]))
    }
}
