//! Sign-in, sessions and staff accounts (rules A1, A4, A5, A6).
//!
//! | rule | file | tests |
//! |---|---|---|
//! | A1 argon2id passwords (hashing in `kernel/crypto.rs`) | `a5_sessions.rs` | `a1_*` in `kernel/crypto.rs`, `tests/tests/signup.rs` |
//! | A4 staff roles, every admin action audited | `a4_admins.rs` (roles: `kernel/engine.rs` `AdminRole`, `Access`) | `a4_*` in `tests/tests/authz.rs`, `tests/tests/signup.rs` |
//! | A5 short-lived signed sessions, logout revokes | `a5_sessions.rs` (tokens: `kernel/tokens.rs`) | `a5_*` in `kernel/tokens.rs`, `tests/tests/signup.rs` |
//! | A6 sign-in rate limits (windows: `kernel/limits.rs`) | `a5_sessions.rs` | `a6_*` in `kernel/limits.rs`, `functions/auth-login`, `tests/tests/signup.rs` |
//! | finding the login ID and a new password by the verified mobile (A1, A6) | `recovery.rs` | `a6_*` in `tests/tests/recovery.rs` |

pub mod a4_admins;
pub mod a5_sessions;
pub mod messages;
pub mod recovery;

pub use messages::MESSAGES;
