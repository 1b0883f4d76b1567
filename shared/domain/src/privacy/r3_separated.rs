//! Rule R3: separated storage. What a deletion (P6) may not erase yet
//! because a law keeps it leaves the live tables for `separated_records`:
//! its values sealed, with their record class and the last KST day they
//! are kept (the daily destruction run, R2, destroys them the day after).
//! Only the privacy officer reads it (not even an owner), and every
//! member's read is in the access log.

use super::p1_requests::CaseRow;
use crate::kernel::crypto::{at, new_id};
use crate::kernel::engine::{Access, AdminRole, Env, Plan};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::personal_data::RecordClass;
use crate::{read, read_set, row, stmt, use_case};
use serde_json::Value as Json;

/// Where the moved values are sealed (bound to the row's id).
const PLACE: &str = "separated_records.data";

/// The statement that moves `data` (the values of `fields` of `what`) of
/// case `case`'s member to separated storage, sealed at its place, kept
/// until the KST day `until` under `class`.
pub fn moved(
    env: &Env,
    case: &CaseRow,
    class: RecordClass,
    what: &str,
    fields: &str,
    data: &Json,
    until: &str,
) -> Stmt {
    let id = new_id(env.rng, "sep");
    let sealed = env
        .keys
        .seal_for(env.rng, &at(PLACE, &id), &data.to_string());
    stmt!(
        "INSERT INTO separated_records (id, member_id, request_id, class, what, fields, data_enc, kept_until, moved_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id.as_str(),
        case.member_id.as_str(),
        case.id.as_str(),
        class.as_str(),
        what,
        fields,
        sealed,
        until,
        env.now.to_rfc3339()
    )
}

/// Who reads separated storage: the privacy officer alone (R3).
pub const SEPARATED_READERS: &[AdminRole] = &[AdminRole::PrivacyOfficer];

row!(
    /// A row of separated storage.
    pub struct SeparatedRow {
        pub id: String,
        pub member_id: String,
        pub request_id: String,
        pub class: String,
        pub what: String,
        pub fields: String,
        pub data_enc: String,
        pub kept_until: String,
        pub moved_at: String,
    }
);

crate::reply!(
    /// Separated storage (R3), opened for the privacy officer.
    @personal pub struct SeparatedRecords {
        pub records: Vec<SeparatedView>,
    }
    pub struct SeparatedView {
        pub id: String,
        pub member_id: String,
        pub request_id: String,
        pub class: String,
        pub what: String,
        pub fields: String,
        /// the values as moved
        pub data: Json,
        /// the last KST day kept; destroyed by the run the day after
        pub kept_until: String,
        pub moved_at: String,
    }
);

read_set!(pub struct SeparatedReads => SeparatedRows { records: Vec<SeparatedRow> });

/// `GET /admin/separated-records?member=`: separated storage, one member's
/// or the latest 100; each member read is in the access log (R3).
pub struct SeparatedList;
use_case!(SeparatedList, "admin.separated_records", |_uc| Access::Admin(SEPARATED_READERS), String => SeparatedReads);

impl SeparatedList {
    fn reads(&self, member: &String, _: &Env) -> SeparatedReads {
        SeparatedReads {
            records: read!(
                "SELECT id, member_id, request_id, class, what, fields, data_enc, kept_until, moved_at FROM separated_records
                 WHERE ?1 = '' OR member_id = ?1 ORDER BY moved_at DESC, id LIMIT 100",
                member.as_str()
            ),
        }
    }

    fn decide(&self, _: String, rows: SeparatedRows, env: &Env) -> Result<Plan, Problem> {
        let mut records = Vec::with_capacity(rows.records.len());
        for r in &rows.records {
            let data = env
                .keys
                .open_at(&at(PLACE, &r.id), &r.data_enc)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .ok_or_else(|| {
                    crate::kernel::engine::log_error("separated storage: a record does not open");
                    Problem::internal()
                })?;
            records.push(SeparatedView {
                id: r.id.clone(),
                member_id: r.member_id.clone(),
                request_id: r.request_id.clone(),
                class: r.class.clone(),
                what: r.what.clone(),
                fields: r.fields.clone(),
                data,
                kept_until: r.kept_until.clone(),
                moved_at: r.moved_at.clone(),
            });
        }
        Ok(
            Plan::ok(200, SeparatedRecords { records }, vec![]).touches_all(
                rows.records.iter().map(|r| r.member_id.as_str()),
                "privacy.read_separated",
            ),
        )
    }
}
