-- Rule A3: the personal-data access log becomes a hash chain like the audit
-- log (migration 0001): requests append entries without contention, the
-- sweep seals them in `seq` order, and a sealed entry never changes.
ALTER TABLE access_log ADD COLUMN prev_hash TEXT;
ALTER TABLE access_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX access_log_prev_hash ON access_log(prev_hash);
CREATE INDEX access_log_unsealed ON access_log(seq) WHERE hash IS NULL;
CREATE INDEX access_log_at ON access_log(at);
CREATE INDEX audit_log_at ON audit_log(at);
DROP TRIGGER access_log_no_update;
CREATE TRIGGER access_log_seal_only BEFORE UPDATE ON access_log
  WHEN OLD.hash IS NOT NULL OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at
    OR NEW.admin_id IS NOT OLD.admin_id OR NEW.admin_role IS NOT OLD.admin_role
    OR NEW.client_ip_enc IS NOT OLD.client_ip_enc OR NEW.subject IS NOT OLD.subject
    OR NEW.what IS NOT OLD.what OR NEW.why IS NOT OLD.why
  BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;

-- Destroying a chain's oldest entries (rule R2) keeps the hash of the last
-- one destroyed in its log entry: verification starts there, so entries
-- removed without a destruction run break the chain.
ALTER TABLE destruction_log ADD COLUMN chain_hash TEXT;
-- Audit entries destroyed before anchors were kept: the oldest sealed
-- entry left links to the last of them, the anchor they would have left.
UPDATE destruction_log SET chain_hash =
  (SELECT prev_hash FROM audit_log WHERE hash IS NOT NULL ORDER BY seq LIMIT 1)
WHERE seq = (SELECT MAX(seq) FROM destruction_log WHERE what = 'audit_log');
-- The destruction log is the proof of erasure: append-only, but for its
-- anchor, set once in the batch that writes the entry.
CREATE TRIGGER destruction_log_anchor_only BEFORE UPDATE ON destruction_log
  WHEN OLD.chain_hash IS NOT NULL OR NEW.seq IS NOT OLD.seq OR NEW.job_id IS NOT OLD.job_id
    OR NEW.day IS NOT OLD.day OR NEW.class IS NOT OLD.class OR NEW.what IS NOT OLD.what
    OR NEW.fields IS NOT OLD.fields OR NEW.rows IS NOT OLD.rows OR NEW.cutoff IS NOT OLD.cutoff
    OR NEW.at IS NOT OLD.at
  BEGIN SELECT RAISE(ABORT, 'destruction_log is append-only'); END;
CREATE TRIGGER destruction_log_no_delete BEFORE DELETE ON destruction_log
  BEGIN SELECT RAISE(ABORT, 'destruction_log is append-only'); END;
