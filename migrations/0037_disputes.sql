-- Disputes on a contract in three stages (rules D1–D5, D7; seed 000 §9,
-- §13–14; seed 003 §35): negotiation between the parties, the platform's
-- mediation, referral to the Korean Commercial Arbitration Board (KCAB).
--
-- A dispute is raised by one party of a formed contract; at most one is
-- open (negotiation or mediation) per contract. Every word a person wrote
-- is sealed where it lives (`kernel::sealed`); nothing is edited: messages,
-- offers and attachments are appended, and a stage's change is a
-- conditional update on `version`. The deadlines are clocks
-- (`kernel/clocks.rs`) the domain opens and closes in the same batches:
-- `dispute_answer` (the other party's answer, 7 KST days), and later
-- stages' own. Kept 3 years after the case closed (D7, class `dispute_3y`).
CREATE TABLE disputes (
  id TEXT PRIMARY KEY,
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  -- the contract's parties, copied (C9: they never change)
  client_id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  raised_by TEXT NOT NULL,
  -- the party who must answer (the other one)
  respondent_id TEXT NOT NULL,
  stage TEXT NOT NULL DEFAULT 'negotiation'
    CHECK (stage IN ('negotiation', 'mediation', 'arbitration', 'settled', 'withdrawn')),
  -- the objection in writing and the relief sought (sealed)
  claim TEXT NOT NULL,
  relief TEXT NOT NULL,
  -- the first instant the answer is late (the end of the 7th KST day)
  answer_by TEXT NOT NULL,
  answered_at TEXT,
  flagged_at TEXT,
  -- how it ended: the accepted offer, or who referred it, withdrew it
  settled_offer TEXT,
  closed_at TEXT,
  closed_by TEXT,
  retention_class TEXT NOT NULL DEFAULT 'dispute_3y',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX disputes_one_open ON disputes(contract_id)
  WHERE stage IN ('negotiation', 'mediation');
CREATE INDEX disputes_client ON disputes(client_id, created_at);
CREATE INDEX disputes_partner ON disputes(partner_id, created_at);
CREATE INDEX disputes_closed ON disputes(closed_at) WHERE closed_at IS NOT NULL;

-- What the parties (and, later, the mediator) wrote, in order; never edited.
CREATE TABLE dispute_messages (
  id TEXT PRIMARY KEY,
  dispute_id TEXT NOT NULL REFERENCES disputes(id),
  author_id TEXT NOT NULL,
  author_role TEXT NOT NULL CHECK (author_role IN ('client', 'partner', 'mediator')),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX dispute_messages_dispute ON dispute_messages(dispute_id, created_at);

-- Files a party added as evidence: checked by their bytes (like signup
-- documents), kept in the bucket, named here by their SHA-256.
CREATE TABLE dispute_attachments (
  id TEXT PRIMARY KEY,
  dispute_id TEXT NOT NULL REFERENCES disputes(id),
  author_id TEXT NOT NULL,
  blob_key TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX dispute_attachments_dispute ON dispute_attachments(dispute_id, created_at);

-- Settlement offers: any terms rather than all or nothing. `kind`: a new
-- contract amount (either way), a scope to redo by a date, a new due date,
-- or cancelling the contract by agreement. Accepting one settles the
-- dispute and changes the contract (an amendment both confirmed, or a
-- cancellation with cause `dispute`) in the same batch.
CREATE TABLE dispute_offers (
  id TEXT PRIMARY KEY,
  dispute_id TEXT NOT NULL REFERENCES disputes(id),
  from_id TEXT NOT NULL,
  to_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('amount', 'redo', 'due_date', 'cancel')),
  amount_krw INTEGER,
  due_date TEXT,
  -- the scope to redo, and why (sealed)
  scope TEXT,
  note TEXT,
  state TEXT NOT NULL DEFAULT 'open'
    CHECK (state IN ('open', 'accepted', 'declined', 'withdrawn', 'void')),
  answered_at TEXT,
  -- the contract version an accepted offer made
  number INTEGER,
  created_at TEXT NOT NULL
);
CREATE INDEX dispute_offers_dispute ON dispute_offers(dispute_id, created_at);

-- D5: a member an admin restricted for abusing the process raises no new
-- dispute until the end of `until_day` (KST); the reason is staff's words
-- (sealed). The member may object to it (D4).
CREATE TABLE dispute_restrictions (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  reason TEXT NOT NULL,
  until_day TEXT NOT NULL,
  restricted_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  lifted_at TEXT,
  lifted_by TEXT
);
CREATE INDEX dispute_restrictions_member ON dispute_restrictions(member_id, until_day)
  WHERE lifted_at IS NULL;
