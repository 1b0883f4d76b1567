//! Rule S5: documents — the business registration certificate (PDF, JPG or
//! PNG), a company brochure (PDF, at most 20 MB) and at least 5 portfolio
//! items (images or video), typed by their bytes, never by their name.

use super::member::{own, read_member, MemberRow};
use super::s1_steps::{Progress, Step};
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, Effect, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Read;
use crate::{read, read_set, row, stmt, use_case};

crate::text_enum!(
    /// What a document is for (rule S5): `?kind=` of the upload, and the
    /// OpenAPI document's enumeration of it.
    pub enum DocKind {
        RegistrationCertificate = "registration_certificate",
        Brochure = "brochure",
        Portfolio = "portfolio",
    }
);

/// The largest upload of any kind: the function's body limit (a larger
/// body is refused before it is read).
pub const MAX_UPLOAD_BYTES: usize = {
    let (a, b, c) = (
        DocKind::RegistrationCertificate.max_bytes(),
        DocKind::Brochure.max_bytes(),
        DocKind::Portfolio.max_bytes(),
    );
    let ab = if a > b { a } else { b };
    if ab > c {
        ab
    } else {
        c
    }
};

impl DocKind {
    /// Largest accepted file (rule S5: brochure at most 20 MB).
    pub const fn max_bytes(self) -> usize {
        match self {
            DocKind::RegistrationCertificate => 10 * 1024 * 1024,
            DocKind::Brochure | DocKind::Portfolio => 20 * 1024 * 1024,
        }
    }
    /// Content types accepted, as sniffed from the bytes (rule S5).
    pub fn accepts(self, sniffed: &str) -> bool {
        match self {
            DocKind::RegistrationCertificate => {
                matches!(sniffed, "application/pdf" | "image/jpeg" | "image/png")
            }
            DocKind::Brochure => sniffed == "application/pdf",
            DocKind::Portfolio => sniffed.starts_with("image/") || sniffed.starts_with("video/"),
        }
    }
}

pub use super::sniff::{sniff, CONTENT_TYPES};

#[derive(Debug, Clone)]
pub struct DocumentInput {
    pub kind: DocKind,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

pub const PORTFOLIO_MIN: i64 = 5;
/// Portfolio items one application may hold (A6: 60 were accepted once).
pub const PORTFOLIO_MAX: i64 = 20;

row!(
    /// How many documents of a kind an application holds.
    pub struct DocumentCount {
        pub kind: String,
        pub n: i64,
    }
);

pub fn count_documents(id: &str) -> Read<Vec<DocumentCount>> {
    read!(
        "SELECT kind, COUNT(*) AS n FROM documents WHERE member_id = ? GROUP BY kind",
        id
    )
}

/// Which required documents are still missing (rule S5).
pub fn missing_documents(counts: &[DocumentCount]) -> Vec<&'static str> {
    let n = |k: DocKind| {
        counts
            .iter()
            .find(|c| c.kind == k.as_str())
            .map_or(0, |c| c.n)
    };
    let mut missing = Vec::new();
    if n(DocKind::RegistrationCertificate) < 1 {
        missing.push(DocKind::RegistrationCertificate.as_str());
    }
    if n(DocKind::Brochure) < 1 {
        missing.push(DocKind::Brochure.as_str());
    }
    if n(DocKind::Portfolio) < PORTFOLIO_MIN {
        missing.push(DocKind::Portfolio.as_str());
    }
    missing
}

crate::reply!(
    pub struct DocumentStored {
        pub document_id: String,
        pub kind: &'static str,
        pub content_type: &'static str,
        pub size_bytes: usize,
        /// document kinds still required
        pub missing: Vec<&'static str>,
        pub next: &'static str,
    }
);

read_set!(pub struct DocumentsReads => DocumentsRows {
    member: Option<MemberRow>,
    counts: Vec<DocumentCount>,
    intent: Option<crate::kernel::engine::BlobIntent>,
});

