-- Personal-data access log (the hook rule A3 is built on): every admin read
-- or change of a person's personal data, written by the request engine in
-- the request's own write batch. Who (admin id and role), when, from where
-- (sealed address), whose data, what, why (sealed). Append-only: triggers
-- refuse every UPDATE and DELETE.
CREATE TABLE access_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  admin_id TEXT NOT NULL,
  admin_role TEXT NOT NULL,
  client_ip_enc TEXT,
  subject TEXT NOT NULL,
  what TEXT NOT NULL,
  why TEXT NOT NULL
);
CREATE INDEX access_log_subject ON access_log(subject, at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
