//! Domain types that parse. Once one of these exists it is valid; nothing
//! downstream re-checks it (STYLE.md: parse, don't validate).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

/// Why a value did not parse: an i18n message key (see `i18n.rs`).
pub type Invalid = &'static str;

/// Login ID (rule S3): 4–20 of `a-z 0-9 _`; never an email or phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginId(String);

impl LoginId {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.contains('@') {
            return Err("login_id.is_email");
        }
        if MobileNumber::parse(s).is_ok() {
            return Err("login_id.is_phone");
        }
        let ok_chars = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !(4..=20).contains(&s.len()) || !ok_chars {
            return Err("login_id.format");
        }
        // An all-digit ID of phone length is a phone number in disguise.
        if s.bytes().all(|b| b.is_ascii_digit()) && s.len() >= 10 {
            return Err("login_id.is_phone");
        }
        Ok(Self(s.to_owned()))
    }
}
impl AsRef<str> for LoginId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A password as typed (rule A1, QUALITY.md: ≥ 8 characters, 64+ allowed,
/// no composition rules, no truncation, common passwords refused).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// A short list of the most common passwords; a deployment may extend it.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password123",
    "12345678",
    "123456789",
    "1234567890",
    "qwerty123",
    "qwertyuiop",
    "iloveyou",
    "11111111",
    "00000000",
    "abcd1234",
    "admin123",
    "letmein1",
    "welcome1",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "qwer1234",
    "asdf1234",
    "passw0rd",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "superman",
    "trustno1",
    "q1w2e3r4",
    "zxcvbnm1",
];

impl Password {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let chars = raw.chars().count();
        if chars < 8 {
            return Err("password.too_short");
        }
        if chars > 256 {
            return Err("password.too_long");
        }
        if COMMON_PASSWORDS.contains(&raw.to_lowercase().as_str()) {
            return Err("password.common");
        }
        Ok(Self(raw.to_owned()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}
impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Korean mobile number (rule S3): 010/011/016/017/018/019, stored as digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobileNumber(String);

impl MobileNumber {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let mut digits: String = raw
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '.' | '(' | ')'))
            .collect();
        if let Some(rest) = digits.strip_prefix("+82") {
            digits = format!("0{rest}");
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("mobile.format");
        }
        let prefix_ok = ["010", "011", "016", "017", "018", "019"]
            .iter()
            .any(|p| digits.starts_with(p));
        let len_ok = if digits.starts_with("010") {
            digits.len() == 11
        } else {
            (10..=11).contains(&digits.len())
        };
        if !prefix_ok || !len_ok {
            return Err("mobile.format");
        }
        Ok(Self(digits))
    }
}
impl AsRef<str> for MobileNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Email address: one `@`, a dotted domain, no spaces, at most 254 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        let Some((local, domain)) = s.split_once('@') else {
            return Err("email.format");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain.split('.').all(|l| {
                !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        // RFC 5321 dot-atom: no control characters, quotes or angle brackets
        // (a NUL or `<script>` in the local part was accepted).
        let atom = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&b);
        let local_ok = local
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(atom));
        if local.is_empty()
            || !local_ok
            || local.len() > 64
            || s.len() > 254
            || s.chars().any(char::is_whitespace)
            || domain.contains('@')
            || !domain_ok
        {
            return Err("email.format");
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }
}
impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// 사업자등록번호 (rule S4): 10 digits with a valid check digit; shown as `XXX-XX-XXXXX`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessNumber(String);

impl BusinessNumber {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let digits: String = raw.chars().filter(|c| *c != '-' && *c != ' ').collect();
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("brn.format");
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        const W: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
        let sum: u32 = d.iter().zip(W).map(|(di, wi)| di * wi).sum::<u32>() + (d[8] * 5) / 10;
        if d[9] != (10 - sum % 10) % 10 {
            return Err("brn.check_digit");
        }
        Ok(Self(digits))
    }
    /// `XXX-XX-XXXXX`
    pub fn formatted(&self) -> String {
        format!("{}-{}-{}", &self.0[..3], &self.0[3..5], &self.0[5..])
    }
}
impl AsRef<str> for BusinessNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A non-empty trimmed text of at most `max` characters, without control characters.
pub fn text(raw: &str, max: usize) -> Result<String, Invalid> {
    checked(raw.trim(), max, |_| false)
}

