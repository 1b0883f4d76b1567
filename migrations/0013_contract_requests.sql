-- What one party of a contract asks of the other (rules C2, C6, C7), and
-- the parties' messages (C11).
--
-- A request is open until the other party answers it (or its author
-- withdraws it, or a later change makes it moot: `void`). It is due by
-- the end of the 7th KST calendar day after the day it was made
-- (`answer_by`); an open request past that is flagged once by the sweep,
-- to both parties and to the staff (C7).
--   confirmation  a party confirmed a draft's version; the other is asked to
--                 confirm it too (answered by a confirmation, voided by an edit)
--   amendment     a party proposes new terms for a formed contract, version
--                 `number`, confirmed already by its author (C2)
--   cancellation  a party asks to cancel a formed contract (C6)
--   question      a message that asks for an answer (answered by the other
--                 party's next message)
CREATE TABLE contract_requests (
  id TEXT PRIMARY KEY,
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  kind TEXT NOT NULL CHECK (kind IN ('confirmation','amendment','cancellation','question')),
  from_id TEXT NOT NULL,
  to_id TEXT NOT NULL,
  number INTEGER,
  message_id TEXT,
  reason TEXT,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','accepted','declined','answered','withdrawn','void')),
  answer_by TEXT NOT NULL,
  answered_at TEXT,
  answer_reason TEXT,
  flagged_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX contract_requests_contract ON contract_requests(contract_id, created_at);
CREATE INDEX contract_requests_due ON contract_requests(answer_by) WHERE state = 'open' AND flagged_at IS NULL;
CREATE INDEX contract_requests_flagged ON contract_requests(flagged_at) WHERE state = 'open' AND flagged_at IS NOT NULL;

-- Messages between the parties. One with contact details or an offer to
-- deal off the platform is `held` (C11): its author sees it, the other
-- party does not until staff release it; a rejected one stays hidden.
CREATE TABLE contract_messages (
  id TEXT PRIMARY KEY,
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  author_id TEXT NOT NULL,
  body TEXT NOT NULL,
  asks INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL CHECK (state IN ('visible','held','rejected')),
  created_at TEXT NOT NULL
);
CREATE INDEX contract_messages_contract ON contract_messages(contract_id, created_at);

-- C6: a contract ends early only by both parties' agreement (or a dispute's
-- outcome, with the disputes); a draft its parties may simply withdraw.
ALTER TABLE contracts ADD COLUMN cancelled_at TEXT;
ALTER TABLE contracts ADD COLUMN cancel_cause TEXT CHECK (cancel_cause IN ('withdrawn','agreed','dispute'));
