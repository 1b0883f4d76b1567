//! Rule A8: the terms and policies are versioned with the day each version
//! applies; a change is announced to every member by notice at least 7
//! days before it applies (30 for an important change: 약관의 규제에 관한
//! 법률 and the seeds' own terms, e.g. seed 003 §4); members consent again
//! where the change needs it; every consent records the version it agreed
//! to.
//!
//! An owner or the privacy officer schedules a version (`POST
//! /admin/terms`): its texts in Korean and English, what changed, its first
//! KST day, whether it is important and whether it needs consent again.
//! The batch stores it (one waiting version per kind) and starts the
//! announcement job, which writes each member's notice once (50 a step).
//! The sweep makes it current at the KST midnight it applies from (the
//! version it replaces is kept, `superseded_at`). A member reads its
//! consents and what waits (`GET /member/consents`) and consents to the
//! current version (`POST /member/consents`); one that needs consent again
//! is pending until it does.

use crate::kernel::audit::audit;
use crate::kernel::background::{self, Advance, Job};
use crate::kernel::crypto::at;
use crate::kernel::engine::{Access, AdminRole, Cx, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::outbox::{Contact, ToEach};
use crate::kernel::ports::PortError;
use crate::kernel::problem::Problem;
use crate::kernel::reads::FromResult;
use crate::kernel::sweep::{Step, StepOutcome};
use crate::kernel::types::kst_date;
use crate::{read, read_set, row, stmt, use_case};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value as Json};

/// Days a change is announced before it applies, at least.
pub const NOTICE_DAYS: u64 = 7;
/// Days an important change is announced before it applies, at least.
pub const IMPORTANT_NOTICE_DAYS: u64 = 30;
/// The announcement job's kind.
pub const JOB: &str = "terms.announce";
/// Members a step of the announcement reaches.
const MEMBERS_PER_STEP: i64 = 50;
/// Who changes the terms and policies.
pub const EDITORS: &[AdminRole] = &[AdminRole::PrivacyOfficer, AdminRole::Owner];

/// The first KST day a change scheduled at `now` may apply from.
pub fn earliest_day(now: DateTime<Utc>, important: bool) -> NaiveDate {
    let days = if important {
        IMPORTANT_NOTICE_DAYS
    } else {
        NOTICE_DAYS
    };
    let today = kst_date(now);
    today
        .checked_add_days(chrono::Days::new(days))
        .unwrap_or(today)
}

#[derive(Debug, Clone)]
pub struct ScheduleInput {
    pub kind: String,
    pub title_ko: String,
    pub title_en: String,
    pub text_ko: String,
    pub text_en: String,
    pub summary_ko: String,
    pub summary_en: String,
    pub effective_on: NaiveDate,
    pub important: bool,
    pub reconsent: bool,
}

row!(
    /// A version of a document, without its texts.
    pub struct VersionRow {
        pub kind: String,
        pub version: String,
        pub required: bool,
        pub current: bool,
        pub effective_at: Option<String>,
        pub superseded_at: Option<String>,
        pub announced_at: Option<String>,
        pub important: bool,
        pub reconsent: bool,
        pub summary_ko: String,
        pub summary_en: String,
        pub title_ko: String,
    }
);

/// The columns of [`VersionRow`].
macro_rules! version_columns {
    () => {
        "kind, version, required, current, effective_at, superseded_at, announced_at, important, reconsent, summary_ko, summary_en, title_ko"
    };
}

crate::reply!(
    /// Every version of every document, newest first.
    pub struct TermsVersions {
        pub versions: Vec<TermsVersion>,
    }
    pub struct TermsVersion {
        pub kind: String,
        pub version: String,
        pub required: bool,
        /// `current`, `waiting` (announced, not yet in effect) or `superseded`
        pub state: String,
        /// the instant it applies from (KST midnight of its first day)
        pub effective_at: Option<String>,
        pub superseded_at: Option<String>,
        pub announced_at: Option<String>,
        pub important: bool,
        /// members consent again once it applies
        pub reconsent: bool,
        pub summary_ko: String,
        pub summary_en: String,
    }
);

