//! Every function crate with its routes. The Worker mounts these; `spin.toml`
//! has one component per entry; the OpenAPI document lists every route.

use domain::kernel::engine::Handler;
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::body_too_large;
use domain::kernel::routing::{colon_pattern, refusal, Found, Routes};
use std::sync::OnceLock;

pub struct Function {
    /// The crate's name, which is also its Spin component id.
    pub name: &'static str,
    pub routes: &'static [(&'static str, &'static str)],
    pub handler: Handler,
    /// The largest request body its routes read.
    pub body_limit: usize,
}

include!(concat!(env!("OUT_DIR"), "/functions.rs"));

/// What each Worker binds (least privilege): its database `DB`, the
/// attendance shards `ATT_SHARD_n` where attendance is stored or moved,
/// `DOCS` where documents are kept, the queues it sends to. The wrangler
/// configs bind exactly these (a test reads them), and a Worker reads only
/// these: `edge-members` (pages, signup, auth; the devices' accept path),
/// `edge-jobs` (the notices' and jobs' consumer and the sweep, which move
/// attendance between shards, erase it and write access copies: no
/// attendance queue), `edge-devices` (attendance views, dead
/// letters, jobs: no documents), `edge-market` (matching and contracts: no
/// shards, documents or attendance queue), `edge-privacy` (the privacy
/// desk: access copies are read from the bucket) and `edge-office` (the
/// staff's back office with members' documents, the signup's documents
/// step), `edge-disputes` (the disputes: their evidence files and filing
/// packs in the bucket), `edge-billing` (billing: no documents, shards or
/// attendance queue). Only `edge-members` (whose routes write notices) and `edge-jobs`
/// (which delivers them) are given the notice providers' keys
/// (scripts/worker-config.sh).
pub const BINDINGS: &[(&str, &[&str])] = &[
    (
        "members",
        &["DB", "ATT_SHARD_", "DOCS", "EVENTS", "ATTENDANCE"],
    ),
    ("devices", &["DB", "ATT_SHARD_", "EVENTS", "ATTENDANCE"]),
    ("market", &["DB", "EVENTS"]),
    ("privacy", &["DB", "DOCS", "EVENTS"]),
    ("office", &["DB", "DOCS", "EVENTS"]),
    ("jobs", &["DB", "ATT_SHARD_", "DOCS", "EVENTS"]),
    ("disputes", &["DB", "DOCS", "EVENTS"]),
    ("billing", &["DB", "EVENTS"]),
];

/// This build's Worker group (`members` when built for none: the native
/// tests and Spin, which bind everything).
pub const GROUP: &str = if cfg!(feature = "worker-devices") {
    "devices"
} else if cfg!(feature = "worker-market") {
    "market"
} else if cfg!(feature = "worker-privacy") {
    "privacy"
} else if cfg!(feature = "worker-office") {
    "office"
} else if cfg!(feature = "worker-jobs") {
    "jobs"
} else if cfg!(feature = "worker-disputes") {
    "disputes"
} else if cfg!(feature = "worker-billing") {
    "billing"
} else {
    "members"
};

/// Does this build's Worker bind `name` (`ATT_SHARD_` for the shards)?
pub fn binds(name: &str) -> bool {
    BINDINGS
        .iter()
        .find(|(g, _)| *g == GROUP)
        .is_some_and(|(_, b)| b.contains(&name))
}

/// Every route of every function, matched with path parameters.
pub fn routes() -> &'static Routes<(Handler, usize)> {
    static ROUTES: OnceLock<Routes<(Handler, usize)>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        Routes::new(FUNCTIONS.iter().flat_map(|f| {
            f.routes
                .iter()
                .map(move |(m, p)| (*m, *p, (f.handler, f.body_limit)))
        }))
    })
}

/// Every route another Worker serves, with the binding that reaches it
/// (empty unless built for one Worker).
pub fn elsewhere() -> &'static Routes<&'static str> {
    static ROUTES: OnceLock<Routes<&'static str>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        Routes::new(
            ELSEWHERE
                .iter()
                .flat_map(|(binding, routes)| routes.iter().map(|(m, p)| (*m, *p, *binding))),
        )
    })
}

