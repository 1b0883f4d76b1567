//! The scheduled sweep as a list of steps, each owned by its area (rule S8
//! reminders by signup, sealing the audit chain and resending notices by the
//! kernel, purges by whoever owns the table).
//!
//! Each step runs on its own: its reads in one batch, then its writes, at
//! most its `BUDGET` statements, in one atomic batch with the step's row in
//! `sweep_steps`. A step that fails is logged and recorded there (owners see
//! it, `GET /admin/background`); the others still run. The budgets of all
//! steps, with their reads and status rows, stay within `RUN_BUDGET`, far
//! below D1's 1,000 statements per invocation, so backlogs meeting in several
//! steps cannot make every run fail. A step that filled its budget has more
//! to do: the run queues a continuation (`{"type": "sweep", "step": …}`)
//! that the queue consumer runs, in an invocation of its own, until the
//! backlog is drained.

use crate::kernel::engine::{log_error, Cx, Effect, Env};
use crate::kernel::ports::{DbError, Stmt, StmtResult};
use crate::kernel::reads::{ReadError, ReadSet};
use crate::stmt;
use serde_json::json;
use std::collections::BTreeMap;

/// Statements one run may send, all steps together (reads, writes, status
/// rows): D1 allows 1,000 per invocation. (800 until the privacy desk's
/// overdue flag, 2026-12-06: a step of 40 made it 837.)
pub const RUN_BUDGET: usize = 850;

/// What one step wants written and sent, and how many things it did.
#[derive(Debug, Default)]
pub struct StepOutcome {
    pub writes: Vec<Stmt>,
    pub effects: Vec<Effect>,
    /// Reported under the step's name (counts only, never contents).
    pub count: usize,
    /// The step stopped at its limit: more is due now.
    pub more: bool,
}

/// One step of the sweep: named reads, then a pure plan.
pub trait Step {
    type Reads: ReadSet;
    /// The name its count and status are kept under.
    const NAME: &'static str;
    /// The most statements one run of the step writes.
    const BUDGET: usize;
    /// The name its count and status are kept under.
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn reads(&self, env: &Env) -> Self::Reads;
    fn plan(&self, rows: <Self::Reads as ReadSet>::Rows, env: &Env) -> StepOutcome;
}

/// How many items a step of `budget` statements takes per run when each
/// item writes at most `per_item` statements (its read's `LIMIT`).
pub const fn items(budget: usize, per_item: usize) -> usize {
    budget / per_item
}

/// A step behind a pointer, so that steps of different areas form one list.
pub trait AnyStep {
    fn name(&self) -> &'static str;
    fn budget(&self) -> usize;
    fn stmts(&self, env: &Env) -> Vec<Stmt>;
    /// # Errors
    /// When a result cannot be read into its type.
    fn finish(&self, results: Vec<StmtResult>, env: &Env) -> Result<StepOutcome, ReadError>;
}

impl<S: Step> AnyStep for S {
    fn name(&self) -> &'static str {
        Step::name(self)
    }
    fn budget(&self) -> usize {
        S::BUDGET
    }
    fn stmts(&self, env: &Env) -> Vec<Stmt> {
        self.reads(env).into_stmts()
    }
    fn finish(&self, results: Vec<StmtResult>, env: &Env) -> Result<StepOutcome, ReadError> {
        let rows = S::Reads::rows(&mut results.into_iter())?;
        Ok(self.plan(rows, env))
    }
}

/// What one run did: each step's count by name, and the steps that failed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Swept {
    pub counts: BTreeMap<&'static str, usize>,
    pub failed: Vec<&'static str>,
}

/// Statements one run sends at most (the `RUN_BUDGET` check).
pub fn statements(env: &Env, steps: &[&dyn AnyStep]) -> usize {
    steps
        .iter()
        .map(|s| s.stmts(env).len() + s.budget() + 1)
        .sum()
}

/// Runs the steps one after another, each with its own batches; a failing
/// step is recorded and the next one runs.
pub async fn run(cx: &Cx<'_>, env: &Env<'_>, steps: &[&dyn AnyStep]) -> Swept {
    let mut swept = Swept::default();
    for s in steps {
        match step(cx, env, *s).await {
            Ok(count) => {
                swept.counts.insert(s.name(), count);
            }
            Err(why) => {
                // The cause goes to the log and the status row: an error
                // class and the engine's message, never bound values.
                log_error(&format!("sweep step {}: {why}", s.name()));
                let _ = cx.db.batch(&[failed(s.name(), &why, env)]).await;
                swept.failed.push(s.name());
            }
        }
    }
    swept
}

