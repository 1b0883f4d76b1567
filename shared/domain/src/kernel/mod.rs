//! What every area uses, importing no area: the request engine and its
//! typed reads, ports, HTTP values, problem documents, message lookup,
//! crypto, tokens, value types, sharding, rate limits, an instance's memo, the outbox and the
//! table queue, the audit chain, the personal-data access log's hook,
//! idempotency, and the sweep's step list; natively, the API's description
//! built from the reply and request types (`api`).

pub mod access_log;
#[cfg(not(target_family = "wasm"))]
pub mod api;
pub mod audit;
pub mod background;
pub mod chain;
pub mod clocks;
pub mod crypto;
pub mod engine;
pub mod http;
pub mod i18n;
pub mod idempotency;
pub mod korean;
pub mod limits;
pub mod memo;
pub mod notify;
pub mod outbox;
pub mod ports;
pub mod problem;
pub mod queue;
pub mod reads;
pub mod routing;
pub mod sealed;
pub mod sharding;
pub mod sweep;
pub mod tokens;
pub mod types;
