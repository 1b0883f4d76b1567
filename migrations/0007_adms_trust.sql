-- ADMS terminals are known by a serial number printed on their label, and
-- their firmware signs nothing (hardening, rule V8): the first source
-- address a terminal is seen from is pinned (trust on first use, stored as a
-- blind index), and attendance lines from any other address wait here for
-- the member to accept or discard them. Records and the address are sealed.
ALTER TABLE terminals ADD COLUMN adms_source_bidx TEXT;
ALTER TABLE terminals ADD COLUMN adms_source_enc TEXT;

CREATE TABLE adms_quarantine (
  id TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL REFERENCES terminals(id),
  member_id TEXT NOT NULL,
  site_id TEXT NOT NULL,
  source_bidx TEXT NOT NULL,
  source_enc TEXT NOT NULL,
  records_enc TEXT NOT NULL,
  records INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  decision TEXT CHECK (decision IN ('accept', 'discard')),
  decided_at TEXT
);
CREATE INDEX adms_quarantine_pending ON adms_quarantine(member_id, decided_at, received_at);
CREATE INDEX adms_quarantine_terminal ON adms_quarantine(terminal_id, decided_at);
