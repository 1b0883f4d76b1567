//! Rule P4: an access request (열람) is answered with one machine-readable
//! copy of everything held about the requester, built by a background job
//! from the registry's holdings (`personal_data::HOLDINGS`: an area that
//! adds a table of personal data adds its holding, and the copy includes
//! it without a change here), with a Korean cover giving the fields of an
//! access notice (PIPA Enforcement Decree art. 41(4): what is shown, when
//! and where until, how, the fee) and the processors the data goes to.
//!
//! The request's batch starts the job and its `privacy_exports` row. Each
//! step copies a few holdings (every column of the subject's rows, sealed
//! values opened at their place, one-way values and the holding's `omit`
//! columns left out) into a part sealed in the blob store; the last step
//! joins the parts into the copy, sealed at its own place, deletes the
//! parts, and in one batch marks the copy ready for 7 days, answers the
//! case (its clock met) and tells the requester. The requester downloads it
//! signed in (`GET /member/privacy-requests/{id}/export`) until it expires;
//! the daily destruction run then deletes the file (class `access_copy`).

use super::p1_case::{CaseState, PRIVACY_REQUEST};
use crate::kernel::background::{self, Advance, Job};
use crate::kernel::clocks;
use crate::kernel::crypto::at;
use crate::kernel::engine::{Access, Cx, Download, Effect, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::ports::{DbError, PortError, Row, Stmt, Value};
use crate::kernel::problem::Problem;
use crate::kernel::reads::FromResult;
use crate::kernel::sealed::SealedText;
use crate::personal_data::place::PRIVACY_ANSWER;
use crate::personal_data::{registered, sealed_place, Holding, Kept, HOLDINGS};
use crate::{read, read_set, row, stmt, use_case};
use serde_json::{json, Map, Value as Json};

/// The job's kind.
pub const JOB: &str = "privacy.export";
/// Holdings a step copies.
pub const HOLDINGS_PER_STEP: usize = 6;
/// Rows of one holding a copy takes at most; a holding with more is
/// named on the cover as cut (none comes near: 10,000 contract messages
/// is the benchmark's member).
pub const ROWS_PER_HOLDING: i64 = 20_000;
/// Days the copy can be downloaded once ready.
pub const KEEP_DAYS: i64 = 7;
/// The copy's format.
pub const FORMAT: &str = "privacy-export/1";

/// Who processes the data on the platform's behalf (seed 001 §2-2 lists
/// its processors the same way): name, what for, which items, where.
pub const PROCESSORS: &[(&str, &str, &str, &str)] = &[
    (
        "네이버클라우드 주식회사 (NAVER Cloud SENS, Cloud Outbound Mailer)",
        "문자(SMS)·이메일 알림 발송",
        "휴대전화번호, 이메일 주소, 알림 내용",
        "대한민국",
    ),
    (
        "Cloudflare, Inc.",
        "서비스 운영 인프라(서버, 데이터베이스, 파일 보관)",
        "서비스가 보관하는 모든 항목(암호화 보관)",
        "대한민국 및 미국 (국외 이전: 서비스 이용 시 네트워크 전송)",
    ),
];

/// The blob key of request `id`'s copy.
pub fn file_key(id: &str) -> String {
    format!("exports/{id}.json")
}

fn part_key(id: &str, n: u64) -> String {
    format!("exports/{id}.part{n}")
}

/// Where request `id`'s copy is sealed.
pub fn file_place(id: &str) -> String {
    at("privacy_exports.file", id)
}

fn part_place(id: &str, n: u64) -> String {
    at("privacy_exports.part", &format!("{id}/{n}"))
}

fn job_id(request: &str) -> String {
    format!("job_export_{request}")
}

/// The statements that start the copy for case `request` of `member`, and
/// the job's first step.
pub fn start(env: &Env, request: &str, member: &str) -> (Vec<Stmt>, Effect) {
    let job = job_id(request);
    let (row, first) = background::start_as(
        env,
        &job,
        JOB,
        json!({ "request": request, "member": member }),
    );
    (
        vec![
            row,
            stmt!(
                "INSERT INTO privacy_exports (request_id, member_id, job_id, blob_key, holdings, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                request,
                member,
                job.as_str(),
                file_key(request),
                i64::try_from(HOLDINGS.len()).unwrap_or(0),
                env.now.to_rfc3339()
            ),
        ],
        first,
    )
}

/// One row of a holding as the copy shows it: every column, sealed values
/// opened; one-way values and the holding's omissions left out. A sealed
/// value that does not open is `null`, and its place is named in `failed`.
fn copy_row(cx: &Cx<'_>, h: &Holding, row: &Row, failed: &mut Vec<String>) -> Json {
    let key = match row.0.get("export_key") {
        Some(Value::Text(k)) => k.clone(),
        Some(Value::Int(k)) => k.to_string(),
        _ => String::new(),
    };
    let mut out = Map::new();
    for (column, value) in &row.0 {
        if column == "export_key" || h.omit.contains(&column.as_str()) {
            continue;
        }
        let kept = registered(h.table, column).map(|c| c.kept);
        let shown = match (kept, value) {
            (Some(Kept::OneWay), _) => continue,
            (_, Value::Null) => Json::Null,
            (_, Value::Int(i)) => Json::from(*i),
            (Some(Kept::Sealed), Value::Text(s)) if crate::kernel::sealed::is_sealed(s) => match cx
                .keys
                .open_at(&at(&sealed_place(h.table, column), &key), s)
            {
                Ok(text) => Json::from(text),
                Err(_) => {
                    failed.push(format!("{}.{column}", h.table));
                    Json::Null
                }
            },
            (_, Value::Text(s)) => Json::from(s.clone()),
        };
        out.insert(column.trim_end_matches("_enc").to_owned(), shown);
    }
    Json::Object(out)
}

row!(
    struct ExportingRow {
        state: String,
    }
);

row!(
    struct Recipient {
        email_enc: Option<String>,
        phone_enc: Option<String>,
    }
);

row!(
    struct OpenCase {
        state: CaseState,
        version: i64,
        received_at: String,
    }
);

fn db(e: DbError) -> PortError {
    PortError(e.to_string())
}

/// Builds one request's copy (P4).
pub struct Export;

#[async_trait::async_trait(?Send)]
impl Job for Export {
    fn kind(&self) -> &'static str {
        JOB
    }

    async fn step(&self, cx: &Cx<'_>, params: &Json, cursor: &Json) -> Result<Advance, PortError> {
        let (Some(request), Some(member)) = (params["request"].as_str(), params["member"].as_str())
        else {
            return Ok(Advance::Fail {
                reason: "detail.job_params_invalid",
            });
        };
        let next = usize::try_from(cursor["next"].as_u64().unwrap_or(0)).unwrap_or(0);
        let parts = cursor["parts"].as_u64().unwrap_or(0);
        let rows = cursor["rows"].as_i64().unwrap_or(0);
        if next < HOLDINGS.len() {
            let end = (next + HOLDINGS_PER_STEP).min(HOLDINGS.len());
            let slice = &HOLDINGS[next..end];
            let stmts: Vec<Stmt> = slice
                .iter()
                .map(|h| stmt!(h.select, member, ROWS_PER_HOLDING))
                .collect();
            let results = cx.db.batch(&stmts).await.map_err(db)?;
            let mut part = Map::new();
            let mut failed = Vec::new();
            let mut cut = Vec::new();
            let mut n = 0i64;
            for (h, r) in slice.iter().zip(results) {
                if i64::try_from(r.rows.len()).unwrap_or(0) >= ROWS_PER_HOLDING {
                    cut.push(Json::from(h.table));
                }
                let copied: Vec<Json> = r
                    .rows
                    .iter()
                    .map(|row| copy_row(cx, h, row, &mut failed))
                    .collect();
                n += i64::try_from(copied.len()).unwrap_or(0);
                part.insert(h.table.to_owned(), Json::Array(copied));
            }
            let body = json!({ "held": part, "failed": failed, "cut": cut }).to_string();
            let sealed = cx.keys.seal_for(cx.rng, &part_place(request, parts), &body);
            cx.blobs
                .put(
                    &part_key(request, parts),
                    sealed.as_bytes(),
                    "application/octet-stream",
                )
                .await?;
            return Ok(Advance::Next {
                cursor: json!({ "next": end, "parts": parts + 1, "rows": rows + n }),
                units: n,
            });
        }
        finish(cx, request, member, parts, rows).await
    }
}

