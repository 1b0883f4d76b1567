//! Sites, terminals and attendance ingestion (rules V1–V8, seed 003).

use crate::common::{audit, member_row, read_member};
use crate::crypto::{constant_time_eq, new_id, sha256_hex};
use crate::ports::{Row, Stmt, StmtResult};
use crate::problem::{FieldError, Problem};
use crate::runtime::{guard_one_change, Auth, Effect, Env, Plan, Principal, UseCase};
use crate::stmt;
use crate::tokens::TokenKind;
use crate::types::kst;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};
use sha2::Sha256;

/// Largest webhook body accepted (V3).
pub const MAX_BODY_BYTES: usize = 512 * 1024;
/// Most records in one webhook batch.
pub const MAX_RECORDS: usize = 1000;
/// Standard Webhooks: timestamps further than this from now are refused (V2).
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 300;
/// Queue messages stay under this size (Cloudflare: 128 KB per message).
pub const MAX_MESSAGE_BYTES: usize = 100 * 1024;
/// And hold at most this many records: 28 INSERTs a message, so a consumer
/// batch of 20 messages stays under D1's 1,000 statements per invocation.
pub const MAX_MESSAGE_RECORDS: usize = 250;
/// How long the old secret keeps working after a rotation.
pub const ROTATION_GRACE_HOURS: i64 = 24;

// ------------------------------------------------------------------ Standard Webhooks

fn webhook_key(secret: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()
}

/// `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>` (Standard Webhooks v1).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = webhook_key(secret)?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).ok()?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// True when any `v1` entry of the header matches any of the secrets, in
/// constant time per comparison.
pub fn signature_matches(
    secrets: &[&str],
    id: &str,
    timestamp: i64,
    body: &[u8],
    header: &str,
) -> bool {
    let expected: Vec<String> = secrets
        .iter()
        .filter_map(|s| sign(s, id, timestamp, body))
        .collect();
    header
        .split_whitespace()
        .filter(|entry| entry.starts_with("v1,"))
        .any(|entry| {
            expected
                .iter()
                .any(|e| constant_time_eq(e.as_bytes(), entry.as_bytes()))
        })
}

/// A fresh terminal secret, shown once.
pub fn new_secret(env: &Env) -> String {
    let mut b = [0u8; 24];
    env.rng.fill(&mut b);
    format!("whsec_{}", STANDARD.encode(b))
}

// ------------------------------------------------------------------ records

/// One authentication record as a terminal reports it (V2). Pseudonymous:
/// a worker code, never a name; no template or image (V5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub event_id: String,
    /// RFC 3339 with offset.
    pub terminal_time: String,
    pub worker_code: String,
    pub direction: String,
    pub method: String,
    pub result: String,
}

const RECORD_FIELDS: &[&str] = &[
    "event_id",
    "terminal_time",
    "worker_code",
    "direction",
    "method",
    "result",
];

fn short_code(v: Option<&Json>) -> Result<String, &'static str> {
    match v {
        Some(Json::String(s))
            if !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Ok(s.clone())
        }
        Some(Json::String(_)) => Err("field.code_text"),
        None | Some(Json::Null) => Err("field.required"),
        Some(_) => Err("field.type"),
    }
}

fn one_of(v: Option<&Json>, allowed: &[&str]) -> Result<String, &'static str> {
    match v.and_then(Json::as_str) {
        Some(s) if allowed.contains(&s) => Ok(s.to_owned()),
        Some(_) => Err("field.enum"),
        None => Err("field.required"),
    }
}

/// Parses one record object; errors point into `records/{i}`.
pub fn parse_record(i: usize, v: &Json, errors: &mut Vec<FieldError>) -> Option<Record> {
    let Some(obj) = v.as_object() else {
        errors.push(FieldError::new(&format!("records/{i}"), "field.type"));
        return None;
    };
    let mut ok = true;
    let mut field = |name: &str, r: Result<String, &'static str>| match r {
        Ok(v) => v,
        Err(key) => {
            errors.push(FieldError::new(&format!("records/{i}/{name}"), key));
            ok = false;
            String::new()
        }
    };
    for key in obj.keys() {
        if !RECORD_FIELDS.contains(&key.as_str()) {
            // V5: templates, images and anything else unknown are refused.
            field(key, Err("field.not_allowed"));
        }
    }
    let event_id = field("event_id", short_code(obj.get("event_id")));
    let terminal_time = field(
        "terminal_time",
        match obj.get("terminal_time").and_then(Json::as_str) {
            Some(t) => DateTime::parse_from_rfc3339(t)
                .map(|_| t.to_owned())
                .map_err(|_| "field.datetime"),
            None => Err("field.required"),
        },
    );
    let worker_code = field("worker_code", short_code(obj.get("worker_code")));
    let direction = field("direction", one_of(obj.get("direction"), &["in", "out"]));
    let method = field(
        "method",
        one_of(obj.get("method"), &["face", "finger", "card", "pin"]),
    );
    let result = field(
        "result",
        one_of(obj.get("result"), &["accepted", "rejected"]),
    );
    ok.then_some(Record {
        event_id,
        terminal_time,
        worker_code,
        direction,
        method,
        result,
    })
}

