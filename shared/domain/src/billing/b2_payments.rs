//! Payments of invoices (seed 003 §25): a bank transfer billing staff
//! record by hand with the bank's reference. A payment never exceeds what
//! is still owed; the invoice is paid when its payments reach its total,
//! which ends its late fees (B2). Guarded by the invoice's version: two
//! payments recorded at once cannot both fill the same balance.

use super::b1_invoices::{detail, one_reads, OneReads, OneRows};
use super::b1_plans::BILLING_ROLES;
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::kernel::types::{kst_date, Krw};
use crate::{read, read_set, stmt, use_case};
use chrono::NaiveDate;
use serde_json::json;

/// A bank transfer to record.
#[derive(Debug, Clone)]
pub struct TransferInput {
    pub invoice_id: String,
    pub amount: Krw,
    /// the bank's reference: an identifier, not prose
    pub reference: String,
    /// the KST day it was paid (default today)
    pub paid_on: Option<NaiveDate>,
}

/// A transfer reference: 1–64 letters, digits, `-`, `_`, `/` or `.`.
///
/// # Errors
/// `field.payment_reference` otherwise.
pub fn reference(raw: &str) -> Result<String, &'static str> {
    let r = raw.trim();
    let ok = !r.is_empty()
        && r.len() <= 64
        && r
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'));
    ok.then(|| r.to_owned()).ok_or("field.payment_reference")
}

read_set!(pub struct DuplicateReads => DuplicateRows { duplicate: Option<Count> });

/// `POST /admin/invoices/{id}/payments`: billing staff record a bank
/// transfer against an invoice.
pub struct RecordTransfer;
use_case!(RecordTransfer, "admin.record_transfer", |_uc| Access::Admin(BILLING_ROLES), TransferInput => (OneReads, DuplicateReads));

impl RecordTransfer {
    fn reads(&self, input: &TransferInput, _: &Env) -> (OneReads, DuplicateReads) {
        (
            one_reads(&input.invoice_id),
            DuplicateReads {
                duplicate: read!(
                    "SELECT 1 AS n FROM payments WHERE provider = 'manual' AND reference = ?",
                    input.reference.as_str()
                ),
            },
        )
    }

    fn decide(
        &self,
        input: TransferInput,
        (rows, dup): (OneRows, DuplicateRows),
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut inv = rows.invoice.ok_or_else(Problem::not_found)?;
        if dup.duplicate.is_some() {
            return Err(Problem::field("reference", "detail.payment_reference_used"));
        }
        let today = kst_date(env.now);
        let paid_on = input.paid_on.unwrap_or(today);
        if paid_on > today {
            return Err(Problem::field("paid_on", "field.date_future"));
        }
        let owed = inv.total_krw - inv.paid_krw;
        if owed <= 0 {
            return Err(Problem::conflict("detail.invoice_paid"));
        }
        if input.amount.won() > owed {
            return Err(Problem::field("amount_krw", "detail.payment_over")
                .with("owed_krw", json!(owed)));
        }
        let id = new_id(env.rng, "pay");
        let now = env.now.to_rfc3339();
        let paid = inv.paid_krw + input.amount.won();
        let settled = (paid >= inv.total_krw).then(|| now.clone());
        let writes = vec![
            stmt!(
                "UPDATE invoices SET paid_krw = ?, paid_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                paid,
                settled.as_deref(),
                inv.id.as_str(),
                inv.version
            ),
            guard_one_change(),
            stmt!(
                "INSERT INTO payments (id, invoice_id, member_id, method, provider, reference, amount_krw, paid_on, recorded_by, created_at)
                 VALUES (?, ?, ?, 'transfer', 'manual', ?, ?, ?, ?, ?)",
                id.as_str(),
                inv.id.as_str(),
                inv.member_id.as_str(),
                input.reference.as_str(),
                input.amount,
                paid_on.to_string(),
                env.caller(),
                now.as_str()
            ),
            audit(
                env,
                env.caller(),
                "billing.transfer_recorded",
                &inv.member_id,
                &format!("{} KRW on {} ({})", input.amount.won(), inv.id, input.reference),
            ),
        ];
        inv.paid_krw = paid;
        inv.paid_at = settled;
        let mut payments = rows.payments;
        payments.push(super::b1_invoices::PaymentRow {
            id,
            method: "transfer".into(),
            provider: "manual".into(),
            reference: input.reference,
            amount_krw: input.amount.won(),
            refunded_krw: 0,
            paid_on: paid_on.to_string(),
            created_at: now,
        });
        Ok(Plan::ok(201, detail(&inv, rows.lines, &payments), writes)
            .conflict_means(Problem::conflict("detail.invoice_changed")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_reference_is_an_identifier_not_prose() {
        assert_eq!(reference(" KB-2027-0110/33 ").unwrap(), "KB-2027-0110/33");
        for bad in ["", "김철수 입금", "a b", &"x".repeat(65)] {
            assert_eq!(reference(bad), Err("field.payment_reference"), "{bad}");
        }
    }
}
