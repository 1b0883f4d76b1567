-- Issue 22 (nobody gets stuck in signup).
-- A code sent before a resend keeps working until it expires: the
-- applicant may type the first code while the second is on its way.
ALTER TABLE phone_codes ADD COLUMN previous_hash TEXT;
ALTER TABLE phone_codes ADD COLUMN previous_expires_at TEXT;