impl VersionRow {
    fn state(&self) -> &'static str {
        if self.current {
            "current"
        } else if self.superseded_at.is_some() {
            "superseded"
        } else {
            "waiting"
        }
    }

    fn view(&self) -> TermsVersion {
        TermsVersion {
            kind: self.kind.clone(),
            version: self.version.clone(),
            required: self.required,
            state: self.state().to_owned(),
            effective_at: self.effective_at.clone(),
            superseded_at: self.superseded_at.clone(),
            announced_at: self.announced_at.clone(),
            important: self.important,
            reconsent: self.reconsent,
            summary_ko: self.summary_ko.clone(),
            summary_en: self.summary_en.clone(),
        }
    }
}

read_set!(pub struct ScheduleReads => ScheduleRows {
    current: Option<VersionRow>,
    waiting: Option<VersionRow>,
});

/// `POST /admin/terms`: a new version scheduled and announced (A8).
pub struct ScheduleTerms;
use_case!(ScheduleTerms, "admin.terms_schedule", |_uc| Access::Admin(EDITORS), ScheduleInput => ScheduleReads);

impl ScheduleTerms {
    fn reads(&self, input: &ScheduleInput, _: &Env) -> ScheduleReads {
        ScheduleReads {
            current: read!(
                concat!(
                    "SELECT ",
                    version_columns!(),
                    " FROM terms_documents WHERE kind = ? AND current = 1"
                ),
                input.kind.as_str()
            ),
            waiting: read!(
                concat!(
                    "SELECT ",
                    version_columns!(),
                    " FROM terms_documents WHERE kind = ? AND current = 0 AND superseded_at IS NULL"
                ),
                input.kind.as_str()
            ),
        }
    }

    fn decide(&self, input: ScheduleInput, rows: ScheduleRows, env: &Env) -> Result<Plan, Problem> {
        let Some(current) = rows.current else {
            return Err(Problem::field("kind", "field.document_kind"));
        };
        let earliest = earliest_day(env.now, input.important);
        if input.effective_on < earliest {
            return Err(Problem::field(
                "effective_on",
                if input.important {
                    "field.terms_important_notice"
                } else {
                    "field.terms_notice"
                },
            )
            .with("earliest", json!(earliest.to_string())));
        }
        if let Some(w) = rows.waiting {
            return Err(Problem::conflict("detail.terms_waiting").with("version", json!(w.version)));
        }
        let version = input.effective_on.to_string();
        if version <= current.version {
            return Err(Problem::field("effective_on", "field.terms_notice")
                .with("earliest", json!(earliest.to_string())));
        }
        let effective_at = crate::kernel::clocks::due_at(
            input.effective_on.pred_opt().unwrap_or(input.effective_on),
        );
        let now = env.now.to_rfc3339();
        let (job, first) = background::start_as(
            env,
            &format!("job_terms_{}_{version}", input.kind),
            JOB,
            json!({ "kind": input.kind, "version": version }),
        );
        let writes = vec![
            stmt!(
                "INSERT INTO terms_documents (kind, version, required, current, title_ko, title_en, text_ko, text_en, position,
                   effective_at, announced_at, important, reconsent, summary_ko, summary_en)
                 SELECT kind, ?, required, 0, ?, ?, ?, ?, position, ?, ?, ?, ?, ?, ?
                 FROM terms_documents WHERE kind = ? AND current = 1",
                version.as_str(),
                input.title_ko.as_str(),
                input.title_en.as_str(),
                input.text_ko.as_str(),
                input.text_en.as_str(),
                effective_at.to_rfc3339(),
                now.as_str(),
                input.important,
                input.reconsent,
                input.summary_ko.as_str(),
                input.summary_en.as_str(),
                input.kind.as_str()
            ),
            crate::kernel::engine::guard_one_change(),
            job,
            audit(env, env.caller(), "terms.scheduled", &input.kind, &version),
        ];
        let row = VersionRow {
            kind: input.kind,
            version,
            required: current.required,
            current: false,
            effective_at: Some(effective_at.to_rfc3339()),
            superseded_at: None,
            announced_at: Some(now),
            important: input.important,
            reconsent: input.reconsent,
            summary_ko: input.summary_ko,
            summary_en: input.summary_en,
            title_ko: input.title_ko,
        };
        Ok(Plan::ok(201, row.view(), writes)
            .effect(first)
            .conflict_means(Problem::conflict("detail.terms_waiting")))
    }
}

