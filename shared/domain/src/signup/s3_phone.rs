//! Rule S3 (mobile verification) with A6's limits: a 6-digit code by SMS,
//! 3-minute expiry, 5 tries, one send a minute, 5 a day per application and
//! 10 an hour per number.

use super::member::{own, read_member, MemberRow};
use super::s1_steps::{Progress, Step};
use crate::kernel::crypto::{constant_time_eq, six_digits};
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::limits::{Limit, Window};
use crate::kernel::outbox::outbox;
use crate::kernel::problem::Problem;
use crate::kernel::types::{kst_date, parse_instant};
use crate::{read, read_set, row, stmt, use_case};
use serde_json::json;

pub const CODE_TTL_SECS: i64 = 180;
pub const CODE_MAX_TRIES: i64 = 5;
pub const CODE_RESEND_SECS: i64 = 60;
pub const CODE_DAILY_MAX: i64 = 5;
/// Codes to one number per hour, across applications (rule A6).
pub const PHONE_HOURLY: Limit = Limit {
    prefix: "code-phone",
    window_secs: 3600,
    max: 10,
};

/// Whether another code may be sent now, after one sent at `sent_at` on
/// the KST day `sent_day`, the `sent_today`th that day (A6: one a minute,
/// `CODE_DAILY_MAX` a day); signup's and account recovery's codes alike.
///
/// # Errors
/// 429 with the seconds to wait.
pub fn may_send_again(
    sent_at: &str,
    sent_day: &str,
    sent_today: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Problem> {
    if let Some(sent) = parse_instant(Some(sent_at)) {
        let wait = CODE_RESEND_SECS - (now - sent).num_seconds();
        if wait > 0 {
            return Err(Problem::rate_limited(
                "detail.code_resend_wait",
                u64::try_from(wait).unwrap_or(1),
            ));
        }
    }
    if sent_day == kst_date(now).to_string() && sent_today >= CODE_DAILY_MAX {
        return Err(Problem::rate_limited("detail.code_daily_limit", 3600));
    }
    Ok(())
}

fn code_hash(env: &Env, member_id: &str, code: &str) -> String {
    env.keys
        .blind_index("phone-code", &format!("{member_id}:{code}"))
}

row!(
    /// The application's current code (hashed) and its counters, and the
    /// code it replaced while that one has not expired.
    pub struct PhoneCode {
        pub code_hash: String,
        pub phone_bidx: String,
        pub expires_at: String,
        pub previous_hash: Option<String>,
        pub previous_expires_at: Option<String>,
        pub tries: i64,
        pub sent_at: String,
        pub sent_day: String,
        pub sent_today: i64,
    }
);

pub(crate) fn read_code(id: &str) -> crate::kernel::reads::Read<Option<PhoneCode>> {
    read!(
        "SELECT code_hash, phone_bidx, expires_at, previous_hash, previous_expires_at, tries, sent_at, sent_day, sent_today FROM phone_codes WHERE member_id = ?",
        id
    )
}

crate::reply!(
    /// A code sent and not yet expired: after a reload the phone step shows
    /// its box again and how long until another may be asked for.
    pub struct CodeState {
        /// when the latest code stops working
        pub expires_at: String,
        /// from when another code may be asked for
        pub resend_at: String,
    }
);

impl PhoneCode {
    /// The code's state for the applicant, while one is live at `now`.
    pub fn state(&self, now: chrono::DateTime<chrono::Utc>) -> Option<CodeState> {
        let expires = parse_instant(Some(&self.expires_at)).filter(|e| now <= *e)?;
        let sent = parse_instant(Some(&self.sent_at))?;
        Some(CodeState {
            expires_at: expires.to_rfc3339(),
            resend_at: (sent + chrono::Duration::seconds(CODE_RESEND_SECS)).to_rfc3339(),
        })
    }
}

crate::reply!(
    /// A code was sent by SMS.
    pub struct CodeSent {
        pub sent: bool,
        /// seconds the code is valid
        pub expires_in: i64,
        /// seconds before another code may be asked for
        pub resend_after: i64,
    }
    /// The number was verified before: nothing sent or checked.
    pub struct PhoneAlreadyVerified {
        pub already_verified: bool,
        /// message key
        pub code: &'static str,
    }
    /// The number is verified (now, or before: `already_verified`).
    pub struct PhoneVerified {
        pub verified: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub already_verified: Option<bool>,
        /// message key
        #[serde(skip_serializing_if = "Option::is_none")]
        pub code: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next: Option<&'static str>,
    }
);

read_set!(pub struct SendReads => SendRows {
    member: Option<MemberRow>,
    code: Option<PhoneCode>,
    hourly: Option<Window>,
});

/// `POST /signup/phone/send`: sends a 6-digit code to the contact's mobile.
pub struct PhoneSend;
use_case!(PhoneSend, "signup.phone_send", |_uc| Access::Signup, () => SendReads);

impl PhoneSend {
    fn reads(&self, _: &(), env: &Env) -> SendReads {
        let id = env.caller();
        SendReads {
            member: read_member(id),
            code: read_code(id),
            hourly: read!(
                "SELECT CAST(r.window_start AS INTEGER) AS window_start, r.count FROM rate_limits r JOIN members m ON r.bucket = 'code-phone:' || m.phone_bidx WHERE m.id = ?",
                id
            ),
        }
    }

    fn decide(&self, _: (), rows: SendRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let id = m.id.as_str();
        let progress = Progress::of(&m, false);
        progress.allows(Step::Contact)?;
        if progress.step < 2 {
            return Err(Problem::step_missing("step.contact"));
        }
        if progress.phone_verified {
            return Ok(Plan::ok(
                200,
                PhoneAlreadyVerified {
                    already_verified: true,
                    code: "detail.phone_already_verified",
                },
                vec![],
            ));
        }
        let today = kst_date(env.now).to_string();
        let phone_bidx = m.phone_bidx.as_deref().unwrap_or("");
        if let Some(prior) = &rows.code {
            may_send_again(&prior.sent_at, &prior.sent_day, prior.sent_today, env.now)?;
        }
        PHONE_HOURLY
            .check(&rows.hourly, env.now)
            .map_err(|wait| Problem::rate_limited("detail.rate_limited", wait))?;
        let code = six_digits(env.rng);
        let phone = m
            .open(env.keys, "members.phone", &m.phone_enc)
            .unwrap_or_default();
        let text = fill("notice.phone_code", Lang::Ko, &[("code", &code)]);
        let (notice, send) = outbox(env, id, "sms", "phone_code", &phone, &text);
        // The code this one replaces keeps working until it expires (to
        // the same phone only): it may already be on the applicant's screen.
        let previous = rows.code.as_ref().filter(|p| {
            p.phone_bidx == phone_bidx
                && parse_instant(Some(&p.expires_at)).is_some_and(|e| env.now <= e)
        });
        let writes = vec![
            stmt!(
                "INSERT INTO phone_codes (member_id, code_hash, phone_bidx, expires_at, previous_hash, previous_expires_at, tries, sent_at, sent_day, sent_today)
                 VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, 1)
                 ON CONFLICT (member_id) DO UPDATE SET code_hash = excluded.code_hash, phone_bidx = excluded.phone_bidx,
                   expires_at = excluded.expires_at, previous_hash = excluded.previous_hash,
                   previous_expires_at = excluded.previous_expires_at, tries = 0, sent_at = excluded.sent_at,
                   sent_today = CASE WHEN phone_codes.sent_day = excluded.sent_day THEN phone_codes.sent_today + 1 ELSE 1 END,
                   sent_day = excluded.sent_day",
                id,
                code_hash(env, id, &code),
                phone_bidx,
                (env.now + chrono::Duration::seconds(CODE_TTL_SECS)).to_rfc3339(),
                previous.map(|p| p.code_hash.clone()),
                previous.map(|p| p.expires_at.clone()),
                env.now.to_rfc3339(),
                today.as_str()
            ),
            PHONE_HOURLY.hit(phone_bidx, env.now),
            notice,
        ];
        Ok(Plan::ok(
            202,
            CodeSent {
                sent: true,
                expires_in: CODE_TTL_SECS,
                resend_after: CODE_RESEND_SECS,
            },
            writes,
        )
        .effect(send))
    }
}

