-- Off-platform direct deals (rule C8): anyone signed in reports one on a
-- matching (its contract); staff confirm it with a reason, and the partner
-- owes 200% of that matching's success fee — even when the client proposed
-- the deal. The charge waits in `charges` for the billing run to invoice.
CREATE TABLE direct_deal_reports (
  id TEXT PRIMARY KEY,
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  reporter_id TEXT NOT NULL,
  description TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'reported' CHECK (state IN ('reported','confirmed','dismissed')),
  reason TEXT,
  deal_amount_krw INTEGER,
  charge_krw INTEGER,
  decided_by TEXT,
  decided_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE INDEX direct_deal_reports_queue ON direct_deal_reports(state, created_at);
CREATE INDEX direct_deal_reports_reporter ON direct_deal_reports(reporter_id, created_at);

-- What a member owes besides the monthly bill, until invoiced. One
-- direct-deal charge per matching: a second confirmed report of the same
-- deal charges nothing more.
CREATE TABLE charges (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  kind TEXT NOT NULL CHECK (kind IN ('direct_deal')),
  amount_krw INTEGER NOT NULL CHECK (amount_krw >= 0),
  basis TEXT NOT NULL,
  matching_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  invoiced_at TEXT,
  UNIQUE (kind, matching_id)
);
CREATE INDEX charges_open ON charges(member_id) WHERE invoiced_at IS NULL;
