//! Korean and English texts of the disputes area's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
    (
        "detail.dispute_open",
        "이 계약에는 이미 진행 중인 분쟁이 있습니다.",
        "This contract already has a dispute in progress.",
    ),
    (
        "detail.dispute_closed",
        "이 분쟁은 이미 종결되었습니다.",
        "This dispute has already been closed.",
    ),
    (
        "detail.dispute_changed",
        "그 사이 분쟁 기록이 바뀌었습니다. 최신 내용을 확인한 뒤 다시 시도해 주세요.",
        "The dispute changed in the meantime. Check the latest record and try again.",
    ),
    (
        "detail.dispute_restricted",
        "분쟁 절차 남용으로 새 이의 제기가 제한되어 있습니다. 제한은 'until'에 적힌 날(한국 시간)까지이며, 이 제한에 대해 이의를 제기할 수 있습니다.",
        "Raising new disputes is restricted for abuse of the process until the day in 'until' (Korea time). You may object to the restriction.",
    ),
    (
        "detail.offer_open",
        "먼저 낸 합의 제안이 아직 답을 기다리고 있습니다. 철회한 뒤 새로 제안해 주세요.",
        "Your earlier settlement offer is still waiting for an answer. Withdraw it before making another.",
    ),
    (
        "detail.offer_not_yours",
        "이 합의 제안에 답하거나 철회할 수 있는 쪽이 아닙니다.",
        "This offer is not yours to answer or withdraw.",
    ),
    (
        "detail.offer_kind_state",
        "지금 계약 상태에는 이 합의 조건을 적용할 수 없습니다. 납기 변경과 재작업은 검수 승인 전까지만 가능합니다.",
        "These terms cannot apply to the contract in its present state: a new due date or a redo is possible only before acceptance.",
    ),
    (
        "field.offer_kind",
        "합의 조건의 종류는 amount, redo, due_date, cancel 중 하나입니다",
        "The kind of terms is one of amount, redo, due_date, cancel",
    ),
    (
        "field.offer_answer",
        "답은 accept, decline, withdraw 중 하나입니다",
        "The answer is one of accept, decline, withdraw",
    ),
    (
        "field.offer_terms",
        "이 종류의 합의 조건에 필요한 항목입니다",
        "Required for this kind of terms",
    ),
    (
        "field.offer_extra",
        "이 종류의 합의 조건에는 넣을 수 없는 항목입니다",
        "Not part of this kind of terms",
    ),
    (
        "subject.dispute",
        "[멤버 플랫폼] 계약 분쟁 알림",
        "[Member Platform] A dispute on your contract",
    ),
    (
        "subject.dispute_answer_overdue",
        "[멤버 플랫폼] 답이 없는 계약 분쟁",
        "[Member Platform] A dispute without an answer",
    ),
    (
        "notice.dispute",
        "[멤버 플랫폼] 계약 '{title}'의 분쟁: {company}에서 {what} 분쟁 보기: {link}",
        "[Member Platform] Dispute on contract '{title}' — {company}: {what} See the dispute: {link}",
    ),
    (
        "notice.dispute.raised",
        "계약에 대한 이의를 제기했습니다.",
        "raised an objection to the contract.",
    ),
    (
        "notice.dispute.answer_by",
        "{date}(한국 시간)까지 답해 주세요. 답이 없으면 상대방이 플랫폼의 조정을 요청할 수 있습니다.",
        "Please answer by {date} (Korea time); without an answer the other party may ask for the platform's mediation.",
    ),
    (
        "notice.dispute.message",
        "분쟁에 메시지를 남겼습니다.",
        "wrote on the dispute.",
    ),
    (
        "notice.dispute.offer",
        "합의 조건을 제안했습니다.",
        "proposed settlement terms.",
    ),
    (
        "notice.dispute.settled",
        "합의 제안을 받아들였습니다. 분쟁이 합의로 종결되고 계약에 반영되었습니다.",
        "accepted the settlement offer: the dispute is settled and the contract changed accordingly.",
    ),
    (
        "notice.dispute.offer_declined",
        "합의 제안을 거절했습니다.",
        "declined the settlement offer.",
    ),
    (
        "notice.dispute.offer_withdrawn",
        "합의 제안을 철회했습니다.",
        "withdrew its settlement offer.",
    ),
    (
        "notice.dispute.answer_overdue",
        "[멤버 플랫폼] 분쟁에 7일 안에 답이 없었습니다. 이제 어느 쪽이든 플랫폼의 조정을 요청할 수 있습니다: {link}",
        "[Member Platform] A dispute was not answered within 7 days; either party may now ask for the platform's mediation: {link}",
    ),
];
