-- One clock for every deadline (kernel/clocks.rs): what is due (its kind,
-- the row it is about, the record it links to, the member who must act and
-- the other member who sees it), when (the last KST calendar day to act,
-- and the first UTC instant after it), and what happened: met (the actor
-- acted), void (the request it was about went away), fired (the sweep
-- carried out what the deadline means; a clock whose consequence ends it is
-- closed `fired`, one that only flags stays `open` with `fired_at` set
-- until it is met), extended (a new day, with a sealed reason). Firing is
-- a guarded update: a second run finds `fired_at` set and writes nothing.
--
-- An area opens a clock with `clocks::open` in the write batch of the
-- action that starts it (the area computes the KST day). Where many paths
-- start or end the row a clock is about, a trigger in the area's migration
-- mirrors the deadline the row carries (computed by the area, in Rust, from
-- the KST day) and closes the clock when the row leaves the state that
-- started it: C3 and C7 below.
CREATE TABLE clocks (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  record TEXT NOT NULL,
  actor TEXT NOT NULL,
  party TEXT,
  due_day TEXT NOT NULL,
  due_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','met','void','fired')),
  opened_at TEXT NOT NULL,
  fired_at TEXT,
  closed_at TEXT,
  extensions INTEGER NOT NULL DEFAULT 0,
  extended_at TEXT,
  extended_from TEXT,
  extended_reason_enc TEXT
);
CREATE UNIQUE INDEX clocks_one_open ON clocks(kind, subject) WHERE state = 'open';
CREATE INDEX clocks_to_fire ON clocks(kind, due_at) WHERE state = 'open' AND fired_at IS NULL;
CREATE INDEX clocks_actor ON clocks(actor, due_at) WHERE state = 'open';
CREATE INDEX clocks_party ON clocks(party, due_at) WHERE state = 'open';
CREATE INDEX clocks_open ON clocks(kind, due_at) WHERE state = 'open';

-- C3: the client's inspection of a completed contract, until
-- `inspection_until`. Accepting or reporting defects meets it; a
-- cancellation voids it.
CREATE TRIGGER clocks_inspection_opened AFTER UPDATE OF state ON contracts
WHEN NEW.state = 'completed' AND OLD.state != 'completed' AND NEW.inspection_until IS NOT NULL
BEGIN
  INSERT INTO clocks (id, kind, subject, record, actor, party, due_day, due_at, opened_at)
  VALUES ('clk_' || lower(hex(randomblob(12))), 'contract_inspection', NEW.id, 'contract/' || NEW.id,
    NEW.client_id, NEW.partner_id, date(NEW.inspection_until, '+9 hours', '-1 second'),
    NEW.inspection_until, COALESCE(NEW.completed_at, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')));
END;

CREATE TRIGGER clocks_inspection_closed AFTER UPDATE OF state ON contracts
WHEN OLD.state = 'completed' AND NEW.state != 'completed'
BEGIN
  UPDATE clocks SET state = CASE WHEN NEW.state IN ('accepted', 'in_progress') THEN 'met' ELSE 'void' END,
    closed_at = COALESCE(NEW.accepted_at, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
  WHERE kind = 'contract_inspection' AND subject = NEW.id AND state = 'open';
END;

-- C7: a request between the parties, until `answer_by`; its addressee
-- acts, its author sees it. Answered, accepted or declined meets it;
-- withdrawn or made moot voids it.
CREATE TRIGGER clocks_request_opened AFTER INSERT ON contract_requests
WHEN NEW.state = 'open'
BEGIN
  INSERT INTO clocks (id, kind, subject, record, actor, party, due_day, due_at, opened_at)
  VALUES ('clk_' || lower(hex(randomblob(12))), 'contract_request', NEW.id, 'contract/' || NEW.contract_id,
    NEW.to_id, NEW.from_id, date(NEW.answer_by, '+9 hours', '-1 second'), NEW.answer_by, NEW.created_at);
END;

CREATE TRIGGER clocks_request_closed AFTER UPDATE OF state ON contract_requests
WHEN OLD.state = 'open' AND NEW.state != 'open'
BEGIN
  UPDATE clocks SET state = CASE WHEN NEW.state IN ('accepted', 'declined', 'answered') THEN 'met' ELSE 'void' END,
    closed_at = COALESCE(NEW.answered_at, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
  WHERE kind = 'contract_request' AND subject = NEW.id AND state = 'open';
END;

-- S8: a partner's own update, opened by `signup::s8_capability` whenever
-- its information is saved (clients register no capabilities); a member
-- who leaves has nothing left to update.
CREATE TRIGGER clocks_member_left AFTER UPDATE OF status ON members
WHEN NEW.status IN ('withdrawn', 'terminated', 'rejected')
BEGIN
  UPDATE clocks SET state = 'void', closed_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
  WHERE actor = NEW.id AND kind = 'capability_update' AND state = 'open';
END;

-- The clocks that were running before this table, as the areas would have
-- opened them. A day's end in KST is 15:00 UTC of that day; the last day to
-- act is the KST day of the instant just before the deadline.
INSERT INTO clocks (id, kind, subject, record, actor, party, due_day, due_at, opened_at)
SELECT 'clk_c3_' || id, 'contract_inspection', id, 'contract/' || id, client_id, partner_id,
  date(inspection_until, '+9 hours', '-1 second'), inspection_until, COALESCE(completed_at, created_at)
FROM contracts WHERE state = 'completed' AND inspection_until IS NOT NULL;

INSERT INTO clocks (id, kind, subject, record, actor, party, due_day, due_at, opened_at, fired_at)
SELECT 'clk_c7_' || id, 'contract_request', id, 'contract/' || contract_id, to_id, from_id,
  date(answer_by, '+9 hours', '-1 second'), answer_by, created_at, flagged_at
FROM contract_requests WHERE state = 'open';

-- S8: six calendar months after the KST day of the last update (clamped to
-- the month's end), the information is stale; the last day it is fresh is
-- the day before.
INSERT INTO clocks (id, kind, subject, record, actor, due_day, due_at, opened_at, fired_at)
SELECT 'clk_s8_' || id, 'capability_update', id, 'member/' || id, id,
  date(stale_on, '-1 day'), strftime('%Y-%m-%dT%H:%M:%S+00:00', stale_on, '-9 hours'),
  capability_updated_at,
  CASE WHEN update_requested_at >= capability_updated_at THEN update_requested_at END
FROM (
  SELECT id, capability_updated_at, update_requested_at,
    CASE WHEN strftime('%d', date(capability_updated_at, '+9 hours', '+6 months')) = strftime('%d', date(capability_updated_at, '+9 hours'))
      THEN date(capability_updated_at, '+9 hours', '+6 months')
      ELSE date(capability_updated_at, '+9 hours', 'start of month', '+7 months', '-1 day') END AS stale_on
  FROM members WHERE kind = 'partner' AND capability_updated_at IS NOT NULL AND status NOT IN ('withdrawn', 'terminated', 'rejected')
);
