-- Privacy rights (rules P1–P3): a person's request is a case on the legal
-- clock. Received (`received_at`), due by the end of its last KST day
-- (`due_day`: the 10th after the day of receipt, or the day a delay gave,
-- with its reason), answered (`answered_at`, `answer`, and for a refusal
-- the law it rests on). The clock itself is in `clocks` (kind
-- `privacy_request`). What a person wrote (details, a delay's reason told
-- to them, the answer) is sealed.
CREATE TABLE privacy_requests (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  kind TEXT NOT NULL CHECK (kind IN ('access','correction','deletion','suspension','marketing_email','marketing_sms','withdrawal')),
  state TEXT NOT NULL CHECK (state IN ('received','identity_pending','in_progress','delayed','completed','partially_refused','refused','withdrawn')),
  channel TEXT NOT NULL CHECK (channel IN ('self','written','email','phone')),
  details TEXT,
  received_at TEXT NOT NULL,
  due_day TEXT NOT NULL,
  delayed_at TEXT,
  delay_reason TEXT,
  answered_at TEXT,
  answer TEXT,
  legal_basis TEXT,
  -- flagged by the sweep once its last day ended unanswered (P3)
  overdue_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE INDEX privacy_requests_member ON privacy_requests(member_id, received_at);
CREATE INDEX privacy_requests_open ON privacy_requests(state, due_day);
-- One open request of a kind per person at a time (a second names the first).
CREATE UNIQUE INDEX privacy_requests_one_open ON privacy_requests(member_id, kind)
  WHERE state IN ('received','identity_pending','in_progress','delayed');
