//! Rule S8: capability and capacity information older than 6 months (KST
//! calendar months) — the member is asked to update it, once per update,
//! by a sweep step. Each save restarts the member's clock
//! (`kernel::clocks`, kind `capability_update`): its last day is the day
//! before the information turns six months old.

use crate::kernel::clocks::{self, Due, Fired, Kind};
use crate::kernel::engine::{AdminRole, Env};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::outbox::outbox;
use crate::kernel::ports::Stmt;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::kernel::types::{add_months, kst_date, parse_instant};
use crate::{read, read_set, row, stmt};

/// Capability information older than this asks the member to update.
pub const CAPABILITY_STALE_MONTHS: u32 = 6;

/// The member's update, a clock the sweep fires by asking for it; it stays
/// open until the member saves again. Reviewers watch it.
pub const CAPABILITY_UPDATE: Kind = Kind {
    name: "capability_update",
    watchers: &[AdminRole::Reviewer],
};

/// The KST day information saved at `at` turns stale.
pub fn stale_on(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    add_months(kst_date(at), CAPABILITY_STALE_MONTHS)
}

/// The statements that restart member `id`'s clock when its information
/// is saved at `env.now` (S8).
pub fn saved(env: &Env, id: &str) -> [Stmt; 2] {
    let last_day = stale_on(env.now)
        .pred_opt()
        .unwrap_or_else(|| stale_on(env.now));
    clocks::restart(
        env,
        &Due {
            kind: &CAPABILITY_UPDATE,
            subject: id,
            record: format!("member/{id}"),
            actor: id,
            party: None,
            last_day,
        },
    )
}

/// Is the member's capability/capacity information stale at `now`?
pub fn capability_stale(updated_at: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> bool {
    let Some(updated) = parse_instant(updated_at) else {
        return false;
    };
    stale_on(updated) <= kst_date(now)
}

row!(
    pub struct Stale {
        pub clock_id: String,
        pub id: String,
        pub capability_updated_at: Option<String>,
        pub email_enc: Option<String>,
    }
);

read_set!(pub struct StaleReads => StaleRows { stale: Vec<Stale> });

/// The sweep step: the clocks of active members whose information turned
/// stale fire: the member is marked asked and notified, once per save.
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
const STALE_PER_RUN: usize = crate::kernel::sweep::items(AskForUpdates::BUDGET, 4);

impl Step for AskForUpdates {
    type Reads = StaleReads;
    const NAME: &'static str = "capability_update_requests";
    /// The clock fired (2), the member's mark and its e-mail: 4 statements
    /// each.
    const BUDGET: usize = 76;

    fn reads(&self, env: &Env) -> StaleReads {
        StaleReads {
            stale: read!(
                concat!(
                    "SELECT k.id AS clock_id, m.id, m.capability_updated_at, m.email_enc
                     FROM clocks k JOIN members m ON m.id = k.subject AND m.status = 'active' WHERE ",
                    crate::clocks_due!()
                ),
                CAPABILITY_UPDATE.name,
                self.now(env).to_rfc3339(),
                STALE_PER_RUN as i64
            ),
        }
    }

    fn plan(&self, rows: StaleRows, env: &Env) -> StepOutcome {
        let mut out = StepOutcome {
            more: rows.stale.len() == STALE_PER_RUN,
            ..StepOutcome::default()
        };
        // The clock is the deadline: every clock read fires (one skipped
        // here would be read again by every run and block those after it).
        for r in &rows.stale {
            out.count += 1;
            out.writes
                .extend(clocks::fire(&r.clock_id, self.now(env), Fired::Flags));
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
                let link = env
                    .config
                    .area::<crate::kernel::notify::Links>()
                    .app("profile");
                let text = fill("notice.capability_update", Lang::Ko, &[("link", &link)]);
                let (n, e) = outbox(env, &r.id, "email", "capability_update", &email, &text);
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
