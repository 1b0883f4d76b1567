//! Rule M3 in the precomputed ranking: when a partner's capability
//! information turns 6 months old (S8's calendar rule, KST), the sweep
//! drops its `freshness` factor to 0 in every ranking row (`stale_at` says
//! when), so it ranks lower until it saves its profile again.

use crate::kernel::engine::Env;
use crate::kernel::reads::Count;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::{read, read_set, stmt};

read_set!(pub struct StaleRankReads => StaleRankRows { stale: Option<Count> });

/// The sweep step.
pub struct RankStaleLower {
    /// Moves this step's clock (local development's tests only; 0 elsewhere).
    pub clock_offset_secs: i64,
}

impl Step for RankStaleLower {
    type Reads = StaleRankReads;
    const NAME: &'static str = "matching_freshness";
    /// One statement for every stale ranking row.
    const BUDGET: usize = 1;

    fn reads(&self, env: &Env) -> StaleRankReads {
        let now = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        StaleRankReads {
            stale: read!(
                "SELECT COUNT(*) AS n FROM match_index WHERE stale_at IS NOT NULL AND stale_at <= ?",
                now.to_rfc3339()
            ),
        }
    }

    fn plan(&self, rows: StaleRankRows, env: &Env) -> StepOutcome {
        let mut out = StepOutcome::default();
        let n = rows.stale.map_or(0, |c| c.n);
        if n == 0 {
            return out;
        }
        let now = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        out.count = usize::try_from(n).unwrap_or(0);
        // The row was fresh (value 1,000) when `stale_at` was set: its
        // points lose exactly the freshness weight × 100.
        out.writes.push(stmt!(
            "UPDATE match_index
               SET points = points - 100 * COALESCE((SELECT weight FROM match_weights WHERE factor = 'freshness'), 0),
                   vals = json_replace(vals, '$[6]', 0),
                   stale_at = NULL
             WHERE stale_at IS NOT NULL AND stale_at <= ?",
            now.to_rfc3339()
        ));
        out
    }
}
