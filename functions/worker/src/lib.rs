//! The Cloudflare Workers, one per group of areas (cargo feature `members`,
//! `devices`, `market`, `privacy`, `office` or `jobs`, README "How the
//! Cloudflare side stays within 512 KB").
//! Bindings in (D1 `DB` and the attendance shards `ATT_SHARD_n`, R2 `DOCS`,
//! queues `EVENTS` and `ATTENDANCE`, secrets), one function crate called by
//! route, response out; a route of the other group goes, unread, to that
//! Worker over its service binding. Queue consumers and the scheduled sweep
//! call the domain's jobs.

#![cfg(target_arch = "wasm32")]

use adapter_cf::{
    read_body, read_head, write_response, CfQueue, CryptoRandom, EnvSecrets, Fetch, JsClock,
    Unbound, D1, R2,
};
use catalog::route;
#[cfg(any(feature = "jobs", feature = "devices"))]
use domain::jobs;
use domain::kernel::crypto::Keys;
use domain::kernel::engine::{log_error, report_round_trips, set_logger, Config, Cx};

use domain::kernel::notify::NoticeConfig;
#[cfg(any(feature = "jobs", feature = "devices"))]
use domain::kernel::ports::Clock;
use domain::kernel::ports::{Database, Secrets};
use domain::kernel::problem::{too_large, Problem};
#[cfg(any(feature = "jobs", feature = "devices"))]
use domain::kernel::queue::{self, Consumer};
use domain::signup::SignupConfig;
use worker::{event, Context, Env};
#[cfg(any(feature = "jobs", feature = "devices"))]
use worker::{MessageBatch, MessageExt};
#[cfg(feature = "members")]
use worker::{ScheduleContext, ScheduledEvent};

/// The deployment's settings; without the notice providers' settings the
/// Worker serves nothing (`Err`, naming what is missing).
/// The deployment's settings. The notice providers' keys are required only
/// where notices are written and sent (`needs_notices`: edge-members' routes
/// but the devices' accept path): a missing provider key must not stop
/// attendance. Without them the queue consumer leaves notices undelivered
/// (retried, never given up), to be sent once the keys are set.
fn configured(env: &Env, needs_notices: bool) -> Result<Config, String> {
    match NoticeConfig::from_secrets(&EnvSecrets(env)) {
        Ok(notices) => Ok(config(env).with(notices)),
        Err(e) if needs_notices && cfg!(feature = "members") => Err(e.to_string()),
        Err(_) => Ok(config(env)),
    }
}

/// Routes that work without the notice providers' keys: a terminal's
/// records are accepted whatever happens to e-mail and SMS.
fn serves_without_notices(path: &str) -> bool {
    path == "/devices/webhook" || path.starts_with("/iclock/")
}

fn config(env: &Env) -> Config {
    let secrets = EnvSecrets(env);
    let mut c = Config::default()
        .with(SignupConfig::from_secrets(&secrets))
        .with(domain::devices::DevicesConfig::from_secrets(&secrets))
        .with(domain::kernel::notify::Links::from_secrets(&secrets));
    // Dev builds only (cargo feature `dev`), and only when `wrangler dev`
    // is given `--var DEV_MODE:true`; a release build has no dev mode.
    c.dev_from_setting(secrets.get("DEV_MODE").as_deref());
    c
}

fn console(msg: &str) {
    worker::console_error!("{msg}");
}

/// Why the Worker cannot serve: a deployment error, as text without
/// secret values.
enum Unready {
    /// A setting it must not run without (the notice providers').
    NotConfigured(String),
    /// A missing binding or malformed key.
    Broken(String),
}

impl Unready {
    fn text(&self) -> &str {
        match self {
            Unready::NotConfigured(t) | Unready::Broken(t) => t,
        }
    }
}

/// The Worker's bindings as the domain's ports.
struct Bindings {
    db: D1,
    shards: Vec<D1>,
    /// `None` where the Worker binds no `DOCS` (`catalog::BINDINGS`).
    blobs: Option<R2>,
    queue: CfQueue,
    keys: Keys,
    config: Config,
}

