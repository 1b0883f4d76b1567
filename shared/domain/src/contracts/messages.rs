//! Korean and English texts of the contracts area's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
    (
        "field.parties_fixed",
        "계약 당사자는 바꿀 수 없으며 제3자에게 양도할 수 없습니다.",
        "The parties to a contract cannot be changed or assigned to anyone else.",
    ),
    (
        "detail.already_decided",
        "이미 처리된 항목입니다.",
        "This has already been decided.",
    ),
    (
        "detail.contract_formed",
        "이미 성립된 계약은 수정할 수 없습니다. 변경은 양측이 확인하는 변경 계약으로만 할 수 있습니다.",
        "A formed contract is not edited; it changes only by an amendment both parties confirm.",
    ),
    (
        "detail.contract_changed",
        "그 사이 계약이 바뀌었습니다. 최신 버전을 확인한 뒤 다시 시도해 주세요.",
        "The contract changed in the meantime. Check the latest version and try again.",
    ),
    (
        "detail.contract_hash",
        "확인하려는 내용이 현재 버전의 내용과 다릅니다.",
        "What you confirm is not the current version's content.",
    ),
    (
        "detail.already_confirmed",
        "이 버전은 이미 확인했습니다.",
        "You have already confirmed this version.",
    ),
    (
        "detail.contract_state",
        "지금 계약 상태에서는 할 수 없는 일입니다.",
        "Not possible in the contract's present state.",
    ),
    (
        "detail.inspection_closed",
        "검수 기간이 아니거나 이미 끝났습니다.",
        "The contract is not in inspection, or the inspection has ended.",
    ),
    (
        "field.contact_details",
        "연락처나 플랫폼 밖 거래 제안은 넣을 수 없습니다. 상대방과는 플랫폼 안에서 연락해 주세요",
        "Contact details or off-platform proposals cannot be included; reach the other party through the platform",
    ),
    (
        "detail.request_open",
        "같은 종류의 요청이 이미 답을 기다리고 있습니다.",
        "A request of this kind is already waiting for an answer.",
    ),
    (
        "detail.request_not_yours",
        "이 요청에 답하거나 철회할 수 있는 쪽이 아닙니다.",
        "This request is not yours to answer or withdraw.",
    ),
    (
        "detail.request_kind",
        "이 요청은 여기서 답하지 않습니다: 확인 요청은 계약 확인으로, 질문은 메시지로 답합니다.",
        "This request is not answered here: a confirmation by confirming, a question by a message.",
    ),
    (
        "notice.request_overdue",
        "[멤버 플랫폼] 계약 '{title}'에 7일 안에 답하지 않은 요청이 있습니다. 계약 화면에서 확인해 주세요: {link}",
        "[Member Platform] A request on contract '{title}' has not been answered within 7 days. Please check the contract: {link}",
    ),
    (
        "subject.request_overdue",
        "[멤버 플랫폼] 답하지 않은 계약 요청",
        "[Member Platform] An unanswered contract request",
    ),
    (
        "field.fixed_at_forming",
        "성립 전에 합의한 조항이라 변경 계약으로 바꿀 수 없습니다",
        "Agreed before forming; an amendment does not change it",
    ),
    (
        "field.sha256",
        "SHA-256 값(16진수 64자)이어야 합니다",
        "Must be a SHA-256 (64 hexadecimal digits)",
    ),
    (
        "field.unknown_matching",
        "그런 매칭(계약)이 없습니다",
        "No such matching (contract)",
    ),
    (
        "notice.direct_deal",
        "계약 {contract}의 플랫폼 밖 직거래가 확인되어 성공 수수료의 200%인 {charge}원이 청구됩니다. 사유: {reason}",
        "An off-platform deal on contract {contract} was confirmed: {charge} KRW, 200% of the success fee, will be charged. Reason: {reason}",
    ),
    (
        "subject.direct_deal",
        "[멤버 플랫폼] 직거래 확인과 위약 수수료",
        "[Member Platform] Direct deal confirmed: penalty fee",
    ),
    (
        "notice.contract",
        "[멤버 플랫폼] 계약 '{title}': {company}에서 {what} 계약 보기: {link}",
        "[Member Platform] Contract '{title}' — {company}: {what} See the contract: {link}",
    ),
    (
        "subject.contract",
        "[멤버 플랫폼] 계약에 새 소식이 있습니다",
        "[Member Platform] News on a contract",
    ),
    (
        "notice.contract.changed",
        "계약에 변경 사항을 남겼습니다.",
        "made a change to the contract.",
    ),
    (
        "notice.contract.edited",
        "계약서 초안을 수정했습니다. 새 버전을 읽고 확인해 주세요.",
        "edited the draft. Read the new version and confirm it.",
    ),
    (
        "notice.contract.confirmed",
        "현재 버전을 확인했습니다.",
        "confirmed the current version.",
    ),
    (
        "notice.contract.formed",
        "양측이 같은 버전을 확인해 계약이 성립했습니다.",
        "Both parties confirmed the same version: the contract is formed.",
    ),
    (
        "notice.contract.amendment_proposed",
        "변경 계약을 제안했습니다. 수락 여부를 답해 주세요.",
        "proposed an amendment. Please accept or decline it.",
    ),
    (
        "notice.contract.completed",
        "작업 완료를 보고했습니다. 결과물을 검수해 주세요.",
        "reported the work as complete. Please inspect it.",
    ),
    (
        "notice.contract.accepted",
        "검수를 마치고 결과물을 인수했습니다.",
        "inspected and accepted the work.",
    ),
    (
        "notice.contract.defects",
        "검수에서 하자를 알렸습니다. 무상으로 보수한 뒤 다시 완료를 보고해 주세요.",
        "reported defects. Repair them free of charge and report completion again.",
    ),
    (
        "notice.contract.withdrawn",
        "성립 전의 계약서 초안을 철회했습니다.",
        "withdrew the draft before it was formed.",
    ),
    (
        "notice.contract.cancellation_requested",
        "계약 해지를 요청했습니다. 수락 여부를 답해 주세요.",
        "asked to cancel the contract. Please accept or decline.",
    ),
    (
        "notice.contract.amendment_accepted",
        "변경 계약 제안을 수락했습니다.",
        "accepted the amendment.",
    ),
    (
        "notice.contract.amendment_declined",
        "변경 계약 제안을 거절했습니다.",
        "declined the amendment.",
    ),
    (
        "notice.contract.cancellation_accepted",
        "해지 요청을 수락했습니다.",
        "accepted the cancellation.",
    ),
    (
        "notice.contract.cancellation_declined",
        "해지 요청을 거절했습니다.",
        "declined the cancellation.",
    ),
    (
        "notice.contract.amended",
        "변경 계약이 성립했습니다.",
        "The amendment is in force.",
    ),
    (
        "notice.contract.cancelled",
        "양측 합의로 계약이 해지되었습니다.",
        "The contract is cancelled by agreement.",
    ),
    (
        "notice.contract.message",
        "메시지를 보냈습니다.",
        "sent a message.",
    ),
    (
        "notice.contract.answer_by",
        "{date}(한국 시간)까지 답해 주세요.",
        "Please answer by {date} (Korea time).",
    ),
    (
        "notice.contract.inspect_by",
        "{date}(한국 시간)까지 검수해 주세요. 그때까지 답이 없으면 검수를 마친 것으로 봅니다.",
        "Please inspect by {date} (Korea time); with no answer by then the work counts as accepted.",
    ),
    (
        "notice.deemed_accepted",
        "[멤버 플랫폼] 계약 '{title}': 검수 기한까지 답이 없어 결과물을 인수한 것으로 처리되었습니다. 계약 보기: {link}",
        "[Member Platform] Contract '{title}': the inspection period ended without an answer, so the work counts as accepted. See the contract: {link}",
    ),
    (
        "notice.contract.request_withdrawn",
        "요청을 거둬들였습니다.",
        "withdrew a request.",
    ),
];
