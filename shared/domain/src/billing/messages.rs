//! Korean and English texts of the billing area's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
    (
        "detail.billing_member_inactive",
        "이용 중인 회원사만 요금제를 정할 수 있습니다.",
        "Only an active member company can be given a plan.",
    ),
    (
        "detail.billing_changed",
        "그 사이 요금제가 바뀌었습니다. 최신 내용을 확인한 뒤 다시 시도해 주세요.",
        "The plan changed in the meantime. Check the latest and try again.",
    ),
    (
        "detail.plan_unknown",
        "판매 중인 요금제가 아닙니다.",
        "This is not a plan on sale.",
    ),
    (
        "detail.plan_term_unknown",
        "이 요금제에 없는 약정 기간입니다.",
        "This plan is not sold for that term.",
    ),
    (
        "detail.plan_units_over",
        "이 요금제가 허용하는 수량('max_units')을 넘었습니다.",
        "More units than this plan allows ('max_units').",
    ),
    (
        "detail.plan_start_invalid",
        "요금제 시작일은 'earliest'(한국 시간) 이후여야 하며, 변경이나 선납 약정은 매월 1일에 시작합니다('first_of_month').",
        "A plan starts on or after 'earliest' (Korea time); a change or a prepaid term starts on the 1st of a month ('first_of_month').",
    ),
    (
        "subject.invoice_issued",
        "[멤버 플랫폼] 이용요금 청구서",
        "[Member Platform] Your invoice",
    ),
    (
        "notice.billing.invoice_issued",
        "[멤버 플랫폼] {period} 이용요금 청구서가 발행되었습니다. 공급가액 {supply}원, 부가세 {vat}원, 부가세 과세 대상이 아닌 금액 {outside}원, 합계 {total}원을 {due_day}(한국 시간)까지 납부해 주세요. 청구서 보기: {link}",
        "[Member Platform] Your invoice for {period} is issued: supply value {supply} KRW, VAT {vat} KRW, outside VAT {outside} KRW, total {total} KRW, due by {due_day} (Korea time). See the invoice: {link}",
    ),
    (
        "field.invoice_period",
        "청구 월은 YYYY-MM 형식이어야 합니다.",
        "The month must be written YYYY-MM.",
    ),
    (
        "field.plan_units",
        "수량은 1 이상의 정수여야 합니다.",
        "Units must be a whole number of at least 1.",
    ),
    (
        "field.plan_term",
        "약정 기간은 개월 수(정수)여야 합니다.",
        "The term must be a whole number of months.",
    ),
    (
        "field.plan_starts_on",
        "시작일은 YYYY-MM-DD 형식의 날짜여야 합니다.",
        "The first day must be a date written YYYY-MM-DD.",
    ),
];
