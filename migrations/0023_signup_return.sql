-- Issue 22 (nobody gets stuck in signup).
-- A code sent before a resend keeps working until it expires: the
-- applicant may type the first code while the second is on its way.
ALTER TABLE phone_codes ADD COLUMN previous_hash TEXT;
ALTER TABLE phone_codes ADD COLUMN previous_expires_at TEXT;

-- An application on hold is fixed and resubmitted: each save while on
-- hold is kept (which step, which fields or document kinds, when), so the
-- reviewer sees what changed. Names only, never the values.
CREATE TABLE application_changes (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  step TEXT NOT NULL,
  fields TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX application_changes_member ON application_changes (member_id, at);
