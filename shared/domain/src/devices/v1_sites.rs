//! Rule V1: a member company's sites (name, manager, manager contact,
//! address, services), each with its terminals.

use super::{TerminalMode, TerminalStatus};
use crate::kernel::crypto::{at, new_id};
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::personal_data::place::SITE_SERVICES;
use crate::signup::member::{active, own, read_member, MemberRow};
use crate::{read, read_set, row, stmt, use_case};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct SiteInput {
    pub name: String,
    pub manager_name: String,
    pub manager_contact: String,
    pub address: String,
    pub services: Vec<String>,
}

crate::reply!(
    pub struct SiteCreated {
        pub site_id: String,
        pub name: String,
        pub services: Vec<String>,
    }
    /// The member's sites and terminals, and its device limit (rule V6).
    @personal pub struct Sites {
        /// terminals allowed
        pub device_limit: i64,
        /// terminals registered
        pub devices: usize,
        pub suspended: bool,
        /// why staff suspended the member's devices (never sent to devices)
        pub suspension_reason: Option<String>,
        /// whom to ask for terminals or help connecting them (the
        /// deployment's support contact), when set
        pub support_contact: Option<String>,
        pub sites: Vec<SiteListing>,
    }
    pub struct SiteListing {
        pub site_id: String,
        pub name: String,
        pub services: Option<Vec<String>>,
        pub terminals: Vec<TerminalListing>,
    }
    pub struct TerminalListing {
        pub terminal_id: String,
        pub name: String,
        pub mode: TerminalMode,
        /// ADMS serial number
        pub serial: Option<String>,
        pub status: TerminalStatus,
        pub last_seen_at: Option<String>,
    }
);

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
            SiteCreated {
                site_id: id.clone(),
                name: input.name.clone(),
                services: input.services.clone(),
            },
            vec![stmt!(
                "INSERT INTO sites (id, member_id, name, manager_name_enc, manager_contact_enc, address_enc, services, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                id.as_str(),
                m.id.as_str(),
                input.name.as_str(),
                env.keys
                    .seal_for(env.rng, &at("sites.manager_name", &id), &input.manager_name),
                env.keys.seal_for(
                    env.rng,
                    &at("sites.manager_contact", &id),
                    &input.manager_contact
                ),
                env.keys
                    .seal_for(env.rng, &at("sites.address", &id), &input.address),
                SealedText::seal(env, SITE_SERVICES, &id, &json!(input.services).to_string()),
                env.now.to_rfc3339()
            )],
        ))
    }
}

row!(
    pub struct SiteRow {
        pub id: String,
        pub name: String,
        /// a JSON list, sealed at `SITE_SERVICES` (the member wrote it)
        pub services: SealedText,
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
/// `GET /member/sites` (`admin: false`, the caller's own; the input is
/// ignored) and `GET /admin/members/{id}/sites` (`admin: true`, member `id`).
pub struct ListSites {
    pub admin: bool,
}
use_case!(ListSites, "member.sites", |uc| if uc.admin { Access::Admin(super::v7_view::ATTENDANCE_READERS) } else { Access::Member }, String => SitesReads);

impl ListSites {
    fn reads(&self, member: &String, env: &Env) -> SitesReads {
        let id = if self.admin {
            member.as_str()
        } else {
            env.caller()
        };
        SitesReads {
            member: read_member(id),
            sites: read!("SELECT id, name, services FROM sites WHERE member_id = ? ORDER BY created_at", id),
            terminals: read!("SELECT id, site_id, name, mode, serial, status, last_seen_at FROM terminals WHERE member_id = ? ORDER BY created_at", id),
        }
    }

    fn decide(&self, _: String, rows: SitesRows, env: &Env) -> Result<Plan, Problem> {
        let m = match rows.member {
            None if self.admin => return Err(Problem::not_found()),
            row => own(row)?,
        };
        let terminal = |t: &TerminalRow| TerminalListing {
            terminal_id: t.id.clone(),
            name: t.name.clone(),
            mode: t.mode,
            serial: t.serial.clone(),
            status: t.status,
            last_seen_at: t.last_seen_at.clone(),
        };
        let sites = rows
            .sites
            .iter()
            .map(|s| {
                Ok(SiteListing {
                    site_id: s.id.clone(),
                    name: s.name.clone(),
                    services: serde_json::from_str(&s.services.open(
                        env.keys,
                        SITE_SERVICES,
                        &s.id,
                    )?)
                    .ok(),
                    terminals: rows
                        .terminals
                        .iter()
                        .filter(|t| t.site_id == s.id)
                        .map(terminal)
                        .collect(),
                })
            })
            .collect::<Result<Vec<_>, Problem>>()?;
        Ok(Plan::ok(
            200,
            Sites {
                device_limit: m.device_limit,
                devices: rows.terminals.len(),
                suspended: m.suspended_at.is_some(),
                suspension_reason: crate::kernel::sealed::open_opt(
                    &m.suspension_reason,
                    env.keys,
                    crate::personal_data::place::SUSPENSION_REASON,
                    &m.id,
                )?,
                support_contact: env
                    .config
                    .area::<crate::kernel::notify::Links>()
                    .support_contact,
                sites,
            },
            vec![],
        )
        // What the member wrote about its sites (their services): a staff
        // read is in the access log (A3).
        .touches(&m.id, "member.read_sites"))
    }
}
