//! Rule P10: a member company has several contact persons; its
//! administrator (the person who signed it up, whose contact and login the
//! `members` row keeps) adds others and removes one who left, and that
//! person's data then follows P6.
//!
//! Adding a person sends an invitation to the e-mail address given: a
//! link with a one-time token (kept hashed, 72 hours) where the person
//! chooses a login ID and password (`POST /contacts/accept`). The person
//! then signs in to the company's account like the administrator; only the
//! administrator manages contact persons (`Access::Administrator`: a
//! person's session is refused before anything is read). At most 20
//! persons besides the administrator.
//!
//! Removing a person (P6 applied at once): its name, mobile, e-mail and
//! password are erased in the batch that removes it, every session of it
//! ends, and its login ID stays retired in `login_ids` for good (seed 004:
//! an ID is never reused; class `account_key`). No law keeps an employee's
//! contact details after they left, so nothing goes to separated storage;
//! the row keeps its id, state and days, which the audit log refers to.
//! The person is told at the address about to be erased.

use crate::kernel::crypto::{at, hash_password, new_id};
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::outbox::outbox;
use crate::kernel::problem::Problem;
use crate::kernel::types::{parse_instant, Email, LoginId, MobileNumber, Password};
use crate::signup::member::{own, read_member, MemberRow};
use crate::signup::s3_contact::login_id_taken;
use crate::{read, read_set, row, stmt, use_case};

/// Contact persons a member adds at most, besides its administrator.
pub const MAX_PERSONS: i64 = 20;
/// How long an invitation works.
pub const INVITE_HOURS: i64 = 72;

crate::text_enum!(
    /// Where an added contact person stands.
    pub enum PersonState {
        /// invited, has not chosen a login yet
        Invited = "invited",
        Active = "active",
        /// removed by the administrator: its data erased
        Removed = "removed",
    }
);

row!(
    /// An added contact person as stored (contacts sealed).
    pub struct PersonRow {
        pub id: String,
        pub member_id: String,
        pub name_enc: Option<String>,
        pub phone_enc: Option<String>,
        pub email_enc: Option<String>,
        pub login_id: Option<String>,
        pub state: PersonState,
        pub invite_expires_at: Option<String>,
        pub created_at: String,
        pub activated_at: Option<String>,
        pub removed_at: Option<String>,
        pub version: i64,
    }
);

/// The columns of [`PersonRow`].
macro_rules! person_columns {
    () => {
        "id, member_id, name_enc, phone_enc, email_enc, login_id, state, invite_expires_at, created_at, activated_at, removed_at, version"
    };
}

crate::reply!(
    /// The company's contact persons, as its administrator sees them.
    @personal pub struct ContactPersons {
        /// the person who signed the company up
        pub administrator: ContactPerson,
        /// the others, newest first (removed ones without their data)
        pub persons: Vec<ContactPerson>,
        /// how many more may be added
        pub room: i64,
    }
    /// One contact person.
    @personal pub struct ContactPerson {
        /// absent for the administrator
        pub person_id: Option<String>,
        pub administrator: bool,
        pub state: PersonState,
        pub name: Option<String>,
        pub mobile: Option<String>,
        pub email: Option<String>,
        pub login_id: Option<String>,
        pub added_at: Option<String>,
        /// until when an invitation works
        pub invite_expires_at: Option<String>,
        pub activated_at: Option<String>,
        pub removed_at: Option<String>,
    }
    /// A person removed: what was erased, and what is kept and why.
    pub struct ContactRemoved {
        pub person_id: String,
        pub state: PersonState,
        pub removed_at: String,
        /// erased in the batch that removed it
        pub erased: Vec<&'static str>,
        /// kept, each with its reason (a message key)
        pub kept: Vec<KeptField>,
    }
    pub struct KeptField {
        pub field: &'static str,
        /// message key of the reason
        pub why: &'static str,
    }
    /// An invitation accepted: the person signs in with this login ID.
    pub struct InviteAccepted {
        pub person_id: String,
        pub login_id: String,
        pub state: PersonState,
    }
);

impl PersonRow {
    fn open(&self, env: &Env, column: &str, sealed: Option<&String>) -> Option<String> {
        sealed.and_then(|v| {
            env.keys
                .open_at(&at(&format!("contact_persons.{column}"), &self.id), v)
                .ok()
        })
    }

