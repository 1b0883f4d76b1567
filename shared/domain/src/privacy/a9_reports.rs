//! Rule A9 (seed 002) and the Standard for Securing Personal Information
//! art. 8: the access log is reviewed monthly, and a self-audit report is
//! produced each quarter. The sweep starts one job per KST calendar month
//! (`report_review_2026-11`) and per quarter (`report_audit_2026-Q4`) once
//! the period has ended; the job reads the period's aggregates in one round
//! trip and stores the report in the next. Reports hold ids, counts and
//! operation names, never personal data; owners and auditors read them.
//!
//! - Monthly review: downloads without a stated reason, bulk reads (one
//!   admin reading 100 or more subjects' data in a KST day), reads at night
//!   (22:00–06:00 KST), and staff accounts created.
//! - Quarterly self-audit: the same review over the quarter, the retention
//!   runs and what they destroyed, privacy requests that went overdue, and
//!   staff accounts created.

use crate::kernel::background::{self, Advance, Job};
use crate::kernel::crypto::at as sealed_at;
use crate::kernel::engine::{Access, AdminRole, Cx, Env, Plan};
use crate::kernel::ports::{DbError, PortError, Row, Stmt};
use crate::kernel::problem::Problem;
use crate::kernel::types::kst;
use crate::{read, read_set, row, stmt, use_case};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde_json::{json, Value as Json};

/// The job's kind.
pub const JOB: &str = "privacy.report";

/// Distinct subjects one admin reads in a KST day that make a bulk read.
pub const BULK_SUBJECTS: i64 = 100;

/// Downloads, by what the access log says was done and the operation that
/// did it: an entry whose reason is the operation's name had none given.
pub const DOWNLOADS: &[(&str, &str)] = &[("member.read_document", "admin.document_file")];

/// A report's period: its label and its KST bounds as UTC instants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub kind: &'static str,
    pub label: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Period {
    pub fn job_id(&self) -> String {
        format!("report_{}_{}", self.kind, self.label)
    }
}

