//! Rule V7: per site and KST day, first in / last out per worker, counts per
//! terminal, and each terminal's last-seen time; read from the member's shard.

use super::TerminalStatus;
use crate::kernel::engine::{Access, AdminRole, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{read, read_set, row, use_case};

#[derive(Debug, Clone)]
pub struct ViewInput {
    pub site_id: String,
    /// KST calendar day, `YYYY-MM-DD`.
    pub day: String,
}

crate::reply!(
    /// One site's KST day (rule V7).
    pub struct AttendanceDay {
        pub site_id: String,
        /// KST calendar day, `YYYY-MM-DD`
        pub day: String,
        pub workers: Vec<WorkerView>,
        pub terminals: Vec<TerminalView>,
        /// the day's records by the KST hour they were received, per
        /// terminal: the ingestion rate
        pub received: Vec<HourCount>,
    }
    pub struct HourCount {
        pub terminal_id: String,
        /// KST hour of receipt, 0–23
        pub hour: i64,
        pub records: i64,
    }
    /// A worker's first accepted in and last accepted out (terminal times).
    pub struct WorkerView {
        pub worker_code: String,
        pub first_in: Option<String>,
        pub last_out: Option<String>,
        pub records: i64,
    }
    pub struct TerminalView {
        pub terminal_id: String,
        pub name: String,
        pub status: TerminalStatus,
        pub last_seen_at: Option<String>,
        /// records from this terminal that day
        pub records: i64,
    }
);

row!(
    pub struct ViewSite {
        pub id: String,
        pub member_id: String,
        pub name: String,
    }
);

row!(
    pub struct ViewTerminal {
        pub id: String,
        pub name: String,
        pub last_seen_at: Option<String>,
        pub status: TerminalStatus,
    }
);

read_set!(pub struct ViewReads => ViewRows {
    site: Option<ViewSite>,
    terminals: Vec<ViewTerminal>,
});

row!(
    pub struct WorkerDay {
        pub worker_code: String,
        pub first_in: Option<String>,
        pub last_out: Option<String>,
        pub records: i64,
    }
);

row!(
    pub struct TerminalDay {
        pub terminal_id: String,
        pub records: i64,
    }
);

row!(
    pub struct HourRow {
        pub terminal_id: String,
        pub hour: i64,
        pub records: i64,
    }
);

read_set!(pub struct DayReads => DayRows {
    workers: Vec<WorkerDay>,
    per_terminal: Vec<TerminalDay>,
    received: Vec<HourRow>,
});

/// `GET /member/attendance` (`admin: false`, the member's own sites) and
/// `GET /admin/attendance` (`admin: true`).
pub struct AttendanceView {
    pub admin: bool,
}
/// Staff who look at a site's attendance: billing (usage, fees) and owners;
/// not reviewers, mediators, privacy officers or auditors (least privilege).
pub const ATTENDANCE_READERS: &[AdminRole] = &[AdminRole::Billing, AdminRole::Owner];

use_case!(AttendanceView, "attendance.view", |uc| if uc.admin { Access::Admin(ATTENDANCE_READERS) } else { Access::Member }, ViewInput => ViewReads, sharded DayReads);

impl AttendanceView {
    fn reads(&self, input: &ViewInput, env: &Env) -> ViewReads {
        let site = if self.admin {
            read!(
                "SELECT id, member_id, name FROM sites WHERE id = ?",
                input.site_id.as_str()
            )
        } else {
            read!(
                "SELECT id, member_id, name FROM sites WHERE id = ? AND member_id = ?",
                input.site_id.as_str(),
                env.caller()
            )
        };
        // A member's reads carry the caller (object-level authorization in
        // SQL): another member's site and terminals are never read.
        let terminals = if self.admin {
            read!(
                "SELECT id, name, last_seen_at, status FROM terminals WHERE site_id = ? ORDER BY created_at",
                input.site_id.as_str()
            )
        } else {
            read!(
                "SELECT id, name, last_seen_at, status FROM terminals WHERE site_id = ? AND member_id = ? ORDER BY created_at",
                input.site_id.as_str(),
                env.caller()
            )
        };
        ViewReads { site, terminals }
    }

    fn shard_reads(
        &self,
        input: &ViewInput,
        rows: &ViewRows,
        _: &Env,
    ) -> Option<(String, DayReads)> {
        let member = rows.site.as_ref()?.member_id.clone();
        let (site, day) = (input.site_id.as_str(), input.day.as_str());
        Some((
            member,
            DayReads {
                workers: read!(
                    "SELECT worker_code,
                       MIN(CASE WHEN direction = 'in' AND result = 'accepted' THEN terminal_time END) AS first_in,
                       MAX(CASE WHEN direction = 'out' AND result = 'accepted' THEN terminal_time END) AS last_out,
                       COUNT(*) AS records
                     FROM attendance_records WHERE site_id = ? AND kst_day = ? GROUP BY worker_code ORDER BY worker_code",
                    site,
                    day
                ),
                per_terminal: read!("SELECT terminal_id, COUNT(*) AS records FROM attendance_records WHERE site_id = ? AND kst_day = ? GROUP BY terminal_id", site, day),
                received: read!(
                    "SELECT terminal_id, CAST(strftime('%H', received_at, '+9 hours') AS INTEGER) AS hour, COUNT(*) AS records
                     FROM attendance_records WHERE site_id = ? AND kst_day = ? GROUP BY terminal_id, hour ORDER BY hour, terminal_id",
                    site,
                    day
                ),
            },
        ))
    }

    fn decide(
        &self,
        input: ViewInput,
        rows: ViewRows,
        day: Option<DayRows>,
        _: &Env,
    ) -> Result<Plan, Problem> {
        let (Some(site), Some(day)) = (rows.site, day) else {
            return Err(Problem::not_found());
        };
        let workers = day
            .workers
            .iter()
            .map(|w| WorkerView {
                worker_code: w.worker_code.clone(),
                first_in: w.first_in.clone(),
                last_out: w.last_out.clone(),
                records: w.records,
            })
            .collect();
        let terminals = rows
            .terminals
            .iter()
            .map(|t| TerminalView {
                terminal_id: t.id.clone(),
                name: t.name.clone(),
                status: t.status,
                last_seen_at: t.last_seen_at.clone(),
                records: day
                    .per_terminal
                    .iter()
                    .find(|c| c.terminal_id == t.id)
                    .map_or(0, |c| c.records),
            })
            .collect();
        // Not personal data for the platform (rule A3 decided): worker
        // codes are the member company's own pseudonyms, and the platform
        // holds nothing that links a code to a person (the company does).
        // The reply is not `@personal`, and a staff read is not logged.
        let _ = site;
        Ok(Plan::ok(
            200,
            AttendanceDay {
                site_id: input.site_id,
                day: input.day,
                workers,
                terminals,
                received: day
                    .received
                    .into_iter()
                    .map(|h| HourCount {
                        terminal_id: h.terminal_id,
                        hour: h.hour,
                        records: h.records,
                    })
                    .collect(),
            },
            vec![],
        ))
    }
}
