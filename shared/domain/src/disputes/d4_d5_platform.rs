//! Rules D4 and D5: the platform's own part. D5: a mediator or an owner
//! restricts a member who abuses the dispute process, with a reason and a
//! last KST day; until it has passed the member raises no new dispute
//! (refused with that day), and nothing else changes for it — its ranking
//! is not lowered. D4: a member objects to the platform's handling (of a
//! dispute of its own, or of a restriction on it); an owner answers within
//! 15 KST days (a clock, `platform_objection`, flagged when overdue).

use crate::kernel::audit::audit;
use crate::kernel::clocks::{self, Due, Kind};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::i18n::{fill, Lang};
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::problem::Problem;
use crate::kernel::sealed::SealedText;
use crate::kernel::types::after_kst_days;
use crate::personal_data::place::{OBJECTION_ANSWER, OBJECTION_TEXT, RESTRICTION_REASON};
use crate::{read, read_set, row, stmt, use_case};

/// KST calendar days an owner has to answer an objection (D4).
pub const OBJECTION_DAYS: u64 = 15;

/// An objection to the platform's handling, a clock: owners act.
pub const OBJECTION: Kind = Kind {
    name: "platform_objection",
    watchers: &[],
};

/// Who restricts members under D5: mediators and owners.
pub const RESTRICTERS: &[AdminRole] = &[AdminRole::Mediator, AdminRole::Owner];

#[derive(Debug, Clone)]
pub struct RestrictInput {
    pub member_id: String,
    pub reason: String,
    /// the last KST day of the restriction
    pub until_day: chrono::NaiveDate,
}

row!(
    pub struct RestrictedMember {
        pub id: String,
        pub email_enc: Option<String>,
    }
);

read_set!(pub struct RestrictReads => RestrictRows { member: Option<RestrictedMember> });

crate::reply!(
    /// A restriction on raising disputes (D5).
    @personal pub struct Restriction {
        pub restriction_id: String,
        pub member_id: String,
        pub reason: String,
        /// the last KST day it holds
        pub until_day: String,
        pub restricted_by: String,
        pub created_at: String,
    }
);

/// `POST /admin/members/{id}/dispute-restriction`: restricts a member
/// from raising disputes until a day, with the reason (D5); the member is
/// told by e-mail and may object (D4).
pub struct Restrict;
use_case!(Restrict, "admin.dispute_restrict", |_uc| Access::Admin(RESTRICTERS), RestrictInput => RestrictReads);

impl Restrict {
    fn reads(&self, input: &RestrictInput, _: &Env) -> RestrictReads {
        RestrictReads {
            member: read!(
                "SELECT id, email_enc FROM members WHERE id = ? AND status = 'active'",
                input.member_id.as_str()
            ),
        }
    }

    fn decide(&self, input: RestrictInput, rows: RestrictRows, env: &Env) -> Result<Plan, Problem> {
        let m = rows.member.ok_or_else(Problem::not_found)?;
        if input.until_day < crate::kernel::types::kst_date(env.now) {
            return Err(Problem::field("until_day", "field.date_past"));
        }
        let id = new_id(env.rng, "rst");
        let now = env.now.to_rfc3339();
        let reason = SealedText::seal(env, RESTRICTION_REASON, &id, &input.reason);
        let mut writes = vec![
            stmt!(
                "INSERT INTO dispute_restrictions (id, member_id, reason, until_day, restricted_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                id.as_str(),
                m.id.as_str(),
                &reason,
                input.until_day.to_string(),
                env.caller(),
                now.as_str()
            ),
            audit(env, env.caller(), "dispute.restricted", &m.id, &id),
        ];
        let text = fill(
            "notice.dispute.restricted",
            Lang::Ko,
            &[
                ("until", &input.until_day.to_string()),
                ("reason", &input.reason),
            ],
        );
        let (n, e) = to_member(
            env,
            Contact {
                member_id: &m.id,
                email_enc: m.email_enc.as_deref(),
                phone_enc: None,
            },
            "dispute_restricted",
            &text,
            false,
        );
        writes.extend(n);
        Ok(Plan::ok(
            201,
            Restriction {
                restriction_id: id,
                member_id: m.id.clone(),
                reason: input.reason,
                until_day: input.until_day.to_string(),
                restricted_by: env.caller().to_owned(),
                created_at: now,
            },
            writes,
        )
        .effects(e)
        .touches(&m.id, "dispute.restrict"))
    }
}

#[derive(Debug, Clone)]
pub struct ObjectInput {
    /// what it is about: a dispute of the member's, or a restriction on it
    pub dispute_id: Option<String>,
    pub restriction_id: Option<String>,
    pub text: String,
}

row!(
    pub struct Subject {
        pub id: String,
    }
);