fn kst_midnight(day: NaiveDate) -> DateTime<Utc> {
    kst()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

/// The KST calendar month before the one `at` falls in.
pub fn last_month(at: DateTime<Utc>) -> Period {
    let local = at.with_timezone(&kst()).date_naive();
    let this = NaiveDate::from_ymd_opt(local.year(), local.month(), 1).unwrap_or(local);
    let prev = this
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(this);
    Period {
        kind: "review",
        label: prev.format("%Y-%m").to_string(),
        from: kst_midnight(prev),
        to: kst_midnight(this),
    }
}

/// The KST calendar quarter before the one `at` falls in.
pub fn last_quarter(at: DateTime<Utc>) -> Period {
    let local = at.with_timezone(&kst()).date_naive();
    let first_month = (local.month() - 1) / 3 * 3 + 1;
    let this = NaiveDate::from_ymd_opt(local.year(), first_month, 1).unwrap_or(local);
    let prev = this
        .checked_sub_months(chrono::Months::new(3))
        .unwrap_or(this);
    Period {
        kind: "audit",
        label: format!("{}-Q{}", prev.year(), (prev.month() - 1) / 3 + 1),
        from: kst_midnight(prev),
        to: kst_midnight(this),
    }
}

/// The reports due at `now`: last month's access-log review and last
/// quarter's self-audit, each started once (`background::StartScheduled`).
pub fn scheduled(now: DateTime<Utc>) -> Vec<background::Scheduled> {
    [last_month(now), last_quarter(now)]
        .into_iter()
        .map(|p| background::Scheduled {
            id: p.job_id(),
            kind: JOB,
            params: json!({
                "kind": p.kind,
                "period": p.label,
                "from": p.from.to_rfc3339(),
                "to": p.to.to_rfc3339(),
            }),
        })
        .collect()
}

/// What a read binds after the period (`?1` from, `?2` to) as `?3`.
#[derive(Clone, Copy)]
enum Third {
    None,
    /// the download operations (`DOWNLOADS`), a JSON array
    Downloads,
    /// `BULK_SUBJECTS`
    Bulk,
}

/// The period's aggregates, in one batch.
const READS: &[(&str, Third)] = &[
    // 0: entries in the period
    ("SELECT COUNT(*) AS n FROM access_log WHERE at >= ?1 AND at < ?2", Third::None),

    // 1: downloads, their reasons sealed (opened by the job)
    ("SELECT seq, at, admin_id, subject, what, why FROM access_log
      WHERE at >= ?1 AND at < ?2 AND what IN (SELECT value FROM json_each(?3)) ORDER BY seq LIMIT 2000", Third::Downloads),

    // 2: bulk reads
    ("SELECT admin_id, date(at, '+9 hours') AS day, COUNT(DISTINCT subject) AS subjects FROM access_log
      WHERE at >= ?1 AND at < ?2 GROUP BY admin_id, day HAVING subjects >= ?3 ORDER BY subjects DESC LIMIT 100", Third::Bulk),

    // 3: reads at night, KST
    ("SELECT admin_id, COUNT(*) AS entries FROM access_log
      WHERE at >= ?1 AND at < ?2 AND (CAST(strftime('%H', at, '+9 hours') AS INTEGER) >= 22
        OR CAST(strftime('%H', at, '+9 hours') AS INTEGER) < 6)
      GROUP BY admin_id ORDER BY entries DESC LIMIT 100", Third::None),

    // 4: staff accounts created
    ("SELECT at, actor, subject AS admin_id, detail AS role FROM audit_log
      WHERE at >= ?1 AND at < ?2 AND action IN ('admin.create', 'admin.bootstrap') ORDER BY seq LIMIT 200", Third::None),

    // 5: downloads, counted
    ("SELECT COUNT(*) AS n FROM access_log
      WHERE at >= ?1 AND at < ?2 AND what IN (SELECT value FROM json_each(?3))", Third::Downloads),

    // 6: retention runs
    ("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'retention.destroy' AND state = 'done'
      AND created_at >= ?1 AND created_at < ?2", Third::None),

    // 7: what they destroyed
    ("SELECT class, what, SUM(rows) AS rows FROM destruction_log WHERE at >= ?1 AND at < ?2
      GROUP BY class, what ORDER BY class, what", Third::None),

    // 8: privacy requests that went overdue
    ("SELECT id, kind, due_day, state, answered_at FROM privacy_requests
      WHERE overdue_at >= ?1 AND overdue_at < ?2 ORDER BY due_day LIMIT 500", Third::None),
];

fn db(e: DbError) -> PortError {
    PortError(e.to_string())
}

fn text(r: &Row, c: &str) -> Json {
    r.text(c).map_or(Json::Null, |s| Json::from(s.to_owned()))
}

fn int(r: &Row, c: &str) -> Json {
    r.int(c).map_or(Json::Null, Json::from)
}

/// Whether an access-log entry's sealed reason is a reason someone gave
/// (not the operation's own name, which stands in when none was).
fn reason_given(cx: &Cx<'_>, r: &Row) -> bool {
    let (Some(admin), Some(subject), Some(at), Some(what), Some(why)) = (
        r.text("admin_id"),
        r.text("subject"),
        r.text("at"),
        r.text("what"),
        r.text("why"),
    ) else {
        return false;
    };
    let context = sealed_at("access_log.why", &format!("{admin}:{subject}:{at}"));
    let Ok(why) = cx.keys.open_at(&context, why) else {
        return false;
    };
    !DOWNLOADS.iter().any(|(w, op)| *w == what && why == *op)
}

/// Builds and stores one report (A9).
pub struct Report;

#[async_trait::async_trait(?Send)]
impl Job for Report {
    fn kind(&self) -> &'static str {
        JOB
    }

    async fn step(&self, cx: &Cx<'_>, params: &Json, _: &Json) -> Result<Advance, PortError> {
        let (Some(kind), Some(period), Some(from), Some(to)) = (
            params["kind"].as_str(),
            params["period"].as_str(),
            params["from"].as_str(),
            params["to"].as_str(),
        ) else {
            return Ok(Advance::Fail {
                reason: "detail.job_params_invalid",
            });
        };
        let downloads =
            Json::from(DOWNLOADS.iter().map(|(w, _)| *w).collect::<Vec<_>>()).to_string();
        let audit = kind == "audit";
        let count = if audit { READS.len() } else { 6 };
        let stmts: Vec<Stmt> = READS[..count]
            .iter()
            .map(|&(sql, third)| match third {
                Third::None => stmt!(sql, from, to),
                Third::Downloads => stmt!(sql, from, to, downloads.as_str()),
                Third::Bulk => stmt!(sql, from, to, BULK_SUBJECTS),
            })
            .collect();
        let r = cx.db.batch(&stmts).await.map_err(db)?;
        let rows = |i: usize| r.get(i).map_or(&[][..], |x| x.rows.as_slice());
        let unreasoned: Vec<Json> = rows(1)
            .iter()
            .filter(|e| !reason_given(cx, e))
            .map(|e| json!({"seq": int(e, "seq"), "at": text(e, "at"), "admin_id": text(e, "admin_id"), "what": text(e, "what"), "subject": text(e, "subject")}))
            .collect();
        let mut body = json!({
            "access_entries": rows(0).first().map_or(Json::from(0), |e| int(e, "n")),
            "downloads": rows(5).first().map_or(Json::from(0), |e| int(e, "n")),
            "downloads_without_reason": unreasoned,
            "bulk_reads": rows(2).iter().map(|e| json!({"admin_id": text(e, "admin_id"), "day": text(e, "day"), "subjects": int(e, "subjects")})).collect::<Vec<_>>(),
            "night_reads": rows(3).iter().map(|e| json!({"admin_id": text(e, "admin_id"), "entries": int(e, "entries")})).collect::<Vec<_>>(),
            "admins_created": rows(4).iter().map(|e| json!({"at": text(e, "at"), "by": text(e, "actor"), "admin_id": text(e, "admin_id"), "role": text(e, "role")})).collect::<Vec<_>>(),
        });
        if audit {
            body["retention_runs"] = rows(6).first().map_or(Json::from(0), |e| int(e, "n"));
            body["destroyed"] = rows(7)
                .iter()
                .map(|e| json!({"class": text(e, "class"), "what": text(e, "what"), "rows": int(e, "rows")}))
                .collect();
            body["overdue_requests"] = rows(8)
                .iter()
                .map(|e| json!({"request_id": text(e, "id"), "kind": text(e, "kind"), "due_day": text(e, "due_day"), "state": text(e, "state"), "answered_at": text(e, "answered_at")}))
                .collect();
        }
        let now = cx.clock.now().to_rfc3339();
        cx.db
            .batch(&[stmt!(
                "INSERT OR IGNORE INTO reports (id, kind, period, from_at, to_at, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                format!("{kind}_{period}"),
                kind,
                period,
                from,
                to,
                body.to_string(),
                now
            )])
            .await
            .map_err(db)?;
        Ok(Advance::Done { units: 1 })
    }
}

row!(
    /// A stored report.
    pub struct ReportRow {
        pub id: String,
        pub kind: String,
        pub period: String,
        pub from_at: String,
        pub to_at: String,
        pub body: String,
        pub created_at: String,
    }
);

crate::reply!(
    /// The latest reports, newest period first.
    pub struct Reports {
        pub reports: Vec<ReportView>,
    }
    pub struct ReportView {
        pub id: String,
        /// `review` (monthly) or `audit` (quarterly self-audit, A9)
        pub kind: String,
        /// `2026-11` or `2026-Q4`
        pub period: String,
        /// the period's KST bounds
        pub from: String,
        pub to: String,
        pub created_at: String,
        /// access_entries, downloads, downloads_without_reason, bulk_reads,
        /// night_reads, admins_created; for an audit also retention_runs,
        /// destroyed, overdue_requests (ids and counts only)
        pub body: Json,
    }
);

read_set!(pub struct ReportsReads => ReportsRows { reports: Vec<ReportRow> });

/// Who reads the reports: owners and auditors (A9).
pub const READERS: &[AdminRole] = &[AdminRole::Auditor, AdminRole::Owner];

/// `GET /admin/reports`.
pub struct ListReports;
use_case!(ListReports, "admin.reports", |_uc| Access::Admin(READERS), () => ReportsReads);

impl ListReports {
    fn reads(&self, _: &(), _: &Env) -> ReportsReads {
        ReportsReads {
            reports: read!(
                "SELECT id, kind, period, from_at, to_at, body, created_at FROM reports ORDER BY from_at DESC, kind LIMIT 30"
            ),
        }
    }

    fn decide(&self, _: (), rows: ReportsRows, _: &Env) -> Result<Plan, Problem> {
        Ok(Plan::ok(
            200,
            Reports {
                reports: rows
                    .reports
                    .into_iter()
                    .map(|r| ReportView {
                        body: serde_json::from_str(&r.body).unwrap_or(Json::Null),
                        id: r.id,
                        kind: r.kind,
                        period: r.period,
                        from: r.from_at,
                        to: r.to_at,
                        created_at: r.created_at,
                    })
                    .collect(),
            },
            vec![],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// rule A9: a month and a quarter end at KST midnight: 15:00 UTC on
    /// the last day is already the next KST month.
    #[test]
    fn a9_periods_end_at_kst_midnight() {
        let p = last_month(at("2026-12-07T01:00:00Z"));
        assert_eq!(p.label, "2026-11");
        assert_eq!(p.from.to_rfc3339(), "2026-10-31T15:00:00+00:00");
        assert_eq!(p.to.to_rfc3339(), "2026-11-30T15:00:00+00:00");
        // 30 Nov 23:59 KST is still November: the report of October.
        assert_eq!(last_month(at("2026-11-30T14:59:59Z")).label, "2026-10");
        assert_eq!(last_month(at("2026-11-30T15:00:00Z")).label, "2026-11");
        assert_eq!(last_month(at("2027-01-01T00:00:00Z")).label, "2026-12");
        let q = last_quarter(at("2027-01-01T00:00:00Z"));
        assert_eq!(q.label, "2026-Q4");
        assert_eq!(q.from.to_rfc3339(), "2026-09-30T15:00:00+00:00");
        assert_eq!(q.to.to_rfc3339(), "2026-12-31T15:00:00+00:00");
        assert_eq!(last_quarter(at("2026-12-31T14:59:59Z")).label, "2026-Q3");
        assert_eq!(last_quarter(at("2025-04-16T03:00:00Z")).label, "2025-Q1");
        assert_eq!(q.job_id(), "report_audit_2026-Q4");
    }
}