/// Parses a webhook body `{"records": [...]}` (V3): every bad field reported.
pub fn parse_batch(body: &[u8]) -> Result<Vec<Record>, Problem> {
    let map = crate::problem::json_object(body)?;
    let mut errors = Vec::new();
    for key in map.keys() {
        if key != "records" {
            errors.push(FieldError::new(key, "field.not_allowed"));
        }
    }
    let items = match map.get("records") {
        Some(Json::Array(items)) if !items.is_empty() && items.len() <= MAX_RECORDS => items,
        Some(Json::Array(_)) => return Err(Problem::field("records", "field.records_count")),
        Some(_) => return Err(Problem::field("records", "field.type")),
        None => return Err(Problem::field("records", "field.required")),
    };
    let records: Vec<Record> = items
        .iter()
        .enumerate()
        .filter_map(|(i, v)| parse_record(i, v, &mut errors))
        .collect();
    if errors.is_empty() {
        Ok(records)
    } else {
        errors.truncate(50);
        Err(Problem::validation(errors))
    }
}

/// Splits records into queue messages under `MAX_MESSAGE_BYTES` each: never
/// truncated, every record in exactly one message (V3).
pub fn messages(
    terminal_id: &str,
    member_id: &str,
    site_id: &str,
    records: &[Record],
) -> Vec<Json> {
    let envelope = |chunk: &[Record]| json!({ "type": "attendance", "terminal_id": terminal_id, "member_id": member_id, "site_id": site_id, "records": chunk });
    let overhead = envelope(&[]).to_string().len();
    let mut out = Vec::new();
    let mut start = 0;
    let mut size = overhead;
    for (i, r) in records.iter().enumerate() {
        let len = serde_json::to_string(r).map_or(0, |s| s.len()) + 1;
        if i > start && (size + len > MAX_MESSAGE_BYTES || i - start >= MAX_MESSAGE_RECORDS) {
            out.push(envelope(&records[start..i]));
            start = i;
            size = overhead;
        }
        size += len;
    }
    if start < records.len() {
        out.push(envelope(&records[start..]));
    }
    out
}

/// Which shard holds a member's attendance records: stable across deploys
/// for a fixed shard count.
pub fn shard_of(member_id: &str, shards: usize) -> usize {
    let h = sha256_hex(&[member_id.as_bytes()]);
    usize::from_str_radix(&h[..8], 16).unwrap_or(0) % shards.max(1)
}

/// The KST calendar day of a terminal time (V7).
pub fn kst_day(terminal_time: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(terminal_time)
        .ok()
        .map(|t| t.with_timezone(&kst()).date_naive().to_string())
}

/// A queued attendance message, re-validated by the consumer.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub terminal_id: String,
    pub member_id: String,
    pub site_id: String,
    pub records: Vec<Record>,
}

impl Batch {
    /// `None` for a message that can never be stored (poison).
    pub fn parse(v: &Json) -> Option<Batch> {
        let s = |k: &str| {
            v.get(k)
                .and_then(Json::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let items = v.get("records")?.as_array()?;
        let mut errors = Vec::new();
        let records: Vec<Record> = items
            .iter()
            .enumerate()
            .filter_map(|(i, r)| parse_record(i, r, &mut errors))
            .collect();
        if !errors.is_empty() || records.is_empty() {
            return None;
        }
        Some(Batch {
            terminal_id: s("terminal_id")?,
            member_id: s("member_id")?,
            site_id: s("site_id")?,
            records,
        })
    }
}

const INSERT_COLUMNS: usize = 11;
/// Rows per INSERT so that bound parameters stay ≤ 100 (D1's limit).
pub const ROWS_PER_INSERT: usize = 100 / INSERT_COLUMNS;

static INSERT_SQL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();

/// `INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING` for 1..=ROWS_PER_INSERT rows.
fn insert_sql(rows: usize) -> &'static str {
    let all = INSERT_SQL.get_or_init(|| {
        (1..=ROWS_PER_INSERT)
            .map(|n| {
                let one = format!("({})", vec!["?"; INSERT_COLUMNS].join(", "));
                let sql = format!(
                    "INSERT INTO attendance_records (terminal_id, event_id, member_id, site_id, worker_code, direction, method, result, terminal_time, kst_day, received_at) VALUES {} ON CONFLICT (terminal_id, event_id) DO NOTHING",
                    vec![one; n].join(", ")
                );
                &*Box::leak(sql.into_boxed_str())
            })
            .collect()
    });
    all[rows.clamp(1, ROWS_PER_INSERT) - 1]
}

/// Batched, idempotent inserts of a message's records (V4): a redelivered
/// message stores nothing new.
pub fn insert_statements(b: &Batch, received_at: &str) -> Vec<Stmt> {
    b.records
        .chunks(ROWS_PER_INSERT)
        .map(|chunk| {
            let mut params = Vec::with_capacity(chunk.len() * INSERT_COLUMNS);
            for r in chunk {
                params.extend([
                    b.terminal_id.as_str().into(),
                    r.event_id.as_str().into(),
                    b.member_id.as_str().into(),
                    b.site_id.as_str().into(),
                    r.worker_code.as_str().into(),
                    r.direction.as_str().into(),
                    r.method.as_str().into(),
                    r.result.as_str().into(),
                    r.terminal_time.as_str().into(),
                    kst_day(&r.terminal_time).unwrap_or_default().into(),
                    received_at.into(),
                ]);
            }
            Stmt {
                sql: insert_sql(chunk.len()),
                params,
            }
        })
        .collect()
}

// ------------------------------------------------------------------ member side (V1)

fn active_member<'a>(rows: &'a StmtResult) -> Result<&'a Row, Problem> {
    let m = member_row(rows)?;
    if m.text("status") != Some("active") {
        return Err(Problem::forbidden("detail.not_active").with("status", json!(m.text("status"))));
    }
    Ok(m)
}

fn member_id(who: Option<&Principal>) -> &str {
    who.map_or("", |w| w.id.as_str())
}

