//! The member platform's domain crate: no I/O and no platform dependency; it
//! builds natively and for every wasm target.
//!
//! - `kernel/`: what every area uses (the request engine with typed reads
//!   and roles checked before reads, ports, HTTP values, problem documents,
//!   messages, crypto, tokens, value types, sharding, rate limits, outbox,
//!   audit chain, access log, idempotency, the table queue, the sweep). It
//!   imports no area.
//! - one folder per area (`signup/`, `auth/`, `devices/`, `matching/`,
//!   `contracts/`, `privacy/`, `disputes/`, `billing/`), one file per rule
//!   or closely tied group of rules, named by rule ID, each area's module
//!   comment listing rule → file → test.
//! - `jobs.rs`: the queue consumer and the sweep's step list, composed from
//!   the areas.

// Macros name the crate `::domain` (schemars' `crate` attribute wants a
// path that also resolves inside this crate).
extern crate self as domain;

pub mod auth;
pub mod billing;
pub mod contracts;
pub mod deadlines;
pub mod devices;
pub mod disputes;
pub mod jobs;
pub mod kernel;
pub mod matching;
pub mod personal_data;
pub mod privacy;
pub mod signup;

/// Every message table, kernel first: the one list the lookup reads.
pub const MESSAGE_TABLES: &[&[kernel::i18n::Message]] = &[
    kernel::i18n::MESSAGES,
    signup::MESSAGES,
    auth::MESSAGES,
    devices::MESSAGES,
    matching::MESSAGES,
    contracts::MESSAGES,
    privacy::MESSAGES,
    disputes::MESSAGES,
    billing::MESSAGES,
];
