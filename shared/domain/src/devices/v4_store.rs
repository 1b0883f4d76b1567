//! Rule V4: the queue consumer stores each record exactly once in effect
//! (unique terminal + event id, batched idempotent inserts, one atomic
//! batch per shard), retried with backoff, dead-lettered after 5 retries;
//! admins list dead letters and replay them after a fix.

use super::v3_records::{kst_day, Batch};
use crate::kernel::audit::audit;
use crate::kernel::engine::{Access, AdminRole, Effect, Env, Plan};
use crate::kernel::ports::{Database, PortError, Random, Stmt, Value};
use crate::kernel::problem::Problem;
#[cfg(feature = "dev")]
use crate::kernel::reads::FromResult;
use crate::kernel::sharding::shard_of;
use crate::{read, read_set, row, stmt, use_case};
use serde_json::Value as Json;

pub(crate) const INSERT_COLUMNS: usize = 11;
/// Rows per INSERT so that bound parameters stay ≤ 100 (D1's limit).
pub const ROWS_PER_INSERT: usize = 100 / INSERT_COLUMNS;

static INSERT_SQL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();

/// `INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING` for 1..=ROWS_PER_INSERT rows.
pub(crate) fn insert_sql(rows: usize) -> &'static str {
    let all = INSERT_SQL.get_or_init(|| {
        (1..=ROWS_PER_INSERT)
            .map(|n| {
                let one = format!("({})", vec!["?"; INSERT_COLUMNS].join(", "));
                let sql = format!(
                    "INSERT INTO attendance_records (terminal_id, event_id, member_id, site_id, worker_code, direction, method, result, terminal_time, kst_day, received_at) VALUES {} ON CONFLICT (terminal_id, event_id) DO NOTHING",
                    vec![one; n].join(", ")
                );
                &*Box::leak(sql.into_boxed_str())
            })
            .collect()
    });
    all[rows.clamp(1, ROWS_PER_INSERT) - 1]
}

/// Multi-row `INSERT … ON CONFLICT DO NOTHING` statements for rows of
/// every column, at most `ROWS_PER_INSERT` a statement (V4: idempotent).
pub(crate) fn insert_rows(rows: impl IntoIterator<Item = [Value; INSERT_COLUMNS]>) -> Vec<Stmt> {
    let mut out = Vec::new();
    let mut params = Vec::with_capacity(ROWS_PER_INSERT * INSERT_COLUMNS);
    for row in rows {
        params.extend(row);
        if params.len() == ROWS_PER_INSERT * INSERT_COLUMNS {
            out.push(Stmt {
                sql: insert_sql(ROWS_PER_INSERT),
                params: std::mem::take(&mut params),
            });
        }
    }
    if !params.is_empty() {
        out.push(Stmt {
            sql: insert_sql(params.len() / INSERT_COLUMNS),
            params,
        });
    }
    out
}

/// Batched, idempotent inserts of a message's records (V4): a redelivered
/// message stores nothing new.
pub fn insert_statements(b: &Batch, received_at: &str) -> Vec<Stmt> {
    insert_rows(b.records.iter().map(|r| {
        [
            b.terminal_id.as_str().into(),
            r.event_id.as_str().into(),
            b.member_id.as_str().into(),
            b.site_id.as_str().into(),
            r.worker_code.as_str().into(),
            r.direction.as_str().into(),
            r.method.as_str().into(),
            r.result.as_str().into(),
            r.terminal_time.as_str().into(),
            kst_day(&r.terminal_time).unwrap_or_default().into(),
            received_at.into(),
        ]
    }))
}

