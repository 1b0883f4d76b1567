//! Work outside a request, composed from the areas: what the queue consumer
//! does with each kind of message, and the sweep's list of steps. The kernel
//! runs them (`kernel::queue`, `kernel::sweep`); this is the one place that
//! lists every area's part.

use crate::contracts::c3_inspection::DeemAccepted;
use crate::contracts::c7_requests::FlagOverdue;
use crate::devices::v3_records::Batch;
#[cfg(feature = "dev")]
use crate::devices::v4_store::dev_switches;
use crate::devices::v4_store::{store_attendance, store_seen, DevSwitches};
use crate::kernel::background::{self, Job, StepMessage};
use crate::kernel::engine::Cx;
use crate::kernel::notify::{Ncp, NoticeConfig};
use crate::kernel::outbox::{deliver, ResendLost};
use crate::kernel::ports::PortError;
use crate::kernel::queue::{self, Consumer, DrainReport};
use crate::kernel::sweep::{self, AnyStep, Purge, Swept};
use crate::matching::m3_freshness::RankStaleLower;
use crate::signup::s1_steps::ExpireAbandoned;
use crate::signup::s8_capability::AskForUpdates;
use serde_json::Value as Json;

/// A queue message's meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// Deliver outbox row `id`.
    Outbox(String),
    /// Store attendance records (V4).
    Attendance(Batch),
    /// Terminals' contacts an instance reports once a minute: (id, when).
    Seen(Vec<(String, String)>),
    /// One step of a background job.
    Job(StepMessage),
    /// A sweep step with more to do than one run's budget.
    Sweep(String),
    /// Cannot ever succeed: left to the dead-letter queue.
    Poison,
}

impl Message {
    pub fn parse(v: &Json) -> Message {
        match v.get("type").and_then(Json::as_str) {
            Some("outbox") => v
                .get("id")
                .and_then(Json::as_str)
                .map_or(Message::Poison, |id| Message::Outbox(id.to_owned())),
            Some("attendance") => Batch::parse(v).map_or(Message::Poison, Message::Attendance),
            Some("seen") => v
                .get("terminals")
                .and_then(|t| serde_json::from_value(t.clone()).ok())
                .map_or(Message::Poison, Message::Seen),
            Some("job") => StepMessage::parse(v).map_or(Message::Poison, Message::Job),
            Some("sweep") => v
                .get("step")
                .and_then(Json::as_str)
                .map_or(Message::Poison, |s| Message::Sweep(s.to_owned())),
            _ => Message::Poison,
        }
    }
}

/// The consumer of both queues (the Worker's `queue` handler and Spin's
/// table-queue drain): notices to the providers (`kernel::notify`),
/// attendance into the shards, sweep continuations and job steps, one
/// outcome per message in order. `switches`: the dev switches when the
/// caller has read them already (`None`: read when a delivery holds
/// attendance).
#[derive(Default)]
pub struct Areas {
    pub switches: Option<DevSwitches>,
}

/// The consumer of a Worker that takes only the attendance queue
/// (`edge-devices`): attendance and terminals' contacts. It leaves out
/// notices, the sweep and the jobs (whose code is then not in that Worker:
/// each Worker has a size budget); a message of those is refused.
#[derive(Default)]
pub struct AttendanceOnly {
    pub switches: Option<DevSwitches>,
}

