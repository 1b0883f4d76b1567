//! Outages and announced maintenance as billing staff record them (rule
//! B4, seed 003 §31②): each outage from when the member told the platform
//! or the platform knew, whichever was first, to its end; for every member
//! or one; maintenance announced before it began is left out of outage
//! time. The monthly run proposes the credit (`proposed_credit`, a line
//! of the next invoice).

use super::amounts::{
    availability_bp, outage_secs, sla_credit, three_month_average, Month, Span,
};
use super::b1_plans::BILLING_ROLES;
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::kernel::sealed::SealedText;
use crate::kernel::types::{kst_midnight, Krw};
use crate::personal_data::place::OUTAGE_NOTE;
use crate::{read, read_set, row, stmt, use_case};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

/// The credit proposed for a month below 95% (B4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit {
    pub month: Month,
    pub credit: Krw,
    /// availability, seconds down, the average fee
    pub basis: String,
}

/// The credit for the month before `period` when the member's
/// availability in it (from its activation, if later) was below 95%: the
/// shortfall of the average plan fee of the 3 months up to it. `fees`:
/// plan fees by the month they were for (billed before, or on the invoice
/// being composed), several of a month added up.
pub fn proposed_credit(
    outages: &[Span],
    maintenance: &[Span],
    fees: impl Iterator<Item = (Month, i64)>,
    activated: NaiveDate,
    period: Month,
) -> Option<Credit> {
    let month = period.prev();
    let from = month.start().max(kst_midnight(activated));
    if from >= month.end() || outages.is_empty() {
        return None;
    }
    let window = Span {
        from,
        to: month.end(),
    };
    let down = outage_secs(outages, maintenance, window);
    let secs = (window.to - window.from).num_seconds();
    let first = month.prev().prev();
    let mut by_month: BTreeMap<Month, i64> = BTreeMap::new();
    for (mo, fee) in fees.filter(|(mo, _)| *mo >= first && *mo <= month) {
        *by_month.entry(mo).or_default() += fee;
    }
    let monthly: Vec<Krw> = by_month
        .values()
        .map(|v| Krw::new(*v).unwrap_or_default())
        .collect();
    let average = three_month_average(&monthly);
    let credit = sla_credit(average, down, secs);
    if credit.won() == 0 {
        return None;
    }
    let bp = availability_bp(down, secs);
    Some(Credit {
        month,
        credit,
        basis: format!(
            "availability {}.{:02}% in {} ({} s down of {} s), below 95% of the 3-month average fee {} KRW",
            bp / 100,
            bp % 100,
            month.label(),
            down,
            secs,
            average.won()
        ),
    })
}

crate::text_enum!(
    /// An outage, or maintenance (announced).
    pub enum OutageKind {
        Outage = "outage",
        Maintenance = "maintenance",
    }
);

#[derive(Debug, Clone)]
pub struct OutageInput {
    pub kind: OutageKind,
    /// One member's outage; every member's when `None`.
    pub member_id: Option<String>,
    /// From the member's notice or when the platform knew, the earlier:
    /// never in the future.
    pub starts_at: DateTime<Utc>,
    /// Its end (expected, while it lasts).
    pub ends_at: DateTime<Utc>,
    /// When maintenance was announced (required for maintenance).
    pub announced_at: Option<DateTime<Utc>>,
    pub note: String,
}

crate::reply!(
    /// An outage or maintenance window (B4).
    pub struct OutageView {
        pub outage_id: String,
        /// `outage`, `maintenance`
        pub kind: OutageKind,
        /// the member it reached; every member when absent
        pub member_id: Option<String>,
        pub starts_at: String,
        pub ends_at: String,
        pub announced_at: Option<String>,
        /// maintenance announced before it began: not outage time
        pub excluded: bool,
        pub note: String,
        pub recorded_by: String,
        pub created_at: String,
    }
    pub struct Outages {
        pub outages: Vec<OutageView>,
    }
);

row!(
    pub struct OutageRow {
        pub id: String,
        pub kind: OutageKind,
        pub member_id: Option<String>,
        pub starts_at: String,
        pub ends_at: String,
        pub announced_at: Option<String>,
        pub note: SealedText,
        pub recorded_by: String,
        pub created_at: String,
    }
);

