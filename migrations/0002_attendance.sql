-- Sites, terminals and attendance ingestion (rules V1–V8).
-- Applied to the main database and, unchanged, to every attendance shard
-- (one set of migrations): members, sites and terminals live in the main
-- database; attendance_records rows live only in the shards.

-- Device count of the member's contract (V1) and suspension (V6).
ALTER TABLE members ADD COLUMN device_limit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN suspended_at TEXT;
ALTER TABLE members ADD COLUMN suspension_reason TEXT;

CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  name TEXT NOT NULL,
  manager_name_enc TEXT NOT NULL,
  manager_contact_enc TEXT NOT NULL,
  address_enc TEXT NOT NULL,
  services TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX sites_member ON sites(member_id);

-- A terminal's secret is sealed (AES-GCM); during a rotation the previous
-- secret stays valid until prev_valid_until.
CREATE TABLE terminals (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  site_id TEXT NOT NULL REFERENCES sites(id),
  name TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('webhook','adms')),
  serial TEXT UNIQUE,
  secret_enc TEXT,
  prev_secret_enc TEXT,
  prev_valid_until TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended')),
  last_seen_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX terminals_member ON terminals(member_id, created_at);

-- Webhook ids already accepted (Standard Webhooks deduplication).
CREATE TABLE webhook_receipts (
  terminal_id TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  records INTEGER NOT NULL,
  PRIMARY KEY (terminal_id, webhook_id)
);

-- Messages the queue gave up on (V4), for admins to see and replay.
CREATE TABLE dead_letters (
  id TEXT PRIMARY KEY,
  queue TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at TEXT NOT NULL,
  replayed_at TEXT
);

-- Test-only switches, honoured only when DEV_MODE is on (local dev).
CREATE TABLE dev_switches (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Attendance records (V2, V4): stored once per (terminal, event id).
-- worker_code is the terminal's pseudonymous code, never a name (V5: no
-- biometric template or image is ever stored, only the result).
CREATE TABLE attendance_records (
  terminal_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  site_id TEXT NOT NULL,
  worker_code TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('in','out')),
  method TEXT NOT NULL CHECK (method IN ('face','finger','card','pin')),
  result TEXT NOT NULL CHECK (result IN ('accepted','rejected')),
  terminal_time TEXT NOT NULL,
  kst_day TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (terminal_id, event_id)
) WITHOUT ROWID;
CREATE INDEX attendance_site_day ON attendance_records(site_id, kst_day, worker_code);

-- Spin has no queue: there, queue messages are stored here durably, in the
-- same SQLite database, and drained by the consumer logic (see README "Spin").
CREATE TABLE queue_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
