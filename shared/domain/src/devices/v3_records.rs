//! Rules V2, V3 and V5: the records a terminal reports (pseudonymous worker
//! codes, never a template or image), parsed with every bad field reported,
//! and split into queue messages under the size limit, never truncated.

use crate::kernel::problem::{FieldError, Problem};
use crate::kernel::types::kst;
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

/// Largest webhook body accepted (V3).
pub const MAX_BODY_BYTES: usize = 512 * 1024;
/// Most records in one webhook batch.
pub const MAX_RECORDS: usize = 1000;
/// Standard Webhooks: timestamps further than this from now are refused (V2).
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 300;
/// Queue messages stay under this size (Cloudflare: 128 KB per message).
pub const MAX_MESSAGE_BYTES: usize = 100 * 1024;
/// And hold at most this many records: 28 INSERTs a message, so a consumer
/// batch of 20 messages stays under D1's 1,000 statements per invocation.
pub const MAX_MESSAGE_RECORDS: usize = 250;

/// One authentication record as a terminal reports it (V2). Pseudonymous:
/// a worker code, never a name; no template or image (V5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub event_id: String,
    /// RFC 3339 with offset.
    pub terminal_time: String,
    pub worker_code: String,
    pub direction: String,
    pub method: String,
    pub result: String,
}

const RECORD_FIELDS: &[&str] = &[
    "event_id",
    "terminal_time",
    "worker_code",
    "direction",
    "method",
    "result",
];

fn short_code(v: Option<&Json>) -> Result<String, &'static str> {
    match v {
        Some(Json::String(s))
            if !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Ok(s.clone())
        }
        Some(Json::String(_)) => Err("field.code_text"),
        None | Some(Json::Null) => Err("field.required"),
        Some(_) => Err("field.type"),
    }
}

fn one_of(v: Option<&Json>, allowed: &[&str]) -> Result<String, &'static str> {
    match v.and_then(Json::as_str) {
        Some(s) if allowed.contains(&s) => Ok(s.to_owned()),
        Some(_) => Err("field.enum"),
        None => Err("field.required"),
    }
}

/// Parses one record object; errors point into `records/{i}`.
pub fn parse_record(i: usize, v: &Json, errors: &mut Vec<FieldError>) -> Option<Record> {
    let Some(obj) = v.as_object() else {
        errors.push(FieldError::new(&format!("records/{i}"), "field.type"));
        return None;
    };
    let mut ok = true;
    let mut field = |name: &str, r: Result<String, &'static str>| match r {
        Ok(v) => v,
        Err(key) => {
            errors.push(FieldError::new(&format!("records/{i}/{name}"), key));
            ok = false;
            String::new()
        }
    };
    for key in obj.keys() {
        if !RECORD_FIELDS.contains(&key.as_str()) {
            // V5: templates, images and anything else unknown are refused.
            field(key, Err("field.not_allowed"));
        }
    }
    let event_id = field("event_id", short_code(obj.get("event_id")));
    let terminal_time = field(
        "terminal_time",
        match obj.get("terminal_time").and_then(Json::as_str) {
            Some(t) => DateTime::parse_from_rfc3339(t)
                .map(|_| t.to_owned())
                .map_err(|_| "field.datetime"),
            None => Err("field.required"),
        },
    );
    let worker_code = field("worker_code", short_code(obj.get("worker_code")));
    let direction = field("direction", one_of(obj.get("direction"), &["in", "out"]));
    let method = field(
        "method",
        one_of(obj.get("method"), &["face", "finger", "card", "pin"]),
    );
    let result = field(
        "result",
        one_of(obj.get("result"), &["accepted", "rejected"]),
    );
    ok.then_some(Record {
        event_id,
        terminal_time,
        worker_code,
        direction,
        method,
        result,
    })
}

/// Parses a webhook body `{"records": [...]}` (V3): every bad field reported.
pub fn parse_batch(body: &[u8]) -> Result<Vec<Record>, Problem> {
    let map = crate::kernel::problem::json_object(body)?;
    let mut errors = Vec::new();
    for key in map.keys() {
        if key != "records" {
            errors.push(FieldError::new(key, "field.not_allowed"));
        }
    }
    let items = match map.get("records") {
        Some(Json::Array(items)) if !items.is_empty() && items.len() <= MAX_RECORDS => items,
        Some(Json::Array(_)) => return Err(Problem::field("records", "field.records_count")),
        Some(_) => return Err(Problem::field("records", "field.type")),
        None => return Err(Problem::field("records", "field.required")),
    };
    let records: Vec<Record> = items
        .iter()
        .enumerate()
        .filter_map(|(i, v)| parse_record(i, v, &mut errors))
        .collect();
    if errors.is_empty() {
        Ok(records)
    } else {
        errors.truncate(50);
        Err(Problem::validation(errors))
    }
}

/// What a batch was accepted under, carried in each of its queue messages
/// so the consumer can tell whether the terminal could still post it when
/// it is stored (`v4_store`): the door may have decided on what its
/// instance remembered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// The terminal's `auth_version` the decision was made on.
    pub version: i64,
    /// When (RFC 3339).
    pub at: String,
    /// The credential that matched: a webhook secret's blind index, or an
    /// ADMS source address's.
    pub credential: String,
    /// Webhooks: the batch's `webhook-id` and its records in all its
    /// messages (the consumer keeps the receipt).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_id: Option<String>,
    #[serde(default)]
    pub batch_records: i64,
}

