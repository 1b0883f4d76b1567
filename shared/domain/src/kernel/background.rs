//! Background jobs: work that cannot fit a request's two round trips
//! (moving a member's attendance between shards; later: exporting everything
//! about a person, destroying expired records, monthly invoices) runs as a
//! job row plus a chain of queue messages. Each message is one bounded step
//! of at most two round trips, carrying the job's cursor; the step's result
//! is the next message. The queue consumer (Workers) or the maintenance
//! drain (Spin) runs the steps.
//!
//! The row holds the progress: the cursor, the number of the next step,
//! units done and when the chain last moved, each written, guarded by the
//! step number, by the step that made them. Restartable with nothing done
//! twice: a step that crashes is redelivered and runs again from the row's
//! cursor, so it must be idempotent (inserts that ignore a row already
//! there, deletes of what is already gone); a duplicate or stale message
//! finds another step number and does nothing; only the step that moved the
//! row sends the next one. A next step whose send failed after the commit
//! leaves the job idle, and the sweep (`ResendIdleJobs`) sends it again from
//! the row. A step the queue gave up on (dead-lettered) fails the job with
//! that cause; an owner can resume it (`POST /admin/jobs/{id}/resume`).

use crate::kernel::crypto::new_id;
use crate::kernel::engine::{Access, AdminRole, Cx, Effect, Env, Plan};
use crate::kernel::ports::{PortError, Stmt};
use crate::kernel::problem::Problem;
use crate::kernel::reads::FromResult;
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
    /// The step's number: it runs only while the job's row expects it.
    pub step: i64,
}

impl StepMessage {
    pub fn parse(v: &Json) -> Option<StepMessage> {
        Some(StepMessage {
            id: v.get("id")?.as_str()?.to_owned(),
            kind: v.get("kind")?.as_str()?.to_owned(),
            params: v.get("params")?.clone(),
            cursor: v.get("cursor").cloned().unwrap_or(Json::Null),
            units: v.get("units").and_then(Json::as_i64).unwrap_or(0),
            step: v.get("step").and_then(Json::as_i64).unwrap_or(0),
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
            "step": self.step,
        })
    }
}

/// Starts a job: its row, written in the starting request's batch, and its
/// first step, sent after the commit.
pub fn start(env: &Env, kind: &'static str, params: Json) -> (String, Stmt, Effect) {
    let id = new_id(env.rng, "job");
    let (row, first) = start_as(env, &id, kind, params);
    (id, row, first)
}

/// Starts a job under a given id (a job that runs once per period: a
/// second start of the same id fails on the row's key, and nothing of its
/// batch is written).
pub fn start_as(env: &Env, id: &str, kind: &'static str, params: Json) -> (Stmt, Effect) {
    let row = stmt!(
        "INSERT INTO jobs (id, kind, params, created_by, created_at, stepped_at) VALUES (?, ?, ?, ?, ?, ?)",
        id,
        kind,
        params.to_string(),
        if env.who.is_some() { env.caller() } else { "system" },
        env.now.to_rfc3339(),
        env.now.to_rfc3339()
    );
    let first = StepMessage {
        id: id.to_owned(),
        kind: kind.to_owned(),
        params,
        cursor: Json::Null,
        units: 0,
        step: 0,
    };
    (row, Effect::Enqueue(first.to_json()))
}

row!(
    struct Progress {
        state: String,
        step: i64,
        cursor: Option<String>,
        units: i64,
    }
);

