//! Rule P3's third part: a request not answered by the end of its last KST
//! day is shown to staff as overdue. The sweep fires its clock once (a
//! flag: the clock stays open until the answer) and marks the case
//! `overdue_at`, which the privacy officer's queue and dashboard show; the
//! answer still ends it.

use super::p1_requests::PRIVACY_REQUEST;
use crate::kernel::audit::audit;
use crate::kernel::clocks::{self, Fired};
use crate::kernel::engine::Env;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::{read, read_set, row, stmt};

row!(
    pub struct OverdueCase {
        pub clock_id: String,
        pub id: String,
    }
);

read_set!(pub struct OverdueReads => OverdueRows { due: Vec<OverdueCase> });

/// The sweep step (P3).
pub struct FlagOverdueRights {
    /// Moves this step's clock (local development's tests only; 0 elsewhere).
    pub clock_offset_secs: i64,
}

/// Cases flagged a run at most.
const PER_RUN: usize = crate::kernel::sweep::items(FlagOverdueRights::BUDGET, 4);

impl Step for FlagOverdueRights {
    type Reads = OverdueReads;
    const NAME: &'static str = "privacy_requests_overdue";
    /// The clock fired (2), the case marked, the audit entry: 4 statements
    /// a case, 9 a run (a backlog continues in the next message: overdue
    /// requests are rare, and the run's budget is shared).
    const BUDGET: usize = 36;

    fn reads(&self, env: &Env) -> OverdueReads {
        let now = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        OverdueReads {
            due: read!(
                concat!(
                    "SELECT k.id AS clock_id, r.id FROM clocks k JOIN privacy_requests r ON r.id = k.subject WHERE ",
                    crate::clocks_due!()
                ),
                PRIVACY_REQUEST.name,
                now.to_rfc3339(),
                PER_RUN as i64
            ),
        }
    }

    fn plan(&self, rows: OverdueRows, env: &Env) -> StepOutcome {
        let mut out = StepOutcome {
            more: rows.due.len() == PER_RUN,
            ..StepOutcome::default()
        };
        let when = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        let now = when.to_rfc3339();
        for c in &rows.due {
            out.count += 1;
            out.writes
                .extend(clocks::fire(&c.clock_id, when, Fired::Flags));
            out.writes.push(stmt!(
                "UPDATE privacy_requests SET overdue_at = ? WHERE id = ? AND overdue_at IS NULL",
                now.as_str(),
                c.id.as_str()
            ));
            out.writes
                .push(audit(env, "system", "privacy.request_overdue", &c.id, ""));
        }
        out
    }
}
