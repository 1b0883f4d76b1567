//! Login and logout (rules A1, A5, A6) for member users and admins.

use crate::common::Limit;
use crate::crypto::{hash_password, new_id, verify_password, DUMMY_HASH};
use crate::ports::{Stmt, StmtResult};
use crate::problem::Problem;
use crate::runtime::{Auth, Env, Plan, Principal, UseCase};
use crate::stmt;
use crate::tokens::{self, TokenKind};
use crate::types::{LoginId, Password};
use serde_json::json;

/// Failed sign-ins per login ID per 15 minutes (rule A6).
pub const LOGIN_PER_ID: Limit = Limit {
    prefix: "login-id",
    window_secs: 900,
    max: 5,
};
/// Failed sign-ins per client address per 15 minutes (rule A6).
pub const LOGIN_PER_IP: Limit = Limit {
    prefix: "login-ip",
    window_secs: 900,
    max: 30,
};

#[derive(Debug, Clone)]
pub struct LoginInput {
    /// The ID as typed: an unknown or malformed ID fails like a wrong password.
    pub login_id: String,
    pub password: String,
}

/// `POST /auth/login` (members) and `POST /admin/login` (admins).
pub struct Login {
    pub realm: TokenKind,
}

impl Login {
    fn ip_key<'a>(env: &'a Env) -> &'a str {
        env.client_ip.unwrap_or("unknown")
    }
}

impl UseCase for Login {
    type Input = LoginInput;
    const NAME: &'static str = "auth.login";
    const AUTH: Auth = Auth::None;

    fn reads(&self, input: &LoginInput, _: Option<&Principal>, env: &Env) -> Vec<Stmt> {
        let account = match self.realm {
            TokenKind::Admin => stmt!(
                "SELECT id, password_hash, role, 'active' AS status FROM admins WHERE login_id = ?",
                input.login_id.as_str()
            ),
            _ => stmt!(
                "SELECT id, password_hash, '' AS role, status FROM members WHERE login_id = ?",
                input.login_id.as_str()
            ),
        };
        let realm = if self.realm == TokenKind::Admin {
            "admin:"
        } else {
            "member:"
        };
        vec![
            account,
            LOGIN_PER_ID.read(&format!("{realm}{}", input.login_id)),
            LOGIN_PER_IP.read(Self::ip_key(env)),
        ]
    }

    fn decide(
        &self,
        input: LoginInput,
        _: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let realm = if self.realm == TokenKind::Admin {
            "admin:"
        } else {
            "member:"
        };
        let id_key = format!("{realm}{}", input.login_id);
        for (limit, r) in [(&LOGIN_PER_ID, &rows[1]), (&LOGIN_PER_IP, &rows[2])] {
            if let Err(wait) = limit.check(r, env.now) {
                return Plan::fail(Problem::rate_limited("detail.login_rate_limited", wait));
            }
        }
        let account = rows[0].first();
        let hash = account
            .and_then(|a| a.text("password_hash"))
            .unwrap_or(DUMMY_HASH);
        // Always verify (against a dummy for unknown IDs): equal timing.
        let ok = verify_password(hash, &input.password) && account.is_some();
        if !ok {
            return Plan::fail_with(
                Problem::unauthorized("detail.login_failed"),
                vec![
                    LOGIN_PER_ID.hit(&id_key, env.now),
                    LOGIN_PER_IP.hit(Self::ip_key(env), env.now),
                ],
            );
        }
        let account = account.expect("checked above");
        if account.text("status") != Some("active") {
            return Plan::fail(
                Problem::forbidden("detail.not_active")
                    .with("status", json!(account.text("status"))),
            );
        }
        let subject = account.text("id").unwrap_or("");
        let role = account.text("role").unwrap_or("");
        let jti = new_id(env.rng, "ses");
        let token = tokens::issue(env.keys, self.realm, subject, &jti, role, env.now);
        let expires = env.now
            + chrono::Duration::seconds(i64::try_from(self.realm.lifetime_secs()).unwrap_or(1800));
        Plan::ok(
            200,
            json!({ "token": token, "token_type": "Bearer", "expires_in": self.realm.lifetime_secs(), "role": if role.is_empty() { None } else { Some(role) } }),
            vec![
                stmt!(
                    "INSERT INTO sessions (jti, principal_kind, principal_id, expires_at) VALUES (?, ?, ?, ?)",
                    jti.as_str(),
                    realm.trim_end_matches(':'),
                    subject,
                    expires.to_rfc3339()
                ),
                LOGIN_PER_ID.clear(&id_key),
            ],
        )
    }
}

/// `POST /auth/logout` (`Logout::<false>`) and `POST /admin/logout`
/// (`Logout::<true>`): revokes the session (rule A5).
pub struct Logout<const ADMIN: bool>;

impl<const ADMIN: bool> UseCase for Logout<ADMIN> {
    type Input = ();
    const NAME: &'static str = "auth.logout";
    const AUTH: Auth = Auth::Required(if ADMIN {
        TokenKind::Admin
    } else {
        TokenKind::Member
    });

    fn reads(&self, _: &(), _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![]
    }

    fn decide(&self, _: (), who: Option<&Principal>, _: Vec<StmtResult>, env: &Env) -> Plan {
        let jti = who.map_or("", |w| w.jti.as_str());
        Plan::ok(
            200,
            json!({ "signed_out": true }),
            vec![stmt!(
                "UPDATE sessions SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL",
                env.now.to_rfc3339(),
                jti
            )],
        )
    }
}