async fn step(cx: &Cx<'_>, env: &Env<'_>, s: &dyn AnyStep) -> Result<usize, String> {
    let reads = s.stmts(env);
    let results = if reads.is_empty() {
        Vec::new()
    } else {
        cx.db.batch(&reads).await.map_err(|e| e.to_string())?
    };
    let out = s.finish(results, env).map_err(|e| e.to_string())?;
    if out.writes.len() > s.budget() {
        return Err(format!(
            "planned {} statements, over its budget of {}",
            out.writes.len(),
            s.budget()
        ));
    }
    let written = out.writes.len();
    let mut writes = out.writes;
    writes.push(succeeded(s.name(), out.count, written, env));
    match cx.db.batch(&writes).await {
        Ok(_) => {}
        // Another run of the step wrote first (guarded updates, the audit
        // chain's unique link): nothing of this one was written, and the
        // next run continues where that one stopped.
        Err(DbError::Constraint(_)) => {
            let _ = cx.db.batch(&[raced(s.name(), env)]).await;
            return Ok(0);
        }
        Err(e) => return Err(e.to_string()),
    }
    for e in out.effects {
        if let Effect::Enqueue(m) = e {
            // Committed already; what a lost send leaves undone is due
            // again at the next run (each step reads what is still due).
            let _ = cx.queue.send(&m).await;
        }
    }
    if out.more {
        let _ = cx.queue.send(&continuation(s.name())).await;
    }
    Ok(out.count)
}

/// The queue message that runs one step again, in an invocation of its own.
pub fn continuation(step: &str) -> serde_json::Value {
    json!({ "type": "sweep", "step": step })
}

fn succeeded(name: &str, count: usize, written: usize, env: &Env) -> Stmt {
    stmt!(
        "INSERT INTO sweep_steps (step, runs, last_ok_at, last_count, most_written) VALUES (?, 1, ?, ?, ?)
         ON CONFLICT (step) DO UPDATE SET runs = runs + 1, last_ok_at = excluded.last_ok_at,
           last_count = excluded.last_count, most_written = MAX(most_written, excluded.most_written),
           last_error = NULL",
        name,
        env.now.to_rfc3339(),
        i64::try_from(count).unwrap_or(i64::MAX),
        i64::try_from(written).unwrap_or(i64::MAX)
    )
}

fn raced(name: &str, env: &Env) -> Stmt {
    stmt!(
        "INSERT INTO sweep_steps (step, runs, last_ok_at, last_count) VALUES (?, 1, ?, 0)
         ON CONFLICT (step) DO UPDATE SET runs = runs + 1, last_ok_at = excluded.last_ok_at, last_count = 0, last_error = NULL",
        name,
        env.now.to_rfc3339()
    )
}

fn failed(name: &str, why: &str, env: &Env) -> Stmt {
    let why: String = why.chars().take(300).collect();
    stmt!(
        "INSERT INTO sweep_steps (step, runs, failures, last_error, last_failed_at) VALUES (?, 1, 1, ?, ?)
         ON CONFLICT (step) DO UPDATE SET runs = runs + 1, failures = failures + 1,
           last_error = excluded.last_error, last_failed_at = excluded.last_failed_at",
        name,
        why,
        env.now.to_rfc3339()
    )
}

/// Local development only: a step whose read fails (a test switch), to
/// show a failing step is reported and the others run on.
#[cfg(feature = "dev")]
pub struct Failing(pub Box<dyn AnyStep>);

#[cfg(feature = "dev")]
impl AnyStep for Failing {
    fn name(&self) -> &'static str {
        self.0.name()
    }
    fn budget(&self) -> usize {
        self.0.budget()
    }
    fn stmts(&self, _: &Env) -> Vec<Stmt> {
        vec![stmt!("SELECT n FROM sweep_step_failing_on_purpose")]
    }
    fn finish(&self, results: Vec<StmtResult>, env: &Env) -> Result<StepOutcome, ReadError> {
        self.0.finish(results, env)
    }
}

/// A step that only deletes what has expired, a bounded number of rows a
/// run (`stmt` takes the instant and the row limit).
pub struct Purge {
    pub name: &'static str,
    pub stmt: fn(chrono::DateTime<chrono::Utc>, i64) -> Stmt,
}

/// Rows one purge deletes a run at most.
pub const PURGE_ROWS: i64 = 2_000;

impl Step for Purge {
    type Reads = ();
    const NAME: &'static str = "purge";
    const BUDGET: usize = 1;
    fn name(&self) -> &'static str {
        self.name
    }
    fn reads(&self, _: &Env) {}
    fn plan(&self, (): (), env: &Env) -> StepOutcome {
        StepOutcome {
            writes: vec![(self.stmt)(env.now, PURGE_ROWS)],
            ..StepOutcome::default()
        }
    }
}
