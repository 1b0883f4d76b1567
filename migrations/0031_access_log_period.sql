-- Rule R1 (Standard for Securing Personal Information art. 8): the access
-- log is kept a year, two once 50,000 or more data subjects are held. The
-- row keeps the shorter period; the destruction run counts the people
-- whose data is held (contact persons, site managers, attendance workers)
-- and keeps it 24 months from 50,000 (`r2_destruction::access_log_months`).
-- The audit log of staff actions, in the same class, stays 24 months
-- (`r2_destruction::AUDIT_LOG_MONTHS`).
UPDATE retention_schedule SET months = 12,
  basis_ko = '개인정보처리시스템 접속기록 1년, 정보주체 5만 명 이상이면 2년 (개인정보의 안전성 확보조치 기준 제8조; 파기 실행 때 보유 인원을 셉니다), 운영자 감사 기록은 2년',
  basis_en = 'Access log of personal-data processing: 1 year, 2 years from 50,000 data subjects (Standard for Securing Personal Information art. 8; each destruction run counts the people held); the audit log of staff actions 2 years'
WHERE class = 'access_log';