/// The last step: the parts joined, the copy stored, the case answered.
async fn finish(
    cx: &Cx<'_>,
    request: &str,
    member: &str,
    parts: u64,
    rows: i64,
) -> Result<Advance, PortError> {
    let unreadable = |e: crate::kernel::reads::ReadError| PortError(e.to_string());
    let mut read = cx
        .db
        .batch(&[
            stmt!(
                "SELECT state FROM privacy_exports WHERE request_id = ?",
                request
            ),
            stmt!(
                "SELECT state, version, received_at FROM privacy_requests WHERE id = ?",
                request
            ),
            stmt!(
                "SELECT email_enc, phone_enc FROM members WHERE id = ?",
                member
            ),
        ])
        .await
        .map_err(db)?
        .into_iter();
    let export =
        Option::<ExportingRow>::from_result(read.next().unwrap_or_default()).map_err(unreadable)?;
    let case =
        Option::<OpenCase>::from_result(read.next().unwrap_or_default()).map_err(unreadable)?;
    let recipient =
        Option::<Recipient>::from_result(read.next().unwrap_or_default()).map_err(unreadable)?;
    let (Some(export), Some(case)) = (export, case) else {
        return Ok(Advance::Fail {
            reason: "detail.not_found",
        });
    };
    if export.state != "building" {
        // Finished by an earlier run of this step.
        return Ok(Advance::Done { units: 0 });
    }
    let mut held = Map::new();
    let mut failed = Vec::new();
    let mut cut = Vec::new();
    for n in 0..parts {
        let Some(bytes) = cx.blobs.get(&part_key(request, n)).await? else {
            return Err(PortError(format!("export part {n} missing")));
        };
        let text = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|s| cx.keys.open_at(&part_place(request, n), s).ok())
            .ok_or_else(|| PortError("an export part does not open".into()))?;
        let part: Json = serde_json::from_str(&text).map_err(|e| PortError(e.to_string()))?;
        if let Some(h) = part["held"].as_object() {
            held.extend(h.clone());
        }
        failed.extend(part["failed"].as_array().cloned().unwrap_or_default());
        cut.extend(part["cut"].as_array().cloned().unwrap_or_default());
    }
    let env = cx.background_env();
    let now = env.now;
    let expires = now + chrono::Duration::days(KEEP_DAYS);
    let cover = cover(&held, &case.received_at, now, expires, &cut);
    let copy = json!({
        "format": FORMAT,
        "request_id": request,
        "member_id": member,
        "generated_at": now.to_rfc3339(),
        "cover": cover,
        "processors": processors(),
        "held": held,
        "not_opened": failed,
    });
    let sealed = cx
        .keys
        .seal_for(cx.rng, &file_place(request), &copy.to_string());
    cx.blobs
        .put(
            &file_key(request),
            sealed.as_bytes(),
            "application/octet-stream",
        )
        .await?;
    for n in 0..parts {
        cx.blobs.delete(&part_key(request, n)).await?;
    }
    let links = cx.config.area::<crate::kernel::notify::Links>();
    let link = links.app("privacy");
    let day = crate::kernel::types::kst_date(expires)
        .format("%Y년 %-m월 %-d일")
        .to_string();
    let answer_text = fill("privacy.export_answer", Lang::Ko, &[("day", &day)]);
    let answer = SealedText::seal(&env, PRIVACY_ANSWER, request, &answer_text);
    let mut writes = vec![
        stmt!(
            "UPDATE privacy_exports SET state = 'ready', rows = ?, ready_at = ?, expires_at = ?, cover = ?
             WHERE request_id = ? AND state = 'building'",
            rows,
            now.to_rfc3339(),
            expires.to_rfc3339(),
            cover.to_string(),
            request
        ),
        crate::kernel::audit::audit(&env, "system", "privacy.export_ready", request, &rows.to_string()),
    ];
    let mut sends = Vec::new();
    // The case is answered by its copy, unless staff answered it meanwhile.
    if case.state.is_open() {
        writes.push(stmt!(
            "UPDATE privacy_requests SET state = 'completed', answered_at = ?, answer = ?, version = version + 1
             WHERE id = ? AND version = ?",
            now.to_rfc3339(),
            &answer,
            request,
            case.version
        ));
        writes.push(clocks::meet(&env, &PRIVACY_REQUEST, request));
        let text = fill(
            "notice.privacy_export_ready",
            Lang::Ko,
            &[("day", &day), ("link", &link)],
        );
        let contact = crate::kernel::outbox::Contact {
            member_id: member,
            email_enc: recipient.as_ref().and_then(|r| r.email_enc.as_deref()),
            phone_enc: recipient.as_ref().and_then(|r| r.phone_enc.as_deref()),
        };
        if let Some(address) = contact.address(cx.keys, "email") {
            let (w, e) = crate::kernel::outbox::once(
                cx.keys,
                cx.rng,
                &format!("ntc_export_{request}"),
                member,
                "email",
                "privacy_request",
                &address,
                &text,
                now,
            );
            writes.push(w);
            if let Effect::Enqueue(m) = e {
                sends.push(m);
            }
        }
    }
    cx.db.batch(&writes).await.map_err(db)?;
    if !sends.is_empty() {
        // Committed: a lost send is sent again by the sweep (`ResendLost`).
        if let Err(e) = cx.queue.send_batch(&sends).await {
            crate::kernel::engine::log_error(&format!("export {request}: notice not sent: {e}"));
        }
    }
    Ok(Advance::Done { units: 0 })
}

