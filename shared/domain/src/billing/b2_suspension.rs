//! Rule B2's consequence (seed 003 §27①, §15; rule V6): a member whose
//! invoice is still unpaid more than 30 KST days after its due day is
//! suspended: its terminals are refused (V6), it is not proposed, and it is
//! told why. A payment that leaves nothing overdue that long reinstates it
//! at once (`b2_payments`). What an open objection disputes is not overdue
//! (D6): it suspends no one.
//!
//! A daily job (`billing.dunning`, one a KST day, started with the other
//! periodic jobs) pages over the members with such an invoice, 100 a step,
//! and suspends each in one batch with its notice. A step that runs again
//! finds them suspended already (`suspended_at IS NULL` in its read and in
//! its update): nothing twice.

use crate::kernel::audit::audit;
use crate::kernel::background::{self, Advance, Job};
use crate::kernel::engine::{Cx, Effect};
use crate::kernel::i18n::{fill, Lang};
use crate::kernel::outbox::{self, Contact};
use crate::kernel::ports::{PortError, Stmt};
use crate::kernel::reads::ReadSet;
use crate::kernel::sealed::SealedText;
use crate::kernel::types::{kst_date, Krw};
use crate::matching::m1_profile::unranked;
use crate::personal_data::place::SUSPENSION_REASON;
use crate::{read, read_set, row, stmt};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde_json::{json, Value as Json};

/// The job's kind.
pub const JOB: &str = "billing.dunning";

/// KST days after the due day an invoice may stay unpaid before the member
/// is suspended.
pub const SUSPEND_AFTER_DAYS: u64 = 30;

/// Members one step suspends (five statements each).
pub const MEMBERS_PER_STEP: i64 = 100;

/// The notice's template.
pub const TEMPLATE: &str = "suspended_unpaid";

/// Why a member is suspended (`members.suspended_for`).
pub const FOR_UNPAID: &str = "unpaid";

/// The latest due day an unpaid invoice may have on `today` without its
/// member being suspended: invoices due before it suspend.
pub fn grace_cutoff(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(SUSPEND_AFTER_DAYS))
        .unwrap_or(today)
}

/// What is overdue on an invoice `i`: its unpaid part less what an open
/// objection disputes (D6).
#[macro_export]
macro_rules! overdue_sql {
    () => {
        "(i.total_krw - i.paid_krw - COALESCE((SELECT SUM(o.disputed_krw) FROM billing_objections o WHERE o.invoice_id = i.id AND o.state = 'open'), 0))"
    };
}

/// The day's dunning run, due every KST day (`background::StartScheduled`).
pub fn scheduled(now: DateTime<Utc>) -> Vec<background::Scheduled> {
    let today = kst_date(now);
    vec![background::Scheduled {
        id: format!("dunning_{today}"),
        kind: JOB,
        params: json!({ "day": today.to_string() }),
    }]
}

row!(
    struct Overdue {
        id: String,
        email_enc: Option<String>,
        invoice_id: String,
        period: String,
        due_day: String,
        overdue: i64,
    }
);

read_set!(struct DunningReads => DunningRows { members: Vec<Overdue> });

/// The suspension's reason, as the member and staff read it.
fn reason(m: &Overdue) -> String {
    fill(
        "reason.billing.unpaid",
        Lang::Ko,
        &[
            ("invoice", &m.invoice_id),
            ("period", &m.period),
            ("due_day", &m.due_day),
            ("overdue", &Krw::new(m.overdue.max(0)).unwrap_or_default().grouped()),
        ],
    )
}

/// The daily run: suspends, 100 members a step, each member whose oldest
/// overdue invoice was due before the grace cutoff.
pub struct Dunning;

