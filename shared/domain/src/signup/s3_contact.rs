//! Rule S3: the contact person (login ID unique and never reused, password,
//! name, mobile, e-mail); step 2 of S1.

use super::member::{own, read_member, MemberRow};
use super::s1_steps::{Progress, Step};
use super::SignupConfig;
use crate::kernel::crypto::{at, hash_password};
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::limits::{Limit, Window};
use crate::kernel::problem::Problem;
use crate::kernel::types::{Email, LoginId, MobileNumber, Password};
use crate::{read, read_set, row, stmt, use_case};

#[derive(Debug, Clone)]
pub struct ContactInput {
    pub login_id: LoginId,
    pub password: Password,
    pub name: String,
    pub mobile: MobileNumber,
    pub email: Email,
}

row!(
    pub struct LoginIdOwner {
        pub member_id: String,
    }
);

crate::reply!(
    pub struct ContactSaved {
        pub member_id: String,
        /// true when the mobile number is unchanged and was verified before
        pub phone_verified: bool,
        pub next: &'static str,
    }
);

read_set!(pub struct ContactReads => ContactRows {
    member: Option<MemberRow>,
    saves: Option<Window>,
    login_owner: Option<LoginIdOwner>,
});

/// 409 for a login ID someone else holds (or held: IDs are never reused).
pub fn login_id_taken() -> Problem {
    Problem::new(
        409,
        "login-id-taken",
        "title.conflict",
        "detail.login_id_taken",
    )
    .at_field("login_id", "detail.login_id_taken")
}

/// Contact-step saves per application per hour (each hashes a password).
fn contact_saves(env: &Env) -> Limit {
    Limit {
        prefix: "contact-saves",
        window_secs: 3600,
        max: env.config.area::<SignupConfig>().contact_saves_per_hour,
    }
}

/// Step 2: contact person (rule S3).
pub struct Contact;
use_case!(Contact, "signup.contact", |_uc| Access::Signup, ContactInput => ContactReads);

impl Contact {
    fn reads(&self, input: &ContactInput, env: &Env) -> ContactReads {
        ContactReads {
            member: read_member(env.caller()),
            // Counted before the password is hashed (argon2id, A6).
            saves: contact_saves(env).take(env.caller(), env.now),
            login_owner: read!(
                "SELECT member_id FROM login_ids WHERE login_id = ?",
                input.login_id.as_ref()
            ),
        }
    }

    fn decide(&self, input: ContactInput, rows: ContactRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let id = m.id.as_str();
        Progress::of(&m, false).allows(Step::Contact)?;
        contact_saves(env)
            .over(&rows.saves, env.now)
            .map_err(|wait| Problem::rate_limited("detail.rate_limited", wait))?;
        let owner = rows.login_owner.map(|o| o.member_id);
        if owner.as_deref().is_some_and(|o| o != id) {
            return Err(login_id_taken());
        }
        let phone_bidx = env.keys.blind_index("phone", input.mobile.as_ref());
        let mut writes = Vec::new();
        if owner.is_none() {
            // Release an ID this applicant took before (never one retired).
            writes.push(stmt!(
                "DELETE FROM login_ids WHERE member_id = ? AND retired_at IS NULL",
                id
            ));
            writes.push(stmt!(
                "INSERT INTO login_ids (login_id, member_id) VALUES (?, ?)",
                input.login_id.as_ref(),
                id
            ));
        }
        writes.push(stmt!(
            "UPDATE members SET login_id = ?, password_hash = ?, contact_name_enc = ?, phone_enc = ?,
               phone_verified_at = CASE WHEN phone_bidx = ? THEN phone_verified_at ELSE NULL END,
               phone_bidx = ?, email_enc = ?, email_bidx = ?, step = MAX(step, 2), version = version + 1
             WHERE id = ? AND version = ? AND status = 'applying'",
            input.login_id.as_ref(),
            hash_password(env.rng, input.password.expose()),
            env.keys
                .seal_for(env.rng, &at("members.contact_name", id), &input.name),
            env.keys
                .seal_for(env.rng, &at("members.phone", id), input.mobile.as_ref()),
            phone_bidx.as_str(),
            phone_bidx.as_str(),
            env.keys
                .seal_for(env.rng, &at("members.email", id), input.email.as_ref()),
            env.keys.blind_index("email", input.email.as_ref()),
            id,
            m.version
        ));
        writes.push(guard_one_change());
        let same_phone =
            m.phone_bidx.as_deref() == Some(phone_bidx.as_str()) && m.phone_verified_at.is_some();
        Ok(Plan::ok(
            200,
            ContactSaved {
                member_id: id.to_owned(),
                phone_verified: same_phone,
                next: if same_phone { "company" } else { "phone" },
            },
            writes,
        )
        .conflict_means(login_id_taken()))
    }
}