/// What only the consumer of `member-events` (and Spin's drain) does:
/// deliver notices, run sweep continuations and job steps.
#[async_trait::async_trait(?Send)]
trait Background {
    async fn deliver(&self, cx: &Cx<'_>, id: &str) -> Result<(), PortError>;
    async fn sweep_step(&self, cx: &Cx<'_>, step: &str) -> Result<(), PortError>;
    async fn job(&self, cx: &Cx<'_>, step: &StepMessage) -> Result<(), PortError>;
}

struct Everything;

#[async_trait::async_trait(?Send)]
impl Background for Everything {
    async fn deliver(&self, cx: &Cx<'_>, id: &str) -> Result<(), PortError> {
        let notices = cx.config.area::<NoticeConfig>();
        // Without the providers' keys nothing is attempted (no attempt
        // counted, nothing given up): retried until set.
        if !notices.is_set() {
            return Err(PortError("notice providers not configured".into()));
        }
        let notifier = Ncp {
            http: cx.http,
            config: &notices,
            clock: cx.clock,
        };
        deliver(cx.db, &notifier, cx.keys, cx.rng, id, cx.clock.now()).await
    }
    async fn sweep_step(&self, cx: &Cx<'_>, step: &str) -> Result<(), PortError> {
        sweep_step(cx, step).await
    }
    async fn job(&self, cx: &Cx<'_>, step: &StepMessage) -> Result<(), PortError> {
        match job(&step.kind) {
            Some(j) => background::advance(cx, j, step).await,
            None => Err(PortError("unknown job kind".into())),
        }
    }
}

#[async_trait::async_trait(?Send)]
impl Consumer for Areas {
    async fn consume(&self, cx: &Cx<'_>, bodies: &[Json]) -> Vec<Result<(), PortError>> {
        consume(cx, bodies, self.switches.as_ref(), Some(&Everything)).await
    }
}

#[async_trait::async_trait(?Send)]
impl Consumer for AttendanceOnly {
    async fn consume(&self, cx: &Cx<'_>, bodies: &[Json]) -> Vec<Result<(), PortError>> {
        consume(cx, bodies, self.switches.as_ref(), None).await
    }
}

async fn consume(
    cx: &Cx<'_>,
    bodies: &[Json],
    switches_read: Option<&DevSwitches>,
    background: Option<&dyn Background>,
) -> Vec<Result<(), PortError>> {
    let now = cx.clock.now();
    let elsewhere = || Err(PortError("not this Worker's queue".into()));
    let mut outcomes: Vec<Result<(), PortError>> = Vec::with_capacity(bodies.len());
    let mut attendance = Vec::new();
    let mut attendance_at = Vec::new();
    // One run per step and delivery, however many continuations of it
    // the delivery holds (each run is bounded by its budget).
    let mut swept: Vec<String> = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        outcomes.push(Ok(()));
        match Message::parse(body) {
            Message::Outbox(id) => {
                outcomes[i] = match background {
                    Some(b) => b.deliver(cx, &id).await,
                    None => elsewhere(),
                };
            }
            Message::Attendance(b) => {
                attendance.push(b);
                attendance_at.push(i);
            }
            Message::Seen(seen) => outcomes[i] = store_seen(cx, &seen).await,
            Message::Sweep(step) if swept.contains(&step) => {}
            Message::Sweep(step) => {
                outcomes[i] = match background {
                    Some(b) => b.sweep_step(cx, &step).await,
                    None => elsewhere(),
                };
                swept.push(step);
            }
            Message::Job(step) => {
                outcomes[i] = match background {
                    Some(b) => b.job(cx, &step).await,
                    None => elsewhere(),
                };
            }
            // Cannot succeed later: retried to the limit, then dead-lettered.
            Message::Poison => outcomes[i] = Err(PortError("malformed message".into())),
        }
    }
    if !attendance.is_empty() {
        let dev = match switches_read {
            Some(d) => d.clone(),
            None => switches(cx).await,
        };
        let stored = store_attendance(cx, &attendance, now, &dev).await;
        for (i, r) in attendance_at.into_iter().zip(stored) {
            outcomes[i] = r;
        }
    }
    outcomes
}

/// The dev switches in dev mode (one read); none in release builds, where
/// the code to read them is not compiled.
pub async fn switches(cx: &Cx<'_>) -> DevSwitches {
    #[cfg(feature = "dev")]
    if cx.config.dev() {
        return dev_switches(cx.db).await;
    }
    #[cfg(not(feature = "dev"))]
    let _ = cx;
    DevSwitches::default()
}

/// Every kind of background job, by the `kind` its messages carry.
fn job(kind: &str) -> Option<&'static dyn Job> {
    let all: [&'static dyn Job; 9] = [
        &crate::devices::v4_reshard::MoveAttendance,
        &crate::privacy::a8_terms::Announce,
        &crate::matching::m1_weights::RescoreRankings,
        &crate::privacy::p4_export::Export,
        &crate::privacy::p8_marketing::SendMarketing,
        &crate::privacy::r2_destruction::Destroy,
        &crate::privacy::a9_reports::Report,
        &crate::billing::b1_run::InvoiceRun,
        &crate::billing::b2_suspension::Dunning,
    ];
    all.into_iter().find(|j| j.kind() == kind)
}

crate::reply!(
    /// What `POST /maintenance/run` did: each sweep step's count by name,
    /// the steps that failed (recorded in `sweep_steps`), and the table
    /// queue's drain.
    pub struct MaintenanceRun {
        pub sweep: std::collections::BTreeMap<&'static str, usize>,
        pub failed_steps: Vec<&'static str>,
        pub queue: crate::kernel::queue::DrainReport,
    }
);

/// Every job that runs once per period, from the areas: the day's
/// destruction run (R2), last month's and last quarter's reports (A9),
/// this month's invoices (B1), the day's dunning run (B2).
fn scheduled(now: chrono::DateTime<chrono::Utc>) -> Vec<background::Scheduled> {
    let mut due = crate::privacy::r2_destruction::scheduled(now);
    due.extend(crate::privacy::a9_reports::scheduled(now));
    due.extend(crate::billing::b1_run::scheduled(now));
    due.extend(crate::billing::b2_suspension::scheduled(now));
    due
}

/// The sweep's steps, in the order a run takes them: rule S8 reminders,
/// M3's ranking of stale partners, C3's deemed acceptances, C7's overdue
/// requests, P3's overdue privacy requests, the expiry of abandoned applications, the
/// day's destruction run (R2), sealing the audit chain,
/// sealing free text written before its column was sealed,
/// re-sending notices whose queue message was lost, and purging expired
/// idempotency keys, codes, sessions, rate-limit windows and delivered
/// notices; each step from the area that owns its rows. Local development
/// lets tests move the clock of the dated steps forward; purges always use
/// the real clock.
fn steps(dev: &DevSwitches) -> Vec<Box<dyn AnyStep>> {
    let offset = dev.sweep_clock_offset_secs();
    let all: Vec<Box<dyn AnyStep>> = vec![
        Box::new(AskForUpdates {
            clock_offset_secs: offset,
        }),
        Box::new(RankStaleLower {
            clock_offset_secs: offset,
        }),
        Box::new(DeemAccepted {
            clock_offset_secs: offset,
        }),
        Box::new(FlagOverdue {
            clock_offset_secs: offset,
        }),
        Box::new(crate::privacy::p3_overdue::FlagOverdueRights {
            clock_offset_secs: offset,
        }),
        Box::new(crate::disputes::d1_negotiation::FlagUnanswered {
            clock_offset_secs: offset,
        }),
        Box::new(crate::disputes::d2_mediation::FlagMediation {
            clock_offset_secs: offset,
        }),
        Box::new(ExpireAbandoned {
            clock_offset_secs: dev.expiry_clock_offset_secs(),
        }),
        Box::new(background::StartScheduled {
            clock_offset_secs: offset,
            due: scheduled,
        }),
        Box::new(crate::privacy::a8_terms::TakeEffect {
            clock_offset_secs: offset,
        }),
        Box::new(crate::kernel::audit::SealChain),
        Box::new(crate::kernel::access_log::SealAccessLog),
        Box::new(crate::kernel::sealed::SealLegacy(
            crate::personal_data::LEGACY,
        )),
        Box::new(ResendLost),
        Box::new(background::ResendIdleJobs),
        Box::new(Purge {
            name: "purged_idempotency_keys",
            stmt: crate::kernel::idempotency::purge,
        }),
        Box::new(Purge {
            name: "purged_phone_codes",
            stmt: crate::signup::s3_phone::purge_codes,
        }),
        Box::new(Purge {
            name: "purged_recovery_codes",
            stmt: crate::auth::recovery::purge_recovery,
        }),
        Box::new(Purge {
            name: "purged_sessions",
            stmt: crate::auth::a5_sessions::purge_sessions,
        }),
        Box::new(Purge {
            name: "purged_rate_limits",
            stmt: crate::kernel::limits::purge,
        }),
        Box::new(Purge {
            name: "purged_notices",
            stmt: crate::kernel::outbox::purge,
        }),
    ];
    #[cfg(feature = "dev")]
    if let Some(failing) = &dev.sweep_fail_step {
        return all
            .into_iter()
            .map(|s| -> Box<dyn AnyStep> {
                if s.name() == failing {
                    Box::new(sweep::Failing(s))
                } else {
                    s
                }
            })
            .collect();
    }
    all
}

/// The names of the sweep's steps (their rows in `sweep_steps`).
pub fn sweep_step_names() -> Vec<&'static str> {
    steps(&DevSwitches::default())
        .iter()
        .map(|s| s.name())
        .collect()
}