read_set!(pub struct VersionsReads => VersionsRows { versions: Vec<VersionRow> });

/// `GET /admin/terms`: every version, with its state and day.
pub struct ListTerms;
use_case!(ListTerms, "admin.terms", |_uc| Access::Admin(EDITORS), () => VersionsReads);

impl ListTerms {
    fn reads(&self, _: &(), _: &Env) -> VersionsReads {
        VersionsReads {
            versions: read!(concat!(
                "SELECT ",
                version_columns!(),
                " FROM terms_documents ORDER BY position, kind, version DESC LIMIT 200"
            )),
        }
    }

    fn decide(&self, _: (), rows: VersionsRows, _: &Env) -> Result<Plan, Problem> {
        Ok(Plan::ok(
            200,
            TermsVersions {
                versions: rows.versions.iter().map(VersionRow::view).collect(),
            },
            vec![],
        ))
    }
}

row!(
    struct Member {
        id: String,
        email_enc: Option<String>,
        phone_enc: Option<String>,
    }
);

/// Announces a scheduled version to every member in service (A8).
pub struct Announce;

#[async_trait::async_trait(?Send)]
impl Job for Announce {
    fn kind(&self) -> &'static str {
        JOB
    }

    async fn step(&self, cx: &Cx<'_>, params: &Json, cursor: &Json) -> Result<Advance, PortError> {
        let (Some(kind), Some(version)) = (params["kind"].as_str(), params["version"].as_str())
        else {
            return Ok(Advance::Fail {
                reason: "detail.job_params_invalid",
            });
        };
        let after = cursor["after"].as_str().unwrap_or("");
        let db = |e: crate::kernel::ports::DbError| PortError(e.to_string());
        let unreadable = |e: crate::kernel::reads::ReadError| PortError(e.to_string());
        let mut read = cx
            .db
            .batch(&[
                stmt!(
                    concat!(
                        "SELECT ",
                        version_columns!(),
                        " FROM terms_documents WHERE kind = ? AND version = ?"
                    ),
                    kind,
                    version
                ),
                stmt!(
                    "SELECT id, email_enc, phone_enc FROM members
                     WHERE id > ? AND status IN ('active', 'approved') ORDER BY id LIMIT ?",
                    after,
                    MEMBERS_PER_STEP
                ),
            ])
            .await
            .map_err(db)?
            .into_iter();
        let Some(doc) = Option::<VersionRow>::from_result(read.next().unwrap_or_default())
            .map_err(unreadable)?
        else {
            return Ok(Advance::Fail {
                reason: "detail.not_found",
            });
        };
        let members =
            Vec::<Member>::from_result(read.next().unwrap_or_default()).map_err(unreadable)?;
        let link = cx
            .config
            .area::<crate::kernel::notify::Links>()
            .app("account");
        let day = NaiveDate::parse_from_str(version, "%Y-%m-%d").map_or_else(
            |_| version.to_owned(),
            |d| d.format("%Y년 %-m월 %-d일").to_string(),
        );
        let key = if doc.reconsent {
            "notice.terms_changed_reconsent"
        } else {
            "notice.terms_changed"
        };
        let body = fill(
            key,
            Lang::Ko,
            &[
                ("title", &doc.title_ko),
                ("day", &day),
                ("summary", &doc.summary_ko),
                ("link", &link),
            ],
        );
        let contacts: Vec<Contact<'_>> = members
            .iter()
            .map(|m| Contact {
                member_id: &m.id,
                email_enc: m.email_enc.as_deref(),
                phone_enc: m.phone_enc.as_deref(),
            })
            .collect();
        ToEach {
            channel: "email",
            template: "terms_changed",
            body: &body,
            consent_kind: None,
        }
        .send(cx, &contacts, |m| format!("ntc_terms_{kind}_{version}_{m}"))
        .await?;
        let n = i64::try_from(members.len()).unwrap_or(0);
        Ok(match members.last() {
            Some(last) if n == MEMBERS_PER_STEP => Advance::Next {
                cursor: json!({ "after": last.id }),
                units: n,
            },
            _ => Advance::Done { units: n },
        })
    }
}

