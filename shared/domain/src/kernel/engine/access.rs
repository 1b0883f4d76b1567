//! Who may call: staff roles, the verified caller, each use case's access
//! rule, and the check made before anything is read (401/403).

use crate::kernel::crypto::Keys;
use crate::kernel::http::Request;
use crate::kernel::problem::Problem;
use crate::kernel::tokens::{self, TokenKind};
use chrono::{DateTime, Utc};
use serde_json::Value as Json;

crate::text_enum!(
    /// Staff roles (SPEC Actors, rule A4): least privilege, one role each.
    pub enum AdminRole {
        Reviewer = "reviewer",
        Mediator = "mediator",
        PrivacyOfficer = "privacy_officer",
        Billing = "billing",
        Auditor = "auditor",
        Owner = "owner",
    }
);

impl AdminRole {
    pub const ALL: &'static [AdminRole] = <Self as crate::kernel::reads::TextEnum>::ALL;
}

/// The role claim's prefix of a partner in trial (`trial:partner`).
pub const TRIAL_ROLE: &str = "trial:";

/// The role claim's prefix of a terminated member's read-only session
/// (`readonly:client`, rule R4): `GET` routes and a data subject's own
/// rights only.
pub const READ_ONLY_ROLE: &str = "readonly:";

/// Who is calling, checked before the use case runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub kind: TokenKind,
    pub id: String,
    pub jti: String,
    /// Admins only.
    pub role: Option<AdminRole>,
    /// A member session of a contact person the administrator added (P10).
    pub person: Option<String>,
}

/// Who may call a use case. The engine refuses anyone else before any
/// database read: 401 without the right token, 403 for another admin role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No token: public routes, and devices that prove themselves by signature.
    Public,
    /// An applicant's signup token.
    Signup,
    /// Without a token the use case starts something new; with a signup
    /// token it continues it (signup step 1 redone).
    SignupOptional,
    /// A member user's session of an active member (a partner in trial is
    /// refused, 403).
    Member,
    /// Like `Member`, and only the member company's administrator (the
    /// person who signed it up), not a contact person it added (P10).
    Administrator,
    /// A member user's session of this member kind (`partner`, `client`):
    /// the session token names the kind, so others are refused unread.
    MemberOf(&'static str),
    /// Like `Member`, and partners in trial too (rule S7: their trial
    /// matchings run through proposals and contracts).
    Matching,
    /// Like `MemberOf`, and partners in trial too.
    MatchingOf(&'static str),
    /// A member user's acts on their own session and rights (signing out,
    /// privacy requests): like `Matching`, and a terminated member's
    /// read-only session too (R4): those outlast the membership.
    Own,
    /// An admin session with one of these roles.
    Admin(&'static [AdminRole]),
}

impl Access {
    fn token_kind(self) -> Option<TokenKind> {
        match self {
            Access::Public => None,
            Access::Signup | Access::SignupOptional => Some(TokenKind::Signup),
            Access::Member
            | Access::Administrator
            | Access::MemberOf(_)
            | Access::Matching
            | Access::MatchingOf(_)
            | Access::Own => Some(TokenKind::Member),
            Access::Admin(_) => Some(TokenKind::Admin),
        }
    }
}

/// The caller, verified against the use case's access before anything is read.
pub(super) fn authorize(
    access: Access,
    req: &Request,
    keys: &Keys,
    now: DateTime<Utc>,
) -> Result<Option<Principal>, Problem> {
    let Some(kind) = access.token_kind() else {
        return Ok(None);
    };
    let Some(token) = req
        .bearer()
        .or_else(|| req.session_cookie(kind.cookie_name()))
    else {
        return if access == Access::SignupOptional {
            Ok(None)
        } else {
            Err(Problem::unauthorized("detail.unauthorized"))
        };
    };
    let v = tokens::verify(keys, kind, token, now)
        .ok_or_else(|| Problem::unauthorized("detail.session_invalid"))?;
    // A member session's role claim is the member kind, `trial:<kind>` for a
    // partner in trial (rule S7), who may use the matching routes only, and
    // `readonly:<kind>` for a terminated member (R4), who reads and asks
    // for its rights but changes nothing.
    let (read_only, claim) = match v.role.strip_prefix(READ_ONLY_ROLE) {
        Some(k) => (true, k),
        None => (false, v.role.as_str()),
    };
    if read_only && access != Access::Own && !matches!(req.method.as_str(), "GET" | "HEAD") {
        return Err(Problem::forbidden("detail.read_only"));
    }
    let (trial, member_kind) = match claim.strip_prefix(TRIAL_ROLE) {
        Some(k) => (true, k),
        None => (false, claim),
    };
    if trial
        && matches!(
            access,
            Access::Member | Access::Administrator | Access::MemberOf(_)
        )
    {
        return Err(Problem::forbidden("detail.in_trial"));
    }
    if access == Access::Administrator && !v.person.is_empty() {
        return Err(Problem::forbidden("detail.administrator_only"));
    }
    if let Access::MemberOf(kind) | Access::MatchingOf(kind) = access {
        if member_kind != kind {
            return Err(
                Problem::forbidden("detail.member_kind").with("member_kind", Json::from(kind))
            );
        }
    }
    let role = AdminRole::parse(&v.role);
    if let Access::Admin(allowed) = access {
        if !role.is_some_and(|r| allowed.contains(&r)) {
            return Err(Problem::forbidden("detail.forbidden_role"));
        }
    }
    Ok(Some(Principal {
        kind,
        id: v.subject,
        jti: v.jti,
        role,
        person: Some(v.person).filter(|p| !p.is_empty()),
    }))
}
