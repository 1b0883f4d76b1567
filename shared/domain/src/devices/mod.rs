//! Attendance terminals (rules V1–V8, seed 003): sites and terminals,
//! Standard Webhooks and ZKTeco ADMS into the queue, exactly-once storing in
//! the member's shard, dead letters, and the per-site daily view.
//!
//! | rule | file | tests |
//! |---|---|---|
//! | V1 sites, terminals up to the contract's device count | `v1_sites.rs`, `v1_terminals.rs` | `v1_*` in `tests/tests/devices.rs` |
//! | V2 Standard Webhooks signature, timestamp window | `v2_webhook.rs` | `v2_*` here, `tests/tests/devices.rs` |
//! | V3 size, schema, queue before 202, never truncated | `v3_records.rs`, `v2_webhook.rs` | `v3_*` here, `tests/tests/devices.rs` |
//! | V4 exactly once in effect, retries, dead letters | `v4_store.rs`, `v4_dead_letters.rs` (queue: `kernel/queue.rs`, shards: `kernel/sharding.rs`) | `v4_*` here, `tests/tests/devices.rs`, `tests/tests/reliability.rs` |
//! | V5 no biometric template or image | `v3_records.rs`, `v8_adms.rs` | `v5_*` here |
//! | V6 suspended member's terminals refused, with the reason | `v6_suspension.rs` | `v6_*` in `tests/tests/devices.rs` |
//! | V7 first-in / last-out per worker and KST day | `v7_view.rs` | `v7_*` here, `tests/tests/devices.rs` |
//! | V8 ZKTeco ADMS ("iclock") push; source address pinned, other sources held for the member | `v8_adms.rs`, `v8_held.rs` | `v8_*` here, `tests/tests/devices.rs` |

pub mod messages;
pub mod v1_sites;
pub mod v1_terminals;
pub mod v2_webhook;
pub mod v3_records;
pub mod v4_dead_letters;
pub mod v4_reshard;
pub mod v4_store;
pub mod v4_switches;
pub mod v6_suspension;
pub mod v7_view;
pub mod v8_adms;
pub mod v8_held;

pub use messages::MESSAGES;

/// The devices area's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DevicesConfig {
    /// Signed batches one terminal may post a minute (rule A6); a terminal
    /// flushing a backlog sends up to 1,000 records a batch.
    pub webhook_batches_per_minute: i64,
    /// ADMS requests (polls, options, uploads) from one source address a
    /// minute (rule A6): a site's router may front dozens of terminals.
    pub adms_requests_per_minute: i64,
    /// ATTLOG uploads of one serial from one address a minute (rule A6).
    pub adms_uploads_per_minute: i64,
}

impl Default for DevicesConfig {
    fn default() -> Self {
        DevicesConfig {
            webhook_batches_per_minute: 600,
            adms_requests_per_minute: 600,
            adms_uploads_per_minute: 120,
        }
    }
}

impl DevicesConfig {
    /// Reads `WEBHOOK_BATCHES_PER_MINUTE`, `ADMS_REQUESTS_PER_MINUTE` and
    /// `ADMS_UPLOADS_PER_MINUTE` where a deployment sets them.
    pub fn from_secrets(s: &dyn crate::kernel::ports::Secrets) -> DevicesConfig {
        let mut c = DevicesConfig::default();
        let setting = |name: &str| {
            s.get(name)
                .and_then(|v| v.parse().ok())
                .filter(|n: &i64| *n > 0)
        };
        if let Some(n) = setting("WEBHOOK_BATCHES_PER_MINUTE") {
            c.webhook_batches_per_minute = n;
        }
        if let Some(n) = setting("ADMS_REQUESTS_PER_MINUTE") {
            c.adms_requests_per_minute = n;
        }
        if let Some(n) = setting("ADMS_UPLOADS_PER_MINUTE") {
            c.adms_uploads_per_minute = n;
        }
        c
    }
}

crate::text_enum!(
    /// How a terminal posts its records.
    pub enum TerminalMode {
        /// Signed Standard Webhooks batches (V2).
        Webhook = "webhook",
        /// ZKTeco ADMS push (V8).
        Adms = "adms",
    }
);

crate::text_enum!(
    /// Whether the member lets a terminal post.
    pub enum TerminalStatus {
        Active = "active",
        Suspended = "suspended",
    }
);
