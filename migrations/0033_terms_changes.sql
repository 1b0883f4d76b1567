-- Changes to the terms and policies (rule A8). A new version is scheduled
-- with the first KST day it applies (`effective_at`: that day's KST
-- midnight as a UTC instant), at least 7 days ahead (30 for an important
-- change), what changed (`summary_*`), and whether members must consent
-- again (`reconsent`). Scheduling announces it to every member by notice
-- (a job); the sweep makes it current once its day comes, the version it
-- replaces marked `superseded_at`. One version of a kind waits at a time.
-- Consents record the version they agreed to (`consents.document_version`).
ALTER TABLE terms_documents ADD COLUMN effective_at TEXT;
ALTER TABLE terms_documents ADD COLUMN superseded_at TEXT;
ALTER TABLE terms_documents ADD COLUMN announced_at TEXT;
ALTER TABLE terms_documents ADD COLUMN important INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terms_documents ADD COLUMN reconsent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terms_documents ADD COLUMN summary_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE terms_documents ADD COLUMN summary_en TEXT NOT NULL DEFAULT '';
UPDATE terms_documents SET effective_at = '2025-12-31T15:00:00+00:00' WHERE effective_at IS NULL;
CREATE UNIQUE INDEX terms_one_waiting ON terms_documents(kind)
  WHERE current = 0 AND superseded_at IS NULL;
CREATE UNIQUE INDEX terms_one_current ON terms_documents(kind) WHERE current = 1;
CREATE INDEX terms_waiting ON terms_documents(effective_at) WHERE current = 0 AND superseded_at IS NULL;
