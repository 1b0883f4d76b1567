//! Rule V1: terminals, registered up to the contract's device count (the
//! count re-checked in the write batch, so two registrations racing for the
//! last slot cannot both succeed); a webhook terminal's secret is shown once,
//! rotated with 24 hours' grace for the old one, suspended or resumed.

use super::v6_suspension::REMEMBERED;
use super::{TerminalMode, TerminalStatus};
use crate::kernel::crypto::{at, new_id};
use crate::kernel::engine::{guard_one_change, Access, Effect, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::signup::member::{active, read_member, MemberRow};
use crate::{read, read_set, row, stmt, use_case};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;

/// How long the old secret keeps working after a rotation.
pub const ROTATION_GRACE_HOURS: i64 = 24;

/// A fresh terminal secret, shown once.
pub fn new_secret(env: &Env) -> String {
    let mut b = [0u8; 24];
    env.rng.fill(&mut b);
    format!("whsec_{}", STANDARD.encode(b))
}

#[derive(Debug, Clone)]
pub struct TerminalInput {
    pub site_id: String,
    pub name: String,
    pub mode: TerminalMode,
    pub serial: Option<String>,
}

crate::reply!(
    pub struct TerminalRegistered {
        pub terminal_id: String,
        pub mode: TerminalMode,
        pub serial: Option<String>,
        /// a webhook terminal's signing secret: shown this once only
        pub secret: Option<String>,
        pub secret_shown_once: bool,
    }
    /// A terminal after `rotate` (new secret) or `suspend`/`resume` (status).
    pub struct TerminalChanged {
        pub terminal_id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub secret: Option<String>,
        /// until when the previous secret still verifies
        #[serde(skip_serializing_if = "Option::is_none")]
        pub previous_valid_until: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<TerminalStatus>,
    }
);

row!(
    pub struct SiteId {
        pub id: String,
    }
);

read_set!(pub struct RegisterReads => RegisterRows {
    member: Option<MemberRow>,
    site: Option<SiteId>,
    terminals: Count,
});

/// `POST /member/terminals`.
pub struct RegisterTerminal;
use_case!(RegisterTerminal, "member.register_terminal", |_uc| Access::Member, TerminalInput => RegisterReads);

impl RegisterTerminal {
    fn reads(&self, input: &TerminalInput, env: &Env) -> RegisterReads {
        let id = env.caller();
        RegisterReads {
            member: read_member(id),
            site: read!(
                "SELECT id FROM sites WHERE id = ? AND member_id = ?",
                input.site_id.as_str(),
                id
            ),
            terminals: read!(
                "SELECT COUNT(*) AS n FROM terminals WHERE member_id = ?",
                id
            ),
        }
    }

    fn decide(&self, input: TerminalInput, rows: RegisterRows, env: &Env) -> Result<Plan, Problem> {
        let m = active(rows.member)?;
        if rows.site.is_none() {
            return Err(Problem::field("site_id", "field.unknown_site"));
        }
        let (limit, count) = (m.device_limit, rows.terminals.n);
        if count >= limit {
            return Err(
                Problem::new(409, "device-limit", "title.conflict", "detail.device_limit")
                    .with("device_limit", json!(limit))
                    .with("devices", json!(count)),
            );
        }
        let id = new_id(env.rng, "trm");
        let secret = (input.mode == TerminalMode::Webhook).then(|| new_secret(env));
        let mid = m.id.as_str();
        let writes = vec![
            stmt!(
                "INSERT INTO terminals (id, member_id, site_id, name, mode, serial, secret_enc, created_at)
                 SELECT ?, ?, ?, ?, ?, ?, ?, ?
                 WHERE (SELECT COUNT(*) FROM terminals WHERE member_id = ?) < (SELECT device_limit FROM members WHERE id = ?)",
                id.as_str(),
                mid,
                input.site_id.as_str(),
                input.name.as_str(),
                input.mode,
                input.serial.clone(),
                // Both secret columns share one place: a rotation moves the
                // value from one to the other.
                secret
                    .as_ref()
                    .map(|s| env.keys.seal_for(env.rng, &at("terminals.secret", &id), s)),
                env.now.to_rfc3339(),
                mid,
                mid
            ),
            guard_one_change(),
        ];
        Ok(Plan::ok(
            201,
            TerminalRegistered {
                terminal_id: id.clone(),
                mode: input.mode,
                serial: input.serial.clone(),
                secret_shown_once: secret.is_some(),
                secret,
            },
            writes,
        )
        .conflict_means(Problem::new(
            409,
            "terminal-conflict",
            "title.conflict",
            "detail.terminal_conflict",
        )))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminalAction {
    Rotate,
    Suspend,
    Resume,
}

row!(
    pub struct OwnTerminal {
        pub id: String,
        pub mode: TerminalMode,
    }
);

read_set!(pub struct ChangeReads => ChangeRows {
    member: Option<MemberRow>,
    terminal: Option<OwnTerminal>,
});

/// `POST /member/terminals/action`: rotate the secret (old and new both
/// valid for 24 h), suspend or resume a terminal.
pub struct ChangeTerminal;
use_case!(ChangeTerminal, "member.change_terminal", |_uc| Access::Member, (String, TerminalAction) => ChangeReads);

impl ChangeTerminal {
    fn reads(&self, input: &(String, TerminalAction), env: &Env) -> ChangeReads {
        ChangeReads {
            member: read_member(env.caller()),
            terminal: read!(
                "SELECT id, mode FROM terminals WHERE id = ? AND member_id = ?",
                input.0.as_str(),
                env.caller()
            ),
        }
    }

    fn decide(
        &self,
        (id, action): (String, TerminalAction),
        rows: ChangeRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        active(rows.member)?;
        let t = rows.terminal.ok_or_else(Problem::not_found)?;
        match action {
            TerminalAction::Rotate => {
                if t.mode != TerminalMode::Webhook {
                    return Err(Problem::field("action", "field.enum"));
                }
                let secret = new_secret(env);
                let until = (env.now + chrono::Duration::hours(ROTATION_GRACE_HOURS)).to_rfc3339();
                Ok(Plan::ok(
                    200,
                    TerminalChanged {
                        terminal_id: id.clone(),
                        secret: Some(secret.clone()),
                        previous_valid_until: Some(until.clone()),
                        status: None,
                    },
                    vec![stmt!(
                        "UPDATE terminals SET prev_secret_enc = secret_enc, prev_valid_until = ?, secret_enc = ?, auth_version = auth_version + 1, auth_changed_at = ? WHERE id = ?",
                        until.as_str(),
                        env.keys
                            .seal_for(env.rng, &at("terminals.secret", &id), &secret),
                        env.now.to_rfc3339(),
                        id.as_str()
                    )],
                )
                .effect(Effect::Forget(REMEMBERED)))
            }
            TerminalAction::Suspend | TerminalAction::Resume => {
                let status = if action == TerminalAction::Suspend {
                    TerminalStatus::Suspended
                } else {
                    TerminalStatus::Active
                };
                Ok(Plan::ok(
                    200,
                    TerminalChanged {
                        terminal_id: id.clone(),
                        secret: None,
                        previous_valid_until: None,
                        status: Some(status),
                    },
                    vec![stmt!(
                        "UPDATE terminals SET status = ?, auth_version = auth_version + 1, auth_changed_at = ? WHERE id = ?",
                        status,
                        env.now.to_rfc3339(),
                        id.as_str()
                    )],
                )
                .effect(Effect::Forget(REMEMBERED)))
            }
        }
    }
}