impl OutageRow {
    fn view(&self, env: &Env) -> Result<OutageView, Problem> {
        let at = |s: &str| crate::kernel::types::parse_instant(Some(s));
        Ok(OutageView {
            outage_id: self.id.clone(),
            kind: self.kind,
            member_id: self.member_id.clone(),
            excluded: self.kind == OutageKind::Maintenance
                && self
                    .announced_at
                    .as_deref()
                    .and_then(at)
                    .zip(at(&self.starts_at))
                    .is_some_and(|(a, s)| a <= s),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            announced_at: self.announced_at.clone(),
            note: self.note.open(env.keys, OUTAGE_NOTE, &self.id)?,
            recorded_by: self.recorded_by.clone(),
            created_at: self.created_at.clone(),
        })
    }
}

read_set!(pub struct MemberReads => MemberRows { member: Option<Count> });

/// `POST /admin/outages`: billing staff record an outage or announced
/// maintenance (B4).
pub struct RecordOutage;
use_case!(RecordOutage, "admin.record_outage", |_uc| Access::Admin(BILLING_ROLES), OutageInput => MemberReads);

impl RecordOutage {
    fn reads(&self, input: &OutageInput, _: &Env) -> MemberReads {
        MemberReads {
            member: read!(
                "SELECT 1 AS n FROM members WHERE id = ?",
                input.member_id.as_deref().unwrap_or("")
            ),
        }
    }

    fn decide(&self, input: OutageInput, rows: MemberRows, env: &Env) -> Result<Plan, Problem> {
        if input.member_id.is_some() && rows.member.is_none() {
            return Err(Problem::field("member_id", "detail.not_found"));
        }
        if input.starts_at > env.now {
            return Err(Problem::field("starts_at", "field.date_future"));
        }
        let id = new_id(env.rng, "out");
        let now = env.now.to_rfc3339();
        let note = SealedText::seal(env, OUTAGE_NOTE, &id, &input.note);
        let writes = vec![
            stmt!(
                "INSERT INTO outages (id, kind, member_id, starts_at, ends_at, announced_at, note, recorded_by, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id.as_str(),
                input.kind,
                input.member_id.as_deref(),
                input.starts_at.to_rfc3339(),
                input.ends_at.to_rfc3339(),
                input.announced_at.map(|a| a.to_rfc3339()),
                &note,
                env.caller(),
                now.as_str()
            ),
            audit(
                env,
                env.caller(),
                "billing.outage_recorded",
                input.member_id.as_deref().unwrap_or("all"),
                &id,
            ),
        ];
        let row = OutageRow {
            id,
            kind: input.kind,
            member_id: input.member_id,
            starts_at: input.starts_at.to_rfc3339(),
            ends_at: input.ends_at.to_rfc3339(),
            announced_at: input.announced_at.map(|a| a.to_rfc3339()),
            note,
            recorded_by: env.caller().to_owned(),
            created_at: now,
        };
        Ok(Plan::ok(201, row.view(env)?, writes))
    }
}

read_set!(pub struct OutagesReads => OutagesRows { outages: Vec<OutageRow> });

/// `GET /admin/outages?month=YYYY-MM`: the month's outages and maintenance.
pub struct MonthOutages;
use_case!(MonthOutages, "admin.outages", |_uc| Access::Admin(BILLING_ROLES), Month => OutagesReads);

impl MonthOutages {
    fn reads(&self, month: &Month, _: &Env) -> OutagesReads {
        OutagesReads {
            outages: read!(
                "SELECT id, kind, member_id, starts_at, ends_at, announced_at, note, recorded_by, created_at
                 FROM outages WHERE ends_at > ? AND starts_at < ? ORDER BY starts_at, id LIMIT 500",
                month.start().to_rfc3339(),
                month.end().to_rfc3339()
            ),
        }
    }

    fn decide(&self, _: Month, rows: OutagesRows, env: &Env) -> Result<Plan, Problem> {
        let outages = rows
            .outages
            .iter()
            .map(|o| o.view(env))
            .collect::<Result<_, _>>()?;
        // Notes are staff's own words about the platform (sealed as free
        // text), not a member's personal data.
        Ok(Plan::ok(200, Outages { outages }, vec![]))
    }
}
