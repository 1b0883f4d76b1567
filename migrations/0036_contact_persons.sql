-- Several contact persons per member company (rule P10). The person who
-- signed the company up is its administrator (the `members` row keeps
-- that person's contact and login, as before); the administrator adds
-- others here. An added person is invited by e-mail (the invitation's
-- token kept hashed, 72 hours), chooses a login ID and password, and then
-- signs in to the company's account like the administrator, except that
-- only the administrator manages contact persons. A person who left is
-- removed by the administrator: the row keeps its id, state and days
-- (what the audit log refers to); the person's name, mobile, e-mail and
-- password are erased in the same batch (P6: no law keeps an employee's
-- contact details once they left), the login ID stays retired for good
-- (`login_ids`, class account_key) and every session of it ends.
CREATE TABLE contact_persons (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members(id),
  name_enc TEXT,
  phone_enc TEXT,
  phone_bidx TEXT,
  email_enc TEXT,
  email_bidx TEXT,
  login_id TEXT UNIQUE,
  password_hash TEXT,
  state TEXT NOT NULL CHECK (state IN ('invited','active','removed')),
  invite_hash TEXT UNIQUE,
  invite_expires_at TEXT,
  created_at TEXT NOT NULL,
  activated_at TEXT,
  removed_at TEXT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contact_persons_member ON contact_persons(member_id, state);
-- A login ID held by an added person (NULL: the administrator's).
ALTER TABLE login_ids ADD COLUMN person_id TEXT;
-- A session of an added person (NULL: the administrator's), so removing
-- the person ends its sessions and no other.
ALTER TABLE sessions ADD COLUMN person_id TEXT;
CREATE INDEX sessions_person ON sessions(person_id) WHERE person_id IS NOT NULL;
