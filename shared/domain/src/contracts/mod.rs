//! Contracts between members (rules C1–C11, seed 000 §10–12, §17–18).
//!
//! | rule | file | tests |
//! |---|---|---|
//! | C1 a draft with title, scope, amount, due date, IP clause, portfolio consent; the parties only | `contract.rs`, `c2_versions.rs`, `matching/m2_proposals.rs` | `m2_c1_*` in `tests/tests/contracts.rs` |
//! | C2 versions, confirmations bound to a version's SHA-256, forming, one of a racing edit and confirm wins | `contract.rs`, `c2_versions.rs`, `record.rs` (the record and its reads) | `c2_*` here and in `tests/tests/contracts.rs` |
//! | C3 completion, 7 KST days to inspect, deemed acceptance by the sweep; C4 defects → free repair; C5 rights pass on acceptance unless reserved | `c3_inspection.rs` | `c3_*` here, `c3_c4_c5_*` in `tests/tests/contracts.rs` |
//! | C2 after forming: amendments both confirm | `c2_amendments.rs`, `c7_requests.rs` | `c2_*` in `tests/tests/contracts.rs` |
//! | C6 the client cannot refuse or delay; cancellation by both (or a dispute) | `c6_cancel.rs`, `c7_requests.rs` | `c6_*` in `tests/tests/contracts.rs` |
//! | C7 requests answered within 7 KST days; overdue ones flagged by the sweep | `c7_requests.rs`, `contract.rs` | `c7_*` in `tests/tests/contracts.rs` |
//! | C8 confirmed direct deals cost the partner 200% of the success fee | `c8_direct_deals.rs`, migration 0014 | `c8_*` here and in `tests/tests/contracts.rs` |
//! | C9 the parties are fixed: no edit names another | `contract.rs`, `c2_versions.rs` | `c9_*` in `tests/tests/contracts.rs` |
//! | C10 kept 5 years: the class `contract_5y` is recorded now; keeping and destroying by the schedule comes with retention (R1) | migration 0011 | none yet |
//! | C11 contact details and off-platform proposals held for review (requests, portfolio, messages) | `c11_content.rs`, `c11_review.rs`, `c11_messages.rs` | `c11_*` here and in `tests/tests/matching.rs` |

pub mod c11_content;
pub mod c11_messages;
pub mod c11_review;
pub mod c2_amendments;
pub mod c2_versions;
pub mod c3_inspection;
pub mod c6_cancel;
pub mod c7_requests;
pub mod c8_direct_deals;
pub mod contract;
pub mod messages;
pub mod notices;
pub mod record;

pub use messages::MESSAGES;
