//! Rules B5 and B7 (seed 003 §30, §31④): billing staff record, for the
//! member's next invoice, compensation for data the platform lost by its
//! fault (what was claimed, up to 1.5 × the average plan fee of the last 3
//! months billed; outside VAT, a credit) or a charge for evaded fees
//! (twice the evaded amount; outside VAT). Each is an adjustment the
//! monthly run bills once; its basis is computed here from numbers (no
//! prose: the ledger's text is not sealed), with the case's reference.

use super::amounts::{data_loss_compensation, evasion_charge, three_month_average};
use super::b1_plans::BILLING_ROLES;
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::kernel::types::Krw;
use crate::{read, read_set, row, stmt, use_case};

crate::text_enum!(
    /// What is recorded.
    pub enum AdjustmentKind {
        /// B5: data lost by the platform's fault
        Compensation = "compensation",
        /// B7: fees evaded
        Evasion = "evasion",
    }
);

#[derive(Debug, Clone)]
pub struct AdjustmentInput {
    pub member_id: String,
    pub kind: AdjustmentKind,
    /// compensation: what the member claimed; evasion: what was evaded
    pub amount: Krw,
    /// the case's reference (a claim, a report): an identifier
    pub reference: String,
}

crate::reply!(
    /// An adjustment for the member's next invoice (B5, B7).
    pub struct AdjustmentView {
        pub adjustment_id: String,
        pub member_id: String,
        /// compensation, evasion
        pub kind: AdjustmentKind,
        /// what was claimed or evaded
        pub stated_krw: i64,
        /// compensation's cap: 1.5 × the 3-month average plan fee
        pub cap_krw: Option<i64>,
        /// on the next invoice, outside VAT: negative for compensation
        pub amount_krw: i64,
        pub basis: String,
        pub reference: String,
    }
);

row!(
    pub struct MonthFee {
        pub service_month: String,
        pub fee: i64,
    }
);

read_set!(pub struct AdjustmentReads => AdjustmentRows {
    member: Option<Count>,
    fees: Vec<MonthFee>,
});

/// `POST /admin/members/{id}/adjustments`: compensation (B5) or an
/// evasion charge (B7) for the next invoice.
pub struct RecordAdjustment;
use_case!(RecordAdjustment, "admin.billing_adjustment", |_uc| Access::Admin(BILLING_ROLES), AdjustmentInput => AdjustmentReads);

impl RecordAdjustment {
    fn reads(&self, input: &AdjustmentInput, _: &Env) -> AdjustmentReads {
        AdjustmentReads {
            member: read!("SELECT 1 AS n FROM members WHERE id = ? AND status = 'active'", input.member_id.as_str()),
            fees: read!(
                "SELECT l.service_month, SUM(l.amount_krw) AS fee FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                 WHERE i.member_id = ? AND l.kind = 'plan_fee' AND l.service_month IS NOT NULL
                 GROUP BY l.service_month ORDER BY l.service_month DESC LIMIT 3",
                input.member_id.as_str()
            ),
        }
    }

    fn decide(&self, input: AdjustmentInput, rows: AdjustmentRows, env: &Env) -> Result<Plan, Problem> {
        if rows.member.is_none() {
            return Err(Problem::not_found());
        }
        let stated = input.amount.won();
        let (amount, cap, basis) = match input.kind {
            AdjustmentKind::Compensation => {
                let mut fees: Vec<Krw> = rows
                    .fees
                    .iter()
                    .map(|f| Krw::new(f.fee.max(0)).unwrap_or_default())
                    .collect();
                fees.reverse();
                let average = three_month_average(&fees);
                let granted = data_loss_compensation(input.amount, average);
                let cap = Krw::new(average.won() * 3 / 2).unwrap_or_default().won();
                (
                    -granted.won(),
                    Some(cap),
                    format!(
                        "data-loss compensation: claimed {stated} KRW, up to 1.5 x the 3-month average plan fee {} KRW = {cap} KRW ({})",
                        average.won(),
                        input.reference
                    ),
                )
            }
            AdjustmentKind::Evasion => {
                let charge = evasion_charge(input.amount);
                (
                    charge.won(),
                    None,
                    format!("evaded fees: 2 x {stated} KRW ({})", input.reference),
                )
            }
        };
        if amount == 0 {
            return Err(Problem::conflict("detail.adjustment_nothing"));
        }
        let id = new_id(env.rng, "adj");
        let writes = vec![
            stmt!(
                "INSERT INTO billing_adjustments (id, member_id, kind, vat_class, amount_krw, basis, source_id, created_by, created_at)
                 VALUES (?, ?, ?, 'outside', ?, ?, ?, ?, ?)",
                id.as_str(),
                input.member_id.as_str(),
                input.kind,
                amount,
                basis.as_str(),
                input.reference.as_str(),
                env.caller(),
                env.now.to_rfc3339()
            ),
            audit(
                env,
                env.caller(),
                "billing.adjustment",
                &input.member_id,
                &format!("{} {amount} KRW ({})", input.kind.as_str(), input.reference),
            ),
        ];
        Ok(Plan::ok(
            201,
            AdjustmentView {
                adjustment_id: id,
                member_id: input.member_id,
                kind: input.kind,
                stated_krw: stated,
                cap_krw: cap,
                amount_krw: amount,
                basis,
                reference: input.reference,
            },
            writes,
        ))
    }
}
