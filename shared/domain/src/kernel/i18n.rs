//! Korean and English texts for every message a client can see.
//! Keys are stable; a missing key is a test failure, never a blank message.

/// (key, Korean, English)
pub type Message = (&'static str, &'static str, &'static str);

/// The languages of errors, pages and notices (Accept-Language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    /// Picks Korean or English from `Accept-Language` by the first listed
    /// language we speak; Korean when nothing matches (a Korean service).
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(h) = header else { return Lang::Ko };
        let mut best: Option<(f32, Lang)> = None;
        for part in h.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("ko") {
                Lang::Ko
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::Ko, |(_, l)| l)
    }
}

/// One name per concept in each language (issue 22): every message and
/// notice here and every page text (`web/src/i18n.js`) names these
/// concepts this way and never by the other names they were given
/// (`tests/src/glossary.rs` reads them all). Each entry: the concept, its
/// Korean name, its English name, and the names not to use.
pub const GLOSSARY: &[(&str, &str, &str, &[&str])] = &[
    (
        "trial_matching",
        "시범 매칭",
        "trial matching",
        &[
            "무료 매칭",
            "시험 매칭",
            "시범매칭",
            "free matching",
            "free trial",
        ],
    ),
    (
        "system_fee",
        "시스템 이용료",
        "system fee",
        &["연회비", "연간 회비", "annual fee", "membership fee"],
    ),
    ("hold", "보류", "on hold", &["승낙 유보", "승낙유보"]),
    (
        "version",
        "버전",
        "version",
        &[
            "판 확인",
            "이 판",
            "새 판",
            "이전 판",
            "현재 판",
            "최신 판",
            "판의 ",
            "판을 ",
            "판은 ",
            "\"판\"",
        ],
    ),
];

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
    ("field.too_many", "항목이 너무 많습니다", "Too many items"),
    (
        "detail.idempotency_mismatch",
        "같은 멱등 키로 보낸 첫 요청과 내용이 다릅니다",
        "The request differs from the first one sent with this Idempotency-Key",
    ),
    (
        "detail.job_step_dead_lettered",
        "작업의 한 단계가 재시도 끝에 실패했습니다. 원인을 고친 뒤 재개해 주세요.",
        "A step of the job failed on every retry. Fix the cause, then resume it.",
    ),
    (
        "detail.job_not_failed",
        "실패한 작업만 재개할 수 있습니다.",
        "Only a failed job can be resumed.",
    ),
    (
        "detail.job_params",
        "작업의 매개변수가 올바르지 않습니다",
        "The job's parameters are not valid",
    ),
    (
        "title.validation",
        "입력값을 확인해 주세요",
        "Please check your input",
    ),
    (
        "title.conflict",
        "요청이 현재 상태와 충돌합니다",
        "The request conflicts with the current state",
    ),
    (
        "title.unauthorized",
        "인증이 필요합니다",
        "Authentication required",
    ),
    ("title.forbidden", "권한이 없습니다", "Not allowed"),
    ("title.not_found", "찾을 수 없습니다", "Not found"),
    (
        "title.rate_limited",
        "요청이 너무 많습니다",
        "Too many requests",
    ),
    (
        "title.payload_too_large",
        "파일이 너무 큽니다",
        "Payload too large",
    ),
    (
        "detail.not_configured",
        "서비스 설정이 끝나지 않아 요청을 처리하지 않습니다. 운영자에게 문의하세요.",
        "The service is not fully configured and does not process requests. Please contact the operator.",
    ),
    (
        "subject.default",
        "[멤버 플랫폼] 알림",
        "[Member Platform] Notice",
    ),
    (
        "title.internal",
        "일시적인 오류가 발생했습니다",
        "A temporary error occurred",
    ),
    (
        "title.idempotency_in_progress",
        "같은 요청을 처리하고 있습니다",
        "The same request is being processed",
    ),
    (
        "title.idempotency_mismatch",
        "같은 멱등 키로 다른 요청을 보냈습니다",
        "The Idempotency-Key was used for a different request",
    ),
    (
        "title.method_not_allowed",
        "허용되지 않는 메서드입니다",
        "Method not allowed",
    ),
    (
        "title.unavailable",
        "잠시 처리할 수 없습니다",
        "Temporarily unavailable",
    ),
    (
        "detail.resend",
        "저장하지 않았습니다. 잠시 후 같은 요청을 다시 보내 주세요.",
        "Nothing was stored. Send the same request again shortly.",
    ),
    (
        "detail.validation",
        "표시된 항목을 고쳐 다시 보내 주세요.",
        "Fix the fields listed in `errors` and send again.",
    ),
    (
        "detail.internal",
        "잠시 후 다시 시도해 주세요.",
        "Please try again shortly.",
    ),
    (
        "detail.method_not_allowed",
        "이 경로는 이 메서드를 받지 않습니다. Allow 헤더의 메서드로 보내 주세요.",
        "This path does not take this method; use one listed in the Allow header.",
    ),
    (
        "detail.not_found",
        "요청한 경로나 대상이 없습니다.",
        "The requested path or resource does not exist.",
    ),
    (
        "detail.unauthorized",
        "로그인하거나 가입 토큰을 보내 주세요.",
        "Sign in or send your signup token.",
    ),
    (
        "detail.session_invalid",
        "세션이 만료되었거나 로그아웃되었습니다.",
        "The session has expired or was signed out.",
    ),
    (
        "detail.forbidden_role",
        "이 작업을 할 수 있는 관리자 역할이 아닙니다.",
        "Your admin role may not do this.",
    ),
    (
        "detail.administrator_only",
        "회사 관리자만 할 수 있습니다. 관리자에게 요청해 주세요.",
        "Only the company's administrator can do this. Ask your administrator.",
    ),
    (
        "detail.in_trial",
        "시범 매칭 기간에는 매칭과 계약만 이용할 수 있습니다. 시스템 이용료 납부 후 모든 서비스를 이용할 수 있습니다.",
        "During the trial matchings only matching and contracts are open; everything else opens once the system fee is paid.",
    ),
    (
        "detail.member_kind",
        "이 작업은 다른 유형의 회원사만 할 수 있습니다.",
        "Only another kind of member company may do this.",
    ),
    (
        "detail.read_only",
        "해지된 회원사는 데이터를 조회만 할 수 있습니다.",
        "A terminated membership can read its data but change nothing.",
    ),
    (
        "detail.not_active",
        "아직 이용할 수 없는 회원입니다. 가입 심사 상태를 확인해 주세요.",
        "This membership is not active yet. Check your signup status.",
    ),
    (
        "detail.stale_version",
        "다른 요청이 먼저 변경했습니다. 새로고침 후 다시 시도해 주세요.",
        "Another request changed this first. Reload and try again.",
    ),
    (
        "detail.login_id_taken",
        "이미 사용 중이거나 사용할 수 없는 아이디입니다.",
        "This login ID is taken or cannot be used.",
    ),
    (
        "detail.idempotency_in_progress",
        "처리가 끝난 뒤 같은 키로 다시 보내면 저장된 응답을 받습니다.",
        "Retry with the same key after it finishes to get the stored response.",
    ),
    (
        "detail.rate_limited",
        "잠시 후 다시 시도해 주세요.",
        "Please try again later.",
    ),
    (
        "detail.body_json",
        "본문이 올바른 JSON이 아닙니다.",
        "The body is not valid JSON.",
    ),
    (
        "detail.body_too_large",
        "요청 본문이 너무 큽니다.",
        "The request body is too large.",
    ),
    (
        "field.enum",
        "허용되지 않는 값입니다.",
        "This value is not allowed.",
    ),
    (
        "field.date",
        "YYYY-MM-DD 형식의 날짜여야 합니다.",
        "Must be a date as YYYY-MM-DD.",
    ),
    (
        "field.datetime",
        "시간대가 있는 RFC 3339 시각이어야 합니다.",
        "Must be an RFC 3339 time with an offset.",
    ),
    (
        "field.not_allowed",
        "받지 않는 항목입니다(생체정보는 받지 않습니다).",
        "This field is not accepted (no biometric data).",
    ),
    (
        "field.required",
        "필수 항목입니다.",
        "This field is required.",
    ),
    (
        "field.type",
        "형식이 올바르지 않습니다.",
        "This field has the wrong type.",
    ),
    (
        "field.non_negative",
        "0 이상의 정수여야 합니다.",
        "Must be a whole number of 0 or more.",
    ),
    (
        "field.url",
        "https://example.co.kr 또는 www.example.co.kr처럼 적어 주세요.",
        "Enter an address like https://example.co.kr or www.example.co.kr.",
    ),
    (
        "field.won_form",
        "금액을 숫자로 적어 주세요. 예: 1,200,000,000 또는 12억 원, 12억 5,000만원",
        "Enter an amount in won, e.g. 1,200,000,000 or 12억 원 (1.2 billion).",
    ),
    (
        "field.count_form",
        "숫자로 적어 주세요. 예: 24 또는 24명",
        "Enter a whole number, e.g. 24.",
    ),
    (
        "login_id.format",
        "아이디는 영문 소문자, 숫자, _ 로 4~20자입니다.",
        "Login IDs are 4–20 of a-z, 0-9 and _.",
    ),
    (
        "login_id.is_email",
        "이메일 주소는 아이디로 쓸 수 없습니다.",
        "An email address cannot be a login ID.",
    ),
    (
        "login_id.is_phone",
        "전화번호는 아이디로 쓸 수 없습니다.",
        "A phone number cannot be a login ID.",
    ),
    (
        "password.too_short",
        "비밀번호는 8자 이상이어야 합니다.",
        "Passwords need at least 8 characters.",
    ),
    (
        "password.too_long",
        "비밀번호는 256자 이하여야 합니다.",
        "Passwords may have at most 256 characters.",
    ),
    (
        "password.common",
        "너무 흔한 비밀번호입니다.",
        "This password is too common.",
    ),
    (
        "mobile.format",
        "010/011/016/017/018/019로 시작하는 휴대폰 번호만 쓸 수 있습니다.",
        "Only Korean mobile numbers (010/011/016/017/018/019) are accepted.",
    ),
    (
        "email.format",
        "이메일 주소 형식이 올바르지 않습니다.",
        "This is not a valid email address.",
    ),
    (
        "brn.format",
        "사업자등록번호는 10자리 숫자입니다(XXX-XX-XXXXX).",
        "Business registration numbers have 10 digits (XXX-XX-XXXXX).",
    ),
    (
        "brn.check_digit",
        "사업자등록번호의 검증 숫자가 맞지 않습니다.",
        "The business registration number's check digit is wrong.",
    ),
    (
        "text.required",
        "필수 항목입니다.",
        "This field is required.",
    ),
    ("text.too_long", "너무 깁니다.", "Too long."),
    (
        "text.control",
        "허용되지 않는 문자가 있습니다.",
        "Contains characters that are not allowed.",
    ),
    (
        "krw.negative",
        "금액은 0원 이상이어야 합니다.",
        "Amounts cannot be negative.",
    ),
    (
        "reason.required",
        "사유를 입력해 주세요.",
        "A reason is required.",
    ),
];

