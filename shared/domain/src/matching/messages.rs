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
    (
        "notice.proposal_accepted",
        "[멤버 플랫폼] {partner}에서 제안 '{title}'을(를) 수락했습니다. 계약서 초안을 확인해 주세요: {link}",
        "[Member Platform] {partner} accepted your proposal '{title}'. Review the draft contract: {link}",
    ),
    (
        "notice.proposal_declined",
        "[멤버 플랫폼] {partner}에서 제안 '{title}'을(를) 거절했습니다. 다른 파트너에게 제안할 수 있습니다: {link}",
        "[Member Platform] {partner} declined your proposal '{title}'. You can propose it to another partner: {link}",
    ),
    (
        "subject.proposal_answer",
        "[멤버 플랫폼] 작업 제안에 대한 답변",
        "[Member Platform] An answer to your work proposal",
    ),
];
