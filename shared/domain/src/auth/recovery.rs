//! Finding one's login ID and setting a new password by the mobile number
//! verified at signup (issue 22; rules A1, A6). Three steps, no session:
//!
//! 1. `POST /auth/recovery/send` with the number: a 6-digit code by SMS when
//!    a member verified that number. The answer is the same either way (no
//!    one learns from it whether a number has an account), and so are the
//!    limits: one code a minute, 5 a day and 10 an hour per number (shared
//!    with signup), 20 an hour per client address.
//! 2. `POST /auth/recovery/verify` with the number and the code (5 tries,
//!    counted before the code is compared): the login IDs on that number,
//!    and a one-time ticket valid for 10 minutes.
//! 3. `POST /auth/recovery/password` with the number, the ticket, one of
//!    those login IDs and a new password typed twice: the password is
//!    replaced (argon2id), the member's sessions are revoked, the ticket is
//!    spent (one of two racing resets wins), and the member is told by
//!    e-mail.

use crate::kernel::crypto::{constant_time_eq, hash_password, new_id, six_digits};
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::limits::{Limit, Window};
use crate::kernel::outbox::{outbox, to_member};
use crate::kernel::problem::Problem;
use crate::kernel::types::{kst_date, parse_instant, MobileNumber, Password};
use crate::signup::s3_phone::{CODE_MAX_TRIES, CODE_RESEND_SECS, CODE_TTL_SECS, PHONE_HOURLY};
use crate::{read, read_set, row, stmt, use_case};
use serde_json::json;

/// How long a verified code's ticket sets a new password.
pub const TICKET_SECS: i64 = 600;
/// Recovery codes asked for from one client address per hour (A6).
pub const RECOVERY_PER_IP: Limit = Limit {
    prefix: "recovery-ip",
    window_secs: 3600,
    max: 20,
};