#[derive(Debug, Clone)]
pub struct SiteInput {
    pub name: String,
    pub manager_name: String,
    pub manager_contact: String,
    pub address: String,
    pub services: Vec<String>,
}

/// `POST /member/sites`: a member company adds a site (V1).
pub struct CreateSite;

impl UseCase for CreateSite {
    type Input = SiteInput;
    const NAME: &'static str = "member.create_site";
    const AUTH: Auth = Auth::Required(TokenKind::Member);

    fn reads(&self, _: &SiteInput, who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![read_member(member_id(who))]
    }

    fn decide(
        &self,
        input: SiteInput,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        if let Err(p) = active_member(&rows[0]) {
            return Plan::fail(p);
        }
        let id = new_id(env.rng, "site");
        Plan::ok(
            201,
            json!({ "site_id": id, "name": input.name, "services": input.services }),
            vec![stmt!(
                "INSERT INTO sites (id, member_id, name, manager_name_enc, manager_contact_enc, address_enc, services, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                id.as_str(),
                member_id(who),
                input.name.as_str(),
                env.keys.seal(env.rng, &input.manager_name),
                env.keys.seal(env.rng, &input.manager_contact),
                env.keys.seal(env.rng, &input.address),
                json!(input.services).to_string(),
                env.now.to_rfc3339()
            )],
        )
    }
}

/// `GET /member/sites`: the member's sites with their terminals.
pub struct ListSites;

impl UseCase for ListSites {
    type Input = ();
    const NAME: &'static str = "member.sites";
    const AUTH: Auth = Auth::Required(TokenKind::Member);

    fn reads(&self, _: &(), who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        let id = member_id(who);
        vec![
            read_member(id),
            stmt!("SELECT id, name, services FROM sites WHERE member_id = ? ORDER BY created_at", id),
            stmt!("SELECT id, site_id, name, mode, serial, status, last_seen_at FROM terminals WHERE member_id = ? ORDER BY created_at", id),
        ]
    }

    fn decide(&self, _: (), _: Option<&Principal>, rows: Vec<StmtResult>, _: &Env) -> Plan {
        let Ok(m) = member_row(&rows[0]) else {
            return Plan::fail(Problem::unauthorized("detail.session_invalid"));
        };
        let terminal = |t: &Row| json!({ "terminal_id": t.text("id"), "name": t.text("name"), "mode": t.text("mode"), "serial": t.text("serial"), "status": t.text("status"), "last_seen_at": t.text("last_seen_at") });
        let sites: Vec<Json> = rows[1]
            .rows
            .iter()
            .map(|s| {
                json!({
                    "site_id": s.text("id"),
                    "name": s.text("name"),
                    "services": s.text("services").and_then(|v| serde_json::from_str::<Json>(v).ok()),
                    "terminals": rows[2].rows.iter().filter(|t| t.text("site_id") == s.text("id")).map(terminal).collect::<Vec<_>>(),
                })
            })
            .collect();
        Plan::ok(
            200,
            json!({ "device_limit": m.int("device_limit"), "devices": rows[2].rows.len(), "sites": sites }),
            vec![],
        )
    }
}

#[derive(Debug, Clone)]
pub struct TerminalInput {
    pub site_id: String,
    pub name: String,
    pub mode: String,
    pub serial: Option<String>,
}

/// `POST /member/terminals`: registers a terminal up to the contract's
/// device count (V1); the secret is shown once.
pub struct RegisterTerminal;

impl UseCase for RegisterTerminal {
    type Input = TerminalInput;
    const NAME: &'static str = "member.register_terminal";
    const AUTH: Auth = Auth::Required(TokenKind::Member);

    fn reads(&self, input: &TerminalInput, who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        let id = member_id(who);
        vec![
            read_member(id),
            stmt!(
                "SELECT id FROM sites WHERE id = ? AND member_id = ?",
                input.site_id.as_str(),
                id
            ),
            stmt!(
                "SELECT COUNT(*) AS n FROM terminals WHERE member_id = ?",
                id
            ),
        ]
    }

