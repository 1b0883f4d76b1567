//! Rule C11 (seed 000 §17): posted content (work requests, portfolio text,
//! contract messages) that carries direct contact details or proposes to deal
//! outside the platform is held for admin review before the other side sees
//! it. This is the detector: what it finds, by kind, in Korean and English,
//! through the usual evasions:
//!
//! - phone numbers written with spaces, dots, dashes or brackets between the
//!   digits, with full-width or circled digits, or spelled out in Korean
//!   (공일공 …) or English (zero one zero …): a run of 9–12 digits that
//!   starts with `0` (Korean numbers) or `82` (the country code);
//! - e-mail addresses, also with `at`/`(at)`/`골뱅이` for `@` and
//!   `dot`/`(dot)`/`점`/`닷` for `.`, spaces around either;
//! - links: `http(s)://`, `www.`, and bare domains under common top-level
//!   domains (well-known technology names such as `ASP.NET` excepted);
//! - messenger IDs: a messenger's name (KakaoTalk, Telegram, LINE, WeChat,
//!   WhatsApp, Skype, Discord, Signal) followed by an ID;
//! - street addresses: road-name (`테헤란로 123`), lot-number (`역삼동
//!   123-45`, `번지`), apartment unit (`101동 1203호`) and English street
//!   forms;
//! - proposals to deal outside the platform (`직거래`, `수수료 없이`,
//!   `outside the platform`, `deal directly`, …), spaced out or not.
//!
//! A false positive costs an admin's look; a miss lets a direct deal (C8)
//! start unseen, so the detector leans to holding.

use regex_lite::Regex;
use std::sync::OnceLock;

crate::text_enum!(
    /// What kind of direct contact a text carries.
    pub enum Contact {
        Phone = "phone",
        Email = "email",
        Url = "url",
        Messenger = "messenger",
        Address = "address",
        OffPlatform = "off_platform",
    }
);

crate::reply!(
    /// One thing found: its kind and the text it was found as (normalised:
    /// what an admin needs to judge it, e.g. the digits of a phone number).
    #[derive(PartialEq, Eq)]
    pub struct Finding {
        pub kind: Contact,
        pub found: String,
    }
);

/// Rule C11 for texts the other party sees that are not held for review
/// (contract terms, defect descriptions, reasons and answers, direct-deal
/// reports): each field that carries contact details or an off-platform
/// proposal is refused (422), without saying what was found, so a poster
/// does not learn what to disguise. `fields`: (JSON pointer name, text).
///
/// # Errors
/// A validation problem naming every such field.
pub fn refuse_contact_details(
    fields: &[(&str, &str)],
) -> Result<(), crate::kernel::problem::Problem> {
    refuse(fields, |_| true)
}

/// As `refuse_contact_details`, for a report of a direct deal: it names
/// the off-platform deal it reports, so only contact details are refused.
///
/// # Errors
/// A validation problem naming every such field.
pub fn refuse_direct_contacts(
    fields: &[(&str, &str)],
) -> Result<(), crate::kernel::problem::Problem> {
    refuse(fields, |f| f.kind != Contact::OffPlatform)
}

fn refuse(
    fields: &[(&str, &str)],
    counts: impl Fn(&Finding) -> bool,
) -> Result<(), crate::kernel::problem::Problem> {
    let errors: Vec<crate::kernel::problem::FieldError> = fields
        .iter()
        .filter(|(_, text)| findings(text).iter().any(&counts))
        .map(|(field, _)| crate::kernel::problem::FieldError::new(field, "field.contact_details"))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(crate::kernel::problem::Problem::validation(errors))
    }
}

