//! The member platform's domain crate: types that parse, the signup state
//! machine and use cases, problem documents, KO/EN messages, and the ports
//! the functions need. No I/O and no platform dependency: it builds natively
//! and for every wasm target.

pub mod admin;
pub mod auth;
pub mod common;
pub mod crypto;
pub mod devices;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod ports;
pub mod problem;
pub mod runtime;
pub mod signup;
pub mod tokens;
pub mod types;
