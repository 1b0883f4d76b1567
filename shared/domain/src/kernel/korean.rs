//! Numbers and web addresses as Koreans type them into a form (issue 22):
//! amounts in won with thousands separators, a "원" suffix and the units
//! 조 / 억 / 만 (and 천 / 백 / 십 inside them: "5천만원"), counts with "명",
//! "개", "대", "건", "곳" or a year's "년", and homepages without a scheme
//! ("www.example.co.kr"). The JSON API takes numbers as numbers too; a
//! text that cannot be read gets a message naming the form expected.
//!
//! Every parse is exact integer arithmetic: "1.5억" is 150,000,000 won, and
//! a fraction of a won ("0.5만" is fine, "1.23456원" is not) is refused.

/// Amounts accepted: up to 1,000조 won (far above any budget or revenue).
pub const MAX_WON: i64 = 1_000_000_000_000_000;

const BIG: [(char, i128); 3] = [
    ('조', 1_000_000_000_000),
    ('억', 100_000_000),
    ('만', 10_000),
];
const SMALL: [(char, i128); 3] = [('천', 1_000), ('백', 100), ('십', 10)];

/// The message for an amount that cannot be read.
pub const WON_FORM: &str = "field.won_form";
/// The message for a count that cannot be read.
pub const COUNT_FORM: &str = "field.count_form";
/// The message for a homepage that cannot be read.
pub const URL_FORM: &str = "field.url";

/// An amount in won: "1,200,000,000", "12억", "12억 5,000만원", "1.5억 원",
/// "5천만원", "300000원".
pub fn won(text: &str) -> Result<i64, &'static str> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    let body = compact.strip_suffix('원').unwrap_or(&compact);
    let body = body.strip_prefix('₩').unwrap_or(body);
    if body.is_empty() {
        return Err(WON_FORM);
    }
    let value = units(body).ok_or(WON_FORM)?;
    i64::try_from(value)
        .ok()
        .filter(|v| *v <= MAX_WON)
        .ok_or(WON_FORM)
}

/// Reads digits and units left to right: small units (천 백 십) add to the
/// current section, a big unit (만 억 조, each smaller than the last)
/// multiplies the section and closes it. A decimal number is allowed right
/// before a unit, and the result must be a whole number of won.
fn units(s: &str) -> Option<i128> {
    let mut total: i128 = 0;
    // The current section below the next big unit (whole won).
    let mut section: i128 = 0;
    let mut last_big = i128::MAX;
    let mut last_small = i128::MAX;
    let mut chars = s.chars().peekable();
    let mut any = false;
    while chars.peek().is_some() {
        let mut digits = String::new();
        while let Some(c) = chars
            .peek()
            .copied()
            .filter(|c| c.is_ascii_digit() || *c == '.')
        {
            digits.push(c);
            chars.next();
        }
        let unit = chars.next();
        let (mantissa, scale) = decimal(&digits)?;
        match unit {
            None => {
                // Plain ones at the end; no fraction of a won.
                if scale != 1 || digits.is_empty() {
                    return None;
                }
                section = section.checked_add(mantissa)?;
            }
            Some(u) => {
                // A unit alone is one of it ("만원"), or closes the
                // section before it ("1천2백만").
                let alone = if section > 0 && BIG.iter().any(|(c, _)| *c == u) {
                    0
                } else {
                    1
                };
                let number = if digits.is_empty() { alone } else { mantissa };
                if let Some((_, m)) = SMALL.iter().find(|(c, _)| *c == u) {
                    if *m >= last_small {
                        return None;
                    }
                    last_small = *m;
                    let v = number.checked_mul(*m)?;
                    if v % scale != 0 {
                        return None;
                    }
                    section = section.checked_add(v / scale)?;
                } else if let Some((_, m)) = BIG.iter().find(|(c, _)| *c == u) {
                    if *m >= last_big {
                        return None;
                    }
                    last_big = *m;
                    last_small = i128::MAX;
                    let v = section
                        .checked_mul(scale)?
                        .checked_add(number)?
                        .checked_mul(*m)?;
                    if v % scale != 0 {
                        return None;
                    }
                    total = total.checked_add(v / scale)?;
                    section = 0;
                } else {
                    return None;
                }
            }
        }
        any = true;
    }
    any.then_some(total.checked_add(section)?)
}

