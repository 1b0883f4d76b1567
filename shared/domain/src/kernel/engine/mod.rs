//! How every request runs: who may call (checked before any read) → parse
//! (no I/O) → one read batch → decide (no I/O) → one atomic write batch. So
//! every request makes at most 2 database round trips, by construction.
//! Idempotency (IETF Idempotency-Key draft), session revocation and the
//! personal-data access log ride along in those same two batches.

// By concern; `pub(crate)` so the kernel's modules that the request path
// uses (idempotency, the access log) can name the file they need and
// import nothing that imports them.
pub(crate) mod access;
mod commit;
pub(crate) mod context;
pub(crate) mod log;
mod macros;
pub(crate) mod plan;
mod serve;
mod session;
mod usecase;

pub use access::{Access, AdminRole, Principal, READ_ONLY_ROLE, TRIAL_ROLE};
pub use context::{Config, Cx, Env};
pub use log::{log_error, set_logger};
pub use macros::{lang_of, problem_response, Handler, Reply};
pub use plan::{
    blob_intent, guard_one_change, BlobIntent, Download, Effect, PersonalData, Plan, SessionChange,
};
pub use serve::{report_round_trips, serve};
pub use usecase::{Rows, ShardRows, UseCase};

#[cfg(test)]
pub(crate) mod testkit {
    use super::context::{Config, Env};
    use crate::kernel::crypto::Keys;
    use crate::kernel::ports::Random;
    use chrono::Utc;

    /// An environment for calling `decide` directly in unit tests.
    pub fn env<'a>(keys: &'a Keys, rng: &'a dyn Random, config: &'a Config) -> Env<'a> {
        Env {
            now: Utc::now(),
            rng,
            keys,
            config,
            client_ip: None,
            who: None,
            // A fresh memory per test: nothing remembered from another.
            memo: Box::leak(Box::default()),
            from_memory: false,
        }
    }
}
