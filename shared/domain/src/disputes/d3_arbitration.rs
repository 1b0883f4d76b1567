//! Rule D3, stage 3: a party refers the dispute to the Korean Commercial
//! Arbitration Board (KCAB) once mediation gave no result it accepted —
//! the opinion was given, or its 15 KST days ran out. The platform records
//! who referred it and when, closes its own process (open clocks and
//! offers end), and makes the filing pack the KCAB asks for: one JSON
//! document — the parties, a draft of the request for arbitration (the
//! relief sought and the facts as a timeline), the contract's versions
//! with their hashes and the arbitration clause (C1: the written
//! agreement), every message with its hash and every file's hash, the
//! mediator's opinion, the audit entries about the contract, and an
//! evidence index — and its readable Korean rendering (HTML). Both are
//! sealed in the bucket; their SHA-256 are kept with the dispute and shown
//! to both parties, so either can show the pack was not altered.

use super::case::DisputeCase;
use super::dispute::{as_party, case_reads, CaseReads, CaseRows, DisputeRow, Stage};
use super::settlement::close;
use crate::contracts::contract::{as_party as contract_party, sha256_hex, ARBITRATION_CLAUSE};
use crate::kernel::crypto::at;
use crate::kernel::engine::Access;
use crate::kernel::engine::{blob_intent, BlobIntent, Download, Effect, Env, Plan};
use crate::kernel::notify::html_text;
use crate::kernel::problem::Problem;
use crate::{read, read_set, row, stmt, use_case};
use serde_json::{json, Value as Json};

/// Where a dispute's pack is kept, and sealed.
pub fn pack_key(id: &str, ext: &str) -> String {
    format!("disputes/{id}/pack.{ext}")
}
pub fn pack_place(id: &str, ext: &str) -> String {
    at("disputes.pack", &format!("{id}.{ext}"))
}

row!(
    /// A party as the request for arbitration names it.
    pub struct PartyRow {
        pub id: String,
        pub company_name: Option<String>,
        pub business_number: Option<String>,
        pub representative_name_enc: Option<String>,
        pub address_enc: Option<String>,
    }
);

row!(
    pub struct AuditRow {
        pub seq: i64,
        pub at: String,
        pub actor: String,
        pub action: String,
        pub detail: String,
        pub hash: Option<String>,
    }
);

read_set!(pub struct PackReads => PackRows {
    parties: Vec<PartyRow>,
    audit: Vec<AuditRow>,
    json_intent: Option<BlobIntent>,
    html_intent: Option<BlobIntent>,
});

/// Audit entries a pack lists at most (the contract's, oldest first).
const AUDIT_ENTRIES: i64 = 2_000;

#[derive(Debug, Clone)]
pub struct ReferInput {
    pub contract_id: String,
    pub dispute_id: String,
}

/// `POST /member/contracts/{id}/disputes/{dispute_id}/arbitration`: a
/// party refers the case to the KCAB (D3).
pub struct Refer;
use_case!(Refer, "member.dispute_refer", |_uc| Access::Matching, ReferInput => (CaseReads, PackReads));

impl Refer {
    fn reads(&self, input: &ReferInput, env: &Env) -> (CaseReads, PackReads) {
        let id = input.dispute_id.as_str();
        (
            case_reads(id, &input.contract_id, env),
            PackReads {
                parties: read!(
                    "SELECT id, company_name, business_number, representative_name_enc, address_enc FROM members
                     WHERE id IN (SELECT client_id FROM disputes WHERE id = ?1 AND ?2 IN (client_id, partner_id)
                                  UNION SELECT partner_id FROM disputes WHERE id = ?1 AND ?2 IN (client_id, partner_id))",
                    id,
                    env.caller()
                ),
                audit: read!(
                    "SELECT seq, at, actor, action, detail, hash FROM audit_log
                     WHERE subject = (SELECT contract_id FROM disputes WHERE id = ?1 AND ?2 IN (client_id, partner_id))
                     ORDER BY seq LIMIT ?3",
                    id,
                    env.caller(),
                    AUDIT_ENTRIES
                ),
                json_intent: blob_intent(pack_key(id, "json"), env.now),
                html_intent: blob_intent(pack_key(id, "html"), env.now),
            },
        )
    }

