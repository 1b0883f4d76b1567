-- Disputes, stage 3 (rule D3): either party refers the case to the Korean
-- Commercial Arbitration Board (KCAB); the platform records who referred
-- it and when, closes its own process, and keeps the filing pack it made
-- for the parties (one JSON document and its Korean rendering, sealed in
-- the bucket at `disputes/<id>/pack.json` and `.html`), with the pack's
-- SHA-256 so a party can show it was not altered.
ALTER TABLE disputes ADD COLUMN referred_at TEXT;
ALTER TABLE disputes ADD COLUMN referred_by TEXT;
ALTER TABLE disputes ADD COLUMN pack_sha256 TEXT;
ALTER TABLE disputes ADD COLUMN pack_html_sha256 TEXT;

-- D4: an objection to the platform's own handling (of a dispute, or of a
-- restriction under D5), answered by an owner within 15 KST days (seed 000
-- §9: the platform answers a request about disputes within 15 days; a
-- clock, `platform_objection`). The member's words and the answer sealed.
CREATE TABLE platform_objections (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  dispute_id TEXT,
  restriction_id TEXT,
  text TEXT NOT NULL,
  due_by TEXT NOT NULL,
  answer TEXT,
  answered_at TEXT,
  answered_by TEXT,
  flagged_at TEXT,
  retention_class TEXT NOT NULL DEFAULT 'dispute_3y',
  created_at TEXT NOT NULL
);
CREATE INDEX platform_objections_member ON platform_objections(member_id, created_at);
CREATE INDEX platform_objections_open ON platform_objections(due_by) WHERE answered_at IS NULL;
