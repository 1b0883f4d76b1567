//! The Cloudflare Worker. Bindings in (D1 `DB`, R2 `DOCS`, queue `EVENTS`,
//! secrets), one function crate called by route, response out.

#![cfg(target_arch = "wasm32")]

use adapter_cf::{
    read_request, write_response, CfQueue, CryptoRandom, EnvSecrets, JsClock, D1, R2,
};
use catalog::{find, Found};
use domain::crypto::Keys;
use domain::http::Response;
use domain::jobs::{self, LocalNotifier, Message};
use domain::ports::{Clock, Secrets};
use domain::problem::Problem;
use domain::runtime::{log_error, set_logger, Config, Cx};
use worker::{event, Context, Env, MessageBatch, MessageExt, ScheduleContext, ScheduledEvent};

fn config(env: &Env) -> Config {
    let var = |n: &str| EnvSecrets(env).get(n);
    let mut c = Config::default();
    // Set only in `.dev.vars`, which exists only on a developer's machine.
    c.dev = var("DEV_MODE").as_deref() == Some("true");
    if let Some(fee) = var("SYSTEM_FEE_KRW").and_then(|v| v.parse().ok()) {
        c.system_fee_krw = fee;
    }
    if let Some(n) = var("TRIAL_MATCHINGS").and_then(|v| v.parse().ok()) {
        c.trial_matchings = n;
    }
    c
}

fn console(msg: &str) {
    worker::console_error!("{msg}");
}

/// The Worker's bindings as the domain's ports.
struct Bindings {
    db: D1,
    blobs: R2,
    queue: CfQueue,
    keys: Keys,
    config: Config,
}

impl Bindings {
    /// # Errors
    /// A missing binding or malformed secret (a deployment error), as text
    /// without secret values.
    fn from_env(env: &Env) -> Result<Bindings, String> {
        Ok(Bindings {
            db: D1::new(env.d1("DB").map_err(|e| e.to_string())?),
            blobs: R2(env.bucket("DOCS").map_err(|e| e.to_string())?),
            queue: CfQueue(env.queue("EVENTS").map_err(|e| e.to_string())?),
            keys: Keys::from_secrets(&EnvSecrets(env)).map_err(|e| e.to_string())?,
            config: config(env),
        })
    }

    fn cx(&self) -> Cx<'_> {
        Cx {
            db: &self.db,
            blobs: &self.blobs,
            queue: &self.queue,
            clock: &JsClock,
            rng: &CryptoRandom,
            keys: &self.keys,
            config: &self.config,
        }
    }
}

#[event(fetch)]
async fn fetch(req: worker::Request, env: Env, _ctx: Context) -> worker::Result<worker::Response> {
    set_logger(console);
    let request = read_request(req).await?;
    let lang = request.lang();
    let handler = match find(&request.method, &request.path) {
        Found::Handler(h) => h,
        Found::NotFound => {
            return write_response(Problem::not_found().to_response(lang, &request.path))
        }
        Found::MethodNotAllowed(allowed) => {
            let p = Problem::new(
                405,
                "method-not-allowed",
                "title.method_not_allowed",
                "detail.not_found",
            );
            return write_response(
                p.to_response(lang, &request.path)
                    .with_header("allow", allowed.join(", ")),
            );
        }
    };
    let ports = match Bindings::from_env(&env) {
        Ok(p) => p,
        Err(e) => {
            log_error(&e);
            return write_response(Problem::internal().to_response(lang, &request.path));
        }
    };
    let cx = ports.cx();
    let response: Response = handler(&request, &cx).await;
    write_response(response)
}

#[event(queue)]
async fn queue(
    batch: MessageBatch<serde_json::Value>,
    env: Env,
    _ctx: Context,
) -> worker::Result<()> {
    set_logger(console);
    let ports = Bindings::from_env(&env).map_err(worker::Error::RustError)?;
    for message in batch.messages()? {
        let outcome = match Message::parse(message.body()) {
            Message::Outbox(id) => {
                jobs::deliver(&ports.db, &LocalNotifier, &ports.keys, &id, JsClock.now()).await
            }
            // Unknown messages cannot succeed later: let them go to the DLQ.
            Message::Unknown => Err(domain::ports::PortError("unknown message".into())),
        };
        match outcome {
            Ok(()) => message.ack(),
            Err(e) => {
                log_error(&format!("queue: {e}"));
                // Back off; after max_retries the queue moves it to the DLQ.
                message.retry_with_options(
                    &worker::QueueRetryOptionsBuilder::new()
                        .with_delay_seconds(30)
                        .build(),
                );
            }
        }
    }
    Ok(())
}

#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    set_logger(console);
    let run = async {
        let ports = Bindings::from_env(&env)?;
        let cx = ports.cx();
        jobs::sweep(&cx).await.map_err(|e| e.to_string())
    };
    match run.await {
        Ok(report) => worker::console_log!(
            "sweep: {}",
            serde_json::to_string(&report).unwrap_or_default()
        ),
        Err(e) => log_error(&format!("sweep: {e}")),
    }
}
