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
        "계약 {contract}에 7일 안에 답하지 않은 요청이 있습니다. 계약 화면에서 확인해 주세요.",
        "A request on contract {contract} has not been answered within 7 days. Please check the contract.",
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
];
