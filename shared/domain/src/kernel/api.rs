//! The API's description, built from Rust types: each function crate lists
//! its operations next to its routes (`domain::function!`), with the reply
//! types its use cases answer with (`reply!`) and the request bodies its
//! parser reads (`request!`); `document` turns them into the OpenAPI 3.1
//! document. Native builds only: nothing of this is in the wasm.
//!
//! Statuses an operation documents come from three places: its replies, the
//! problems it lists, and its caller (`Op::access`: 401 for a token, 403 for
//! roles narrower than every admin; an unsafe method through the engine
//! takes an `Idempotency-Key`, whose misuse answers 409 or 422).

pub use schemars;

use crate::kernel::engine::{Access, AdminRole};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value as Json};

/// Who may call an operation, as the document says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Auth {
    None,
    Signup,
    SignupOptional,
    Member,
    Admin,
    Maintenance,
}

enum Content {
    Json(fn(&mut SchemaGenerator) -> Schema),
    Raw(&'static str),
    /// A stored file of one of these types.
    Files(&'static [&'static str]),
}

struct Param {
    name: &'static str,
    place: &'static str,
    required: bool,
    description: &'static str,
    /// The values the code parses, when it parses a `TextEnum`.
    values: Option<fn() -> Vec<&'static str>>,
}

fn values_of<E: crate::kernel::reads::TextEnum>() -> Vec<&'static str> {
    E::ALL.iter().map(|v| v.as_str()).collect()
}

/// One operation (method and path) of the API.
pub struct Op {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    auth: Auth,
    idempotent: bool,
    params: Vec<Param>,
    body: Option<Content>,
    replies: Vec<(u16, Content)>,
    problems: Vec<u16>,
    /// A reply carries personal data (`reply!`'s `@personal`): documented
    /// as `x-personal-data`, and logged when staff get it (A3).
    personal: bool,
}

fn schema_of<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

impl Op {
    pub fn new(method: &'static str, path: &'static str) -> Op {
        Op {
            method,
            path,
            summary: "",
            auth: Auth::None,
            idempotent: false,
            params: vec![],
            body: None,
            replies: vec![],
            personal: false,
            problems: vec![],
        }
    }

