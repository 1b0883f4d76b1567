//! Contracts between members (rules C1–C11, seed 000 §10–12, §17–18).
//!
//! | rule | file | tests |
//! |---|---|---|
//! | C11 contact details and off-platform proposals held for review | `c11_content.rs` | `c11_*` here |

pub mod c11_content;
pub mod c11_review;
pub mod messages;

pub use messages::MESSAGES;
