-- Access (rule P4) and deletion (P6, R3).
--
-- An access request starts a job that gathers everything held about the
-- requester from the registry's holdings (`personal_data::HOLDINGS`) into
-- one JSON file, sealed in the blob store; the requester downloads it until
-- `expires_at` (7 days after it was ready), then the daily destruction run
-- deletes the file and marks the row expired.
CREATE TABLE privacy_exports (
  request_id TEXT PRIMARY KEY REFERENCES privacy_requests(id),
  member_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'building' CHECK (state IN ('building','ready','expired')),
  blob_key TEXT NOT NULL,
  holdings INTEGER NOT NULL,
  rows INTEGER NOT NULL DEFAULT 0,
  ready_at TEXT,
  expires_at TEXT,
  -- the Korean cover: labels, counts and days, never values
  cover TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX privacy_exports_member ON privacy_exports(member_id, created_at);
CREATE INDEX privacy_exports_expiry ON privacy_exports(expires_at) WHERE state = 'ready';

-- Separated storage (R3): what a deletion (P6) may not erase yet because a
-- law keeps it, moved out of the live tables, sealed, with the law and the
-- last KST day it is kept; readable only by the privacy officer (each read
-- in the access log), destroyed by the daily run the day after.
CREATE TABLE separated_records (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  class TEXT NOT NULL,
  what TEXT NOT NULL,
  fields TEXT NOT NULL,
  data_enc TEXT NOT NULL,
  kept_until TEXT NOT NULL,
  moved_at TEXT NOT NULL
);
CREATE INDEX separated_records_member ON separated_records(member_id, moved_at);
CREATE INDEX separated_records_purge ON separated_records(kept_until);

-- The deletion plan a case was executed by: per holding, what was erased,
-- moved or kept, under which law until when (names and days, never values).
ALTER TABLE privacy_requests ADD COLUMN plan TEXT;

INSERT INTO retention_schedule (class, starts, months, days, action, basis_ko, basis_en) VALUES
 ('separated', 'kept_until', 0, 0, 'erase',
  '분리 보관: 법령이 정한 보존 기간의 마지막 날 다음 날 파기 (개인정보 보호법 제21조 제3항)',
  'Separated storage: destroyed the day after the last day a law keeps it (PIPA art. 21(3))'),
 ('access_copy', 'ready', 0, 7, 'erase',
  '열람용 사본: 준비된 후 7일간 내려받기 제공 후 파기 (개인정보 보호법 제35조)',
  'A copy for access: downloadable for 7 days after it is ready, then destroyed (PIPA art. 35)');
