-- A background job keeps its progress in its row (kernel/background.rs):
-- the cursor, the number of the step to run next and when the chain last
-- moved, each updated, guarded, with the step that made them. A step whose
-- message was lost is sent again from the row by the sweep; a duplicate or
-- stale step message finds another step number and does nothing.
ALTER TABLE jobs ADD COLUMN cursor TEXT;
ALTER TABLE jobs ADD COLUMN step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN stepped_at TEXT;
ALTER TABLE jobs ADD COLUMN stepped_by TEXT;
CREATE INDEX jobs_idle ON jobs(stepped_at) WHERE state = 'running';
