-- Completion and inspection of a formed contract (rules C3, C4, C5): the
-- partner reports completion; the client accepts or reports defects until
-- `inspection_until` (the end of the 7th KST calendar day after the day of
-- the report); no answer by then is accepted by the sweep (`deemed`).
-- Acceptance records the passing of the rights unless they were reserved.
ALTER TABLE contracts ADD COLUMN completed_at TEXT;
ALTER TABLE contracts ADD COLUMN inspection_until TEXT;
ALTER TABLE contracts ADD COLUMN accepted_at TEXT;
ALTER TABLE contracts ADD COLUMN deemed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contracts ADD COLUMN ip_transferred_at TEXT;
CREATE INDEX contracts_inspection ON contracts(inspection_until) WHERE state = 'completed';

-- Defects the client reported within the inspection (C4): each sends the
-- contract back to `in_progress` for a free repair.
CREATE TABLE contract_defects (
  id TEXT PRIMARY KEY,
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  reported_by TEXT NOT NULL,
  description TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX contract_defects_contract ON contract_defects(contract_id, at);