read_set!(pub struct VerifyReads => VerifyRows {
    member: Option<MemberRow>,
    code: Option<PhoneCode>,
});

/// `POST /signup/phone/verify`: checks the code.
pub struct PhoneVerify;
use_case!(PhoneVerify, "signup.phone_verify", |_uc| Access::Signup, String => VerifyReads);

impl PhoneVerify {
    fn reads(&self, _: &String, env: &Env) -> VerifyReads {
        VerifyReads {
            member: read_member(env.caller()),
            // Counted before the code is compared, in the first batch: of
            // 40 parallel guesses, only the first 5 are ever compared.
            code: read!(
                "UPDATE phone_codes SET tries = tries + 1 WHERE member_id = ?
                 RETURNING code_hash, phone_bidx, expires_at, previous_hash, previous_expires_at, tries, sent_at, sent_day, sent_today",
                env.caller()
            ),
        }
    }

    fn decide(&self, code: String, rows: VerifyRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let id = m.id.as_str();
        let progress = Progress::of(&m, false);
        progress.allows(Step::Contact)?;
        if progress.phone_verified {
            return Ok(Plan::ok(
                200,
                PhoneVerified {
                    verified: true,
                    already_verified: Some(true),
                    code: Some("detail.phone_already_verified"),
                    next: None,
                },
                vec![],
            ));
        }
        let pc = rows
            .code
            .ok_or_else(|| Problem::conflict("detail.no_code"))?;
        let field = |key| Problem::field("code", key);
        // `tries` counts this attempt.
        if pc.tries > CODE_MAX_TRIES {
            return Err(Problem {
                status: 429,
                ..field("detail.code_tries")
            });
        }
        // The codes still valid: the latest, and the one it replaced.
        let live = |expires: Option<&String>| {
            parse_instant(expires.map(String::as_str)).is_some_and(|e| env.now <= e)
        };
        let codes: Vec<&String> = [
            Some(&pc.code_hash).filter(|_| live(Some(&pc.expires_at))),
            pc.previous_hash
                .as_ref()
                .filter(|_| live(pc.previous_expires_at.as_ref())),
        ]
        .into_iter()
        .flatten()
        .collect();
        if codes.is_empty() {
            return Err(field("detail.code_expired"));
        }
        let same_phone = Some(pc.phone_bidx.as_str()) == m.phone_bidx.as_deref();
        let typed = code_hash(env, id, &code);
        // Each compared in constant time, all of them every time.
        let matches = codes
            .iter()
            .filter(|h| constant_time_eq(typed.as_bytes(), h.as_bytes()))
            .count();
        let right = same_phone && matches > 0;
        if !right {
            return Err(
                field("detail.code_wrong").with("tries_left", json!(CODE_MAX_TRIES - pc.tries))
            );
        }
        Ok(Plan::ok(
            200,
            PhoneVerified {
                verified: true,
                already_verified: None,
                code: None,
                next: Some(if progress.step >= 3 {
                    "documents"
                } else {
                    "company"
                }),
            },
            vec![
                stmt!(
                    "UPDATE members SET phone_verified_at = ?, version = version + 1 WHERE id = ?",
                    env.now.to_rfc3339(),
                    id
                ),
                stmt!("DELETE FROM phone_codes WHERE member_id = ?", id),
            ],
        ))
    }
}

/// The sweep's purge of codes expired for a day.
pub fn purge_codes(now: chrono::DateTime<chrono::Utc>, rows: i64) -> crate::kernel::ports::Stmt {
    stmt!(
        "DELETE FROM phone_codes WHERE rowid IN (SELECT rowid FROM phone_codes WHERE expires_at < ? LIMIT ?)",
        (now - chrono::Duration::days(1)).to_rfc3339(),
        rows
    )
}