    fn decide(
        &self,
        input: TerminalInput,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let m = match active_member(&rows[0]) {
            Ok(m) => m,
            Err(p) => return Plan::fail(p),
        };
        if rows[1].rows.is_empty() {
            return Plan::fail(Problem::field("site_id", "field.unknown_site"));
        }
        let limit = m.int("device_limit").unwrap_or(0);
        let count = rows[2].first().and_then(|r| r.int("n")).unwrap_or(0);
        if count >= limit {
            return Plan::fail(
                Problem::new(409, "device-limit", "title.conflict", "detail.device_limit")
                    .with("device_limit", json!(limit))
                    .with("devices", json!(count)),
            );
        }
        let id = new_id(env.rng, "trm");
        let secret = (input.mode == "webhook").then(|| new_secret(env));
        let mid = member_id(who);
        // The count is re-checked in the write batch, so two registrations
        // racing for the last slot cannot both succeed.
        let writes = vec![
            stmt!(
                "INSERT INTO terminals (id, member_id, site_id, name, mode, serial, secret_enc, created_at)
                 SELECT ?, ?, ?, ?, ?, ?, ?, ?
                 WHERE (SELECT COUNT(*) FROM terminals WHERE member_id = ?) < (SELECT device_limit FROM members WHERE id = ?)",
                id.as_str(),
                mid,
                input.site_id.as_str(),
                input.name.as_str(),
                input.mode.as_str(),
                input.serial.clone(),
                secret.as_ref().map(|s| env.keys.seal(env.rng, s)),
                env.now.to_rfc3339(),
                mid,
                mid
            ),
            guard_one_change(),
        ];
        Plan::ok(
            201,
            json!({ "terminal_id": id, "mode": input.mode, "serial": input.serial, "secret": secret, "secret_shown_once": secret.is_some() }),
            writes,
        )
        .conflict_means(Problem::new(409, "terminal-conflict", "title.conflict", "detail.terminal_conflict"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminalAction {
    Rotate,
    Suspend,
    Resume,
}

/// `POST /member/terminals/action`: rotate the secret (old and new both
/// valid for 24 h), suspend or resume a terminal.
pub struct ChangeTerminal;

impl UseCase for ChangeTerminal {
    type Input = (String, TerminalAction);
    const NAME: &'static str = "member.change_terminal";
    const AUTH: Auth = Auth::Required(TokenKind::Member);

    fn reads(
        &self,
        input: &(String, TerminalAction),
        who: Option<&Principal>,
        _: &Env,
    ) -> Vec<Stmt> {
        vec![
            read_member(member_id(who)),
            stmt!(
                "SELECT id, secret_enc, mode FROM terminals WHERE id = ? AND member_id = ?",
                input.0.as_str(),
                member_id(who)
            ),
        ]
    }

    fn decide(
        &self,
        (id, action): (String, TerminalAction),
        _: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        if let Err(p) = active_member(&rows[0]) {
            return Plan::fail(p);
        }
        let Some(t) = rows[1].first() else {
            return Plan::fail(Problem::not_found());
        };
        match action {
            TerminalAction::Rotate => {
                if t.text("mode") != Some("webhook") {
                    return Plan::fail(Problem::field("action", "field.enum"));
                }
                let secret = new_secret(env);
                Plan::ok(
                    200,
                    json!({ "terminal_id": id, "secret": secret, "previous_valid_until": (env.now + chrono::Duration::hours(ROTATION_GRACE_HOURS)).to_rfc3339() }),
                    vec![stmt!(
                        "UPDATE terminals SET prev_secret_enc = secret_enc, prev_valid_until = ?, secret_enc = ? WHERE id = ?",
                        (env.now + chrono::Duration::hours(ROTATION_GRACE_HOURS)).to_rfc3339(),
                        env.keys.seal(env.rng, &secret),
                        id.as_str()
                    )],
                )
            }
            TerminalAction::Suspend | TerminalAction::Resume => {
                let status = if action == TerminalAction::Suspend {
                    "suspended"
                } else {
                    "active"
                };
                Plan::ok(
                    200,
                    json!({ "terminal_id": id, "status": status }),
                    vec![stmt!(
                        "UPDATE terminals SET status = ? WHERE id = ?",
                        status,
                        id.as_str()
                    )],
                )
            }
        }
    }
}

// ------------------------------------------------------------------ admin side (V1, V6)

#[derive(Debug, Clone)]
pub struct MemberDevicesInput {
    pub member_id: String,
    pub device_limit: Option<i64>,
    /// `Some(reason)` suspends, `Some("")` lifts a suspension.
    pub suspension: Option<(bool, String)>,
}

/// `POST /admin/member-devices`: set a member's contracted device count and
/// suspend or reinstate the member (V1, V6). Billing or owner; audited.
pub struct MemberDevices;

impl UseCase for MemberDevices {
    type Input = MemberDevicesInput;
    const NAME: &'static str = "admin.member_devices";
    const AUTH: Auth = Auth::Required(TokenKind::Admin);

    fn reads(&self, input: &MemberDevicesInput, _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![read_member(&input.member_id)]
    }

    fn decide(
        &self,
        input: MemberDevicesInput,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let Some(admin) = who.filter(|w| matches!(w.role.as_str(), "billing" | "owner")) else {
            return Plan::fail(Problem::forbidden("detail.forbidden_role"));
        };
        let Some(m) = rows[0].first() else {
            return Plan::fail(Problem::not_found());
        };
        let id = input.member_id.as_str();
        let mut writes = Vec::new();
        let mut limit = m.int("device_limit");
        if let Some(l) = input.device_limit {
            writes.push(stmt!(
                "UPDATE members SET device_limit = ? WHERE id = ?",
                l,
                id
            ));
            writes.push(audit(
                env,
                &admin.id,
                "member.device_limit",
                id,
                &l.to_string(),
            ));
            limit = Some(l);
        }
        let mut suspended = m.text("suspended_at").is_some();
        if let Some((on, reason)) = &input.suspension {
            if *on {
                writes.push(stmt!(
                    "UPDATE members SET suspended_at = ?, suspension_reason = ? WHERE id = ?",
                    env.now.to_rfc3339(),
                    reason.as_str(),
                    id
                ));
                writes.push(audit(env, &admin.id, "member.suspend", id, reason));
            } else {
                writes.push(stmt!(
                    "UPDATE members SET suspended_at = NULL, suspension_reason = NULL WHERE id = ?",
                    id
                ));
                writes.push(audit(env, &admin.id, "member.reinstate", id, reason));
            }
            suspended = *on;
        }
        Plan::ok(
            200,
            json!({ "member_id": id, "device_limit": limit, "suspended": suspended }),
            writes,
        )
    }
}

// ------------------------------------------------------------------ ingestion (V2–V6, V8)

/// The terminal and its member's state, read in one statement. `rank` is the
/// number of the member's terminals registered before this one: terminals
/// past the contract's device count are refused (V1).
fn terminal_reads(by: &str, key: &str) -> Stmt {
    let sql = if by == "serial" {
        "SELECT t.id, t.member_id, t.site_id, t.mode, t.status, t.secret_enc, t.prev_secret_enc, t.prev_valid_until,
           m.status AS member_status, m.suspended_at, m.suspension_reason, m.device_limit,
           (SELECT COUNT(*) FROM terminals o WHERE o.member_id = t.member_id AND (o.created_at < t.created_at OR (o.created_at = t.created_at AND o.id < t.id))) AS rank
         FROM terminals t JOIN members m ON m.id = t.member_id WHERE t.serial = ?"
    } else {
        "SELECT t.id, t.member_id, t.site_id, t.mode, t.status, t.secret_enc, t.prev_secret_enc, t.prev_valid_until,
           m.status AS member_status, m.suspended_at, m.suspension_reason, m.device_limit,
           (SELECT COUNT(*) FROM terminals o WHERE o.member_id = t.member_id AND (o.created_at < t.created_at OR (o.created_at = t.created_at AND o.id < t.id))) AS rank
         FROM terminals t JOIN members m ON m.id = t.member_id WHERE t.id = ?"
    };
    Stmt {
        sql,
        params: vec![key.into()],
    }
}

/// Refuses terminals that may not post now (V1, V3, V6), with the reason.
fn terminal_allowed(t: &Row, mode: &str) -> Result<(), Problem> {
    if t.text("mode") != Some(mode) {
        return Err(Problem::unauthorized("detail.terminal_unknown"));
    }
    if t.text("member_status") != Some("active") || t.text("suspended_at").is_some() {
        return Err(Problem::forbidden("detail.member_suspended")
            .with("reason", json!(t.text("suspension_reason"))));
    }
    if t.text("status") != Some("active") {
        return Err(Problem::forbidden("detail.terminal_suspended"));
    }
    if t.int("rank").unwrap_or(0) >= t.int("device_limit").unwrap_or(0) {
        return Err(Problem::forbidden("detail.device_limit")
            .with("device_limit", json!(t.int("device_limit"))));
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct WebhookInput {
    pub terminal_id: String,
    pub webhook_id: String,
    pub timestamp: i64,
    pub signature: String,
    pub body: Vec<u8>,
}

/// `POST /devices/webhook?terminal=…` (V2, V3): Standard Webhooks signature,
/// timestamp window, terminal state, schema; then queued, then 202.
pub struct Webhook;

impl UseCase for Webhook {
    type Input = WebhookInput;
    const NAME: &'static str = "device.webhook";
    const AUTH: Auth = Auth::None;

    fn reads(&self, input: &WebhookInput, _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![
            terminal_reads("id", &input.terminal_id),
            stmt!(
                "SELECT records FROM webhook_receipts WHERE terminal_id = ? AND webhook_id = ?",
                input.terminal_id.as_str(),
                input.webhook_id.as_str()
            ),
        ]
    }

    fn decide(
        &self,
        input: WebhookInput,
        _: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let Some(t) = rows[0].first() else {
            return Plan::fail(Problem::unauthorized("detail.terminal_unknown"));
        };
        let open = |c: &str| t.text(c).and_then(|s| env.keys.open(s).ok());
        let mut secrets: Vec<String> = open("secret_enc").into_iter().collect();
        let prev_valid = crate::common::parse_instant(t.text("prev_valid_until"))
            .is_some_and(|until| env.now < until);
        if prev_valid {
            secrets.extend(open("prev_secret_enc"));
        }
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        if t.text("mode") != Some("webhook")
            || !signature_matches(
                &refs,
                &input.webhook_id,
                input.timestamp,
                &input.body,
                &input.signature,
            )
        {
            return Plan::fail(Problem::unauthorized("detail.signature"));
        }
        if (env.now.timestamp() - input.timestamp).abs() > TIMESTAMP_TOLERANCE_SECS {
            return Plan::fail(Problem::unauthorized("detail.timestamp"));
        }
        if let Err(p) = terminal_allowed(t, "webhook") {
            return Plan::fail(p);
        }
        if let Some(prior) = rows[1].first() {
            return Plan::ok(
                202,
                json!({ "accepted": prior.int("records"), "duplicate": true }),
                vec![],
            );
        }
        let records = match parse_batch(&input.body) {
            Ok(r) => r,
            Err(p) => return Plan::fail(p),
        };
        let (member, site) = (
            t.text("member_id").unwrap_or(""),
            t.text("site_id").unwrap_or(""),
        );
        let msgs = messages(&input.terminal_id, member, site, &records);
        let count = i64::try_from(records.len()).unwrap_or(0);
        Plan::ok(
            202,
            json!({ "accepted": count, "messages": msgs.len() }),
            vec![
                stmt!(
                    "INSERT OR IGNORE INTO webhook_receipts (terminal_id, webhook_id, received_at, records) VALUES (?, ?, ?, ?)",
                    input.terminal_id.as_str(),
                    input.webhook_id.as_str(),
                    env.now.to_rfc3339(),
                    count
                ),
            ],
        )
        .effect(Effect::Publish(msgs))
    }
}

/// What an ADMS device sent or asked for (V8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdmsInput {
    /// `GET /iclock/cdata?SN=…`: the device asks for its options.
    Options { serial: String },
    /// `POST /iclock/cdata?SN=…&table=ATTLOG`.
    AttLog { serial: String, body: String },
    /// Any other table (OPERLOG, BIODATA, ATTPHOTO, …): acknowledged, discarded unread (V5).
    Discard { serial: String },
    /// `GET /iclock/getrequest?SN=…`: commands for the device (none).
    Poll { serial: String },
}

impl AdmsInput {
    fn serial(&self) -> &str {
        match self {
            AdmsInput::Options { serial }
            | AdmsInput::AttLog { serial, .. }
            | AdmsInput::Discard { serial }
            | AdmsInput::Poll { serial } => serial,
        }
    }
}

/// The options we send: attendance logs only; no user, fingerprint, face
/// or photo tables (V5).
pub fn adms_options(serial: &str) -> String {
    format!(
        "GET OPTION FROM: {serial}\nATTLOGStamp=None\nOPERLOGStamp=9999\nATTPHOTOStamp=9999\nErrorDelay=30\nDelay=10\nTransTimes=00:00;14:05\nTransInterval=1\nTransFlag=TransData AttLog\nTimeZone=9\nRealtime=1\nEncrypt=None\n"
    )
}

/// ATTLOG lines: `PIN\tYYYY-MM-DD HH:MM:SS\tstatus\tverify\t…`, device time in
/// KST. The event id is derived from the line, so a resent line is the same
/// event. Unparseable lines are skipped (the device cannot fix them).
pub fn parse_attlog(serial: &str, body: &str) -> Vec<Record> {
    let offset: FixedOffset = kst();
    body.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').map(str::trim).collect();
            let (pin, time) = (*f.first()?, *f.get(1)?);
            if pin.is_empty() || pin.len() > 64 || !pin.bytes().all(|b| b.is_ascii_graphic()) {
                return None;
            }
            let local = NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M:%S").ok()?;
            let at = offset.from_local_datetime(&local).single()?;
            let status = f.get(2).copied().unwrap_or("0");
            let direction = if matches!(status, "1" | "5") {
                "out"
            } else {
                "in"
            };
            let method = match f.get(3).copied().unwrap_or("1") {
                "0" => "pin",
                "15" | "9" => "face",
                "2" | "4" | "11" => "card",
                _ => "finger",
            };
            let event_id = format!(
                "adms-{}",
                &sha256_hex(&[
                    serial.as_bytes(),
                    pin.as_bytes(),
                    time.as_bytes(),
                    status.as_bytes()
                ])[..32]
            );
            Some(Record {
                event_id,
                terminal_time: at.to_rfc3339(),
                worker_code: pin.to_owned(),
                direction: direction.into(),
                method: method.into(),
                result: "accepted".into(),
            })
        })
        .collect()
}

/// ZKTeco ADMS ("iclock") endpoints (V8): only registered ADMS terminals;
/// `OK` only after the records are queued, so the device resends on failure.
pub struct Adms;

impl UseCase for Adms {
    type Input = AdmsInput;
    const NAME: &'static str = "device.adms";
    const AUTH: Auth = Auth::None;

    fn reads(&self, input: &AdmsInput, _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![terminal_reads("serial", input.serial())]
    }

    fn decide(
        &self,
        input: AdmsInput,
        _: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let Some(t) = rows[0].first() else {
            return Plan::fail(Problem::unauthorized("detail.terminal_unknown"));
        };
        if let Err(p) = terminal_allowed(t, "adms") {
            return Plan::fail(p);
        }
        let id = t.text("id").unwrap_or("");
        let seen = stmt!(
            "UPDATE terminals SET last_seen_at = ? WHERE id = ?",
            env.now.to_rfc3339(),
            id
        );
        match input {
            AdmsInput::Options { serial } => Plan::text(200, adms_options(&serial), vec![seen]),
            AdmsInput::Poll { .. } => Plan::text(200, "OK", vec![seen]),
            AdmsInput::Discard { .. } => Plan::text(200, "OK", vec![seen]),
            AdmsInput::AttLog { serial, body } => {
                let records = parse_attlog(&serial, &body);
                let n = records.len();
                let msgs = messages(
                    id,
                    t.text("member_id").unwrap_or(""),
                    t.text("site_id").unwrap_or(""),
                    &records,
                );
                // One read, the queue, no write: the consumer records last-seen.
                Plan::text(200, format!("OK: {n}"), vec![]).effect(Effect::Publish(msgs))
            }
        }
    }
}

// ------------------------------------------------------------------ attendance view (V7)

#[derive(Debug, Clone)]
pub struct ViewInput {
    pub site_id: String,
    /// KST calendar day, `YYYY-MM-DD`.
    pub day: String,
}

/// `GET /member/attendance` (`AttendanceView::<false>`, the member's own
/// sites) and `GET /admin/attendance` (`AttendanceView::<true>`) (V7): per
/// site and KST day, first in / last out per worker, counts per terminal,
/// terminal last seen.
pub struct AttendanceView<const ADMIN: bool>;

impl<const ADMIN: bool> UseCase for AttendanceView<ADMIN> {
    type Input = ViewInput;
    const NAME: &'static str = "attendance.view";
    const AUTH: Auth = Auth::Required(if ADMIN {
        TokenKind::Admin
    } else {
        TokenKind::Member
    });

    fn reads(&self, input: &ViewInput, who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        let site = if ADMIN {
            stmt!(
                "SELECT id, member_id, name FROM sites WHERE id = ?",
                input.site_id.as_str()
            )
        } else {
            stmt!(
                "SELECT id, member_id, name FROM sites WHERE id = ? AND member_id = ?",
                input.site_id.as_str(),
                member_id(who)
            )
        };
        vec![site, stmt!("SELECT id, name, last_seen_at, status FROM terminals WHERE site_id = ? ORDER BY created_at", input.site_id.as_str())]
    }

    fn shard_reads(&self, input: &ViewInput, main: &[StmtResult]) -> Option<(String, Vec<Stmt>)> {
        let member = main[0].first()?.text("member_id")?.to_owned();
        let filter = (input.site_id.as_str(), input.day.as_str());
        Some((
            member,
            vec![
                stmt!(
                    "SELECT worker_code,
                       MIN(CASE WHEN direction = 'in' AND result = 'accepted' THEN terminal_time END) AS first_in,
                       MAX(CASE WHEN direction = 'out' AND result = 'accepted' THEN terminal_time END) AS last_out,
                       COUNT(*) AS records
                     FROM attendance_records WHERE site_id = ? AND kst_day = ? GROUP BY worker_code ORDER BY worker_code",
                    filter.0,
                    filter.1
                ),
                stmt!("SELECT terminal_id, COUNT(*) AS records FROM attendance_records WHERE site_id = ? AND kst_day = ? GROUP BY terminal_id", filter.0, filter.1),
            ],
        ))
    }

    fn decide(
        &self,
        input: ViewInput,
        _: Option<&Principal>,
        rows: Vec<StmtResult>,
        _: &Env,
    ) -> Plan {
        if rows[0].rows.is_empty() || rows.len() < 4 {
            return Plan::fail(Problem::not_found());
        }
        let workers: Vec<Json> = rows[2]
            .rows
            .iter()
            .map(|r| json!({ "worker_code": r.text("worker_code"), "first_in": r.text("first_in"), "last_out": r.text("last_out"), "records": r.int("records") }))
            .collect();
        let terminals: Vec<Json> = rows[1]
            .rows
            .iter()
            .map(|t| {
                let n = rows[3].rows.iter().find(|c| c.text("terminal_id") == t.text("id")).and_then(|c| c.int("records")).unwrap_or(0);
                json!({ "terminal_id": t.text("id"), "name": t.text("name"), "status": t.text("status"), "last_seen_at": t.text("last_seen_at"), "records": n })
            })
            .collect();
        Plan::ok(
            200,
            json!({ "site_id": input.site_id, "day": input.day, "workers": workers, "terminals": terminals }),
            vec![],
        )
    }
}

// ------------------------------------------------------------------ dead letters (V4)

/// `GET /admin/dead-letters`: messages the queue gave up on (any admin).
pub struct DeadLetters;

impl UseCase for DeadLetters {
    type Input = ();
    const NAME: &'static str = "admin.dead_letters";
    const AUTH: Auth = Auth::Required(TokenKind::Admin);

    fn reads(&self, _: &(), _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![stmt!("SELECT id, queue, body, received_at, replayed_at FROM dead_letters ORDER BY received_at DESC LIMIT 100")]
    }

    fn decide(&self, _: (), _: Option<&Principal>, rows: Vec<StmtResult>, _: &Env) -> Plan {
        let items: Vec<Json> = rows[0]
            .rows
            .iter()
            .map(|r| {
                let body = r
                    .text("body")
                    .and_then(|b| serde_json::from_str::<Json>(b).ok())
                    .unwrap_or(Json::Null);
                json!({
                    "id": r.text("id"),
                    "queue": r.text("queue"),
                    "type": body.get("type"),
                    "terminal_id": body.get("terminal_id"),
                    "records": body.get("records").and_then(Json::as_array).map(Vec::len),
                    "received_at": r.text("received_at"),
                    "replayed_at": r.text("replayed_at"),
                })
            })
            .collect();
        Plan::ok(200, json!({ "items": items }), vec![])
    }
}

/// `POST /admin/dead-letters/replay`: sends a dead letter back to its queue
/// after a fix (owner only; audited). Stored records stay exactly once.
pub struct ReplayDeadLetter;

impl UseCase for ReplayDeadLetter {
    type Input = String;
    const NAME: &'static str = "admin.replay_dead_letter";
    const AUTH: Auth = Auth::Required(TokenKind::Admin);

    fn reads(&self, id: &String, _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![stmt!(
            "SELECT body FROM dead_letters WHERE id = ?",
            id.as_str()
        )]
    }

    fn decide(
        &self,
        id: String,
        who: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let Some(admin) = who.filter(|w| w.role == "owner") else {
            return Plan::fail(Problem::forbidden("detail.forbidden_role"));
        };
        let Some(body) = rows[0]
            .first()
            .and_then(|r| r.text("body"))
            .and_then(|b| serde_json::from_str::<Json>(b).ok())
        else {
            return Plan::fail(Problem::not_found());
        };
        Plan::ok(
            200,
            json!({ "id": id, "replayed": true }),
            vec![
                stmt!(
                    "UPDATE dead_letters SET replayed_at = ? WHERE id = ?",
                    env.now.to_rfc3339(),
                    id.as_str()
                ),
                audit(env, &admin.id, "dead_letter.replay", &id, ""),
            ],
        )
        .effect(Effect::Publish(vec![body]))
    }
}

/// `POST /__dev/switches`: sets test-only failure injection. Exists only
/// when `DEV_MODE` is on (local development); 404 everywhere else.
pub struct SetDevSwitches;

impl UseCase for SetDevSwitches {
    type Input = Vec<(String, String)>;
    const NAME: &'static str = "dev.switches";
    const AUTH: Auth = Auth::None;

    fn reads(&self, _: &Self::Input, _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![]
    }

    fn decide(
        &self,
        input: Self::Input,
        _: Option<&Principal>,
        _: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        if !env.config.dev {
            return Plan::fail(Problem::not_found());
        }
        let writes = input
            .iter()
            .map(|(k, v)| stmt!("INSERT INTO dev_switches (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", k.as_str(), v.as_str()))
            .collect();
        Plan::ok(200, json!({ "set": input.len() }), writes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_standard_webhooks_golden_vector() {
        let body = br#"{"email":"test@example.com","username":"test_user"}"#;
        let sig = sign(
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367553,
            body,
        )
        .unwrap();
        assert_eq!(sig, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=");
        let secrets = ["whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"];
        assert!(signature_matches(
            &secrets,
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367553,
            body,
            &format!("v1,bm9wZQ== {sig}")
        ));
        assert!(!signature_matches(
            &secrets,
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367554,
            body,
            &sig
        ));
        assert!(!signature_matches(
            &secrets,
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367553,
            b"{}",
            &sig
        ));
        assert!(!signature_matches(
            &secrets,
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367553,
            body,
            &sig.replace("v1,", "v2,")
        ));
    }

    fn record(i: usize) -> Record {
        Record {
            event_id: format!("evt-{i:06}"),
            terminal_time: "2026-11-22T08:00:00+09:00".into(),
            worker_code: format!("W{i:05}"),
            direction: "in".into(),
            method: "face".into(),
            result: "accepted".into(),
        }
    }

    #[test]
    fn v3_large_batches_are_split_under_the_message_limit_never_truncated() {
        let records: Vec<Record> = (0..1000).map(record).collect();
        let msgs = messages("trm_1", "mem_1", "site_1", &records);
        assert!(msgs.len() > 1);
        let mut seen = Vec::new();
        for m in &msgs {
            assert!(
                m.to_string().len() <= MAX_MESSAGE_BYTES,
                "{}",
                m.to_string().len()
            );
            seen.extend(Batch::parse(m).unwrap().records);
        }
        assert_eq!(seen, records);
    }

    #[test]
    fn v5_records_with_templates_or_images_are_refused() {
        let body = br#"{"records":[{"event_id":"e1","terminal_time":"2026-11-22T08:00:00+09:00","worker_code":"W1","direction":"in","method":"finger","result":"accepted","template":"AAAA"}]}"#;
        let p = parse_batch(body).unwrap_err();
        assert_eq!(p.errors[0].pointer, "#/records/0/template");
    }

    #[test]
    fn v3_schema_errors_point_at_each_record_field() {
        let body = br#"{"records":[{"event_id":"","terminal_time":"yesterday","worker_code":"W1","direction":"sideways","method":"finger","result":"accepted"}]}"#;
        let p = parse_batch(body).unwrap_err();
        let got: Vec<_> = p.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            got,
            [
                "#/records/0/event_id",
                "#/records/0/terminal_time",
                "#/records/0/direction"
            ]
        );
        assert_eq!(
            parse_batch(br#"{"records":[]}"#).unwrap_err().errors[0].pointer,
            "#/records"
        );
    }

    #[test]
    fn v8_attlog_lines_parse_in_kst_with_stable_event_ids() {
        let body = "1001\t2026-11-22 08:01:02\t0\t15\t0\t0\n1002\t2026-11-22 18:00:00\t1\t1\t0\t0\ngarbage\n";
        let r = parse_attlog("SN123", body);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].terminal_time, "2026-11-22T08:01:02+09:00");
        assert_eq!(
            (r[0].direction.as_str(), r[0].method.as_str()),
            ("in", "face")
        );
        assert_eq!(
            (r[1].direction.as_str(), r[1].method.as_str()),
            ("out", "finger")
        );
        assert_eq!(
            parse_attlog("SN123", body)[0].event_id,
            r[0].event_id,
            "a resent line is the same event"
        );
        assert_ne!(parse_attlog("SN999", body)[0].event_id, r[0].event_id);
        assert!(
            adms_options("SN123").contains("TransFlag=TransData AttLog\n"),
            "attendance only"
        );
    }

    #[test]
    fn v7_kst_day_of_a_terminal_time() {
        assert_eq!(
            kst_day("2026-11-21T23:30:00+00:00").as_deref(),
            Some("2026-11-22")
        );
        assert_eq!(
            kst_day("2026-11-22T08:00:00+09:00").as_deref(),
            Some("2026-11-22")
        );
    }

    #[test]
    fn v4_inserts_are_batched_under_100_parameters_and_idempotent() {
        let b = Batch {
            terminal_id: "t".into(),
            member_id: "m".into(),
            site_id: "s".into(),
            records: (0..20).map(record).collect(),
        };
        let stmts = insert_statements(&b, "2026-11-22T00:00:00Z");
        assert_eq!(stmts.len(), 3);
        assert!(stmts
            .iter()
            .all(|s| s.params.len() <= 100 && s.sql.ends_with("DO NOTHING")));
        assert_eq!(
            stmts.iter().map(|s| s.params.len()).sum::<usize>(),
            20 * INSERT_COLUMNS
        );
    }

    #[test]
    fn v4_dev_switches_do_not_exist_outside_local_development() {
        use crate::crypto::testkit::{keys, SeqRandom};
        let keys = keys();
        let rng = SeqRandom(std::cell::Cell::new(1));
        for (dev, status) in [(false, 404), (true, 200)] {
            let config = crate::runtime::Config {
                dev,
                ..Default::default()
            };
            let env = Env {
                now: chrono::Utc::now(),
                rng: &rng,
                keys: &keys,
                config: &config,
                client_ip: None,
            };
            let plan = SetDevSwitches.decide(
                vec![("consumer_fail_rate".into(), "1".into())],
                None,
                vec![],
                &env,
            );
            assert_eq!(
                plan.outcome.map(|o| o.0).unwrap_or_else(|p| p.status),
                status
            );
        }
    }

    #[test]
    fn shards_are_stable_and_spread() {
        assert_eq!(shard_of("mem_a", 4), shard_of("mem_a", 4));
        let used: std::collections::BTreeSet<_> =
            (0..64).map(|i| shard_of(&format!("mem_{i}"), 4)).collect();
        assert_eq!(used.len(), 4);
    }
}