impl Bindings {
    /// Reads only what this Worker binds (`catalog::BINDINGS`, least
    /// privilege): a Worker without shards, bucket or attendance queue
    /// refuses any use of them (an error, never a silent nothing).
    ///
    /// # Errors
    /// A missing binding, malformed key or missing notice setting.
    fn from_env(env: &Env, needs_notices: bool) -> Result<Bindings, Unready> {
        let config = configured(env, needs_notices).map_err(Unready::NotConfigured)?;
        let e = |e: worker::Error| Unready::Broken(e.to_string());
        let shards = if catalog::binds("ATT_SHARD_") {
            // At least one shard: without one, attendance could not be stored.
            let count: usize = match EnvSecrets(env).get("ATTENDANCE_SHARDS") {
                None => 1,
                Some(v) => v.trim().parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    Unready::NotConfigured(
                        "ATTENDANCE_SHARDS must be a whole number of at least 1".into(),
                    )
                })?,
            };
            (0..count)
                .map(|i| env.d1(&format!("ATT_SHARD_{i}")).map(D1::new).map_err(e))
                .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        let blobs = if catalog::binds("DOCS") {
            Some(R2(env.bucket("DOCS").map_err(e)?))
        } else {
            None
        };
        let attendance = if catalog::binds("ATTENDANCE") {
            Some(env.queue("ATTENDANCE").map_err(e)?)
        } else {
            None
        };
        Ok(Bindings {
            db: D1::new(env.d1("DB").map_err(e)?),
            shards,
            blobs,
            queue: CfQueue {
                events: env.queue("EVENTS").map_err(e)?,
                attendance,
            },
            keys: Keys::from_secrets(&EnvSecrets(env))
                .map_err(|e| Unready::Broken(e.to_string()))?,
            config,
        })
    }

    fn shard_refs(&self) -> Vec<&dyn Database> {
        self.shards.iter().map(|s| s as &dyn Database).collect()
    }

    fn cx<'a>(&'a self, shards: &'a [&'a dyn Database]) -> Cx<'a> {
        Cx {
            db: &self.db,
            shards,
            blobs: match &self.blobs {
                Some(r2) => r2,
                None => &Unbound,
            },
            queue: &self.queue,
            http: &Fetch,
            clock: &JsClock,
            rng: &CryptoRandom,
            keys: &self.keys,
            config: &self.config,
            // This isolate's memory, kept between its requests.
            memo: domain::kernel::memo::Memo::instance(),
        }
    }
}

#[event(fetch)]
async fn fetch(
    mut req: worker::Request,
    env: Env,
    _ctx: Context,
) -> worker::Result<worker::Response> {
    set_logger(console);
    // Another Worker's route: forwarded as it came (same Request, head and
    // body unread; no network hop between Workers of one account).
    if let Some(binding) = catalog::served_elsewhere(req.method().as_ref(), &req.path()) {
        return env.service(binding)?.fetch_request(req).await;
    }
    let mut request = read_head(&req)?;
    let lang = request.lang();
    let routed = match route(&mut request) {
        Ok((h, limit)) => match read_body(&mut req, limit).await? {
            Some(body) => {
                request.body = body;
                Ok(h)
            }
            None => Err(too_large(&request, limit)),
        },
        Err(refused) => Err(refused),
    };
    let handler = match routed {
        Ok(h) => h,
        Err(refused) => {
            // Refused by the router: no database touched (dev mode says so).
            let refused = if config(&env).dev() {
                refused.with_header("x-db-round-trips", "0")
            } else {
                refused
            };
            return write_response(refused);
        }
    };
    let ports = match Bindings::from_env(&env, !serves_without_notices(&request.path)) {
        Ok(p) => p,
        Err(e) => {
            log_error(e.text());
            let problem = match e {
                Unready::NotConfigured(_) => Problem::not_configured(),
                Unready::Broken(_) => Problem::internal(),
            };
            return write_response(problem.to_response(lang, &request.path));
        }
    };
    let shards = ports.shard_refs();
    let cx = ports.cx(&shards);
    let mut response = handler(&request, &cx).await;
    report_round_trips(&mut response, &cx);
    write_response(response)
}

