//! Rule R2: what expired under the retention schedule (R1) is destroyed
//! within 5 days of its expiry, irrecoverably, and each run is logged with
//! counts and field names, never contents.
//!
//! The sweep starts one run a KST day (`scheduled`, a periodic job: the
//! job's id is the day's, so a second start that day is refused by the
//! row's key). Its first step reads the schedule once and fixes each
//! class's cutoff in the job's cursor: a record whose period began at or
//! before its class's cutoff has expired. The job (`Destroy`) then takes the [`TASKS`] in order, one
//! bounded step at a time (its cursor: the task; a task that filled its
//! step runs again): read the expired ids, delete their documents from the
//! blob store, erase the rows and write the step's counts to
//! `destruction_log`, all in one batch. A step that runs again finds only
//! what is still there, so nothing is counted twice. Attendance is erased
//! from the member's shard before its sites and terminals in the main
//! database.
//!
//! Notices and short-lived rows (classes `notice`, `transient`) are purged
//! by the sweep's own steps; staff accounts have no removal yet, so class
//! `staff` has nothing to expire; `account_key` is kept without limit.

use super::r1_access_period::{access_log_months, held_subjects, AUDIT_LOG_MONTHS};
use crate::kernel::background::{self, Advance, Job};
use crate::kernel::chain::{ACCESS, AUDIT};
use crate::kernel::engine::Cx;
use crate::kernel::ports::{DbError, PortError, Stmt};
use crate::kernel::types::{kst, kst_date};
use crate::personal_data::RecordClass;
use crate::kernel::reads::FromResult;
use crate::{row, stmt};
use chrono::{DateTime, Datelike, Months, Utc};
use serde_json::{json, Value as Json};

/// The job's kind.
pub const JOB: &str = "retention.destroy";

row!(
    pub struct ScheduleRow {
        pub class: String,
        pub months: Option<i64>,
        pub days: i64,
    }
);

/// The id of the run of the KST day of `at`.
pub fn run_id(at: DateTime<Utc>) -> String {
    format!("job_destroy_{}", kst_date(at))
}

/// The instant at or before which a record whose period is `months` and
/// `days` from its start has expired at `as_of` (KST calendar months).
pub fn cutoff(as_of: DateTime<Utc>, months: i64, days: i64) -> DateTime<Utc> {
    let local = as_of.with_timezone(&kst());
    let day = chrono::Duration::days(1);
    let mut back = local
        .checked_sub_months(Months::new(u32::try_from(months).unwrap_or(0)))
        .unwrap_or(local);
    // On the last day of a month, every later day of the month before
    // (29-31 August, 6 months before 28 February) has reached its end
    // too: a month added to them stops at the month's last day.
    if months > 0 && (local + day).month() != local.month() {
        while (back + day).month() == back.month() {
            back += day;
        }
    }
    (back - chrono::Duration::days(days)).with_timezone(&Utc)
}

/// The day's run (R2), due every KST day from the sweep's clock, started
/// once (`background::StartScheduled`).
pub fn scheduled(as_of: DateTime<Utc>) -> Vec<background::Scheduled> {
    let id = run_id(as_of);
    vec![background::Scheduled {
        params: json!({
            "run": id,
            "day": kst_date(as_of).to_string(),
            "as_of": as_of.to_rfc3339(),
        }),
        id,
        kind: JOB,
    }]
}

/// Each class's cutoff at `as_of` (none for a class kept without limit).
fn cutoffs(schedule: Vec<ScheduleRow>, as_of: DateTime<Utc>) -> Json {
    let mut cutoffs = serde_json::Map::new();
    for s in schedule {
        if let Some(months) = s.months {
            cutoffs.insert(s.class, json!(cutoff(as_of, months, s.days).to_rfc3339()));
        }
    }
    Json::Object(cutoffs)
}

