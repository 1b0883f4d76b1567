//! Korean and English texts of the matching area's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
    (
        "field.date_past",
        "오늘(한국 시간) 이후의 날짜여야 합니다",
        "Must be today (Korea time) or later",
    ),
    (
        "field.date",
        "YYYY-MM-DD 형식의 날짜여야 합니다",
        "Must be a date as YYYY-MM-DD",
    ),
    (
        "field.region",
        "지역 코드가 올바르지 않습니다",
        "Unknown region code",
    ),
];