/// Everything in `text` that makes it need review (C11), at most one finding
/// per kind and value, in the order of the kinds above.
pub fn findings(text: &str) -> Vec<Finding> {
    let plain = normalise(text);
    let mut out = Vec::new();
    let mut push = |kind: Contact, found: String| {
        if !out
            .iter()
            .any(|f: &Finding| f.kind == kind && f.found == found)
        {
            out.push(Finding { kind, found });
        }
    };
    for number in phone_numbers(&plain) {
        push(Contact::Phone, number);
    }
    let joined = deobfuscate(&plain);
    let emails: Vec<(usize, usize)> = re(&EMAIL, EMAIL_RE)
        .find_iter(&joined)
        .map(|m| (m.start(), m.end()))
        .collect();
    for &(s, e) in &emails {
        push(Contact::Email, joined[s..e].to_owned());
    }
    for m in re(&URL, URL_RE).find_iter(&joined) {
        let inside_email = emails.iter().any(|&(s, e)| m.start() >= s && m.end() <= e);
        let word = m.as_str().trim_end_matches(['.', ',', ')']);
        if !inside_email && !TECH_NAMES.contains(&word) {
            push(Contact::Url, word.to_owned());
        }
    }
    for pattern in [
        re(&MESSENGER, MESSENGER_RE),
        re(&MESSENGER_ID, MESSENGER_ID_RE),
    ] {
        for m in pattern.captures_iter(&plain) {
            let handle = m.get(3).map_or("", |h| h.as_str());
            // Without "ID" or "@", only what looks like an ID (a digit, `_`,
            // `.` or `-` in it): "KakaoTalk chatbot" names no account.
            let marked = m.get(2).is_some_and(|g| !g.as_str().trim().is_empty());
            let id_like = handle
                .chars()
                .any(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | '-'));
            if !NOT_HANDLES.contains(&handle) && (marked || id_like) {
                push(
                    Contact::Messenger,
                    m.get(0).map_or("", |h| h.as_str()).to_owned(),
                );
            }
        }
    }
    for a in addresses(&plain) {
        push(Contact::Address, a);
    }
    for p in off_platform(&plain) {
        push(Contact::OffPlatform, p.to_owned());
    }
    out
}

/// Whether `text` must be held for review (C11).
pub fn needs_review(text: &str) -> bool {
    !findings(text).is_empty()
}

/// Lower-cased ASCII; full-width forms, circled digits and dashes folded to
/// ASCII; every run of whitespace one space.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{2460}'..='\u{2468}' => {
                char::from_u32(c as u32 - 0x2460 + u32::from(b'1')).unwrap_or(c)
            }
            '\u{24EA}' | '\u{24FF}' => '0',
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF70}' => '-',
            '\u{3002}' | '\u{FF61}' => '.',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Digit words, Korean (Sino-Korean) and English.
const DIGIT_WORDS: &[(&str, char)] = &[
    ("zero", '0'),
    ("oh", '0'),
    ("one", '1'),
    ("two", '2'),
    ("three", '3'),
    ("four", '4'),
    ("five", '5'),
    ("six", '6'),
    ("seven", '7'),
    ("eight", '8'),
    ("nine", '9'),
    ("공", '0'),
    ("영", '0'),
    ("일", '1'),
    ("이", '2'),
    ("삼", '3'),
    ("사", '4'),
    ("오", '5'),
    ("육", '6'),
    ("륙", '6'),
    ("칠", '7'),
    ("팔", '8'),
    ("구", '9'),
];

/// Characters that may stand between the digits of one number.
fn separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '.' | '_' | '/' | '(' | ')' | '*' | '~' | '+' | '|'
    )
}

/// Runs of 9–12 digits (digits or digit words, separators between) that
/// start like a Korean phone number (`0…`) or the country code (`82…`).
fn phone_numbers(plain: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut digits = String::new();
    let mut rest = plain;
    let mut finish = |digits: &mut String| {
        if (9..=12).contains(&digits.len()) && (digits.starts_with('0') || digits.starts_with("82"))
        {
            found.push(std::mem::take(digits));
        }
        digits.clear();
    };
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() {
            digits.push(c);
            rest = &rest[1..];
            continue;
        }
        // A digit word counts only as a whole word among digits: "one" in
        // "someone" or "이" in "이번" do not.
        let word = DIGIT_WORDS.iter().find(|(w, _)| {
            rest.starts_with(w) && {
                let after = rest[w.len()..].chars().next();
                let ascii = w.is_ascii();
                after.is_none_or(|a| {
                    a.is_ascii_digit()
                        || separator(a)
                        || if ascii {
                            !a.is_ascii_alphabetic()
                        } else {
                            DIGIT_WORDS
                                .iter()
                                .any(|(d, _)| !d.is_ascii() && rest[w.len()..].starts_with(d))
                        }
                })
            }
        });
        if let Some((w, d)) = word {
            digits.push(*d);
            rest = &rest[w.len()..];
            continue;
        }
        if separator(c) && !digits.is_empty() {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        finish(&mut digits);
        rest = &rest[c.len_utf8()..];
    }
    finish(&mut digits);
    found
}

