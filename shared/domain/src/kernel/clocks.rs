//! One clock for every deadline (issue 21): the `clocks` table holds what
//! is due (a kind, the row it is about, the record it links to, the member
//! who must act and the other member who sees it), when (the last KST
//! calendar day to act, and the UTC instant that ends it), and what
//! happened: `met`, `void`, `fired` (closed by what the deadline means, e.g.
//! C3's deemed acceptance) or fired and still `open` (a flag, e.g. C7's
//! overdue request, until it is met), and extensions, each with a sealed
//! reason and the day it replaced.
//!
//! The kernel knows no kind: an area declares its [`Kind`] (name and the
//! staff roles that watch it), opens its clocks (`open`, or a trigger in its
//! migration where many paths start the row), and fires them from a sweep
//! step of its own that reads `due` clocks and writes `fire` with its
//! consequence in one batch; `deadlines.rs` lists every kind for the
//! dashboards. Privacy requests, disputes, billing objections and invoices
//! add kinds the same way.

use crate::kernel::crypto::{at, new_id};
use crate::kernel::engine::{guard_one_change, AdminRole, Env};
use crate::kernel::ports::Stmt;
use crate::kernel::types::{kst_date, kst_midnight};
use crate::{row, stmt};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

/// A kind of deadline, declared by the area that owns it.
#[derive(Debug)]
pub struct Kind {
    /// Stored in `clocks.kind`.
    pub name: &'static str,
    /// The staff roles whose dashboard shows it (owners see every kind).
    pub watchers: &'static [AdminRole],
}

impl Kind {
    /// Does an admin of `role` see clocks of this kind?
    pub fn watched_by(&self, role: AdminRole) -> bool {
        role == AdminRole::Owner || self.watchers.contains(&role)
    }
}

/// The first instant after the last day to act: KST midnight after it.
pub fn due_at(last_day: NaiveDate) -> DateTime<Utc> {
    kst_midnight(last_day.checked_add_days(Days::new(1)).unwrap_or(last_day))
}

/// The last KST day to act before a deadline that ends at `due_at`.
pub fn last_day(due_at: DateTime<Utc>) -> NaiveDate {
    kst_date(due_at - chrono::Duration::seconds(1))
}

/// A clock to open.
pub struct Due<'a> {
    pub kind: &'a Kind,
    /// The row it is about (the id of a request, a contract, a member).
    pub subject: &'a str,
    /// The record the dashboards link to, `<type>/<id>`.
    pub record: String,
    /// The member who must act.
    pub actor: &'a str,
    /// Another member who sees it (the one waiting).
    pub party: Option<&'a str>,
    /// The last KST day to act.
    pub last_day: NaiveDate,
}

/// Opens a clock (at most one open clock of a kind per subject: a second
/// is refused by the unique index, and the batch with it).
pub fn open(env: &Env, due: &Due) -> Stmt {
    stmt!(
        "INSERT INTO clocks (id, kind, subject, record, actor, party, due_day, due_at, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        new_id(env.rng, "clk"),
        due.kind.name,
        due.subject,
        due.record.as_str(),
        due.actor,
        due.party,
        due.last_day.to_string(),
        due_at(due.last_day).to_rfc3339(),
        env.now.to_rfc3339()
    )
}

/// Meets the open clock of `kind` about `subject`, if there is one.
pub fn meet(env: &Env, kind: &Kind, subject: &str) -> Stmt {
    stmt!(
        "UPDATE clocks SET state = 'met', closed_at = ? WHERE kind = ? AND subject = ? AND state = 'open'",
        env.now.to_rfc3339(),
        kind.name,
        subject
    )
}

/// Meets the open clock of the subject, if any, and opens the next one
/// (a duty that comes back: S8's update every six months).
pub fn restart(env: &Env, due: &Due) -> [Stmt; 2] {
    [meet(env, due.kind, due.subject), open(env, due)]
}

/// What firing does to the clock: the consequence ends it, or it stays
/// open, flagged, until the actor acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fired {
    Closes,
    Flags,
}