fn processors() -> Json {
    PROCESSORS
        .iter()
        .map(|(name, purpose, items, place)| {
            json!({ "name": name, "purpose": purpose, "items": items, "where": place })
        })
        .collect()
}

/// The Korean cover: the fields of an access notice (열람 통지), from what
/// the copy holds (labels and counts, never values).
fn cover(
    held: &Map<String, Json>,
    received: &str,
    now: chrono::DateTime<chrono::Utc>,
    expires: chrono::DateTime<chrono::Utc>,
    cut: &[Json],
) -> Json {
    let kst = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&crate::kernel::types::kst())
            .format("%Y년 %-m월 %-d일 %H:%M")
            .to_string()
    };
    let items: Vec<Json> = HOLDINGS
        .iter()
        .map(|h| {
            let n = held
                .get(h.table)
                .and_then(Json::as_array)
                .map_or(0, Vec::len);
            json!({ "table": h.table, "항목": h.label_ko, "건수": n })
        })
        .collect();
    json!({
        "제목": "개인정보 열람 통지",
        "근거": "개인정보 보호법 제35조, 같은 법 시행령 제41조",
        "접수일시": crate::kernel::types::parse_instant(Some(received)).map_or_else(|| received.to_owned(), kst),
        "통지일시": kst(now),
        "열람 항목": items,
        "열람 일시": format!("{}부터 {}까지", kst(now), kst(expires)),
        "열람 장소 및 방법": "멤버 플랫폼에 로그인하여 전자 파일(JSON)로 내려받기",
        "수수료": "없음",
        "제한된 항목": "다른 사람의 정보(열람한 직원의 계정과 접속 주소, 상대방의 확인 기록)와 보안 비밀값(비밀번호 해시, 단말기 비밀키)은 제외했습니다 (개인정보 보호법 제35조 제4항)",
        "잘린 항목": cut,
        "처리 위탁": PROCESSORS.iter().map(|p| p.0).collect::<Vec<_>>(),
    })
}

