//! Rule S8: capability and capacity information older than 6 months (KST
//! calendar months) — the member is asked to update it, once per update,
//! by a sweep step.

use crate::kernel::engine::Env;
use crate::kernel::http::Lang;
use crate::kernel::i18n::msg;
use crate::kernel::outbox::outbox;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::kernel::types::{add_months, kst_date, parse_instant};
use crate::{read, read_set, row, stmt};

/// Capability information older than this asks the member to update.
pub const CAPABILITY_STALE_MONTHS: u32 = 6;

/// Is the member's capability/capacity information stale at `now`?
pub fn capability_stale(updated_at: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> bool {
    let Some(updated) = parse_instant(updated_at) else {
        return false;
    };
    add_months(kst_date(updated), CAPABILITY_STALE_MONTHS) <= kst_date(now)
}

row!(
    pub struct Stale {
        pub id: String,
        pub capability_updated_at: Option<String>,
        pub email_enc: Option<String>,
    }
);

read_set!(pub struct StaleReads => StaleRows { stale: Vec<Stale> });

/// The sweep step: active members whose information is stale and who were
/// not asked since their last update are marked asked and notified.
pub struct AskForUpdates {
    /// Moves this step's clock (local development's tests only; 0 elsewhere).
    pub clock_offset_secs: i64,
}

impl AskForUpdates {
    fn now(&self, env: &Env) -> chrono::DateTime<chrono::Utc> {
        env.now + chrono::Duration::seconds(self.clock_offset_secs)
    }
}

/// Members asked a run at most.
const STALE_PER_RUN: usize = crate::kernel::sweep::items(AskForUpdates::BUDGET, 2);

impl Step for AskForUpdates {
    type Reads = StaleReads;
    const NAME: &'static str = "capability_update_requests";
    /// A member's mark and its e-mail: 2 statements each.
    const BUDGET: usize = 100;

    fn reads(&self, env: &Env) -> StaleReads {
        let cutoff = self.now(env) - chrono::Duration::days(180);
        StaleReads {
            stale: read!(
                "SELECT id, capability_updated_at, email_enc FROM members
                 WHERE status = 'active' AND capability_updated_at < ?
                   AND (update_requested_at IS NULL OR update_requested_at < capability_updated_at)
                 ORDER BY capability_updated_at LIMIT ?",
                cutoff.to_rfc3339(),
                STALE_PER_RUN as i64
            ),
        }
    }

    fn plan(&self, rows: StaleRows, env: &Env) -> StepOutcome {
        let mut out = StepOutcome {
            more: rows.stale.len() == STALE_PER_RUN,
            ..StepOutcome::default()
        };
        for r in rows
            .stale
            .iter()
            .filter(|r| capability_stale(r.capability_updated_at.as_deref(), self.now(env)))
        {
            out.count += 1;
            out.writes.push(stmt!(
                "UPDATE members SET update_requested_at = ? WHERE id = ?",
                self.now(env).to_rfc3339(),
                r.id.as_str()
            ));
            let at = crate::kernel::crypto::at("members.email", &r.id);
            if let Some(email) = r
                .email_enc
                .as_deref()
                .and_then(|e| env.keys.open_at(&at, e).ok())
            {
                let text = msg("notice.capability_update", Lang::Ko);
                let (n, e) = outbox(env, &r.id, "email", "capability_update", &email, text);
                out.writes.push(n);
                out.effects.push(e);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn s8_capability_is_stale_after_six_calendar_months_in_kst() {
        let now = at("2026-11-22T03:00:00Z");
        assert!(
            !capability_stale(Some("2026-05-22T15:00:00Z"), now),
            "2026-05-23 KST: 6 months on 2026-11-23"
        );
        assert!(
            capability_stale(Some("2026-05-21T15:00:00Z"), now),
            "2026-05-22 KST: 6 months today"
        );
        assert!(!capability_stale(None, now));
    }
}
