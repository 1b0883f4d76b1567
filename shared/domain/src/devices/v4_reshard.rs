//! Rule V4 across a change of the shard count: a member's attendance rows
//! live in `shard_of(member, count)`, so when the count changes, new
//! records go to the new home at once and this job moves the history there,
//! in steps of at most two round trips: copy in key order (read the old
//! shard, write the new one, ignoring rows already there), then delete what
//! was copied from the old shard, then mark the job done. A step repeated
//! after a crash copies or deletes nothing twice.

use super::v4_store::{insert_rows, INSERT_COLUMNS, ROWS_PER_INSERT};
use crate::kernel::background::{self, Advance, Job, JobStarted, JOB_ROLES};
use crate::kernel::engine::{Access, Cx, Env, Plan};
use crate::kernel::ports::{Database, PortError, Value};
use crate::kernel::problem::Problem;
use crate::kernel::reads::FromResult;
use crate::kernel::sharding::shard_of;
use crate::signup::member::{read_member, MemberRow};
use crate::{read_set, row, stmt, use_case};
use serde_json::{json, Value as Json};

/// Rows copied per step: 22 inserts of 9 rows, well inside D1's limits.
const ROWS_PER_STEP: usize = ROWS_PER_INSERT * 22;
/// Rows deleted per step.
const DELETES_PER_STEP: i64 = 500;

row!(
    /// An attendance row, every column, as the inserts take them.
    pub struct StoredRecord {
        pub terminal_id: String,
        pub event_id: String,
        pub member_id: String,
        pub site_id: String,
        pub worker_code: String,
        pub direction: String,
        pub method: String,
        pub result: String,
        pub terminal_time: String,
        pub kst_day: String,
        pub received_at: String,
    }
);

impl StoredRecord {
    fn params(self) -> [Value; INSERT_COLUMNS] {
        [
            self.terminal_id.into(),
            self.event_id.into(),
            self.member_id.into(),
            self.site_id.into(),
            self.worker_code.into(),
            self.direction.into(),
            self.method.into(),
            self.result.into(),
            self.terminal_time.into(),
            self.kst_day.into(),
            self.received_at.into(),
        ]
    }
}

/// The job: `{"member_id": …, "from_shards": n}` moves the member's rows
/// from where `n` shards put them to where today's count puts them.
pub struct MoveAttendance;

pub const KIND: &str = "move_attendance";

fn err(e: impl ToString) -> PortError {
    PortError(e.to_string())
}

/// The last key copied, from a cursor.
fn key_of(v: &Json) -> Option<(String, String)> {
    let a = v.as_array()?;
    Some((
        a.first()?.as_str()?.to_owned(),
        a.get(1)?.as_str()?.to_owned(),
    ))
}

async fn copy_step(
    from: &dyn Database,
    to: &dyn Database,
    member: &str,
    after: Option<(String, String)>,
) -> Result<Advance, PortError> {
    let (t, e) = after.clone().unwrap_or_default();
    let mut read = from
        .batch(&[stmt!(
            "SELECT terminal_id, event_id, member_id, site_id, worker_code, direction, method, result, terminal_time, kst_day, received_at
             FROM attendance_records WHERE member_id = ? AND (terminal_id, event_id) > (?, ?)
             ORDER BY terminal_id, event_id LIMIT ?",
            member,
            t.as_str(),
            e.as_str(),
            ROWS_PER_STEP as i64
        )])
        .await
        .map_err(err)?;
    let rows = Vec::<StoredRecord>::from_result(read.pop().unwrap_or_default()).map_err(err)?;
    let Some(last) = rows
        .last()
        .map(|r| (r.terminal_id.clone(), r.event_id.clone()))
    else {
        // Everything is copied: delete up to the last key copied.
        return Ok(Advance::Next {
            cursor: json!({ "phase": "delete", "upto": after.map(|(t, e)| [t, e]) }),
            units: 0,
        });
    };
    let copied = rows.len() as i64;
    let inserts = insert_rows(rows.into_iter().map(StoredRecord::params));
    to.batch(&inserts).await.map_err(err)?;
    Ok(Advance::Next {
        cursor: json!({ "phase": "copy", "after": [last.0, last.1] }),
        units: copied,
    })
}

