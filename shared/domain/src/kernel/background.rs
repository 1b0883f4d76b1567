//! Background jobs: work that cannot fit a request's two round trips
//! (moving a member's attendance between shards; later: exporting everything
//! about a person, destroying expired records, monthly invoices) runs as a
//! job row plus a chain of queue messages. Each message is one bounded step
//! of at most two round trips, carrying the job's cursor; the step's result
//! is the next message. The queue consumer (Workers) or the maintenance
//! drain (Spin) runs the steps.
//!
//! Restartable with nothing done twice: a step that crashes is redelivered
//! with the same cursor and must be idempotent (inserts that ignore a row
//! already there, deletes of what is already gone); the job row changes
//! only from `running` to `done` or `failed`, guarded, so a repeated last
//! step changes nothing.

use crate::kernel::crypto::new_id;
use crate::kernel::engine::{Access, AdminRole, Cx, Effect, Env, Plan};
use crate::kernel::ports::{PortError, Stmt};
use crate::kernel::problem::Problem;
use crate::{read, read_set, row, stmt, use_case};
use serde_json::{json, Value as Json};

/// What one step did.
#[derive(Debug, Clone, PartialEq)]
pub enum Advance {
    /// More to do from this cursor; `units` done in this step.
    Next { cursor: Json, units: i64 },
    /// Finished; `units` done in this step.
    Done { units: i64 },
    /// Cannot ever finish (a message key, never personal data).
    Fail { reason: &'static str },
}

/// A kind of job: one bounded, idempotent step from a cursor.
#[async_trait::async_trait(?Send)]
pub trait Job {
    /// The `kind` its rows and messages carry.
    fn kind(&self) -> &'static str;
    /// One step from `cursor` (`Json::Null` at the start): at most two
    /// round trips, safe to repeat with the same cursor.
    ///
    /// # Errors
    /// A failure to retry later (the queue redelivers the same step).
    async fn step(&self, cx: &Cx<'_>, params: &Json, cursor: &Json) -> Result<Advance, PortError>;
}

/// A job step as the queue carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepMessage {
    pub id: String,
    pub kind: String,
    pub params: Json,
    pub cursor: Json,
    /// Units done by the steps before this one.
    pub units: i64,
}

impl StepMessage {
    pub fn parse(v: &Json) -> Option<StepMessage> {
        Some(StepMessage {
            id: v.get("id")?.as_str()?.to_owned(),
            kind: v.get("kind")?.as_str()?.to_owned(),
            params: v.get("params")?.clone(),
            cursor: v.get("cursor").cloned().unwrap_or(Json::Null),
            units: v.get("units").and_then(Json::as_i64).unwrap_or(0),
        })
    }

    fn to_json(&self) -> Json {
        json!({
            "type": "job",
            "id": self.id,
            "kind": self.kind,
            "params": self.params,
            "cursor": self.cursor,
            "units": self.units,
        })
    }
}

/// Starts a job: its row, written in the starting request's batch, and its
/// first step, sent after the commit.
pub fn start(env: &Env, kind: &'static str, params: Json) -> (String, Stmt, Effect) {
    let id = new_id(env.rng, "job");
    let row = stmt!(
        "INSERT INTO jobs (id, kind, params, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
        id.as_str(),
        kind,
        params.to_string(),
        env.caller(),
        env.now.to_rfc3339()
    );
    let first = StepMessage {
        id: id.clone(),
        kind: kind.to_owned(),
        params,
        cursor: Json::Null,
        units: 0,
    };
    (id, row, Effect::Enqueue(first.to_json()))
}

/// Runs one step and passes the job on: the next step to the queue, or the
/// job row to `done`/`failed` (guarded: only a running job changes).
///
/// # Errors
/// When the step, the queue or the database fails: the queue redelivers
/// this step with the same cursor.
pub async fn advance(cx: &Cx<'_>, job: &dyn Job, msg: &StepMessage) -> Result<(), PortError> {
    let now = cx.clock.now().to_rfc3339();
    let finish = |state: &str, units: i64, error: Option<&str>| {
        stmt!(
            "UPDATE jobs SET state = ?, units = ?, error = ?, finished_at = ? WHERE id = ? AND state = 'running'",
            state,
            units,
            error,
            now.as_str(),
            msg.id.as_str()
        )
    };
    let write = match job.step(cx, &msg.params, &msg.cursor).await? {
        Advance::Next { cursor, units } => {
            let next = StepMessage {
                cursor,
                units: msg.units + units,
                ..msg.clone()
            };
            return cx.queue.send(&next.to_json()).await;
        }
        Advance::Done { units } => finish("done", msg.units + units, None),
        Advance::Fail { reason } => finish("failed", msg.units, Some(reason)),
    };
    cx.db
        .batch(&[write])
        .await
        .map(|_| ())
        .map_err(|e| PortError(e.to_string()))
}

row!(
    /// A job as staff see it.
    pub struct JobRow {
        pub id: String,
        pub kind: String,
        pub params: String,
        pub state: String,
        pub units: i64,
        pub error: Option<String>,
        pub created_by: String,
        pub created_at: String,
        pub finished_at: Option<String>,
    }
);

crate::reply!(
    /// A background job as staff follow it.
    pub struct JobView {
        pub job_id: String,
        pub kind: String,
        /// what the job was started with
        pub params: Json,
        /// `running`, `done` or `failed`
        pub state: String,
        /// units of work done so far
        pub units: i64,
        pub error: Option<String>,
        /// the admin who started it
        pub created_by: String,
        pub created_at: String,
        pub finished_at: Option<String>,
    }
    /// A background job just started.
    pub struct JobStarted {
        pub job_id: String,
        pub kind: String,
        pub state: String,
    }
);

read_set!(pub struct JobReads => JobRows { job: Option<JobRow> });

/// Who may start and follow background jobs.
pub const JOB_ROLES: &[AdminRole] = &[AdminRole::Owner];

/// `GET /admin/jobs/{id}`: a job's state and, when done, what it did.
pub struct JobStatus;
use_case!(JobStatus, "admin.job_status", |_uc| Access::Admin(JOB_ROLES), String => JobReads);

impl JobStatus {
    fn reads(&self, id: &String, _: &Env) -> JobReads {
        JobReads {
            job: read!(
                "SELECT id, kind, params, state, units, error, created_by, created_at, finished_at FROM jobs WHERE id = ?",
                id.as_str()
            ),
        }
    }

