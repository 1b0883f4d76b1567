-- Marketing (rules A7, P8), account withdrawal (P9), and the table queue's
-- backoff (V4).
--
-- A marketing campaign is written by an owner (its text sealed) and sent by
-- a background job to the members whose latest consent of the channel's
-- kind (`marketing_email`, `marketing_sms`) is an acceptance. Its notices
-- carry the kind of consent they need (`outbox.consent_kind`): the deliverer
-- reads the member's latest consent at send time and drops a notice whose
-- consent was withdrawn after it was queued (P8: nothing sent after it).
CREATE TABLE marketing_campaigns (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('email','sms')),
  text TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  job_id TEXT NOT NULL
);
ALTER TABLE outbox ADD COLUMN consent_kind TEXT;
-- The latest consent of a kind, read per member at send time.
CREATE INDEX consents_latest ON consents(member_id, document_kind, at);

-- Account withdrawal (P9): when the account was closed (status
-- `withdrawn`); its login IDs are retired in `login_ids` for good.
ALTER TABLE members ADD COLUMN closed_at TEXT;

-- Spin's table queue backs off a failed delivery as the Workers' queue
-- does (`kernel::queue::drain`): not taken again before `next_at`.
ALTER TABLE queue_messages ADD COLUMN next_at TEXT;
