-- Payments of invoices, corrections for the next invoice, and objections
-- to an invoice (rules B2, D6; seed 003 §25, §29).

-- A payment of an invoice: a bank transfer billing staff record by hand
-- with the bank's reference (letters, digits and - _ / . only: an
-- identifier, not prose), or later one the payment provider confirms.
-- Never changed but by a refund (`refunded_krw`).
CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
  member_id TEXT NOT NULL REFERENCES members(id),
  method TEXT NOT NULL CHECK (method IN ('transfer', 'card', 'virtual_account')),
  provider TEXT NOT NULL CHECK (provider IN ('manual', 'portone')),
  reference TEXT NOT NULL,
  amount_krw INTEGER NOT NULL CHECK (amount_krw > 0),
  refunded_krw INTEGER NOT NULL DEFAULT 0 CHECK (refunded_krw >= 0),
  paid_on TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (provider, reference)
);
CREATE INDEX payments_invoice ON payments(invoice_id);

-- A correction or credit for the member's next invoice: a reversal of a
-- line (an objection upheld), later SLA credits, compensation and evasion
-- charges. Billed once (`invoice_id` set by the run); never edited.
CREATE TABLE billing_adjustments (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  kind TEXT NOT NULL CHECK (kind IN ('reversal', 'sla_credit', 'compensation', 'evasion')),
  vat_class TEXT NOT NULL CHECK (vat_class IN ('taxable', 'outside', 'reduction')),
  amount_krw INTEGER NOT NULL,
  basis TEXT NOT NULL,
  source_id TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  invoice_id TEXT,
  invoiced_at TEXT
);
CREATE INDEX billing_adjustments_open ON billing_adjustments(member_id) WHERE invoiced_at IS NULL;

-- D6: an objection to an invoice within 10 KST days of its sending, the
-- disputed part of its total and why (sealed: a person wrote it); billing
-- staff answer within 7 KST days (a clock, `billing_objection`) or name a
-- new day with the reason (the clock extended, the member told). While it
-- is open the disputed amount bears no late fee. An answer may correct
-- lines: each a reversal on the next invoice.
CREATE TABLE billing_objections (
  id TEXT PRIMARY KEY,
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
  member_id TEXT NOT NULL REFERENCES members(id),
  disputed_krw INTEGER NOT NULL CHECK (disputed_krw > 0),
  reason TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered')),
  outcome TEXT CHECK (outcome IN ('upheld', 'partly_upheld', 'rejected')),
  answer TEXT,
  credited_krw INTEGER NOT NULL DEFAULT 0,
  answered_by TEXT,
  answered_at TEXT,
  retention_class TEXT NOT NULL DEFAULT 'dispute_3y',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE INDEX billing_objections_invoice ON billing_objections(invoice_id, state);
CREATE INDEX billing_objections_member ON billing_objections(member_id, created_at);
CREATE UNIQUE INDEX billing_objections_one_open ON billing_objections(invoice_id) WHERE state = 'open';
