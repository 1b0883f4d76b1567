-- Member signup (rules S1–S9), admins, sessions, idempotency, rate limits,
-- outbox and the audit chain. SQLite dialect: used unchanged by D1, Spin and
-- the native tests. Personal fields end in _enc (AES-GCM, rule A2) and are
-- looked up through _bidx blind indexes; nothing personal is stored plain.

-- Member kinds as data (SPEC Actors; seed 004): each kind's required and
-- optional company fields, as JSON arrays of field names.
CREATE TABLE member_kinds (
  kind TEXT PRIMARY KEY,
  name_ko TEXT NOT NULL,
  name_en TEXT NOT NULL,
  required_fields TEXT NOT NULL,
  optional_fields TEXT NOT NULL
);
INSERT INTO member_kinds VALUES
 ('partner', '파트너(공급사)', 'Partner (supplier)',
  '["company_name","business_number","representative_name","business_type","business_item","address","categories"]',
  '["revenue_krw","employees","founded_year","homepage"]'),
 ('client', '클라이언트(발주사)', 'Client (buyer)',
  '["company_name","business_number","representative_name","address"]',
  '["business_type","business_item","revenue_krw","employees","founded_year","homepage","categories"]');

-- Work categories and their success-fee rates in basis points (rule S4, B8).
CREATE TABLE categories (
  code TEXT PRIMARY KEY,
  name_ko TEXT NOT NULL,
  name_en TEXT NOT NULL,
  success_fee_bp INTEGER NOT NULL CHECK (success_fee_bp BETWEEN 0 AND 10000)
);
INSERT INTO categories VALUES
 ('software', '소프트웨어 개발', 'Software development', 1000),
 ('design', '디자인', 'Design', 1200),
 ('manufacturing', '제조', 'Manufacturing', 800),
 ('construction', '건설', 'Construction', 500),
 ('marketing', '마케팅', 'Marketing', 1500),
 ('consulting', '컨설팅', 'Consulting', 1000);

-- Versions of the documents an applicant consents to (rule S2, A8).
CREATE TABLE terms_documents (
  kind TEXT NOT NULL,
  version TEXT NOT NULL,
  required INTEGER NOT NULL,
  current INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (kind, version)
);
INSERT INTO terms_documents VALUES
 ('terms_of_service', '2026-01-01', 1, 1),
 ('privacy_collection', '2026-01-01', 1, 1),
 ('marketing_email', '2026-01-01', 0, 1),
 ('marketing_sms', '2026-01-01', 0, 1);

-- Companies the platform already knows ("search my company", rule S4).
CREATE TABLE company_directory (
  business_number TEXT PRIMARY KEY,
  company_name TEXT NOT NULL,
  business_type TEXT,
  business_item TEXT,
  founded_year INTEGER,
  homepage TEXT
);
CREATE INDEX company_directory_name ON company_directory(company_name);
INSERT INTO company_directory VALUES
 ('2208162517', '캐스팅엔 주식회사', '서비스업', '소프트웨어 개발', 2014, 'https://castingn.example'),
 ('1048112340', '한빛건설 주식회사', '건설업', '종합건설', 1998, NULL);

-- A member company from its first signup step on (rule S1). `step` is the
-- highest step completed: 1 terms, 2 contact, 3 company, 5 submitted; step 4
-- (documents) is complete when the required documents exist.
CREATE TABLE members (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL REFERENCES member_kinds(kind),
  status TEXT NOT NULL DEFAULT 'applying'
    CHECK (status IN ('applying','submitted','on_hold','rejected','approved','active','terminated','withdrawn')),
  step INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  login_id TEXT,
  password_hash TEXT,
  contact_name_enc TEXT,
  phone_enc TEXT,
  phone_bidx TEXT,
  phone_verified_at TEXT,
  email_enc TEXT,
  email_bidx TEXT,
  company_name TEXT,
  business_number TEXT,
  representative_name_enc TEXT,
  address_enc TEXT,
  company_json TEXT,
  categories TEXT,
  capability_updated_at TEXT,
  update_requested_at TEXT,
  decision TEXT,
  decision_reason TEXT,
  trials_waived INTEGER NOT NULL DEFAULT 0,
  fee_paid_reference TEXT,
  created_at TEXT NOT NULL,
  submitted_at TEXT,
  activated_at TEXT
);
-- Unique among live members (rule S4); applicants are checked at step 3 and
-- flagged (rule S9), approval makes it binding.
CREATE UNIQUE INDEX members_brn_live ON members(business_number) WHERE status IN ('approved','active');
CREATE INDEX members_brn ON members(business_number);
CREATE INDEX members_phone ON members(phone_bidx);
CREATE INDEX members_status ON members(status, submitted_at);

