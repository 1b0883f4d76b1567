//! Korean and English texts of the auth area's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
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
        "field.role",
        "알 수 없는 관리자 역할입니다.",
        "Unknown admin role.",
    ),
    (
        "notice.recovery_code",
        "[멤버 플랫폼] 아이디 찾기·비밀번호 재설정 인증번호 [{code}]를 입력해 주세요. 요청하지 않았다면 무시하세요.",
        "[Member Platform] Your code to find your ID or reset your password: {code}. If you did not ask for it, ignore this message.",
    ),
    (
        "notice.password_reset",
        "[멤버 플랫폼] 아이디 {login_id}의 비밀번호가 휴대폰 인증으로 변경되었고, 모든 기기에서 로그아웃되었습니다. 직접 변경하지 않았다면 바로 고객센터에 알려 주세요.",
        "[Member Platform] The password of {login_id} was reset by mobile verification, and every device was signed out. If it was not you, tell our support at once.",
    ),
    (
        "subject.password_reset",
        "[멤버 플랫폼] 비밀번호가 변경되었습니다",
        "[Member Platform] Your password was changed",
    ),
    (
        "detail.recovery_expired",
        "인증이 만료되었거나 이미 사용되었습니다. 휴대폰 인증부터 다시 해 주세요.",
        "The verification expired or was already used. Please verify your mobile again.",
    ),
    (
        "field.recovery_account",
        "이 휴대폰 번호로 찾은 아이디 중 하나를 골라 주세요.",
        "Choose one of the IDs found for this mobile number.",
    ),
];