/// The members a verified number recovers: those that verified it and
/// have a login ID, and are not closed (a terminated member in its
/// read-only year, R4, still signs in to read).
macro_rules! holders {
    () => {
        "SELECT id, login_id, company_name, email_enc, phone_enc FROM members
         WHERE phone_bidx = ? AND phone_verified_at IS NOT NULL AND login_id IS NOT NULL
           AND status <> 'withdrawn'
           AND (status <> 'terminated' OR read_only_until > strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
         ORDER BY created_at"
    };
}

row!(
    /// A member on the number.
    pub struct Holder {
        pub id: String,
        pub login_id: String,
        pub company_name: Option<String>,
        pub email_enc: Option<String>,
        pub phone_enc: Option<String>,
    }
);

row!(
    /// The number's recovery: the code (hashed), its counters, and the
    /// ticket a right code gave (hashed).
    pub struct Recovery {
        pub code_hash: String,
        pub expires_at: String,
        pub tries: i64,
        pub sent_at: String,
        pub sent_day: String,
        pub sent_today: i64,
        pub ticket_hash: Option<String>,
        pub ticket_until: Option<String>,
    }
);

/// The columns of [`Recovery`].
macro_rules! recovery_columns {
    () => {
        "code_hash, expires_at, tries, sent_at, sent_day, sent_today, ticket_hash, ticket_until"
    };
}

fn bidx(env: &Env, mobile: &MobileNumber) -> String {
    env.keys.blind_index("phone", mobile.as_ref())
}

fn code_hash(env: &Env, phone_bidx: &str, code: &str) -> String {
    env.keys
        .blind_index("recovery-code", &format!("{phone_bidx}:{code}"))
}

fn ticket_hash(env: &Env, phone_bidx: &str, ticket: &str) -> String {
    env.keys
        .blind_index("recovery-ticket", &format!("{phone_bidx}:{ticket}"))
}

crate::reply!(
    /// A code was sent if the number has an account (the answer does not
    /// say which).
    pub struct RecoveryCodeSent {
        pub accepted: bool,
        /// seconds a code is valid
        pub expires_in: i64,
        /// seconds before another code may be asked for
        pub resend_after: i64,
    }
    /// The number is verified: its accounts, and the ticket that sets a new
    /// password for one of them.
    pub struct RecoveredAccounts {
        pub accounts: Vec<RecoveredAccount>,
        /// one-time, for `POST /auth/recovery/password`
        pub ticket: String,
        /// seconds the ticket is valid
        pub expires_in: i64,
    }
    pub struct RecoveredAccount {
        pub login_id: String,
        pub company_name: Option<String>,
    }
    /// The password was replaced; every session of the account ended.
    pub struct PasswordReset {
        pub reset: bool,
        pub login_id: String,
    }
);

read_set!(pub struct SendReads => SendRows {
    holders: Vec<Holder>,
    recovery: Option<Recovery>,
    per_number: Option<Window>,
    per_ip: Option<Window>,
});

/// `POST /auth/recovery/send`: a code to the number, if it has an account.
pub struct RecoverySend;
use_case!(RecoverySend, "auth.recovery_send", |_uc| Access::Public, MobileNumber => SendReads);

impl RecoverySend {
    fn reads(&self, mobile: &MobileNumber, env: &Env) -> SendReads {
        let b = bidx(env, mobile);
        let ip = env.client_ip.unwrap_or("unknown");
        SendReads {
            holders: read!(holders!(), b.as_str()),
            recovery: read!(
                concat!(
                    "SELECT ",
                    recovery_columns!(),
                    " FROM recovery_codes WHERE phone_bidx = ?"
                ),
                b.as_str()
            ),
            per_number: PHONE_HOURLY.read(&b),
            per_ip: RECOVERY_PER_IP.take(
                &env.keys.blind_index("rate-ip", &format!("recovery:{ip}")),
                env.now,
            ),
        }
    }

    fn decide(&self, mobile: MobileNumber, rows: SendRows, env: &Env) -> Result<Plan, Problem> {
        RECOVERY_PER_IP
            .over(&rows.per_ip, env.now)
            .map_err(|wait| Problem::rate_limited("detail.rate_limited", wait))?;
        let b = bidx(env, &mobile);
        let today = kst_date(env.now).to_string();
        if let Some(prior) = &rows.recovery {
            crate::signup::s3_phone::may_send_again(
                &prior.sent_at,
                &prior.sent_day,
                prior.sent_today,
                env.now,
            )?;
        }
        PHONE_HOURLY
            .check(&rows.per_number, env.now)
            .map_err(|wait| Problem::rate_limited("detail.rate_limited", wait))?;
        // A number without an account is answered alike, its row and
        // counters kept alike; only no code is sent.
        let code = six_digits(env.rng);
        let mut writes = vec![
            stmt!(
                "INSERT INTO recovery_codes (phone_bidx, code_hash, expires_at, tries, sent_at, sent_day, sent_today)
                 VALUES (?, ?, ?, 0, ?, ?, 1)
                 ON CONFLICT (phone_bidx) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at,
                   tries = 0, sent_at = excluded.sent_at, ticket_hash = NULL, ticket_until = NULL,
                   sent_today = CASE WHEN recovery_codes.sent_day = excluded.sent_day THEN recovery_codes.sent_today + 1 ELSE 1 END,
                   sent_day = excluded.sent_day",
                b.as_str(),
                code_hash(env, &b, &code),
                (env.now + chrono::Duration::seconds(CODE_TTL_SECS)).to_rfc3339(),
                env.now.to_rfc3339(),
                today.as_str()
            ),
            PHONE_HOURLY.hit(&b, env.now),
        ];
        let mut sends = Vec::new();
        if let Some(first) = rows.holders.first() {
            let text = fill("notice.recovery_code", Lang::Ko, &[("code", &code)]);
            let (n, e) = outbox(
                env,
                &first.id,
                "sms",
                "recovery_code",
                mobile.as_ref(),
                &text,
            );
            writes.push(n);
            sends.push(e);
        }
        Ok(Plan::ok(
            202,
            RecoveryCodeSent {
                accepted: true,
                expires_in: CODE_TTL_SECS,
                resend_after: CODE_RESEND_SECS,
            },
            writes,
        )
        .effects(sends))
    }
}

#[derive(Debug, Clone)]
pub struct VerifyInput {
    pub mobile: MobileNumber,
    pub code: String,
}

// What verifying a code and setting a password read: the number's
// accounts and its recovery row.
read_set!(pub struct NumberReads => NumberRows {
    holders: Vec<Holder>,
    recovery: Option<Recovery>,
});

/// `POST /auth/recovery/verify`: the code; the number's login IDs.
pub struct RecoveryVerify;
use_case!(RecoveryVerify, "auth.recovery_verify", |_uc| Access::Public, VerifyInput => NumberReads);

impl RecoveryVerify {
    fn reads(&self, input: &VerifyInput, env: &Env) -> NumberReads {
        let b = bidx(env, &input.mobile);
        NumberReads {
            holders: read!(holders!(), b.as_str()),
            // Counted before the code is compared, in the first batch: of
            // parallel guesses only the first 5 are ever compared (A6).
            recovery: read!(
                concat!(
                    "UPDATE recovery_codes SET tries = tries + 1 WHERE phone_bidx = ? RETURNING ",
                    recovery_columns!()
                ),
                b.as_str()
            ),
        }
    }

    fn decide(&self, input: VerifyInput, rows: NumberRows, env: &Env) -> Result<Plan, Problem> {
        let field = |key| Problem::field("code", key);
        let r = rows
            .recovery
            .ok_or_else(|| Problem::conflict("detail.no_code"))?;
        if r.tries > CODE_MAX_TRIES {
            return Err(Problem {
                status: 429,
                ..field("detail.code_tries")
            });
        }
        let live = parse_instant(Some(&r.expires_at)).is_some_and(|e| env.now <= e);
        if !live || r.code_hash.is_empty() {
            return Err(field("detail.code_expired"));
        }
        let b = bidx(env, &input.mobile);
        let typed = code_hash(env, &b, &input.code);
        if !constant_time_eq(typed.as_bytes(), r.code_hash.as_bytes()) || rows.holders.is_empty() {
            return Err(
                field("detail.code_wrong").with("tries_left", json!(CODE_MAX_TRIES - r.tries))
            );
        }
        let ticket = new_id(env.rng, "rcv");
        Ok(Plan::ok(
            200,
            RecoveredAccounts {
                accounts: rows
                    .holders
                    .iter()
                    .map(|h| RecoveredAccount {
                        login_id: h.login_id.clone(),
                        company_name: h.company_name.clone(),
                    })
                    .collect(),
                ticket: ticket.clone(),
                expires_in: TICKET_SECS,
            },
            vec![
                // The code is spent; the ticket takes its place.
                stmt!(
                    "UPDATE recovery_codes SET code_hash = '', ticket_hash = ?, ticket_until = ? WHERE phone_bidx = ? AND code_hash = ?",
                    ticket_hash(env, &b, &ticket),
                    (env.now + chrono::Duration::seconds(TICKET_SECS)).to_rfc3339(),
                    b.as_str(),
                    r.code_hash.as_str()
                ),
                guard_one_change(),
            ],
        )
        .conflict_means(field("detail.code_expired")))
    }
}

#[derive(Debug, Clone)]
pub struct ResetInput {
    pub mobile: MobileNumber,
    pub ticket: String,
    pub login_id: String,
    pub password: Password,
}

/// `POST /auth/recovery/password`: a new password for one of the number's
/// accounts, with the ticket.
pub struct RecoveryReset;
use_case!(RecoveryReset, "auth.recovery_reset", |_uc| Access::Public, ResetInput => NumberReads);

impl RecoveryReset {
    fn reads(&self, input: &ResetInput, env: &Env) -> NumberReads {
        let b = bidx(env, &input.mobile);
        NumberReads {
            holders: read!(holders!(), b.as_str()),
            recovery: read!(
                concat!(
                    "SELECT ",
                    recovery_columns!(),
                    " FROM recovery_codes WHERE phone_bidx = ?"
                ),
                b.as_str()
            ),
        }
    }

    fn decide(&self, input: ResetInput, rows: NumberRows, env: &Env) -> Result<Plan, Problem> {
        let b = bidx(env, &input.mobile);
        let expired = || Problem::field("ticket", "detail.recovery_expired");
        let r = rows.recovery.ok_or_else(expired)?;
        let (Some(stored), Some(until)) = (r.ticket_hash.as_deref(), r.ticket_until.as_deref())
        else {
            return Err(expired());
        };
        let typed = ticket_hash(env, &b, &input.ticket);
        let live = parse_instant(Some(until)).is_some_and(|e| env.now <= e);
        if !live || !constant_time_eq(typed.as_bytes(), stored.as_bytes()) {
            return Err(expired());
        }
        let holder = rows
            .holders
            .iter()
            .find(|h| h.login_id == input.login_id)
            .ok_or_else(|| Problem::field("login_id", "field.recovery_account"))?;
        let text = fill(
            "notice.password_reset",
            Lang::Ko,
            &[("login_id", &holder.login_id)],
        );
        let contact = crate::kernel::outbox::Contact {
            member_id: &holder.id,
            email_enc: holder.email_enc.as_deref(),
            phone_enc: holder.phone_enc.as_deref(),
        };
        let (notices, sends) = to_member(env, contact, "password_reset", &text, false);
        let mut writes = vec![
            // The ticket is spent first: of two racing resets one wins.
            stmt!(
                "DELETE FROM recovery_codes WHERE phone_bidx = ? AND ticket_hash = ?",
                b.as_str(),
                stored
            ),
            guard_one_change(),
            stmt!(
                "UPDATE members SET password_hash = ?, version = version + 1 WHERE id = ? AND phone_bidx = ?",
                hash_password(env.rng, input.password.expose()),
                holder.id.as_str(),
                b.as_str()
            ),
            guard_one_change(),
            crate::kernel::tokens::end_member_sessions(&holder.id, env.now),
            crate::kernel::audit::audit(env, &holder.id, "member.password_reset", &holder.id, "by the verified mobile"),
        ];
        writes.extend(notices);
        Ok(Plan::ok(
            200,
            PasswordReset {
                reset: true,
                login_id: holder.login_id.clone(),
            },
            writes,
        )
        .effects(sends)
        .conflict_means(expired()))
    }
}

/// The sweep's purge of recovery rows a day past their code and ticket.
pub fn purge_recovery(now: chrono::DateTime<chrono::Utc>, rows: i64) -> crate::kernel::ports::Stmt {
    let before = (now - chrono::Duration::days(1)).to_rfc3339();
    stmt!(
        "DELETE FROM recovery_codes WHERE rowid IN (SELECT rowid FROM recovery_codes
           WHERE expires_at < ? AND (ticket_until IS NULL OR ticket_until < ?) LIMIT ?)",
        before.as_str(),
        before.as_str(),
        rows
    )
}
