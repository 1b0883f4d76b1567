//! Korean and English texts of the signup area's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
    (
        "detail.portfolio_full",
        "포트폴리오는 최대 20개까지 올릴 수 있습니다.",
        "At most 20 portfolio items can be uploaded.",
    ),
    (
        "detail.applications_rate_limited",
        "이 주소에서 새 가입 신청이 너무 많습니다. 잠시 후 다시 시도해 주세요.",
        "Too many new applications from this address. Try again later.",
    ),
    (
        "title.step_order",
        "이전 단계를 먼저 완료해 주세요",
        "A previous step is missing",
    ),
    (
        "detail.step_missing",
        "먼저 완료해야 하는 단계가 있습니다: ",
        "This step must be completed first: ",
    ),
    (
        "detail.already_submitted",
        "이미 심사 신청이 완료되어 수정할 수 없습니다.",
        "The application was already submitted and can no longer be edited.",
    ),
    (
        "detail.brn_duplicate",
        "사업자등록번호를 다시 확인해 주세요.",
        "Please re-check your business registration number.",
    ),
    (
        "detail.code_wrong",
        "인증번호가 올바르지 않습니다.",
        "The verification code is wrong.",
    ),
    (
        "detail.code_expired",
        "인증번호가 만료되었습니다. 다시 받아 주세요.",
        "The verification code has expired. Request a new one.",
    ),
    (
        "detail.code_tries",
        "인증 시도 횟수를 초과했습니다. 인증번호를 다시 받아 주세요.",
        "Too many tries. Request a new code.",
    ),
    (
        "detail.code_resend_wait",
        "인증번호는 60초 후에 다시 받을 수 있습니다.",
        "You can request a new code after 60 seconds.",
    ),
    (
        "detail.code_daily_limit",
        "오늘 받을 수 있는 인증번호 횟수를 넘었습니다.",
        "You reached today's limit of verification codes.",
    ),
    (
        "detail.no_code",
        "먼저 인증번호를 받아 주세요.",
        "Request a verification code first.",
    ),
    (
        "detail.phone_already_verified",
        "이미 인증된 휴대폰 번호입니다.",
        "This mobile number is already verified.",
    ),
    (
        "detail.phone_verified",
        "휴대폰 번호가 인증되었습니다.",
        "Your mobile number is verified.",
    ),
    (
        "detail.code_sent",
        "인증번호를 보냈습니다. 3분 안에 입력해 주세요.",
        "A code was sent. Enter it within 3 minutes.",
    ),
    (
        "detail.documents_missing",
        "필요한 서류가 부족합니다: ",
        "Documents are missing: ",
    ),
    (
        "detail.file_type",
        "허용되지 않는 파일 형식입니다.",
        "This file type is not allowed.",
    ),
    (
        "detail.file_too_large",
        "파일이 허용 크기를 넘습니다.",
        "The file is larger than allowed.",
    ),
    (
        "detail.review_state",
        "심사할 수 있는 상태가 아닙니다.",
        "The application is not awaiting review.",
    ),
    (
        "detail.activation_state",
        "승인된 회원만 계약을 완료할 수 있습니다.",
        "Only approved members can complete the membership contract.",
    ),
    (
        "detail.trials_pending",
        "시범 매칭 5회를 마치거나 면제해야 합니다.",
        "Five trial matchings must be done or waived first.",
    ),
    (
        "detail.fee_mismatch",
        "결제 금액이 시스템 이용료와 다릅니다.",
        "The paid amount differs from the system fee.",
    ),
    (
        "field.unknown_category",
        "알 수 없는 업종입니다.",
        "Unknown category.",
    ),
    (
        "field.categories_count",
        "업종은 1~3개를 골라 주세요.",
        "Choose one to three categories.",
    ),
    (
        "field.not_for_kind",
        "이 회원 유형에는 없는 항목입니다.",
        "This field does not apply to this member kind.",
    ),
    (
        "field.must_accept",
        "필수 약관에 동의해야 합니다.",
        "You must accept this required document.",
    ),
    (
        "field.age_unconfirmed",
        "만 14세 이상인지 확인해 주세요. 만 14세 미만은 가입할 수 없습니다.",
        "Confirm that you are 14 or older: applicants under 14 cannot sign up.",
    ),
    (
        "field.unknown_kind",
        "알 수 없는 회원 유형입니다.",
        "Unknown member kind.",
    ),
    (
        "field.version",
        "현재 약관 버전이 아닙니다.",
        "Not the current version of this document.",
    ),
    (
        "field.password_mismatch",
        "비밀번호가 서로 다릅니다.",
        "The passwords do not match.",
    ),
    (
        "field.code_format",
        "6자리 숫자를 입력해 주세요.",
        "Enter the 6 digits.",
    ),
    (
        "field.decision",
        "approve, hold, reject 중 하나여야 합니다.",
        "Must be approve, hold or reject.",
    ),
    (
        "field.cause",
        "약관의 해지 사유 중 하나여야 합니다: false_information, crime, public_harm, stolen_account, defamation, duplicate_registration, service_harm, terms_violation, unpaid_fees, insolvency",
        "Must be one of the terms' causes: false_information, crime, public_harm, stolen_account, defamation, duplicate_registration, service_harm, terms_violation, unpaid_fees, insolvency",
    ),
    (
        "field.status",
        "알 수 없는 회원 상태입니다.",
        "Unknown member status.",
    ),
    (
        "field.document_kind",
        "알 수 없는 서류 종류입니다.",
        "Unknown document kind.",
    ),
    (
        "field.founded_year",
        "설립연도가 올바르지 않습니다.",
        "The founding year is not valid.",
    ),
    ("step.terms", "약관 동의", "terms consent"),
    ("step.contact", "담당자 정보", "contact person"),
    ("step.phone", "휴대폰 인증", "mobile verification"),
    ("step.company", "회사 정보", "company information"),
    ("step.documents", "서류 제출", "documents"),
    ("step.submit", "심사 신청", "submission for review"),
    ("step.review", "심사 결정", "review decision"),
    (
        "step.contract",
        "계약 및 결제",
        "membership contract and payment",
    ),
    (
        "notice.phone_code",
        "[멤버 플랫폼] 인증번호 {code} (3분 안에 입력)",
        "[Member Platform] Verification code {code} (enter within 3 minutes)",
    ),
    (
        "notice.review_result",
        "가입 심사 결과: {decision} — 사유: {reason} — 신청 현황: {link}",
        "Signup review result: {decision} — reason: {reason} — your application: {link}",
    ),
    (
        "notice.review_sms",
        "[멤버 플랫폼] 가입 심사 결과: {decision}. 사유와 다음 단계: {link}",
        "[Member Platform] Signup review: {decision}. Reason and next step: {link}",
    ),
    (
        "notice.submitted",
        "[멤버 플랫폼] 가입 신청을 접수했습니다. 심사 결과는 문자와 이메일로 알려 드립니다. 신청 현황: {link}",
        "[Member Platform] Your application is received. The review's result comes by text message and e-mail. Your application: {link}",
    ),
    (
        "subject.submitted",
        "[멤버 플랫폼] 가입 신청을 접수했습니다",
        "[Member Platform] Application received",
    ),
    ("notice.decision_approve", "승인", "approved"),
    ("notice.decision_hold", "보류", "on hold"),
    ("notice.decision_reject", "거절", "rejected"),
    (
        "notice.welcome",
        "{partner_name} {contact_name}님, 멤버 플랫폼 가입을 환영합니다. 아이디: {partner_id}",
        "{partner_name}, welcome to the member platform, {contact_name}. Your ID: {partner_id}",
    ),
    ("subject.welcome", "[멤버 플랫폼] 가입을 환영합니다", "[Member Platform] Welcome"),
    (
        "subject.review_approve",
        "[멤버 플랫폼] 가입 심사 결과: 승인",
        "[Member Platform] Signup review: approved",
    ),
    (
        "subject.review_hold",
        "[멤버 플랫폼] 가입 심사 결과: 보류",
        "[Member Platform] Signup review: on hold",
    ),
    (
        "subject.review_reject",
        "[멤버 플랫폼] 가입 심사 결과: 거절",
        "[Member Platform] Signup review: rejected",
    ),
    (
        "subject.capability_update",
        "[멤버 플랫폼] 회사 정보를 갱신해 주세요",
        "[Member Platform] Please update your company information",
    ),
    (
        "notice.capability_update",
        "[멤버 플랫폼] 회사 역량·수용력 정보가 6개월이 지났습니다. 최신 정보로 갱신해 주세요: {link}",
        "[Member Platform] Your company's capability and capacity information is over 6 months old. Please update it: {link}",
    ),
    (
        "notice.member_terminated",
        "[멤버 플랫폼] 이용계약이 해지되었습니다. 사유: {cause} — {reason}. {until}까지 로그인하여 데이터를 조회(읽기 전용)할 수 있습니다.",
        "[Member Platform] Your membership was terminated. Cause: {cause} — {reason}. Until {until} you can sign in to read your data (read-only).",
    ),
    (
        "subject.member_terminated",
        "[멤버 플랫폼] 이용계약 해지 안내",
        "[Member Platform] Your membership was terminated",
    ),
    (
        "detail.termination_not_member",
        "이용 중인 회원사만 해지할 수 있습니다. 가입 신청은 심사에서 거절해 주세요.",
        "Only a member in service can be terminated; an application is rejected in review.",
    ),
    ("termination.false_information", "허위 정보 또는 비실명 가입", "false information or name"),
    ("termination.crime", "범죄적 행위 관련", "involvement in crime"),
    ("termination.public_harm", "공익을 저해하는 이용", "use against the public interest"),
    ("termination.stolen_account", "타인의 아이디·비밀번호 도용", "someone else's ID or password used"),
    ("termination.defamation", "타인의 명예 손상", "harm to another's reputation"),
    ("termination.duplicate_registration", "다른 아이디로 이중 등록", "registered twice under another ID"),
    ("termination.service_harm", "서비스의 건전한 이용 저해", "harm to the service"),
    ("termination.terms_violation", "이용조건 위반", "terms of use broken"),
    ("termination.unpaid_fees", "이용요금 미납", "fees unpaid"),
    ("termination.insolvency", "파산·부도 등", "insolvency"),
];
