//! Errors as the log sees them (no personal data) and as the caller does.

use crate::kernel::ports::DbError;
use crate::kernel::problem::Problem;
use crate::kernel::reads::ReadError;

pub(crate) fn internal(e: DbError) -> Problem {
    // The cause goes to the log without personal data: only the error class
    // and the engine's message (which never contains bound values).
    log_error(&e.to_string());
    Problem::internal()
}

pub(crate) fn unreadable(e: ReadError) -> Problem {
    log_error(&e.to_string());
    Problem::internal()
}

static LOGGER: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Lets a platform route the domain's log lines (workerd's console, say).
pub fn set_logger(f: fn(&str)) {
    let _ = LOGGER.set(f);
}

/// The one place the domain writes a log line. Callers pass error classes
/// and engine messages only: never personal data, tokens or bound values.
pub fn log_error(msg: &str) {
    match LOGGER.get() {
        Some(f) => f(msg),
        None => eprintln!("error: {msg}"),
    }
}
