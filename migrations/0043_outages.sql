-- Outages and announced maintenance (rule B4, seed 003 §31②), recorded by
-- billing staff: an outage counts from when the member told the platform
-- or the platform knew, whichever was first (`starts_at`), to its end; for
-- every member (`member_id` NULL) or one. Maintenance announced before it
-- began (`announced_at`) is not outage time. The note is sealed (a person
-- wrote it).
CREATE TABLE outages (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('outage', 'maintenance')),
  member_id TEXT REFERENCES members(id),
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  announced_at TEXT,
  note TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (ends_at > starts_at),
  CHECK (kind = 'outage' OR announced_at IS NOT NULL)
);
CREATE INDEX outages_time ON outages(ends_at, starts_at);