/// The text of `key` in `lang` from the kernel's and every area's table
/// (listed once, in `crate::MESSAGE_TABLES`); the key itself when unknown
/// (a test keeps that from happening).
pub fn msg(key: &str, lang: Lang) -> &str {
    find(key).map_or(key, |(_, ko, en)| if lang == Lang::Ko { ko } else { en })
}

/// A message with `{name}` placeholders filled (notice texts).
pub fn fill(key: &str, lang: Lang, values: &[(&str, &str)]) -> String {
    let mut text = msg(key, lang).to_owned();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

fn find(key: &str) -> Option<&'static Message> {
    crate::MESSAGE_TABLES
        .iter()
        .flat_map(|t| t.iter())
        .find(|(k, _, _)| *k == key)
}

pub fn has(key: &str) -> bool {
    find(key).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    #[test]
    fn every_message_has_distinct_key_and_both_languages() {
        let all: Vec<&Message> = crate::MESSAGE_TABLES
            .iter()
            .flat_map(|t| t.iter())
            .collect();
        let mut keys: Vec<_> = all.iter().map(|m| m.0).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(n, keys.len(), "duplicate message key");
        for (k, ko, en) in all {
            assert!(!ko.is_empty() && !en.is_empty(), "{k}");
            assert!(
                ko.chars().any(|c| ('가'..='힣').contains(&c))
                    || k.starts_with("field.decision")
                    || k.starts_with("field.action"),
                "{k} Korean text has no Hangul"
            );
        }
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    #[test]
    fn every_key_used_anywhere_has_both_texts() {
        // Every quoted literal that looks like a message key, in the domain
        // crate and in every function crate, must be defined.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        rust_files(&root.join("shared/domain/src"), &mut files);
        rust_files(&root.join("functions"), &mut files);
        assert!(files.len() > 40, "found the sources ({})", files.len());
        let prefixes = [
            "title.",
            "detail.",
            "field.",
            "login_id.",
            "password.",
            "mobile.",
            "email.",
            "brn.",
            "text.",
            "krw.",
            "reason.",
            "step.",
            "notice.",
        ];
        let mut checked = 0;
        for f in files {
            let src = std::fs::read_to_string(&f).unwrap();
            for lit in src.split('"').skip(1).step_by(2) {
                if prefixes
                    .iter()
                    .any(|p| lit.starts_with(p) && lit.len() > p.len())
                    && lit.chars().all(|c| {
                        c.is_ascii_lowercase() || c == '.' || c == '_' || c.is_ascii_digit()
                    })
                {
                    assert!(
                        has(lit),
                        "message key {lit} in {} is not defined",
                        f.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "checked {checked} keys");
    }
}