read_set!(pub struct ObjectReads => ObjectRows {
    dispute: Option<Subject>,
    restriction: Option<Subject>,
});

crate::reply!(
    /// An objection to the platform's handling (D4) and its answer.
    @personal pub struct PlatformObjection {
        pub objection_id: String,
        pub member_id: String,
        pub dispute_id: Option<String>,
        pub restriction_id: Option<String>,
        pub text: String,
        /// the first instant the answer is late: the end of the 15th KST
        /// calendar day after the day it was made
        pub due_by: String,
        pub answer: Option<String>,
        pub answered_at: Option<String>,
        pub flagged_at: Option<String>,
        /// kept 3 years (D7)
        pub retention_class: String,
        pub created_at: String,
    }
    @personal pub struct PlatformObjections {
        pub objections: Vec<PlatformObjection>,
    }
);

/// `POST /member/objections`: a member objects to the platform's handling
/// of its dispute or of a restriction on it (D4). Open to a restricted
/// member: a restriction never stops an objection.
pub struct Object;
use_case!(Object, "member.object", |_uc| Access::Matching, ObjectInput => ObjectReads);

impl Object {
    fn reads(&self, input: &ObjectInput, env: &Env) -> ObjectReads {
        ObjectReads {
            dispute: read!(
                "SELECT id FROM disputes WHERE id = ? AND ? IN (client_id, partner_id)",
                input.dispute_id.as_deref().unwrap_or(""),
                env.caller()
            ),
            restriction: read!(
                "SELECT id FROM dispute_restrictions WHERE id = ? AND member_id = ?",
                input.restriction_id.as_deref().unwrap_or(""),
                env.caller()
            ),
        }
    }

    fn decide(&self, input: ObjectInput, rows: ObjectRows, env: &Env) -> Result<Plan, Problem> {
        if input.dispute_id.is_some() && rows.dispute.is_none() {
            return Err(Problem::field("dispute_id", "field.not_yours"));
        }
        if input.restriction_id.is_some() && rows.restriction.is_none() {
            return Err(Problem::field("restriction_id", "field.not_yours"));
        }
        let id = new_id(env.rng, "obj");
        let now = env.now.to_rfc3339();
        let due = after_kst_days(env.now, OBJECTION_DAYS);
        let text = SealedText::seal(env, OBJECTION_TEXT, &id, &input.text);
        let writes = vec![
            stmt!(
                "INSERT INTO platform_objections (id, member_id, dispute_id, restriction_id, text, due_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id.as_str(),
                env.caller(),
                input.dispute_id.as_deref(),
                input.restriction_id.as_deref(),
                &text,
                due.to_rfc3339(),
                now.as_str()
            ),
            clocks::open(
                env,
                &Due {
                    kind: &OBJECTION,
                    subject: &id,
                    record: format!("objection/{id}"),
                    actor: "owner",
                    party: Some(env.caller()),
                    last_day: clocks::last_day(due),
                },
            ),
            audit(env, env.caller(), "platform.objection", env.caller(), &id),
        ];
        Ok(Plan::ok(
            201,
            PlatformObjection {
                objection_id: id,
                member_id: env.caller().to_owned(),
                dispute_id: input.dispute_id,
                restriction_id: input.restriction_id,
                text: input.text,
                due_by: due.to_rfc3339(),
                answer: None,
                answered_at: None,
                flagged_at: None,
                retention_class: "dispute_3y".into(),
                created_at: now,
            },
            writes,
        ))
    }
}

row!(
    pub struct ObjectionRow {
        pub id: String,
        pub member_id: String,
        pub dispute_id: Option<String>,
        pub restriction_id: Option<String>,
        pub text: SealedText,
        pub due_by: String,
        pub answer: Option<SealedText>,
        pub answered_at: Option<String>,
        pub flagged_at: Option<String>,
        pub retention_class: String,
        pub created_at: String,
        pub email_enc: Option<String>,
    }
);

impl ObjectionRow {
    fn view(&self, env: &Env) -> Result<PlatformObjection, Problem> {
        Ok(PlatformObjection {
            objection_id: self.id.clone(),
            member_id: self.member_id.clone(),
            dispute_id: self.dispute_id.clone(),
            restriction_id: self.restriction_id.clone(),
            text: self.text.open(env.keys, OBJECTION_TEXT, &self.id)?,
            due_by: self.due_by.clone(),
            answer: crate::kernel::sealed::open_opt(
                &self.answer,
                env.keys,
                OBJECTION_ANSWER,
                &self.id,
            )?,
            answered_at: self.answered_at.clone(),
            flagged_at: self.flagged_at.clone(),
            retention_class: self.retention_class.clone(),
            created_at: self.created_at.clone(),
        })
    }
}