/// Step 4: documents (rule S5). Certificate and brochure replace the previous
/// one; portfolio items add up.
pub struct Documents;
use_case!(Documents, "signup.documents", |_uc| Access::Signup, DocumentInput => DocumentsReads);

impl Documents {
    fn reads(&self, _: &DocumentInput, env: &Env) -> DocumentsReads {
        DocumentsReads {
            member: read_member(env.caller()),
            counts: count_documents(env.caller()),
            intent: crate::kernel::engine::blob_intent(
                format!("members/{}/{}", env.caller(), new_id(env.rng, "doc")),
                env.now,
            ),
        }
    }

    fn decide(
        &self,
        input: DocumentInput,
        rows: DocumentsRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let id = m.id.as_str();
        Progress::of(&m, false).allows(Step::Documents)?;
        let blob_key = rows.intent.map(|i| i.key).ok_or_else(Problem::internal)?;
        let doc_id = blob_key.rsplit('/').next().unwrap_or_default().to_owned();
        let replaced = input.kind != DocKind::Portfolio;
        let held = |k: DocKind| {
            rows.counts
                .iter()
                .find(|c| c.kind == k.as_str())
                .map_or(0, |c| c.n)
        };
        let portfolio_full = || {
            Problem::new(
                409,
                "portfolio-full",
                "title.conflict",
                "detail.portfolio_full",
            )
            .with("max_items", serde_json::json!(PORTFOLIO_MAX))
        };
        if !replaced && held(DocKind::Portfolio) >= PORTFOLIO_MAX {
            return Err(portfolio_full());
        }
        let mut writes = Vec::new();
        if replaced {
            writes.push(stmt!(
                "DELETE FROM documents WHERE member_id = ? AND kind = ?",
                id,
                input.kind.as_str()
            ));
        }
        // Re-counted in the batch: parallel uploads cannot pass the cap.
        writes.push(stmt!(
            "INSERT INTO documents (id, member_id, kind, content_type, size_bytes, blob_key, created_at)
             SELECT ?, ?, ?, ?, ?, ?, ?
             WHERE ? <> 'portfolio' OR (SELECT COUNT(*) FROM documents WHERE member_id = ? AND kind = 'portfolio') < ?",
            doc_id.as_str(),
            id,
            input.kind.as_str(),
            input.content_type,
            i64::try_from(input.bytes.len()).unwrap_or(i64::MAX),
            blob_key.as_str(),
            env.now.to_rfc3339(),
            input.kind.as_str(),
            id,
            PORTFOLIO_MAX
        ));
        writes.push(guard_one_change());
        // Uploads may run in parallel (five portfolio items at once), so the
        // guard is the application still being editable, not its version.
        writes.push(stmt!(
            "UPDATE members SET version = version + 1 WHERE id = ? AND status IN ('applying', 'on_hold')",
            id
        ));
        writes.push(guard_one_change());
        writes.extend(crate::signup::s1_steps::record_change(
            env,
            &m,
            "documents",
            &[input.kind.as_str()],
        ));
        // Counts after this upload, for the applicant's checklist.
        let mut counts = rows.counts;
        match counts.iter_mut().find(|c| c.kind == input.kind.as_str()) {
            Some(c) => c.n = if replaced { 1 } else { c.n + 1 },
            None => counts.push(DocumentCount {
                kind: input.kind.as_str().to_owned(),
                n: 1,
            }),
        }
        let missing = missing_documents(&counts);
        Ok(Plan::ok(
            201,
            DocumentStored {
                document_id: doc_id.clone(),
                kind: input.kind.as_str(),
                content_type: input.content_type,
                size_bytes: input.bytes.len(),
                next: if missing.is_empty() {
                    "submit"
                } else {
                    "documents"
                },
                missing,
            },
            writes,
        )
        .effect(Effect::PutBlob {
            key: blob_key,
            bytes: input.bytes,
            content_type: input.content_type.to_owned(),
        }))
    }
}

row!(
    /// One of the applicant's documents (the bytes stay in the blob store).
    pub struct StoredDocument {
        pub id: String,
        pub kind: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub created_at: String,
    }
);