    /// The person as the administrator sees it.
    fn view(&self, env: &Env) -> ContactPerson {
        ContactPerson {
            person_id: Some(self.id.clone()),
            administrator: false,
            state: self.state,
            name: self.open(env, "name", self.name_enc.as_ref()),
            mobile: self.open(env, "phone", self.phone_enc.as_ref()),
            email: self.open(env, "email", self.email_enc.as_ref()),
            login_id: self.login_id.clone(),
            added_at: Some(self.created_at.clone()),
            invite_expires_at: self
                .invite_expires_at
                .clone()
                .filter(|_| self.state == PersonState::Invited),
            activated_at: self.activated_at.clone(),
            removed_at: self.removed_at.clone(),
        }
    }
}

/// The signed-in contact person's own row (P10), when the session is a
/// person's (a constant condition reads nothing for the administrator).
pub fn read_self(env: &Env) -> crate::kernel::reads::Read<Option<PersonRow>> {
    read!(
        concat!(
            "SELECT ",
            person_columns!(),
            " FROM contact_persons WHERE id = ?1 AND member_id = ?2 AND ?1 <> ''"
        ),
        env.person().unwrap_or(""),
        env.caller()
    )
}

/// The member's identity as a contact person sees it: its own name,
/// mobile, e-mail and login ID, not the administrator's.
pub fn as_person(
    mut identity: crate::signup::member::Identity,
    person: &PersonRow,
    env: &Env,
) -> crate::signup::member::Identity {
    identity.contact_name = person.open(env, "name", person.name_enc.as_ref());
    identity.mobile = person.open(env, "phone", person.phone_enc.as_ref());
    identity.email = person.open(env, "email", person.email_enc.as_ref());
    identity.login_id = person.login_id.clone();
    identity
}

fn administrator(m: &MemberRow, env: &Env) -> ContactPerson {
    let i = m.identity(env.keys);
    ContactPerson {
        person_id: None,
        administrator: true,
        state: PersonState::Active,
        name: i.contact_name,
        mobile: i.mobile,
        email: i.email,
        login_id: i.login_id,
        added_at: None,
        invite_expires_at: None,
        activated_at: m.activated_at.clone(),
        removed_at: None,
    }
}

fn read_persons(member: &str) -> crate::kernel::reads::Read<Vec<PersonRow>> {
    read!(
        concat!(
            "SELECT ",
            person_columns!(),
            " FROM contact_persons WHERE member_id = ? ORDER BY created_at DESC, id LIMIT 100"
        ),
        member
    )
}

/// How many persons count against [`MAX_PERSONS`] (removed ones do not).
fn held(persons: &[PersonRow]) -> i64 {
    i64::try_from(
        persons
            .iter()
            .filter(|p| p.state != PersonState::Removed)
            .count(),
    )
    .unwrap_or(i64::MAX)
}

read_set!(pub struct ListReads => ListRows {
    member: Option<MemberRow>,
    persons: Vec<PersonRow>,
});

/// `GET /member/contacts`: the administrator's view of the company's
/// contact persons.
pub struct ListContacts;
use_case!(ListContacts, "member.contacts", |_uc| Access::Administrator, () => ListReads);

impl ListContacts {
    fn reads(&self, _: &(), env: &Env) -> ListReads {
        ListReads {
            member: read_member(env.caller()),
            persons: read_persons(env.caller()),
        }
    }

    fn decide(&self, _: (), rows: ListRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let room = (MAX_PERSONS - held(&rows.persons)).max(0);
        Ok(Plan::ok(
            200,
            ContactPersons {
                administrator: administrator(&m, env),
                persons: rows.persons.iter().map(|p| p.view(env)).collect(),
                room,
            },
            vec![],
        ))
    }
}

#[derive(Debug, Clone)]
pub struct AddInput {
    pub name: String,
    pub mobile: MobileNumber,
    pub email: Email,
}

read_set!(pub struct AddReads => AddRows {
    member: Option<MemberRow>,
    persons: Vec<PersonRow>,
});

/// `POST /member/contacts`: a contact person added and invited by e-mail.
pub struct AddContact;
use_case!(AddContact, "member.add_contact", |_uc| Access::Administrator, AddInput => AddReads);

impl AddContact {
    fn reads(&self, _: &AddInput, env: &Env) -> AddReads {
        AddReads {
            member: read_member(env.caller()),
            persons: read_persons(env.caller()),
        }
    }

