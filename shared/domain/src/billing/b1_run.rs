//! The monthly invoice run (rules B1, B2, B8): a background job over every
//! active member, started by the sweep once per KST month (job id
//! `invoices_<YYYY-MM>`: a second start fails on the row's key).
//!
//! Each step reads a page of members after the cursor and, in the same
//! round trip, everything their invoices are made of (set-based: one
//! statement per kind of input for the whole page), composes each invoice
//! without I/O (`invoice::compose`) and writes the page's invoices, lines
//! and billed charges and adjustments in four statements of one atomic
//! batch. Exactly
//! once, however often a step repeats: an invoice's id is its member's and
//! month's, a member with an invoice for the month is skipped, inserts do
//! nothing on a row already there, success fees are billed once per
//! contract (a unique index) and charges once (`invoiced_at IS NULL`).
//! Each invoice is e-mailed to the member in the same batch (the notice's
//! id is the invoice's: written once).

use super::amounts::{Month, Span};
use super::invoice::{
    compose, Accepted, Adjustment, Charge, Invoice, LineKind, MemberMonth, PlanTerm, Unpaid, VatClass,
};
use crate::kernel::background::{self, Advance, Job};
use crate::kernel::engine::{Cx, Effect};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::notify::Links;
use crate::kernel::outbox::{self, Contact};
use crate::kernel::ports::{PortError, Stmt};
use crate::kernel::reads::ReadSet;
use crate::kernel::types::{kst_date, Krw};
use crate::signup::SignupConfig;
use crate::{read, read_set, row, stmt};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

/// The job's kind.
pub const JOB: &str = "billing.invoice_run";

/// Members one step invoices: its write batch is four statements
/// whatever the page's size; the page's JSON stays far below D1's limits.
pub const MEMBERS_PER_STEP: i64 = 200;

/// The e-mail that sends an invoice to the member (B10: invoices are sent).
pub const TEMPLATE: &str = "invoice_issued";

/// The invoice's notice: its month, the amounts as a tax invoice shows
/// them, the due day and where to read it.
fn notice(i: &Invoice, link: &str) -> String {
    let won = |v: i64| Krw::new(v.max(0)).unwrap_or_default().grouped();
    fill(
        "notice.billing.invoice_issued",
        Lang::Ko,
        &[
            ("period", &i.period.label()),
            ("supply", &won(i.totals.taxed.supply_krw)),
            ("vat", &won(i.totals.taxed.vat_krw)),
            ("outside", &i.totals.outside.to_string()),
            ("total", &won(i.totals.total)),
            ("due_day", &i.due_day.to_string()),
            ("link", link),
        ],
    )
}

/// The job id of a month's run.
pub fn run_id(period: Month) -> String {
    format!("invoices_{}", period.label())
}

/// The members of a page: active, after the cursor, by id.
macro_rules! page {
    () => {
        "(SELECT id FROM members WHERE status = 'active' AND id > ?1 ORDER BY id LIMIT ?2)"
    };
}

row!(
    struct PageMember {
        id: String,
        activated_at: Option<String>,
        email_enc: Option<String>,
    }
);
row!(
    struct PlanRow {
        member_id: String,
        plan_code: String,
        units: i64,
        unit_price_krw: Krw,
        term_months: i64,
        discount_bp: i64,
        starts_on: String,
        ends_on: Option<String>,
    }
);
row!(
    struct LastPeriod {
        member_id: String,
        period: String,
    }
);
row!(
    struct AcceptedRow {
        id: String,
        member_id: String,
        fee_bp: i64,
        category: String,
        amount_krw: Krw,
    }
);
row!(
    struct ChargeRow {
        id: String,
        member_id: String,
        amount_krw: Krw,
        basis: String,
    }
);
row!(
    struct AdjustmentRow {
        id: String,
        member_id: String,
        kind: LineKind,
        vat_class: VatClass,
        amount_krw: i64,
        basis: String,
        source_id: String,
    }
);
row!(
    struct OutageRow {
        kind: String,
        member_id: Option<String>,
        starts_at: String,
        ends_at: String,
        announced_at: Option<String>,
    }
);
row!(
    struct BaseFeeRow {
        member_id: String,
        service_month: String,
        fee: i64,
    }
);
row!(
    struct UnpaidRow {
        id: String,
        member_id: String,
        period: String,
        due_day: String,
        overdue: i64,
        late_months_billed: i64,
    }
);

