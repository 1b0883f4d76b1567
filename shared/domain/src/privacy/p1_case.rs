//! What a privacy-rights case is (rules P1, P3): the kinds a person asks
//! for, the states a case passes through, how it came in, and its clock:
//! the last KST day to answer and the clock kind the privacy officer
//! watches. The requests (`p1_requests.rs`), the desk (`p3_desk.rs`) and
//! the work each kind starts (`p4_export.rs`, `p6_deletion.rs`) build on it.

use crate::kernel::clocks::Kind;
use crate::kernel::engine::AdminRole;
use crate::kernel::types::kst_date;
use chrono::{Days, NaiveDate};

crate::text_enum!(
    /// What a person asks (P1).
    pub enum RightsKind {
        /// 열람: a copy of everything held about them (P4)
        Access = "access",
        /// 정정: a correction (P5)
        Correction = "correction",
        /// 삭제: erasure, or what another law keeps and why (P6)
        Deletion = "deletion",
        /// 처리정지: a stop to processing (P7)
        Suspension = "suspension",
        /// consent withdrawal: marketing by e-mail (P8)
        MarketingEmail = "marketing_email",
        /// consent withdrawal: marketing by text message (P8)
        MarketingSms = "marketing_sms",
        /// 탈퇴: the account closed (P9)
        Withdrawal = "withdrawal",
    }
);

crate::text_enum!(
    /// Where a case stands.
    pub enum CaseState {
        Received = "received",
        /// a request made on paper, by e-mail or phone waits for the
        /// requester's identity to be verified
        IdentityPending = "identity_pending",
        InProgress = "in_progress",
        /// its day moved, with a reason the requester was told
        Delayed = "delayed",
        Completed = "completed",
        PartiallyRefused = "partially_refused",
        Refused = "refused",
        /// withdrawn by the requester
        Withdrawn = "withdrawn",
    }
);

impl CaseState {
    /// Still to be answered.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            CaseState::Received
                | CaseState::IdentityPending
                | CaseState::InProgress
                | CaseState::Delayed
        )
    }
}

crate::text_enum!(
    /// How the request came in (P2).
    pub enum Channel {
        /// by the person, signed in
        SelfService = "self",
        Written = "written",
        Email = "email",
        Phone = "phone",
    }
);

/// KST calendar days to answer, after the day of receipt (P3).
pub const ANSWER_DAYS: u64 = 10;

/// The answer to a privacy-rights request, a clock the privacy officer
/// watches; the requester waits on it.
pub const PRIVACY_REQUEST: Kind = Kind {
    name: "privacy_request",
    watchers: &[AdminRole::PrivacyOfficer],
};

/// Who reads and answers cases: the privacy officer, and owners.
pub const DESK: &[AdminRole] = &[AdminRole::PrivacyOfficer, AdminRole::Owner];

/// The last KST day to answer a request received at `received` (P3).
pub fn last_day(received: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    let day = kst_date(received);
    day.checked_add_days(Days::new(ANSWER_DAYS)).unwrap_or(day)
}