/// One kind of expired record: how its ids are found and how they are
/// erased.
pub struct Task {
    pub class: RecordClass,
    /// The table, as the log names it.
    pub what: &'static str,
    /// The fields erased, as the log names them.
    pub fields: &'static str,
    /// `id` (text) and, for documents, `blob_key`, of expired records: binds
    /// the cutoff and the limit.
    pub select: &'static str,
    /// The erasure of `ids` (a JSON array) at `now`.
    pub erase: fn(ids: &str, now: &str) -> Vec<Stmt>,
    /// Records a step takes at most.
    pub per_step: i64,
    /// The members' attendance in their shards goes first.
    pub shard: bool,
}

/// Members whose account closed (withdrawn, or an application that
/// expired) at or before the cutoff, or whose read-only year after a
/// termination (rule R4) ended then: the expression `members_closed` indexes.
macro_rules! closed {
    () => {
        "m.status IN ('withdrawn', 'terminated') AND COALESCE(m.read_only_until, m.closed_at, m.expired_at) <= ?"
    };
}

/// The expired entries of a hash chain (`kernel::chain`): its oldest
/// sealed ones up to the first younger than the cutoff (`?1`; so the kept
/// ones stay one unbroken chain even where `at` and `seq` disagree), never
/// its head (the sealer links new entries to it). The log's anchor names
/// the last one destroyed: verification starts there.
macro_rules! chain_prefix {
    ($table:literal) => {
        concat!(
            "hash IS NOT NULL AND at <= ?1
               AND seq < (SELECT MAX(seq) FROM ",
            $table,
            " WHERE hash IS NOT NULL)
               AND seq < COALESCE((SELECT MIN(seq) FROM ",
            $table,
            " WHERE at > ?1), 9223372036854775807)
             ORDER BY seq LIMIT ?2"
        )
    };
}

fn ids_in(sql: &'static str, ids: &str) -> Stmt {
    stmt!(sql, ids)
}

/// Every task of a run, in order: the shortest periods first, a closed
/// member's documents before the member row that finds them.
pub const TASKS: &[Task] = &[
    // Blobs no row refers to: an upload whose write failed (its record is
    // cleared by the write that commits it) ...
    Task {
        class: RecordClass::FailedWrite,
        what: "blob_intents",
        fields: "an upload whose write failed (blob)",
        select: "SELECT key AS id, key AS blob_key FROM blob_intents WHERE at <= ? ORDER BY at LIMIT ?",
        erase: |ids, _| vec![ids_in("DELETE FROM blob_intents WHERE key IN (SELECT value FROM json_each(?))", ids)],
        per_step: 50,
        shard: false,
    },
    // ... and the parts and file of an access copy whose job failed (a
    // part per `HOLDINGS_PER_STEP` holdings), all of one copy in a step.
    Task {
        class: RecordClass::FailedWrite,
        what: "privacy_exports",
        fields: "the parts of a copy whose job failed (blobs)",
        select: "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1000),
                      failed AS (SELECT e.request_id, e.holdings FROM privacy_exports e JOIN jobs j ON j.id = e.job_id
                                 WHERE e.state = 'building' AND j.state = 'failed' AND j.finished_at <= ?1
                                 ORDER BY j.finished_at LIMIT ?2)
                 SELECT request_id AS id, 'exports/' || request_id || '.part' || n.i AS blob_key
                   FROM failed JOIN n ON n.i <= failed.holdings / 6
                 UNION ALL
                 SELECT request_id AS id, 'exports/' || request_id || '.json' AS blob_key FROM failed",
        erase: |ids, _| vec![ids_in("UPDATE privacy_exports SET state = 'expired' WHERE request_id IN (SELECT value FROM json_each(?))", ids)],
        per_step: 5,
        shard: false,
    },
    Task {
        class: RecordClass::AccessCopy,
        what: "privacy_exports",
        fields: "the copy (blob)",
        select: "SELECT request_id AS id, blob_key FROM privacy_exports WHERE state = 'ready' AND ready_at <= ?
                   ORDER BY ready_at LIMIT ?",
        erase: |ids, _| vec![ids_in("UPDATE privacy_exports SET state = 'expired' WHERE request_id IN (SELECT value FROM json_each(?))", ids)],
        per_step: 25,
        shard: false,
    },
    Task {
        class: RecordClass::Separated,
        what: "separated_records",
        fields: "data_enc",
        select: "SELECT id FROM separated_records WHERE kept_until < date(?, '+9 hours') ORDER BY kept_until LIMIT ?",
        erase: |ids, _| vec![ids_in("DELETE FROM separated_records WHERE id IN (SELECT value FROM json_each(?))", ids)],
        per_step: 500,
        shard: false,
    },
    Task {
        class: RecordClass::Advertising6m,
        what: "marketing_campaigns",
        fields: "text, channel",
        select: "SELECT id FROM marketing_campaigns WHERE created_at <= ? ORDER BY created_at LIMIT ?",
        erase: |ids, _| vec![ids_in("DELETE FROM marketing_campaigns WHERE id IN (SELECT value FROM json_each(?))", ids)],
        per_step: 200,
        shard: false,
    },
    Task {
        class: RecordClass::Membership,
        what: "documents",
        fields: "document (blob), content_type, size_bytes",
        select: concat!(
            "SELECT d.id, d.blob_key FROM documents d JOIN members m ON m.id = d.member_id WHERE ",
            closed!(),
            " ORDER BY d.id LIMIT ?"
        ),
        erase: |ids, _| vec![ids_in("DELETE FROM documents WHERE id IN (SELECT value FROM json_each(?))", ids)],
        per_step: 25,
        shard: false,
    },
    Task {
        class: RecordClass::Membership,
        what: "members",
        fields: "password_hash, address_enc, company_json, categories, decision_reason, suspension_reason, termination_reason, partner profile, reviews, match index, contact persons",
        select: concat!(
            "SELECT m.id FROM members m WHERE m.erased_at IS NULL AND ",
            closed!(),
            " ORDER BY m.id LIMIT ?"
        ),
        erase: |ids, now| {
            vec![
                stmt!(
                    "UPDATE members SET password_hash = NULL, address_enc = NULL, company_json = NULL, categories = NULL,
                       decision_reason = NULL, suspension_reason = NULL, termination_reason = NULL, erased_at = ?
                     WHERE id IN (SELECT value FROM json_each(?))",
                    now,
                    ids
                ),
                ids_in("DELETE FROM partner_profiles WHERE member_id IN (SELECT value FROM json_each(?))", ids),
                ids_in("DELETE FROM reviews WHERE member_id IN (SELECT value FROM json_each(?))", ids),
                ids_in("DELETE FROM match_index WHERE member_id IN (SELECT value FROM json_each(?))", ids),
                ids_in("DELETE FROM phone_codes WHERE member_id IN (SELECT value FROM json_each(?))", ids),
                ids_in("DELETE FROM contact_persons WHERE member_id IN (SELECT value FROM json_each(?))", ids),
            ]
        },
        per_step: 50,
        shard: false,
    },
    Task {
        class: RecordClass::Consent,
        what: "consents",
        fields: "document_kind, document_version, accepted, at, ip_enc",
        select: concat!(
            "SELECT c.id FROM consents c JOIN members m ON m.id = c.member_id WHERE ",
            closed!(),
            " ORDER BY c.id LIMIT ?"
        ),
        erase: |ids, _| vec![ids_in("DELETE FROM consents WHERE id IN (SELECT value FROM json_each(?))", ids)],
        per_step: 500,
        shard: false,
    },
    Task {
        class: RecordClass::FraudPrevention1y,
        what: "members",
        fields: "login_id, contact_name_enc, phone_enc, phone_bidx, email_enc, email_bidx, representative_name_enc",
        select: concat!(
            "SELECT m.id FROM members m WHERE m.minimised_at IS NULL AND ",
            closed!(),
            " ORDER BY m.id LIMIT ?"
        ),
        erase: |ids, now| {
            vec![stmt!(
                "UPDATE members SET login_id = NULL, contact_name_enc = NULL, phone_enc = NULL, phone_bidx = NULL,
                   phone_verified_at = NULL, email_enc = NULL, email_bidx = NULL, representative_name_enc = NULL,
                   minimised_at = ?
                 WHERE id IN (SELECT value FROM json_each(?))",
                now,
                ids
            )]
        },
        per_step: 200,
        shard: false,
    },
    Task {
        class: RecordClass::Attendance,
        what: "attendance_records, terminals, sites",
        fields: "attendance records (shard), terminals, sites: manager_name_enc, manager_contact_enc, address_enc, services",
        select: concat!(
            "SELECT m.id FROM members m WHERE m.attendance_erased_at IS NULL AND ",
            closed!(),
            " ORDER BY m.id LIMIT ?"
        ),
        erase: |ids, now| {
            vec![
                ids_in(
                    "DELETE FROM adms_quarantine WHERE terminal_id IN
                       (SELECT id FROM terminals WHERE member_id IN (SELECT value FROM json_each(?)))",
                    ids,
                ),
                ids_in("DELETE FROM terminals WHERE member_id IN (SELECT value FROM json_each(?))", ids),
                ids_in("DELETE FROM sites WHERE member_id IN (SELECT value FROM json_each(?))", ids),
                stmt!(
                    "UPDATE members SET attendance_erased_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                    now,
                    ids
                ),
            ]
        },
        per_step: 10,
        shard: true,
    },
    Task {
        class: RecordClass::AccessLog,
        what: "access_log",
        fields: "admin_id, subject, what, why, client_ip_enc",
        select: concat!("SELECT CAST(seq AS TEXT) AS id FROM access_log WHERE ", chain_prefix!("access_log")),
        erase: |ids, _| {
            vec![
                ids_in(ACCESS.anchored, ids),
                ids_in(
                    "DELETE FROM access_log WHERE seq IN (SELECT CAST(value AS INTEGER) FROM json_each(?))",
                    ids,
                ),
            ]
        },
        per_step: 500,
        shard: false,
    },
    Task {
        class: RecordClass::AccessLog,
        what: "audit_log",
        fields: "actor, action, subject, detail",
        select: concat!("SELECT CAST(seq AS TEXT) AS id FROM audit_log WHERE ", chain_prefix!("audit_log")),
        erase: |ids, _| {
            vec![
                ids_in(AUDIT.anchored, ids),
                ids_in(
                    "DELETE FROM audit_log WHERE seq IN (SELECT CAST(value AS INTEGER) FROM json_each(?))",
                    ids,
                ),
            ]
        },
        per_step: 500,
        shard: false,
    },
    Task {
        class: RecordClass::Dispute3y,
        what: "privacy_requests",
        fields: "kind, details, delay_reason, answer, legal_basis",
        select: "SELECT id FROM privacy_requests WHERE answered_at <= ?
                   AND state IN ('completed','partially_refused','refused','withdrawn') ORDER BY answered_at LIMIT ?",
        erase: |ids, _| {
            vec![
                ids_in("DELETE FROM clocks WHERE subject IN (SELECT value FROM json_each(?))", ids),
                // A copy's row (its file went 7 days after it was ready).
                ids_in("DELETE FROM privacy_exports WHERE request_id IN (SELECT value FROM json_each(?))", ids),
                ids_in("DELETE FROM privacy_requests WHERE id IN (SELECT value FROM json_each(?))", ids),
            ]
        },
        per_step: 200,
        shard: false,
    },
    Task {
        class: RecordClass::Dispute3y,
        what: "direct_deal_reports",
        fields: "description, reason, deal_amount_krw",
        select: "SELECT id FROM direct_deal_reports WHERE decided_at <= ? ORDER BY decided_at LIMIT ?",
        erase: |ids, _| {
            vec![
                ids_in("DELETE FROM clocks WHERE subject IN (SELECT value FROM json_each(?))", ids),
                ids_in("DELETE FROM direct_deal_reports WHERE id IN (SELECT value FROM json_each(?))", ids),
            ]
        },
        per_step: 200,
        shard: false,
    },
    // Rule D7: a dispute 3 years after it closed, with everything written
    // in it, its evidence files and its filing pack (blobs). The platform's
    // objections about it go the same way.
    Task {
        class: RecordClass::Dispute3y,
        what: "disputes",
        fields: "claim, relief, messages, offers, material requests, the frozen case, the opinion; evidence files and the filing pack (blobs)",
        select: "WITH old AS (SELECT id, pack_sha256 FROM disputes WHERE closed_at <= ?1 ORDER BY closed_at LIMIT ?2)
                 SELECT id, NULL AS blob_key FROM old
                 UNION ALL SELECT a.dispute_id AS id, a.blob_key FROM dispute_attachments a JOIN old ON old.id = a.dispute_id
                 UNION ALL SELECT id, 'disputes/' || id || '/pack.json' AS blob_key FROM old WHERE pack_sha256 IS NOT NULL
                 UNION ALL SELECT id, 'disputes/' || id || '/pack.html' AS blob_key FROM old WHERE pack_sha256 IS NOT NULL",
        erase: |ids, _| {
            [
                "DELETE FROM clocks WHERE subject IN (SELECT id FROM dispute_material_requests WHERE dispute_id IN (SELECT value FROM json_each(?)))",
                "DELETE FROM clocks WHERE subject IN (SELECT value FROM json_each(?))",
                "DELETE FROM dispute_messages WHERE dispute_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM dispute_attachments WHERE dispute_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM dispute_offers WHERE dispute_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM dispute_material_requests WHERE dispute_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM disputes WHERE id IN (SELECT value FROM json_each(?))",
            ]
            .into_iter()
            .map(|sql| ids_in(sql, ids))
            .collect()
        },
        per_step: 50,
        shard: false,
    },
    Task {
        class: RecordClass::Dispute3y,
        what: "platform_objections",
        fields: "text, answer",
        select: "SELECT id FROM platform_objections WHERE answered_at <= ? ORDER BY answered_at LIMIT ?",
        erase: |ids, _| {
            vec![
                ids_in("DELETE FROM clocks WHERE subject IN (SELECT value FROM json_each(?))", ids),
                ids_in("DELETE FROM platform_objections WHERE id IN (SELECT value FROM json_each(?))", ids),
            ]
        },
        per_step: 200,
        shard: false,
    },
    Task {
        class: RecordClass::Dispute3y,
        what: "billing_objections",
        fields: "reason, answer",
        select: "SELECT id FROM billing_objections WHERE answered_at <= ? ORDER BY answered_at LIMIT ?",
        erase: |ids, _| {
            vec![
                ids_in("DELETE FROM clocks WHERE subject IN (SELECT value FROM json_each(?))", ids),
                ids_in("DELETE FROM billing_objections WHERE id IN (SELECT value FROM json_each(?))", ids),
            ]
        },
        per_step: 200,
        shard: false,
    },
    Task {
        class: RecordClass::Dispute3y,
        what: "dispute_restrictions",
        fields: "reason",
        select: "SELECT id FROM dispute_restrictions WHERE until_day <= substr(?, 1, 10) ORDER BY until_day LIMIT ?",
        erase: |ids, _| vec![ids_in("DELETE FROM dispute_restrictions WHERE id IN (SELECT value FROM json_each(?))", ids)],
        per_step: 200,
        shard: false,
    },
    Task {
        class: RecordClass::Moderation,
        what: "held_content",
        fields: "kind, found, reason",
        select: "SELECT id FROM held_content WHERE decided_at <= ? ORDER BY decided_at LIMIT ?",
        erase: |ids, _| vec![ids_in("DELETE FROM held_content WHERE id IN (SELECT value FROM json_each(?))", ids)],
        per_step: 200,
        shard: false,
    },
    Task {
        class: RecordClass::Contract5y,
        what: "contracts",
        fields: "versions (title, scope, canonical_enc), messages, defects, requests, confirmations, history, cancel_reason",
        // A contract whose dispute is still kept waits for it (D7 may keep
        // it longer than C10).
        select: "SELECT id FROM contracts WHERE state IN ('accepted','cancelled')
                   AND COALESCE(accepted_at, cancelled_at) <= ? AND id NOT IN (SELECT contract_id FROM disputes)
                   ORDER BY id LIMIT ?",
        erase: |ids, _| {
            let mut out: Vec<Stmt> = [
                "DELETE FROM contract_messages WHERE contract_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM contract_defects WHERE contract_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM contract_requests WHERE contract_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM contract_confirmations WHERE contract_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM contract_history WHERE contract_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM contract_versions WHERE contract_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM direct_deal_reports WHERE contract_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM clocks WHERE subject IN (SELECT value FROM json_each(?))",
            ]
            .into_iter()
            .map(|sql| ids_in(sql, ids))
            .collect();
            out.push(ids_in("DELETE FROM contracts WHERE id IN (SELECT value FROM json_each(?))", ids));
            out
        },
        per_step: 20,
        shard: false,
    },
    Task {
        class: RecordClass::Contract5y,
        what: "work_requests",
        fields: "title, scope, location, proposals",
        select: "SELECT w.id FROM work_requests w WHERE w.state <> 'open' AND w.created_at <= ?
                   AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.request_id = w.id) ORDER BY w.id LIMIT ?",
        erase: |ids, _| {
            vec![
                ids_in("DELETE FROM proposals WHERE request_id IN (SELECT value FROM json_each(?))", ids),
                ids_in("DELETE FROM work_requests WHERE id IN (SELECT value FROM json_each(?))", ids),
            ]
        },
        per_step: 100,
        shard: false,
    },
];

/// An expired record: its id and, for a document, its blob's key (a
/// record with several blobs comes once per blob).
struct Expired {
    id: String,
    blob_key: Option<String>,
}

fn expired(r: crate::kernel::ports::StmtResult) -> Result<Vec<Expired>, PortError> {
    let mut out = Vec::with_capacity(r.rows.len());
    for row in &r.rows {
        let id = row
            .text("id")
            .ok_or_else(|| PortError("an expired record without its id".into()))?;
        out.push(Expired {
            id: id.to_owned(),
            blob_key: row.text("blob_key").map(str::to_owned),
        });
    }
    Ok(out)
}

/// The daily destruction run (R2): the tasks in order, from the cursor's.
pub struct Destroy;

fn db(e: DbError) -> PortError {
    PortError(e.to_string())
}

#[async_trait::async_trait(?Send)]
impl Job for Destroy {
    fn kind(&self) -> &'static str {
        JOB
    }

    async fn step(&self, cx: &Cx<'_>, params: &Json, cursor: &Json) -> Result<Advance, PortError> {
        let from = cursor["task"].as_u64().unwrap_or(0) as usize;
        let (Some(day), Some(job)) = (params["day"].as_str(), params["run"].as_str()) else {
            return Ok(Advance::Fail {
                reason: "detail.job_params_invalid",
            });
        };
        let as_of = DateTime::parse_from_rfc3339(params["as_of"].as_str().unwrap_or(""))
            .map(|a| a.with_timezone(&Utc))
            .ok();
        // The first step counts the people whose data is held (the access
        // log's period depends on it: A3, R1) and fixes each class's
        // cutoff from the schedule, in the cursor.
        let Some(subjects) = cursor["subjects"].as_i64() else {
            let Some(as_of) = as_of else {
                return Ok(Advance::Fail {
                    reason: "detail.job_params_invalid",
                });
            };
            let (subjects, mut schedule) = held_subjects(
                cx,
                vec![stmt!("SELECT class, months, days FROM retention_schedule ORDER BY class")],
            )
            .await?;
            let schedule = Vec::<ScheduleRow>::from_result(schedule.pop().unwrap_or_default())
                .map_err(|e| PortError(e.to_string()))?;
            return Ok(Advance::Next {
                cursor: json!({ "task": 0, "subjects": subjects, "cutoffs": cutoffs(schedule, as_of) }),
                units: 0,
            });
        };
        let access_cutoff = as_of.map(|a| cutoff(a, access_log_months(subjects), 0).to_rfc3339());
        let audit_cutoff = as_of.map(|a| cutoff(a, AUDIT_LOG_MONTHS, 0).to_rfc3339());
        // Round trip 1: what has expired for each task from the cursor's
        // on (a class without a cutoff, kept without limit, has none).
        let due: Vec<(usize, &str)> = TASKS
            .iter()
            .enumerate()
            .skip(from)
            .filter_map(|(i, t)| {
                let cutoff = if t.what == "access_log" {
                    access_cutoff.as_deref()
                } else if t.what == "audit_log" {
                    audit_cutoff.as_deref()
                } else {
                    cursor["cutoffs"][t.class.as_str()].as_str()
                };
                Some((i, cutoff?))
            })
            .collect();
        if due.is_empty() {
            return Ok(Advance::Done { units: 0 });
        }
        let stmts: Vec<Stmt> = due
            .iter()
            .map(|&(i, cutoff)| stmt!(TASKS[i].select, cutoff, TASKS[i].per_step))
            .collect();
        let results = cx.db.batch(&stmts).await.map_err(db)?;
        let mut first = None;
        for (&(i, cutoff), r) in due.iter().zip(results) {
            let expired = expired(r)?;
            if !expired.is_empty() {
                first = Some((i, cutoff, expired));
                break;
            }
        }
        // Nothing left anywhere: the run is done.
        let Some((i, cutoff, expired)) = first else {
            return Ok(Advance::Done { units: 0 });
        };
        let task = &TASKS[i];
        let now = cx.clock.now().to_rfc3339();
        let mut writes = Vec::new();
        // A record with several blobs (a failed copy's parts) comes once
        // per blob: counted once.
        let mut ids: Vec<&str> = Vec::with_capacity(expired.len());
        for e in &expired {
            if !ids.contains(&e.id.as_str()) {
                ids.push(&e.id);
            }
        }
        let mut again = ids.len() == usize::try_from(task.per_step).unwrap_or(0);
        let mut units = i64::try_from(ids.len()).unwrap_or(0);
        if task.shard {
            // Each member's attendance in its shard first; a member with
            // more than a step's rows keeps its sites for the next step.
            let mut shard_rows = 0;
            let mut finished = Vec::new();
            for member in ids {
                let shard = cx.shards[crate::kernel::sharding::shard_of(member, cx.shards.len())];
                let mut done = shard.batch(&[shard_erasure(member)]).await.map_err(db)?;
                let deleted = i64::try_from(done.pop().map_or(0, |r| r.changes)).unwrap_or(0);
                shard_rows += deleted;
                if deleted < SHARD_ROWS {
                    finished.push(member);
                } else {
                    again = true;
                }
            }
            if shard_rows > 0 {
                writes.push(logged(
                    job,
                    day,
                    task,
                    "attendance_records",
                    shard_rows,
                    cutoff,
                    &now,
                ));
            }
            units = shard_rows + i64::try_from(finished.len()).unwrap_or(0);
            ids = finished;
        }
        for e in &expired {
            if let Some(key) = &e.blob_key {
                cx.blobs.delete(key).await?;
            }
        }
        // Round trip 2: the erasure and its log, in one batch.
        // The log first: the access log's and the audit chain's delete
        // triggers pass only right after it (migration 0027).
        if !ids.is_empty() {
            let list = Json::from(ids.clone()).to_string();
            let n = i64::try_from(ids.len()).unwrap_or(0);
            writes.push(logged(job, day, task, task.what, n, cutoff, &now));
            writes.extend((task.erase)(&list, &now));
        }
        if !writes.is_empty() {
            cx.db.batch(&writes).await.map_err(db)?;
        }
        let next = if again { i } else { i + 1 };
        Ok(if next < TASKS.len() {
            Advance::Next {
                cursor: json!({ "task": next, "subjects": subjects, "cutoffs": cursor["cutoffs"] }),
                units,
            }
        } else {
            Advance::Done { units }
        })
    }
}

/// Attendance rows deleted from a shard a step at most.
const SHARD_ROWS: i64 = 2_000;

/// Deletes a step's worth of `member`'s attendance from its shard.
pub fn shard_erasure(member: &str) -> Stmt {
    stmt!(
        "DELETE FROM attendance_records WHERE (terminal_id, event_id) IN
           (SELECT terminal_id, event_id FROM attendance_records WHERE member_id = ? LIMIT ?)",
        member,
        SHARD_ROWS
    )
}

/// The log of one step: class, table, fields and how many, never contents.
fn logged(
    job: &str,
    day: &str,
    task: &Task,
    what: &str,
    rows: i64,
    cutoff: &str,
    now: &str,
) -> Stmt {
    stmt!(
        "INSERT INTO destruction_log (job_id, day, class, what, fields, rows, cutoff, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        job,
        day,
        task.class.as_str(),
        what,
        task.fields,
        rows,
        cutoff,
        now
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// rule R2: a period is counted in KST calendar months: a record of 31
    /// August has expired 6 months later on the last day of February, and
    /// an instant after 15:00 UTC is the next KST day.
    #[test]
    fn r2_cutoffs_count_kst_calendar_months() {
        let cases = [
            // the last day of February reaches back to 31 August
            ("2027-02-28T03:00:00Z", 6, 0, "2026-08-31T03:00:00+00:00"),
            ("2027-02-27T03:00:00Z", 6, 0, "2026-08-27T03:00:00+00:00"),
            ("2027-03-31T03:00:00Z", 1, 0, "2027-02-28T03:00:00+00:00"),
            // 30 April 00:30 KST is 29 April 15:30 UTC: the KST month
            // ends, so 30 and 31 March have reached their month too
            ("2027-04-29T15:30:00Z", 1, 0, "2027-03-30T15:30:00+00:00"),
            // a year of 12 months from a leap day
            ("2029-02-28T03:00:00Z", 12, 0, "2028-02-29T03:00:00+00:00"),
            ("2026-12-06T00:00:00Z", 0, 7, "2026-11-29T00:00:00+00:00"),
        ];
        for (as_of, months, days, expected) in cases {
            assert_eq!(
                cutoff(at(as_of), months, days).to_rfc3339(),
                expected,
                "{as_of}"
            );
        }
        assert_eq!(run_id(at("2026-12-06T14:59:59Z")), "job_destroy_2026-12-06");
        assert_eq!(run_id(at("2026-12-06T15:00:00Z")), "job_destroy_2026-12-07");
    }

    /// rule R2: every class the registry names is either taken by a task or
    /// purged by the sweep, or kept without limit.
    #[test]
    fn r2_every_record_class_has_a_destroyer() {
        use crate::kernel::reads::TextEnum;
        let elsewhere = [
            RecordClass::Notice,
            RecordClass::Transient,
            RecordClass::Staff,
            RecordClass::AccountKey,
        ];
        for c in <RecordClass as TextEnum>::ALL {
            assert!(
                elsewhere.contains(c) || TASKS.iter().any(|t| t.class == *c),
                "{c:?}"
            );
        }
    }
}