/// Fires clock `id` at `now`, once: a guarded update, so a second run (or
/// a racing one) aborts its whole batch and writes nothing twice.
pub fn fire(id: &str, now: DateTime<Utc>, what: Fired) -> [Stmt; 2] {
    let state = match what {
        Fired::Closes => "fired",
        Fired::Flags => "open",
    };
    let now = now.to_rfc3339();
    let closed = (what == Fired::Closes).then_some(now.as_str());
    [
        stmt!(
            "UPDATE clocks SET fired_at = ?, state = ?, closed_at = ? WHERE id = ? AND state = 'open' AND fired_at IS NULL",
            now.as_str(),
            state,
            closed,
            id
        ),
        guard_one_change(),
    ]
}

/// Gives the open clock of `kind` about `subject` a later last day, with
/// the reason (sealed: a person wrote it) and the day it replaces; the
/// requester is told by the area. Guarded: no open clock, or a day not
/// later than the current one, aborts the batch.
pub fn extend(env: &Env, kind: &Kind, subject: &str, to: NaiveDate, reason: &str) -> [Stmt; 2] {
    let id = format!("{}/{subject}", kind.name);
    let sealed = env
        .keys
        .seal_for(env.rng, &at("clocks.extended_reason", &id), reason);
    [
        stmt!(
            "UPDATE clocks SET extended_from = due_day, due_day = ?, due_at = ?, extended_at = ?,
               extended_reason_enc = ?, extensions = extensions + 1, fired_at = NULL
             WHERE kind = ? AND subject = ? AND state = 'open' AND due_day < ?",
            to.to_string(),
            due_at(to).to_rfc3339(),
            env.now.to_rfc3339(),
            sealed,
            kind.name,
            subject,
            to.to_string()
        ),
        guard_one_change(),
    ]
}

/// The condition that selects the open clocks of a kind (`?`) due at an
/// instant (`?`) and not yet fired, oldest deadline first, a limit (`?`):
/// an area's fire step joins `clocks k` to its rows and ends with it.
#[macro_export]
macro_rules! clocks_due {
    () => {
        "k.kind = ? AND k.state = 'open' AND k.fired_at IS NULL AND k.due_at <= ? ORDER BY k.due_at, k.id LIMIT ?"
    };
}

crate::text_enum!(
    /// Where an open clock stands, in KST days.
    pub enum Bucket {
        /// past its deadline
        Overdue = "overdue",
        /// its last day is today
        Today = "today",
        /// its last day is in this KST week (to Sunday)
        ThisWeek = "this_week",
        /// later
        Later = "later",
    }
);

/// The Sunday that ends the KST week of `today`.
fn week_end(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_days(Days::new(u64::from(
            6 - today.weekday().num_days_from_monday(),
        )))
        .unwrap_or(today)
}

/// The bucket of a clock whose last day is `day` (ending at `due_at`).
pub fn bucket(day: NaiveDate, due_at: DateTime<Utc>, now: DateTime<Utc>) -> Bucket {
    let today = kst_date(now);
    let sunday = week_end(today);
    if due_at <= now {
        Bucket::Overdue
    } else if day <= today {
        Bucket::Today
    } else if day <= sunday {
        Bucket::ThisWeek
    } else {
        Bucket::Later
    }
}

/// Open clocks a dashboard lists at most (the counts cover them all).
pub const LISTED: i64 = 200;

row!(
    pub struct OpenClockRow {
        pub id: String,
        pub kind: String,
        pub subject: String,
        pub record: String,
        pub actor: String,
        pub actor_company: Option<String>,
        pub party: Option<String>,
        pub party_company: Option<String>,
        pub due_day: String,
        pub due_at: String,
        pub fired_at: Option<String>,
        pub extensions: i64,
        pub extended_from: Option<String>,
    }
);

row!(
    pub struct ClockCountRow {
        pub overdue: Option<i64>,
        pub today: Option<i64>,
        pub this_week: Option<i64>,
        pub total: i64,
    }
);

/// The instants the counts split at: now, the end of today, the end of
/// this week (KST).
pub fn edges(now: DateTime<Utc>) -> [String; 3] {
    let today = kst_date(now);
    let sunday = week_end(today);
    [
        now.to_rfc3339(),
        due_at(today).to_rfc3339(),
        due_at(sunday).to_rfc3339(),
    ]
}