/// Splits records into queue messages under `MAX_MESSAGE_BYTES` each: never
/// truncated, every record in exactly one message (V3). `accepted` is
/// `None` only for records a member released from hold.
pub fn messages(
    terminal_id: &str,
    member_id: &str,
    site_id: &str,
    records: &[Record],
    accepted: Option<&Acceptance>,
) -> Vec<Json> {
    let envelope = |chunk: &[Record]| {
        let mut m = json!({ "type": "attendance", "terminal_id": terminal_id, "member_id": member_id, "site_id": site_id, "records": chunk });
        if let Some(a) = accepted {
            m["accepted"] = json!(a);
        }
        m
    };
    let overhead = envelope(&[]).to_string().len();
    let mut out = Vec::new();
    let mut start = 0;
    let mut size = overhead;
    for (i, r) in records.iter().enumerate() {
        let len = serde_json::to_string(r).map_or(0, |s| s.len()) + 1;
        if i > start && (size + len > MAX_MESSAGE_BYTES || i - start >= MAX_MESSAGE_RECORDS) {
            out.push(envelope(&records[start..i]));
            start = i;
            size = overhead;
        }
        size += len;
    }
    if start < records.len() {
        out.push(envelope(&records[start..]));
    }
    out
}

/// The KST calendar day of a terminal time (V7).
pub fn kst_day(terminal_time: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(terminal_time)
        .ok()
        .map(|t| t.with_timezone(&kst()).date_naive().to_string())
}

/// A queued attendance message, re-validated by the consumer.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub terminal_id: String,
    pub member_id: String,
    pub site_id: String,
    pub records: Vec<Record>,
    /// `None`: released by the member from hold (stored as is).
    pub accepted: Option<Acceptance>,
}

impl Batch {
    /// `None` for a message that can never be stored (poison).
    pub fn parse(v: &Json) -> Option<Batch> {
        let s = |k: &str| {
            v.get(k)
                .and_then(Json::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let items = v.get("records")?.as_array()?;
        let mut errors = Vec::new();
        let records: Vec<Record> = items
            .iter()
            .enumerate()
            .filter_map(|(i, r)| parse_record(i, r, &mut errors))
            .collect();
        if !errors.is_empty() || records.is_empty() {
            return None;
        }
        Some(Batch {
            terminal_id: s("terminal_id")?,
            member_id: s("member_id")?,
            site_id: s("site_id")?,
            records,
            accepted: match v.get("accepted") {
                None => None,
                Some(a) => Some(serde_json::from_value(a.clone()).ok()?),
            },
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn record(i: usize) -> Record {
        Record {
            event_id: format!("evt-{i:06}"),
            terminal_time: "2026-11-22T08:00:00+09:00".into(),
            worker_code: format!("W{i:05}"),
            direction: "in".into(),
            method: "face".into(),
            result: "accepted".into(),
        }
    }

    #[test]
    fn v3_large_batches_are_split_under_the_message_limit_never_truncated() {
        let records: Vec<Record> = (0..1000).map(record).collect();
        let accepted = Acceptance {
            version: 3,
            at: "2026-11-22T00:00:00+00:00".into(),
            credential: "bidx".into(),
            webhook_id: Some("msg_1".into()),
            batch_records: 1000,
        };
        let msgs = messages("trm_1", "mem_1", "site_1", &records, Some(&accepted));
        assert!(msgs.len() > 1);
        let mut seen = Vec::new();
        for m in &msgs {
            assert!(
                m.to_string().len() <= MAX_MESSAGE_BYTES,
                "{}",
                m.to_string().len()
            );
            let b = Batch::parse(m).unwrap();
            assert_eq!(b.accepted.as_ref(), Some(&accepted));
            seen.extend(b.records);
        }
        assert_eq!(seen, records);
    }

    #[test]
    fn v5_records_with_templates_or_images_are_refused() {
        let body = br#"{"records":[{"event_id":"e1","terminal_time":"2026-11-22T08:00:00+09:00","worker_code":"W1","direction":"in","method":"finger","result":"accepted","template":"AAAA"}]}"#;
        let p = parse_batch(body).unwrap_err();
        assert_eq!(p.errors[0].pointer, "#/records/0/template");
    }

    #[test]
    fn v3_schema_errors_point_at_each_record_field() {
        let body = br#"{"records":[{"event_id":"","terminal_time":"yesterday","worker_code":"W1","direction":"sideways","method":"finger","result":"accepted"}]}"#;
        let p = parse_batch(body).unwrap_err();
        let got: Vec<_> = p.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            got,
            [
                "#/records/0/event_id",
                "#/records/0/terminal_time",
                "#/records/0/direction"
            ]
        );
        assert_eq!(
            parse_batch(br#"{"records":[]}"#).unwrap_err().errors[0].pointer,
            "#/records"
        );
    }

    #[test]
    fn v7_kst_day_of_a_terminal_time() {
        assert_eq!(
            kst_day("2026-11-21T23:30:00+00:00").as_deref(),
            Some("2026-11-22")
        );
        assert_eq!(
            kst_day("2026-11-22T08:00:00+09:00").as_deref(),
            Some("2026-11-22")
        );
    }
}
