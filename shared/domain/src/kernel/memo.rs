//! What one instance of the code remembers between requests: rows read
//! from the database, kept for a short lifetime; rate-limit windows counted
//! in memory; contacts to report later in one message.
//!
//! An instance is a Workers isolate (one of many in a deployment: none
//! sees another's memo), a Spin component instance (one per request, so it
//! remembers nothing and every request takes the database path), or a test
//! thread. Nothing here is ever the only record of something that
//! happened: a remembered row is a copy, a forgotten one is read again, and
//! whatever must hold across instances is re-checked where it is stored
//! (see `devices::v4_store`). No I/O; bounded in size.

use chrono::{DateTime, Utc};
use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// At most this many remembered values, windows and contacts each; past it
/// the oldest half is dropped (a cache, never the only copy).
const MAX_ENTRIES: usize = 20_000;

#[derive(Default)]
struct Inner {
    values: HashMap<String, (i64, Rc<dyn Any>)>,
    windows: HashMap<String, (i64, i64)>,
    seen: HashMap<String, String>,
    /// When the oldest contact in `seen` was noted (unix seconds).
    seen_since: Option<i64>,
}

/// One instance's memory (see the module comment).
#[derive(Default)]
pub struct Memo {
    inner: RefCell<Inner>,
    /// The instance serves one request only (Spin): what is kept here is
    /// gone when it ends, so nothing may wait here to be reported later.
    fleeting: bool,
}

thread_local! {
    static INSTANCE: &'static Memo = Box::leak(Box::default());
    static FLEETING: &'static Memo = Box::leak(Box::new(Memo { fleeting: true, ..Memo::default() }));
}

fn trim<V>(map: &mut HashMap<String, V>, age: impl Fn(&V) -> i64) {
    if map.len() < MAX_ENTRIES {
        return;
    }
    let mut ages: Vec<i64> = map.values().map(&age).collect();
    ages.sort_unstable();
    let cut = ages[ages.len() / 2];
    map.retain(|_, v| age(v) > cut);
}

impl Memo {
    /// This instance's memo (a Workers isolate, a Spin instance, a thread).
    pub fn instance() -> &'static Memo {
        INSTANCE.with(|m| *m)
    }

    /// The memo of an instance that serves one request (Spin).
    pub fn fleeting() -> &'static Memo {
        FLEETING.with(|m| *m)
    }

    /// Whether what is kept here outlives the request (see `fleeting`).
    pub fn lasts(&self) -> bool {
        !self.fleeting
    }

    /// A value kept under `key` no longer ago than `max_age_secs`.
    pub fn recall<T: Clone + 'static>(
        &self,
        key: &str,
        now: DateTime<Utc>,
        max_age_secs: i64,
    ) -> Option<T> {
        let inner = self.inner.borrow();
        let (at, v) = inner.values.get(key)?;
        let fresh = now.timestamp() - at < max_age_secs && *at <= now.timestamp();
        fresh.then(|| v.downcast_ref::<T>().cloned()).flatten()
    }

    /// Keeps `value` under `key` as of `now`.
    pub fn keep<T: 'static>(&self, key: String, value: T, now: DateTime<Utc>) {
        let mut inner = self.inner.borrow_mut();
        trim(&mut inner.values, |(at, _)| *at);
        inner.values.insert(key, (now.timestamp(), Rc::new(value)));
    }

    /// Forgets every value whose key starts with `prefix`.
    pub fn forget(&self, prefix: &str) {
        self.inner
            .borrow_mut()
            .values
            .retain(|k, _| !k.starts_with(prefix));
    }

    /// Counts one event in the window that starts at `start` (a new window
    /// starts the count again) and returns the new count: the in-memory twin
    /// of `limits::Limit::take`, which says where windows start.
    pub fn count(&self, key: &str, start: i64) -> i64 {
        let mut inner = self.inner.borrow_mut();
        trim(&mut inner.windows, |(s, _)| *s);
        let w = inner.windows.entry(key.to_owned()).or_insert((start, 0));
        if w.0 != start {
            *w = (start, 0);
        }
        w.1 += 1;
        w.1
    }

    /// Notes a contact of `id` at `now`; returns every contact noted since
    /// the last report once the oldest of them is `every_secs` old (then
    /// forgotten here: the caller reports them).
    pub fn saw(&self, id: &str, now: DateTime<Utc>, every_secs: i64) -> Vec<(String, String)> {
        let mut inner = self.inner.borrow_mut();
        let t = now.timestamp();
        let since = *inner.seen_since.get_or_insert(t);
        if inner.seen.len() >= MAX_ENTRIES && !inner.seen.contains_key(id) {
            // Full: report what is there now rather than lose it.
        } else {
            inner.seen.insert(id.to_owned(), now.to_rfc3339());
            if t - since < every_secs {
                return Vec::new();
            }
        }
        inner.seen_since = None;
        let mut out: Vec<(String, String)> = inner.seen.drain().collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn values_expire_and_are_forgotten_by_prefix() {
        let m = Memo::default();
        m.keep("terminal:a".into(), 1_i64, at(0));
        m.keep("receipt:b".into(), 2_i64, at(0));
        assert_eq!(m.recall::<i64>("terminal:a", at(9), 10), Some(1));
        assert_eq!(m.recall::<i64>("terminal:a", at(10), 10), None, "expired");
        assert_eq!(
            m.recall::<String>("receipt:b", at(1), 10),
            None,
            "another type"
        );
        m.forget("terminal:");
        assert_eq!(m.recall::<i64>("terminal:a", at(1), 10), None);
        assert_eq!(m.recall::<i64>("receipt:b", at(1), 10), Some(2));
    }

    #[test]
    fn windows_count_and_turn_over() {
        let m = Memo::default();
        assert_eq!(m.count("k", 60), 1);
        assert_eq!(m.count("k", 60), 2);
        assert_eq!(m.count("other", 60), 1);
        assert_eq!(m.count("k", 120), 1, "next window");
    }

    #[test]
    fn contacts_are_reported_once_a_minute_together() {
        let m = Memo::default();
        assert!(m.saw("a", at(0), 60).is_empty());
        assert!(m.saw("b", at(30), 60).is_empty());
        assert!(m.saw("a", at(59), 60).is_empty());
        let got = m.saw("c", at(60), 60);
        assert_eq!(
            got.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(got[0].1, at(59).to_rfc3339(), "the latest contact");
        assert!(m.saw("a", at(61), 60).is_empty(), "a new round");
    }
}
