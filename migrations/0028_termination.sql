-- Rule S10: the platform terminates a member for a cause of seed 000 §7
-- (or seed 003 §19⑤, §20); the cause is recorded as a code, staff's words
-- sealed (`termination_reason`, like `decision_reason`).
-- Rule R4 (seed 003 §19⑦): a terminated member keeps read-only access to
-- its data until `read_only_until` (the end of the KST day a year after the
-- termination). Its retention periods that run from the account's closure
-- run from then: the data is still in use until that day.
ALTER TABLE members ADD COLUMN termination_cause TEXT
  CHECK (termination_cause IN ('false_information', 'crime', 'public_harm', 'stolen_account',
    'defamation', 'duplicate_registration', 'service_harm', 'terms_violation',
    'unpaid_fees', 'insolvency'));
ALTER TABLE members ADD COLUMN termination_reason TEXT;
ALTER TABLE members ADD COLUMN read_only_until TEXT;

-- The destruction run finds closed members (withdrawn or terminated) by
-- the end of their use.
DROP INDEX members_closed;
CREATE INDEX members_closed ON members(status, COALESCE(read_only_until, closed_at, expired_at))
  WHERE status IN ('withdrawn', 'terminated');
