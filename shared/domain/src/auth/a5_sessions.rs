//! Rules A1, A5, A6: sign-in for member users and admins (argon2id checked
//! against a dummy hash for unknown IDs), sign-out that revokes the session,
//! and the member user's own profile.
//!
//! Sign-in limits (A6) count each attempt before the password is checked,
//! atomically (`Limit::take`), so parallel guesses cannot run more checks
//! than the limit. They are kept per realm (member failures never lock out
//! staff sign-in) and so that a stranger cannot lock a person out: the
//! tight limit is per (login ID, client address) pair; per address (any
//! ID) and per login ID (any address) the limits are looser, against
//! spraying and distributed guessing. A right password clears the pair's
//! and the ID's failures.

use crate::kernel::crypto::{new_id, verify_password, DUMMY_HASH};
use crate::kernel::engine::{Access, AdminRole, Env, Plan, READ_ONLY_ROLE, TRIAL_ROLE};
use crate::kernel::limits::{Limit, Window};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::kernel::tokens::{self, TokenKind};
use crate::matching::m1_profile::PARTNER;
use crate::signup::member::{read_member, MemberRow, MemberStatus};
use crate::signup::s10_termination::may_read;
use crate::{read, read_set, row, stmt, use_case};
use serde_json::json;

/// Failed sign-ins per (login ID, client address) per 15 minutes (A6).
pub const LOGIN_PER_PAIR: Limit = Limit {
    prefix: "login-pair",
    window_secs: 900,
    max: 5,
};
/// Failed sign-ins per login ID from any address per 15 minutes (A6).
pub const LOGIN_PER_ID: Limit = Limit {
    prefix: "login-id",
    window_secs: 900,
    max: 20,
};
/// Failed sign-ins per client address for any ID per 15 minutes (A6).
pub const LOGIN_PER_IP: Limit = Limit {
    prefix: "login-ip",
    window_secs: 900,
    max: 30,
};

/// A sign-in's three buckets: blind indexes, never what was typed (people
/// type an e-mail address or a phone number there by mistake) nor the
/// address; each within its realm.
struct Buckets {
    pair: String,
    id: String,
    ip: String,
}

#[derive(Debug, Clone)]
pub struct LoginInput {
    /// The ID as typed: an unknown or malformed ID fails like a wrong password.
    pub login_id: String,
    pub password: String,
}

row!(
    /// The account behind a login ID, member or admin alike.
    pub struct Account {
        pub id: String,
        pub password_hash: Option<String>,
        pub role: String,
        pub status: String,
        pub trials_waived: bool,
        /// a terminated member's last instant of read-only access (R4)
        pub read_only_until: Option<String>,
        /// a contact person the administrator added (P10)
        pub person: Option<String>,
    }
);

read_set!(pub struct LoginReads => LoginRows {
    account: Option<Account>,
    per_pair: Option<Window>,
    per_id: Option<Window>,
    per_ip: Option<Window>,
});

/// `POST /auth/login` (members) and `POST /admin/login` (admins).
pub struct Login {
    pub realm: TokenKind,
}
use_case!(Login, "auth.login", |_uc| Access::Public, LoginInput => LoginReads);

impl Login {
    fn buckets(&self, env: &Env, login_id: &str) -> Buckets {
        let realm = if self.realm == TokenKind::Admin {
            "admin"
        } else {
            "member"
        };
        let ip = env.client_ip.unwrap_or("unknown");
        let blind = |domain, text: String| env.keys.blind_index(domain, &text);
        Buckets {
            pair: blind("rate-login-pair", format!("{realm}:{login_id}\n{ip}")),
            id: blind("rate-login", format!("{realm}:{login_id}")),
            ip: blind("rate-ip", format!("{realm}:{ip}")),
        }
    }

    fn reads(&self, input: &LoginInput, env: &Env) -> LoginReads {
        let account = match self.realm {
            TokenKind::Admin => read!(
                "SELECT id, password_hash, role, 'active' AS status, 0 AS trials_waived, NULL AS read_only_until, NULL AS person FROM admins WHERE login_id = ?",
                input.login_id.as_str()
            ),
            _ => read!(
                "SELECT id, password_hash, kind AS role, status, trials_waived, read_only_until, NULL AS person FROM members WHERE login_id = ?1
                 UNION ALL
                 SELECT m.id, p.password_hash, m.kind, m.status, m.trials_waived, m.read_only_until, p.id FROM contact_persons p
                   JOIN members m ON m.id = p.member_id WHERE p.login_id = ?1 AND p.state = 'active'",
                input.login_id.as_str()
            ),
        };
        let b = self.buckets(env, &input.login_id);
        LoginReads {
            account,
            per_pair: LOGIN_PER_PAIR.take(&b.pair, env.now),
            per_id: LOGIN_PER_ID.take(&b.id, env.now),
            per_ip: LOGIN_PER_IP.take(&b.ip, env.now),
        }
    }

