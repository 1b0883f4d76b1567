//! Signed tokens (rule A5, RFC 8725): HS256 only, explicit `typ` per token
//! kind, issuer and audience allowlists, `exp` required, small clock
//! tolerance. Sessions also carry a `jti` that logout revokes in the database.

use crate::kernel::crypto::Keys;
use chrono::{DateTime, Utc};
use jwt_simple::prelude::*;
use std::collections::HashSet;

pub const ISSUER: &str = "member-platform";
pub const AUDIENCE: &str = "member-platform-api";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An applicant's token between signup steps.
    Signup,
    /// A member user's session after activation.
    Member,
    /// A platform admin's session.
    Admin,
}

impl TokenKind {
    fn typ(self) -> &'static str {
        match self {
            TokenKind::Signup => "signup+jwt",
            TokenKind::Member => "member-session+jwt",
            TokenKind::Admin => "admin-session+jwt",
        }
    }
    /// The cookie that carries this kind of token for the web pages
    /// (`HttpOnly`: no script in a page can read it).
    pub fn cookie_name(self) -> &'static str {
        match self {
            TokenKind::Signup => "mp_signup",
            TokenKind::Member => "mp_member",
            TokenKind::Admin => "mp_admin",
        }
    }
    /// Its name in `sessions.principal_kind` and in stored answers.
    pub fn name(self) -> &'static str {
        match self {
            TokenKind::Signup => "signup",
            TokenKind::Member => "member",
            TokenKind::Admin => "admin",
        }
    }
    pub fn from_name(name: &str) -> Option<TokenKind> {
        [TokenKind::Signup, TokenKind::Member, TokenKind::Admin]
            .into_iter()
            .find(|k| k.name() == name)
    }
    /// The reply field that carries a new token of this kind.
    pub fn reply_field(self) -> &'static str {
        match self {
            TokenKind::Signup => "signup_token",
            TokenKind::Member | TokenKind::Admin => "token",
        }
    }
    pub fn lifetime_secs(self) -> u64 {
        match self {
            TokenKind::Signup => 24 * 3600,
            TokenKind::Member | TokenKind::Admin => 30 * 60,
        }
    }
}

/// The session row of a new signup token: the applicant's earlier tokens
/// stop working (one signup session per application at a time).
pub fn signup_session(
    member: &str,
    jti: &str,
    now: DateTime<Utc>,
) -> [crate::kernel::ports::Stmt; 2] {
    let expires = now
        + chrono::Duration::seconds(i64::try_from(TokenKind::Signup.lifetime_secs()).unwrap_or(0));
    [
        end_signup_sessions(member, now),
        crate::stmt!(
            "INSERT INTO sessions (jti, principal_kind, principal_id, expires_at) VALUES (?, 'signup', ?, ?)",
            jti,
            member,
            expires.to_rfc3339()
        ),
    ]
}

/// Revokes every live signup token of an application (a new token, or
/// activation: a member signs in from then on).
pub fn end_signup_sessions(member: &str, now: DateTime<Utc>) -> crate::kernel::ports::Stmt {
    crate::stmt!(
        "UPDATE sessions SET revoked_at = ? WHERE principal_kind = 'signup' AND principal_id = ? AND revoked_at IS NULL",
        now.to_rfc3339(),
        member
    )
}

/// Revokes every live session of a member's users (a new password, a
/// closed account).
/// Ends every session of contact person `person` (rule P10).
pub fn end_person_sessions(person: &str, now: DateTime<Utc>) -> crate::kernel::ports::Stmt {
    crate::stmt!(
        "UPDATE sessions SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL",
        now.to_rfc3339(),
        person
    )
}