/// The service binding of the Worker that serves `method` `path`, when that
/// is another Worker than this one (the request is forwarded unread, before
/// its head is read).
pub fn served_elsewhere(method: &str, path: &str) -> Option<&'static str> {
    match elsewhere().find(method, path) {
        Found::Handler(binding, _) => Some(binding),
        // Another method of another Worker's path: that Worker answers 405.
        Found::MethodNotAllowed(allowed) => {
            match allowed.first().map(|m| elsewhere().find(m, path)) {
                Some(Found::Handler(binding, _)) => Some(binding),
                _ => None,
            }
        }
        Found::NotFound => None,
    }
}

/// The handler for a request and the largest body it reads, or the
/// router's refusal (404, 405 with `Allow`, 413 for a declared length over
/// the limit); sets the request's path parameters. Runs before the body is
/// read: an unknown path or an oversized body is refused unread.
pub fn route(req: &mut Request) -> Result<(Handler, usize), Response> {
    match routes().find(&req.method, &req.path) {
        Found::Handler((h, limit), params) => {
            req.params = params;
            match body_too_large(req, limit) {
                Some(refused) => Err(refused),
                None => Ok((h, limit)),
            }
        }
        Found::MethodNotAllowed(allowed) => Err(refusal(req, &allowed)),
        Found::NotFound => Err(refusal(req, &[])),
    }
}

