//! Korean and English texts of the contracts area's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
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
        "그 사이 계약이 바뀌었습니다. 최신 판을 확인한 뒤 다시 시도해 주세요.",
        "The contract changed in the meantime. Check the latest version and try again.",
    ),
    (
        "detail.contract_hash",
        "확인하려는 내용이 현재 판의 내용과 다릅니다.",
        "What you confirm is not the current version's content.",
    ),
    (
        "detail.already_confirmed",
        "이 판은 이미 확인했습니다.",
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
        "연락처나 플랫폼 밖 거래 제안은 계약 내용에 넣을 수 없습니다",
        "Contact details or off-platform proposals cannot be part of the contract",
    ),
];