    fn decide(
        &self,
        _: ReferInput,
        (rows, pack): (<CaseReads as crate::kernel::reads::ReadSet>::Rows, PackRows),
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut rows = CaseRows::from(rows);
        let c = contract_party(rows.contract.contract.clone(), env)?;
        let mut d = as_party(rows.dispute.dispute.clone(), env)?;
        if d.stage != Stage::Mediation {
            return Err(
                Problem::conflict("detail.dispute_stage").with("stage", serde_json::json!(d.stage))
            );
        }
        let late = crate::kernel::types::parse_instant(d.opinion_due.as_deref())
            .is_some_and(|due| env.now >= due);
        if d.opinion_at.is_none() && d.opinion_flagged_at.is_none() && !late {
            return Err(Problem::conflict("detail.dispute_no_result_yet")
                .with("opinion_due", serde_json::json!(d.opinion_due)));
        }
        let now = env.now.to_rfc3339();
        // The case as it stands before the referral: what the pack shows.
        let case = rows.case(&d, &c, env)?;
        let document = pack_json(&case, &rows, &pack, env, &now);
        let text = serde_json::to_string(&document).unwrap_or_default();
        let json_sha = sha256_hex(&text);
        let html = pack_html(&document, &json_sha);
        let html_sha = sha256_hex(&html);
        let mut writes = close(&mut d, Stage::Arbitration, &now, env);
        writes.push(stmt!(
            "UPDATE disputes SET referred_at = ?, referred_by = ?, pack_sha256 = ?, pack_html_sha256 = ? WHERE id = ?",
            now.as_str(),
            env.caller(),
            json_sha.as_str(),
            html_sha.as_str(),
            d.id.as_str()
        ));
        d.referred_at = Some(now.clone());
        d.referred_by = Some(env.caller().to_owned());
        d.pack_sha256 = Some(json_sha);
        d.pack_html_sha256 = Some(html_sha);
        for o in &mut rows.dispute.offers {
            if o.state == super::dispute::OfferState::Open {
                o.state = super::dispute::OfferState::Void;
                o.answered_at = Some(now.clone());
            }
        }
        let seal = |ext: &str, body: &str| Effect::PutBlob {
            key: pack_key(&d.id, ext),
            bytes: env
                .keys
                .seal_for(env.rng, &pack_place(&d.id, ext), body)
                .into_bytes(),
            content_type: "application/octet-stream".into(),
        };
        let blobs = vec![seal("json", &text), seal("html", &html)];
        let _ = (&pack.json_intent, &pack.html_intent);
        Ok(rows
            .answer(200, &d, &c, writes, "notice.dispute.referred", false, env)?
            .effects(blobs)
            .conflict_means(Problem::conflict("detail.dispute_changed")))
    }
}

/// The parties as the pack names them: company, business number,
/// representative and address (opened where they are sealed).
fn party(rows: &PackRows, id: &str, role: &str, env: &Env) -> Json {
    let p = rows.parties.iter().find(|p| p.id == id);
    let open = |place: &str, v: &Option<String>| {
        v.as_deref()
            .and_then(|s| env.keys.open_at(&at(place, id), s).ok())
    };
    json!({
        "member_id": id,
        "role": role,
        "company_name": p.and_then(|p| p.company_name.clone()),
        "business_number": p.and_then(|p| p.business_number.clone()),
        "representative": p.and_then(|p| open("members.representative_name", &p.representative_name_enc)),
        "address": p.and_then(|p| open("members.address", &p.address_enc)),
    })
}

