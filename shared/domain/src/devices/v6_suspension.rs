//! Rule V6 (with V1's device count): an admin sets a member's contracted
//! device count and suspends or reinstates it; a terminal of a suspended
//! member, a suspended terminal, or one past the device count is refused.

use super::{TerminalMode, TerminalStatus};
use crate::kernel::audit::audit;
use crate::kernel::engine::{Access, AdminRole, Effect, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::kernel::reads::Read;
use crate::matching::m1_profile::{
    read_portfolio, read_profile, read_weights, reranked, unranked, ProfileRow, WeightRow,
};
use crate::signup::member::{read_member, MemberRow, MemberStatus};
use crate::{read, read_set, row, stmt, use_case};
use serde_json::json;

row!(
    /// A terminal with its member's state, read in one statement. `rank` is
    /// the number of the member's terminals registered before this one.
    pub struct TerminalAuth {
        pub id: String,
        pub member_id: String,
        pub site_id: String,
        pub mode: TerminalMode,
        pub status: TerminalStatus,
        pub secret_enc: Option<String>,
        pub prev_secret_enc: Option<String>,
        pub prev_valid_until: Option<String>,
        pub member_status: MemberStatus,
        pub suspended_at: Option<String>,
        pub device_limit: i64,
        pub rank: i64,
        /// ADMS: the pinned source address's blind index (V8).
        pub adms_source_bidx: Option<String>,
        /// Bumped by every change to what the terminal may do, at
        /// `auth_changed_at` (queued batches carry the version they were
        /// accepted under: `v4_store`).
        pub auth_version: i64,
        pub auth_changed_at: Option<String>,
        pub last_seen_at: Option<String>,
    }
);

/// Where instances remember terminals (`kernel::memo`): by id and by serial.
pub const REMEMBERED: &str = "terminal:";

/// How long an instance answers a terminal from memory before reading it
/// again: longer than an ADMS terminal's poll interval (10–30 s), so a
/// polling fleet is answered from memory. A change made on another
/// instance reaches this one's answers within this time, and the stored
/// records at once (`v4_store`); the instance that made it forgets at once.
pub const REMEMBER_SECS: i64 = 60;

/// How long an instance recognises a terminal it read (for not counting
/// its pinned address's requests in the database: `v8_adms`).
pub const KNOWN_SECS: i64 = 3600;

/// The memo key of a terminal by id (webhooks) or serial (ADMS).
pub fn remembered_key(by_serial: bool, key: &str) -> String {
    format!("{REMEMBERED}{}:{key}", if by_serial { "sn" } else { "id" })
}

/// The terminal query, its condition appended.
macro_rules! terminal_where {
    ($cond:literal) => {
        concat!(
            "SELECT t.id, t.member_id, t.site_id, t.mode, t.status, t.secret_enc, t.prev_secret_enc, t.prev_valid_until, t.adms_source_bidx, t.auth_version, t.auth_changed_at, t.last_seen_at,
               m.status AS member_status, m.suspended_at, m.device_limit,
               (SELECT COUNT(*) FROM terminals o WHERE o.member_id = t.member_id AND (o.created_at < t.created_at OR (o.created_at = t.created_at AND o.id < t.id))) AS rank
             FROM terminals t JOIN members m ON m.id = t.member_id WHERE ",
            $cond
        )
    };
}

/// The terminal with this id (webhooks) or serial (ADMS).
pub fn read_terminal(by_serial: bool, key: &str) -> Read<Option<TerminalAuth>> {
    if by_serial {
        read!(terminal_where!("t.serial = ?"), key)
    } else {
        read!(terminal_where!("t.id = ?"), key)
    }
}

/// Most terminals one `read_terminals` statement names (D1 binds at most
/// 100 parameters).
pub const TERMINALS_PER_READ: usize = 100;

/// The terminals with these ids (at most `TERMINALS_PER_READ`), as
/// `read_terminal` reads one, in one statement.
pub fn read_terminals(ids: &[&str]) -> Read<Vec<TerminalAuth>> {
    static SQL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let all = SQL.get_or_init(|| {
        (1..=TERMINALS_PER_READ)
            .map(|n| {
                let sql = format!(
                    "{}t.id IN ({})",
                    terminal_where!(""),
                    vec!["?"; n].join(", ")
                );
                &*Box::leak(sql.into_boxed_str())
            })
            .collect()
    });
    let n = ids.len().clamp(1, TERMINALS_PER_READ);
    crate::kernel::reads::Read::new(crate::kernel::ports::Stmt {
        sql: all[n - 1],
        params: ids
            .iter()
            .take(n)
            .map(|id| crate::kernel::ports::Value::from(*id))
            .collect(),
    })
}

/// Refuses terminals that may not post now (V1, V3, V6), with the reason.
///
/// # Errors
/// 401 for a terminal of another mode; 403 for a suspended member or
/// terminal or one past the device count.
pub fn terminal_allowed(t: &TerminalAuth, mode: TerminalMode) -> Result<(), Problem> {
    if t.mode != mode {
        return Err(Problem::unauthorized("detail.terminal_unknown"));
    }
    // The device learns that the member's service is suspended, never the
    // admin's reason (it can name amounts owed); the member sees it.
    if t.member_status != MemberStatus::Active || t.suspended_at.is_some() {
        return Err(Problem::forbidden("detail.member_suspended"));
    }
    if t.status != TerminalStatus::Active {
        return Err(Problem::forbidden("detail.terminal_suspended"));
    }
    if t.rank >= t.device_limit {
        return Err(
            Problem::forbidden("detail.device_limit").with("device_limit", json!(t.device_limit))
        );
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct MemberDevicesInput {
    pub member_id: String,
    pub device_limit: Option<i64>,
    /// `Some((true, reason))` suspends, `Some((false, reason))` reinstates.
    pub suspension: Option<(bool, String)>,
}

crate::reply!(
    /// A member's device limit and suspension after the change (rule V6).
    pub struct DevicePolicy {
        pub member_id: String,
        pub device_limit: i64,
        pub suspended: bool,
    }
);

read_set!(pub struct MemberDevicesReads => MemberDevicesRows {
    member: Option<MemberRow>,
    // What ranks a partner again once reinstated (M1).
    profile: Option<ProfileRow>,
    portfolio: Option<Count>,
    weights: Vec<WeightRow>,
});

/// `POST /admin/member-devices`: billing or owner; audited.
pub struct MemberDevices;
use_case!(MemberDevices, "admin.member_devices", |_uc| Access::Admin(&[AdminRole::Billing, AdminRole::Owner]), MemberDevicesInput => MemberDevicesReads);

impl MemberDevices {
    fn reads(&self, input: &MemberDevicesInput, _: &Env) -> MemberDevicesReads {
        MemberDevicesReads {
            member: read_member(&input.member_id),
            profile: read_profile(&input.member_id),
            portfolio: read_portfolio(&input.member_id),
            weights: read_weights(),
        }
    }

    fn decide(
        &self,
        input: MemberDevicesInput,
        rows: MemberDevicesRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let m = rows.member.ok_or_else(Problem::not_found)?;
        let admin = env.caller();
        let id = input.member_id.as_str();
        // What the member's terminals may do changes: each remembers when.
        let mut writes = vec![stmt!(
            "UPDATE terminals SET auth_version = auth_version + 1, auth_changed_at = ? WHERE member_id = ?",
            env.now.to_rfc3339(),
            id
        )];
        let mut limit = m.device_limit;
        if let Some(l) = input.device_limit {
            writes.push(stmt!(
                "UPDATE members SET device_limit = ? WHERE id = ?",
                l,
                id
            ));
            writes.push(audit(env, admin, "member.device_limit", id, &l.to_string()));
            limit = l;
        }
        let mut suspended = m.suspended_at.is_some();
        if let Some((on, reason)) = &input.suspension {
            if *on {
                writes.push(stmt!(
                    "UPDATE members SET suspended_at = ?, suspension_reason = ?, suspended_for = 'staff' WHERE id = ?",
                    env.now.to_rfc3339(),
                    crate::kernel::sealed::SealedText::seal(
                        env,
                        crate::personal_data::place::SUSPENSION_REASON,
                        id,
                        reason
                    ),
                    id
                ));
                // The reason stays in the member's row, never in the chain.
                writes.push(audit(
                    env,
                    admin,
                    "member.suspend",
                    id,
                    "members.suspension_reason",
                ));
                // Suspended: not proposed, its rankings gone until reinstated.
                writes.push(unranked(id));
            } else {
                writes.push(stmt!(
                    "UPDATE members SET suspended_at = NULL, suspension_reason = NULL, suspended_for = NULL WHERE id = ?",
                    id
                ));
                writes.push(audit(env, admin, "member.reinstate", id, ""));
                // Reinstated: ranked again if it may be proposed (active, or
                // in its trial; proposals still check the trial count).
                let proposable = m.status == MemberStatus::Active
                    || (m.status == MemberStatus::Approved && !m.trials_waived);
                if proposable && m.suspended_at.is_some() {
                    writes.extend(reranked(
                        &m,
                        rows.profile.as_ref(),
                        rows.portfolio.as_ref(),
                        &rows.weights,
                        env,
                    ));
                }
            }
            suspended = *on;
        }
        Ok(Plan::ok(
            200,
            DevicePolicy {
                member_id: id.to_owned(),
                device_limit: limit,
                suspended,
            },
            writes,
        )
        .effect(Effect::Forget(REMEMBERED)))
    }
}