read_set!(pub struct ObjectionsReads => ObjectionsRows { objections: Vec<ObjectionRow> });

/// The columns an objection is read with (its member's e-mail, to answer).
macro_rules! objections {
    ($where:literal) => {
        concat!(
            "SELECT o.id, o.member_id, o.dispute_id, o.restriction_id, o.text, o.due_by, o.answer, o.answered_at, o.flagged_at,
               o.retention_class, o.created_at, m.email_enc
             FROM platform_objections o LEFT JOIN members m ON m.id = o.member_id WHERE ",
            $where
        )
    };
}

/// `GET /member/objections`: the member's objections and their answers.
pub struct MyObjections;
use_case!(MyObjections, "member.objections", |_uc| Access::Matching, () => ObjectionsReads);

impl MyObjections {
    fn reads(&self, _: &(), env: &Env) -> ObjectionsReads {
        ObjectionsReads {
            objections: read!(
                objections!("o.member_id = ? ORDER BY o.created_at DESC, o.id LIMIT 200"),
                env.caller()
            ),
        }
    }

    fn decide(&self, _: (), rows: ObjectionsRows, env: &Env) -> Result<Plan, Problem> {
        let objections = rows
            .objections
            .iter()
            .map(|o| o.view(env))
            .collect::<Result<_, _>>()?;
        Ok(Plan::ok(200, PlatformObjections { objections }, vec![]))
    }
}

/// `GET /admin/objections`: the objections to answer, due first (owners).
pub struct OpenObjections;
use_case!(OpenObjections, "admin.objections", |_uc| Access::Admin(&[AdminRole::Owner]), () => ObjectionsReads);

impl OpenObjections {
    fn reads(&self, _: &(), _: &Env) -> ObjectionsReads {
        ObjectionsReads {
            objections: read!(objections!(
                "o.answered_at IS NULL ORDER BY o.due_by, o.id LIMIT 200"
            )),
        }
    }

    fn decide(&self, _: (), rows: ObjectionsRows, env: &Env) -> Result<Plan, Problem> {
        let objections: Vec<PlatformObjection> = rows
            .objections
            .iter()
            .map(|o| o.view(env))
            .collect::<Result<_, _>>()?;
        let who: Vec<String> = objections.iter().map(|o| o.member_id.clone()).collect();
        Ok(Plan::ok(200, PlatformObjections { objections }, vec![])
            .touches_all(who.iter().map(String::as_str), "platform.read_objections"))
    }
}

#[derive(Debug, Clone)]
pub struct AnswerObjectionInput {
    pub objection_id: String,
    pub answer: String,
}

/// `POST /admin/objections/{id}`: an owner answers an objection, once (D4);
/// the member is told by e-mail.
pub struct AnswerObjection;
use_case!(AnswerObjection, "admin.answer_objection", |_uc| Access::Admin(&[AdminRole::Owner]), AnswerObjectionInput => ObjectionsReads);

impl AnswerObjection {
    fn reads(&self, input: &AnswerObjectionInput, _: &Env) -> ObjectionsReads {
        ObjectionsReads {
            objections: read!(objections!("o.id = ?"), input.objection_id.as_str()),
        }
    }

    fn decide(
        &self,
        input: AnswerObjectionInput,
        rows: ObjectionsRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut o = rows
            .objections
            .into_iter()
            .next()
            .ok_or_else(Problem::not_found)?;
        if o.answered_at.is_some() {
            return Err(Problem::conflict("detail.already_decided"));
        }
        let now = env.now.to_rfc3339();
        let answer = SealedText::seal(env, OBJECTION_ANSWER, &o.id, &input.answer);
        let mut writes = vec![
            stmt!(
                "UPDATE platform_objections SET answer = ?, answered_at = ?, answered_by = ? WHERE id = ? AND answered_at IS NULL",
                &answer,
                now.as_str(),
                env.caller(),
                o.id.as_str()
            ),
            guard_one_change(),
            clocks::meet(env, &OBJECTION, &o.id),
            audit(env, env.caller(), "platform.objection_answered", &o.member_id, &o.id),
        ];
        let text = fill(
            "notice.platform.objection_answered",
            Lang::Ko,
            &[("answer", &input.answer)],
        );
        let (n, e) = to_member(
            env,
            Contact {
                member_id: &o.member_id,
                email_enc: o.email_enc.as_deref(),
                phone_enc: None,
            },
            "objection_answered",
            &text,
            false,
        );
        writes.extend(n);
        o.answer = Some(answer);
        o.answered_at = Some(now);
        let member = o.member_id.clone();
        Ok(Plan::ok(200, o.view(env)?, writes)
            .effects(e)
            .touches(&member, "platform.answer_objection")
            .conflict_means(Problem::conflict("detail.already_decided")))
    }
}