#[async_trait::async_trait(?Send)]
impl Job for Dunning {
    fn kind(&self) -> &'static str {
        JOB
    }

    async fn step(&self, cx: &Cx<'_>, params: &Json, cursor: &Json) -> Result<Advance, PortError> {
        let Some(today) = params["day"]
            .as_str()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        else {
            return Ok(Advance::Fail {
                reason: "detail.job_params_invalid",
            });
        };
        let after = cursor["after"].as_str().unwrap_or("");
        let reads = DunningReads {
            members: read!(
                concat!(
                    "SELECT m.id, m.email_enc, i.id AS invoice_id, i.period, MIN(i.due_day) AS due_day, ",
                    overdue_sql!(),
                    " AS overdue
                     FROM members m JOIN invoices i ON i.member_id = m.id
                     WHERE m.status = 'active' AND m.suspended_at IS NULL AND m.id > ?1
                       AND i.paid_at IS NULL AND i.due_day < ?2 AND ",
                    overdue_sql!(),
                    " > 0
                     GROUP BY m.id ORDER BY m.id LIMIT ?3"
                ),
                after,
                grace_cutoff(today).to_string(),
                MEMBERS_PER_STEP
            ),
        };
        let results = cx
            .db
            .batch(&reads.into_stmts())
            .await
            .map_err(|e| PortError(e.to_string()))?;
        let rows = DunningReads::rows(&mut results.into_iter()).map_err(|e| PortError(e.to_string()))?;
        let env = cx.background_env();
        let now = cx.clock.now();
        let mut writes: Vec<Stmt> = Vec::new();
        let mut sends = Vec::new();
        for m in &rows.members {
            let why = reason(m);
            writes.push(stmt!(
                "UPDATE members SET suspended_at = ?, suspension_reason = ?, suspended_for = ? WHERE id = ? AND suspended_at IS NULL",
                now.to_rfc3339(),
                SealedText::seal(&env, SUSPENSION_REASON, &m.id, &why),
                FOR_UNPAID,
                m.id.as_str()
            ));
            // What its terminals may do changes: each remembers when (V4, V6).
            writes.push(stmt!(
                "UPDATE terminals SET auth_version = auth_version + 1, auth_changed_at = ? WHERE member_id = ?",
                now.to_rfc3339(),
                m.id.as_str()
            ));
            writes.push(unranked(&m.id));
            writes.push(audit(&env, "system", "member.suspend_unpaid", &m.id, &m.invoice_id));
            let to = Contact {
                member_id: &m.id,
                email_enc: m.email_enc.as_deref(),
                phone_enc: None,
            };
            if let Some(address) = to.address(cx.keys, "email") {
                let text = fill("notice.billing.suspended", Lang::Ko, &[("reason", &why)]);
                let (row, send) = outbox::once(
                    cx.keys,
                    cx.rng,
                    &format!("ntc_dunning_{today}_{}", m.id),
                    &m.id,
                    "email",
                    TEMPLATE,
                    &address,
                    &text,
                    now,
                );
                writes.push(row);
                if let Effect::Enqueue(msg) = send {
                    sends.push(msg);
                }
            }
        }
        if !writes.is_empty() {
            cx.db
                .batch(&writes)
                .await
                .map_err(|e| PortError(e.to_string()))?;
        }
        if !sends.is_empty() {
            if let Err(e) = cx.queue.send_batch(&sends).await {
                crate::kernel::engine::log_error(&format!("{TEMPLATE}: notices not queued: {e}"));
            }
        }
        let n = i64::try_from(rows.members.len()).unwrap_or(0);
        Ok(match rows.members.last() {
            Some(last) if n == MEMBERS_PER_STEP => Advance::Next {
                cursor: json!({ "after": last.id }),
                units: n,
            },
            _ => Advance::Done { units: n },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // rule B2
    #[test]
    fn b2_an_invoice_due_the_10th_suspends_from_the_31st_day_after() {
        let due = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        // 9 Feb: 30 days after; the cutoff is 10 Jan itself: not before it.
        let feb9 = NaiveDate::from_ymd_opt(2027, 2, 9).unwrap();
        assert!(due >= grace_cutoff(feb9));
        let feb10 = NaiveDate::from_ymd_opt(2027, 2, 10).unwrap();
        assert!(due < grace_cutoff(feb10));
    }
}
