-- Uploads whose write failed (rule R2: orphaned documents). A request
-- records its blob's key here before putting the bytes in the blob store;
-- the batch that commits the write clears the record, and a batch that
-- fails deletes the blob and then the record. What is left (the request
-- ended between the two) is the daily destruction run's: a record a day
-- old names a blob no row refers to (class `failed_write`).
CREATE TABLE blob_intents (
  key TEXT PRIMARY KEY,
  at TEXT NOT NULL
);
CREATE INDEX blob_intents_at ON blob_intents(at);

INSERT INTO retention_schedule (class, starts, months, days, action, basis_ko, basis_en) VALUES
 ('failed_write', 'failed', 0, 1, 'erase',
  '저장에 실패한 업로드와 실패한 작업의 중간 파일: 실패 다음 날 파기 (개인정보 보호법 제21조: 목적 달성 시 파기)',
  'Uploads whose write failed, and the part files of a failed job: destroyed the day after (PIPA art. 21: destroyed once the purpose ends)');
