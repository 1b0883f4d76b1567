//! Korean and English texts for every message a client can see.
//! Keys are stable; a missing key is a test failure, never a blank message.

use crate::http::Lang;

/// (key, Korean, English)
pub const MESSAGES: &[(&str, &str, &str)] = &[
    // Problem titles
    (
        "title.validation",
        "입력값을 확인해 주세요",
        "Please check your input",
    ),
    (
        "title.step_order",
        "이전 단계를 먼저 완료해 주세요",
        "A previous step is missing",
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
    // Details
    (
        "detail.validation",
        "표시된 항목을 고쳐 다시 보내 주세요.",
        "Fix the fields listed in `errors` and send again.",
    ),
    (
        "detail.step_missing",
        "먼저 완료해야 하는 단계가 있습니다: ",
        "This step must be completed first: ",
    ),
    (
        "detail.internal",
        "잠시 후 다시 시도해 주세요.",
        "Please try again shortly.",
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
        "detail.login_failed",
        "아이디 또는 비밀번호가 올바르지 않습니다.",
        "The login ID or password is wrong.",
    ),
    (
        "detail.login_rate_limited",
        "로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.",
        "Too many sign-in attempts. Try again later.",
    ),
    (
        "detail.not_active",
        "아직 이용할 수 없는 회원입니다. 가입 심사 상태를 확인해 주세요.",
        "This membership is not active yet. Check your signup status.",
    ),
    (
        "detail.already_submitted",
        "이미 심사 신청이 완료되어 수정할 수 없습니다.",
        "The application was already submitted and can no longer be edited.",
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
        "detail.brn_duplicate",
        "사업자등록번호를 다시 확인해 주세요.",
        "Please re-check your business registration number.",
    ),
    (
        "detail.code_wrong",
        "인증번호가 올바르지 않습니다.",
        "The verification code is wrong.",
    ),
    (
        "detail.code_expired",
        "인증번호가 만료되었습니다. 다시 받아 주세요.",
        "The verification code has expired. Request a new one.",
    ),
    (
        "detail.code_tries",
        "인증 시도 횟수를 초과했습니다. 인증번호를 다시 받아 주세요.",
        "Too many tries. Request a new code.",
    ),
    (
        "detail.code_resend_wait",
        "인증번호는 60초 후에 다시 받을 수 있습니다.",
        "You can request a new code after 60 seconds.",
    ),
    (
        "detail.code_daily_limit",
        "오늘 받을 수 있는 인증번호 횟수를 넘었습니다.",
        "You reached today's limit of verification codes.",
    ),
    (
        "detail.no_code",
        "먼저 인증번호를 받아 주세요.",
        "Request a verification code first.",
    ),
    (
        "detail.phone_already_verified",
        "이미 인증된 휴대폰 번호입니다.",
        "This mobile number is already verified.",
    ),
    (
        "detail.phone_verified",
        "휴대폰 번호가 인증되었습니다.",
        "Your mobile number is verified.",
    ),
    (
        "detail.code_sent",
        "인증번호를 보냈습니다. 3분 안에 입력해 주세요.",
        "A code was sent. Enter it within 3 minutes.",
    ),
    (
        "detail.documents_missing",
        "필요한 서류가 부족합니다: ",
        "Documents are missing: ",
    ),
    (
        "detail.file_type",
        "허용되지 않는 파일 형식입니다.",
        "This file type is not allowed.",
    ),
    (
        "detail.file_too_large",
        "파일이 허용 크기를 넘습니다.",
        "The file is larger than allowed.",
    ),
    (
        "detail.review_state",
        "심사할 수 있는 상태가 아닙니다.",
        "The application is not awaiting review.",
    ),
    (
        "detail.activation_state",
        "승인된 회원만 계약을 완료할 수 있습니다.",
        "Only approved members can complete the membership contract.",
    ),
    (
        "detail.trials_pending",
        "시험 매칭 5회를 마치거나 면제해야 합니다.",
        "Five trial matchings must be done or waived first.",
    ),
    (
        "detail.fee_mismatch",
        "결제 금액이 연간 시스템 이용료와 다릅니다.",
        "The paid amount differs from the annual system fee.",
    ),
    (
        "detail.owner_exists",
        "최초 관리자가 이미 있습니다.",
        "The first admin already exists.",
    ),
    (
        "detail.bootstrap_token",
        "초기화 토큰이 올바르지 않습니다.",
        "The bootstrap token is wrong.",
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
        "detail.device_limit",
        "계약한 단말기 수를 넘었습니다.",
        "The contract's device count is reached.",
    ),
    (
        "detail.terminal_conflict",
        "이미 등록된 단말기 일련번호이거나 단말기 수를 넘었습니다.",
        "This serial is already registered, or the device count is reached.",
    ),
    (
        "detail.terminal_unknown",
        "등록되지 않은 단말기입니다.",
        "Unknown terminal.",
    ),
    (
        "detail.member_suspended",
        "이용이 정지된 회원사의 단말기입니다.",
        "This terminal's member company is suspended.",
    ),
    (
        "detail.terminal_suspended",
        "사용이 중지된 단말기입니다.",
        "This terminal is suspended.",
    ),
    (
        "detail.signature",
        "서명이 올바르지 않습니다.",
        "The signature does not match.",
    ),
    (
        "detail.timestamp",
        "요청 시각이 허용 범위(±5분)를 벗어났습니다.",
        "The timestamp is outside the allowed ±5 minutes.",
    ),
    (
        "detail.body_too_large",
        "요청 본문이 너무 큽니다.",
        "The request body is too large.",
    ),
    (
        "field.code_text",
        "1~64자의 영문·숫자·기호여야 합니다.",
        "Must be 1–64 visible ASCII characters.",
    ),
    (
        "field.enum",
        "허용되지 않는 값입니다.",
        "This value is not allowed.",
    ),
    (
        "field.datetime",
        "시간대가 있는 RFC 3339 시각이어야 합니다.",
        "Must be an RFC 3339 time with an offset.",
    ),
    (
        "field.records_count",
        "기록은 1~1000건이어야 합니다.",
        "Send 1 to 1000 records.",
    ),
    (
        "field.not_allowed",
        "받지 않는 항목입니다(생체정보는 받지 않습니다).",
        "This field is not accepted (no biometric data).",
    ),
    (
        "field.unknown_site",
        "알 수 없는 현장입니다.",
        "Unknown site.",
    ),
    // Field errors
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
        "field.unknown_category",
        "알 수 없는 업종입니다.",
        "Unknown category.",
    ),
    (
        "field.categories_count",
        "업종은 1~3개를 골라 주세요.",
        "Choose one to three categories.",
    ),
    (
        "field.not_for_kind",
        "이 회원 유형에는 없는 항목입니다.",
        "This field does not apply to this member kind.",
    ),
    (
        "field.must_accept",
        "필수 약관에 동의해야 합니다.",
        "You must accept this required document.",
    ),
    (
        "field.under_14",
        "만 14세 미만은 가입할 수 없습니다.",
        "Applicants under 14 cannot sign up.",
    ),
    (
        "field.unknown_kind",
        "알 수 없는 회원 유형입니다.",
        "Unknown member kind.",
    ),
    (
        "field.version",
        "현재 약관 버전이 아닙니다.",
        "Not the current version of this document.",
    ),
    (
        "field.password_mismatch",
        "비밀번호가 서로 다릅니다.",
        "The passwords do not match.",
    ),
    (
        "field.code_format",
        "6자리 숫자를 입력해 주세요.",
        "Enter the 6 digits.",
    ),
    (
        "field.decision",
        "approve, hold, reject 중 하나여야 합니다.",
        "Must be approve, hold or reject.",
    ),
    (
        "field.role",
        "알 수 없는 관리자 역할입니다.",
        "Unknown admin role.",
    ),
    (
        "field.document_kind",
        "알 수 없는 서류 종류입니다.",
        "Unknown document kind.",
    ),
    (
        "field.founded_year",
        "설립연도가 올바르지 않습니다.",
        "The founding year is not valid.",
    ),
    (
        "field.non_negative",
        "0 이상의 정수여야 합니다.",
        "Must be a whole number of 0 or more.",
    ),
    (
        "field.url",
        "http(s) 주소여야 합니다.",
        "Must be an http(s) address.",
    ),
    (
        "field.action",
        "trial, waive, payment 중 하나여야 합니다.",
        "Must be trial, waive or payment.",
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
    // Steps
    ("step.terms", "약관 동의", "terms consent"),
    ("step.contact", "담당자 정보", "contact person"),
    ("step.phone", "휴대폰 인증", "mobile verification"),
    ("step.company", "회사 정보", "company information"),
    ("step.documents", "서류 제출", "documents"),
    ("step.submit", "심사 신청", "submission for review"),
    ("step.review", "심사 결정", "review decision"),
    (
        "step.contract",
        "계약 및 결제",
        "membership contract and payment",
    ),
];

/// The text of `key` in `lang`; the key itself when unknown (a test keeps
/// that from happening).
pub fn msg(key: &str, lang: Lang) -> &str {
    MESSAGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or(key, |(_, ko, en)| if lang == Lang::Ko { ko } else { en })
}

pub fn has(key: &str) -> bool {
    MESSAGES.iter().any(|(k, _, _)| *k == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_distinct_key_and_both_languages() {
        let mut keys: Vec<_> = MESSAGES.iter().map(|m| m.0).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(n, keys.len(), "duplicate message key");
        for (k, ko, en) in MESSAGES {
            assert!(!ko.is_empty() && !en.is_empty(), "{k}");
            assert!(
                ko.chars().any(|c| ('가'..='힣').contains(&c))
                    || k.starts_with("field.decision")
                    || k.starts_with("field.action"),
                "{k} Korean text has no Hangul"
            );
        }
    }

    #[test]
    fn every_key_used_in_the_domain_source_exists() {
        // Every quoted "area.name" literal in the crate's sources that looks like
        // a message key must be defined.
        let sources = [
            include_str!("types.rs"),
            include_str!("signup.rs"),
            include_str!("auth.rs"),
            include_str!("admin.rs"),
            include_str!("problem.rs"),
            include_str!("runtime.rs"),
            include_str!("devices.rs"),
            include_str!("jobs.rs"),
        ];
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
        ];
        for src in sources {
            for lit in src.split('"').skip(1).step_by(2) {
                if prefixes
                    .iter()
                    .any(|p| lit.starts_with(p) && lit.len() > p.len())
                    && lit.chars().all(|c| {
                        c.is_ascii_lowercase() || c == '.' || c == '_' || c.is_ascii_digit()
                    })
                {
                    assert!(has(lit), "message key {lit} is not defined");
                }
            }
        }
    }
}