/// `s` if non-empty, at most `max` characters, and free of control
/// characters other than those `kept` allows.
fn checked(s: &str, max: usize, kept: fn(char) -> bool) -> Result<String, Invalid> {
    if s.is_empty() {
        return Err("text.required");
    }
    if s.chars().count() > max {
        return Err("text.too_long");
    }
    if s.chars().any(|c| c.is_control() && !kept(c)) {
        return Err("text.control");
    }
    Ok(s.to_owned())
}

/// Integer Korean won. Never negative; money is never a float.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Krw(i64);

impl Krw {
    pub fn new(won: i64) -> Result<Self, Invalid> {
        if won < 0 {
            return Err("krw.negative");
        }
        Ok(Self(won))
    }
    pub fn won(self) -> i64 {
        self.0
    }
    /// The amount as people read it: `31,000,000`.
    pub fn grouped(self) -> String {
        let digits = self.0.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
    /// `basis points` of this amount, floored to the won (SPEC: default rounding).
    pub fn basis_points(self, bp: i64) -> Krw {
        Krw(self.0.saturating_mul(bp) / 10_000)
    }
}

#[cfg(not(target_family = "wasm"))]
impl schemars::JsonSchema for Krw {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Krw".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "minimum": 0, "description": "Korean won, whole" })
    }
}

use crate::kernel::reads::Column;

impl Column for Krw {
    fn from_value(v: Option<&crate::kernel::ports::Value>) -> Result<Self, &'static str> {
        Krw::new(i64::from_value(v)?).map_err(|_| "negative amount of won")
    }
}

impl From<Krw> for crate::kernel::ports::Value {
    fn from(k: Krw) -> Self {
        crate::kernel::ports::Value::Int(k.0)
    }
}

/// Like [`text`], but line breaks are kept (a message's paragraphs); a
/// `\r\n` becomes `\n`.
pub fn prose(raw: &str, max: usize) -> Result<String, Invalid> {
    checked(raw.replace("\r\n", "\n").trim(), max, |c| c == '\n')
}

/// An RFC 3339 instant as stored, in UTC.
pub fn parse_instant(s: Option<&str>) -> Option<DateTime<Utc>> {
    s.and_then(|v| DateTime::parse_from_rfc3339(v).ok())
        .map(|d| d.with_timezone(&Utc))
}

/// Korea time: UTC+9, no daylight saving.
pub fn kst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("valid offset")
}

/// The KST calendar day of an instant.
pub fn kst_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&kst()).date_naive()
}

/// Start of a KST calendar day as a UTC instant.
pub fn kst_midnight(day: NaiveDate) -> DateTime<Utc> {
    kst()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("fixed offset is unambiguous")
        .with_timezone(&Utc)
}

/// The first instant after `days` whole KST calendar days that follow the
/// day of `at`: KST midnight starting day `days + 1` after it. Something
/// done on 3 Dec (any time, KST) with 7 days to answer may be answered
/// until 10 Dec 23:59:59 KST.
pub fn after_kst_days(at: DateTime<Utc>, days: u64) -> DateTime<Utc> {
    let day = kst_date(at)
        .checked_add_days(chrono::Days::new(days + 1))
        .unwrap_or_else(|| kst_date(at));
    kst_midnight(day)
}