/// Test-only failure injection: set by `POST /__dev/switches` and read in
/// dev mode. In a release build (no cargo feature `dev`) it is empty and
/// injects nothing: the code is not there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DevSwitches {
    /// Share of attendance deliveries that fail before storing (0.0–1.0).
    #[cfg(feature = "dev")]
    pub consumer_fail_rate: f64,
    /// Messages holding this event id always fail (a poison message).
    #[cfg(feature = "dev")]
    pub poison_event_id: Option<String>,
    /// Moves the maintenance sweep's clock forward (rule S8 tests).
    #[cfg(feature = "dev")]
    pub sweep_clock_offset_secs: i64,
    /// Moves the clock of the expiry of abandoned applications forward
    /// (its own switch: it would expire every other test's applicants).
    #[cfg(feature = "dev")]
    pub expiry_clock_offset_secs: i64,
    /// Stores as if the deployment had this many shards (tests of moving
    /// rows when the count changes).
    #[cfg(feature = "dev")]
    pub attendance_shards: Option<usize>,
}

impl DevSwitches {
    /// The shards to store into (all of them, unless a test says fewer).
    fn shards<'s, 'a>(&self, shards: &'s [&'a dyn Database]) -> &'s [&'a dyn Database] {
        #[cfg(feature = "dev")]
        if let Some(n) = self.attendance_shards.filter(|n| *n < shards.len()) {
            return &shards[..n];
        }
        shards
    }

    /// Whether a test asked this batch to fail (poison or a random share).
    fn fails(&self, b: &Batch, rng: &dyn Random) -> bool {
        #[cfg(feature = "dev")]
        {
            let poisoned = self
                .poison_event_id
                .as_ref()
                .is_some_and(|p| b.records.iter().any(|r| &r.event_id == p));
            let mut roll = [0u8; 2];
            rng.fill(&mut roll);
            poisoned || f64::from(u16::from_le_bytes(roll)) / 65536.0 < self.consumer_fail_rate
        }
        #[cfg(not(feature = "dev"))]
        {
            let _ = (b, rng);
            false
        }
    }

    /// The sweep's clock offset (rule S8 tests).
    pub fn sweep_clock_offset_secs(&self) -> i64 {
        #[cfg(feature = "dev")]
        return self.sweep_clock_offset_secs;
        #[cfg(not(feature = "dev"))]
        0
    }

    /// The expiry step's clock offset (its tests).
    pub fn expiry_clock_offset_secs(&self) -> i64 {
        #[cfg(feature = "dev")]
        return self.expiry_clock_offset_secs;
        #[cfg(not(feature = "dev"))]
        0
    }
}

/// Reads the dev switches (one round trip; dev builds, in dev mode).
#[cfg(feature = "dev")]
pub async fn dev_switches(db: &dyn Database) -> DevSwitches {
    let mut rows = db
        .batch(&[stmt!("SELECT name, value FROM dev_switches")])
        .await
        .unwrap_or_default();
    let switches =
        Vec::<DevSwitch>::from_result(rows.pop().unwrap_or_default()).unwrap_or_default();
    let mut d = DevSwitches::default();
    for s in switches {
        match s.name.as_str() {
            "consumer_fail_rate" => d.consumer_fail_rate = s.value.parse().unwrap_or(0.0),
            "sweep_clock_offset_secs" => d.sweep_clock_offset_secs = s.value.parse().unwrap_or(0),
            "expiry_clock_offset_secs" => d.expiry_clock_offset_secs = s.value.parse().unwrap_or(0),
            "poison_event_id" if !s.value.is_empty() => d.poison_event_id = Some(s.value),
            "attendance_shards" => d.attendance_shards = s.value.parse().ok().filter(|n| *n > 0),
            _ => {}
        }
    }
    d
}

#[cfg(feature = "dev")]
row!(
    struct DevSwitch {
        name: String,
        value: String,
    }
);