    fn decide(&self, input: LoginInput, rows: LoginRows, env: &Env) -> Result<Plan, Problem> {
        let b = self.buckets(env, &input.login_id);
        for (limit, w) in [
            (&LOGIN_PER_PAIR, &rows.per_pair),
            (&LOGIN_PER_ID, &rows.per_id),
            (&LOGIN_PER_IP, &rows.per_ip),
        ] {
            limit
                .over(w, env.now)
                .map_err(|wait| Problem::rate_limited("detail.login_rate_limited", wait))?;
        }
        // The attempt went well enough to forgive: the pair's and the ID's
        // failures go, the address keeps its count of other IDs' failures.
        let forgive = || {
            vec![
                LOGIN_PER_PAIR.clear(&b.pair),
                LOGIN_PER_ID.clear(&b.id),
                LOGIN_PER_IP.release(&b.ip),
            ]
        };
        let hash = rows
            .account
            .as_ref()
            .and_then(|a| a.password_hash.as_deref())
            .unwrap_or(DUMMY_HASH);
        // Always verify (against a dummy for unknown IDs): equal timing.
        let verified = verify_password(hash, &input.password);
        // A failure was counted when the attempt was taken.
        let Some(account) = rows.account.filter(|_| verified) else {
            return Err(Problem::unauthorized("detail.login_failed"));
        };
        // A partner approved and in its trial matchings (rule S7, not
        // waived) signs in to the matching routes only: its role claim
        // says so, and every other route refuses it before any read.
        let trial = self.realm == TokenKind::Member
            && account.status == "approved"
            && account.role == PARTNER
            && !account.trials_waived;
        // A terminated member reads its data for a year (R4): a session
        // whose role claim says so, refused by every route that writes.
        let read_only = self.realm == TokenKind::Member
            && account.status == "terminated"
            && may_read(account.read_only_until.as_deref(), env.now);
        if account.status != "active" && !trial && !read_only {
            // An added contact person has no application to come back to.
            if account.person.is_some() {
                return Ok(Plan::fail_with(
                    Problem::forbidden("detail.not_active")
                        .with("member_status", json!(account.status)),
                    forgive(),
                ));
            }
            // An applicant comes back (another browser or device, after
            // the signup cookie): the application's own session, for its
            // status and next step. A closed account stays closed.
            let status = MemberStatus::parse(&account.status)
                .filter(|s| self.realm == TokenKind::Member && s.is_application());
            let Some(status) = status else {
                return Ok(Plan::fail_with(
                    Problem::forbidden("detail.not_active")
                        .with("member_status", json!(account.status)),
                    forgive(),
                ));
            };
            let jti = new_id(env.rng, "sgn");
            let token = tokens::issue(env.keys, TokenKind::Signup, &account.id, &jti, "", env.now);
            let mut writes: Vec<_> = tokens::signup_session(&account.id, &jti, env.now).into();
            writes.extend(forgive());
            return Ok(Plan::ok(
                200,
                Session {
                    token: None,
                    token_type: "Bearer",
                    expires_in: TokenKind::Signup.lifetime_secs(),
                    role: None,
                    signup_token: Some(token),
                    application: Some(status),
                    read_only_until: None,
                },
                writes,
            )
            .starts_session(TokenKind::Signup));
        }
        let role = AdminRole::parse(&account.role);
        let jti = new_id(env.rng, "ses");
        let claim = if trial {
            format!("{TRIAL_ROLE}{}", account.role)
        } else if read_only {
            format!("{READ_ONLY_ROLE}{}", account.role)
        } else {
            account.role.clone()
        };
        let token = tokens::issue_with(
            env.keys,
            self.realm,
            &account.id,
            &jti,
            tokens::Extra {
                role: claim,
                person: account.person.clone().unwrap_or_default(),
            },
            env.now,
        );
        let expires = env.now
            + chrono::Duration::seconds(i64::try_from(self.realm.lifetime_secs()).unwrap_or(1800));
        let kind = self.realm.name();
        Ok(Plan::ok(
            200,
            Session {
                token: Some(token),
                token_type: "Bearer",
                expires_in: self.realm.lifetime_secs(),
                role,
                signup_token: None,
                application: None,
                read_only_until: account.read_only_until.filter(|_| read_only),
            },
            vec![
                stmt!(
                    "INSERT INTO sessions (jti, principal_kind, principal_id, expires_at, person_id) VALUES (?, ?, ?, ?, ?)",
                    jti.as_str(),
                    kind,
                    account.id.as_str(),
                    expires.to_rfc3339(),
                    account.person.as_deref()
                ),
            ]
            .into_iter()
            .chain(forgive())
            .collect(),
        )
        .starts_session(self.realm))
    }
}

