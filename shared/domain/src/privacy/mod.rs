//! Privacy rights (rules P1–P10) and, to come, retention (R1–R4) and the
//! access log's reviews (A3, A9): the privacy desk, its own Worker group
//! (`edge-privacy`).
//!
//! | rule | file | tests |
//! |---|---|---|
//! | P1 the kinds of request | `p1_case.rs`, `p1_requests.rs` | `p1_*` in `tests/tests/privacy.rs` |
//! | P2 self-service when signed in; entered by the desk for a written, e-mailed or phoned request, verified by a code sent only to a contact point on file; a proxy's power of attorney hashed, the person told | `p1_requests.rs`, `p2_entered.rs` | `p2_*` in `tests/tests/privacy.rs` |
//! | P3 answered by the 10th KST day after receipt; a delay with reason and day, told; shown to staff | `p1_requests.rs`, `p3_desk.rs`, `p3_overdue.rs` (the sweep flags a case past its day) | `p3_*` here and in `tests/tests/privacy.rs` |
//! | P4 an access request answered by a job's copy of every holding of the registry (sealed in the blob store, 7 days to download) with its Korean cover | `p4_export.rs`, `personal_data.rs` (`HOLDINGS`) | `p4_*` in `personal_data.rs`, `tests/src/registry.rs`, `tests/tests/privacy.rs` |
//! | P5 a correction applied with the answer (name, mobile, e-mail), the old value overwritten, the audit entry naming only the fields | `p3_desk.rs` (`Corrections`) | `p5_*` in `tests/tests/privacy.rs` |
//! | P6 a deletion planned (erased now, moved, kept where it is with its law and last day, blocked by an open contract), then executed in one batch; the answer names what was kept and why | `p6_deletion.rs` | `p6_*` in `tests/tests/privacy.rs` |
//! | R3 separated storage: sealed, with its class and last day, read only by the privacy officer, each read access-logged, destroyed the day after | `r3_separated.rs`, `p6_deletion.rs`, `r2_destruction.rs` | `r3_*` in `tests/tests/privacy.rs` |
//! | P7 a processing suspension refused only with its reason and law, told; granted, the member is no longer proposed nor sent marketing | `p3_desk.rs` (the answer), `matching/m1_requests.rs` (`proposable!`), `p8_marketing.rs` | `p7_*` in `tests/tests/privacy.rs` |
//! | P8 a marketing consent's withdrawal stops every notice not yet sent | `p8_marketing.rs`, `kernel/outbox.rs` (checked at send time) | `p8_*` in `tests/tests/privacy.rs` |
//! | P9 account withdrawal: closed at once, login ID retired for good | `p9_withdrawal.rs` | `p9_*` in `tests/tests/privacy.rs` |
//! | P10 a member's administrator adds contact persons (invited by e-mail, each with its own login) and removes one who left: its data erased at once, its login ID retired, its sessions ended, the person told | `p10_contacts.rs`, `migrations/0036_contact_persons.sql` | `p10_*` in `tests/tests/privacy.rs` |
//! | R1 the retention schedule as data: a class, period, legal basis and action per row, every registered column in a class with a row | `migrations/0027_retention.sql`, `r1_schedule.rs`, `personal_data.rs` | `r1_*` in `tests/src/registry.rs` and `tests/tests/retention.rs` |
//! | R2 expired records destroyed by a daily job within 5 days, logged in counts (the access log's period by the count held: `r1_access_period.rs`) | `r2_destruction.rs` | `r2_*` here and in `tests/tests/retention.rs` |
//! | A3 the access log and the audit log as hash chains, sealed by the sweep, verified a page at a time from the oldest entry kept (the last destruction's anchor) | `kernel/chain.rs`, `kernel/access_log.rs`, `a3_chains.rs`, `r2_destruction.rs` (the anchor) | `a3_*` in `kernel/chain.rs` and `tests/tests/retention.rs` |
//! | A8 terms and policies versioned with the day each applies; a change announced to every member 7 days ahead (30 if important), made current by the sweep; consent again where needed, each consent with its version | `a8_terms.rs`, `migrations/0033_terms_changes.sql` | `a8_*` here and in `tests/tests/privacy.rs` |
//! | A9 a monthly access-log review and a quarterly self-audit (access-log review, retention runs, overdue requests, staff accounts created), made by jobs the sweep starts once a KST period ends | `a9_reports.rs` | `a9_*` here and in `tests/tests/retention.rs` |
//! | A7 marketing only with opt-in, labelled "(광고)" | `p8_marketing.rs` | `a7_*` in `tests/tests/privacy.rs` |

pub mod a3_chains;
pub mod a8_terms;
pub mod a9_reports;
pub mod messages;
pub mod p10_contacts;
pub mod p1_case;
pub mod p1_requests;
pub mod p2_entered;
pub mod p3_desk;
pub mod p3_overdue;
pub mod p4_export;
pub mod p6_deletion;
pub mod p8_marketing;
pub mod p9_withdrawal;
pub mod r1_access_period;
pub mod r1_schedule;
pub mod r2_destruction;
pub mod r3_separated;

pub use messages::MESSAGES;

#[cfg(test)]
mod tests {
    use super::p1_requests::last_day;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// rule P3: the day of receipt is not counted; the 10th KST day after
    /// it is the last; an instant after 15:00 UTC is already the next KST
    /// day.
    #[test]
    fn p3_due_at_the_end_of_the_tenth_kst_day_after_receipt() {
        assert_eq!(
            last_day(at("2026-12-03T01:00:00Z")).to_string(),
            "2026-12-13"
        );
        // 3 Dec 23:59 KST (14:59 UTC) is still 3 Dec.
        assert_eq!(
            last_day(at("2026-12-03T14:59:59Z")).to_string(),
            "2026-12-13"
        );
        // 4 Dec 00:00 KST (3 Dec 15:00 UTC) counts from 4 Dec.
        assert_eq!(
            last_day(at("2026-12-03T15:00:00Z")).to_string(),
            "2026-12-14"
        );
        // Across the year's end.
        assert_eq!(
            last_day(at("2026-12-25T03:00:00Z")).to_string(),
            "2027-01-04"
        );
    }
}