    fn decide(&self, _: String, rows: JobRows, _: &Env) -> Result<Plan, Problem> {
        let j = rows.job.ok_or_else(Problem::not_found)?;
        Ok(Plan::ok(
            200,
            JobView {
                job_id: j.id,
                kind: j.kind,
                params: serde_json::from_str::<Json>(&j.params).unwrap_or(Json::Null),
                state: j.state,
                units: j.units,
                error: j.error,
                created_by: j.created_by,
                created_at: j.created_at,
                finished_at: j.finished_at,
            },
            vec![],
        ))
    }
}

row!(
    pub struct StepRow {
        pub step: String,
        pub runs: i64,
        pub last_ok_at: Option<String>,
        pub last_count: Option<i64>,
        pub most_written: i64,
        pub failures: i64,
        pub last_error: Option<String>,
        pub last_failed_at: Option<String>,
    }
);

row!(
    pub struct GaveUpRow {
        pub id: String,
        pub channel: String,
        pub template: String,
        pub attempts: i64,
        pub gave_up_at: String,
        pub last_error: Option<String>,
    }
);

crate::reply!(
    /// What the background machinery did and could not do: the sweep's
    /// steps (failing ones first) and the notices given up on.
    pub struct BackgroundState {
        pub sweep_steps: Vec<SweepStepState>,
        pub notices_given_up: Vec<NoticeGivenUp>,
    }
    /// One sweep step: its runs, and its last failure if it is failing now.
    pub struct SweepStepState {
        pub step: String,
        pub runs: i64,
        pub last_ok_at: Option<String>,
        /// what its last successful run did
        pub last_count: Option<i64>,
        /// the most statements one run wrote (its budget bounds it)
        pub most_written: i64,
        pub failures: i64,
        /// set while the step is failing (cleared by its next success)
        pub last_error: Option<String>,
        pub last_failed_at: Option<String>,
    }
    /// A notice the providers refused `attempts` times (no recipient, no
    /// text: those stay sealed).
    pub struct NoticeGivenUp {
        pub notice_id: String,
        pub channel: String,
        pub template: String,
        pub attempts: i64,
        pub gave_up_at: String,
        pub last_error: Option<String>,
    }
);

read_set!(pub struct BackgroundReads => BackgroundRows {
    steps: Vec<StepRow>,
    gave_up: Vec<GaveUpRow>,
});

/// `GET /admin/background`: the owner's view of the sweep and the outbox.
pub struct BackgroundView;
use_case!(BackgroundView, "admin.background", |_uc| Access::Admin(JOB_ROLES), () => BackgroundReads);

impl BackgroundView {
    fn reads(&self, (): &(), _: &Env) -> BackgroundReads {
        BackgroundReads {
            steps: read!(
                "SELECT step, runs, last_ok_at, last_count, most_written, failures, last_error, last_failed_at
                 FROM sweep_steps ORDER BY last_error IS NULL, step"
            ),
            gave_up: read!(
                "SELECT id, channel, template, attempts, gave_up_at, last_error FROM outbox
                 WHERE gave_up_at IS NOT NULL ORDER BY gave_up_at DESC LIMIT 100"
            ),
        }
    }

    fn decide(&self, (): (), rows: BackgroundRows, _: &Env) -> Result<Plan, Problem> {
        Ok(Plan::ok(
            200,
            BackgroundState {
                sweep_steps: rows
                    .steps
                    .into_iter()
                    .map(|s| SweepStepState {
                        step: s.step,
                        runs: s.runs,
                        last_ok_at: s.last_ok_at,
                        last_count: s.last_count,
                        most_written: s.most_written,
                        failures: s.failures,
                        last_error: s.last_error,
                        last_failed_at: s.last_failed_at,
                    })
                    .collect(),
                notices_given_up: rows
                    .gave_up
                    .into_iter()
                    .map(|n| NoticeGivenUp {
                        notice_id: n.id,
                        channel: n.channel,
                        template: n.template,
                        attempts: n.attempts,
                        gave_up_at: n.gave_up_at,
                        last_error: n.last_error,
                    })
                    .collect(),
            },
            vec![],
        ))
    }
}