    fn decide(&self, input: AddInput, rows: AddRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        if held(&rows.persons) >= MAX_PERSONS {
            return Err(Problem::conflict("detail.contacts_full")
                .with("max_persons", serde_json::json!(MAX_PERSONS)));
        }
        let email_bidx = env.keys.blind_index("email", input.email.as_ref());
        let id = new_id(env.rng, "cps");
        let token = new_id(env.rng, "inv");
        let expires = env.now + chrono::Duration::hours(INVITE_HOURS);
        let seal = |column: &str, value: &str| {
            env.keys.seal_for(
                env.rng,
                &at(&format!("contact_persons.{column}"), &id),
                value,
            )
        };
        let person = PersonRow {
            id: id.clone(),
            member_id: m.id.clone(),
            name_enc: Some(seal("name", &input.name)),
            phone_enc: Some(seal("phone", input.mobile.as_ref())),
            email_enc: Some(seal("email", input.email.as_ref())),
            login_id: None,
            state: PersonState::Invited,
            invite_expires_at: Some(expires.to_rfc3339()),
            created_at: env.now.to_rfc3339(),
            activated_at: None,
            removed_at: None,
            version: 1,
        };
        let mut writes = vec![
            // Re-counted in the batch: parallel additions cannot pass the
            // cap; the same address twice among those not removed neither.
            stmt!(
                "INSERT INTO contact_persons (id, member_id, name_enc, phone_enc, phone_bidx, email_enc, email_bidx, state, invite_hash, invite_expires_at, created_at)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, 'invited', ?8, ?9, ?10
                 WHERE (SELECT COUNT(*) FROM contact_persons WHERE member_id = ?2 AND state <> 'removed') < ?11
                   AND NOT EXISTS (SELECT 1 FROM contact_persons WHERE member_id = ?2 AND email_bidx = ?7 AND state <> 'removed')",
                id.as_str(),
                m.id.as_str(),
                person.name_enc.as_deref(),
                person.phone_enc.as_deref(),
                env.keys.blind_index("phone", input.mobile.as_ref()),
                person.email_enc.as_deref(),
                email_bidx.as_str(),
                env.keys.blind_index("contact-invite", &token),
                expires.to_rfc3339(),
                person.created_at.as_str(),
                MAX_PERSONS
            ),
            guard_one_change(),
            crate::kernel::audit::audit(env, env.caller(), "member.contact_added", &id, ""),
        ];
        let link = env
            .config
            .area::<crate::kernel::notify::Links>()
            .app(&format!("invite/{token}"));
        let company = m.company_name.clone().unwrap_or_default();
        let text = fill(
            "notice.contact_invited",
            Lang::Ko,
            &[
                ("company", &company),
                ("hours", &INVITE_HOURS.to_string()),
                ("link", &link),
            ],
        );
        let (notice, send) = outbox(
            env,
            &m.id,
            "email",
            "contact_invited",
            input.email.as_ref(),
            &text,
        );
        writes.push(notice);
        Ok(Plan::ok(201, person.view(env), writes)
            .effect(send)
            .conflict_means(Problem::conflict("detail.contact_exists")))
    }
}

#[derive(Debug, Clone)]
pub struct AcceptInput {
    pub token: String,
    pub login_id: LoginId,
    pub password: Password,
}

row!(
    pub struct LoginOwner {
        pub member_id: String,
    }
);

read_set!(pub struct AcceptReads => AcceptRows {
    person: Option<PersonRow>,
    login_owner: Option<LoginOwner>,
});

/// `POST /contacts/accept`: the invited person chooses its login ID and
/// password with the invitation's token.
pub struct AcceptInvite;
use_case!(AcceptInvite, "member.accept_invite", |_uc| Access::Public, AcceptInput => AcceptReads);

impl AcceptInvite {
    fn reads(&self, input: &AcceptInput, env: &Env) -> AcceptReads {
        AcceptReads {
            person: read!(
                concat!(
                    "SELECT ",
                    person_columns!(),
                    " FROM contact_persons WHERE invite_hash = ? AND state = 'invited'"
                ),
                env.keys.blind_index("contact-invite", &input.token)
            ),
            login_owner: read!(
                "SELECT member_id FROM login_ids WHERE login_id = ?",
                input.login_id.as_ref()
            ),
        }
    }