/// The applicant's documents, oldest first (at most 50: 1 + 1 + 20).
pub fn list_documents(id: &str) -> Read<Vec<StoredDocument>> {
    read!(
        "SELECT id, kind, content_type, size_bytes, created_at FROM documents WHERE member_id = ? ORDER BY created_at, id LIMIT 50",
        id
    )
}

crate::reply!(
    /// A document the applicant uploaded, as its status lists it.
    pub struct DocumentListed {
        pub document_id: String,
        pub kind: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub created_at: String,
    }
    /// A document removed before submission (or while on hold).
    pub struct DocumentRemoved {
        pub document_id: String,
        pub kind: String,
        /// document kinds still required
        pub missing: Vec<&'static str>,
    }
);

/// How many documents of each kind `docs` holds.
pub fn counted<'a>(docs: impl Iterator<Item = &'a StoredDocument>) -> Vec<DocumentCount> {
    let mut counts: Vec<DocumentCount> = Vec::new();
    for d in docs {
        match counts.iter_mut().find(|c| c.kind == d.kind) {
            Some(c) => c.n += 1,
            None => counts.push(DocumentCount {
                kind: d.kind.clone(),
                n: 1,
            }),
        }
    }
    counts
}

impl StoredDocument {
    pub fn listed(self) -> DocumentListed {
        DocumentListed {
            document_id: self.id,
            kind: self.kind,
            content_type: self.content_type,
            size_bytes: self.size_bytes,
            created_at: self.created_at,
        }
    }
}

read_set!(pub struct RemoveReads => RemoveRows {
    member: Option<MemberRow>,
    documents: Vec<StoredDocument>,
});

/// `DELETE /signup/documents/{id}`: the applicant removes one of its
/// documents while the application may be edited (before submission, or
/// on hold); a later upload of the kind replaces, this takes it away.
pub struct RemoveDocument;
use_case!(RemoveDocument, "signup.remove_document", |_uc| Access::Signup, String => RemoveReads);

impl RemoveDocument {
    fn reads(&self, _: &String, env: &Env) -> RemoveReads {
        RemoveReads {
            member: read_member(env.caller()),
            documents: list_documents(env.caller()),
        }
    }

    fn decide(&self, document_id: String, rows: RemoveRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let id = m.id.as_str();
        Progress::of(&m, false).allows(Step::Documents)?;
        // Another applicant's document is as unknown as a made-up id.
        let doc = rows
            .documents
            .iter()
            .find(|d| d.id == document_id)
            .ok_or_else(Problem::not_found)?;
        let counts = counted(rows.documents.iter().filter(|d| d.id != document_id));
        let mut writes = vec![
            stmt!(
                "DELETE FROM documents WHERE id = ? AND member_id = ?",
                doc.id.as_str(),
                id
            ),
            guard_one_change(),
            stmt!(
                "UPDATE members SET version = version + 1 WHERE id = ? AND status IN ('applying', 'on_hold')",
                id
            ),
            guard_one_change(),
        ];
        writes.extend(crate::signup::s1_steps::record_change(
            env,
            &m,
            "documents",
            &[doc.kind.as_str()],
        ));
        Ok(Plan::ok(
            200,
            DocumentRemoved {
                document_id: doc.id.clone(),
                kind: doc.kind.clone(),
                missing: missing_documents(&counts),
            },
            writes,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s5_missing_documents_need_a_certificate_a_brochure_and_five_portfolio_items() {
        let c = |kind: &str, n| DocumentCount {
            kind: kind.into(),
            n,
        };
        assert_eq!(
            missing_documents(&[]),
            ["registration_certificate", "brochure", "portfolio"]
        );
        assert_eq!(
            missing_documents(&[
                c("registration_certificate", 1),
                c("brochure", 1),
                c("portfolio", 4)
            ]),
            ["portfolio"]
        );
        assert!(missing_documents(&[
            c("registration_certificate", 1),
            c("brochure", 1),
            c("portfolio", 5)
        ])
        .is_empty());
    }
}