    pub fn path(&self) -> &'static str {
        self.path
    }

    #[must_use]
    pub fn summary(mut self, s: &'static str) -> Op {
        self.summary = s;
        self
    }

    /// The use case's caller rule: its token's security scheme, 401 without
    /// one, 403 when only some admin roles may call; and, for an unsafe
    /// method, the `Idempotency-Key` the engine honours.
    #[must_use]
    pub fn access(mut self, access: Access) -> Op {
        self.auth = match access {
            Access::Public => Auth::None,
            Access::Signup => Auth::Signup,
            Access::SignupOptional => Auth::SignupOptional,
            Access::Member
            | Access::Administrator
            | Access::MemberOf(_)
            | Access::Matching
            | Access::MatchingOf(_)
            | Access::Own => Auth::Member,
            Access::Admin(_) => Auth::Admin,
        };
        if self.auth != Auth::None {
            self.problems.push(401);
        }
        if let Access::Admin(roles) = access {
            if roles.len() < AdminRole::ALL.len() {
                self.problems.push(403);
            }
        }
        // Another member kind, a partner in trial off the matching routes,
        // or a terminated member's read-only session on a route that
        // writes (R4).
        let writes = !matches!(self.method, "GET" | "HEAD" | "OPTIONS");
        if matches!(
            access,
            Access::Member | Access::Administrator | Access::MemberOf(_) | Access::MatchingOf(_)
        ) || (access == Access::Matching && writes)
        {
            self.problems.push(403);
        }
        // The engine keeps answers to repeat only for callers with a token.
        if self.auth != Auth::None && writes {
            self.idempotent = true;
        }
        self
    }

    /// The use case's caller rule (see `access`).
    #[must_use]
    pub fn of<U: crate::kernel::engine::UseCase>(self, uc: &U) -> Op {
        self.access(uc.access())
    }

    /// Called with the deployment's maintenance token (not a use case).
    #[must_use]
    pub fn maintenance(mut self) -> Op {
        self.auth = Auth::Maintenance;
        self.problems.push(401);
        self
    }

    #[must_use]
    pub fn query(mut self, name: &'static str, required: bool, description: &'static str) -> Op {
        self.params.push(Param {
            name,
            place: "query",
            required,
            description,
            values: None,
        });
        self
    }

    /// A query parameter the code parses as the text enum `E`: the document
    /// lists `E`'s values, so the two cannot drift.
    #[must_use]
    pub fn query_enum<E: crate::kernel::reads::TextEnum>(
        mut self,
        name: &'static str,
        required: bool,
        description: &'static str,
    ) -> Op {
        self.params.push(Param {
            name,
            place: "query",
            required,
            description,
            values: Some(values_of::<E>),
        });
        self
    }

    #[must_use]
    pub fn header(mut self, name: &'static str, description: &'static str) -> Op {
        self.params.push(Param {
            name,
            place: "header",
            required: true,
            description,
            values: None,
        });
        self
    }

    /// A JSON request body read as `T` describes (see `request!`).
    #[must_use]
    pub fn body<T: JsonSchema>(mut self) -> Op {
        self.body = Some(Content::Json(schema_of::<T>));
        self.problems.extend([413, 422]);
        self
    }

    /// A request body of another media type (bytes, device text).
    #[must_use]
    pub fn raw_body(mut self, content_type: &'static str) -> Op {
        self.body = Some(Content::Raw(content_type));
        self.problems.push(413);
        self
    }

    /// A JSON reply of this status, shaped as `T` (see `reply!`).
    #[must_use]
    pub fn reply<T: JsonSchema + crate::kernel::engine::Reply>(mut self, status: u16) -> Op {
        self.replies.push((status, Content::Json(schema_of::<T>)));
        self.personal |= T::PERSONAL;
        self
    }

    /// A plain-text reply (devices that speak text).
    #[must_use]
    pub fn text_reply(mut self, status: u16) -> Op {
        self.replies.push((status, Content::Raw("text/plain")));
        self
    }

    /// A stored file of one of these media types, as an attachment.
    #[must_use]
    pub fn file_reply(mut self, status: u16, media: &'static [&'static str]) -> Op {
        self.replies.push((status, Content::Files(media)));
        self
    }

    /// Problem documents (RFC 9457) of these statuses.
    #[must_use]
    pub fn problems(mut self, statuses: &[u16]) -> Op {
        self.problems.extend_from_slice(statuses);
        self
    }

    fn operation_id(&self) -> String {
        let mut id = self.method.to_ascii_lowercase();
        for word in self.path.split(['/', '-', '.', '{', '}']) {
            let mut c = word.chars();
            if let Some(first) = c.next() {
                id.push(first.to_ascii_uppercase());
                id.extend(c);
            }
        }
        id
    }

    fn to_json(&self, g: &mut SchemaGenerator) -> Json {
        let mut params = vec![];
        if self.idempotent {
            params.push(json!({ "$ref": "#/components/parameters/IdempotencyKey" }));
        }
        params.push(json!({ "$ref": "#/components/parameters/AcceptLanguage" }));
        for seg in self.path.split('/') {
            if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                params.push(json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }));
            }
        }
        for p in &self.params {
            let schema = match p.values {
                Some(values) => json!({ "type": "string", "enum": values() }),
                None => json!({ "type": "string" }),
            };
            params.push(json!({
                "name": p.name, "in": p.place, "required": p.required,
                "description": p.description, "schema": schema,
            }));
        }
        let mut op = json!({
            "operationId": self.operation_id(),
            "summary": self.summary,
            "parameters": params,
        });
        let security = match self.auth {
            Auth::None => None,
            Auth::Signup => Some(json!([{ "signupToken": [] }])),
            Auth::SignupOptional => Some(json!([{}, { "signupToken": [] }])),
            Auth::Member => Some(json!([{ "memberSession": [] }])),
            Auth::Admin => Some(json!([{ "adminSession": [] }])),
            Auth::Maintenance => Some(json!([{ "maintenanceToken": [] }])),
        };
        if let Some(s) = security {
            op["security"] = s;
        }
        if self.personal {
            op["x-personal-data"] = json!(true);
        }
        if let Some(body) = &self.body {
            op["requestBody"] = json!({ "required": true, "content": content(body, g) });
        }
        let mut responses = Map::new();
        for (status, c) in &self.replies {
            responses.insert(
                status.to_string(),
                json!({ "description": reason(*status), "content": content(c, g) }),
            );
        }
        let mut problems = self.problems.clone();
        if self.idempotent {
            problems.extend([409, 422]);
        }
        // Any operation of a deployment without its notice settings.
        problems.push(503);
        for status in problems {
            responses
                .entry(status.to_string())
                .or_insert_with(|| json!({ "$ref": "#/components/responses/Problem" }));
        }
        let mut sorted: Vec<_> = responses.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        op["responses"] = Json::Object(sorted.into_iter().collect());
        op
    }
}

