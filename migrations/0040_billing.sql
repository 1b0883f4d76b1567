-- Billing in won and Korea time (rules B1, B8, B10; seed 003 §24–26).
-- Plans are data; a member's plan is a row from a KST day, a change a new
-- row (the history is kept); invoices are one per member and KST month,
-- their lines an append-only ledger (a correction is a reversal and a new
-- line, never an edit). Amounts are whole won; a line's amount is signed
-- (a credit or a reversal is negative), an invoice's totals are not.

-- A plan: a monthly price per terminal or per seat (supply value, VAT
-- excluded), how many units it allows, sold or not.
CREATE TABLE plans (
  code TEXT PRIMARY KEY,
  name_ko TEXT NOT NULL,
  name_en TEXT NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('terminal', 'seat')),
  unit_price_krw INTEGER NOT NULL CHECK (unit_price_krw >= 0),
  max_units INTEGER NOT NULL CHECK (max_units >= 1),
  on_sale INTEGER NOT NULL DEFAULT 1
);

-- The terms a plan is sold on: monthly (1 month, no discount) or prepaid
-- for several months at a discount (basis points).
CREATE TABLE plan_terms (
  plan_code TEXT NOT NULL REFERENCES plans(code),
  months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 36),
  discount_bp INTEGER NOT NULL CHECK (discount_bp BETWEEN 0 AND 5000),
  PRIMARY KEY (plan_code, months)
);

-- Usage thresholds (B10, seed 001): the member's billing contact is told
-- once when its terminals, seats or a month's attendance records pass one.
CREATE TABLE plan_thresholds (
  plan_code TEXT NOT NULL REFERENCES plans(code),
  metric TEXT NOT NULL CHECK (metric IN ('terminals', 'seats', 'records')),
  threshold INTEGER NOT NULL CHECK (threshold >= 1),
  PRIMARY KEY (plan_code, metric, threshold)
);

INSERT INTO plans VALUES
 ('attend-basic', '출퇴근 기본', 'Attendance Basic', 'terminal', 15000, 10, 1),
 ('attend-pro', '출퇴근 프로', 'Attendance Pro', 'terminal', 12000, 100, 1),
 ('market-seat', '마켓 좌석', 'Marketplace seats', 'seat', 30000, 20, 1);
INSERT INTO plan_terms VALUES
 ('attend-basic', 1, 0), ('attend-basic', 12, 1000),
 ('attend-pro', 1, 0), ('attend-pro', 6, 500), ('attend-pro', 12, 1000),
 ('market-seat', 1, 0), ('market-seat', 12, 1000);
INSERT INTO plan_thresholds VALUES
 ('attend-basic', 'terminals', 8), ('attend-basic', 'terminals', 10),
 ('attend-basic', 'records', 20000),
 ('attend-pro', 'terminals', 80), ('attend-pro', 'terminals', 100),
 ('attend-pro', 'records', 200000),
 ('market-seat', 'seats', 15), ('market-seat', 'seats', 20);

-- A member's plan from a KST day (B1). The price is copied from the plan
-- (a later price change does not reach a running term, seed 003 §24③);
-- `term_months` > 1 is a prepaid term billed whole in its first month.
-- A change ends the current row (`ends_on`, its last day) and adds one.
CREATE TABLE member_plans (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  plan_code TEXT NOT NULL REFERENCES plans(code),
  units INTEGER NOT NULL CHECK (units >= 1),
  unit_price_krw INTEGER NOT NULL CHECK (unit_price_krw >= 0),
  term_months INTEGER NOT NULL CHECK (term_months >= 1),
  discount_bp INTEGER NOT NULL CHECK (discount_bp BETWEEN 0 AND 5000),
  starts_on TEXT NOT NULL,
  ends_on TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX member_plans_member ON member_plans(member_id, starts_on);
CREATE UNIQUE INDEX member_plans_one_current ON member_plans(member_id) WHERE ends_on IS NULL;

-- One invoice per member and KST month (B1), issued by the monthly run.
-- Totals: the net taxable supply (taxable lines less reductions), its VAT
-- (10%, floored once), what is outside VAT (late fees, penalties,
-- compensation: a statement, not a tax invoice) and the total due by
-- `due_day` (KST). `paid_krw` grows with payments.
CREATE TABLE invoices (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  period TEXT NOT NULL,
  run_id TEXT NOT NULL,
  supply_krw INTEGER NOT NULL CHECK (supply_krw >= 0),
  vat_krw INTEGER NOT NULL CHECK (vat_krw >= 0),
  outside_krw INTEGER NOT NULL,
  total_krw INTEGER NOT NULL CHECK (total_krw >= 0),
  paid_krw INTEGER NOT NULL DEFAULT 0 CHECK (paid_krw >= 0),
  due_day TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  paid_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (member_id, period)
);
CREATE INDEX invoices_period ON invoices(period, member_id);
CREATE INDEX invoices_unpaid ON invoices(member_id, due_day) WHERE paid_at IS NULL;

-- The ledger: an invoice's lines, never changed. `vat_class`: taxable
-- (supply value), outside (not a supply), reduction (lowers the supply
-- value: an SLA credit). `source_id` is what a line bills (a contract, a
-- charge, an invoice its late fee is on); `quantity` its units, months or
-- late months; `service_month` the month a plan fee is for.
CREATE TABLE invoice_lines (
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
  line_no INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('plan_fee', 'prepaid_term', 'success_fee', 'system_fee',
    'direct_deal', 'late_fee', 'sla_credit', 'compensation', 'evasion', 'reversal')),
  vat_class TEXT NOT NULL CHECK (vat_class IN ('taxable', 'outside', 'reduction')),
  amount_krw INTEGER NOT NULL,
  quantity INTEGER NOT NULL DEFAULT 1,
  service_month TEXT,
  source_id TEXT,
  basis TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (invoice_id, line_no)
);
CREATE INDEX invoice_lines_source ON invoice_lines(source_id, kind) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX invoice_lines_success_once ON invoice_lines(source_id) WHERE kind = 'success_fee';
CREATE TRIGGER invoice_lines_no_update BEFORE UPDATE ON invoice_lines
  BEGIN SELECT RAISE(ABORT, 'invoice_lines is append-only'); END;
CREATE TRIGGER invoice_lines_no_delete BEFORE DELETE ON invoice_lines
WHEN NOT EXISTS (SELECT 1 FROM destruction_log d
  WHERE d.seq = (SELECT MAX(seq) FROM destruction_log) AND d.what = 'invoice_lines' AND OLD.created_at <= d.cutoff)
BEGIN SELECT RAISE(ABORT, 'invoice_lines is append-only'); END;

-- A charge (C8's direct-deal penalty) is billed once, on one invoice.
ALTER TABLE charges ADD COLUMN invoice_id TEXT;