/// Stores attendance messages (V4): one atomic batch of idempotent
/// multi-row inserts per shard, then the terminals' last-seen time in the
/// main database. Returns one result per message, in order; an `Err` is
/// retried by the queue (redelivery stores nothing twice).
pub async fn store_attendance(
    main: &dyn Database,
    shards: &[&dyn Database],
    batches: &[Batch],
    now: chrono::DateTime<chrono::Utc>,
    dev: &DevSwitches,
    rng: &dyn Random,
) -> Vec<Result<(), PortError>> {
    let shards = dev.shards(shards);
    let mut results: Vec<Result<(), PortError>> = vec![Ok(()); batches.len()];
    let received = now.to_rfc3339();
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); shards.len().max(1)];
    for (i, b) in batches.iter().enumerate() {
        if dev.fails(b, rng) {
            results[i] = Err(PortError("injected failure (dev switch)".into()));
        } else {
            groups[shard_of(&b.member_id, shards.len())].push(i);
        }
    }
    for (shard, members) in groups.iter().enumerate() {
        if members.is_empty() || shards.is_empty() {
            continue;
        }
        let stmts: Vec<_> = members
            .iter()
            .flat_map(|i| insert_statements(&batches[*i], &received))
            .collect();
        if let Err(e) = shards[shard].batch(&stmts).await {
            for i in members {
                results[*i] = Err(PortError(e.to_string()));
            }
        }
    }
    let mut seen: Vec<&str> = batches
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.is_ok())
        .map(|(b, _)| b.terminal_id.as_str())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    let updates: Vec<_> = seen
        .iter()
        .map(|id| stmt!("UPDATE terminals SET last_seen_at = MAX(COALESCE(last_seen_at, ''), ?) WHERE id = ?", received.as_str(), *id))
        .collect();
    if !updates.is_empty() {
        // Last-seen is informative: a failure here does not undo the records.
        let _ = main.batch(&updates).await;
    }
    results
}

row!(
    /// A message the queue gave up on.
    pub struct DeadLetter {
        pub id: String,
        pub queue: String,
        pub body: String,
        pub received_at: String,
        pub replayed_at: Option<String>,
    }
);

crate::reply!(
    /// The latest 100 dead letters, newest first.
    pub struct DeadLetterList {
        pub items: Vec<DeadLetterListing>,
    }
    pub struct DeadLetterListing {
        pub id: String,
        pub queue: String,
        /// the message's type
        #[serde(rename = "type")]
        pub kind: Option<String>,
        pub terminal_id: Option<String>,
        /// attendance records it carries
        pub records: Option<usize>,
        pub received_at: String,
        pub replayed_at: Option<String>,
    }
    pub struct Replayed {
        pub id: String,
        pub replayed: bool,
    }
    pub struct SwitchesSet {
        pub set: usize,
    }
);

read_set!(pub struct DeadLettersReads => DeadLettersRows { letters: Vec<DeadLetter> });

/// `GET /admin/dead-letters`: messages the queue gave up on (owners: they
/// hold attendance records and are replayed by an owner).
pub struct DeadLetters;
use_case!(DeadLetters, "admin.dead_letters", |_uc| Access::Admin(&[AdminRole::Owner]), () => DeadLettersReads);

impl DeadLetters {
    fn reads(&self, _: &(), _: &Env) -> DeadLettersReads {
        DeadLettersReads {
            letters: read!("SELECT id, queue, body, received_at, replayed_at FROM dead_letters ORDER BY received_at DESC LIMIT 100"),
        }
    }

    fn decide(&self, _: (), rows: DeadLettersRows, _: &Env) -> Result<Plan, Problem> {
        let items = rows
            .letters
            .iter()
            .map(|r| {
                let body = serde_json::from_str::<Json>(&r.body).unwrap_or(Json::Null);
                let text = |k: &str| body.get(k).and_then(Json::as_str).map(str::to_owned);
                DeadLetterListing {
                    id: r.id.clone(),
                    queue: r.queue.clone(),
                    kind: text("type"),
                    terminal_id: text("terminal_id"),
                    records: body.get("records").and_then(Json::as_array).map(Vec::len),
                    received_at: r.received_at.clone(),
                    replayed_at: r.replayed_at.clone(),
                }
            })
            .collect();
        Ok(Plan::ok(200, DeadLetterList { items }, vec![]))
    }
}

row!(
    pub struct DeadBody {
        pub body: String,
    }
);

