//! Matching work requests to partners (rules M1–M3, seed 000, end).
//!
//! | rule | file | tests |
//! |---|---|---|
//! | M1 documented, explainable score; weights are data; deterministic ties; profiles, work requests, bounded proposals | `m1_score.rs`, `m1_profile.rs`, `m1_requests.rs` | `m1_*` here, `tests/tests/matching.rs` |
//! | M2 a proposal both sides accept becomes a contract draft with the category's success fee | `m2_proposals.rs` | `m2_*` in `tests/tests/contracts.rs` |
//! | M3 information older than 6 months ranks lower | `m1_score.rs` (factor `freshness`), `m3_freshness.rs` (the sweep) | `m3_*` here, `m1_m3_*` in `tests/tests/matching.rs` |

pub mod m1_profile;
pub mod m1_requests;
pub mod m1_score;
pub mod messages;

pub use messages::MESSAGES;
pub mod m1_weights;
pub mod m2_proposals;
pub mod m3_freshness;
