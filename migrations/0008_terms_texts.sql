-- The text of each document an applicant consents to (rule S2), in Korean
-- and English, served by GET /terms with its version: a page shows exactly
-- the version it then sends back. A new version is a new row (and the old
-- one's `current` cleared) in a later migration; texts are never edited in
-- place, so every consent record points at the words it agreed to.
ALTER TABLE terms_documents ADD COLUMN title_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE terms_documents ADD COLUMN title_en TEXT NOT NULL DEFAULT '';
ALTER TABLE terms_documents ADD COLUMN text_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE terms_documents ADD COLUMN text_en TEXT NOT NULL DEFAULT '';
-- The order a page shows them in (required first).
ALTER TABLE terms_documents ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE terms_documents SET position = CASE kind
  WHEN 'terms_of_service' THEN 1 WHEN 'privacy_collection' THEN 2
  WHEN 'marketing_email' THEN 3 WHEN 'marketing_sms' THEN 4 ELSE 9 END;

UPDATE terms_documents SET
  title_ko = '이메일 광고성 정보 수신 동의 (선택)',
  title_en = 'Consent to receive advertising by e-mail (optional)',
  text_ko = '플랫폼의 새 기능, 행사, 제휴 혜택 안내를 이메일로 받습니다. 동의하지 않아도 가입과 서비스 이용에 제한이 없으며, 언제든 철회할 수 있습니다. 이용 목적: 광고성 정보 발송. 보유 기간: 동의 철회 또는 회원 탈퇴 시까지.',
  text_en = 'Receive news of the Platform''s new features, events and partner offers by e-mail. Signing up and using the service do not depend on it, and you may withdraw it at any time. Purpose: sending advertising. Kept until you withdraw the consent or your membership.'
WHERE kind = 'marketing_email' AND version = '2026-01-01';

UPDATE terms_documents SET
  title_ko = '문자·카카오 알림톡 광고성 정보 수신 동의 (선택)',
  title_en = 'Consent to receive advertising by text message or KakaoTalk (optional)',
  text_ko = '플랫폼의 새 기능, 행사, 제휴 혜택 안내를 문자 메시지 또는 카카오 알림톡으로 받습니다. 동의하지 않아도 가입과 서비스 이용에 제한이 없으며, 언제든 철회할 수 있습니다. 이용 목적: 광고성 정보 발송. 보유 기간: 동의 철회 또는 회원 탈퇴 시까지.',
  text_en = 'Receive news of the Platform''s new features, events and partner offers by text message or KakaoTalk. Signing up and using the service do not depend on it, and you may withdraw it at any time. Purpose: sending advertising. Kept until you withdraw the consent or your membership.'
WHERE kind = 'marketing_sms' AND version = '2026-01-01';

UPDATE terms_documents SET
  title_ko = '개인정보 수집·이용 동의 (필수)',
  title_en = 'Consent to the collection and use of personal information (required)',
  text_ko = '## 수집 항목
담당자 이름, 휴대전화 번호, 이메일 주소, 아이디, 비밀번호(복원할 수 없게 변환하여 보관), 회사 정보와 제출 서류, 접속 기록(IP 주소와 시각).

## 이용 목적
회원 가입 심사와 본인 확인, 서비스 제공과 계약 이행, 요금 청구, 분쟁 해결, 법령상 의무 이행.

## 보유 기간
회원 탈퇴 또는 계약 종료 시까지. 다만 계약·청약 철회 기록과 대금 결제 기록은 5년, 소비자 불만·분쟁 처리 기록은 3년, 접속 기록은 1년 이상 관련 법령이 정한 기간 동안 보관한 뒤 파기합니다.

## 안전 조치
개인정보는 암호화하여 저장하며, 처리하는 직원의 접근은 기록됩니다.

## 동의 거부 권리
동의를 거부할 수 있으나, 이 항목은 가입에 필요하므로 거부하면 가입할 수 없습니다. 열람·정정·삭제·처리정지는 언제든 요청할 수 있습니다.',
  text_en = '## What is collected
The contact person''s name, mobile number, e-mail address, login ID, password (kept only in a form that cannot be reversed), company information and submitted documents, and access records (IP address and time).

## Why
Reviewing the application and confirming identity, providing the service and performing contracts, billing, settling disputes, and duties under the law.

## How long
Until withdrawal or the end of the contract. Records of contracts and payments are kept for 5 years, records of complaints and disputes for 3 years, and access records for at least 1 year, as the law requires, and then destroyed.

## Safeguards
Personal information is stored encrypted, and every access by staff is recorded.

## Your right to refuse
You may refuse, but this consent is needed to sign up, so without it you cannot. You may ask at any time to see, correct, delete or stop the processing of your information.'
WHERE kind = 'privacy_collection' AND version = '2026-01-01';

UPDATE terms_documents SET
  title_ko = '멤버 플랫폼 이용약관',
  title_en = 'Member Platform Terms of Service',
  text_ko = '## 제1조 (목적)
이 약관은 멤버 플랫폼(이하 "플랫폼")이 제공하는 기업 간 외주·협력 중개 서비스와 근태 관리 서비스의 이용 조건과 절차, 회원과 플랫폼의 권리·의무를 정합니다.

## 제2조 (회원 가입)
1. 회원은 사업자등록을 한 법인 또는 개인사업자로서, 약관 동의, 담당자 정보, 회사 정보, 필요 서류 제출의 순서로 가입을 신청합니다.
2. 플랫폼은 제출된 정보와 서류를 심사하여 승인, 승낙 유보 또는 거절을 결정하고 그 사유를 알립니다. 허위 정보, 타인 명의, 실명이 아닌 신청, 법령 위반 목적의 신청은 거절할 수 있습니다.
3. 승인 후 시범 매칭(최대 5회, 면제 가능)과 시스템 이용료 결제를 거쳐 멤버십 계약이 완료되면 서비스를 이용할 수 있습니다.

## 제3조 (회원 정보의 관리)
회원은 가입 시 입력한 회사 역량·수용력 정보를 최신으로 유지해야 하며, 6개월이 지난 정보는 갱신을 요청받을 수 있습니다. 아이디는 탈퇴 후에도 다시 사용할 수 없습니다.

## 제4조 (매칭과 계약)
1. 플랫폼은 회원이 등록한 정보를 바탕으로 설명 가능한 기준에 따라 협력 상대를 제안합니다.
2. 회원 간 계약은 플랫폼을 통해 체결하며, 계약의 각 판본은 변경할 수 없게 기록됩니다. 플랫폼 밖에서 직접 거래한 사실이 확인되면 해당 매칭 성공 수수료의 200%를 부담합니다.
3. 회원은 계약상 지위를 제3자에게 양도할 수 없습니다.

## 제5조 (요금)
시스템 이용료와 카테고리별 성공 수수료는 가입 과정과 요금 안내에 표시된 금액에 따르며, 매월 한국 표준시 기준으로 청구됩니다.

## 제6조 (분쟁 해결)
회원 간 분쟁은 당사자 협의, 플랫폼 조정, 외부 조정·소송의 3단계로 해결합니다.

## 제7조 (이용 제한과 해지)
요금 미납, 허위 정보, 약관 위반이 있는 경우 플랫폼은 사유를 알리고 서비스 이용을 제한하거나 계약을 해지할 수 있습니다.

## 부칙
이 약관은 2026년 1월 1일부터 시행합니다.',
  text_en = '## Article 1 (Purpose)
These terms set out the conditions and procedures for using the business-to-business outsourcing and partnership brokerage service and the attendance service of the Member Platform (the "Platform"), and the rights and duties of members and the Platform.

## Article 2 (Membership)
1. Members are registered businesses (corporations or sole proprietors). They apply in order: consent to the terms, contact person, company information, required documents.
2. The Platform reviews the information and documents submitted and approves, holds or rejects the application, stating the reason. An application with false information, in another''s name, not in the real name, or for an unlawful purpose may be rejected.
3. After approval, the service can be used once the trial matchings (up to five, may be waived) and the payment of the system fee complete the membership contract.

## Article 3 (Member information)
Members keep the capability and capacity information they entered up to date; information older than six months may be asked to be updated. A login ID is never reused, even after withdrawal.

## Article 4 (Matching and contracts)
1. The Platform proposes partners on explainable criteria from the information members registered.
2. Contracts between members are made through the Platform, and every version of a contract is recorded unalterably. A member found to have dealt directly outside the Platform owes 200% of that matching''s success fee.
3. Members may not assign their position under a contract to a third party.

## Article 5 (Fees)
The system fee and the success-fee rate of each category are as shown during signup and in the fee guide, billed monthly in Korea Standard Time.

## Article 6 (Disputes)
Disputes between members are settled in three stages: agreement between the parties, mediation by the Platform, then external mediation or the courts.

## Article 7 (Restriction and termination)
For unpaid fees, false information or a breach of these terms, the Platform may restrict the service or terminate the contract, stating the reason.

## Addendum
These terms take effect on 1 January 2026.'
WHERE kind = 'terms_of_service' AND version = '2026-01-01';