/// Runs the step the job's row expects and passes the job on: the row to
/// its next step (or `done`/`failed`), guarded by the step number, then,
/// only from the step that moved the row, the next step to the queue.
///
/// # Errors
/// When the step or the database fails: the queue redelivers this step,
/// which runs again from the row's cursor.
pub async fn advance(cx: &Cx<'_>, job: &dyn Job, msg: &StepMessage) -> Result<(), PortError> {
    let now = cx.clock.now().to_rfc3339();
    let db_err = |e: crate::kernel::ports::DbError| PortError(e.to_string());
    let mut rows = cx
        .db
        .batch(&[stmt!(
            "SELECT state, step, cursor, units FROM jobs WHERE id = ?",
            msg.id.as_str()
        )])
        .await
        .map_err(db_err)?;
    let progress = Option::<Progress>::from_result(rows.pop().unwrap_or_default())
        .map_err(|e| PortError(e.to_string()))?;
    // Unknown, finished, or a step already taken (a duplicate, or a re-send
    // racing the chain): nothing to do.
    let Some(p) = progress.filter(|p| p.state == "running" && p.step == msg.step) else {
        return Ok(());
    };
    let cursor = p
        .cursor
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or(Json::Null);
    let token = new_id(cx.rng, "stp");
    let (write, next) = match job.step(cx, &msg.params, &cursor).await? {
        Advance::Next { cursor, units } => (
            stmt!(
                "UPDATE jobs SET cursor = ?, step = step + 1, units = units + ?, stepped_at = ?, stepped_by = ?
                 WHERE id = ? AND state = 'running' AND step = ?",
                cursor.to_string(),
                units,
                now.as_str(),
                token.as_str(),
                msg.id.as_str(),
                msg.step
            ),
            Some(StepMessage {
                cursor,
                units: p.units + units,
                step: msg.step + 1,
                ..msg.clone()
            }),
        ),
        Advance::Done { units } => (
            stmt!(
                "UPDATE jobs SET state = 'done', step = step + 1, units = units + ?, stepped_at = ?, stepped_by = ?, finished_at = ?
                 WHERE id = ? AND state = 'running' AND step = ?",
                units,
                now.as_str(),
                token.as_str(),
                now.as_str(),
                msg.id.as_str(),
                msg.step
            ),
            None,
        ),
        Advance::Fail { reason } => (
            stmt!(
                "UPDATE jobs SET state = 'failed', error = ?, stepped_at = ?, stepped_by = ?, finished_at = ?
                 WHERE id = ? AND state = 'running' AND step = ?",
                reason,
                now.as_str(),
                token.as_str(),
                now.as_str(),
                msg.id.as_str(),
                msg.step
            ),
            None,
        ),
    };
    let mut results = cx
        .db
        .batch(&[
            write,
            stmt!(
                "SELECT 1 AS n FROM jobs WHERE id = ? AND stepped_by = ?",
                msg.id.as_str(),
                token.as_str()
            ),
        ])
        .await
        .map_err(db_err)?;
    let moved = results.pop().is_some_and(|r| !r.rows.is_empty());
    if let (true, Some(next)) = (moved, next) {
        // Committed: if this send fails the job is idle, and the sweep
        // sends the step again from the row.
        if let Err(e) = cx.queue.send(&next.to_json()).await {
            crate::kernel::engine::log_error(&format!("job {}: next step not sent: {e}", msg.id));
        }
    }
    Ok(())
}

/// A job's step the queue gave up on: the job fails with that cause (an
/// owner may resume it). Nothing when the message is no job step.
pub fn dead_lettered(body: &Json, now: &str) -> Option<Stmt> {
    let msg = StepMessage::parse(body).filter(|_| body["type"] == "job")?;
    Some(stmt!(
        "UPDATE jobs SET state = 'failed', error = 'detail.job_step_dead_lettered', finished_at = ?
         WHERE id = ? AND state = 'running' AND step = ?",
        now,
        msg.id.as_str(),
        msg.step
    ))
}

row!(
    pub struct Idle {
        pub id: String,
        pub kind: String,
        pub params: String,
        pub cursor: Option<String>,
        pub step: i64,
        pub units: i64,
    }
);

read_set!(pub struct IdleReads => IdleRows { idle: Vec<Idle> });

/// A job that runs once per period (a month's invoices, a month's or a
/// quarter's report): its id names the period, so it starts once.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduled {
    pub id: String,
    pub kind: &'static str,
    pub params: Json,
}

row!(
    pub struct JobId {
        pub id: String,
    }
);

read_set!(pub struct ScheduledReads => ScheduledRows { started: Vec<JobId> });

/// The sweep step that starts every job of a period that is due and not
/// started yet, in one read and one batch (the areas say which are due:
/// `due`, from the sweep's clock).
pub struct StartScheduled {
    /// Moves this step's clock (local development's tests only; 0 elsewhere).
    pub clock_offset_secs: i64,
    pub due: fn(chrono::DateTime<chrono::Utc>) -> Vec<Scheduled>,
}

impl StartScheduled {
    fn due_now(&self, env: &Env) -> Vec<Scheduled> {
        (self.due)(env.now + chrono::Duration::seconds(self.clock_offset_secs))
    }
}

impl crate::kernel::sweep::Step for StartScheduled {
    type Reads = ScheduledReads;
    const NAME: &'static str = "scheduled_jobs_started";
    /// A job's row for each of the periodic jobs (a test checks the
    /// list is no longer).
    const BUDGET: usize = 5;

    fn reads(&self, env: &Env) -> ScheduledReads {
        let ids: Vec<String> = self.due_now(env).into_iter().map(|s| s.id).collect();
        ScheduledReads {
            started: read!(
                "SELECT id FROM jobs WHERE id IN (SELECT value FROM json_each(?))",
                serde_json::to_string(&ids).unwrap_or_default()
            ),
        }
    }