crate::reply!(
    /// A session: the bearer token for the member or admin API (web pages
    /// that send `x-session: cookie` get it as an `HttpOnly` cookie instead,
    /// and no `token` here).
    pub struct Session {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub token: Option<String>,
        pub token_type: &'static str,
        /// seconds
        pub expires_in: u64,
        /// the admin's role; null for a member user
        pub role: Option<AdminRole>,
        /// An applicant's sign-in before activation: no member session but
        /// the application's (as after signup step 1), for its status and
        /// next step (`GET /signup/status`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub signup_token: Option<String>,
        /// where that application stands
        #[serde(skip_serializing_if = "Option::is_none")]
        pub application: Option<MemberStatus>,
        /// a terminated member's session reads and writes nothing, until
        /// then (R4)
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only_until: Option<String>,
    }
    pub struct SignedOut {
        pub signed_out: bool,
    }
    /// The member's own profile.
    pub struct Profile {
        #[serde(flatten)]
        pub identity: crate::signup::member::Identity,
        /// staff asked for fresh capability information (rule S8)
        pub capability_update_requested: bool,
        /// signed in as the company's administrator (who manages its
        /// contact persons, P10), not as a contact person it added
        pub administrator: bool,
        /// a partner in trial: trial matchings left before the annual fee
        /// (rule S7); absent for everyone else
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trial_matchings_left: Option<i64>,
        /// terminated: the member reads its data, and changes nothing,
        /// until then (R4); absent for everyone else
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only_until: Option<String>,
    }
);

/// `POST /auth/logout` and `POST /admin/logout`: revokes the session (rule A5).
pub struct Logout {
    pub realm: TokenKind,
}
use_case!(Logout, "auth.logout", |uc| if uc.realm == TokenKind::Admin { Access::Admin(AdminRole::ALL) } else { Access::Own }, () => ());

impl Logout {
    fn reads(&self, _: &(), _: &Env) {}

    fn decide(&self, _: (), (): (), env: &Env) -> Result<Plan, Problem> {
        let jti = env.who.as_ref().map_or("", |w| w.jti.as_str());
        Ok(Plan::ok(
            200,
            SignedOut { signed_out: true },
            vec![stmt!(
                "UPDATE sessions SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL",
                env.now.to_rfc3339(),
                jti
            )],
        )
        .ends_session(self.realm))
    }
}

read_set!(pub struct MeReads => MeRows {
    member: Option<MemberRow>,
    trials: Count,
    person: Option<crate::privacy::p10_contacts::PersonRow>,
});

/// `GET /auth/me`: the signed-in member user's own profile, decrypted.
pub struct Me;
use_case!(Me, "auth.me", |_uc| Access::Matching, () => MeReads);

impl Me {
    fn reads(&self, _: &(), env: &Env) -> MeReads {
        MeReads {
            member: read_member(env.caller()),
            trials: read!(
                "SELECT COUNT(*) AS n FROM trial_matchings WHERE member_id = ?",
                env.caller()
            ),
            // A contact person sees its own contact, not the administrator's (P10).
            person: crate::privacy::p10_contacts::read_self(env),
        }
    }

    fn decide(&self, _: (), rows: MeRows, env: &Env) -> Result<Plan, Problem> {
        let m = crate::signup::member::own(rows.member)?;
        // Asked by the sweep since the last update (rule S8).
        let stale = m
            .update_requested_at
            .as_deref()
            .is_some_and(|asked| Some(asked) > m.capability_updated_at.as_deref());
        // A partner in trial sees how many of its trial matchings are left
        // (rule S7; the proposals stop at zero until the fee is paid).
        let trial_matchings_left = crate::signup::member::in_trial(&m)
            .then(|| (crate::matching::m1_requests::trials(env) - rows.trials.n).max(0));
        Ok(Plan::ok(
            200,
            Profile {
                identity: match &rows.person {
                    Some(p) => {
                        crate::privacy::p10_contacts::as_person(m.identity(env.keys), p, env)
                    }
                    None => m.identity(env.keys),
                },
                capability_update_requested: stale,
                administrator: env.person().is_none(),
                trial_matchings_left,
                read_only_until: m.read_only_until.clone(),
            },
            vec![],
        ))
    }
}

/// The sweep's purge of sessions expired for a day.
pub fn purge_sessions(now: chrono::DateTime<chrono::Utc>, rows: i64) -> crate::kernel::ports::Stmt {
    stmt!(
        "DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE expires_at < ? LIMIT ?)",
        (now - chrono::Duration::days(1)).to_rfc3339(),
        rows
    )
}
