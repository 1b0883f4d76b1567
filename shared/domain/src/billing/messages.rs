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
        "detail.invoice_paid",
        "이미 완납된 청구서입니다.",
        "This invoice is paid in full.",
    ),
    (
        "detail.invoice_changed",
        "그 사이 청구서가 바뀌었습니다. 최신 내용을 확인한 뒤 다시 시도해 주세요.",
        "The invoice changed in the meantime. Check the latest and try again.",
    ),
    (
        "detail.payment_over",
        "남은 청구액('owed_krw')보다 많은 금액입니다.",
        "More than is still owed ('owed_krw').",
    ),
    (
        "detail.payment_reference_used",
        "이미 기록된 입금 참조번호입니다.",
        "A payment with this reference is already recorded.",
    ),
    (
        "field.payment_reference",
        "참조번호는 영문, 숫자, - _ / . 로 된 64자 이내여야 합니다.",
        "A reference is at most 64 letters, digits, - _ / or . characters.",
    ),
    (
        "field.date_future",
        "미래의 날짜는 쓸 수 없습니다.",
        "The date cannot be in the future.",
    ),
    (
        "field.amount_positive",
        "금액은 1원 이상의 정수여야 합니다.",
        "The amount must be a whole number of at least 1 won.",
    ),
    (
        "detail.objection_window_closed",
        "청구서 발송일로부터 10일이 지나 이의를 신청할 수 없습니다(마감: 'until', 한국 시간).",
        "Objections are taken within 10 days of the invoice's sending (last day: 'until', Korea time).",
    ),
    (
        "detail.objection_open",
        "이 청구서에는 이미 처리 중인 이의 신청이 있습니다.",
        "This invoice already has an objection in progress.",
    ),
    (
        "detail.objection_over_total",
        "이의 금액이 청구서 합계('total_krw')보다 많습니다.",
        "The disputed amount is more than the invoice's total ('total_krw').",
    ),
    (
        "detail.objection_corrections",
        "정정 내역이 맞지 않습니다. 받아들이는 답에는 청구서의 청구 항목별 정정 금액(항목 금액 이하, 합계는 이의 금액 이하)이 있어야 하고, 기각하는 답에는 없어야 합니다.",
        "The corrections do not fit: an answer that upholds the objection corrects lines of the invoice (each at most the line, all at most the disputed amount); a rejection corrects none.",
    ),
    (
        "detail.delay_not_later",
        "새 답변 기한은 지금 기한('answer_by')보다 늦어야 합니다.",
        "The new day must be later than the current one ('answer_by').",
    ),
    (
        "field.objection_outcome",
        "결과는 upheld, partly_upheld, rejected 중 하나여야 합니다.",
        "The outcome is one of upheld, partly_upheld, rejected.",
    ),
    (
        "field.corrections",
        "정정 내역은 line_no와 amount_krw가 있는 항목의 목록이어야 합니다.",
        "Corrections are a list of items with line_no and amount_krw.",
    ),
    (
        "subject.billing_objection",
        "[멤버 플랫폼] 청구 요금 이의 신청",
        "[Member Platform] Your objection to an invoice",
    ),
    (
        "notice.billing.objection_answered",
        "[멤버 플랫폼] 청구서 {invoice}에 대한 이의 신청에 답변드립니다. 다음 청구서에서 정정되는 금액: {credited}원. 답변: {answer}",
        "[Member Platform] The answer to your objection to invoice {invoice}. Corrected on your next invoice: {credited} KRW. Answer: {answer}",
    ),
    (
        "notice.billing.objection_delayed",
        "[멤버 플랫폼] 청구서 {invoice}에 대한 이의 신청의 답변이 늦어집니다. 새 답변 기한: {date}(한국 시간). 사유: {reason}",
        "[Member Platform] The answer to your objection to invoice {invoice} is delayed. New day: {date} (Korea time). Reason: {reason}",
    ),
    (
        "reason.billing.unpaid",
        "요금 미납: {period} 청구서({invoice})의 {overdue}원이 납부기한 {due_day}(한국 시간)로부터 30일이 지나도록 납부되지 않았습니다. 납부하시면 바로 이용이 재개됩니다.",
        "Unpaid fees: {overdue} KRW of the invoice for {period} ({invoice}) was not paid within 30 days of its due day {due_day} (Korea time). Service resumes as soon as it is paid.",
    ),
    (
        "subject.suspended_unpaid",
        "[멤버 플랫폼] 요금 미납으로 서비스 이용이 정지되었습니다",
        "[Member Platform] Service suspended for unpaid fees",
    ),
    (
        "notice.billing.suspended",
        "[멤버 플랫폼] 서비스 이용이 정지되었습니다. 출퇴근 단말기의 기록이 접수되지 않습니다. {reason}",
        "[Member Platform] Your service is suspended: your attendance terminals' records are refused. {reason}",
    ),
    (
        "notice.billing.reinstated",
        "[멤버 플랫폼] 청구서 {invoice}의 납부가 확인되어 서비스 이용이 재개되었습니다.",
        "[Member Platform] Your payment of invoice {invoice} is recorded: your service resumes.",
    ),
    (
        "detail.outage_ends_first",
        "끝난 시각이 시작 시각보다 늦어야 합니다.",
        "The end must be after the start.",
    ),
    (
        "field.instant",
        "시각은 RFC 3339 형식이어야 합니다(예: 2027-01-10T09:00:00+09:00).",
        "An instant is written in RFC 3339 (e.g. 2027-01-10T09:00:00+09:00).",
    ),
    (
        "field.outage_kind",
        "종류는 outage 또는 maintenance 여야 합니다.",
        "The kind is outage or maintenance.",
    ),
    (
        "field.adjustment_kind",
        "종류는 compensation 또는 evasion 이어야 합니다.",
        "The kind is compensation or evasion.",
    ),
    (
        "detail.adjustment_nothing",
        "반영할 금액이 없습니다(최근 3개월 청구된 기본 요금이 없으면 배상 한도는 0원입니다).",
        "Nothing to record (without plan fees billed in the last 3 months the compensation cap is 0 KRW).",
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
