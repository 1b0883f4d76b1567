-- The retention schedule as data (rule R1) and the record of what the daily
-- destruction job destroyed (R2).
--
-- One row per record class (`personal_data::RecordClass`: every registered
-- column names one, and a test fails when a class has no row here): the
-- event its period runs from, the period (months and days; no months: kept
-- without limit), what happens at its end, and the law or promise that sets
-- it. Expiry is the start instant plus the period; the daily job
-- (`privacy/r2_destruction.rs`) takes what expired by its KST day, so
-- nothing outlives its expiry by more than the day the job waits for (the
-- seeds promise 5 days).
CREATE TABLE retention_schedule (
  class TEXT PRIMARY KEY,
  starts TEXT NOT NULL,
  months INTEGER,
  days INTEGER NOT NULL DEFAULT 0,
  action TEXT NOT NULL CHECK (action IN ('erase','separate','pseudonymise','keep_minimal')),
  basis_ko TEXT NOT NULL,
  basis_en TEXT NOT NULL
);
INSERT INTO retention_schedule (class, starts, months, days, action, basis_ko, basis_en) VALUES
 ('membership', 'member_closed', 0, 0, 'erase',
  '회원 탈퇴 시 지체 없이 파기 (개인정보 보호법 제21조; 개인정보처리방침)',
  'Destroyed without delay at withdrawal (PIPA art. 21; privacy policy)'),
 ('fraud_prevention_1y', 'member_closed', 12, 0, 'erase',
  '부정 이용 방지: 탈퇴 후 1년간 아이디, 사업자등록번호, 대표 연락처 보관 (개인정보처리방침)',
  'Fraud prevention: the ID, business number and representative contacts kept 1 year after withdrawal (privacy policy)'),
 ('account_key', 'member_closed', NULL, 0, 'keep_minimal',
  '권리 침해 방지: 탈퇴 회원의 회원 키와 사업자등록번호는 기한 없이 보관, 아이디는 재사용 불가 (이용약관; 개인정보처리방침)',
  'Preventing rights infringement: a withdrawn member''s account key and business number kept without limit; its ID never reused (terms; privacy policy)'),
 ('consent', 'member_closed', 12, 0, 'erase',
  '동의 증빙: 회원 자격과 함께 보관, 탈퇴 후 1년 (개인정보 보호법 제22조)',
  'Evidence of consent: kept with the membership, then 1 year after withdrawal (PIPA art. 22)'),
 ('contract_5y', 'contract_ended', 60, 0, 'erase',
  '계약 또는 청약철회 등에 관한 기록 5년 (전자상거래법 시행령 제6조)',
  'Records of contracts and withdrawals of offers: 5 years (E-Commerce Act Enforcement Decree art. 6)'),
 ('dispute_3y', 'case_closed', 36, 0, 'erase',
  '소비자의 불만 또는 분쟁처리에 관한 기록 3년 (전자상거래법 시행령 제6조)',
  'Records of complaints and dispute handling: 3 years (E-Commerce Act Enforcement Decree art. 6)'),
 ('moderation', 'case_closed', 36, 0, 'erase',
  '게시물 검토 및 분쟁처리에 관한 기록 3년 (전자상거래법 시행령 제6조)',
  'Records of content review and dispute handling: 3 years (E-Commerce Act Enforcement Decree art. 6)'),
 ('attendance', 'member_closed', 12, 0, 'erase',
  '이용계약 종료 후 1년간 열람 제공 후 파기 (서비스 이용약관 제19조 제7항)',
  'Read-only access for 1 year after the service contract ends, then destroyed (terms of service art. 19(7))'),
 ('access_log', 'recorded', 24, 0, 'erase',
  '개인정보처리시스템 접속기록 최소 1년, 5만 명 이상 처리 시 2년 (개인정보의 안전성 확보조치 기준 제8조)',
  'Access log of personal-data processing: at least 1 year, 2 years above 50,000 data subjects (Standard for Securing Personal Information art. 8)'),
 ('notice', 'delivered', 0, 7, 'erase',
  '발송 확인 후 7일 (발송 장애 대응)',
  '7 days after delivery (to handle delivery problems)'),
 ('transient', 'expired', 0, 0, 'erase',
  '목적 달성 시 (세션, 인증번호, 멱등 키, 요청 한도)',
  'When its purpose ends (sessions, codes, idempotency keys, rate windows)'),
 ('staff', 'staff_removed', 12, 0, 'erase',
  '직원 계정: 퇴직 후 1년 (내부 관리계획)',
  'Staff accounts: 1 year after removal (internal management plan)'),
 ('advertising_6m', 'sent', 6, 0, 'erase',
  '표시·광고에 관한 기록 6개월 (전자상거래법 시행령 제6조)',
  'Records of labelling and advertising: 6 months (E-Commerce Act Enforcement Decree art. 6)');

-- What each destruction run destroyed: counts and field names per class and
-- table, never contents (proof of erasure).
CREATE TABLE destruction_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id TEXT NOT NULL,
  day TEXT NOT NULL,
  class TEXT NOT NULL,
  what TEXT NOT NULL,
  fields TEXT NOT NULL,
  rows INTEGER NOT NULL,
  cutoff TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX destruction_log_day ON destruction_log(day, seq);

-- The access log and the audit chain stay append-only, but for the
-- destruction of what expired: a delete passes only right after the
-- destruction log's entry for its table (written first in the same batch),
-- and only for entries at or before that entry's cutoff. Every deletion is
-- thus logged, and nothing younger than its period can go.
DROP TRIGGER access_log_no_delete;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
WHEN NOT EXISTS (SELECT 1 FROM destruction_log d
  WHERE d.seq = (SELECT MAX(seq) FROM destruction_log) AND d.what = 'access_log' AND OLD.at <= d.cutoff)
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM destruction_log d
  WHERE d.seq = (SELECT MAX(seq) FROM destruction_log) AND d.what = 'audit_log' AND OLD.at <= d.cutoff)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- A closed member's data goes in stages: what membership alone needed
-- (`erased_at`), the fraud-prevention keep after a year (`minimised_at`),
-- its sites, terminals and attendance in its shard (`attendance_erased_at`).
ALTER TABLE members ADD COLUMN erased_at TEXT;
ALTER TABLE members ADD COLUMN minimised_at TEXT;
ALTER TABLE members ADD COLUMN attendance_erased_at TEXT;
CREATE INDEX members_closed ON members(status, closed_at) WHERE status = 'withdrawn';

-- A processing suspension granted (rule P7): from then the member is not
-- proposed to clients nor sent marketing.
ALTER TABLE members ADD COLUMN processing_suspended_at TEXT;
