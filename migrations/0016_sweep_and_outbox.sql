-- The sweep's steps (kernel/sweep.rs): one row each, written in the step's
-- own write batch when it succeeds and apart when it fails; owners see
-- failing steps (GET /admin/background).
CREATE TABLE sweep_steps (
  step TEXT PRIMARY KEY,
  runs INTEGER NOT NULL DEFAULT 0,
  last_ok_at TEXT,
  last_count INTEGER,
  -- The most statements one run of the step wrote (its budget bounds it).
  most_written INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_failed_at TEXT
);

-- Outbox delivery (kernel/outbox.rs): a deliverer claims a row before it
-- sends (a sweep re-send racing a queue retry sends once), attempts are
-- counted, and after a bounded number the row gives up (owners see it);
-- delivered rows are purged after a week, rows given up after 30 days.
ALTER TABLE outbox ADD COLUMN claim TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN gave_up_at TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
-- When the sweep last re-sent the row's queue message (not again for 5 min).
ALTER TABLE outbox ADD COLUMN resent_at TEXT;
CREATE INDEX outbox_due ON outbox(created_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX outbox_done ON outbox(delivered_at) WHERE delivered_at IS NOT NULL;
