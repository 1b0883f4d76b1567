//! Signup of a member company (rules S1–S9): the state machine, one use
//! case per step, the review queue, and the S8 sweep step.
//!
//! | rule | file | tests |
//! |---|---|---|
//! | S1 steps in order, redo until submission; abandoned applications expire after 30 days | `s1_steps.rs`, `status.rs` | `s1_*` here; `tests/tests/signup.rs` `s1_*`; `tests/tests/expiry.rs` |
//! | S2 terms consent records | `s2_terms.rs` | `s2_*` in `functions/signup-terms`, `tests/tests/signup.rs` |
//! | S3 contact person, mobile code | `s3_contact.rs`, `s3_phone.rs` | `s3_*` in `tests/tests/signup.rs` |
//! | S4 company info, "search my company" | `s4_company.rs` | `s4_*` in `kernel/types.rs`, `tests/tests/signup.rs` |
//! | S5 documents, typed by their bytes | `s5_documents.rs`, `sniff.rs` | `s5_*` in both, `tests/tests/signup.rs` |
//! | S6 review decision with reason, review queue | `s6_review.rs` | `s6_*` in `tests/tests/signup.rs` |
//! | S7 trials, waiver, system fee → active | `s7_activation.rs` | `s7_*` here, `tests/tests/signup.rs` |
//! | S8 stale capability information | `s8_capability.rs` | `s8_*` here, `tests/tests/signup.rs` |
//! | S9 duplicate signups flagged | `s9_submit.rs` | `s9_*` in `tests/tests/signup.rs` |
//! | S10 termination for a stated cause; what the member did stops being shown | `s10_termination.rs` | `s10_*` in `tests/tests/signup.rs` |
//! | R4 a terminated member reads its data for a year | `s10_termination.rs`, `auth/a5_sessions.rs`, `kernel/engine/access.rs` | `r4_*` here and in `tests/tests/signup.rs` |
//!
//! `member.rs` is the member row every area reads; `messages.rs` the
//! area's Korean and English texts.

pub mod member;
pub mod messages;
pub mod s10_termination;
pub mod s1_steps;
pub mod s2_terms;
pub mod s3_contact;
pub mod s3_phone;
pub mod s4_company;
pub mod s5_documents;
pub mod s6_review;
pub mod s7_activation;
pub mod s8_capability;
pub mod s9_submit;
pub mod sniff;
pub mod status;

pub use messages::MESSAGES;

use crate::kernel::types::Krw;

/// The signup area's settings (defaults match SPEC.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignupConfig {
    /// Annual system fee (rules S4, S7).
    pub system_fee: Krw,
    /// Trial matchings before the system fee is billed (rule S7).
    pub trial_matchings: i64,
    /// New applications from one client address per hour (rule A6).
    pub applications_per_address_hour: i64,
    /// Contact-step saves per application per hour (each hashes a password
    /// with argon2id; rule A6).
    pub contact_saves_per_hour: i64,
}

impl Default for SignupConfig {
    fn default() -> Self {
        SignupConfig {
            system_fee: Krw::new(500_000).unwrap_or_default(),
            trial_matchings: 5,
            applications_per_address_hour: 20,
            contact_saves_per_hour: 10,
        }
    }
}

impl SignupConfig {
    /// Reads `SYSTEM_FEE_KRW`, `TRIAL_MATCHINGS`,
    /// `SIGNUP_APPLICATIONS_PER_HOUR` and `SIGNUP_CONTACT_SAVES_PER_HOUR`
    /// where a deployment sets them (the benchmarks raise the limits to
    /// measure the request path).
    pub fn from_secrets(s: &dyn crate::kernel::ports::Secrets) -> SignupConfig {
        let mut c = SignupConfig::default();
        if let Some(fee) = s
            .get("SYSTEM_FEE_KRW")
            .and_then(|v| v.parse().ok())
            .and_then(|v| Krw::new(v).ok())
        {
            c.system_fee = fee;
        }
        if let Some(n) = s.get("TRIAL_MATCHINGS").and_then(|v| v.parse().ok()) {
            c.trial_matchings = n;
        }
        let positive = |name: &str| {
            s.get(name)
                .and_then(|v| v.parse().ok())
                .filter(|n: &i64| *n > 0)
        };
        if let Some(n) = positive("SIGNUP_APPLICATIONS_PER_HOUR") {
            c.applications_per_address_hour = n;
        }
        if let Some(n) = positive("SIGNUP_CONTACT_SAVES_PER_HOUR") {
            c.contact_saves_per_hour = n;
        }
        c
    }
}
