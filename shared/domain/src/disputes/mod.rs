//! Disputes on a contract in three stages (rules D1–D5, D7; seed 000 §9,
//! §13–14; seed 003 §35).
//!
//! | rule | file | tests |
//! |---|---|---|
//! | D1 stage 1: an objection in writing, the other party's answer in 7 KST days (a clock, flagged by the sweep), every message kept and sealed, settlement offers on any terms applied to the contract (C2 amendment, C6 cancellation with cause `dispute`) | `d1_negotiation.rs`, `d1_offers.rs`, `d1_attachments.rs`, `settlement.rs` (terms and how they apply), `clocks.rs` (the deadlines and what meets them), `dispute.rs` (rows, reads), `case.rs` (the reply) | `d1_*` in `tests/tests/disputes.rs` |
//! | D2 stage 2: either party escalates once stage 1 failed; a mediator assigned (fewest open cases, or by an owner); the case frozen and hashed; material asked by a day (a clock); the opinion due in 15 KST days (a clock, flagged); both parties' acceptance applies its outcome | `d2_mediation.rs`, `d2_staff.rs` (staff's reads, queue, assignment) | `d2_*` in `tests/tests/disputes.rs` |
//! | D3 stage 3: either party refers the case to the KCAB after the opinion (or its 15 days); the referral recorded, the process closed, the filing pack (JSON and its Korean HTML) made, sealed in the bucket and hashed; C1's arbitration clause in every version | `d3_arbitration.rs`, `contracts/contract.rs` (`ARBITRATION_CLAUSE`, format 2) | `d3_*` in `tests/tests/disputes.rs`, `c1_*` in `contracts/contract.rs` |
//! | D4 an objection to the platform's handling (a dispute, a restriction), answered by an owner within 15 KST days (a clock) | `d4_d5_platform.rs` | `d4_*` in `tests/tests/disputes.rs` |
//! | D5 a mediator or owner restricts a member with a reason and a last day; it raises no dispute until then; nothing else changes | `d4_d5_platform.rs`, `d1_negotiation.rs` (the refusal) | `d5_*` in `tests/tests/disputes.rs` |
//! | D7 kept 3 years after closing: every column in the registry with class `dispute_3y` | `personal_data.rs`, migration 0037 | `d7_*` in `tests/tests/disputes.rs` |
//!
//! Attachments (the KCAB referral and its filing
//! pack, D3), objections to the platform's handling (D4) and setting a
//! restriction (D5) come next.

pub mod case;
pub mod clocks;
pub mod d1_attachments;
pub mod d1_negotiation;
pub mod d1_offers;
pub mod d2_mediation;
pub mod d2_staff;
pub mod d3_arbitration;
pub mod d4_d5_platform;
pub mod dispute;
pub mod messages;
pub mod settlement;

pub use messages::MESSAGES;