row!(
    /// A copy as its requester sees it.
    pub struct ExportRow {
        pub request_id: String,
        pub state: String,
        pub holdings: i64,
        pub rows: i64,
        pub ready_at: Option<String>,
        pub expires_at: Option<String>,
        pub cover: Option<String>,
        pub cursor: Option<String>,
    }
);

/// The columns of [`ExportRow`], from `privacy_exports e JOIN jobs j`.
#[macro_export]
macro_rules! export_columns {
    () => {
        "e.request_id, e.state, e.holdings, e.rows, e.ready_at, e.expires_at, e.cover, j.cursor"
    };
}

crate::reply!(
    /// An access request's copy (P4): how far it is, until when it can be
    /// downloaded, and its Korean cover.
    pub struct ExportState {
        /// `building`, `ready` or `expired`
        pub state: String,
        /// holdings copied of all
        pub holdings_done: i64,
        pub holdings: i64,
        pub rows: i64,
        pub ready_at: Option<String>,
        pub expires_at: Option<String>,
        /// where to download it while ready
        pub download: Option<String>,
        /// the fields of an access notice, in Korean
        pub cover: Option<Json>,
    }
);

impl ExportRow {
    /// The copy at `now` (past its day it reads as expired at once).
    pub fn view(&self, now: chrono::DateTime<chrono::Utc>) -> ExportState {
        let expired = self.state == "expired"
            || (self.state == "ready"
                && crate::kernel::types::parse_instant(self.expires_at.as_deref())
                    .is_some_and(|e| e <= now));
        let done = if self.state == "building" {
            self.cursor
                .as_deref()
                .and_then(|c| serde_json::from_str::<Json>(c).ok())
                .and_then(|c| c["next"].as_i64())
                .unwrap_or(0)
        } else {
            self.holdings
        };
        let state = if expired {
            "expired"
        } else {
            self.state.as_str()
        };
        ExportState {
            state: state.to_owned(),
            holdings_done: done,
            holdings: self.holdings,
            rows: self.rows,
            ready_at: self.ready_at.clone(),
            expires_at: self.expires_at.clone(),
            download: (state == "ready")
                .then(|| format!("/member/privacy-requests/{}/export", self.request_id)),
            cover: self
                .cover
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok()),
        }
    }
}

