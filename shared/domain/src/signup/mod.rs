//! Signup of a member company (rules S1–S9): the state machine, one use
//! case per step, the review queue, and the S8 sweep step.
//!
//! | rule | file | tests |
//! |---|---|---|
//! | S1 steps in order, redo until submission | `s1_steps.rs` | `s1_*` here; `tests/tests/signup.rs` `s1_*` |
//! | S2 terms consent records | `s2_terms.rs` | `s2_*` in `functions/signup-terms`, `tests/tests/signup.rs` |
//! | S3 contact person, mobile code | `s3_contact.rs`, `s3_phone.rs` | `s3_*` in `tests/tests/signup.rs` |
//! | S4 company info, "search my company" | `s4_company.rs` | `s4_*` in `kernel/types.rs`, `tests/tests/signup.rs` |
//! | S5 documents | `s5_documents.rs` | `s5_*` here, `tests/tests/signup.rs` |
//! | S6 review decision with reason, review queue | `s6_review.rs` | `s6_*` in `tests/tests/signup.rs` |
//! | S7 trials, waiver, system fee → active | `s7_activation.rs` | `s7_*` here, `tests/tests/signup.rs` |
//! | S8 stale capability information | `s8_capability.rs` | `s8_*` here, `tests/tests/signup.rs` |
//! | S9 duplicate signups flagged | `s9_submit.rs` | `s9_*` in `tests/tests/signup.rs` |
//!
//! `member.rs` is the member row every area reads; `messages.rs` the
//! area's Korean and English texts.

pub mod member;
pub mod messages;
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

pub use messages::MESSAGES;

use crate::kernel::types::Krw;

/// The signup area's settings (defaults match SPEC.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignupConfig {
    /// Annual system fee (rules S4, S7).
    pub system_fee: Krw,
    /// Trial matchings before the system fee is billed (rule S7).
    pub trial_matchings: i64,
}

impl Default for SignupConfig {
    fn default() -> Self {
        SignupConfig {
            system_fee: Krw::new(500_000).unwrap_or_default(),
            trial_matchings: 5,
        }
    }
}

impl SignupConfig {
    /// Reads `SYSTEM_FEE_KRW` and `TRIAL_MATCHINGS` where a deployment sets them.
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
        c
    }
}
