//! Rule V1: a member company's sites (name, manager, manager contact,
//! address, services), each with its terminals.

use super::{TerminalMode, TerminalStatus};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::signup::member::{active, own, read_member, MemberRow};
use crate::{read, read_set, row, stmt, use_case};
use serde_json::{json, Value as Json};

#[derive(Debug, Clone)]
pub struct SiteInput {
    pub name: String,
    pub manager_name: String,
    pub manager_contact: String,
    pub address: String,
    pub services: Vec<String>,
}

read_set!(pub struct MemberReads => MemberRows { member: Option<MemberRow> });

/// `POST /member/sites`: a member company adds a site.
pub struct CreateSite;
use_case!(CreateSite, "member.create_site", |_uc| Access::Member, SiteInput => MemberReads);

impl CreateSite {
    fn reads(&self, _: &SiteInput, env: &Env) -> MemberReads {
        MemberReads {
            member: read_member(env.caller()),
        }
    }

    fn decide(&self, input: SiteInput, rows: MemberRows, env: &Env) -> Result<Plan, Problem> {
        let m = active(rows.member)?;
        let id = new_id(env.rng, "site");
        Ok(Plan::ok(
            201,
            json!({ "site_id": id, "name": input.name, "services": input.services }),
            vec![stmt!(
                "INSERT INTO sites (id, member_id, name, manager_name_enc, manager_contact_enc, address_enc, services, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                id.as_str(),
                m.id.as_str(),
                input.name.as_str(),
                env.keys.seal(env.rng, &input.manager_name),
                env.keys.seal(env.rng, &input.manager_contact),
                env.keys.seal(env.rng, &input.address),
                json!(input.services).to_string(),
                env.now.to_rfc3339()
            )],
        ))
    }
}

row!(
    pub struct SiteRow {
        pub id: String,
        pub name: String,
        pub services: String,
    }
);

row!(
    pub struct TerminalRow {
        pub id: String,
        pub site_id: String,
        pub name: String,
        pub mode: TerminalMode,
        pub serial: Option<String>,
        pub status: TerminalStatus,
        pub last_seen_at: Option<String>,
    }
);

read_set!(pub struct SitesReads => SitesRows {
    member: Option<MemberRow>,
    sites: Vec<SiteRow>,
    terminals: Vec<TerminalRow>,
});

/// `GET /member/sites`: the member's sites with their terminals.
pub struct ListSites;
use_case!(ListSites, "member.sites", |_uc| Access::Member, () => SitesReads);

impl ListSites {
    fn reads(&self, _: &(), env: &Env) -> SitesReads {
        let id = env.caller();
        SitesReads {
            member: read_member(id),
            sites: read!("SELECT id, name, services FROM sites WHERE member_id = ? ORDER BY created_at", id),
            terminals: read!("SELECT id, site_id, name, mode, serial, status, last_seen_at FROM terminals WHERE member_id = ? ORDER BY created_at", id),
        }
    }

    fn decide(&self, _: (), rows: SitesRows, _: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let terminal = |t: &TerminalRow| json!({ "terminal_id": t.id, "name": t.name, "mode": t.mode, "serial": t.serial, "status": t.status, "last_seen_at": t.last_seen_at });
        let sites: Vec<Json> = rows
            .sites
            .iter()
            .map(|s| {
                json!({
                    "site_id": s.id,
                    "name": s.name,
                    "services": serde_json::from_str::<Json>(&s.services).ok(),
                    "terminals": rows.terminals.iter().filter(|t| t.site_id == s.id).map(terminal).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(Plan::ok(
            200,
            json!({
                "device_limit": m.device_limit,
                "devices": rows.terminals.len(),
                "suspended": m.suspended_at.is_some(),
                "suspension_reason": m.suspension_reason,
                "sites": sites,
            }),
            vec![],
        ))
    }
}
