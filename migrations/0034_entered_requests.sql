-- Privacy-rights requests entered by the privacy officer (rule P2): made
-- on paper, by e-mail or by phone, they wait in `identity_pending` until
-- the requester reads back a code sent only to a contact point already on
-- file (`code_to`: the member's mobile or e-mail, never one given in the
-- request). The code is kept hashed with its expiry and counters (tries
-- counted before it is compared; one send a minute, five a KST day). A
-- proxy (legal representative or delegate) is recorded by name (sealed),
-- relationship and the SHA-256 of the power of attorney the officer
-- checked; the document itself stays with the officer's file.
ALTER TABLE privacy_requests ADD COLUMN entered_by TEXT;
ALTER TABLE privacy_requests ADD COLUMN code_to TEXT CHECK (code_to IN ('sms','email'));
ALTER TABLE privacy_requests ADD COLUMN code_hash TEXT;
ALTER TABLE privacy_requests ADD COLUMN code_expires_at TEXT;
ALTER TABLE privacy_requests ADD COLUMN code_tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE privacy_requests ADD COLUMN code_sent_at TEXT;
ALTER TABLE privacy_requests ADD COLUMN code_sent_day TEXT;
ALTER TABLE privacy_requests ADD COLUMN code_sent_today INTEGER NOT NULL DEFAULT 0;
ALTER TABLE privacy_requests ADD COLUMN verified_at TEXT;
ALTER TABLE privacy_requests ADD COLUMN proxy_name TEXT;
ALTER TABLE privacy_requests ADD COLUMN proxy_relationship TEXT
  CHECK (proxy_relationship IN ('legal_representative','delegate'));
ALTER TABLE privacy_requests ADD COLUMN poa_sha256 TEXT;
ALTER TABLE privacy_requests ADD COLUMN poa_content_type TEXT;
ALTER TABLE privacy_requests ADD COLUMN poa_size INTEGER;
