//! Rule S6: an admin's review decision (`approve`, `hold`, `reject`) with a
//! required reason, audited, the applicant notified; and the review queue
//! with S9's duplicate flags.

use super::member::{read_member, MemberRow, MemberStatus};
use super::s1_steps::{Progress, Step};
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Download, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::outbox::outbox;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::{open_opt, SealedText};
use crate::personal_data::place::{DECISION_REASON, REVIEW_REASON};
use crate::{read, read_set, row, stmt, use_case};
use serde_json::Value as Json;

/// Who reviews applications (rule S6, least privilege).
pub const REVIEWERS: &[AdminRole] = &[AdminRole::Reviewer, AdminRole::Owner];

crate::text_enum!(
    /// An admin's decision on an application.
    pub enum Decision {
        Approve = "approve",
        Hold = "hold",
        Reject = "reject",
    }
);

impl Decision {
    fn status(self) -> MemberStatus {
        match self {
            Decision::Approve => MemberStatus::Approved,
            Decision::Hold => MemberStatus::OnHold,
            Decision::Reject => MemberStatus::Rejected,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReviewInput {
    pub member_id: String,
    pub decision: Decision,
    pub reason: String,
}

/// The member an admin acts on: it exists (404) and is at this step (409).
///
/// # Errors
/// 404 for an unknown member; 409 when it is not at `step`.
pub fn at_step(member: Option<MemberRow>, step: Step) -> Result<MemberRow, Problem> {
    let m = member.ok_or_else(Problem::not_found)?;
    Progress::of(&m, true).allows(step)?;
    Ok(m)
}

row!(
    /// A possible duplicate signup (rule S9).
    pub struct Flag {
        pub reason: String,
        pub other_member_id: String,
    }
);

crate::reply!(
    /// A review decision taken (rule S6).
    @personal pub struct Decided {
        pub member_id: String,
        pub status: MemberStatus,
        pub decision: Decision,
        pub reason: String,
        /// duplicate-suspicion flags staff saw (rule S9)
        pub flags: Vec<FlagView>,
        pub next: &'static str,
    }
    /// Why an application was flagged for review (rule S9).
    pub struct FlagView {
        pub reason: String,
        pub other_member_id: String,
    }
);

impl FlagView {
    fn of(f: &Flag) -> FlagView {
        FlagView {
            reason: f.reason.clone(),
            other_member_id: f.other_member_id.clone(),
        }
    }
}

read_set!(pub struct ReviewReads => ReviewRows {
    member: Option<MemberRow>,
    flags: Vec<Flag>,
});

/// `POST /admin/reviews`: step 6, an admin's decision.
pub struct Review;
use_case!(Review, "admin.review", |_uc| Access::Admin(REVIEWERS), ReviewInput => ReviewReads);

impl Review {
    fn reads(&self, input: &ReviewInput, _: &Env) -> ReviewReads {
        ReviewReads {
            member: read_member(&input.member_id),
            flags: read!(
                "SELECT reason, other_member_id FROM signup_flags WHERE member_id = ?",
                input.member_id.as_str()
            ),
        }
    }

    fn decide(&self, input: ReviewInput, rows: ReviewRows, env: &Env) -> Result<Plan, Problem> {
        let m = at_step(rows.member, Step::Review)?;
        let admin = env.caller();
        let id = input.member_id.as_str();
        let now = env.now.to_rfc3339();
        let review = new_id(env.rng, "rev");
        let mut writes = vec![
            stmt!(
                "UPDATE members SET status = ?, decision = ?, decision_reason = ?, version = version + 1
                 WHERE id = ? AND version = ? AND status IN ('submitted','on_hold')",
                input.decision.status(),
                input.decision,
                SealedText::seal(env, DECISION_REASON, id, &input.reason),
                id,
                m.version
            ),
            guard_one_change(),
            stmt!(
                "INSERT INTO reviews (id, member_id, admin_id, decision, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                review.as_str(),
                id,
                admin,
                input.decision,
                SealedText::seal(env, REVIEW_REASON, &review, &input.reason),
                now.as_str()
            ),
            // The reason stays in its review row: the append-only chain
            // never holds what a person wrote.
            audit(env, admin, &format!("review.{}", input.decision.as_str()), id, &format!("reviews/{review}")),
        ];
        if input.decision == Decision::Approve {
            // Rule S4: an approved member's public company data is what
            // "search my company" finds from now on.
            writes.push(super::s4_company::known_company(id));
        }
        let mut effects = Vec::new();
        // The applicant hears of the decision by e-mail and text message,
        // as the status page promises, each with a link to the status.
        let link = env
            .config
            .area::<crate::kernel::notify::Links>()
            .app("signup/status");
        let decision_key = format!("notice.decision_{}", input.decision.as_str());
        let decision = crate::kernel::i18n::msg(&decision_key, Lang::Ko);
        if let Some(phone) = m.open(env.keys, "members.phone", &m.phone_enc) {
            let text = fill(
                "notice.review_sms",
                Lang::Ko,
                &[("decision", decision), ("link", &link)],
            );
            let (notice, send) = outbox(env, id, "sms", "review_sms", &phone, &text);
            writes.push(notice);
            effects.push(send);
        }
        if let Some(email) = m.open(env.keys, "members.email", &m.email_enc) {
            let text = fill(
                "notice.review_result",
                Lang::Ko,
                &[
                    ("decision", decision),
                    ("reason", &input.reason),
                    ("link", &link),
                ],
            );
            let (notice, send) = outbox(
                env,
                id,
                "email",
                &format!("review_{}", input.decision.as_str()),
                &email,
                &text,
            );
            writes.push(notice);
            effects.push(send);
        }
        let brn_taken = Problem::new(
            409,
            "business-number",
            "title.conflict",
            "detail.brn_duplicate",
        );
        Ok(Plan::ok(
            200,
            Decided {
                member_id: id.to_owned(),
                status: input.decision.status(),
                decision: input.decision,
                reason: input.reason.clone(),
                flags: rows.flags.iter().map(FlagView::of).collect(),
                next: if input.decision == Decision::Approve {
                    "contract"
                } else {
                    "none"
                },
            },
            writes,
        )
        .effects(effects)
        .conflict_means(brn_taken)
        .touches(id, "review.decide_and_notify"))
    }
}

row!(
    /// An application awaiting a decision.
    pub struct Pending {
        pub id: String,
        pub kind: String,
        pub status: MemberStatus,
        pub company_name: Option<String>,
        pub business_number: Option<String>,
        pub submitted_at: Option<String>,
        pub flags: Option<String>,
    }
);

crate::reply!(
    /// Applications awaiting a decision, oldest first (at most 100).
    pub struct ReviewQueueView {
        pub items: Vec<PendingView>,
    }
    pub struct PendingView {
        pub member_id: String,
        pub kind: String,
        pub status: MemberStatus,
        pub company_name: Option<String>,
        pub business_number: Option<String>,
        pub submitted_at: Option<String>,
        /// S9 flag reasons
        pub flags: Option<Vec<String>>,
    }
);

read_set!(pub struct QueueReads => QueueRows { pending: Vec<Pending> });

/// `GET /admin/reviews`: applications awaiting a decision, with S9 flags.
pub struct ReviewQueue;
use_case!(ReviewQueue, "admin.review_queue", |_uc| Access::Admin(REVIEWERS), () => QueueReads);

impl ReviewQueue {
    fn reads(&self, _: &(), _: &Env) -> QueueReads {
        QueueReads {
            pending: read!(
                "SELECT m.id, m.kind, m.status, m.company_name, m.business_number, m.submitted_at,
                   (SELECT json_group_array(f.reason) FROM signup_flags f WHERE f.member_id = m.id) AS flags
                 FROM members m WHERE m.status IN ('submitted','on_hold') ORDER BY m.submitted_at LIMIT 100"
            ),
        }
    }

    fn decide(&self, _: (), rows: QueueRows, _: &Env) -> Result<Plan, Problem> {
        let items = rows
            .pending
            .into_iter()
            .map(|r| PendingView {
                flags: r
                    .flags
                    .as_deref()
                    .and_then(|f| serde_json::from_str(f).ok()),
                member_id: r.id,
                kind: r.kind,
                status: r.status,
                company_name: r.company_name,
                business_number: r.business_number,
                submitted_at: r.submitted_at,
            })
            .collect();
        Ok(Plan::ok(200, ReviewQueueView { items }, vec![]))
    }
}

/// Who may read an applicant's or member's full record: reviewers for the
/// decision, billing for activation and devices, owners.
pub const MEMBER_READERS: &[AdminRole] =
    &[AdminRole::Reviewer, AdminRole::Billing, AdminRole::Owner];

row!(
    /// A document's listing (the bytes stay in the blob store).
    pub struct DocumentListing {
        pub id: String,
        pub kind: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub created_at: String,
    }
);

crate::reply!(
    /// An applicant's or member's whole record, for staff (the read is
    /// written to the access log).
    @personal pub struct MemberRecord {
        #[serde(flatten)]
        pub identity: crate::signup::member::Identity,
        /// highest signup step completed
        pub step: i64,
        pub phone_verified: bool,
        pub business_number: Option<String>,
        pub representative_name: Option<String>,
        pub address: Option<String>,
        /// the other company fields of step 3
        pub company: Option<Json>,
        /// category codes
        pub categories: Option<Json>,
        pub decision: Option<String>,
        pub decision_reason: Option<String>,
        pub device_limit: i64,
        pub suspended: bool,
        /// trial matchings recorded, and how many come before the system
        /// fee (rule S7): what activation may record next
        pub trial_matchings: i64,
        pub trial_matchings_required: i64,
        pub trials_waived: bool,
        pub documents: Vec<DocumentView>,
        pub flags: Vec<FlagView>,
        /// what the applicant changed while the application was on hold,
        /// oldest first: the step and the fields or document kinds
        pub changes: Vec<ChangeView>,
        /// the platform ended the membership (S10): why, and until when the
        /// member reads its data (R4)
        pub termination: Option<TerminationView>,
    }
    pub struct TerminationView {
        pub cause: crate::signup::s10_termination::TerminationCause,
        pub reason: Option<String>,
        pub terminated_at: Option<String>,
        pub read_only_until: Option<String>,
    }
    pub struct ChangeView {
        /// `company` or `documents`
        pub step: String,
        /// field names (company) or document kinds (documents)
        pub fields: Vec<String>,
        pub at: String,
    }
    pub struct DocumentView {
        pub document_id: String,
        pub kind: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub created_at: String,
    }
);

read_set!(pub struct ProfileReads => ProfileRows {
    member: Option<MemberRow>,
    documents: Vec<DocumentListing>,
    flags: Vec<Flag>,
    changes: Vec<ChangeRow>,
    trials: crate::kernel::reads::Count,
});

row!(
    /// A save made while the application was on hold (issue 22).
    pub struct ChangeRow {
        pub step: String,
        pub fields: String,
        pub at: String,
    }
);

/// `GET /admin/members/{id}`: an applicant's or member's whole record for
/// staff, personal fields decrypted; the read is written to the access log.
pub struct MemberProfile;
use_case!(MemberProfile, "admin.member_profile", |_uc| Access::Admin(MEMBER_READERS), String => ProfileReads);

impl MemberProfile {
    fn reads(&self, id: &String, _: &Env) -> ProfileReads {
        ProfileReads {
            member: read_member(id),
            documents: read!(
                "SELECT id, kind, content_type, size_bytes, created_at FROM documents WHERE member_id = ? ORDER BY created_at",
                id.as_str()
            ),
            flags: read!(
                "SELECT reason, other_member_id FROM signup_flags WHERE member_id = ?",
                id.as_str()
            ),
            changes: read!(
                "SELECT step, fields, at FROM application_changes WHERE member_id = ? ORDER BY at, rowid LIMIT 200",
                id.as_str()
            ),
            trials: read!(
                "SELECT COUNT(*) AS n FROM trial_matchings WHERE member_id = ?",
                id.as_str()
            ),
        }
    }

    fn decide(&self, id: String, rows: ProfileRows, env: &Env) -> Result<Plan, Problem> {
        let m = rows.member.ok_or_else(Problem::not_found)?;

        let company = m
            .company_json
            .as_deref()
            .and_then(|c| serde_json::from_str::<Json>(c).ok());
        let categories = m
            .categories
            .as_deref()
            .and_then(|c| serde_json::from_str::<Json>(c).ok());
        let body = MemberRecord {
            identity: m.identity(env.keys),
            step: m.step,
            phone_verified: m.phone_verified_at.is_some(),
            representative_name: m.open(
                env.keys,
                "members.representative_name",
                &m.representative_name_enc,
            ),
            address: m.open(env.keys, "members.address", &m.address_enc),
            company,
            categories,
            device_limit: m.device_limit,
            suspended: m.suspended_at.is_some(),
            trial_matchings: rows.trials.n,
            trial_matchings_required: env
                .config
                .area::<crate::signup::SignupConfig>()
                .trial_matchings,
            trials_waived: m.trials_waived,
            documents: rows
                .documents
                .into_iter()
                .map(|d| DocumentView {
                    document_id: d.id,
                    kind: d.kind,
                    content_type: d.content_type,
                    size_bytes: d.size_bytes,
                    created_at: d.created_at,
                })
                .collect(),
            flags: rows.flags.iter().map(FlagView::of).collect(),
            changes: rows
                .changes
                .into_iter()
                .map(|c| ChangeView {
                    fields: serde_json::from_str(&c.fields).unwrap_or_default(),
                    step: c.step,
                    at: c.at,
                })
                .collect(),
            termination: match m.termination_cause {
                Some(cause) => Some(TerminationView {
                    cause,
                    reason: open_opt(
                        &m.termination_reason,
                        env.keys,
                        crate::personal_data::place::TERMINATION_REASON,
                        &m.id,
                    )?,
                    terminated_at: m.closed_at.clone(),
                    read_only_until: m.read_only_until.clone(),
                }),
                None => None,
            },
            business_number: m.business_number,
            decision: m.decision,
            decision_reason: open_opt(&m.decision_reason, env.keys, DECISION_REASON, &m.id)?,
        };
        Ok(Plan::ok(200, body, vec![]).touches(&id, "member.read_profile"))
    }
}

row!(
    pub struct MemberSummaryRow {
        pub id: String,
        pub kind: String,
        pub status: MemberStatus,
        pub company_name: Option<String>,
        pub business_number: Option<String>,
        pub device_limit: i64,
        pub devices: i64,
        pub suspended_at: Option<String>,
        pub created_at: String,
        pub activated_at: Option<String>,
    }
);

crate::reply!(
    /// Members and applicants, newest first (at most 100), with their device
    /// limits (rule V6); company data only, nothing personal.
    pub struct MemberList {
        pub items: Vec<MemberSummary>,
    }
    pub struct MemberSummary {
        pub member_id: String,
        /// `partner` or `client`
        pub kind: String,
        pub status: MemberStatus,
        pub company_name: Option<String>,
        /// `000-00-00000`
        pub business_number: Option<String>,
        /// terminals allowed
        pub device_limit: i64,
        /// terminals registered
        pub devices: i64,
        pub suspended: bool,
        pub created_at: String,
        pub activated_at: Option<String>,
    }
);

read_set!(pub struct MemberListReads => MemberListRows { members: Vec<MemberSummaryRow> });

/// `GET /admin/members[?status=…]`: the member list staff start from.
pub struct MemberListView;
use_case!(MemberListView, "admin.member_list", |_uc| Access::Admin(MEMBER_READERS), Option<MemberStatus> => MemberListReads);

impl MemberListView {
    fn reads(&self, status: &Option<MemberStatus>, _: &Env) -> MemberListReads {
        // One statement for both: `?` empty means every status.
        let status = status.map_or("", MemberStatus::as_str);
        MemberListReads {
            members: read!(
                "SELECT m.id, m.kind, m.status, m.company_name, m.business_number, m.device_limit,
                   (SELECT COUNT(*) FROM terminals t WHERE t.member_id = m.id) AS devices,
                   m.suspended_at, m.created_at, m.activated_at
                 FROM members m WHERE ? IN ('', m.status) ORDER BY m.created_at DESC LIMIT 100",
                status
            ),
        }
    }

    fn decide(
        &self,
        _: Option<MemberStatus>,
        rows: MemberListRows,
        _: &Env,
    ) -> Result<Plan, Problem> {
        let items = rows
            .members
            .into_iter()
            .map(|m| MemberSummary {
                business_number: m
                    .business_number
                    .as_deref()
                    .and_then(|b| crate::kernel::types::BusinessNumber::parse(b).ok())
                    .as_ref()
                    .map(crate::kernel::types::BusinessNumber::formatted),
                member_id: m.id,
                kind: m.kind,
                status: m.status,
                company_name: m.company_name,
                device_limit: m.device_limit,
                devices: m.devices,
                suspended: m.suspended_at.is_some(),
                created_at: m.created_at,
                activated_at: m.activated_at,
            })
            .collect();
        Ok(Plan::ok(200, MemberList { items }, vec![]))
    }
}

row!(
    /// Where a document's bytes are.
    pub struct StoredDocument {
        pub kind: String,
        pub content_type: String,
        pub blob_key: String,
    }
);

read_set!(pub struct DocumentFileReads => DocumentFileRows { document: Option<StoredDocument> });

/// `GET /admin/members/{id}/documents/{doc}`: a document's file for staff,
/// as an attachment (never rendered by the browser); the read is written
/// to the access log.
pub struct DocumentFile;
use_case!(DocumentFile, "admin.document_file", |_uc| Access::Admin(MEMBER_READERS), (String, String) => DocumentFileReads);

impl DocumentFile {
    fn reads(&self, (member, doc): &(String, String), _: &Env) -> DocumentFileReads {
        DocumentFileReads {
            document: read!(
                "SELECT kind, content_type, blob_key FROM documents WHERE id = ? AND member_id = ?",
                doc.as_str(),
                member.as_str()
            ),
        }
    }

    fn decide(
        &self,
        (member, doc): (String, String),
        rows: DocumentFileRows,
        _: &Env,
    ) -> Result<Plan, Problem> {
        let d = rows.document.ok_or_else(Problem::not_found)?;
        let ext = match d.content_type.as_str() {
            "application/pdf" => "pdf",
            "image/jpeg" => "jpg",
            "image/png" => "png",
            "image/gif" => "gif",
            "image/webp" => "webp",
            "video/quicktime" => "mov",
            "video/webm" => "webm",
            _ => "mp4",
        };
        Ok(Plan::download(
            Download {
                blob_key: d.blob_key,
                filename: format!("{}-{doc}.{ext}", d.kind),
                content_type: d.content_type,
                sealed_at: None,
            },
            vec![],
        )
        .touches(&member, "member.read_document"))
    }
}