pub fn end_member_sessions(member: &str, now: DateTime<Utc>) -> crate::kernel::ports::Stmt {
    crate::stmt!(
        "UPDATE sessions SET revoked_at = ? WHERE principal_kind = 'member' AND principal_id = ? AND revoked_at IS NULL",
        now.to_rfc3339(),
        member
    )
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Extra {
    /// Admin role, or a member session's member kind (`partner`, `client`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// A member session of a contact person the administrator added
    /// (rule P10): the person's id; empty for the administrator.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub person: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub subject: String,
    pub jti: String,
    pub role: String,
    /// A contact person's id (P10); empty for the administrator and others.
    pub person: String,
    pub expires_at: i64,
}

/// Issues a token of `kind` for `subject`, valid from `now`.
pub fn issue(
    keys: &Keys,
    kind: TokenKind,
    subject: &str,
    jti: &str,
    role: &str,
    now: DateTime<Utc>,
) -> String {
    issue_with(
        keys,
        kind,
        subject,
        jti,
        Extra {
            role: role.to_owned(),
            person: String::new(),
        },
        now,
    )
}

/// Issues a token of `kind` for `subject` with these custom claims.
pub fn issue_with(
    keys: &Keys,
    kind: TokenKind,
    subject: &str,
    jti: &str,
    extra: Extra,
    now: DateTime<Utc>,
) -> String {
    let key = HS256Key::from_bytes(&keys.jwt);
    let mut claims = Claims::with_custom_claims(extra, Duration::from_secs(kind.lifetime_secs()))
        .with_issuer(ISSUER)
        .with_audience(AUDIENCE)
        .with_subject(subject)
        .with_jwt_id(jti);
    let iat = now.timestamp().max(0) as u64;
    claims.issued_at = Some(Duration::from_secs(iat));
    claims.invalid_before = Some(Duration::from_secs(iat));
    claims.expires_at = Some(Duration::from_secs(iat + kind.lifetime_secs()));
    let opts = HeaderOptions {
        signature_type: Some(kind.typ().to_owned()),
        ..Default::default()
    };
    key.authenticate_with_options(claims, &opts)
        .expect("HS256 signing cannot fail")
}

/// Verifies signature, algorithm, `typ`, issuer, audience and expiry at `now`.
pub fn verify(keys: &Keys, kind: TokenKind, token: &str, now: DateTime<Utc>) -> Option<Verified> {
    let key = HS256Key::from_bytes(&keys.jwt);
    let opts = VerificationOptions {
        required_signature_type: Some(kind.typ().to_owned()),
        allowed_issuers: Some(HashSet::from([ISSUER.to_owned()])),
        allowed_audiences: Some(HashSet::from([AUDIENCE.to_owned()])),
        time_tolerance: Some(Duration::from_secs(30)),
        artificial_time: Some(Duration::from_secs(now.timestamp().max(0) as u64)),
        max_token_length: Some(4096),
        ..Default::default()
    };
    let claims = key.verify_token::<Extra>(token, Some(opts)).ok()?;
    Some(Verified {
        subject: claims.subject?,
        jti: claims.jwt_id?,
        role: claims.custom.role,
        person: claims.custom.person,
        expires_at: claims.expires_at?.as_secs() as i64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::crypto::testkit::keys;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a5_token_round_trips_with_subject_and_role() {
        let k = keys();
        let now = t("2026-11-22T00:00:00Z");
        let tok = issue(&k, TokenKind::Admin, "adm_1", "j1", "reviewer", now);
        let v = verify(&k, TokenKind::Admin, &tok, now).unwrap();
        assert_eq!(
            (v.subject.as_str(), v.jti.as_str(), v.role.as_str()),
            ("adm_1", "j1", "reviewer")
        );
    }

    /// rule P10: a contact person's session names the person; the
    /// administrator's names none.
    #[test]
    fn p10_a_contact_persons_token_names_the_person() {
        let k = keys();
        let now = t("2026-11-22T00:00:00Z");
        let extra = Extra {
            role: "client".into(),
            person: "cps_1".into(),
        };
        let tok = issue_with(&k, TokenKind::Member, "mem_1", "j1", extra, now);
        let v = verify(&k, TokenKind::Member, &tok, now).expect("valid");
        assert_eq!((v.subject.as_str(), v.person.as_str()), ("mem_1", "cps_1"));
        let admin = issue(&k, TokenKind::Member, "mem_1", "j2", "client", now);
        assert_eq!(
            verify(&k, TokenKind::Member, &admin, now)
                .expect("valid")
                .person,
            ""
        );
    }

    #[test]
    fn a5_token_of_another_type_is_refused() {
        let k = keys();
        let now = t("2026-11-22T00:00:00Z");
        let tok = issue(&k, TokenKind::Signup, "mem_1", "j", "", now);
        assert!(verify(&k, TokenKind::Member, &tok, now).is_none());
        assert!(verify(&k, TokenKind::Admin, &tok, now).is_none());
    }

    #[test]
    fn a5_expired_token_is_refused_after_small_tolerance() {
        let k = keys();
        let now = t("2026-11-22T00:00:00Z");
        let tok = issue(&k, TokenKind::Member, "mem_1", "j", "", now);
        assert!(verify(
            &k,
            TokenKind::Member,
            &tok,
            now + chrono::Duration::seconds(30 * 60 + 20)
        )
        .is_some());
        assert!(verify(
            &k,
            TokenKind::Member,
            &tok,
            now + chrono::Duration::seconds(30 * 60 + 60)
        )
        .is_none());
    }

    #[test]
    fn a5_token_signed_with_another_key_or_tampered_is_refused() {
        let now = t("2026-11-22T00:00:00Z");
        let tok = issue(&keys(), TokenKind::Member, "mem_1", "j", "", now);
        let mut other = keys();
        other.jwt = vec![9u8; 32];
        assert!(verify(&other, TokenKind::Member, &tok, now).is_none());
        let (head, _) = tok.rsplit_once('.').unwrap();
        assert!(verify(&keys(), TokenKind::Member, &format!("{head}.AAAA"), now).is_none());
        // alg=none is never accepted.
        let none = format!(
            "{}.{}.",
            base64::Engine::encode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                r#"{"alg":"none","typ":"member-session+jwt"}"#
            ),
            tok.split('.').nth(1).unwrap()
        );
        assert!(verify(&keys(), TokenKind::Member, &none, now).is_none());
    }
}