/// Consumers of `member-events`, `attendance` and their dead-letter queues.
/// Each message is acked or retried on its own (V4). Only the Workers that
/// consume a queue have it (edge-jobs, edge-devices; wrangler configs'
/// `[[queues.consumers]]`): the others only produce, and so carry none of
/// the consumer's code.
#[cfg(any(feature = "jobs", feature = "devices"))]
#[event(queue)]
async fn queue(batch: MessageBatch<String>, env: Env, _ctx: Context) -> worker::Result<()> {
    set_logger(console);
    let ports =
        Bindings::from_env(&env, false).map_err(|e| worker::Error::RustError(e.text().into()))?;
    let name = batch.queue();
    let messages = batch.messages()?;
    let now = JsClock.now();
    let shards = ports.shard_refs();
    let cx = ports.cx(&shards);
    // Dev switches (dev builds in dev mode: one read; else none): a test
    // may hold the consumer off, and every delivery is then put back unread
    // to arrive when it resumes.
    let dev = if name.ends_with("-dlq") {
        domain::devices::v4_store::DevSwitches::default()
    } else {
        jobs::switches(&cx).await
    };
    if let Some(secs) = dev.held_for(now) {
        let later = worker::QueueRetryOptionsBuilder::new()
            .with_delay_seconds(secs)
            .build();
        for m in &messages {
            m.retry_with_options(&later);
        }
        return Ok(());
    }
    let bodies: Vec<serde_json::Value> = messages
        .iter()
        .map(|m| serde_json::from_str(m.body()).unwrap_or(serde_json::Value::Null))
        .collect();

    if name.ends_with("-dlq") {
        for (m, body) in messages.iter().zip(&bodies) {
            match queue::keep_dead_letter(&ports.db, &m.id(), &name, body, now).await {
                Ok(()) => m.ack(),
                Err(e) => {
                    log_error(&format!("dead letter: {e}"));
                    m.retry();
                }
            }
        }
        return Ok(());
    }

    let backoff = |age_secs: u64| dev.retry_delay(age_secs);
    // edge-jobs consumes `member-events` (notices, the sweep's
    // continuations, jobs); edge-devices only the attendance queue, and so
    // carries none of the rest's code.
    #[cfg(feature = "jobs")]
    let consumer = jobs::Areas {
        switches: Some(dev.clone()),
    };
    #[cfg(not(feature = "jobs"))]
    let consumer = jobs::AttendanceOnly {
        switches: Some(dev.clone()),
    };
    let outcomes = consumer.consume(&cx, &bodies).await;
    for (m, outcome) in messages.iter().zip(outcomes) {
        match outcome {
            Ok(()) => m.ack(),
            Err(e) => {
                log_error(&format!("queue {name}: {e}"));
                // Back off; after max_retries the queue moves it to its DLQ.
                let age_secs = (now.timestamp_millis().max(0) as u64)
                    .saturating_sub(m.timestamp().as_millis())
                    / 1000;
                m.retry_with_options(
                    &worker::QueueRetryOptionsBuilder::new()
                        .with_delay_seconds(backoff(age_secs))
                        .build(),
                );
            }
        }
    }
    Ok(())
}

/// The cron trigger (wrangler.toml `[triggers]`) is edge-members', so the
/// one Worker a local `wrangler dev` exposes can be triggered
/// (`/__scheduled`); the sweep itself is edge-jobs' (`POST
/// /maintenance/run` over the JOBS binding, with the maintenance token), so
/// edge-members carries none of its code. A sweep that did not run is
/// logged as an error; the next trigger runs it again.
#[cfg(feature = "members")]
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    set_logger(console);
    let Some(token) = EnvSecrets(&env).get("MAINTENANCE_TOKEN") else {
        return log_error("sweep: MAINTENANCE_TOKEN is not set, so the sweep cannot run");
    };
    let run = async {
        let headers = worker::Headers::new();
        headers.set("authorization", &format!("Bearer {token}"))?;
        let init = worker::RequestInit {
            method: worker::Method::Post,
            headers,
            ..worker::RequestInit::default()
        };
        let request = worker::Request::new_with_init("https://edge-jobs/maintenance/run", &init)?;
        let mut answer = env.service("JOBS")?.fetch_request(request).await?;
        let body = answer.text().await?;
        Ok::<_, worker::Error>((answer.status_code(), body))
    };
    match run.await {
        Ok((200, body)) => worker::console_log!("sweep: {body}"),
        Ok((status, body)) => log_error(&format!("sweep: edge-jobs answered {status}: {body}")),
        Err(e) => log_error(&format!("sweep: {e}")),
    }
}
