-- Proposals (rule M2) and contracts between members (rules C1, C2, C9,
-- C10). A contract's every version is kept with the SHA-256 of its
-- canonical content; a confirmation binds one version's hash; the contract
-- forms when both parties confirmed the same version. `version` on a
-- contract is the concurrency guard every change is conditional on.

-- A client's offer to one proposed partner for a work request (M2).
CREATE TABLE proposals (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES work_requests(id),
  client_id TEXT NOT NULL REFERENCES members(id),
  partner_id TEXT NOT NULL REFERENCES members(id),
  points INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('sent','accepted','declined')),
  contract_id TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  decided_at TEXT,
  UNIQUE (request_id, partner_id)
);
CREATE INDEX proposals_partner ON proposals(partner_id, created_at);

-- C10: contract records are kept 5 years (retention class `contract_5y`;
-- destruction comes with the retention schedule). C9: the parties are
-- fixed; nothing changes `client_id` or `partner_id`.
CREATE TABLE contracts (
  id TEXT PRIMARY KEY,
  request_id TEXT REFERENCES work_requests(id),
  client_id TEXT NOT NULL REFERENCES members(id),
  partner_id TEXT NOT NULL REFERENCES members(id),
  category TEXT NOT NULL,
  success_fee_bp INTEGER NOT NULL CHECK (success_fee_bp BETWEEN 0 AND 10000),
  state TEXT NOT NULL CHECK (state IN ('draft','in_progress','completed','accepted','cancelled')),
  current_version INTEGER NOT NULL,
  formed_version INTEGER,
  formed_at TEXT,
  retention_class TEXT NOT NULL DEFAULT 'contract_5y',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE INDEX contracts_client ON contracts(client_id, created_at);
CREATE INDEX contracts_partner ON contracts(partner_id, created_at);

CREATE TABLE contract_versions (
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  number INTEGER NOT NULL,
  title TEXT NOT NULL,
  scope TEXT NOT NULL,
  amount_krw INTEGER NOT NULL CHECK (amount_krw > 0),
  due_date TEXT NOT NULL,
  ip_clause TEXT NOT NULL CHECK (ip_clause IN ('transfer','reserved')),
  portfolio_consent INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  author_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (contract_id, number)
);

-- A party's confirmation of one version: its hash, when, and from which
-- address (sealed: personal data).
CREATE TABLE contract_confirmations (
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  number INTEGER NOT NULL,
  member_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  ip_enc TEXT,
  at TEXT NOT NULL,
  PRIMARY KEY (contract_id, number, member_id)
);

-- The contract's own history: every state change and action, in order.
CREATE TABLE contract_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contract_history_contract ON contract_history(contract_id, seq);