read_set!(pub struct FileReads => FileRows { export: Option<ExportRow> });

/// `GET /member/privacy-requests/{id}/export`: the requester's copy, as an
/// attachment, while it is ready.
pub struct ExportFile;
use_case!(ExportFile, "privacy.export_file", |_uc| Access::Own, String => FileReads);

impl ExportFile {
    fn reads(&self, id: &String, env: &Env) -> FileReads {
        FileReads {
            export: read!(
                concat!(
                    "SELECT ",
                    crate::export_columns!(),
                    " FROM privacy_exports e JOIN jobs j ON j.id = e.job_id WHERE e.request_id = ? AND e.member_id = ?"
                ),
                id.as_str(),
                env.caller()
            ),
        }
    }

    fn decide(&self, id: String, rows: FileRows, env: &Env) -> Result<Plan, Problem> {
        let e = rows.export.ok_or_else(Problem::not_found)?;
        match e.view(env.now).state.as_str() {
            "building" => Err(Problem::conflict("detail.privacy_export_building")),
            "expired" => Err(Problem::new(
                410,
                "export-expired",
                "title.gone",
                "detail.privacy_export_expired",
            )),
            _ => Ok(Plan::download(
                Download {
                    blob_key: file_key(&id),
                    content_type: "application/json".into(),
                    filename: format!("privacy-export-{id}.json"),
                    sealed_at: Some(file_place(&id)),
                },
                vec![],
            )),
        }
    }
}
