-- Rule A9: the monthly access-log review and the quarterly self-audit, as
-- the report jobs stored them (ids, counts and operation names only).
CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('review', 'audit')),
  period TEXT NOT NULL,
  from_at TEXT NOT NULL,
  to_at TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX reports_period ON reports(from_at);
