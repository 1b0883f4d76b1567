//! Rule R1 for the access log (Standard for Securing Personal Information
//! art. 8): kept a year, two once 50,000 or more people's data is held.
//! The destruction run (`r2_destruction.rs`) counts them on its first step.

use crate::kernel::engine::Cx;
use crate::kernel::ports::{DbError, PortError};
use crate::stmt;

fn db(e: DbError) -> PortError {
    PortError(e.to_string())
}

/// Data subjects from which the access log is kept 2 years, not 1
/// (Standard for Securing Personal Information art. 8: "5만명 이상").
pub const MANY_SUBJECTS: i64 = 50_000;

/// The audit log of staff actions is kept 2 years whatever the count.
pub const AUDIT_LOG_MONTHS: i64 = 24;

/// How long the access log is kept with `subjects` people's data held.
pub fn access_log_months(subjects: i64) -> i64 {
    if subjects >= MANY_SUBJECTS {
        24
    } else {
        12
    }
}

/// The people whose personal data is held now: every member company's
/// administrator not yet minimised and every contact person it added and
/// did not remove (P10), every site's manager, and every
/// worker in the attendance shards (a worker of two companies counts
/// twice: the count errs towards the longer period).
///
/// `with`: other reads of the main database that ride in the same batch,
/// their results returned after the count.
pub async fn held_subjects(
    cx: &Cx<'_>,
    with: Vec<crate::kernel::ports::Stmt>,
) -> Result<(i64, Vec<crate::kernel::ports::StmtResult>), PortError> {
    let mut stmts = vec![stmt!(
        "SELECT (SELECT COUNT(*) FROM members WHERE minimised_at IS NULL AND contact_name_enc IS NOT NULL)
              + (SELECT COUNT(*) FROM contact_persons WHERE name_enc IS NOT NULL)
              + (SELECT COUNT(*) FROM sites) AS n"
    )];
    stmts.extend(with);
    let mut main = cx.db.batch(&stmts).await.map_err(db)?.into_iter();
    let mut n = main
        .next()
        .and_then(|r| r.rows.first().and_then(|r| r.int("n")))
        .unwrap_or(0);
    for shard in cx.shards {
        let got = shard
            .batch(&[stmt!(
                "SELECT COUNT(*) AS n FROM (SELECT DISTINCT member_id, worker_code FROM attendance_records)"
            )])
            .await
            .map_err(db)?;
        n += got
            .first()
            .and_then(|r| r.rows.first())
            .and_then(|r| r.int("n"))
            .unwrap_or(0);
    }
    Ok((n, main.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// rule R1 (the Standard's art. 8): the access log is kept a year, two
    /// once 50,000 or more people's data is held.
    #[test]
    fn r1_the_access_log_is_kept_two_years_from_fifty_thousand_subjects() {
        assert_eq!(access_log_months(0), 12);
        assert_eq!(access_log_months(49_999), 12);
        assert_eq!(access_log_months(50_000), 24);
    }
}