    fn decide(&self, input: AcceptInput, rows: AcceptRows, env: &Env) -> Result<Plan, Problem> {
        let invalid = || {
            Problem::new(
                404,
                "invite-invalid",
                "title.not_found",
                "detail.invite_invalid",
            )
        };
        let p = rows.person.ok_or_else(invalid)?;
        let live = parse_instant(p.invite_expires_at.as_deref()).is_some_and(|e| env.now <= e);
        if !live {
            return Err(Problem::new(
                410,
                "invite-expired",
                "title.gone",
                "detail.invite_expired",
            ));
        }
        if rows.login_owner.is_some() {
            return Err(login_id_taken());
        }
        let now = env.now.to_rfc3339();
        let writes = vec![
            stmt!(
                "INSERT INTO login_ids (login_id, member_id, person_id) VALUES (?, ?, ?)",
                input.login_id.as_ref(),
                p.member_id.as_str(),
                p.id.as_str()
            ),
            stmt!(
                "UPDATE contact_persons SET login_id = ?, password_hash = ?, state = 'active', invite_hash = NULL,
                   invite_expires_at = NULL, activated_at = ?, version = version + 1
                 WHERE id = ? AND version = ? AND state = 'invited'",
                input.login_id.as_ref(),
                hash_password(env.rng, input.password.expose()),
                now.as_str(),
                p.id.as_str(),
                p.version
            ),
            guard_one_change(),
            crate::kernel::audit::audit(env, &p.id, "member.contact_joined", &p.id, ""),
        ];
        Ok(Plan::ok(
            200,
            InviteAccepted {
                person_id: p.id.clone(),
                login_id: input.login_id.as_ref().to_owned(),
                state: PersonState::Active,
            },
            writes,
        )
        .conflict_means(login_id_taken()))
    }
}

read_set!(pub struct RemoveReads => RemoveRows {
    member: Option<MemberRow>,
    person: Option<PersonRow>,
});

/// `DELETE /member/contacts/{id}`: a person who left is removed, its data
/// erased (P6), its login retired, its sessions ended; it is told.
pub struct RemoveContact;
use_case!(RemoveContact, "member.remove_contact", |_uc| Access::Administrator, String => RemoveReads);

impl RemoveContact {
    fn reads(&self, id: &String, env: &Env) -> RemoveReads {
        RemoveReads {
            member: read_member(env.caller()),
            person: read!(
                concat!(
                    "SELECT ",
                    person_columns!(),
                    " FROM contact_persons WHERE id = ? AND member_id = ?"
                ),
                id.as_str(),
                env.caller()
            ),
        }
    }

    fn decide(&self, _: String, rows: RemoveRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let p = rows.person.ok_or_else(Problem::not_found)?;
        if p.state == PersonState::Removed {
            return Err(Problem::conflict("detail.contact_removed_already"));
        }
        let now = env.now.to_rfc3339();
        let mut writes = Vec::new();
        let mut sends = Vec::new();
        // Told at the address about to be erased (the notice keeps it
        // sealed until delivered, then the outbox's 7 days).
        if let Some(email) = p.open(env, "email", p.email_enc.as_ref()) {
            let text = fill(
                "notice.contact_removed",
                Lang::Ko,
                &[
                    ("company", m.company_name.as_deref().unwrap_or("")),
                    ("login_id", p.login_id.as_deref().unwrap_or("-")),
                ],
            );
            let (notice, send) = outbox(env, &m.id, "email", "contact_removed", &email, &text);
            writes.push(notice);
            sends.push(send);
        }
        writes.extend([
            stmt!(
                "UPDATE contact_persons SET state = 'removed', removed_at = ?, name_enc = NULL, phone_enc = NULL,
                   phone_bidx = NULL, email_enc = NULL, email_bidx = NULL, password_hash = NULL, login_id = NULL,
                   invite_hash = NULL, invite_expires_at = NULL, version = version + 1
                 WHERE id = ? AND version = ?",
                now.as_str(),
                p.id.as_str(),
                p.version
            ),
            guard_one_change(),
            stmt!(
                "UPDATE login_ids SET retired_at = ? WHERE person_id = ? AND retired_at IS NULL",
                now.as_str(),
                p.id.as_str()
            ),
            crate::kernel::tokens::end_person_sessions(&p.id, env.now),
            crate::kernel::audit::audit(
                env,
                env.caller(),
                "member.contact_removed",
                &p.id,
                "name,mobile,email,password erased; login_id retired",
            ),
        ]);
        Ok(Plan::ok(
            200,
            ContactRemoved {
                person_id: p.id.clone(),
                state: PersonState::Removed,
                removed_at: now,
                erased: vec!["name", "mobile", "email", "password"],
                kept: kept(&p),
            },
            writes,
        )
        .effects(sends)
        .conflict_means(Problem::conflict("detail.contact_changed")))
    }
}

/// What stays of a removed person, and why.
fn kept(p: &PersonRow) -> Vec<KeptField> {
    let mut out = vec![KeptField {
        field: "record",
        why: "contacts.kept_record",
    }];
    if p.login_id.is_some() {
        out.push(KeptField {
            field: "login_id",
            why: "contacts.kept_login_id",
        });
    }
    out
}