/// Spin's manifest (`spin.toml`): one component per function on its routes
/// (`{id}` written `:id`), the catch-all `/...` on `meta` so other paths get
/// a 404 problem document as on Workers. `cargo run -p catalog --bin
/// spin-manifest` writes it; a test fails when the file is stale.
pub fn spin_manifest() -> String {
    let mut out = String::from(SPIN_HEAD);
    for f in FUNCTIONS {
        let mut paths: Vec<&str> = Vec::new();
        for (_, p) in f.routes {
            if !paths.contains(p) {
                paths.push(p);
            }
        }
        if f.name == "meta" {
            paths.push("/...");
        }
        for p in paths {
            out.push_str(&format!(
                "[[trigger.http]]\nroute = \"{}\"\ncomponent = \"{}\"\n\n",
                colon_pattern(p),
                f.name
            ));
        }
    }
    // The web pages: the `web` component serves web/dist, mounted read-only.
    for p in PAGE_ROUTES {
        out.push_str(&format!(
            "[[trigger.http]]\nroute = \"{p}\"\ncomponent = \"web\"\n\n"
        ));
    }
    out.push_str("[component.web]\nsource = \"target/wasm32-wasip2/release/web.wasm\"\nfiles = [{ source = \"web/dist\", destination = \"/\" }]\nallowed_outbound_hosts = []\n[component.web.build]\ncommand = \"bash scripts/build-web.sh && cargo build --release --target wasm32-wasip2 -p web\"\nwatch = [\"web/src/**/*\", \"web/public/**/*\", \"functions/web/src/**/*.rs\"]\n\n");
    for f in FUNCTIONS {
        let n = f.name;
        // Documents live in Spin's key-value store: written by the upload,
        // read by the staff download, deleted by the destruction job that
        // the maintenance drain runs (R2); so do access copies (P4),
        // written by the export job (the drain) and read by their download,
        // and a dispute's evidence files and filing pack (D1, D3).
        let kv = if matches!(
            n,
            "signup-documents"
                | "admin-members"
                | "maintenance"
                | "privacy-export"
                | "dispute-attachment"
                | "dispute-refer"
                | "dispute-pack"
        ) {
            "\nkey_value_stores = [\"default\"]"
        } else {
            ""
        };
        // Only the maintenance component (the table-queue drain) delivers
        // notices: it alone gets the provider settings and may reach them.
        let notices = n == "maintenance";
        let outbound = if notices {
            "[\"{{ ncp_sms_origin }}\", \"{{ ncp_mail_origin }}\"]"
        } else {
            "[]"
        };
        out.push_str(&format!("[component.{n}]\nsource = \"target/wasm32-wasip2/release/{}.wasm\"\nsqlite_databases = [\"default\"]{kv}\nallowed_outbound_hosts = {outbound}\n[component.{n}.variables]\n", n.replace('-', "_")));
        let extra: &[&str] = if notices { NOTICE_VARIABLES } else { &[] };
        for v in SPIN_VARIABLES.iter().chain(extra) {
            out.push_str(&format!("{v} = \"{{{{ {v} }}}}\"\n"));
        }
        out.push_str(&format!("[component.{n}.build]\ncommand = \"cargo build --release --target wasm32-wasip2 -p {n}\"\nwatch = [\"functions/{n}/src/**/*.rs\", \"shared/**/*.rs\"]\n\n"));
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The OpenAPI document: every function's operations, dev-only routes
/// (`/__dev/*`) left out. `cargo run -p catalog --bin openapi` writes it to
/// `functions/meta/openapi.json` (which `GET /openapi.json` serves); a test
/// fails when that file is stale.
#[cfg(not(target_family = "wasm"))]
pub fn openapi() -> String {
    let ops = OPERATIONS
        .iter()
        .flat_map(|f| f())
        .filter(|op| !op.path().starts_with("/__dev/"));
    let mut s = serde_json::to_string_pretty(&domain::kernel::api::document(ops))
        .expect("a JSON value serialises");
    s.push('\n');
    s
}

/// The web pages' routes on Spin (the `web` component, `functions/web`),
/// the OpenAPI document among them; on Workers the same files are static
/// assets.
pub const PAGE_ROUTES: &[&str] = &[
    "/",
    "/app/...",
    "/staff/...",
    "/assets/...",
    "/openapi.json",
];

/// The variables every component reads (secrets and settings).
const SPIN_VARIABLES: &[&str] = &[
    "data_key",
    "index_key",
    "jwt_key",
    "admin_bootstrap_token",
    "dev_mode",
    "maintenance_token",
    "client_address_header",
    "signup_applications_per_hour",
    "signup_contact_saves_per_hour",
    "webhook_batches_per_minute",
    "adms_requests_per_minute",
    "adms_uploads_per_minute",
    "support_contact",
    "pages_origin",
];

/// The notice providers' settings (`kernel::notify`), for the component
/// that delivers notices.
const NOTICE_VARIABLES: &[&str] = &[
    "ncp_access_key",
    "ncp_secret_key",
    "sens_service_id",
    "sms_sender",
    "mail_sender",
    "ncp_sms_origin",
    "ncp_mail_origin",
];

const SPIN_HEAD: &str = r#"# Fermyon Spin manifest: one component per function crate, each on its
# routes. Generated from the function catalog (functions/catalog:
# `cargo run -p catalog --bin spin-manifest`); a test fails when it is stale.
# Build: `spin build` (or scripts/build-spin.sh); run with a real Spin on a
# fresh database, every migration in the folder's order (the shell lists
# them, so the command never misses one):
#   spin up $(printf -- '--sqlite @%s ' migrations/*.sql)
# (see README "Spin").
spin_manifest_version = 2

[application]
name = "member-platform"
version = "0.1.0"
description = "Korean B2B member platform: signup, review, membership, attendance (edge functions)."

[variables]
data_key = { required = true, secret = true }
index_key = { required = true, secret = true }
jwt_key = { required = true, secret = true }
admin_bootstrap_token = { default = "", secret = true }
dev_mode = { default = "false" }
maintenance_token = { default = "", secret = true }
# Behind a proxy: the header it sets with the client's address (its last
# entry is taken), e.g. "x-forwarded-for". Empty: the connection's peer.
client_address_header = { default = "" }
# Rate limits (rule A6); empty: the defaults (20 new applications per
# address an hour, 10 contact saves per application an hour).
signup_applications_per_hour = { default = "" }
signup_contact_saves_per_hour = { default = "" }
# Signed batches per terminal a minute (rule A6); empty: 600.
webhook_batches_per_minute = { default = "" }
# ADMS requests per source address a minute, ATTLOG uploads per serial and
# address a minute (rule A6); empty: 600 and 120.
adms_requests_per_minute = { default = "" }
adms_uploads_per_minute = { default = "" }
# Where members ask for terminals and help connecting them (an e-mail
# address or a phone number), shown on the sites page; empty: not shown.
support_contact = { default = "help@member-platform.kr" }
# The member pages' origin, where links in notices lead.
pages_origin = { default = "https://member-platform.kr" }
# Notices: SMS through NAVER Cloud SENS, e-mail through NAVER Cloud Outbound
# Mailer (README "Notices"). Not required: a missing provider key must not
# stop attendance (the maintenance component that delivers notices also
# drains the attendance queue); until they are set, notices wait in the
# outbox, undelivered and never given up. Local runs point the origins at
# the recording receiver.
ncp_access_key = { default = "", secret = true }
ncp_secret_key = { default = "", secret = true }
sens_service_id = { default = "" }
sms_sender = { default = "" }
mail_sender = { default = "" }
ncp_sms_origin = { default = "https://sens.apigw.ntruss.com" }
ncp_mail_origin = { default = "https://mail.apigw.ntruss.com" }

"#;

#[cfg(test)]
mod tests {
    /// Least privilege (issue 21): each Worker's wrangler config binds the
    /// databases, bucket and queue producers `BINDINGS` lists, and no more.
    #[test]
    fn each_worker_binds_only_what_its_group_uses() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for (group, wanted) in super::BINDINGS {
            let file = if *group == "members" {
                "wrangler.toml".to_owned()
            } else {
                format!("wrangler.{group}.toml")
            };
            let text = std::fs::read_to_string(root.join(&file)).expect("config");
            let mut bound: Vec<String> = Vec::new();
            let mut section = String::new();
            for line in text.lines().map(str::trim) {
                if line.starts_with('[') {
                    section = line.to_owned();
                }
                let Some(v) = line.strip_prefix("binding = ") else {
                    continue;
                };
                if section == "[[services]]" {
                    continue;
                }
                let name = v.trim_matches('"');
                let name = if name.starts_with("ATT_SHARD_") {
                    "ATT_SHARD_"
                } else {
                    name
                };
                if !bound.iter().any(|b| b == name) {
                    bound.push(name.to_owned());
                }
            }
            bound.sort();
            let mut want: Vec<String> = wanted.iter().map(|w| (*w).to_owned()).collect();
            want.sort();
            assert_eq!(bound, want, "{file}");
        }
    }

    /// The groups the scripts build, run and measure (scripts/groups.sh:
    /// wrangler.toml and each wrangler.GROUP.toml) are the groups here,
    /// each with its functions' feature.
    #[test]
    fn the_scripts_groups_are_the_catalogs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files: Vec<String> = std::fs::read_dir(&root)
            .expect("root")
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter_map(|n| {
                n.strip_prefix("wrangler.")
                    .and_then(|g| g.strip_suffix(".toml"))
                    .map(|g| {
                        if g.is_empty() {
                            "members".to_owned()
                        } else {
                            g.to_owned()
                        }
                    })
            })
            .collect();
        if root.join("wrangler.toml").exists() {
            files.push("members".to_owned());
        }
        files.sort();
        files.dedup();
        let mut groups: Vec<String> = super::BINDINGS
            .iter()
            .map(|(g, _)| (*g).to_owned())
            .collect();
        groups.sort();
        assert_eq!(files, groups);
        let manifest =
            std::fs::read_to_string(root.join("functions/catalog/Cargo.toml")).expect("manifest");
        for g in &groups {
            assert!(
                manifest.contains(&format!("worker-{g} = []")),
                "feature worker-{g}"
            );
        }
    }

    #[test]
    fn openapi_json_is_generated_from_the_types() {
        assert!(
            meta::OPENAPI == super::openapi(),
            "functions/meta/openapi.json is stale: run `cargo run -p catalog --bin openapi`"
        );
    }

    /// Field names that carry a person's data or what a person wrote.
    const PERSONAL_FIELDS: &[&str] = &[
        "contact_name",
        "mobile",
        "email",
        "representative_name",
        "address",
        "details",
        "text",
        "description",
        "reason",
        "answer",
        "body",
        "data",
        "services",
        "delay_reason",
        "legal_basis",
        "decision_reason",
        "suspension_reason",
        "termination_reason",
        "ip",
        "proxy",
        "portfolio_text",
        "title",
        "scope",
        "location",
        "login_id",
    ];

    /// Staff replies with such a field that carry nobody's personal data.
    const NOT_PERSONAL_REPLIES: &[(&str, &str, &str)] = &[
        (
            "get",
            "/admin/admins",
            "staff's own accounts (login IDs of staff), not a data subject's",
        ),
        (
            "get",
            "/admin/reports",
            "`body` is counts, days and staff ids",
        ),
    ];

    /// Every property name of `schema`, following `$ref`s.
    fn fields(
        schema: &serde_json::Value,
        all: &serde_json::Map<String, serde_json::Value>,
        seen: &mut Vec<String>,
        out: &mut Vec<String>,
    ) {
        if let Some(name) = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
            if !seen.iter().any(|s| s == name) {
                seen.push(name.to_owned());
                fields(&all[name], all, seen, out);
            }
            return;
        }
        if let Some(props) = schema["properties"].as_object() {
            for (k, v) in props {
                out.push(k.clone());
                fields(v, all, seen, out);
            }
        }
        for k in ["items", "additionalProperties"] {
            if schema[k].is_object() {
                fields(&schema[k], all, seen, out);
            }
        }
        for k in ["allOf", "anyOf", "oneOf"] {
            for s in schema[k].as_array().into_iter().flatten() {
                fields(s, all, seen, out);
            }
        }
    }

    /// rule A3: every reply to staff with a field that holds personal data
    /// (or what a person wrote) is declared `@personal`, so the engine
    /// answers it only with its subjects in the access log (it refuses a
    /// use case that declared none: `commit`).
    #[test]
    fn a3_every_staff_reply_with_personal_data_is_declared_personal() {
        let doc: serde_json::Value = serde_json::from_str(&super::openapi()).expect("json");
        let all = doc["components"]["schemas"]
            .as_object()
            .expect("schemas")
            .clone();
        let mut unmarked = Vec::new();
        for (path, ops) in doc["paths"].as_object().expect("paths") {
            for (method, op) in ops.as_object().expect("ops") {
                if !op["security"].to_string().contains("adminSession") {
                    continue;
                }
                let mut found = Vec::new();
                for (status, r) in op["responses"].as_object().expect("responses") {
                    if status.starts_with('2') {
                        for c in r["content"]
                            .as_object()
                            .into_iter()
                            .flat_map(|c| c.values())
                        {
                            fields(&c["schema"], &all, &mut Vec::new(), &mut found);
                        }
                    }
                }
                let personal: Vec<&String> = found
                    .iter()
                    .filter(|f| PERSONAL_FIELDS.contains(&f.as_str()))
                    .collect();
                let exempt = NOT_PERSONAL_REPLIES
                    .iter()
                    .any(|(m, p, _)| m == method && p == path);
                if !personal.is_empty() && !exempt && op["x-personal-data"] != true {
                    unmarked.push(format!("{method} {path} {personal:?}"));
                }
            }
        }
        assert!(
            unmarked.is_empty(),
            "staff replies with personal fields not declared @personal: {unmarked:#?}"
        );
        assert!(doc.to_string().contains("\"x-personal-data\":true"));
    }

    #[test]
    fn spin_toml_is_generated_from_the_catalog() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spin.toml");
        let on_disk = std::fs::read_to_string(path).expect("spin.toml");
        assert!(
            on_disk == super::spin_manifest(),
            "spin.toml is stale: run `cargo run -p catalog --bin spin-manifest`"
        );
    }
}