read_set!(struct RunReads => RunRows {
    members: Vec<PageMember>,
    plans: Vec<PlanRow>,
    last: Vec<LastPeriod>,
    accepted: Vec<AcceptedRow>,
    charges: Vec<ChargeRow>,
    adjustments: Vec<AdjustmentRow>,
    unpaid: Vec<UnpaidRow>,
    outages: Vec<OutageRow>,
    base_fees: Vec<BaseFeeRow>,
});

/// The reads of one page: `?1` the cursor, `?2` the page size, `?3` the
/// month's first instant (the run's KST day for unpaid invoices).
fn reads(after: &str, period: Month, run_day: NaiveDate) -> RunReads {
    let start = period.start().to_rfc3339();
    let day = run_day.to_string();
    let before = period.prev();
    RunReads {
        // B4: the month before's outages and maintenance (every member's
        // and the page's own), and the page's plan fees of the 3 months up
        // to it.
        outages: read!(
            concat!(
                "SELECT kind, member_id, starts_at, ends_at, announced_at FROM outages
                 WHERE ends_at > ?3 AND starts_at < ?4 AND (member_id IS NULL OR member_id IN ",
                page!(),
                ") ORDER BY starts_at LIMIT 2000"
            ),
            after,
            MEMBERS_PER_STEP,
            before.start().to_rfc3339(),
            before.end().to_rfc3339()
        ),
        base_fees: read!(
            concat!(
                "SELECT i.member_id, l.service_month, SUM(l.amount_krw) AS fee
                 FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                 WHERE l.kind = 'plan_fee' AND l.service_month >= ?3 AND l.service_month <= ?4 AND i.member_id IN ",
                page!(),
                " GROUP BY i.member_id, l.service_month"
            ),
            after,
            MEMBERS_PER_STEP,
            before.prev().prev().label(),
            before.label()
        ),
        members: read!(
            "SELECT id, activated_at, email_enc FROM members WHERE status = 'active' AND id > ?1 ORDER BY id LIMIT ?2",
            after,
            MEMBERS_PER_STEP
        ),
        plans: read!(
            concat!(
                "SELECT member_id, plan_code, units, unit_price_krw, term_months, discount_bp, starts_on, ends_on
                 FROM member_plans WHERE member_id IN ",
                page!()
            ),
            after,
            MEMBERS_PER_STEP
        ),
        last: read!(
            concat!(
                "SELECT member_id, MAX(period) AS period FROM invoices WHERE member_id IN ",
                page!(),
                " GROUP BY member_id"
            ),
            after,
            MEMBERS_PER_STEP
        ),
        accepted: read!(
            concat!(
                "SELECT c.id, c.partner_id AS member_id, c.success_fee_bp AS fee_bp, c.category, v.amount_krw
                 FROM contracts c JOIN contract_versions v ON v.contract_id = c.id AND v.number = c.formed_version
                 WHERE c.state = 'accepted' AND c.accepted_at < ?3
                   AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.kind = 'success_fee' AND l.source_id = c.id)
                   AND c.partner_id IN ",
                page!(),
                " ORDER BY c.accepted_at, c.id"
            ),
            after,
            MEMBERS_PER_STEP,
            start.as_str()
        ),
        charges: read!(
            concat!(
                "SELECT id, member_id, amount_krw, basis FROM charges
                 WHERE invoiced_at IS NULL AND created_at < ?3 AND member_id IN ",
                page!(),
                " ORDER BY created_at, id"
            ),
            after,
            MEMBERS_PER_STEP,
            start.as_str()
        ),
        adjustments: read!(
            concat!(
                "SELECT id, member_id, kind, vat_class, amount_krw, basis, source_id FROM billing_adjustments
                 WHERE invoiced_at IS NULL AND member_id IN ",
                page!(),
                " ORDER BY created_at, id"
            ),
            after,
            MEMBERS_PER_STEP
        ),
        // Overdue: what is owed less its own late fees (no compounding)
        // and less what an open objection disputes (D6).
        unpaid: read!(
            concat!(
                "SELECT i.id, i.member_id, i.period, i.due_day, ",
                crate::overdue_sql!(),
                " - COALESCE((SELECT SUM(l.amount_krw) FROM invoice_lines l WHERE l.invoice_id = i.id AND l.kind = 'late_fee'), 0) AS overdue,
                   COALESCE((SELECT SUM(l.quantity) FROM invoice_lines l WHERE l.source_id = i.id AND l.kind = 'late_fee'), 0) AS late_months_billed
                 FROM invoices i WHERE i.paid_at IS NULL AND i.due_day < ?3 AND i.member_id IN ",
                page!(),
                " ORDER BY i.period"
            ),
            after,
            MEMBERS_PER_STEP,
            day.as_str()
        ),
    }
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Each row to its member's month (rows of members not on the page are
/// left out).
fn give<T>(
    by: &mut BTreeMap<String, MemberMonth>,
    rows: Vec<T>,
    whose: fn(&T) -> &String,
    mut put: impl FnMut(&mut MemberMonth, T),
) {
    for r in rows {
        let key = whose(&r).clone();
        if let Some(m) = by.get_mut(&key) {
            put(m, r);
        }
    }
}

/// The page's rows, member by member.
fn members(rows: RunRows) -> Vec<MemberMonth> {
    let mut by: BTreeMap<String, MemberMonth> = BTreeMap::new();
    for m in &rows.members {
        by.insert(
            m.id.clone(),
            MemberMonth {
                member_id: m.id.clone(),
                activated_on: crate::kernel::types::parse_instant(m.activated_at.as_deref())
                    .map(kst_date),
                ..MemberMonth::default()
            },
        );
    }
    give(&mut by, rows.plans, |p| &p.member_id, |m, p| {
        if let Some(starts_on) = day(&p.starts_on) {
            m.plans.push(PlanTerm {
                plan_code: p.plan_code,
                units: p.units,
                unit_price: p.unit_price_krw,
                term_months: p.term_months,
                discount_bp: p.discount_bp,
                starts_on,
                ends_on: p.ends_on.as_deref().and_then(day),
            });
        }
    });
    give(&mut by, rows.last, |l| &l.member_id, |m, l| {
        m.last_period = Month::parse(&l.period);
    });
    give(&mut by, rows.accepted, |a| &a.member_id, |m, a| {
        m.accepted.push(Accepted {
            contract_id: a.id,
            amount: a.amount_krw,
            fee_bp: a.fee_bp,
            category: a.category,
        });
    });
    give(&mut by, rows.charges, |c| &c.member_id, |m, c| {
        m.charges.push(Charge {
            id: c.id,
            amount: c.amount_krw,
            basis: c.basis,
        });
    });
    give(&mut by, rows.adjustments, |a| &a.member_id, |m, a| {
        m.adjustments.push(Adjustment {
            id: a.id,
            kind: a.kind,
            vat_class: a.vat_class,
            amount: a.amount_krw,
            basis: a.basis,
            source_id: a.source_id,
        });
    });
    give(&mut by, rows.unpaid, |u| &u.member_id, |m, u| {
        if let Some(due_day) = day(&u.due_day) {
            m.unpaid.push(Unpaid {
                invoice_id: u.id,
                period: u.period,
                due_day,
                overdue: Krw::new(u.overdue.max(0)).unwrap_or_default(),
                late_months_billed: u.late_months_billed,
            });
        }
    });
    give(&mut by, rows.base_fees, |f| &f.member_id, |m, f| {
        if let Some(month) = Month::parse(&f.service_month) {
            m.base_fees.push((month, Krw::new(f.fee.max(0)).unwrap_or_default()));
        }
    });
    let instant = |s: &str| crate::kernel::types::parse_instant(Some(s));
    for o in &rows.outages {
        let (Some(from), Some(to)) = (instant(&o.starts_at), instant(&o.ends_at)) else {
            continue;
        };
        let span = Span { from, to };
        // Maintenance is left out only when announced before it began.
        let planned = o.kind == "maintenance"
            && o.announced_at.as_deref().and_then(instant).is_some_and(|a| a <= from);
        for m in by.values_mut() {
            if o.member_id.as_ref().is_some_and(|id| *id != m.member_id) {
                continue;
            }
            // Work not announced before it began is outage time.
            if planned {
                m.maintenance.push(span);
            } else {
                m.outages.push(span);
            }
        }
    }
    by.into_values().collect()
}

/// The page's writes: every invoice, every line, every billed charge and
/// adjustment, in four statements.
fn writes(invoices: &[Invoice], run: &str, now: &str) -> Vec<Stmt> {
    if invoices.is_empty() {
        return Vec::new();
    }
    let heads: Vec<Json> = invoices
        .iter()
        .map(|i| {
            json!([
                i.id,
                i.member_id,
                i.period.label(),
                i.totals.taxed.supply_krw,
                i.totals.taxed.vat_krw,
                i.totals.outside,
                i.totals.total,
                i.due_day.to_string()
            ])
        })
        .collect();
    let mut lines = Vec::new();
    let mut charges = Vec::new();
    let mut adjustments = Vec::new();
    for i in invoices {
        for a in &i.adjustment_ids {
            adjustments.push(json!([a, i.id]));
        }
        for (n, l) in i.lines.iter().enumerate() {
            lines.push(json!([
                i.id,
                n + 1,
                l.kind.as_str(),
                l.vat_class.as_str(),
                l.amount,
                l.quantity,
                l.service_month.map(Month::label),
                l.source_id,
                l.basis
            ]));
        }
        for c in &i.charge_ids {
            charges.push(json!([c, i.id]));
        }
    }
    let mut out = vec![
        stmt!(
            "INSERT INTO invoices (id, member_id, period, run_id, supply_krw, vat_krw, outside_krw, total_krw, due_day, issued_at)
             SELECT value ->> 0, value ->> 1, value ->> 2, ?, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, ?
             FROM json_each(?) WHERE true ON CONFLICT DO NOTHING",
            run,
            now,
            Json::Array(heads).to_string()
        ),
        stmt!(
            "INSERT INTO invoice_lines (invoice_id, line_no, kind, vat_class, amount_krw, quantity, service_month, source_id, basis, created_at)
             SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, ?
             FROM json_each(?) WHERE true ON CONFLICT DO NOTHING",
            now,
            Json::Array(lines).to_string()
        ),
    ];
    // Each billed charge and adjustment marked with its invoice, once.
    for (sql, pairs) in [
        (
            "UPDATE charges SET invoiced_at = ?1,
               invoice_id = (SELECT j.value ->> 1 FROM json_each(?2) j WHERE j.value ->> 0 = charges.id)
             WHERE invoiced_at IS NULL AND id IN (SELECT value ->> 0 FROM json_each(?2))",
            charges,
        ),
        (
            "UPDATE billing_adjustments SET invoiced_at = ?1,
               invoice_id = (SELECT j.value ->> 1 FROM json_each(?2) j WHERE j.value ->> 0 = billing_adjustments.id)
             WHERE invoiced_at IS NULL AND id IN (SELECT value ->> 0 FROM json_each(?2))",
            adjustments,
        ),
    ] {
        if !pairs.is_empty() {
            out.push(stmt!(sql, now, Json::Array(pairs).to_string()));
        }
    }
    out
}

/// The monthly run as a job: `params` `{"period": "2027-01", "day":
/// "2027-01-01"}` (the month invoiced and the KST day the run started,
/// from which late months are counted), `cursor` `{"after": member id}`.
pub struct InvoiceRun;

#[async_trait::async_trait(?Send)]
impl Job for InvoiceRun {
    fn kind(&self) -> &'static str {
        JOB
    }

    async fn step(&self, cx: &Cx<'_>, params: &Json, cursor: &Json) -> Result<Advance, PortError> {
        let (Some(period), Some(run_day)) = (
            params["period"].as_str().and_then(Month::parse),
            params["day"].as_str().and_then(day),
        ) else {
            return Ok(Advance::Fail {
                reason: "detail.job_params_invalid",
            });
        };
        let after = cursor["after"].as_str().unwrap_or("");
        let stmts = reads(after, period, run_day).into_stmts();
        let results = cx
            .db
            .batch(&stmts)
            .await
            .map_err(|e| PortError(e.to_string()))?;
        let rows = RunReads::rows(&mut results.into_iter()).map_err(|e| PortError(e.to_string()))?;
        let last = rows.members.last().map(|m| m.id.clone());
        let n = i64::try_from(rows.members.len()).unwrap_or(0);
        let emails: BTreeMap<String, Option<String>> = rows
            .members
            .iter()
            .map(|m| (m.id.clone(), m.email_enc.clone()))
            .collect();
        let system_fee = cx.config.area::<SignupConfig>().system_fee;
        let invoices: Vec<Invoice> = members(rows)
            .iter()
            .filter_map(|m| compose(m, period, run_day, system_fee))
            .collect();
        let now = cx.clock.now();
        let mut w = writes(&invoices, &run_id(period), &now.to_rfc3339());
        let mut sends = Vec::new();
        let link = cx.config.area::<Links>().app("billing");
        for i in &invoices {
            let to = Contact {
                member_id: &i.member_id,
                email_enc: emails.get(&i.member_id).and_then(Option::as_deref),
                phone_enc: None,
            };
            let Some(address) = to.address(cx.keys, "email") else {
                continue;
            };
            let (row, send) = outbox::once(
                cx.keys,
                cx.rng,
                &format!("ntc_{}", i.id),
                &i.member_id,
                "email",
                TEMPLATE,
                &address,
                &notice(i, &link),
                now,
            );
            w.push(row);
            if let Effect::Enqueue(m) = send {
                sends.push(m);
            }
        }
        if !w.is_empty() {
            cx.db.batch(&w).await.map_err(|e| PortError(e.to_string()))?;
        }
        // Committed: a lost send is sent again by the sweep (`ResendLost`).
        if !sends.is_empty() {
            if let Err(e) = cx.queue.send_batch(&sends).await {
                crate::kernel::engine::log_error(&format!("{TEMPLATE}: notices not queued: {e}"));
            }
        }
        let units = i64::try_from(invoices.len()).unwrap_or(0);
        Ok(match last {
            Some(last) if n == MEMBERS_PER_STEP => Advance::Next {
                cursor: json!({ "after": last }),
                units,
            },
            _ => Advance::Done { units },
        })
    }
}

/// The month's run, due from the month's first KST day (B1: invoices
/// issued from the 1st, due by the 10th), started once
/// (`background::StartScheduled`); late months are counted from the day
/// it starts.
pub fn scheduled(now: DateTime<Utc>) -> Vec<background::Scheduled> {
    let today = kst_date(now);
    let period = Month::of(today);
    vec![background::Scheduled {
        id: run_id(period),
        kind: JOB,
        params: json!({ "period": period.label(), "day": today.to_string() }),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_writes_a_page_in_three_statements() {
        let inv = |id: &str| Invoice {
            id: id.into(),
            member_id: "m".into(),
            period: Month::parse("2027-01").unwrap(),
            due_day: NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
            lines: vec![],
            totals: super::super::invoice::totals(&[]),
            charge_ids: vec!["chg_1".into()],
            adjustment_ids: vec![],
        };
        assert!(writes(&[], "r", "t").is_empty());
        assert_eq!(writes(&[inv("a"), inv("b")], "r", "t").len(), 3);
        assert_eq!(run_id(Month::parse("2027-01").unwrap()), "invoices_2027-01");
    }
}
