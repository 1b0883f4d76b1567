//! The member row: an applicant until activation, then a member company.
//! Every area reads it; the signup area owns its lifecycle.

use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::reads::Read;
use crate::{read, stmt};

crate::text_enum!(
    /// Where a member company is in its life (rules S1, S6, S7, S10).
    pub enum MemberStatus {
        Applying = "applying",
        Submitted = "submitted",
        OnHold = "on_hold",
        Rejected = "rejected",
        Approved = "approved",
        Active = "active",
        Terminated = "terminated",
        Withdrawn = "withdrawn",
    }
);

impl MemberStatus {
    /// An application on its way to membership (not yet active, not
    /// closed): its applicant may sign in to follow and continue it.
    pub fn is_application(self) -> bool {
        matches!(
            self,
            MemberStatus::Applying
                | MemberStatus::Submitted
                | MemberStatus::OnHold
                | MemberStatus::Rejected
                | MemberStatus::Approved
        )
    }
}

crate::text_enum!(
    /// Why the platform ended a membership (seed 000 §7; seed 003 §19⑤, §20).
    pub enum TerminationCause {
        /// 비실명 가입, 허위 데이터 (false name or data)
        FalseInformation = "false_information",
        /// 범죄적 행위 (criminal acts)
        Crime = "crime",
        /// 국익·공익 저해 목적 (against the public interest)
        PublicHarm = "public_harm",
        /// 타인의 아이디·비밀번호 도용 (someone else's account used)
        StolenAccount = "stolen_account",
        /// 타인의 명예 손상 (harming others' reputation)
        Defamation = "defamation",
        /// 다른 아이디로 이중 등록 (registered twice)
        DuplicateRegistration = "duplicate_registration",
        /// 서비스에 위해 (harming the service)
        ServiceHarm = "service_harm",
        /// 이용조건 위반 (the terms of use broken)
        TermsViolation = "terms_violation",
        /// 이용요금 미납 (fees unpaid, seed 003 §20①)
        UnpaidFees = "unpaid_fees",
        /// 파산·부도 등 (insolvency, seed 003 §19⑤)
        Insolvency = "insolvency",
    }
);

/// The last instant of a terminated member's read-only access (R4): the
/// end of the KST day a year after `terminated_at` (29 February's year ends
/// on 28 February).
pub fn read_only_until(
    terminated_at: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    let day = crate::kernel::types::kst_date(terminated_at);
    let year_on = day
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(day);
    let end = year_on
        .succ_opt()
        .unwrap_or(year_on)
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(crate::kernel::types::kst()).single())
        .map_or(terminated_at, |t| t.with_timezone(&chrono::Utc));
    end - chrono::Duration::seconds(1)
}

/// May a terminated member with this `read_only_until` still sign in to
/// read at `now` (R4)?
pub fn may_read(read_only_until: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> bool {
    read_only_until
        .and_then(|u| chrono::DateTime::parse_from_rfc3339(u).ok())
        .is_some_and(|u| now <= u)
}

crate::row!(
    /// `SELECT * FROM members`: personal fields stay sealed (`_enc`).
    pub struct MemberRow {
        pub id: String,
        pub kind: String,
        pub status: MemberStatus,
        pub step: i64,
        pub version: i64,
        pub login_id: Option<String>,
        pub password_hash: Option<String>,
        pub contact_name_enc: Option<String>,
        pub phone_enc: Option<String>,
        pub phone_bidx: Option<String>,
        pub phone_verified_at: Option<String>,
        pub email_enc: Option<String>,
        pub email_bidx: Option<String>,
        pub company_name: Option<String>,
        pub business_number: Option<String>,
        pub representative_name_enc: Option<String>,
        pub address_enc: Option<String>,
        pub company_json: Option<String>,
        pub categories: Option<String>,
        pub capability_updated_at: Option<String>,
        pub update_requested_at: Option<String>,
        pub decision: Option<String>,
        /// sealed at `DECISION_REASON` (staff wrote it)
        pub decision_reason: Option<crate::kernel::sealed::SealedText>,
        pub trials_waived: bool,
        pub fee_paid_reference: Option<String>,
        pub created_at: String,
        pub submitted_at: Option<String>,
        pub activated_at: Option<String>,
        pub device_limit: i64,
        pub suspended_at: Option<String>,
        /// sealed at `SUSPENSION_REASON` (staff wrote it)
        pub suspension_reason: Option<crate::kernel::sealed::SealedText>,
        /// when the account closed (withdrawn or terminated)
        pub closed_at: Option<String>,
        /// a terminated member reads its data until then (R4)
        pub read_only_until: Option<String>,
        /// why the platform ended the membership (S10)
        pub termination_cause: Option<TerminationCause>,
        /// sealed at `TERMINATION_REASON` (staff wrote it)
        pub termination_reason: Option<crate::kernel::sealed::SealedText>,
    }
);

impl MemberRow {
    /// Who the member is and its contact person, personal fields decrypted
    /// (for the member itself, or staff whose read the engine logs).
    pub fn identity(&self, keys: &crate::kernel::crypto::Keys) -> Identity {
        Identity {
            member_id: self.id.clone(),
            kind: self.kind.clone(),
            status: self.status,
            login_id: self.login_id.clone(),
            contact_name: self.open(keys, "members.contact_name", &self.contact_name_enc),
            mobile: self.open(keys, "members.phone", &self.phone_enc),
            email: self.open(keys, "members.email", &self.email_enc),
            company_name: self.company_name.clone(),
        }
    }

    /// Where this member is reached (its sealed e-mail and mobile).
    pub fn contact(&self) -> crate::kernel::outbox::Contact<'_> {
        crate::kernel::outbox::Contact {
            member_id: &self.id,
            email_enc: self.email_enc.as_deref(),
            phone_enc: self.phone_enc.as_deref(),
        }
    }

    /// One of this member's sealed fields, opened (`place` as it was sealed
    /// for, e.g. `members.email`); `None` when absent or unreadable.
    pub fn open(
        &self,
        keys: &crate::kernel::crypto::Keys,
        place: &str,
        sealed: &Option<String>,
    ) -> Option<String> {
        let at = crate::kernel::crypto::at(place, &self.id);
        sealed.as_deref().and_then(|v| keys.open_at(&at, v).ok())
    }
}