async fn delete_step(
    from: &dyn Database,
    member: &str,
    upto: Option<(String, String)>,
) -> Result<Advance, PortError> {
    let Some((t, e)) = upto else {
        return Ok(Advance::Done { units: 0 });
    };
    let mut done = from
        .batch(&[stmt!(
            "DELETE FROM attendance_records WHERE (terminal_id, event_id) IN (
               SELECT terminal_id, event_id FROM attendance_records
               WHERE member_id = ? AND (terminal_id, event_id) <= (?, ?) LIMIT ?)",
            member,
            t.as_str(),
            e.as_str(),
            DELETES_PER_STEP
        )])
        .await
        .map_err(err)?;
    let deleted = done.pop().map_or(0, |r| r.changes);
    Ok(if deleted == 0 {
        Advance::Done { units: 0 }
    } else {
        Advance::Next {
            cursor: json!({ "phase": "delete", "upto": [t, e] }),
            units: 0,
        }
    })
}

#[async_trait::async_trait(?Send)]
impl Job for MoveAttendance {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn step(&self, cx: &Cx<'_>, params: &Json, cursor: &Json) -> Result<Advance, PortError> {
        let member = params["member_id"].as_str().unwrap_or("");
        let from_count = params["from_shards"].as_u64().unwrap_or(0) as usize;
        let count = cx.shards.len();
        if member.is_empty() || from_count == 0 || count == 0 {
            return Ok(Advance::Fail {
                reason: "detail.job_params",
            });
        }
        let (from, to) = (shard_of(member, from_count), shard_of(member, count));
        if from >= count {
            return Ok(Advance::Fail {
                reason: "detail.shard_unbound",
            });
        }
        let (from, to) = (cx.shards[from], cx.shards[to]);
        // The same database (one shard, or Spin's single SQLite): nothing moves.
        if std::ptr::addr_eq(from, to) {
            return Ok(Advance::Done { units: 0 });
        }
        match cursor["phase"].as_str() {
            None => copy_step(from, to, member, None).await,
            Some("copy") => copy_step(from, to, member, key_of(&cursor["after"])).await,
            Some("delete") => delete_step(from, member, key_of(&cursor["upto"])).await,
            Some(_) => Ok(Advance::Fail {
                reason: "detail.job_params",
            }),
        }
    }
}

#[derive(Debug, Clone)]
pub struct MoveInput {
    pub member_id: String,
    pub from_shards: i64,
}

read_set!(pub struct MoveReads => MoveRows { member: Option<MemberRow> });

/// `POST /admin/jobs/move-attendance`: starts moving a member's rows from
/// where `from_shards` shards put them (owner; audited by its job row).
pub struct StartMove;
use_case!(StartMove, "admin.start_move_attendance", |_uc| Access::Admin(JOB_ROLES), MoveInput => MoveReads);

impl StartMove {
    fn reads(&self, input: &MoveInput, _: &Env) -> MoveReads {
        MoveReads {
            member: read_member(&input.member_id),
        }
    }

    fn decide(&self, input: MoveInput, rows: MoveRows, env: &Env) -> Result<Plan, Problem> {
        rows.member
            .ok_or_else(|| Problem::field("member_id", "field.unknown_member"))?;
        let (id, row, first) = background::start(
            env,
            KIND,
            json!({ "member_id": input.member_id, "from_shards": input.from_shards }),
        );
        Ok(Plan::ok(
            202,
            JobStarted {
                job_id: id,
                kind: KIND.into(),
                state: "running".into(),
            },
            vec![row],
        )
        .effect(first))
    }
}