row!(
    pub struct Due {
        pub kind: String,
        pub version: String,
    }
);

read_set!(pub struct TakeReads => TakeRows { due: Option<Due> });

/// The sweep step that makes a waiting version current once its first
/// KST day has begun (A8).
pub struct TakeEffect {
    /// Moves this step's clock (local development's tests only; 0 elsewhere).
    pub clock_offset_secs: i64,
}

impl Step for TakeEffect {
    type Reads = TakeReads;
    const NAME: &'static str = "terms_in_effect";
    /// The old version superseded, the new one current, the audit entry:
    /// one version a run (a second waits for the next run's minute).
    const BUDGET: usize = 3;

    fn reads(&self, env: &Env) -> TakeReads {
        let now = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        TakeReads {
            due: read!(
                "SELECT kind, version FROM terms_documents
                 WHERE current = 0 AND superseded_at IS NULL AND effective_at <= ? ORDER BY effective_at LIMIT 1",
                now.to_rfc3339()
            ),
        }
    }

    fn plan(&self, rows: TakeRows, env: &Env) -> StepOutcome {
        let Some(d) = rows.due else {
            return StepOutcome::default();
        };
        let now = (env.now + chrono::Duration::seconds(self.clock_offset_secs)).to_rfc3339();
        StepOutcome {
            writes: vec![
                stmt!(
                    "UPDATE terms_documents SET current = 0, superseded_at = ? WHERE kind = ? AND current = 1",
                    now.as_str(),
                    d.kind.as_str()
                ),
                stmt!(
                    "UPDATE terms_documents SET current = 1 WHERE kind = ? AND version = ? AND current = 0 AND superseded_at IS NULL",
                    d.kind.as_str(),
                    d.version.as_str()
                ),
                audit(env, "system", "terms.in_effect", &d.kind, &d.version),
            ],
            effects: vec![],
            count: 1,
            more: false,
        }
    }
}

row!(
    /// A member's latest consent to a kind.
    pub struct Given {
        pub document_kind: String,
        pub document_version: String,
        pub accepted: bool,
        pub at: String,
    }
);

crate::reply!(
    /// A member's consents: each document's current version with what the
    /// member last said to which version, and the versions announced.
    pub struct MyConsents {
        pub documents: Vec<ConsentState>,
        /// announced changes not yet in effect
        pub upcoming: Vec<TermsVersion>,
    }
    pub struct ConsentState {
        pub kind: String,
        /// the version in effect
        pub version: String,
        pub required: bool,
        pub title: String,
        /// the version the member last answered, and its answer
        pub given_version: Option<String>,
        pub accepted: Option<bool>,
        pub given_at: Option<String>,
        /// the version in effect needs the member's consent again, not yet given
        pub pending: bool,
    }
);

row!(
    /// A document's version in effect, its title in one language.
    pub struct Document {
        pub kind: String,
        pub version: String,
        pub required: bool,
        pub reconsent: bool,
        pub title: String,
    }
);

read_set!(pub struct MineReads => MineRows {
    documents: Vec<Document>,
    given: Vec<Given>,
    upcoming: Vec<VersionRow>,
});

fn mine_reads(member: &str, lang: Lang) -> MineReads {
    MineReads {
        documents: if lang == Lang::Ko {
            read!("SELECT kind, version, required, reconsent, title_ko AS title FROM terms_documents WHERE current = 1 ORDER BY position, kind")
        } else {
            read!("SELECT kind, version, required, reconsent, title_en AS title FROM terms_documents WHERE current = 1 ORDER BY position, kind")
        },
        given: read!(
            "SELECT c.document_kind, c.document_version, c.accepted, c.at FROM consents c
             WHERE c.member_id = ?1 AND c.rowid = (SELECT c2.rowid FROM consents c2 WHERE c2.member_id = ?1
               AND c2.document_kind = c.document_kind ORDER BY c2.at DESC, c2.rowid DESC LIMIT 1)",
            member
        ),
        upcoming: read!(concat!(
            "SELECT ",
            version_columns!(),
            " FROM terms_documents WHERE current = 0 AND superseded_at IS NULL ORDER BY effective_at"
        )),
    }
}

