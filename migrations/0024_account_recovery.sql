-- Issue 22: finding one's login ID and setting a new password by the
-- mobile number verified at signup. One row per number (its blind index):
-- the latest code (hashed) with its counters, then the one-time ticket a
-- right code gives (hashed). Purged by the sweep a day after both expire.
CREATE TABLE recovery_codes (
  phone_bidx TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  tries INTEGER NOT NULL DEFAULT 0,
  sent_at TEXT NOT NULL,
  sent_day TEXT NOT NULL,
  sent_today INTEGER NOT NULL DEFAULT 1,
  ticket_hash TEXT,
  ticket_until TEXT
);