fn content(c: &Content, g: &mut SchemaGenerator) -> Json {
    match c {
        Content::Json(schema) => json!({ "application/json": { "schema": schema(g) } }),
        Content::Raw(media) => {
            let schema = if media.starts_with("text/") {
                json!({ "type": "string" })
            } else {
                json!({ "type": "string", "format": "binary" })
            };
            json!({ *media: { "schema": schema } })
        }
        Content::Files(media) => Json::Object(
            media
                .iter()
                .map(|m| {
                    // A JSON file (a privacy export) is a JSON document
                    // whatever its disposition; other files are bytes.
                    let schema = if *m == "application/json" {
                        json!({ "type": "object" })
                    } else {
                        json!({ "type": "string", "format": "binary" })
                    };
                    ((*m).to_owned(), json!({ "schema": schema }))
                })
                .collect(),
        ),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        _ => "Success",
    }
}

/// The OpenAPI 3.1 document of these operations.
pub fn document(ops: impl IntoIterator<Item = Op>) -> Json {
    let mut g = schemars::generate::SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    let mut paths = Map::new();
    for op in ops {
        let item = paths
            .entry(op.path.to_owned())
            .or_insert_with(|| Json::Object(Map::new()));
        item[op.method.to_ascii_lowercase()] = op.to_json(&mut g);
    }
    let mut schemas = g.take_definitions(true);
    schemas.insert("Problem".into(), problem_schema());
    let mut sorted: Vec<_> = schemas.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Member platform API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Generated from the Rust reply and request types (`cargo run -p catalog --bin openapi`); do not edit by hand. Errors are RFC 9457 problem documents in Korean or English (Accept-Language).",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "signupToken": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT (typ signup+jwt, 24 h)" },
                "memberSession": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT (typ member-session+jwt, 30 min)" },
                "adminSession": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT (typ admin-session+jwt, 30 min)" },
                "maintenanceToken": { "type": "http", "scheme": "bearer", "description": "The deployment's MAINTENANCE_TOKEN secret" },
            },
            "parameters": {
                "IdempotencyKey": {
                    "name": "Idempotency-Key", "in": "header", "required": false,
                    "description": format!("Unsafe methods of callers with a token only (an anonymous caller's key is not used), scoped to the caller. A repeat after completion returns the stored response (kept {} hours); a repeat while running: 409; the same key with another payload: 422.", crate::kernel::idempotency::TTL_HOURS),
                    "schema": { "type": "string", "minLength": 1, "maxLength": 255 },
                },
                "AcceptLanguage": {
                    "name": "Accept-Language", "in": "header", "required": false,
                    "description": "ko (default) or en", "schema": { "type": "string" },
                },
            },
            "responses": {
                "Problem": {
                    "description": "RFC 9457 problem document",
                    "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } },
                },
            },
            "schemas": Json::Object(sorted.into_iter().collect()),
        },
    })
}

/// RFC 9457 problem document as `kernel::problem` writes it; a use case may
/// add extension members (a member's state, counts, limits).
fn problem_schema() -> Json {
    json!({
        "type": "object",
        "required": ["type", "title", "status", "detail", "instance"],
        "properties": {
            "type": { "type": "string", "format": "uri" },
            "title": { "type": "string" },
            "status": { "type": "integer", "minimum": 400, "maximum": 599 },
            "detail": { "type": "string" },
            "instance": { "type": "string" },
            "errors": {
                "type": "array",
                "maxItems": crate::kernel::problem::MAX_FIELD_ERRORS,
                "items": {
                    "type": "object",
                    "required": ["pointer", "detail", "code"],
                    "properties": {
                        "pointer": { "type": "string", "description": "JSON pointer to the field, `#/` for the whole body" },
                        "detail": { "type": "string" },
                        "code": { "type": "string", "description": "stable message key" },
                    },
                },
            },
            "errors_omitted": { "type": "integer", "minimum": 1, "description": "field errors beyond the first 50" },
        },
    })
}