/// The filing pack's JSON document (keys sorted: the same case makes the
/// same bytes).
fn pack_json(case: &DisputeCase, rows: &CaseRows, pack: &PackRows, env: &Env, now: &str) -> Json {
    let me = env.caller();
    let other = if me == case.client_id {
        &case.partner_id
    } else {
        &case.client_id
    };
    let role = |id: &str| {
        if id == case.client_id {
            "client"
        } else {
            "partner"
        }
    };
    let c = rows.contract.contract.as_ref();
    let versions: Vec<Json> = rows
        .contract
        .versions
        .iter()
        .filter_map(|v| {
            let c = c?;
            let text = crate::contracts::contract::stored_canonical(c, v, env.keys).ok()?;
            Some(json!({
                "number": v.number,
                "sha256": v.sha256,
                "canonical": text,
                "format": v.format,
                "author_id": v.author_id,
                "created_at": v.created_at,
                "carries_arbitration_clause": v.format >= 2,
            }))
        })
        .collect();
    let with_clause: Vec<i64> = rows
        .contract
        .versions
        .iter()
        .filter(|v| v.format >= 2)
        .map(|v| v.number)
        .collect();
    let messages: Vec<Json> = case
        .messages
        .iter()
        .map(|m| {
            json!({
                "message_id": m.message_id, "author_id": m.author_id, "author_role": m.author_role,
                "at": m.created_at, "body": m.body, "sha256": sha256_hex(&m.body),
            })
        })
        .collect();
    // The facts as a timeline, oldest first.
    let mut facts: Vec<(String, String)> = Vec::new();
    if let Some(at) = c.and_then(|c| c.formed_at.clone()) {
        facts.push((at, "계약 성립 (contract formed)".into()));
    }
    for v in &rows.contract.versions {
        facts.push((
            v.created_at.clone(),
            format!(
                "계약서 버전 {} 작성 (version {}, SHA-256 {})",
                v.number, v.number, v.sha256
            ),
        ));
    }
    facts.push((
        case.created_at.clone(),
        format!(
            "{}의 이의 제기 (objection raised): {}",
            role(&case.raised_by),
            case.claim
        ),
    ));
    for m in &case.messages {
        facts.push((
            m.created_at.clone(),
            format!("{} 메시지 (message): {}", m.author_role.as_str(), m.body),
        ));
    }
    for o in &case.offers {
        facts.push((
            o.created_at.clone(),
            format!(
                "{}의 합의 제안 {} (offer, {}), {}",
                role(&o.from_id),
                o.offer_id,
                o.kind.as_str(),
                o.state.as_str()
            ),
        ));
    }
    if let Some(m) = &case.mediation {
        facts.push((
            m.escalated_at.clone(),
            format!(
                "조정 요청 (escalated), 동결된 기록 SHA-256 {}",
                m.frozen_sha256
            ),
        ));
        for r in &m.material {
            facts.push((
                r.created_at.clone(),
                format!(
                    "조정인의 자료 요청 (material asked of {}): {}",
                    role(&r.to_id),
                    r.what
                ),
            ));
        }
        if let Some(o) = &m.opinion {
            facts.push((
                o.given_at.clone(),
                format!("조정인 의견 (mediator's opinion): {}", o.outcome.as_str()),
            ));
        }
    }
    facts.push((
        now.to_owned(),
        format!("{}의 중재 회부 (referred to the KCAB)", role(me)),
    ));
    facts.sort_by(|a, b| a.0.cmp(&b.0));
    let timeline: Vec<Json> = facts
        .iter()
        .map(|(at, what)| json!({"at": at, "fact": what}))
        .collect();
    // The evidence index: every item a party may rely on, with its hash.
    let mut evidence: Vec<Json> = Vec::new();
    let mut add = |kind: &str, id: String, sha: &str, what: String| {
        evidence.push(json!({"no": evidence.len() + 1, "kind": kind, "ref": id, "sha256": sha, "description": what}));
    };
    for v in &rows.contract.versions {
        add(
            "contract_version",
            format!("v{}", v.number),
            &v.sha256,
            format!("계약서 버전 {}", v.number),
        );
    }
    for m in &case.messages {
        add(
            "message",
            m.message_id.clone(),
            &sha256_hex(&m.body),
            format!("{} 메시지 {}", m.author_role.as_str(), m.created_at),
        );
    }
    for a in &case.attachments {
        add(
            "attachment",
            a.attachment_id.clone(),
            &a.sha256,
            format!("{} 파일 {} bytes", a.content_type, a.bytes),
        );
    }
    if let Some(m) = &case.mediation {
        add(
            "frozen_case",
            case.dispute_id.clone(),
            &m.frozen_sha256,
            "조정 요청 시점에 동결된 분쟁 기록".into(),
        );
    }
    json!({
        "document": "대한상사중재원 중재신청 자료 (KCAB filing pack)",
        "format": 1,
        "generated_at": now,
        "institution": {"name_ko": "대한상사중재원", "name_en": "Korean Commercial Arbitration Board (KCAB)"},
        "dispute_id": case.dispute_id,
        "contract_id": case.contract_id,
        "title": case.title,
        "referral": {"referred_by": me, "referred_at": now},
        "parties": {
            "claimant": party(pack, me, role(me), env),
            "respondent": party(pack, other, role(other), env),
        },
        "request_for_arbitration": {
            "claimant": me,
            "respondent": other,
            "objection": {"raised_by": case.raised_by, "claim": case.claim, "relief_sought": case.relief},
            "facts": timeline,
        },
        "contract": {
            "state": case.contract.state,
            "formed_version": case.contract.formed_version,
            "versions": versions,
            "arbitration_clause": {"text": ARBITRATION_CLAUSE, "in_versions": with_clause},
        },
        "messages": messages,
        "attachments": case.attachments,
        "offers": case.offers,
        "mediation": case.mediation,
        "audit": pack.audit.iter().map(|a| json!({
            "seq": a.seq, "at": a.at, "actor": a.actor, "action": a.action, "detail": a.detail, "hash": a.hash,
        })).collect::<Vec<_>>(),
        "contract_history": rows.contract.history.entries.iter().map(|h| json!({
            "at": h.at, "actor": h.actor, "action": h.action, "detail": h.detail,
        })).collect::<Vec<_>>(),
        "evidence_index": evidence,
    })
}

