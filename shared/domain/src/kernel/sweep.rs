//! The scheduled sweep as a list of steps, each owned by its area (rule S8
//! reminders by signup, sealing the audit chain and resending notices by the
//! kernel, purges by whoever owns the table). All steps' reads go in one
//! batch and all their writes in another: two round trips a run.

use crate::kernel::engine::{Cx, Effect, Env};
use crate::kernel::ports::{PortError, Stmt, StmtResult};
use crate::kernel::reads::{ReadError, ReadSet};
use std::collections::BTreeMap;

/// What one step wants written and sent, and how many things it did.
#[derive(Debug, Default)]
pub struct StepOutcome {
    pub writes: Vec<Stmt>,
    pub effects: Vec<Effect>,
    /// Reported under the step's name (counts only, never contents).
    pub count: usize,
}

/// One step of the sweep: named reads, then a pure plan.
pub trait Step {
    type Reads: ReadSet;
    /// The name its count is reported under.
    const NAME: &'static str;
    fn reads(&self, env: &Env) -> Self::Reads;
    fn plan(&self, rows: <Self::Reads as ReadSet>::Rows, env: &Env) -> StepOutcome;
}

/// A step behind a pointer, so that steps of different areas form one list.
pub trait AnyStep {
    fn name(&self) -> &'static str;
    fn stmts(&self, env: &Env) -> Vec<Stmt>;
    /// # Errors
    /// When a result cannot be read into its type.
    fn finish(&self, results: Vec<StmtResult>, env: &Env) -> Result<StepOutcome, ReadError>;
}

impl<S: Step> AnyStep for S {
    fn name(&self) -> &'static str {
        S::NAME
    }
    fn stmts(&self, env: &Env) -> Vec<Stmt> {
        self.reads(env).into_stmts()
    }
    fn finish(&self, results: Vec<StmtResult>, env: &Env) -> Result<StepOutcome, ReadError> {
        let rows = S::Reads::rows(&mut results.into_iter())?;
        Ok(self.plan(rows, env))
    }
}

/// What one maintenance run did: each step's count under its name.
pub type SweepReport = BTreeMap<&'static str, usize>;

/// Runs the steps: one read batch, one write batch, then the queue sends.
///
/// # Errors
/// When the database fails or a row is unreadable; the next run tries again.
pub async fn run(
    cx: &Cx<'_>,
    env: &Env<'_>,
    steps: &[&dyn AnyStep],
) -> Result<SweepReport, PortError> {
    let mut reads = Vec::new();
    let mut sizes = Vec::with_capacity(steps.len());
    for s in steps {
        let stmts = s.stmts(env);
        sizes.push(stmts.len());
        reads.extend(stmts);
    }
    let mut results = if reads.is_empty() {
        Vec::new()
    } else {
        cx.db
            .batch(&reads)
            .await
            .map_err(|e| PortError(e.to_string()))?
    }
    .into_iter();
    let mut report = SweepReport::new();
    let mut writes = Vec::new();
    let mut effects = Vec::new();
    for (s, n) in steps.iter().zip(sizes) {
        let mine: Vec<StmtResult> = results.by_ref().take(n).collect();
        let out = s
            .finish(mine, env)
            .map_err(|e| PortError(format!("{}: {e}", s.name())))?;
        if !s.name().is_empty() {
            report.insert(s.name(), out.count);
        }
        writes.extend(out.writes);
        effects.extend(out.effects);
    }
    if !writes.is_empty() {
        cx.db
            .batch(&writes)
            .await
            .map_err(|e| PortError(e.to_string()))?;
    }
    for e in effects {
        if let Effect::Enqueue(m) = e {
            // Committed already; a lost send is found again by the next run.
            let _ = cx.queue.send(&m).await;
        }
    }
    Ok(report)
}

/// A step that only deletes what has expired (reports no count).
pub struct Purge(pub fn(chrono::DateTime<chrono::Utc>) -> Stmt);

impl Step for Purge {
    type Reads = ();
    const NAME: &'static str = "";
    fn reads(&self, _: &Env) {}
    fn plan(&self, (): (), env: &Env) -> StepOutcome {
        StepOutcome {
            writes: vec![(self.0)(env.now)],
            ..StepOutcome::default()
        }
    }
}