/// The scheduled sweep: every step, each in its own batches (see
/// `kernel::sweep`). A failing step is recorded and the others run.
///
/// # Errors
/// When the dev switches cannot be read (dev builds only).
pub async fn sweep(cx: &Cx<'_>) -> Result<Swept, PortError> {
    let dev = switches(cx).await;
    let env = cx.background_env();
    let steps = steps(&dev);
    let list: Vec<&dyn AnyStep> = steps.iter().map(AsRef::as_ref).collect();
    Ok(sweep::run(cx, &env, &list).await)
}

/// One step again, for its continuation message.
///
/// # Errors
/// When the step failed (the queue retries it) or is unknown.
async fn sweep_step(cx: &Cx<'_>, name: &str) -> Result<(), PortError> {
    let dev = switches(cx).await;
    let env = cx.background_env();
    let steps = steps(&dev);
    let Some(step) = steps.iter().find(|s| s.name() == name) else {
        return Err(PortError(format!("unknown sweep step {name}")));
    };
    let swept = sweep::run(cx, &env, &[step.as_ref()]).await;
    if swept.failed.is_empty() {
        Ok(())
    } else {
        Err(PortError(format!("sweep step {name} failed")))
    }
}

/// Consumes up to 50 messages of the table queue (Spin's queue).
///
/// # Errors
/// When the database fails; messages stay queued for the next drain.
pub async fn drain_table_queue(cx: &Cx<'_>) -> Result<DrainReport, PortError> {
    let dev = switches(cx).await;
    if dev.held_for(cx.clock.now()).is_some() {
        return Ok(DrainReport::default());
    }
    let backoff = |age_secs: u64| dev.retry_delay(age_secs);
    queue::drain(
        cx,
        &Areas {
            switches: Some(dev.clone()),
        },
        &backoff,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every step's reads, writes and status row, all steps together, stay
    /// within the run's budget, far below D1's 1,000 statements per
    /// invocation (the caps once added up to about 1,900).
    #[test]
    fn the_sweep_fits_its_statement_budget() {
        let names = sweep_step_names();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        let keys = crate::kernel::crypto::testkit::keys();
        let rng = crate::kernel::crypto::testkit::SeqRandom(std::cell::Cell::new(1));
        let config = crate::kernel::engine::Config::default();
        let env = crate::kernel::engine::testkit::env(&keys, &rng, &config);
        let steps = steps(&DevSwitches::default());
        let list: Vec<&dyn AnyStep> = steps.iter().map(AsRef::as_ref).collect();
        let total = sweep::statements(&env, &list);
        assert!(total <= sweep::RUN_BUDGET, "{total}");
        // Every periodic job fits the step that starts them.
        use crate::kernel::sweep::Step;
        assert!(scheduled(env.now).len() <= background::StartScheduled::BUDGET);
    }
}
