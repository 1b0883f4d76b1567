//! The personal-data access log's hook: every admin read or change of a
//! person's personal data appends who, when, from where, whose data, what and
//! why, in the request's own write batch, written by the engine (rule A3 is
//! built on this by the privacy area). Append-only and hash-chained: the
//! sweep seals new entries (`kernel::chain`), and migrations 0003, 0027 and
//! 0029's triggers refuse any other update and every delete but a logged
//! destruction's.

use crate::kernel::chain::ACCESS;
use crate::kernel::crypto::at;
use crate::kernel::engine::access::Principal;
use crate::kernel::engine::context::Env;
use crate::kernel::engine::plan::PersonalData;
use crate::kernel::http::Request;
use crate::kernel::ports::Stmt;
use crate::stmt;

/// Longest reason kept (the rest is cut at a character boundary).
const MAX_REASON_CHARS: usize = 200;

/// The entry for one touch of personal data. The reason is the request's
/// `Access-Reason` header when an admin gave one, else the operation's name.
pub fn entry(
    env: &Env,
    admin: &Principal,
    req: &Request,
    operation: &str,
    p: &PersonalData,
) -> Stmt {
    let why: String = req
        .header("access-reason")
        .filter(|r| !r.trim().is_empty())
        .unwrap_or(operation)
        .chars()
        .take(MAX_REASON_CHARS)
        .collect();
    // Bound to the entry they belong to (who, whose data, when).
    let when = env.now.to_rfc3339();
    let row = format!("{}:{}:{when}", admin.id, p.subject);
    stmt!(
        "INSERT INTO access_log (at, admin_id, admin_role, client_ip_enc, subject, what, why) VALUES (?, ?, ?, ?, ?, ?, ?)",
        when.as_str(),
        admin.id.as_str(),
        admin.role.map_or("", |r| r.as_str()),
        env.client_ip
            .map(|ip| env.keys.seal_for(env.rng, &at("access_log.client_ip", &row), ip)),
        p.subject.as_str(),
        p.what,
        env.keys.seal_for(env.rng, &at("access_log.why", &row), &why)
    )
}

crate::read_set!(pub struct SealReads => SealRows {
    head: Option<crate::kernel::chain::Hash>,
    unsealed: Vec<crate::kernel::ports::Row>,
});

/// The sweep step that seals the access log's new entries onto its hash
/// chain (rule A3; `kernel::chain`).
pub struct SealAccessLog;

impl crate::kernel::sweep::Step for SealAccessLog {
    type Reads = SealReads;
    const NAME: &'static str = "sealed_access_entries";
    /// One statement an entry (the two chains' sealers share the run's
    /// budget; a full step asks the sweep to continue).
    const BUDGET: usize = 100;
    fn reads(&self, _: &Env) -> SealReads {
        SealReads {
            head: ACCESS.read_head(),
            unsealed: ACCESS.read_unsealed(Self::BUDGET),
        }
    }
    fn plan(&self, rows: SealRows, _: &Env) -> crate::kernel::sweep::StepOutcome {
        ACCESS.seal(rows.head, &rows.unsealed, Self::BUDGET)
    }
}
