//! Fixed-window rate limits (rule A6), kept in the `rate_limits` table.
//!
//! Two ways to count. `read` + `check` + `hit` suits a limit on something
//! done after the fact (codes sent). A limit that guards an expensive or
//! secret check (a password, a code) must hold under concurrent requests,
//! so `take` counts the attempt and returns the new count in one statement
//! of the request's first batch, before the check runs: of 30 parallel
//! attempts against a limit of 5, exactly 5 are checked. `release` gives
//! the slot back when the attempt turns out well (a right password), so the
//! count is of failures and attempts in flight. `take_local` counts in the
//! instance's memory instead, for paths that make no round trip.

use crate::kernel::ports::Stmt;
use crate::kernel::reads::Read;
use crate::{read, stmt};
use chrono::{DateTime, Utc};

crate::row!(
    /// One bucket's current window.
    pub struct Window {
        pub window_start: i64,
        pub count: i64,
    }
);

/// A fixed-window rate limit.
pub struct Limit {
    pub prefix: &'static str,
    pub window_secs: i64,
    pub max: i64,
}

impl Limit {
    fn bucket(&self, key: &str) -> String {
        format!("{}:{key}", self.prefix)
    }
    fn window_start(&self, now: DateTime<Utc>) -> i64 {
        let t = now.timestamp();
        t - t.rem_euclid(self.window_secs)
    }
    pub fn read(&self, key: &str) -> Read<Option<Window>> {
        read!(
            "SELECT CAST(window_start AS INTEGER) AS window_start, count FROM rate_limits WHERE bucket = ?",
            self.bucket(key)
        )
    }
    /// `Err(seconds to wait)` when the window is used up.
    pub fn check(&self, window: &Option<Window>, now: DateTime<Utc>) -> Result<(), u64> {
        let start = self.window_start(now);
        match window {
            Some(w) if w.window_start == start && w.count >= self.max => {
                Err(u64::try_from(start + self.window_secs - now.timestamp())
                    .unwrap_or(1)
                    .max(1))
            }
            _ => Ok(()),
        }
    }
    /// Counts one attempt and returns its window with the new count,
    /// atomically (`INSERT … ON CONFLICT DO UPDATE … RETURNING`).
    pub fn take(&self, key: &str, now: DateTime<Utc>) -> Read<Option<Window>> {
        read!(
            "INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, 1)
             ON CONFLICT (bucket) DO UPDATE SET
               count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
               window_start = excluded.window_start
             RETURNING CAST(window_start AS INTEGER) AS window_start, count",
            self.bucket(key),
            self.window_start(now).to_string()
        )
    }
    /// After `take`: `Err(seconds to wait)` when this attempt is over the
    /// limit (it was counted, and nothing more may be done for it).
    pub fn over(&self, taken: &Option<Window>, now: DateTime<Utc>) -> Result<(), u64> {
        match taken {
            Some(w) if w.count > self.max => Err(u64::try_from(
                w.window_start + self.window_secs - now.timestamp(),
            )
            .unwrap_or(1)
            .max(1)),
            _ => Ok(()),
        }
    }
    /// Counts one attempt in this instance's memory (`kernel::memo`) and
    /// returns its window, for `over`: exact within one instance, and no
    /// round trip. A limit that must hold across instances counts with
    /// `take` on the database path as well.
    pub fn take_local(
        &self,
        memo: &crate::kernel::memo::Memo,
        key: &str,
        now: DateTime<Utc>,
    ) -> Option<Window> {
        let window_start = self.window_start(now);
        Some(Window {
            window_start,
            count: memo.count(&self.bucket(key), window_start),
        })
    }
    /// The fuller of two windows (the database's and this instance's).
    pub fn fuller(a: Option<Window>, b: Option<Window>) -> Option<Window> {
        match (a, b) {
            (Some(x), Some(y))
                if y.window_start > x.window_start
                    || (y.window_start == x.window_start && y.count > x.count) =>
            {
                Some(y)
            }
            (Some(x), _) => Some(x),
            (None, y) => y,
        }
    }
    /// A read that counts nothing (for a request the limit does not apply
    /// to): no window.
    pub fn untaken() -> Read<Option<Window>> {
        read!("SELECT 0 AS window_start, 0 AS count WHERE 0")
    }
    /// Gives back the slot `take` counted (the attempt went well).
    pub fn release(&self, key: &str) -> Stmt {
        stmt!(
            "UPDATE rate_limits SET count = MAX(count - 1, 0) WHERE bucket = ?",
            self.bucket(key)
        )
    }
    pub fn hit(&self, key: &str, now: DateTime<Utc>) -> Stmt {
        stmt!(
            "INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, 1)
             ON CONFLICT (bucket) DO UPDATE SET
               count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
               window_start = excluded.window_start",
            self.bucket(key),
            self.window_start(now).to_string()
        )
    }
    pub fn clear(&self, key: &str) -> Stmt {
        stmt!("DELETE FROM rate_limits WHERE bucket = ?", self.bucket(key))
    }
}

/// The sweep's purge of windows older than a day.
pub fn purge(now: DateTime<Utc>, rows: i64) -> Stmt {
    stmt!(
        "DELETE FROM rate_limits WHERE rowid IN (SELECT rowid FROM rate_limits WHERE CAST(window_start AS INTEGER) < ? LIMIT ?)",
        now.timestamp() - 86_400,
        rows
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a6_fixed_window_limit_blocks_after_max_and_resets_next_window() {
        let l = Limit {
            prefix: "login",
            window_secs: 900,
            max: 5,
        };
        let now = at("2026-11-22T00:05:00Z");
        let ws = l.window_start(now);
        let w = |count: i64, window_start: i64| {
            Some(Window {
                window_start,
                count,
            })
        };
        assert!(l.check(&w(4, ws), now).is_ok());
        assert_eq!(l.check(&w(5, ws), now).unwrap_err(), 600);
        assert!(l.check(&w(99, 0), now).is_ok(), "old window");
        assert!(l.check(&None, now).is_ok());
    }
}
