//! Payments of invoices (seed 003 §25): a bank transfer billing staff
//! record by hand with the bank's reference. A payment never exceeds what
//! is still owed; the invoice is paid when its payments reach its total,
//! which ends its late fees (B2); a member suspended for unpaid fees with
//! nothing else overdue past the grace period is reinstated in the same
//! batch (its terminals accepted again, ranked again, told). Guarded by
//! the invoice's version: two payments recorded at once cannot both fill
//! the same balance.

use super::b1_invoices::{detail, one_reads, OneReads, OneRows};
use super::b1_plans::BILLING_ROLES;
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::kernel::types::{kst_date, Krw};
use super::b2_suspension::{grace_cutoff, FOR_UNPAID, TEMPLATE};
use crate::kernel::i18n::{fill, Lang};
use crate::kernel::outbox::{to_member, Contact};
use crate::matching::m1_profile::{read_weights, reranked, ProfileRow, WeightRow};
use crate::signup::member::MemberRow;
use crate::{read, read_set, row, stmt, use_case};
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

row!(
    pub struct Suspension {
        pub suspended_for: Option<String>,
        pub email_enc: Option<String>,
        /// other invoices overdue past the grace period (B2)
        pub others: i64,
        /// what an open objection disputes on this invoice (D6)
        pub disputed_here: i64,
    }
);

read_set!(pub struct DuplicateReads => DuplicateRows {
    duplicate: Option<Count>,
    suspension: Option<Suspension>,
    member: Option<MemberRow>,
    profile: Option<ProfileRow>,
    portfolio: Option<Count>,
    weights: Vec<WeightRow>,
});

/// `POST /admin/invoices/{id}/payments`: billing staff record a bank
/// transfer against an invoice.
pub struct RecordTransfer;
use_case!(RecordTransfer, "admin.record_transfer", |_uc| Access::Admin(BILLING_ROLES), TransferInput => (OneReads, DuplicateReads));

impl RecordTransfer {
    fn reads(&self, input: &TransferInput, env: &Env) -> (OneReads, DuplicateReads) {
        let cutoff = grace_cutoff(kst_date(env.now)).to_string();
        (
            one_reads(&input.invoice_id),
            DuplicateReads {
                duplicate: read!(
                    "SELECT 1 AS n FROM payments WHERE provider = 'manual' AND reference = ?",
                    input.reference.as_str()
                ),
                suspension: read!(
                    concat!(
                        "SELECT m.suspended_for, m.email_enc,
                           (SELECT COUNT(*) FROM invoices i WHERE i.member_id = m.id AND i.id <> ?1 AND i.paid_at IS NULL
                              AND i.due_day < ?2 AND ",
                        crate::overdue_sql!(),
                        " > 0) AS others,
                           (SELECT COALESCE(SUM(o.disputed_krw), 0) FROM billing_objections o
                              WHERE o.invoice_id = ?1 AND o.state = 'open') AS disputed_here
                         FROM members m WHERE m.id = (SELECT member_id FROM invoices WHERE id = ?1)"
                    ),
                    input.invoice_id.as_str(),
                    cutoff.as_str()
                ),
                member: read!(
                    "SELECT * FROM members WHERE id = (SELECT member_id FROM invoices WHERE id = ?)",
                    input.invoice_id.as_str()
                ),
                profile: read!(
                    "SELECT capabilities, capacity, regions, portfolio_text, portfolio_held, updated_at FROM partner_profiles
                     WHERE member_id = (SELECT member_id FROM invoices WHERE id = ?)",
                    input.invoice_id.as_str()
                ),
                portfolio: read!(
                    "SELECT COUNT(*) AS n FROM documents WHERE kind = 'portfolio'
                       AND member_id = (SELECT member_id FROM invoices WHERE id = ?)",
                    input.invoice_id.as_str()
                ),
                weights: read_weights(),
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
        // B2: nothing left overdue past the grace period: reinstated at once.
        let mut writes = writes;
        let mut effects = Vec::new();
        if let (Some(s), Some(m)) = (&dup.suspension, &dup.member) {
            let still_here = inv.due_day.as_str() < grace_cutoff(today).to_string().as_str()
                && inv.total_krw - paid - s.disputed_here > 0;
            if s.suspended_for.as_deref() == Some(FOR_UNPAID) && s.others == 0 && !still_here {
                writes.push(stmt!(
                    "UPDATE members SET suspended_at = NULL, suspension_reason = NULL, suspended_for = NULL
                     WHERE id = ? AND suspended_for = 'unpaid'",
                    inv.member_id.as_str()
                ));
                writes.push(stmt!(
                    "UPDATE terminals SET auth_version = auth_version + 1, auth_changed_at = ? WHERE member_id = ?",
                    now.as_str(),
                    inv.member_id.as_str()
                ));
                writes.push(audit(env, env.caller(), "member.reinstate_paid", &inv.member_id, &inv.id));
                writes.extend(reranked(
                    m,
                    dup.profile.as_ref(),
                    dup.portfolio.as_ref(),
                    &dup.weights,
                    env,
                ));
                let text = fill("notice.billing.reinstated", Lang::Ko, &[("invoice", &inv.id)]);
                let (n, e) = to_member(
                    env,
                    Contact {
                        member_id: &inv.member_id,
                        email_enc: s.email_enc.as_deref(),
                        phone_enc: None,
                    },
                    TEMPLATE,
                    &text,
                    false,
                );
                writes.extend(n);
                effects = e;
            }
        }
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
            .effects(effects)
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
