//! Korean and English texts of the privacy desk's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
    ("privacy.kind.access", "열람", "access"),
    ("privacy.kind.correction", "정정", "correction"),
    ("privacy.kind.deletion", "삭제", "deletion"),
    ("privacy.kind.suspension", "처리정지", "processing suspension"),
    ("privacy.kind.marketing_email", "이메일 광고 수신 동의 철회", "withdrawal of consent to marketing e-mail"),
    ("privacy.kind.marketing_sms", "문자 광고 수신 동의 철회", "withdrawal of consent to marketing texts"),
    ("privacy.kind.withdrawal", "회원 탈퇴", "account withdrawal"),
    ("privacy.state.completed", "처리 완료", "done"),
    ("privacy.state.partially_refused", "일부 거절", "partly refused"),
    ("privacy.state.refused", "거절", "refused"),
    (
        "detail.privacy_request_open",
        "같은 종류의 요청이 이미 처리 중입니다. 그 요청의 결과를 기다려 주세요.",
        "A request of this kind is already being handled. Please wait for its answer.",
    ),
    (
        "detail.privacy_request_closed",
        "이미 처리가 끝난 요청입니다.",
        "This request has already been closed.",
    ),
    (
        "detail.privacy_request_changed",
        "그 사이 요청이 바뀌었습니다. 다시 불러온 뒤 시도해 주세요.",
        "The request changed in the meantime. Reload it and try again.",
    ),
    (
        "field.privacy_kind",
        "요청 종류를 골라 주세요: 열람, 정정, 삭제, 처리정지, 광고 수신 동의 철회(이메일·문자), 회원 탈퇴",
        "Choose the kind of request: access, correction, deletion, suspension, marketing withdrawal (e-mail, text) or account withdrawal",
    ),
    (
        "field.privacy_delay_day",
        "새 기한은 지금 기한보다 뒤이고, 접수일로부터 60일 안이어야 합니다",
        "The new day must be after the current one and within 60 days of receipt",
    ),
    (
        "field.privacy_refusal_reason",
        "거절하거나 일부만 처리할 때는 그 이유를 적어야 합니다",
        "A refusal, whole or in part, needs its reason",
    ),
    (
        "field.privacy_legal_basis",
        "거절의 근거가 되는 법령을 적어 주세요",
        "Name the law the refusal rests on",
    ),
    (
        "field.privacy_correction_missing",
        "정정 요청을 처리하려면 바로잡을 값(담당자 이름, 휴대전화, 이메일)을 하나 이상 적어 주세요",
        "To complete a correction, give at least one corrected value (contact name, mobile, e-mail)",
    ),
    (
        "field.privacy_correction_not_here",
        "정정 값은 정정 요청을 처리하거나 일부 처리할 때만 적을 수 있습니다",
        "Corrected values go only with a correction that is done in full or in part",
    ),
    (
        "notice.privacy_delayed",
        "[멤버 플랫폼] 개인정보 {kind} 요청의 처리 기한을 {day}(으)로 연장합니다. 사유: {reason} 요청 보기: {link}",
        "[Member Platform] Your personal data {kind} request will be answered by {day}. Reason: {reason} See it: {link}",
    ),
    (
        "notice.privacy_answered",
        "[멤버 플랫폼] 개인정보 {kind} 요청을 처리했습니다({outcome}). 결과와 이유를 확인해 주세요: {link}",
        "[Member Platform] Your personal data {kind} request was answered ({outcome}). See the answer and its reasons: {link}",
    ),
    (
        "notice.privacy_export_ready",
        "[멤버 플랫폼] 요청하신 개인정보 열람 자료가 준비되었습니다. {day}까지 로그인하여 내려받을 수 있습니다: {link}",
        "[Member Platform] The copy of your personal data you asked for is ready. Sign in to download it by {day}: {link}",
    ),
    (
        "privacy.export_answer",
        "보유한 개인정보 전체를 전자 파일(JSON)과 열람 통지 표지로 준비했습니다. {day}까지 내려받을 수 있습니다.",
        "Everything held about you is ready as a file (JSON) with its access-notice cover. You can download it until {day}.",
    ),
    (
        "detail.privacy_export_building",
        "열람 자료를 아직 만드는 중입니다. 잠시 뒤 다시 시도해 주세요.",
        "The copy is still being made. Try again shortly.",
    ),
    (
        "detail.privacy_export_expired",
        "내려받기 기한이 지나 열람 자료를 파기했습니다. 필요하면 열람을 다시 요청해 주세요.",
        "The download period ended and the copy was destroyed. Ask for access again if you need it.",
    ),
    (
        "detail.privacy_not_deletion",
        "삭제 요청에만 삭제 계획이 있습니다.",
        "Only a deletion request has a deletion plan.",
    ),
    (
        "detail.privacy_deletion_blocked",
        "진행 중인 계약이나 분쟁이 있어 지금은 삭제할 수 없습니다. 그것이 끝난 뒤 처리하거나, 기한을 연장하거나, 이유와 근거를 들어 거절해 주세요.",
        "An open contract or dispute blocks the deletion. Execute it once it ends, delay the answer, or refuse with the reason and the law.",
    ),
    ("privacy.class.fraud_prevention_1y", "부정 이용 방지용 아이디·담당자 연락처", "the ID and contacts kept against fraud"),
    ("privacy.class.consent", "동의 기록", "consent records"),
    ("privacy.class.account_key", "탈퇴한 아이디(재사용 방지)", "the retired ID (never reused)"),
    ("privacy.class.contract_5y", "계약·거래 기록", "contract records"),
    ("privacy.class.dispute_3y", "요청·신고 처리 기록", "records of requests and reports"),
    ("privacy.class.attendance", "현장·근태 기록", "sites and attendance"),
    ("privacy.class.access_log", "개인정보 접속기록", "the personal-data access log"),
    (
        "field.terms_notice",
        "바뀐 약관은 공지한 날부터 7일이 지난 뒤에 적용할 수 있습니다",
        "A change may apply no sooner than 7 days after it is announced",
    ),
    (
        "field.terms_important_notice",
        "중요한 변경은 공지한 날부터 30일이 지난 뒤에 적용할 수 있습니다",
        "An important change may apply no sooner than 30 days after it is announced",
    ),
    (
        "detail.terms_waiting",
        "이 문서에는 이미 적용을 기다리는 새 버전이 있습니다.",
        "A new version of this document is already waiting to apply.",
    ),
    (
        "notice.terms_changed",
        "[멤버 플랫폼] {title}이(가) {day}부터 바뀝니다. 주요 내용: {summary} 전문 보기: {link}",
        "[Member Platform] {title} changes from {day}. What changes: {summary} Read it: {link}",
    ),
    (
        "notice.terms_changed_reconsent",
        "[멤버 플랫폼] {title}이(가) {day}부터 바뀝니다. 주요 내용: {summary} 바뀐 내용에 다시 동의해 주셔야 합니다: {link}",
        "[Member Platform] {title} changes from {day}. What changes: {summary} Your consent is needed again: {link}",
    ),
    (
        "subject.terms_changed",
        "[멤버 플랫폼] 약관·방침 변경 안내",
        "[Member Platform] A change to our terms",
    ),
    ("title.gone", "더 이상 없습니다", "Gone"),
    (
        "subject.privacy_request",
        "[멤버 플랫폼] 개인정보 요청 처리 안내",
        "[Member Platform] Your personal data request",
    ),

    (
        "detail.withdrawal_open_contracts",
        "진행 중인 계약이 있어 탈퇴할 수 없습니다. 계약을 마치거나 해지한 뒤 다시 요청해 주세요.",
        "The account cannot close while a contract is open. Finish or cancel the open contracts, then ask again.",
    ),
    (
        "notice.account_withdrawn",
        "[멤버 플랫폼] 회원 탈퇴가 처리되었습니다. 아이디 {login_id}은(는) 다시 쓸 수 없으며, 남은 정보는 보존 기간이 지나면 파기됩니다.",
        "[Member Platform] Your account is closed. The login ID {login_id} can never be used again; what remains is destroyed when its retention period ends.",
    ),
    (
        "subject.account_withdrawn",
        "[멤버 플랫폼] 회원 탈퇴 처리 안내",
        "[Member Platform] Your account is closed",
    ),
    (
        "notice.marketing",
        "(광고) [멤버 플랫폼] {text}\n\n무료 수신 거부: {link}",
        "(Ad) [Member Platform] {text}\n\nStop these, free of charge: {link}",
    ),
    (
        "subject.marketing",
        "(광고) [멤버 플랫폼] 새 소식",
        "(Ad) [Member Platform] News",
    ),
    (
        "field.marketing_channel",
        "보낼 방법을 골라 주세요: email 또는 sms",
        "Choose how to send it: email or sms",
    ),
    (
        "detail.job_params_invalid",
        "작업의 설정을 읽을 수 없습니다.",
        "The job's settings cannot be read.",
    ),
    (
        "field.chain_after",
        "이 순번의 기록이 없습니다. 처음부터 다시 확인해 주세요.",
        "No entry has this number; verify from the start again.",
    ),
    ("privacy.proxy.legal_representative", "법정대리인", "legal representative"),
    ("privacy.proxy.delegate", "위임받은 대리인", "delegate"),
    (
        "field.privacy_member_unknown",
        "그런 회원이 없습니다. 회원 목록에서 회원 ID를 확인해 주세요",
        "No member has this ID. Check it in the member list",
    ),
    (
        "field.privacy_channel",
        "요청이 들어온 방법을 골라 주세요: written(서면), email(이메일), phone(전화)",
        "Choose how the request came in: written, email or phone",
    ),
    (
        "field.privacy_code_to",
        "인증번호를 보낼 곳을 골라 주세요: sms(등록된 휴대전화) 또는 email(등록된 이메일)",
        "Choose where the code goes: sms (the mobile on file) or email (the address on file)",
    ),
    (
        "field.privacy_no_contact",
        "이 회원에게는 그 연락처가 등록되어 있지 않습니다. 등록된 다른 연락처를 골라 주세요",
        "The member has no such contact point on file. Choose the other one",
    ),
    (
        "field.privacy_proxy_relationship",
        "대리인의 관계를 골라 주세요: legal_representative(법정대리인) 또는 delegate(위임받은 대리인)",
        "Choose the proxy's relationship: legal_representative or delegate",
    ),
    (
        "field.privacy_proxy_name",
        "대리인의 이름을 1~100자로 적어 주세요",
        "Give the proxy's name (1 to 100 characters)",
    ),
    (
        "detail.privacy_identity_not_pending",
        "본인 확인을 기다리는 요청이 아닙니다.",
        "This request is not waiting for an identity check.",
    ),
    (
        "detail.privacy_identity_pending",
        "요청인의 본인 확인이 끝나지 않았습니다. 확인되지 않으면 거절만 할 수 있습니다.",
        "The requester's identity is not verified yet. Until it is, the request can only be refused.",
    ),
    (
        "detail.privacy_poa_missing",
        "대리인의 요청입니다. 위임장을 먼저 첨부해 주세요.",
        "A proxy made this request. Attach the power of attorney first.",
    ),
    (
        "detail.privacy_no_proxy",
        "대리인이 없는 요청입니다. 위임장은 대리인의 요청에만 첨부합니다.",
        "No proxy made this request; a power of attorney goes only with a proxy's request.",
    ),
    (
        "notice.privacy_code",
        "[멤버 플랫폼] 개인정보 {kind} 요청 본인 확인 인증번호 {code} (30분 안에 담당자에게 알려 주세요. 요청하지 않으셨다면 알려 주지 마세요)",
        "[Member Platform] Identity code {code} for your personal data {kind} request (tell it to our privacy desk within 30 minutes; if you did not ask, do not)",
    ),
    (
        "notice.privacy_proxy_acted",
        "[멤버 플랫폼] {name}님이 {relationship}(으)로서 회원님의 개인정보 {kind} 요청을 하였고 위임장이 확인되었습니다. 본인이 원하지 않은 요청이라면 개인정보 보호책임자에게 알려 주세요.",
        "[Member Platform] {name}, as your {relationship}, made a personal data {kind} request for you; the power of attorney was checked. If you did not want this, tell our privacy officer.",
    ),
    (
        "detail.contacts_full",
        "담당자는 관리자 외에 20명까지 둘 수 있습니다. 퇴사한 담당자를 먼저 삭제해 주세요.",
        "A company has at most 20 contact persons besides its administrator. Remove one who left first.",
    ),
    (
        "detail.contact_exists",
        "이 이메일 주소의 담당자가 이미 있습니다.",
        "A contact person with this e-mail address is already listed.",
    ),
    (
        "detail.invite_invalid",
        "초대 링크가 올바르지 않거나 이미 사용되었습니다.",
        "This invitation link is not valid, or was used already.",
    ),
    (
        "detail.invite_expired",
        "초대 링크의 기한(72시간)이 지났습니다. 관리자에게 다시 초대해 달라고 요청해 주세요.",
        "This invitation expired (72 hours). Ask your administrator to invite you again.",
    ),
    (
        "detail.contact_removed_already",
        "이미 삭제된 담당자입니다.",
        "This contact person was removed already.",
    ),
    (
        "detail.contact_changed",
        "그 사이 담당자 정보가 바뀌었습니다. 다시 불러온 뒤 시도해 주세요.",
        "The contact person changed in the meantime. Reload and try again.",
    ),
    (
        "notice.contact_invited",
        "[멤버 플랫폼] {company}의 관리자가 회원님을 담당자로 추가했습니다. {hours}시간 안에 아이디와 비밀번호를 정해 주세요: {link}",
        "[Member Platform] The administrator of {company} added you as a contact person. Choose your login ID and password within {hours} hours: {link}",
    ),
    (
        "notice.contact_removed",
        "[멤버 플랫폼] {company}의 관리자가 회원님을 담당자에서 삭제했습니다. 이름, 휴대전화, 이메일, 비밀번호는 지웠고, 아이디 {login_id}는 다시 쓰이지 않도록 보관합니다.",
        "[Member Platform] The administrator of {company} removed you as a contact person. Your name, mobile, e-mail and password were erased; your login ID {login_id} is kept so that it is never reused.",
    ),
    (
        "contacts.kept_record",
        "담당자였다는 기록(번호, 상태, 날짜): 운영 기록이 이 번호를 가리킵니다",
        "That a contact person was listed (its number, state and days): the audit log refers to it",
    ),
    (
        "contacts.kept_login_id",
        "아이디: 다른 사람이 다시 쓰지 못하도록 기한 없이 보관합니다 (이용약관; 개인정보처리방침)",
        "The login ID: kept without limit so that nobody else ever uses it (terms; privacy policy)",
    ),
];
