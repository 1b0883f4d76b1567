//! Disputes on a contract in three stages (rules D1–D5, D7; seed 000 §9,
//! §13–14; seed 003 §35).
//!
//! | rule | file | tests |
//! |---|---|---|
//! | D1 stage 1: an objection in writing, the other party's answer in 7 KST days (a clock, flagged by the sweep), every message kept and sealed, settlement offers on any terms applied to the contract (C2 amendment, C6 cancellation with cause `dispute`) | `d1_negotiation.rs`, `d1_offers.rs`, `dispute.rs` (rows, reads, the case) | `d1_*` in `tests/tests/disputes.rs` |
//! | D5 a restricted member raises no dispute until the restriction's day | `d1_negotiation.rs` (the refusal), migration 0037 | `d5_*` in `tests/tests/disputes.rs` |
//! | D7 kept 3 years after closing: every column in the registry with class `dispute_3y` | `personal_data.rs`, migration 0037 | `d7_*` in `tests/tests/disputes.rs` |
//!
//! Stage 2 (mediation, D2), stage 3 (the KCAB referral and its filing
//! pack, D3), objections to the platform's handling (D4) and setting a
//! restriction (D5) come next.

pub mod d1_negotiation;
pub mod d1_offers;
pub mod dispute;
pub mod messages;

pub use messages::MESSAGES;