/// `GET /auth/me`: the signed-in member user's own profile, decrypted.
pub struct Me;

impl UseCase for Me {
    type Input = ();
    const NAME: &'static str = "auth.me";
    const AUTH: Auth = Auth::Required(TokenKind::Member);

    fn reads(&self, _: &(), who: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![crate::common::read_member(
            who.map_or("", |w| w.id.as_str()),
        )]
    }

    fn decide(&self, _: (), _: Option<&Principal>, rows: Vec<StmtResult>, env: &Env) -> Plan {
        let Some(m) = rows[0].first() else {
            return Plan::fail(Problem::unauthorized("detail.session_invalid"));
        };
        let open = |c: &str| m.text(c).and_then(|v| env.keys.open(v).ok());
        // Asked by the sweep since the last update (rule S8).
        let stale = m
            .text("update_requested_at")
            .is_some_and(|asked| Some(asked) > m.text("capability_updated_at"));
        Plan::ok(
            200,
            json!({
                "member_id": m.text("id"),
                "kind": m.text("kind"),
                "status": m.text("status"),
                "login_id": m.text("login_id"),
                "contact_name": open("contact_name_enc"),
                "mobile": open("phone_enc"),
                "email": open("email_enc"),
                "company_name": m.text("company_name"),
                "capability_update_requested": stale,
            }),
            vec![],
        )
    }
}

/// `POST /admin/bootstrap`: creates the first `owner` admin when none exists,
/// given the deployment's bootstrap token (see README).
#[derive(Debug, Clone)]
pub struct BootstrapInput {
    pub token: String,
    pub login_id: LoginId,
    pub password: Password,
}

pub struct Bootstrap;

impl UseCase for Bootstrap {
    type Input = BootstrapInput;
    const NAME: &'static str = "admin.bootstrap";
    const AUTH: Auth = Auth::None;

    fn reads(&self, _: &BootstrapInput, _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![stmt!(
            "SELECT COUNT(*) AS n FROM admins WHERE role = 'owner'"
        )]
    }

    fn decide(
        &self,
        input: BootstrapInput,
        _: Option<&Principal>,
        rows: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let expected = env.keys.bootstrap_token.as_deref().unwrap_or("");
        if expected.is_empty()
            || !crate::crypto::constant_time_eq(expected.as_bytes(), input.token.as_bytes())
        {
            return Plan::fail(Problem::forbidden("detail.bootstrap_token"));
        }
        if rows[0].first().and_then(|r| r.int("n")).unwrap_or(0) > 0 {
            return Plan::fail(Problem::conflict("detail.owner_exists"));
        }
        let id = new_id(env.rng, "adm");
        Plan::ok(
            201,
            json!({ "admin_id": id, "role": "owner" }),
            vec![
                stmt!(
                    "INSERT INTO admins (id, login_id, password_hash, role, created_at) SELECT ?, ?, ?, 'owner', ?
                     WHERE NOT EXISTS (SELECT 1 FROM admins WHERE role = 'owner')",
                    id.as_str(),
                    input.login_id.as_ref(),
                    hash_password(env.rng, input.password.expose()),
                    env.now.to_rfc3339()
                ),
                crate::runtime::guard_one_change(),
                crate::common::audit(env, "system", "admin.bootstrap", &id, "owner"),
            ],
        )
        .conflict_means(Problem::conflict("detail.owner_exists"))
    }
}

pub const ADMIN_ROLES: &[&str] = &[
    "reviewer",
    "mediator",
    "privacy_officer",
    "billing",
    "auditor",
    "owner",
];

#[derive(Debug, Clone)]
pub struct NewAdminInput {
    pub login_id: LoginId,
    pub password: Password,
    pub role: String,
}

/// `POST /admin/admins`: an owner adds staff with a role (SPEC Actors, rule A4).
pub struct CreateAdmin;

impl UseCase for CreateAdmin {
    type Input = NewAdminInput;
    const NAME: &'static str = "admin.create_admin";
    const AUTH: Auth = Auth::Required(TokenKind::Admin);

    fn reads(&self, _: &NewAdminInput, _: Option<&Principal>, _: &Env) -> Vec<Stmt> {
        vec![]
    }

    fn decide(
        &self,
        input: NewAdminInput,
        who: Option<&Principal>,
        _: Vec<StmtResult>,
        env: &Env,
    ) -> Plan {
        let Some(owner) = who.filter(|w| w.role == "owner") else {
            return Plan::fail(Problem::forbidden("detail.forbidden_role"));
        };
        let id = new_id(env.rng, "adm");
        Plan::ok(
            201,
            json!({ "admin_id": id, "role": input.role }),
            vec![
                stmt!(
                    "INSERT INTO admins (id, login_id, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)",
                    id.as_str(),
                    input.login_id.as_ref(),
                    hash_password(env.rng, input.password.expose()),
                    input.role.as_str(),
                    env.now.to_rfc3339()
                ),
                crate::common::audit(env, &owner.id, "admin.create", &id, &input.role),
            ],
        )
        .conflict_means(
            Problem::new(409, "login-id-taken", "title.conflict", "detail.login_id_taken")
                .with("errors", json!([{"pointer": "#/login_id", "code": "detail.login_id_taken"}])),
        )
    }
}
