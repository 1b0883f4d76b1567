//! Rule P9: account withdrawal (탈퇴) closes the account at once. The
//! member's status becomes `withdrawn`, its login IDs are retired for good
//! (`login_ids` keeps them, so no one signs up under them again), every
//! session ends, its marketing consents are withdrawn (no advertising
//! reaches a closed account, even one already queued: P8), and the member
//! is told by e-mail. What it leaves behind is kept and destroyed by the
//! retention schedule (R1, R2). While a contract of the member is open
//! (draft, in progress, delivered and awaiting acceptance) the account
//! cannot close: the other party relies on it, and the request is refused
//! with the number of open contracts, nothing written. A terminated member
//! may withdraw too (R4): it stays terminated, its year of read-only access
//! ending at once.

use crate::kernel::engine::{guard_one_change, Effect, Env};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::outbox::to_member;
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::signup::member::MemberRow;
use crate::{read, stmt};

crate::row!(
    /// How many of the member's contracts are open.
    pub struct OpenContracts {
        pub n: i64,
    }
);

/// The read of the member's open contracts; when not `needed` (a request
/// of another kind) the constant condition ends it before any row is read.
pub fn read_open_contracts(
    member: &str,
    needed: bool,
) -> crate::kernel::reads::Read<Option<OpenContracts>> {
    read!(
        "SELECT COUNT(*) AS n FROM contracts
         WHERE ?2 AND (client_id = ?1 OR partner_id = ?1) AND state IN ('draft', 'in_progress', 'completed')",
        member,
        needed
    )
}

/// The statements and notice that close member `m`'s account now.
///
/// # Errors
/// 409 while a contract of the member is open.
pub fn close_account(
    env: &Env,
    m: &MemberRow,
    open: Option<&OpenContracts>,
) -> Result<(Vec<Stmt>, Vec<Effect>), Problem> {
    let open = open.map_or(0, |o| o.n);
    if open > 0 {
        return Err(Problem::conflict("detail.withdrawal_open_contracts")
            .with("open_contracts", serde_json::json!(open)));
    }
    let now = env.now.to_rfc3339();
    let id = m.id.as_str();
    // A terminated member stays terminated (its cause is what S9 and
    // staff go by); its read-only year ends now.
    let close = if m.status == crate::signup::member::MemberStatus::Terminated {
        stmt!(
            "UPDATE members SET read_only_until = ?, version = version + 1
             WHERE id = ? AND status = 'terminated'",
            now.as_str(),
            id
        )
    } else {
        stmt!(
            "UPDATE members SET status = 'withdrawn', closed_at = ?, version = version + 1
             WHERE id = ? AND status IN ('active', 'approved')",
            now.as_str(),
            id
        )
    };
    let mut writes = vec![
        close,
        guard_one_change(),
        stmt!(
            "UPDATE login_ids SET retired_at = ? WHERE member_id = ? AND retired_at IS NULL",
            now.as_str(),
            id
        ),
        crate::kernel::tokens::end_member_sessions(id, env.now),
    ];
    for kind in ["marketing_email", "marketing_sms"] {
        writes.push(super::p8_marketing::withdraw_consent(env, id, kind));
    }
    writes.push(crate::kernel::audit::audit(
        env,
        id,
        "member.withdrawn",
        id,
        "",
    ));
    let text = fill(
        "notice.account_withdrawn",
        Lang::Ko,
        &[("login_id", m.login_id.as_deref().unwrap_or(""))],
    );
    let (notices, sends) = to_member(env, m.contact(), "account_withdrawn", &text, false);
    writes.extend(notices);
    Ok((writes, sends))
}