/// Adds calendar months, clamping to the month's last day (Feb 29 → Feb 28).
pub fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(chrono::Months::new(months))
        .unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    // rule S3
    #[test]
    fn s3_email_local_parts_are_dot_atoms() {
        assert!(Email::parse("kim.01+tag@example.co.kr").is_ok());
        for bad in [
            "a\u{0}b@x.kr",
            "<script>@x.kr",
            "\"q\"@x.kr",
            ".a@x.kr",
            "a..b@x.kr",
            "a.@x.kr",
        ] {
            assert_eq!(Email::parse(bad).unwrap_err(), "email.format", "{bad:?}");
        }
    }

    #[test]
    fn s3_login_id_accepts_lowercase_digits_underscore_4_to_20() {
        assert!(LoginId::parse("abcd").is_ok());
        assert!(LoginId::parse("a_b_c_1234567890_xyz").is_ok());
        assert_eq!(LoginId::parse("abc"), Err("login_id.format"));
        assert_eq!(
            LoginId::parse("a_b_c_1234567890_xyz1"),
            Err("login_id.format")
        );
        assert_eq!(LoginId::parse("ABCD"), Err("login_id.format"));
        assert_eq!(LoginId::parse("ab-cd"), Err("login_id.format"));
    }

    #[test]
    fn s3_login_id_that_is_an_email_or_phone_is_refused() {
        assert_eq!(LoginId::parse("kim@corp.kr"), Err("login_id.is_email"));
        assert_eq!(LoginId::parse("01012345678"), Err("login_id.is_phone"));
        assert_eq!(LoginId::parse("0212345678"), Err("login_id.is_phone"));
    }

    #[test]
    fn a1_password_policy_length_and_common_list_without_composition_rules() {
        assert!(Password::parse("correct horse battery staple").is_ok());
        assert!(Password::parse("abcdefgh").is_ok(), "no composition rules");
        assert_eq!(Password::parse("short").err(), Some("password.too_short"));
        assert_eq!(
            Password::parse("Password123").err(),
            Some("password.common")
        );
        let long = "가".repeat(100);
        assert_eq!(
            Password::parse(&long).map(|p| p.expose().chars().count()),
            Ok(100),
            "no truncation"
        );
        assert_eq!(
            format!("{:?}", Password::parse("abcdefgh").unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn s3_mobile_numbers_normalize_to_digits_and_only_korean_mobile_prefixes() {
        assert_eq!(
            MobileNumber::parse("010-1234-5678").unwrap().as_ref(),
            "01012345678"
        );
        assert_eq!(
            MobileNumber::parse("+82 10 1234 5678").unwrap().as_ref(),
            "01012345678"
        );
        assert_eq!(
            MobileNumber::parse("011-123-4567").unwrap().as_ref(),
            "0111234567"
        );
        for p in ["016", "017", "018", "019"] {
            assert!(MobileNumber::parse(&format!("{p}-123-4567")).is_ok(), "{p}");
        }
        assert!(MobileNumber::parse("02-123-4567").is_err(), "landline");
        assert!(MobileNumber::parse("070-1234-5678").is_err(), "VoIP");
        assert!(MobileNumber::parse("010-123-456").is_err(), "too short");
        assert!(MobileNumber::parse("010-1234-56789").is_err(), "too long");
        assert!(MobileNumber::parse("010-abcd-5678").is_err());
    }

    #[test]
    fn s3_email_parses_and_lowercases_domain() {
        assert_eq!(Email::parse("Kim@Corp.KR").unwrap().as_ref(), "Kim@corp.kr");
        for bad in [
            "",
            "kim",
            "kim@",
            "@corp.kr",
            "kim@corp",
            "kim @corp.kr",
            "kim@corp..kr",
            "a@b@c.kr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn s4_business_number_check_digit() {
        // Valid numbers computed by the rule's formula.
        assert_eq!(
            BusinessNumber::parse("220-81-62517").unwrap().formatted(),
            "220-81-62517"
        );
        assert!(BusinessNumber::parse("1234567891").is_ok());
        assert_eq!(
            BusinessNumber::parse("220-81-62518"),
            Err("brn.check_digit")
        );
        assert_eq!(BusinessNumber::parse("1234567890"), Err("brn.check_digit"));
        assert_eq!(BusinessNumber::parse("123-45-678"), Err("brn.format"));
        assert_eq!(BusinessNumber::parse("12a-45-67890"), Err("brn.format"));
    }

    #[test]
    fn s4_check_digit_includes_floor_of_d9_times_5_over_10() {
        // d9 = 9 contributes 9*5=45 via the weight and floor(45/10)=4 extra.
        let digits = [1u32, 0, 1, 0, 1, 0, 1, 0, 9];
        let w = [1u32, 3, 7, 1, 3, 7, 1, 3, 5];
        let sum: u32 = digits.iter().zip(w).map(|(a, b)| a * b).sum::<u32>() + 4;
        let check = (10 - sum % 10) % 10;
        let good = format!("101010109{check}");
        assert!(BusinessNumber::parse(&good).is_ok());
        let without_floor = (10 - (sum - 4) % 10) % 10;
        assert_ne!(check, without_floor);
        assert!(BusinessNumber::parse(&format!("101010109{without_floor}")).is_err());
    }

    #[test]
    fn krw_is_integer_and_floors_basis_points() {
        let fee = Krw::new(12_345).unwrap();
        assert_eq!(fee.basis_points(1_000).won(), 1_234);
        assert!(Krw::new(-1).is_err());
    }

    #[test]
    fn kst_calendar_day_of_an_utc_instant() {
        let at = DateTime::parse_from_rfc3339("2026-03-31T15:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(kst_date(at).to_string(), "2026-04-01");
        assert_eq!(
            kst_midnight(kst_date(at)).to_rfc3339(),
            "2026-03-31T15:00:00+00:00"
        );
    }
}
