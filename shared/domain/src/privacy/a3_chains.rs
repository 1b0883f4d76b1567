//! Rule A3: the access log and the audit log are hash chains
//! (`kernel::chain`); staff verify them here, a page of entries a request,
//! from the oldest entry kept: it links to the anchor the last destruction
//! run logged (R2), or to the genesis when nothing was destroyed. A page
//! says where the chain breaks, if it does; the staff page walks every
//! page.

use crate::kernel::chain::{verify, Chain, Hash, ACCESS, AUDIT, GENESIS};
use crate::kernel::engine::{Access, AdminRole, Env, Plan};
use crate::kernel::ports::Row;
use crate::kernel::problem::Problem;
use crate::{read_set, use_case};

crate::text_enum!(
    /// The chained logs.
    pub enum ChainName {
        /// staff actions (A4)
        AuditLog = "audit_log",
        /// reads and changes of personal data (A3)
        AccessLog = "access_log",
    }
);

impl ChainName {
    fn chain(self) -> &'static Chain {
        match self {
            ChainName::AuditLog => &AUDIT,
            ChainName::AccessLog => &ACCESS,
        }
    }
}

/// Entries a request verifies at most.
pub const PAGE: usize = 1_000;

#[derive(Debug, Clone)]
pub struct ChainInput {
    pub chain: ChainName,
    /// the last entry of the page before (0: from the oldest kept)
    pub after: i64,
}

crate::reply!(
    /// One page of a chain's verification.
    pub struct ChainCheck {
        pub chain: ChainName,
        pub after: i64,
        /// sealed entries found linked on this page
        pub checked: i64,
        /// the newest entries, not yet sealed by the sweep
        pub unsealed: i64,
        /// the first entry that does not link to the one before it: edited,
        /// inserted, or removed before it
        pub broken_at: Option<i64>,
        /// where the next page starts (`after`); absent at the chain's end
        /// or a break
        pub next_after: Option<i64>,
        /// the oldest entries were destroyed by a logged run (R2), and the
        /// first page starts at its anchor
        pub anchored: bool,
    }
);

read_set!(pub struct ChainReads => ChainRows {
    anchor: Option<Hash>,
    before: Option<Hash>,
    page: Vec<Row>,
});

/// Who checks the chains: the privacy officer, the auditor and owners.
pub const CHECKERS: &[AdminRole] = &[
    AdminRole::PrivacyOfficer,
    AdminRole::Auditor,
    AdminRole::Owner,
];

/// `GET /admin/chains/{chain}?after=`.
pub struct VerifyChain;
use_case!(VerifyChain, "admin.verify_chain", |_uc| Access::Admin(CHECKERS), ChainInput => ChainReads);

impl VerifyChain {
    fn reads(&self, input: &ChainInput, _: &Env) -> ChainReads {
        let chain = input.chain.chain();
        ChainReads {
            anchor: chain.read_anchor(),
            before: chain.read_at(input.after),
            page: chain.read_page(input.after, PAGE),
        }
    }

    fn decide(&self, input: ChainInput, rows: ChainRows, _: &Env) -> Result<Plan, Problem> {
        let anchored = rows.anchor.is_some();
        let start = if input.after == 0 {
            rows.anchor.map_or_else(|| GENESIS.to_owned(), |a| a.hash)
        } else {
            rows.before
                .ok_or_else(|| Problem::field("after", "field.chain_after"))?
                .hash
        };
        let v = verify(input.chain.chain(), &start, &rows.page);
        // A full page of sealed entries has more after it; the first
        // unsealed entry is where the sealed chain ends.
        let more = rows.page.len() == PAGE && v.unsealed == 0;
        Ok(Plan::ok(
            200,
            ChainCheck {
                chain: input.chain,
                after: input.after,
                checked: v.checked,
                unsealed: v.unsealed,
                broken_at: v.broken_at,
                next_after: (more && v.broken_at.is_none()).then_some(v.last_seq),
                anchored,
            },
            vec![],
        ))
    }
}