read_set!(pub struct ReplayReads => ReplayRows { letter: Option<DeadBody> });

/// `POST /admin/dead-letters/replay`: sends a dead letter back to its queue
/// after a fix (owner only; audited). Stored records stay exactly once.
pub struct ReplayDeadLetter;
use_case!(ReplayDeadLetter, "admin.replay_dead_letter", |_uc| Access::Admin(&[AdminRole::Owner]), String => ReplayReads);

impl ReplayDeadLetter {
    fn reads(&self, id: &String, _: &Env) -> ReplayReads {
        ReplayReads {
            letter: read!("SELECT body FROM dead_letters WHERE id = ?", id.as_str()),
        }
    }

    fn decide(&self, id: String, rows: ReplayRows, env: &Env) -> Result<Plan, Problem> {
        let body = rows
            .letter
            .and_then(|l| serde_json::from_str::<Json>(&l.body).ok())
            .ok_or_else(Problem::not_found)?;
        Ok(Plan::ok(
            200,
            Replayed {
                id: id.clone(),
                replayed: true,
            },
            vec![
                stmt!(
                    "UPDATE dead_letters SET replayed_at = ? WHERE id = ?",
                    env.now.to_rfc3339(),
                    id.as_str()
                ),
                audit(env, env.caller(), "dead_letter.replay", &id, ""),
            ],
        )
        .effect(Effect::Publish(vec![body])))
    }
}

/// `POST /__dev/switches`: sets test-only failure injection. Dev builds
/// only, in dev mode (local development); 404 everywhere else.
#[cfg(feature = "dev")]
pub struct SetDevSwitches;
#[cfg(feature = "dev")]
use_case!(SetDevSwitches, "dev.switches", |_uc| Access::Public, Vec<(String, String)> => ());

#[cfg(feature = "dev")]
impl SetDevSwitches {
    fn reads(&self, _: &Vec<(String, String)>, _: &Env) {}

    fn decide(&self, input: Vec<(String, String)>, (): (), env: &Env) -> Result<Plan, Problem> {
        if !env.config.dev() {
            return Err(Problem::not_found());
        }
        let writes = input
            .iter()
            .map(|(k, v)| stmt!("INSERT INTO dev_switches (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", k.as_str(), v.as_str()))
            .collect();
        Ok(Plan::ok(200, SwitchesSet { set: input.len() }, writes))
    }
}

#[cfg(test)]
mod tests {
    use super::super::v3_records::tests::record;
    use super::*;

    #[test]
    fn v4_inserts_are_batched_under_100_parameters_and_idempotent() {
        let b = Batch {
            terminal_id: "t".into(),
            member_id: "m".into(),
            site_id: "s".into(),
            records: (0..20).map(record).collect(),
        };
        let stmts = insert_statements(&b, "2026-11-22T00:00:00Z");
        assert_eq!(stmts.len(), 3);
        assert!(stmts
            .iter()
            .all(|s| s.params.len() <= 100 && s.sql.ends_with("DO NOTHING")));
        assert_eq!(
            stmts.iter().map(|s| s.params.len()).sum::<usize>(),
            20 * INSERT_COLUMNS
        );
    }

    #[test]
    #[cfg(feature = "dev")]
    fn v4_dev_switches_do_not_exist_outside_local_development() {
        use crate::kernel::crypto::testkit::{keys, SeqRandom};
        use crate::kernel::engine::{testkit, Config, UseCase};
        let (keys, rng) = (keys(), SeqRandom(std::cell::Cell::new(1)));
        for (dev, status) in [(false, 404), (true, 200)] {
            let mut config = Config::default();
            config.dev = dev;
            let env = testkit::env(&keys, &rng, &config);
            let got = UseCase::decide(
                &SetDevSwitches,
                vec![("consumer_fail_rate".into(), "1".into())],
                (),
                None,
                &env,
            );
            assert_eq!(
                got.map_or_else(|p| p.status, |plan| plan.outcome.unwrap().0),
                status
            );
        }
    }
}