crate::reply!(
    /// Who a member is and its contact person (personal fields decrypted).
    pub struct Identity {
        pub member_id: String,
        /// `partner` or `client`
        pub kind: String,
        pub status: MemberStatus,
        pub login_id: Option<String>,
        pub contact_name: Option<String>,
        pub mobile: Option<String>,
        pub email: Option<String>,
        pub company_name: Option<String>,
    }
);

pub fn read_member(id: &str) -> Read<Option<MemberRow>> {
    read!("SELECT * FROM members WHERE id = ?", id)
}

/// The caller's own member row, or 401 when the token's member is gone.
///
/// # Errors
/// 401 when there is no such member.
pub fn own(row: Option<MemberRow>) -> Result<MemberRow, Problem> {
    row.ok_or_else(|| Problem::unauthorized("detail.session_invalid"))
}

/// The caller's own member row, which must be active (V1).
///
/// # Errors
/// 401 when there is no such member; 403 when it is not active.
pub fn active(row: Option<MemberRow>) -> Result<MemberRow, Problem> {
    let m = own(row)?;
    if m.status != MemberStatus::Active {
        return Err(Problem::forbidden("detail.not_active")
            .with("member_status", serde_json::json!(m.status)));
    }
    Ok(m)
}

/// Is this member a partner in its trial matchings (rule S7): approved,
/// not yet paid, trials not waived?
pub fn in_trial(m: &MemberRow) -> bool {
    m.status == MemberStatus::Approved && m.kind == "partner" && !m.trials_waived
}

/// The caller's own member row, active or a partner in trial (the
/// matching routes, rule S7).
///
/// # Errors
/// 401 when there is no such member; 403 when it is neither.
pub fn active_or_trial(row: Option<MemberRow>) -> Result<MemberRow, Problem> {
    let m = own(row)?;
    if m.status != MemberStatus::Active && !in_trial(&m) {
        return Err(Problem::forbidden("detail.not_active")
            .with("member_status", serde_json::json!(m.status)));
    }
    Ok(m)
}

/// The caller's own member row for a read: active, a partner in trial, or
/// terminated and within its read-only year at `now` (R4: its session
/// reads only, the engine refusing every route that writes before any
/// read; a session begun just before the year's end stops with it).
///
/// # Errors
/// 401 when there is no such member; 403 when it is none of these.
pub fn readable(
    row: Option<MemberRow>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<MemberRow, Problem> {
    let m = own(row)?;
    if m.status == MemberStatus::Terminated && may_read(m.read_only_until.as_deref(), now) {
        return Ok(m);
    }
    active_or_trial(Some(m))
}

/// Conditional update guard: bumps `version` only if it is still `version`.
pub fn bump_version(id: &str, version: i64) -> Stmt {
    stmt!(
        "UPDATE members SET version = version + 1 WHERE id = ? AND version = ?",
        id,
        version
    )
}

#[cfg(test)]
mod tests {
    use super::MemberStatus::*;

    /// Issue 22: an applicant signs in to its application while it is on
    /// its way (applying, submitted, on hold, rejected, approved); a
    /// terminated or withdrawn account is refused, an active one gets its
    /// member session.
    #[test]
    fn s1_which_statuses_an_applicant_signs_in_to() {
        for s in [Applying, Submitted, OnHold, Rejected, Approved] {
            assert!(s.is_application(), "{s:?}");
        }
        for s in [Active, Terminated, Withdrawn] {
            assert!(!s.is_application(), "{s:?}");
        }
    }
}