/// The pack's readable Korean rendering: the same content, in the order a
/// request for arbitration is written.
fn pack_html(doc: &Json, json_sha: &str) -> String {
    let t = |v: &Json| html_text(v.as_str().unwrap_or_default());
    let mut h = String::from(
        "<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>중재신청 자료</title>\
         <style>body{font-family:sans-serif;max-width:48em;margin:2em auto;line-height:1.6}\
         table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .5em;vertical-align:top}\
         code{word-break:break-all}</style></head><body>",
    );
    h.push_str("<h1>중재신청서 초안 및 증거 자료</h1>");
    h.push_str("<p>제출처: 대한상사중재원 (Korean Commercial Arbitration Board)</p>");
    h.push_str(&format!(
        "<p>분쟁 번호 <code>{}</code> · 계약 번호 <code>{}</code> · 작성 {}</p>",
        t(&doc["dispute_id"]),
        t(&doc["contract_id"]),
        t(&doc["generated_at"])
    ));
    h.push_str("<h2>1. 당사자</h2><table><tr><th></th><th>상호</th><th>사업자등록번호</th><th>대표자</th><th>주소</th></tr>");
    for (label, key) in [("신청인", "claimant"), ("피신청인", "respondent")] {
        let p = &doc["parties"][key];
        h.push_str(&format!(
            "<tr><th>{label}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t(&p["company_name"]),
            t(&p["business_number"]),
            t(&p["representative"]),
            t(&p["address"])
        ));
    }
    h.push_str("</table>");
    let r = &doc["request_for_arbitration"];
    h.push_str(&format!(
        "<h2>2. 신청 취지</h2><p>{}</p><h2>3. 이의 내용</h2><p>{}</p>",
        t(&r["objection"]["relief_sought"]),
        t(&r["objection"]["claim"])
    ));
    h.push_str("<h2>4. 신청 이유 (사실관계, 시간순)</h2><ol>");
    for f in r["facts"].as_array().into_iter().flatten() {
        h.push_str(&format!("<li>{} — {}</li>", t(&f["at"]), t(&f["fact"])));
    }
    h.push_str("</ol><h2>5. 중재 합의</h2>");
    h.push_str(&format!(
        "<blockquote>{}</blockquote>",
        t(&doc["contract"]["arbitration_clause"]["text"])
    ));
    h.push_str(
        "<h2>6. 계약서 버전과 해시</h2><table><tr><th>버전</th><th>작성</th><th>SHA-256</th></tr>",
    );
    for v in doc["contract"]["versions"].as_array().into_iter().flatten() {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            v["number"],
            t(&v["created_at"]),
            t(&v["sha256"])
        ));
    }
    h.push_str("</table><h2>7. 조정인 의견</h2>");
    match doc["mediation"]["opinion"].as_object() {
        Some(o) => h.push_str(&format!(
            "<p>사실관계: {}</p><p>근거 조항: {}</p><p>제안: {}</p><p>이유: {}</p>",
            t(&o["facts"]),
            html_text(
                &o["clauses"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Json::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            t(&o["outcome"]),
            t(&o["reasons"])
        )),
        None => h.push_str("<p>조정인 의견이 기한 안에 나오지 않았습니다.</p>"),
    }
    h.push_str("<h2>8. 증거 목록</h2><table><tr><th>번호</th><th>종류</th><th>내용</th><th>SHA-256</th></tr>");
    for e in doc["evidence_index"].as_array().into_iter().flatten() {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            e["no"],
            t(&e["kind"]),
            t(&e["description"]),
            t(&e["sha256"])
        ));
    }
    h.push_str("</table><h2>9. 감사 기록</h2><ol>");
    for a in doc["audit"].as_array().into_iter().flatten() {
        h.push_str(&format!(
            "<li>{} {} {}</li>",
            t(&a["at"]),
            t(&a["actor"]),
            t(&a["action"])
        ));
    }
    h.push_str(&format!(
        "</ol><p>이 문서는 JSON 원본(SHA-256 <code>{json_sha}</code>)을 사람이 읽도록 옮긴 것입니다. 원본과 해시는 분쟁 화면에서 받을 수 있습니다.</p></body></html>"
    ));
    h
}

