//! Rule R1: the retention schedule is data (`retention_schedule`, one row
//! per record class, with the seeds' periods and legal bases), shown to the
//! privacy officer with what the daily destruction runs (R2) destroyed,
//! class by class, in counts and field names.

use super::p1_requests::DESK;
use super::r2_destruction::JOB;
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{read, read_set, use_case};

crate::row!(
    pub struct ScheduleEntry {
        pub class: String,
        pub starts: String,
        pub months: Option<i64>,
        pub days: i64,
        pub action: String,
        pub basis_ko: String,
        pub basis_en: String,
    }
);

crate::row!(
    pub struct Destroyed {
        pub day: String,
        pub job_id: String,
        pub class: String,
        pub what: String,
        pub fields: String,
        pub rows: i64,
        pub at: String,
    }
);

crate::row!(
    pub struct RunRow {
        pub id: String,
        pub state: String,
        pub units: i64,
        pub created_at: String,
        pub finished_at: Option<String>,
    }
);

crate::reply!(
    /// `GET /admin/retention`: the schedule, the latest destruction runs
    /// and what each destroyed (counts and field names, never contents).
    pub struct RetentionView {
        pub schedule: Vec<ScheduleClass>,
        pub runs: Vec<DestructionRun>,
        pub destroyed: Vec<DestroyedEntry>,
    }
    pub struct ScheduleClass {
        pub class: String,
        /// The event the period runs from.
        pub starts: String,
        /// Months of the period; `null`: kept without limit.
        pub months: Option<i64>,
        pub days: i64,
        /// `erase`, `separate`, `pseudonymise` or `keep_minimal`.
        pub action: String,
        /// The legal basis, in Korean and in English.
        pub basis_ko: String,
        pub basis_en: String,
    }
    pub struct DestructionRun {
        pub job_id: String,
        pub state: String,
        /// Records destroyed.
        pub units: i64,
        pub started_at: String,
        pub finished_at: Option<String>,
    }
    pub struct DestroyedEntry {
        pub day: String,
        pub job_id: String,
        pub class: String,
        pub what: String,
        pub fields: String,
        pub rows: i64,
        pub at: String,
    }
);

read_set!(pub struct RetentionReads => RetentionRows {
    schedule: Vec<ScheduleEntry>,
    runs: Vec<RunRow>,
    destroyed: Vec<Destroyed>,
});

/// `GET /admin/retention` (privacy officer, owner).
pub struct RetentionDesk;
use_case!(RetentionDesk, "admin.retention", |_uc| Access::Admin(DESK), () => RetentionReads);

impl RetentionDesk {
    fn reads(&self, _: &(), _: &Env) -> RetentionReads {
        RetentionReads {
            schedule: read!(
                "SELECT class, starts, months, days, action, basis_ko, basis_en FROM retention_schedule ORDER BY class"
            ),
            runs: read!(
                "SELECT id, state, units, created_at, finished_at FROM jobs WHERE kind = ? ORDER BY created_at DESC LIMIT 30",
                JOB
            ),
            destroyed: read!(
                "SELECT day, job_id, class, what, fields, rows, at FROM destruction_log ORDER BY seq DESC LIMIT 300"
            ),
        }
    }

    fn decide(&self, _: (), rows: RetentionRows, _: &Env) -> Result<Plan, Problem> {
        let schedule = rows
            .schedule
            .into_iter()
            .map(|s| ScheduleClass {
                class: s.class,
                starts: s.starts,
                months: s.months,
                days: s.days,
                action: s.action,
                basis_ko: s.basis_ko,
                basis_en: s.basis_en,
            })
            .collect();
        let runs = rows
            .runs
            .into_iter()
            .map(|r| DestructionRun {
                job_id: r.id,
                state: r.state,
                units: r.units,
                started_at: r.created_at,
                finished_at: r.finished_at,
            })
            .collect();
        let destroyed = rows
            .destroyed
            .into_iter()
            .map(|d| DestroyedEntry {
                day: d.day,
                job_id: d.job_id,
                class: d.class,
                what: d.what,
                fields: d.fields,
                rows: d.rows,
                at: d.at,
            })
            .collect();
        Ok(Plan::ok(
            200,
            RetentionView {
                schedule,
                runs,
                destroyed,
            },
            vec![],
        ))
    }
}