/// `at` → `@` and `dot` → `.` in their written-out forms, spaces around `@`
/// and `.` removed: `john dot kim at gmail dot com` → `john.kim@gmail.com`.
fn deobfuscate(plain: &str) -> String {
    let mut s = format!(" {plain} ");
    for (from, to) in [
        ("(at)", "@"),
        ("[at]", "@"),
        ("{at}", "@"),
        ("<at>", "@"),
        (" at ", " @ "),
        ("골뱅이", "@"),
        ("(dot)", "."),
        ("[dot]", "."),
        ("{dot}", "."),
        ("<dot>", "."),
        (" dot ", " . "),
        (" 점 ", " . "),
        (" 쩜 ", " . "),
        ("닷컴", ".com"),
        (" 닷 ", " . "),
    ] {
        // Twice: adjacent forms share their spaces (" at " " dot ").
        s = s.replace(from, to).replace(from, to);
    }
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next = chars.get(i + 1).copied();
            let prev = out.chars().last();
            if matches!(next, Some('@' | '.')) || matches!(prev, Some('@' | '.')) {
                continue;
            }
        }
        out.push(c);
    }
    out.trim().to_owned()
}

static EMAIL: OnceLock<Regex> = OnceLock::new();
const EMAIL_RE: &str = r"[a-z0-9][a-z0-9._%+-]*@(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+|gmail|naver|daum|hanmail|kakao|nate|hotmail|outlook|yahoo|icloud)";
static URL: OnceLock<Regex> = OnceLock::new();
const URL_RE: &str = r"(?:https?://|www\.)[^\s]+|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|kr|io|co|me|ly|gl|app|dev|biz|info|xyz|site|shop|link|page|to)\b(?:/[^\s]*)?";
static MESSENGER: OnceLock<Regex> = OnceLock::new();
/// A messenger's name, then an ID (with or without "ID").
const MESSENGER_RE: &str = r"(카카오톡|카톡|오픈채팅|오픈톡|kakaotalk|katalk|텔레그램|telegram|위챗|wechat|whatsapp|왓츠앱|skype|스카이프|discord|디스코드) ?((?:아이디|아디|id|계정)? ?[:=]? ?@?)([a-z0-9][a-z0-9_.-]{2,})";
static MESSENGER_ID: OnceLock<Regex> = OnceLock::new();
/// Names that are also ordinary words ("line", "signal"): only with "ID".
const MESSENGER_ID_RE: &str = r"(카카오|kakao|라인|line|시그널|signal) ?((?:아이디|아디|id|계정) ?[:=]? ?@?)([a-z0-9][a-z0-9_.-]{2,})";

/// Words after a messenger's name that are not an ID.
const NOT_HANDLES: &[&str] = &[
    "and", "the", "for", "with", "not", "app", "chat", "message", "messages", "group", "call",
];

/// Names that look like domains and are technologies.
const TECH_NAMES: &[&str] = &[
    "asp.net",
    "vb.net",
    "ado.net",
    "socket.io",
    "dot.net",
    "f#.net",
    "c#.net",
];

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a valid built-in pattern"))
}