crate::text_enum!(
    /// Which rendering of the pack.
    pub enum PackFormat {
        Json = "json",
        Html = "html",
    }
);

#[derive(Debug, Clone)]
pub struct PackInput {
    pub contract_id: String,
    pub dispute_id: String,
    pub format: PackFormat,
}

/// `GET …/disputes/{dispute_id}/pack` and `…/pack.html`: the filing pack,
/// as made at the referral, to either party.
pub struct DownloadPack;
use_case!(DownloadPack, "member.dispute_pack", |_uc| Access::Matching, PackInput => super::dispute::DisputeReads);

impl DownloadPack {
    fn reads(&self, input: &PackInput, env: &Env) -> super::dispute::DisputeReads {
        super::dispute::dispute_reads(&input.dispute_id, &input.contract_id, env)
    }

    fn decide(
        &self,
        input: PackInput,
        rows: super::dispute::DisputeRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let d: DisputeRow = as_party(rows.dispute, env)?;
        if d.pack_sha256.is_none() {
            return Err(Problem::not_found());
        }
        let ext = input.format.as_str();
        Ok(Plan::download(
            Download {
                blob_key: pack_key(&d.id, ext),
                content_type: match input.format {
                    PackFormat::Json => "application/json".into(),
                    PackFormat::Html => "text/html; charset=utf-8".into(),
                },
                filename: format!("kcab-pack-{}.{ext}", d.id),
                sealed_at: Some(pack_place(&d.id, ext)),
            },
            vec![],
        ))
    }
}