    fn plan(&self, rows: ScheduledRows, env: &Env) -> crate::kernel::sweep::StepOutcome {
        let mut out = crate::kernel::sweep::StepOutcome::default();
        for s in self.due_now(env) {
            if rows.started.iter().any(|j| j.id == s.id) {
                continue;
            }
            let (row, first) = start_as(env, &s.id, s.kind, s.params);
            out.writes.push(row);
            out.effects.push(first);
            out.count += 1;
        }
        out
    }
}

/// A running job whose chain has not moved for this long is sent its step
/// again (its message was lost, or its send failed after a commit).
pub const IDLE_MINUTES: i64 = 10;
const IDLE_PER_RUN: i64 = 50;

/// The sweep step that sends idle jobs their step again, from the row.
pub struct ResendIdleJobs;

impl crate::kernel::sweep::Step for ResendIdleJobs {
    type Reads = IdleReads;
    const NAME: &'static str = "resumed_idle_jobs";
    /// One statement marks what it re-sent.
    const BUDGET: usize = 1;
    fn reads(&self, env: &Env) -> IdleReads {
        IdleReads {
            idle: read!(
                "SELECT id, kind, params, cursor, step, units FROM jobs
                 WHERE state = 'running' AND COALESCE(stepped_at, created_at) < ? ORDER BY stepped_at LIMIT ?",
                (env.now - chrono::Duration::minutes(IDLE_MINUTES)).to_rfc3339(),
                IDLE_PER_RUN
            ),
        }
    }
    fn plan(&self, rows: IdleRows, env: &Env) -> crate::kernel::sweep::StepOutcome {
        if rows.idle.is_empty() {
            return crate::kernel::sweep::StepOutcome::default();
        }
        let ids: Vec<&str> = rows.idle.iter().map(|j| j.id.as_str()).collect();
        crate::kernel::sweep::StepOutcome {
            count: rows.idle.len(),
            more: rows.idle.len() == IDLE_PER_RUN as usize,
            effects: rows.idle.iter().map(|j| Effect::Enqueue(step_of(j).to_json())).collect(),
            writes: vec![stmt!(
                "UPDATE jobs SET stepped_at = ? WHERE state = 'running' AND id IN (SELECT value FROM json_each(?))",
                env.now.to_rfc3339(),
                serde_json::to_string(&ids).unwrap_or_default()
            )],
        }
    }
}

fn step_of(j: &Idle) -> StepMessage {
    StepMessage {
        id: j.id.clone(),
        kind: j.kind.clone(),
        params: serde_json::from_str(&j.params).unwrap_or(Json::Null),
        cursor: j
            .cursor
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
            .unwrap_or(Json::Null),
        units: j.units,
        step: j.step,
    }
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
        pub step: i64,
        pub stepped_at: Option<String>,
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
        /// units of work done so far (written with each step)
        pub units: i64,
        /// steps taken so far
        pub step: i64,
        /// when the job last moved (an idle running job is sent its step
        /// again after 10 minutes)
        pub stepped_at: Option<String>,
        /// why it failed (a message key), while `failed`
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
                "SELECT id, kind, params, state, units, error, created_by, created_at, finished_at, step, stepped_at FROM jobs WHERE id = ?",
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
                step: j.step,
                stepped_at: j.stepped_at,
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

/// `POST /admin/jobs/{id}/resume`: a failed job runs on from its row's
/// cursor (after the cause was fixed). Only a failed job changes.
pub struct ResumeJob;
use_case!(ResumeJob, "admin.job_resume", |_uc| Access::Admin(JOB_ROLES), String => JobReads);

impl ResumeJob {
    fn reads(&self, id: &String, env: &Env) -> JobReads {
        JobStatus.reads(id, env)
    }

    fn decide(&self, _: String, rows: JobRows, env: &Env) -> Result<Plan, Problem> {
        let j = rows.job.ok_or_else(Problem::not_found)?;
        if j.state != "failed" {
            return Err(Problem::conflict("detail.job_not_failed")
                .with("state", serde_json::json!(j.state)));
        }
        let next = StepMessage {
            id: j.id.clone(),
            kind: j.kind.clone(),
            params: serde_json::from_str(&j.params).unwrap_or(Json::Null),
            cursor: Json::Null,
            units: j.units,
            step: j.step,
        };
        let now = env.now.to_rfc3339();
        Ok(Plan::ok(
            202,
            JobStarted {
                job_id: j.id.clone(),
                kind: j.kind.clone(),
                state: "running".into(),
            },
            vec![
                stmt!(
                    "UPDATE jobs SET state = 'running', error = NULL, finished_at = NULL, stepped_at = ? WHERE id = ? AND state = 'failed'",
                    now.as_str(),
                    j.id.as_str()
                ),
                crate::kernel::engine::guard_one_change(),
                crate::kernel::audit::audit(env, env.caller(), "job.resumed", &j.id, &j.kind),
            ],
        )
        .effect(Effect::Enqueue(next.to_json())))
    }
}
