//! Korean and English texts of the matching area's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
    (
        "detail.request_not_open",
        "진행 중인 의뢰가 아닙니다.",
        "This request is not open.",
    ),
    (
        "detail.already_proposed",
        "이 파트너에게 이미 제안했습니다.",
        "This partner has already been proposed to.",
    ),
    (
        "field.not_ranked",
        "이 의뢰의 분야에서 추천되는 파트너가 아닙니다",
        "Not a partner ranked for this request's category",
    ),
    (
        "field.date_past",
        "오늘(한국 시간) 이후의 날짜여야 합니다",
        "Must be today (Korea time) or later",
    ),
    (
        "field.region",
        "지역 코드가 올바르지 않습니다",
        "Unknown region code",
    ),
    (
        "notice.proposal",
        "[멤버 플랫폼] {client}에서 작업을 제안했습니다. 내용을 읽고 수락 여부를 정해 주세요: {link}",
        "[Member Platform] {client} proposed work to you. Read it and accept or decline: {link}",
    ),
    (
        "subject.proposal",
        "[멤버 플랫폼] 새 작업 제안이 도착했습니다",
        "[Member Platform] A new work proposal",
    ),
];
