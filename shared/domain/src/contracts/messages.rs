//! Korean and English texts of the contracts area's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[(
    "detail.already_decided",
    "이미 처리된 항목입니다.",
    "This has already been decided.",
)];
