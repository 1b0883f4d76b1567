-- Background jobs (kernel/background.rs): work too large for one request
-- (moving a member's attendance rows between shards; later exports,
-- retention runs, invoices) advanced in bounded steps by the queue consumer
-- (Workers) or the maintenance drain (Spin). The step's cursor travels in
-- its queue message, so a redelivered step repeats idempotently; this row
-- records who started the job, its state and, when done, what it did.
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running','done','failed')),
  units INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX jobs_state ON jobs(state, created_at);

-- A member's attendance rows in key order, for moving them between shards.
CREATE INDEX attendance_member ON attendance_records(member_id, terminal_id, event_id);