static ROAD: OnceLock<Regex> = OnceLock::new();
const ROAD_RE: &str = r"([가-힣]{1,10}(?:로|길)) ?(\d{1,4}(?:-\d{1,4})?)(번길|번지|층|호)?";
static LOT: OnceLock<Regex> = OnceLock::new();
const LOT_RE: &str = r"[가-힣]{1,10}[동리] ?\d{1,5}-\d{1,5}|\d{1,5} ?번지|\d{1,4}동 ?\d{1,4}호";
static STREET: OnceLock<Regex> = OnceLock::new();
const STREET_RE: &str =
    r"\b\d{1,5} ([a-z]+) (?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr)\b";
const NOT_STREET_NAMES: &[&str] = &[
    "by", "per", "via", "on", "in", "of", "to", "for", "and", "the", "a", "an", "or",
];

/// Street addresses: road-name, lot-number, apartment unit, English.
fn addresses(plain: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in re(&ROAD, ROAD_RE).captures_iter(plain) {
        let road = c.get(1).map_or("", |m| m.as_str());
        // `…으로 3` is a particle ("by 3"), not a road.
        if road.ends_with("으로") || road.chars().count() < 2 {
            continue;
        }
        let end = c.get(0).map_or(0, |m| m.end());
        let suffix = c.get(3).is_some();
        // `기간은 2주로 3개` — a number followed by a counter word is not a
        // house number.
        let next = plain[end..].chars().next();
        if !suffix && next.is_some_and(|n| ('가'..='힣').contains(&n)) {
            continue;
        }
        out.push(c.get(0).map_or("", |m| m.as_str()).to_owned());
    }
    for m in re(&LOT, LOT_RE).find_iter(plain) {
        out.push(m.as_str().to_owned());
    }
    for c in re(&STREET, STREET_RE).captures_iter(plain) {
        // "3 by road" is a way of delivery, not an address.
        if !NOT_STREET_NAMES.contains(&c.get(1).map_or("", |m| m.as_str())) {
            out.push(c.get(0).map_or("", |m| m.as_str()).to_owned());
        }
    }
    out
}

/// Proposals to deal outside the platform, matched with spaces removed
/// (Korean) or as written (English).
const OFF_PLATFORM_KO: &[&str] = &[
    "직거래",
    "직접거래",
    "직접계약",
    "개인거래",
    "플랫폼밖",
    "플랫폼외부",
    "플랫폼을거치지",
    "플랫폼거치지",
    "수수료없이",
    "수수료빼고",
    "수수료아끼",
    "수수료를아끼",
    "수수료안내",
    "수수료를안내",
    "따로연락",
    "따로거래",
    "따로계약",
    "개인적으로연락",
    "외부에서거래",
    "카톡으로",
    "카톡주",
    "카톡줘",
    "카카오톡으로",
    "텔레그램으로",
    "문자로연락",
    "전화로연락",
    "메일로연락",
];
const OFF_PLATFORM_EN: &[&str] = &[
    "outside the platform",
    "outside of the platform",
    "off the platform",
    "off-platform",
    "offplatform",
    "deal directly",
    "work directly",
    "pay me directly",
    "contact me directly",
    "directly with me",
    "without the fee",
    "without the platform",
    "avoid the fee",
    "skip the fee",
    "save the fee",
    "save the commission",
    "bypass the platform",
    "whatsapp me",
    "text me",
    "call me",
    "email me",
    "e-mail me",
];

fn off_platform(plain: &str) -> Vec<&'static str> {
    let squeezed: String = plain
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '_' | '*' | '/' | '~'))
        .collect();
    let mut out: Vec<&'static str> = OFF_PLATFORM_KO
        .iter()
        .filter(|p| squeezed.contains(*p))
        .copied()
        .collect();
    out.extend(
        OFF_PLATFORM_EN
            .iter()
            .filter(|p| has_phrase(plain, p))
            .copied(),
    );
    out
}

