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
];