-- Login IDs are unique across members and never reused (rule S3; seed 000 §15):
-- an ID once taken by a withdrawn account stays here, retired.
CREATE TABLE login_ids (
  login_id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  retired_at TEXT
);
CREATE INDEX login_ids_member ON login_ids(member_id);

-- Consent records (rule S2): one row per document per consent act.
CREATE TABLE consents (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  document_kind TEXT NOT NULL,
  document_version TEXT NOT NULL,
  accepted INTEGER NOT NULL,
  at TEXT NOT NULL,
  ip_enc TEXT
);
CREATE INDEX consents_member ON consents(member_id);

-- Mobile verification codes (rule S3): hashed, 3-minute expiry, 5 tries.
CREATE TABLE phone_codes (
  member_id TEXT PRIMARY KEY REFERENCES members(id),
  code_hash TEXT NOT NULL,
  phone_bidx TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  tries INTEGER NOT NULL DEFAULT 0,
  sent_at TEXT NOT NULL,
  sent_day TEXT NOT NULL,
  sent_today INTEGER NOT NULL DEFAULT 1
);

-- Uploaded documents (rule S5); bytes live in the blob store.
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  kind TEXT NOT NULL CHECK (kind IN ('registration_certificate','brochure','portfolio')),
  content_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  blob_key TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX documents_member ON documents(member_id, kind);

-- Possible duplicate signups (rule S9), shown to reviewers.
CREATE TABLE signup_flags (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('same_business_number','same_phone')),
  other_member_id TEXT NOT NULL,
  at TEXT NOT NULL,
  UNIQUE (member_id, reason, other_member_id)
);

-- Review decisions (rule S6), every one with its reason.
CREATE TABLE reviews (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  admin_id TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('approve','hold','reject')),
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);

-- Trial matchings recorded by an admin until billing takes over (rule S7).
CREATE TABLE trial_matchings (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  reference TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  at TEXT NOT NULL,
  UNIQUE (member_id, reference)
);

-- System-fee payments (rule S7).
CREATE TABLE fee_payments (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  amount_krw INTEGER NOT NULL CHECK (amount_krw >= 0),
  reference TEXT NOT NULL UNIQUE,
  recorded_by TEXT NOT NULL,
  at TEXT NOT NULL
);

-- Platform staff (SPEC Actors, rule A4).
CREATE TABLE admins (
  id TEXT PRIMARY KEY,
  login_id TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('reviewer','mediator','privacy_officer','billing','auditor','owner')),
  created_at TEXT NOT NULL
);

-- Session tokens' IDs; logout revokes (rule A5).
CREATE TABLE sessions (
  jti TEXT PRIMARY KEY,
  principal_kind TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);

-- Fixed-window counters for rate limits (rule A6).
CREATE TABLE rate_limits (
  bucket TEXT PRIMARY KEY,
  window_start TEXT NOT NULL,
  count INTEGER NOT NULL
);

-- Stored responses of requests sent with an Idempotency-Key.
CREATE TABLE idempotency (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);

-- Transactional outbox of notices (SMS, email); written in the same batch as
-- the change it reports, delivered by the queue consumer.
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  member_id TEXT,
  channel TEXT NOT NULL CHECK (channel IN ('sms','email')),
  template TEXT NOT NULL,
  recipient_enc TEXT NOT NULL,
  body_enc TEXT NOT NULL,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX outbox_pending ON outbox(delivered_at, created_at);

-- Audit log (rules S6, A3, A4): append-only and tamper-evident. Requests
-- append rows without contention; the scheduled sweep seals them in `seq`
-- order into a hash chain (each hash covers the previous one). Triggers
-- refuse every DELETE and every UPDATE except sealing an unsealed row.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT UNIQUE,
  hash TEXT
);
CREATE TRIGGER audit_log_seal_only BEFORE UPDATE ON audit_log
  WHEN OLD.hash IS NOT NULL OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
    OR NEW.action IS NOT OLD.action OR NEW.subject IS NOT OLD.subject OR NEW.detail IS NOT OLD.detail
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Version guard for D1 batches (no interactive transactions): a write batch
-- inserts changes() of its conditional UPDATE here; anything but 1 aborts the
-- whole batch. Nothing is ever stored in the view.
CREATE VIEW expect_one_change AS SELECT 1 AS n WHERE 0;
CREATE TRIGGER expect_one_change_check INSTEAD OF INSERT ON expect_one_change
  WHEN NEW.n IS NOT 1
  BEGIN SELECT RAISE(ABORT, 'stale_version'); END;