/// Whether `phrase` stands in `text` as whole words ("call me", not "call
/// meetings").
fn has_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Contact> {
        let mut k: Vec<Contact> = findings(text).into_iter().map(|f| f.kind).collect();
        k.dedup();
        k
    }

    #[test]
    fn c11_finds_phone_numbers_through_spacing_and_spelling() {
        for text in [
            "연락처 010-1234-5678 입니다",
            "010 1234 5678로 전화",
            "0 1 0 . 1 2 3 4 . 5 6 7 8",
            "공일공 일이삼사 오육칠팔 로 문자",
            "공일공-일이삼사-5678",
            "０１０－１２３４－５６７８",
            "call zero one zero one two three four five six seven eight",
            "+82 10-1234-5678",
            "(02) 123-4567 사무실",
        ] {
            let f = findings(text);
            assert!(
                f.iter().any(|f| f.kind == Contact::Phone),
                "no phone in {text:?}: {f:?}"
            );
        }
        assert_eq!(findings("공일공 일이삼사 오육칠팔")[0].found, "01012345678");
    }

    #[test]
    fn c11_finds_emails_with_at_and_dot_written_out() {
        for text in [
            "메일 kim.cs@example.co.kr 로 보내주세요",
            "email me: john.doe at gmail dot com",
            "john(at)example(dot)com",
            "john [at] example [dot] org",
            "kim 골뱅이 naver 점 com",
            "kim@naver",
            "ｋｉｍ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        ] {
            let f = findings(text);
            assert!(
                f.iter().any(|f| f.kind == Contact::Email),
                "no e-mail in {text:?}: {f:?}"
            );
        }
        assert_eq!(
            findings("john dot doe at gmail dot com")
                .iter()
                .find(|f| f.kind == Contact::Email)
                .map(|f| f.found.as_str()),
            Some("john.doe@gmail.com")
        );
    }

    #[test]
    fn c11_finds_links_messenger_ids_and_addresses() {
        assert!(kinds("포트폴리오는 https://my-portfolio.example 참고").contains(&Contact::Url));
        assert!(kinds("see www.mystudio.com").contains(&Contact::Url));
        assert!(kinds("open.kakao.com/o/abcd 로 들어오세요").contains(&Contact::Url));
        assert!(kinds("mystudio dot kr").contains(&Contact::Url));
        assert!(kinds("카톡 아이디: design_kim").contains(&Contact::Messenger));
        assert!(kinds("카카오톡 id kimdesign").contains(&Contact::Messenger));
        assert!(kinds("telegram @kimdev99").contains(&Contact::Messenger));
        assert!(kinds("라인 아이디 kim123").contains(&Contact::Messenger));
        assert!(kinds("서울시 강남구 테헤란로 123 5층").contains(&Contact::Address));
        assert!(kinds("역삼동 123-45 으로 오세요").contains(&Contact::Address));
        assert!(kinds("래미안 101동 1203호").contains(&Contact::Address));
        assert!(kinds("office at 221 baker street, london").contains(&Contact::Address));
    }

    #[test]
    fn c11_finds_proposals_to_deal_outside_the_platform() {
        for text in [
            "수수료 없이 직거래 하시죠",
            "직 거 래 가능합니다",
            "플랫폼 밖에서 따로 계약해요",
            "카톡으로 연락 주세요",
            "Let's deal directly and skip the fee.",
            "We can work OFF THE PLATFORM",
            "whatsapp me",
            "카톡 주세요",
        ] {
            assert!(
                kinds(text).contains(&Contact::OffPlatform),
                "nothing found in {text:?}"
            );
        }
    }

    #[test]
    fn c11_leaves_ordinary_work_text_alone() {
        for text in [
            "ASP.NET 과 Node.js 기반 사내 시스템 유지보수",
            "예산 50,000,000원, 2026-12-31까지 납품",
            "생산 라인 자동화 설비 설계 (2개 라인)",
            "검수는 기본으로 3단계, 기간은 2주로 3회 나눠 진행",
            "이번 일은 삼월 말까지 마무리",
            "사업자등록번호 123-45-67890 기준 세금계산서 발행",
            "We need someone who can deliver at the end of the month.",
            "Line art and product line photography, 20 items",
            "Meet the platform's quality bar; 5 revisions included.",
            "서울 소재 업체 우대",
            "Deliver 3 by road; we call meetings weekly.",
            "Signal processing and KakaoTalk chatbot integration",
        ] {
            assert_eq!(findings(text), vec![], "{text:?}");
        }
    }
}
