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
        "detail.dispute_stage",
        "지금 분쟁 단계에서는 할 수 없는 일입니다.",
        "Not possible at the dispute's present stage.",
    ),
    (
        "detail.dispute_not_yet",
        "상대방이 답하거나 답할 기한('answer_by')이 지나야 조정을 요청할 수 있습니다.",
        "Mediation can be asked for once the other party has answered or its deadline ('answer_by') has passed.",
    ),
    (
        "detail.not_the_mediator",
        "이 분쟁을 맡은 조정인만 할 수 있습니다.",
        "Only the mediator assigned to this dispute can do this.",
    ),
    (
        "detail.no_opinion",
        "아직 조정인의 의견이 없습니다.",
        "The mediator has not given an opinion yet.",
    ),
    (
        "field.not_a_mediator",
        "조정인 역할의 직원이 아닙니다",
        "Not a staff member with the mediator role",
    ),
    (
        "field.dispute_party",
        "client 또는 partner 중 하나입니다",
        "One of client or partner",
    ),
    (
        "detail.dispute_no_result_yet",
        "조정인의 의견이 나오거나 그 기한('opinion_due')이 지나야 중재로 넘길 수 있습니다.",
        "The case can go to arbitration once the mediator's opinion is given or its deadline ('opinion_due') has passed.",
    ),
    (
        "detail.dispute_files_full",
        "이 분쟁에는 더 이상 파일을 올릴 수 없습니다('max_items').",
        "This dispute holds no more files ('max_items').",
    ),
    (
        "field.not_yours",
        "본인의 분쟁이나 본인에 대한 제한이 아닙니다",
        "Not a dispute of yours or a restriction on you",
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
        "notice.dispute.file",
        "분쟁에 증거 파일을 올렸습니다.",
        "added an evidence file to the dispute.",
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
        "subject.dispute_overdue",
        "[멤버 플랫폼] 기한이 지난 분쟁 조정",
        "[Member Platform] A dispute's mediation is overdue",
    ),
    (
        "notice.dispute.staff",
        "[멤버 플랫폼] 계약 '{title}'의 분쟁: {what} 분쟁 보기: {link}",
        "[Member Platform] Dispute on contract '{title}': {what} See the dispute: {link}",
    ),
    (
        "notice.dispute.escalated",
        "플랫폼의 조정을 요청했습니다. 조정인의 의견은 15일(한국 시간 기준) 안에 나옵니다.",
        "asked for the platform's mediation; the mediator's opinion is due within 15 days (Korea time).",
    ),
    (
        "notice.dispute.assigned",
        "분쟁을 맡을 조정인이 정해졌습니다.",
        "A mediator has been assigned to the dispute.",
    ),
    (
        "notice.dispute.material",
        "조정인이 자료를 요청했습니다. 기한 안에 분쟁 화면에서 메시지나 파일로 보내 주세요.",
        "The mediator asked you for material: send it as a message or file on the dispute by its deadline.",
    ),
    (
        "notice.dispute.opinion",
        "조정인의 의견이 나왔습니다. 받아들이거나 중재로 넘길 수 있습니다.",
        "The mediator has given an opinion: you may accept it or go on to arbitration.",
    ),
    (
        "notice.dispute.opinion_accepted",
        "조정인의 의견을 받아들였습니다. 양측이 모두 받아들이면 그대로 적용됩니다.",
        "accepted the mediator's opinion; once both parties accept it, it applies.",
    ),
    (
        "notice.dispute.opinion_settled",
        "조정인의 의견을 받아들여 양측 모두 동의했습니다. 분쟁이 종결되고 계약에 반영되었습니다.",
        "accepted the mediator's opinion: both parties agreed, the dispute is closed and the contract changed accordingly.",
    ),
    (
        "notice.dispute.opinion_overdue",
        "[멤버 플랫폼] 분쟁 조정 의견이 15일 기한을 넘겼습니다. 플랫폼 책임자에게 알렸습니다: {link}",
        "[Member Platform] The mediator's opinion is past its 15 days; the platform's owners have been told: {link}",
    ),
    (
        "notice.dispute.material_overdue",
        "[멤버 플랫폼] 조정인이 요청한 자료의 기한이 지났습니다. 분쟁 화면에서 보내 주세요: {link}",
        "[Member Platform] The material the mediator asked for is past its deadline; please send it on the dispute: {link}",
    ),
    (
        "notice.dispute.referred",
        "분쟁을 대한상사중재원 중재로 넘겼습니다. 플랫폼의 절차는 종결되었고, 중재신청 자료를 분쟁 화면에서 받을 수 있습니다.",
        "referred the dispute to arbitration at the KCAB; the platform's process is closed and the filing pack can be downloaded from the dispute.",
    ),
    (
        "subject.dispute_restricted",
        "[멤버 플랫폼] 분쟁 제기 제한 안내",
        "[Member Platform] Raising disputes restricted",
    ),
    (
        "subject.objection_answered",
        "[멤버 플랫폼] 이의 제기에 대한 답변",
        "[Member Platform] The answer to your objection",
    ),
    (
        "notice.dispute.restricted",
        "[멤버 플랫폼] 분쟁 절차의 남용으로 {until}(한국 시간)까지 새 분쟁을 제기할 수 없습니다. 사유: {reason} 이 조치에 이의가 있으면 계정 화면에서 이의를 제기할 수 있으며, 15일 안에 답변드립니다.",
        "[Member Platform] For abuse of the dispute process you cannot raise new disputes until {until} (Korea time). Reason: {reason} You may object to this from your account; we answer within 15 days.",
    ),
    (
        "notice.platform.objection_answered",
        "[멤버 플랫폼] 분쟁 처리에 대한 이의에 답변드립니다: {answer}",
        "[Member Platform] Our answer to your objection about the dispute process: {answer}",
    ),
    (
        "notice.dispute.answer_overdue",
        "[멤버 플랫폼] 분쟁에 7일 안에 답이 없었습니다. 이제 어느 쪽이든 플랫폼의 조정을 요청할 수 있습니다: {link}",
        "[Member Platform] A dispute was not answered within 7 days; either party may now ask for the platform's mediation: {link}",
    ),
];
