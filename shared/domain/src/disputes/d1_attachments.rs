//! Rule D1, evidence files: a party adds a file to a dispute while it is
//! open, checked by its bytes like a signup document (PDF, images, video;
//! never by its name), at most 20 MB and 50 a dispute. The file goes to the
//! bucket (its key recorded in the reading round trip), its SHA-256 and
//! type to the dispute, where both parties (and the mediator) see it; it
//! is never replaced or removed while the case is kept. Like a message, a
//! file answers the objection (the respondent's) and the mediator's open
//! requests for material to its author.

use super::clocks::{answered, answers_material};
use super::dispute::{
    as_party, bump, case_reads, still_open, AttachmentRow, CaseReads, CaseRows, DisputeReads,
    DisputeRows,
};
use crate::contracts::contract::as_party as contract_party;
use crate::kernel::engine::Access;
use crate::kernel::engine::{blob_intent, BlobIntent, Download, Effect, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{read_set, stmt, use_case};

/// The largest evidence file (the signup's brochure limit).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Files a dispute holds at most.
pub const MAX_FILES: usize = 50;

#[derive(Debug, Clone)]
pub struct AttachInput {
    pub contract_id: String,
    pub dispute_id: String,
    /// the type its bytes show (`signup::sniff`)
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

read_set!(pub struct IntentReads => IntentRows { intent: Option<BlobIntent> });

/// `PUT /member/contracts/{id}/disputes/{dispute_id}/attachments`: a
/// party adds an evidence file (D1).
pub struct Attach;
use_case!(Attach, "member.dispute_attach", |_uc| Access::Matching, AttachInput => (CaseReads, IntentReads));

impl Attach {
    fn reads(&self, input: &AttachInput, env: &Env) -> (CaseReads, IntentReads) {
        (
            case_reads(&input.dispute_id, &input.contract_id, env),
            IntentReads {
                intent: blob_intent(
                    format!(
                        "disputes/{}/files/{}",
                        input.dispute_id,
                        crate::kernel::crypto::new_id(env.rng, "att")
                    ),
                    env.now,
                ),
            },
        )
    }

    fn decide(
        &self,
        input: AttachInput,
        (rows, intent): (
            <CaseReads as crate::kernel::reads::ReadSet>::Rows,
            IntentRows,
        ),
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut rows = CaseRows::from(rows);
        let c = contract_party(rows.contract.contract.clone(), env)?;
        let mut d = as_party(rows.dispute.dispute.clone(), env)?;
        still_open(&d)?;
        if rows.dispute.attachments.len() >= MAX_FILES {
            return Err(Problem::conflict("detail.dispute_files_full")
                .with("max_items", serde_json::json!(MAX_FILES)));
        }
        let key = intent.intent.map(|i| i.key).ok_or_else(Problem::internal)?;
        let id = key.rsplit('/').next().unwrap_or_default().to_owned();
        // The file's plain SHA-256, as any tool computes it.
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&input.bytes));
        let now = env.now.to_rfc3339();
        let size = i64::try_from(input.bytes.len()).unwrap_or(i64::MAX);
        let mut writes = bump(&d).to_vec();
        writes.push(stmt!(
            "INSERT INTO dispute_attachments (id, dispute_id, author_id, blob_key, content_type, bytes, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            id.as_str(),
            d.id.as_str(),
            env.caller(),
            key.as_str(),
            input.content_type,
            size,
            sha.as_str(),
            now.as_str()
        ));
        writes.extend(answered(&mut d, env));
        writes.extend(answers_material(&mut rows.dispute, env));
        d.version += 1;
        rows.dispute.attachments.push(AttachmentRow {
            id,
            author_id: env.caller().to_owned(),
            content_type: input.content_type.to_owned(),
            bytes: size,
            sha256: sha,
            created_at: now,
        });
        let put = Effect::PutBlob {
            key,
            bytes: input.bytes,
            content_type: input.content_type.to_owned(),
        };
        Ok(rows
            .answer(201, &d, &c, writes, "notice.dispute.file", false, env)?
            .effects(vec![put])
            .conflict_means(Problem::conflict("detail.dispute_changed")))
    }
}

#[derive(Debug, Clone)]
pub struct FileInput {
    pub contract_id: String,
    pub dispute_id: String,
    pub attachment_id: String,
}

/// `GET /member/contracts/{id}/disputes/{dispute_id}/attachments/{attachment_id}`:
/// a file of the dispute, to either party, as it was added.
pub struct DownloadAttachment;
use_case!(DownloadAttachment, "member.dispute_file", |_uc| Access::Matching, FileInput => DisputeReads);

impl DownloadAttachment {
    fn reads(&self, input: &FileInput, env: &Env) -> DisputeReads {
        super::dispute::dispute_reads(&input.dispute_id, &input.contract_id, env)
    }

    fn decide(&self, input: FileInput, rows: DisputeRows, env: &Env) -> Result<Plan, Problem> {
        let d = as_party(rows.dispute, env)?;
        let a = rows
            .attachments
            .iter()
            .find(|a| a.id == input.attachment_id)
            .ok_or_else(Problem::not_found)?;
        Ok(Plan::download(
            Download {
                blob_key: format!("disputes/{}/files/{}", d.id, a.id),
                content_type: a.content_type.clone(),
                filename: format!("{}-{}", d.id, a.id),
                sealed_at: None,
            },
            vec![],
        ))
    }
}
