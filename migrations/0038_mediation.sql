-- Disputes, stage 2 (rule D2): the platform's mediation. Either party
-- escalates once stage 1 failed (the respondent answered, or its 7 KST
-- days ran out); a mediator is assigned (the one with the fewest open
-- cases, or by an owner); the case as it stood is frozen (its canonical
-- JSON sealed, its SHA-256 kept) so both parties see exactly what the
-- mediator saw. The mediator may ask a party for material by a day (a
-- clock, `dispute_material`), and gives an opinion — facts, the contract
-- clauses it rests on, a proposed outcome, reasons — due 15 KST days after
-- the escalation (a clock, `dispute_opinion`, flagged to both parties and
-- to owners when overdue). The outcome applies when both parties accept
-- it; either may go on to arbitration instead (D3).
ALTER TABLE disputes ADD COLUMN escalated_at TEXT;
ALTER TABLE disputes ADD COLUMN escalated_by TEXT;
ALTER TABLE disputes ADD COLUMN mediator_id TEXT;
ALTER TABLE disputes ADD COLUMN assigned_at TEXT;
ALTER TABLE disputes ADD COLUMN assigned_by TEXT;
ALTER TABLE disputes ADD COLUMN frozen_sha256 TEXT;
ALTER TABLE disputes ADD COLUMN frozen_enc TEXT;
-- the first instant the opinion is late (the end of the 15th KST day)
ALTER TABLE disputes ADD COLUMN opinion_due TEXT;
ALTER TABLE disputes ADD COLUMN opinion_by TEXT;
ALTER TABLE disputes ADD COLUMN opinion_flagged_at TEXT;
-- the opinion: facts, clauses and reasons (sealed JSON), and its outcome
ALTER TABLE disputes ADD COLUMN opinion_enc TEXT;
ALTER TABLE disputes ADD COLUMN opinion_at TEXT;
ALTER TABLE disputes ADD COLUMN outcome_kind TEXT
  CHECK (outcome_kind IN ('amount', 'redo', 'due_date', 'cancel', 'none'));
ALTER TABLE disputes ADD COLUMN outcome_amount_krw INTEGER;
ALTER TABLE disputes ADD COLUMN outcome_due_date TEXT;
ALTER TABLE disputes ADD COLUMN outcome_scope TEXT;
ALTER TABLE disputes ADD COLUMN client_accepted_at TEXT;
ALTER TABLE disputes ADD COLUMN partner_accepted_at TEXT;
CREATE INDEX disputes_mediator ON disputes(mediator_id, stage);

-- What a mediator asked a party for, by when; the party's next message or
-- file answers it.
CREATE TABLE dispute_material_requests (
  id TEXT PRIMARY KEY,
  dispute_id TEXT NOT NULL REFERENCES disputes(id),
  to_id TEXT NOT NULL,
  what TEXT NOT NULL,
  due_by TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  answered_at TEXT,
  flagged_at TEXT
);
CREATE INDEX dispute_material_requests_dispute ON dispute_material_requests(dispute_id, created_at);
