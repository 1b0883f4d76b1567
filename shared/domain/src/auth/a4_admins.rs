//! Rule A4: staff accounts with one role each (SPEC Actors); the first
//! owner from the deployment's bootstrap token, later staff by an owner;
//! every admin action audited.

use crate::kernel::audit::audit;
use crate::kernel::crypto::{constant_time_eq, hash_password, new_id};
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::kernel::types::{LoginId, Password};
use crate::{read, read_set, row, stmt, use_case};

/// `POST /admin/bootstrap`: creates the first `owner` admin when none exists,
/// given the deployment's bootstrap token (see README).
#[derive(Debug, Clone)]
pub struct BootstrapInput {
    pub token: String,
    pub login_id: LoginId,
    pub password: Password,
}

crate::reply!(
    /// An admin account just created.
    pub struct AdminCreated {
        pub admin_id: String,
        pub role: AdminRole,
    }
);

read_set!(pub struct BootstrapReads => BootstrapRows { owners: Count });

pub struct Bootstrap;
use_case!(Bootstrap, "admin.bootstrap", |_uc| Access::Public, BootstrapInput => BootstrapReads);

impl Bootstrap {
    fn reads(&self, _: &BootstrapInput, _: &Env) -> BootstrapReads {
        BootstrapReads {
            owners: read!("SELECT COUNT(*) AS n FROM admins WHERE role = 'owner'"),
        }
    }

    fn decide(
        &self,
        input: BootstrapInput,
        rows: BootstrapRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let expected = env.keys.bootstrap_token.as_deref().unwrap_or("");
        if expected.is_empty() || !constant_time_eq(expected.as_bytes(), input.token.as_bytes()) {
            return Err(Problem::forbidden("detail.bootstrap_token"));
        }
        if rows.owners.n > 0 {
            return Err(Problem::conflict("detail.owner_exists"));
        }
        let id = new_id(env.rng, "adm");
        Ok(Plan::ok(
            201,
            AdminCreated {
                admin_id: id.clone(),
                role: AdminRole::Owner,
            },
            vec![
                stmt!(
                    "INSERT INTO admins (id, login_id, password_hash, role, created_at) SELECT ?, ?, ?, 'owner', ?
                     WHERE NOT EXISTS (SELECT 1 FROM admins WHERE role = 'owner')",
                    id.as_str(),
                    input.login_id.as_ref(),
                    hash_password(env.rng, input.password.expose()),
                    env.now.to_rfc3339()
                ),
                guard_one_change(),
                audit(env, "system", "admin.bootstrap", &id, "owner"),
            ],
        )
        .conflict_means(Problem::conflict("detail.owner_exists")))
    }
}

#[derive(Debug, Clone)]
pub struct NewAdminInput {
    pub login_id: LoginId,
    pub password: Password,
    pub role: AdminRole,
}

/// `POST /admin/admins`: an owner adds staff with a role.
pub struct CreateAdmin;
use_case!(CreateAdmin, "admin.create_admin", |_uc| Access::Admin(&[AdminRole::Owner]), NewAdminInput => ());

impl CreateAdmin {
    fn reads(&self, _: &NewAdminInput, _: &Env) {}

    fn decide(&self, input: NewAdminInput, (): (), env: &Env) -> Result<Plan, Problem> {
        let id = new_id(env.rng, "adm");
        Ok(Plan::ok(
            201,
            AdminCreated {
                admin_id: id.clone(),
                role: input.role,
            },
            vec![
                stmt!(
                    "INSERT INTO admins (id, login_id, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)",
                    id.as_str(),
                    input.login_id.as_ref(),
                    hash_password(env.rng, input.password.expose()),
                    input.role,
                    env.now.to_rfc3339()
                ),
                audit(env, env.caller(), "admin.create", &id, input.role.as_str()),
            ],
        )
        .conflict_means(crate::signup::s3_contact::login_id_taken()))
    }
}

row!(
    pub struct AdminRow {
        pub id: String,
        pub login_id: String,
        pub role: AdminRole,
        pub created_at: String,
    }
);

crate::reply!(
    /// Every staff account with its role, oldest first.
    pub struct AdminList {
        pub items: Vec<AdminListing>,
    }
    pub struct AdminListing {
        pub admin_id: String,
        pub login_id: String,
        pub role: AdminRole,
        pub created_at: String,
    }
);

read_set!(pub struct AdminListReads => AdminListRows { admins: Vec<AdminRow> });

/// `GET /admin/admins`: owners see every staff account and its role.
pub struct ListAdmins;
use_case!(ListAdmins, "admin.list_admins", |_uc| Access::Admin(&[AdminRole::Owner]), () => AdminListReads);

impl ListAdmins {
    fn reads(&self, _: &(), _: &Env) -> AdminListReads {
        AdminListReads {
            admins: read!("SELECT id, login_id, role, created_at FROM admins ORDER BY created_at, id LIMIT 500"),
        }
    }

    fn decide(&self, _: (), rows: AdminListRows, _: &Env) -> Result<Plan, Problem> {
        let items = rows
            .admins
            .into_iter()
            .map(|a| AdminListing {
                admin_id: a.id,
                login_id: a.login_id,
                role: a.role,
                created_at: a.created_at,
            })
            .collect();
        Ok(Plan::ok(200, AdminList { items }, vec![]))
    }
}
