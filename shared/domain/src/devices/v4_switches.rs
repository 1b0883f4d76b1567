//! Rule V4's test-only switches: failure injection for the attendance
//! consumer, the sweep's and the expiry's clocks, the shard count, a pause
//! of the consumer, a cap on the retry delay and a failing sweep step. Set
//! by `POST /__dev/switches` and read in dev mode; in a release build (no
//! cargo feature `dev`) the switches are empty and inject nothing.

use super::v3_records::Batch;
#[cfg(feature = "dev")]
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::ports::{Database, Random};
#[cfg(feature = "dev")]
use crate::kernel::problem::Problem;
#[cfg(feature = "dev")]
use crate::kernel::reads::FromResult;
#[cfg(feature = "dev")]
use crate::{row, stmt, use_case};

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
    /// Until this time (Unix seconds) every delivery is put back to arrive
    /// then, unread: the benchmark measures the accept path alone, then the
    /// consumer draining the backlog alone.
    #[cfg(feature = "dev")]
    pub consumer_resume_at: i64,
    /// This sweep step fails (its read names no table): tests of a failing
    /// step's report and of the other steps running on.
    #[cfg(feature = "dev")]
    pub sweep_fail_step: Option<String>,
    /// The longest a failed delivery waits before its retry: a test of
    /// thousands of failing deliveries reaches the dead-letter queue in
    /// minutes whatever the machine's load (the backoff grows with a
    /// message's age, and a loaded machine ages the backlog).
    #[cfg(feature = "dev")]
    pub retry_delay_max_secs: Option<u32>,
}

impl DevSwitches {
    /// The shards to store into (all of them, unless a test says fewer).
    pub(crate) fn shards<'s, 'a>(&self, shards: &'s [&'a dyn Database]) -> &'s [&'a dyn Database] {
        #[cfg(feature = "dev")]
        if let Some(n) = self.attendance_shards.filter(|n| *n <= shards.len()) {
            return &shards[..n];
        }
        shards
    }

    /// Whether a test asked this batch to fail (poison or a random share).
    pub(crate) fn fails(&self, b: &Batch, rng: &dyn Random) -> bool {
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

    /// How long a delivery `age_secs` old waits before its retry: the
    /// queue's backoff, capped where a test asks (dev builds only).
    pub fn retry_delay(&self, age_secs: u64) -> u32 {
        let delay = crate::kernel::queue::retry_delay_secs(age_secs);
        #[cfg(feature = "dev")]
        if let Some(cap) = self.retry_delay_max_secs {
            return delay.min(cap);
        }
        delay
    }

    /// Seconds until the consumer may take deliveries again, if a test
    /// holds it off (`consumer_resume_at`); never in a release build.
    pub fn held_for(&self, now: chrono::DateTime<chrono::Utc>) -> Option<u32> {
        #[cfg(feature = "dev")]
        {
            let left = self.consumer_resume_at - now.timestamp();
            (left > 0).then(|| u32::try_from(left).unwrap_or(u32::MAX))
        }
        #[cfg(not(feature = "dev"))]
        {
            let _ = now;
            None
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
            // 0: as a deployment with no shard bound (the batch must wait).
            "attendance_shards" => d.attendance_shards = s.value.parse().ok(),
            "consumer_resume_at" => d.consumer_resume_at = s.value.parse().unwrap_or(0),
            "sweep_fail_step" if !s.value.is_empty() => d.sweep_fail_step = Some(s.value),
            "retry_delay_max_secs" => d.retry_delay_max_secs = s.value.parse().ok(),
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

crate::reply!(
    /// How many dev switches a request set.
    pub struct SwitchesSet {
        pub set: usize,
    }
);

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

#[cfg(all(test, feature = "dev"))]
mod tests {
    use super::*;

    #[cfg(feature = "dev")]
    #[test]
    fn a_held_off_consumer_waits_until_the_time_set_and_not_after() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-26T04:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let mut d = DevSwitches::default();
        assert_eq!(d.held_for(now), None);
        d.consumer_resume_at = now.timestamp() + 30;
        assert_eq!(d.held_for(now), Some(30));
        d.consumer_resume_at = now.timestamp();
        assert_eq!(d.held_for(now), None);
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