/// "12" → (12, 1); "1.5" → (15, 10); "" → (0, 1); anything else → None.
fn decimal(d: &str) -> Option<(i128, i128)> {
    let (whole, frac) = d.split_once('.').unwrap_or((d, ""));
    if frac.contains('.') || (d.contains('.') && (whole.is_empty() || frac.is_empty())) {
        return None;
    }
    if whole.len() + frac.len() > 24 {
        return None;
    }
    let digits = format!("{whole}{frac}");
    let mantissa = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    Some((
        mantissa,
        10_i128.checked_pow(u32::try_from(frac.len()).ok()?)?,
    ))
}

/// A count: "24", "1,024", "24명", "3 대", "2015년".
pub fn count(text: &str) -> Result<i64, &'static str> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    let body = ['명', '개', '대', '건', '곳', '년']
        .iter()
        .find_map(|s| compact.strip_suffix(*s))
        .unwrap_or(&compact);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(COUNT_FORM);
    }
    body.parse().map_err(|_| COUNT_FORM)
}

/// A homepage: `http(s)://…` as given, or a host name typed without the
/// scheme ("www.example.co.kr", "example.co.kr/about"), which gets
/// `https://`.
pub fn homepage(text: &str) -> Result<String, &'static str> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Ok(t.to_owned());
    }
    let host = t.split(['/', '?', '#']).next().unwrap_or("");
    let plausible = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == ':')
        && !t.chars().any(char::is_whitespace);
    if plausible {
        Ok(format!("https://{t}"))
    } else {
        Err(URL_FORM)
    }
}

/// For request documents: an amount in won, as a number or as text typed
/// the Korean way.
#[cfg(not(target_family = "wasm"))]
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
#[serde(untagged)]
pub enum WonField {
    /// won
    Won(u64),
    /// "12억 5,000만원", "1,200,000원"
    Text(String),
}

/// For request documents: a count, as a number or as text ("24명").
#[cfg(not(target_family = "wasm"))]
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
#[serde(untagged)]
pub enum CountField {
    Count(u64),
    /// "24명", "1,024"
    Text(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_koreans_type_them() {
        for (text, want) in [
            ("1200000000", 1_200_000_000),
            ("1,200,000,000", 1_200_000_000),
            ("1,200,000,000원", 1_200_000_000),
            ("₩1,200,000", 1_200_000),
            ("12억", 1_200_000_000),
            ("12억 원", 1_200_000_000),
            ("12억 5,000만원", 1_250_000_000),
            ("12억5000만", 1_250_000_000),
            ("1.5억", 150_000_000),
            ("5천만원", 50_000_000),
            ("1천2백만원", 12_000_000),
            ("3만 5천원", 35_000),
            ("1조 2억", 1_000_200_000_000),
            ("0.5만", 5_000),
            ("만원", 10_000),
            ("300 000 원", 300_000),
        ] {
            assert_eq!(won(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn amounts_that_cannot_be_read_name_the_form() {
        for text in [
            "",
            "원",
            "lots",
            "12억 3억",
            "만 억",
            "1.5",
            "1.23456원",
            "1..5억",
            "-5000",
            "12억원원",
            "5천천",
            "10000000조",
        ] {
            assert_eq!(won(text), Err(WON_FORM), "{text}");
        }
    }

    #[test]
    fn counts_and_years() {
        for (text, want) in [
            ("24", 24),
            ("24명", 24),
            ("1,024 명", 1024),
            ("3대", 3),
            ("2015년", 2015),
        ] {
            assert_eq!(count(text), Ok(want), "{text}");
        }
        for text in ["", "명", "스물넷", "-3", "2.5명", "24명명"] {
            assert_eq!(count(text), Err(COUNT_FORM), "{text}");
        }
    }

    #[test]
    fn homepages_without_a_scheme_get_https() {
        assert_eq!(
            homepage("www.example.co.kr").as_deref(),
            Ok("https://www.example.co.kr")
        );
        assert_eq!(
            homepage(" example.co.kr/about ").as_deref(),
            Ok("https://example.co.kr/about")
        );
        assert_eq!(
            homepage("http://example.com").as_deref(),
            Ok("http://example.com")
        );
        assert_eq!(
            homepage("HTTPS://Example.com").as_deref(),
            Ok("HTTPS://Example.com")
        );
        for text in [
            "javascript:alert(1)",
            "ftp://x",
            "example",
            "www. example.com",
            ".com",
            "a b.kr",
        ] {
            assert_eq!(homepage(text), Err(URL_FORM), "{text}");
        }
    }
}