fn my_consents(rows: &MineRows) -> MyConsents {
    MyConsents {
        documents: rows
            .documents
            .iter()
            .map(|d| {
                let g = rows.given.iter().find(|g| g.document_kind == d.kind);
                ConsentState {
                    kind: d.kind.clone(),
                    version: d.version.clone(),
                    required: d.required,
                    title: d.title.clone(),
                    given_version: g.map(|g| g.document_version.clone()),
                    accepted: g.map(|g| g.accepted),
                    given_at: g.map(|g| g.at.clone()),
                    pending: d.reconsent && g.is_none_or(|g| g.document_version != d.version),
                }
            })
            .collect(),
        upcoming: rows.upcoming.iter().map(VersionRow::view).collect(),
    }
}

/// `GET /member/consents`.
pub struct ConsentsView;
use_case!(ConsentsView, "member.consents", |_uc| Access::Own, Lang => MineReads);

impl ConsentsView {
    fn reads(&self, lang: &Lang, env: &Env) -> MineReads {
        mine_reads(env.caller(), *lang)
    }

    fn decide(&self, _: Lang, rows: MineRows, _: &Env) -> Result<Plan, Problem> {
        Ok(Plan::ok(200, my_consents(&rows), vec![]))
    }
}

#[derive(Debug, Clone)]
pub struct GiveInput {
    pub lang: Lang,
    pub kind: String,
    pub version: String,
    pub accepted: bool,
}

/// `POST /member/consents`: the member answers the version in effect of a
/// document: a required one only by accepting (to refuse it is to leave:
/// account withdrawal), an optional one either way (a marketing consent
/// given again, or withdrawn).
pub struct GiveConsent;
use_case!(GiveConsent, "member.give_consent", |_uc| Access::Own, GiveInput => MineReads);

impl GiveConsent {
    fn reads(&self, input: &GiveInput, env: &Env) -> MineReads {
        mine_reads(env.caller(), input.lang)
    }

    fn decide(&self, input: GiveInput, mut rows: MineRows, env: &Env) -> Result<Plan, Problem> {
        let Some(doc) = rows.documents.iter().find(|d| d.kind == input.kind) else {
            return Err(Problem::field("kind", "field.document_kind"));
        };
        if doc.version != input.version {
            return Err(
                Problem::field("version", "field.version").with("current", json!(doc.version))
            );
        }
        if doc.required && !input.accepted {
            return Err(Problem::field("accepted", "field.must_accept"));
        }
        let id = crate::kernel::crypto::new_id(env.rng, "cns");
        let now = env.now.to_rfc3339();
        let ip = env.client_ip.map(|ip| {
            env.keys
                .seal_for(env.rng, &at("consents.ip", env.caller()), ip)
        });
        let writes = vec![
            stmt!(
                "INSERT INTO consents (id, member_id, document_kind, document_version, accepted, at, ip_enc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id.as_str(),
                env.caller(),
                input.kind.as_str(),
                input.version.as_str(),
                input.accepted,
                now.as_str(),
                ip
            ),
            audit(env, env.caller(), "member.consent", &input.kind, &input.version),
        ];
        rows.given.retain(|g| g.document_kind != input.kind);
        rows.given.push(Given {
            document_kind: input.kind,
            document_version: input.version,
            accepted: input.accepted,
            at: now,
        });
        Ok(Plan::ok(200, my_consents(&rows), writes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// rule A8: 7 KST days' notice, 30 for an important change, counted
    /// from the KST day of scheduling (15:00 UTC is already the next day).
    #[test]
    fn a8_a_change_applies_7_or_30_kst_days_after_its_announcement_at_the_earliest() {
        assert_eq!(
            earliest_day(at("2026-12-07T01:00:00Z"), false).to_string(),
            "2026-12-14"
        );
        assert_eq!(
            earliest_day(at("2026-12-07T01:00:00Z"), true).to_string(),
            "2027-01-06"
        );
        assert_eq!(
            earliest_day(at("2026-12-07T15:00:00Z"), false).to_string(),
            "2026-12-15"
        );
    }
}
