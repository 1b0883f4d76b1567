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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    RegistrationCertificate,
    Brochure,
    Portfolio,
}

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
    pub fn parse(s: &str) -> Result<DocKind, &'static str> {
        match s {
            "registration_certificate" => Ok(DocKind::RegistrationCertificate),
            "brochure" => Ok(DocKind::Brochure),
            "portfolio" => Ok(DocKind::Portfolio),
            _ => Err("field.document_kind"),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::RegistrationCertificate => "registration_certificate",
            DocKind::Brochure => "brochure",
            DocKind::Portfolio => "portfolio",
        }
    }
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

/// Every type `sniff` recognises.
pub const CONTENT_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "video/mp4",
    "video/quicktime",
    "video/webm",
];

/// The file's type, by its content (rule S5), or `None` when it is not a
/// well-formed file of a type we take. The first bytes name the type; the
/// structure must then hold to the end (a PDF ends with `%%EOF`, PNG chunks
/// run from `IHDR` to `IEND`, MP4 boxes tile the file, …), and nothing in
/// the first kilobyte may read as HTML or script: a PDF+HTML or `ftyp`+HTML
/// polyglot, which a browser could render as a page, is refused.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if looks_like_markup(bytes) {
        return None;
    }
    let starts = |m: &[u8]| bytes.starts_with(m);
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let (kind, well_formed) = if starts(b"%PDF-") {
        ("application/pdf", contains(tail, b"%%EOF"))
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        ("image/jpeg", contains(tail, &[0xFF, 0xD9]))
    } else if starts(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        ("image/png", png_chunks(&bytes[8..]))
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        ("image/gif", bytes.len() > 13 && bytes.ends_with(&[0x3B]))
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        let size = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        ("image/webp", size + 8 == bytes.len())
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let kind = if &bytes[8..12] == b"qt  " {
            "video/quicktime"
        } else {
            "video/mp4"
        };
        (kind, iso_boxes(bytes))
    } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        (
            "video/webm",
            contains(&bytes[..bytes.len().min(64)], b"webm"),
        )
    } else {
        return None;
    };
    well_formed.then_some(kind)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// HTML or script in the first kilobyte (what browsers sniff).
fn looks_like_markup(bytes: &[u8]) -> bool {
    let head: Vec<u8> = bytes[..bytes.len().min(1024)]
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    [
        &b"<html"[..],
        b"<!doctype",
        b"<script",
        b"<body",
        b"<head",
        b"<iframe",
        b"<svg",
        b"<?xml",
        b"javascript:",
    ]
    .iter()
    .any(|m| contains(&head, m))
}

/// PNG chunks (length, type, data, CRC) from `IHDR` to `IEND`, ending
/// exactly at the end of the file.
fn png_chunks(mut rest: &[u8]) -> bool {
    let mut first = true;
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let kind = &rest[4..8];
        if first && kind != b"IHDR" || !kind.iter().all(u8::is_ascii_alphabetic) {
            return false;
        }
        first = false;
        let Some(next) = rest.get(12 + len..) else {
            return false;
        };
        if kind == b"IEND" {
            return next.is_empty();
        }
        rest = next;
    }
    false
}

/// ISO base media boxes (size, type) tiling the whole file, `ftyp` first.
fn iso_boxes(bytes: &[u8]) -> bool {
    let mut at = 0usize;
    while at < bytes.len() {
        let Some(head) = bytes.get(at..at + 8) else {
            return false;
        };
        let size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        if !kind.iter().all(|b| b.is_ascii_alphanumeric() || *b == b' ') {
            return false;
        }
        let size = match size {
            0 => bytes.len() - at,
            1 => match bytes.get(at + 8..at + 16) {
                Some(b) => u64::from_be_bytes(b.try_into().unwrap_or([0; 8])) as usize,
                None => return false,
            },
            n => n,
        };
        if size < 8 {
            return false;
        }
        at = match at.checked_add(size) {
            Some(next) if next <= bytes.len() => next,
            _ => return false,
        };
    }
    at == bytes.len()
}

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
        let doc_id = new_id(env.rng, "doc");
        let blob_key = format!("members/{id}/{doc_id}");
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
            "UPDATE members SET version = version + 1 WHERE id = ? AND status = 'applying'",
            id
        ));
        writes.push(guard_one_change());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s5_sniffs_content_types_by_magic_bytes() {
        assert_eq!(
            sniff(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"),
            Some("application/pdf")
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0xFF, 0xD9]),
            Some("image/jpeg")
        );
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0\0\0\0;"), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\x0c\0\0\0WEBPVP8 \0\0\0\0"), Some("image/webp"));
        assert_eq!(
            sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm"),
            Some("video/webm")
        );
        assert_eq!(sniff(b"\0\0\0\x10ftypmp42\0\0\0\0"), Some("video/mp4"));
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.extend_from_slice(b"\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\0\0\0\0");
        png.extend_from_slice(b"\0\0\0\0IEND\xae\x42\x60\x82");
        assert_eq!(sniff(&png), Some("image/png"));
        assert_eq!(sniff(b"hello.pdf"), None);
        assert!(!DocKind::RegistrationCertificate.accepts("image/gif"));
        assert!(DocKind::Portfolio.accepts("video/mp4"));
    }

    #[test]
    fn s5_polyglots_and_broken_files_are_refused() {
        // A PDF that is also a web page (the audit's polyglot).
        assert_eq!(
            sniff(b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"),
            None
        );
        // `ftyp` and then HTML: the boxes do not tile the file.
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42<!DOCTYPE html><p>hi"), None);
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42\0\0\0\0isom<p>hi</p>"), None);
        // Truncated or unterminated files.
        assert_eq!(sniff(b"%PDF-1.7\n1 0 obj"), None);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), None);
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.extend_from_slice(b"\0\0\0\x0dIHDR");
        assert_eq!(sniff(&png), None, "no IEND");
        assert_eq!(sniff(b"RIFF\xff\0\0\0WEBPVP8 "), None, "size mismatch");
    }

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