crate::reply!(
    /// Open clocks, deadline first (so overdue first, then due today, this
    /// week, later), at most 200, and how many there are in each bucket.
    pub struct OpenClocks {
        pub counts: ClockCounts,
        pub clocks: Vec<OpenClock>,
        /// more open clocks than listed
        pub more: bool,
    }
    pub struct ClockCounts {
        pub overdue: i64,
        pub today: i64,
        pub this_week: i64,
        pub later: i64,
    }
    /// One open deadline.
    pub struct OpenClock {
        pub clock_id: String,
        /// the deadline's kind (`contract_inspection` C3, `contract_request`
        /// C7, `capability_update` S8, …)
        pub kind: String,
        /// the row it is about
        pub subject: String,
        /// the record it links to, `<type>/<id>` (`contract/…`, `member/…`)
        pub record: String,
        /// the member who must act
        pub actor: String,
        pub actor_company: Option<String>,
        /// the other member, who waits
        pub party: Option<String>,
        pub party_company: Option<String>,
        /// the caller must act (members' own list)
        pub yours: bool,
        /// the last KST day to act (YYYY-MM-DD)
        pub due_day: String,
        /// the instant it ends (KST midnight after `due_day`)
        pub due_at: String,
        pub bucket: Bucket,
        /// when the sweep flagged it overdue
        pub fired_at: Option<String>,
        pub extensions: i64,
        /// the day an extension replaced
        pub extended_from: Option<String>,
    }
);

/// The reply of a dashboard's rows, `caller` being the member (or empty).
pub fn listed(rows: Vec<OpenClockRow>, counts: Option<ClockCountRow>, env: &Env) -> OpenClocks {
    let counts = counts.unwrap_or(ClockCountRow {
        overdue: None,
        today: None,
        this_week: None,
        total: 0,
    });
    let (overdue, today, this_week) = (
        counts.overdue.unwrap_or(0),
        counts.today.unwrap_or(0),
        counts.this_week.unwrap_or(0),
    );
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) < counts.total;
    let clocks = rows
        .into_iter()
        .map(|r| {
            let day = NaiveDate::parse_from_str(&r.due_day, "%Y-%m-%d").ok();
            let end = crate::kernel::types::parse_instant(Some(&r.due_at));
            let bucket = match (day, end) {
                (Some(day), Some(end)) => bucket(day, end, env.now),
                _ => Bucket::Overdue,
            };
            OpenClock {
                clock_id: r.id,
                yours: r.actor == env.caller(),
                kind: r.kind,
                subject: r.subject,
                record: r.record,
                actor: r.actor,
                actor_company: r.actor_company,
                party: r.party,
                party_company: r.party_company,
                due_day: r.due_day,
                due_at: r.due_at,
                bucket,
                fired_at: r.fired_at,
                extensions: r.extensions,
                extended_from: r.extended_from,
            }
        })
        .collect();
    OpenClocks {
        counts: ClockCounts {
            overdue,
            today,
            this_week,
            later: (counts.total - overdue - today - this_week).max(0),
        },
        clocks,
        more,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_deadline_ends_at_kst_midnight_after_its_last_day() {
        assert_eq!(due_at(day("2026-12-10")), at("2026-12-10T15:00:00Z"));
        assert_eq!(last_day(at("2026-12-10T15:00:00Z")), day("2026-12-10"));
        assert_eq!(due_at(day("2026-12-31")), at("2026-12-31T15:00:00Z"));
    }

    #[test]
    fn buckets_follow_kst_days_and_weeks() {
        // Sunday 6 Dec 2026, 23:59 KST (14:59 UTC).
        let now = at("2026-12-06T14:59:00Z");
        let b = |d: &str| bucket(day(d), due_at(day(d)), now);
        assert_eq!(b("2026-12-05"), Bucket::Overdue);
        assert_eq!(b("2026-12-06"), Bucket::Today);
        // Monday starts the next KST week.
        assert_eq!(b("2026-12-07"), Bucket::Later);
        // One minute later it is Monday in Korea: Sunday's clock is overdue
        // and the week runs to 13 Dec.
        let now = at("2026-12-06T15:00:00Z");
        let b = |d: &str| bucket(day(d), due_at(day(d)), now);
        assert_eq!(b("2026-12-06"), Bucket::Overdue);
        assert_eq!(b("2026-12-07"), Bucket::Today);
        assert_eq!(b("2026-12-13"), Bucket::ThisWeek);
        assert_eq!(b("2026-12-14"), Bucket::Later);
        assert_eq!(
            edges(now),
            [
                now.to_rfc3339(),
                "2026-12-07T15:00:00+00:00".to_owned(),
                "2026-12-13T15:00:00+00:00".to_owned()
            ]
        );
    }
}
