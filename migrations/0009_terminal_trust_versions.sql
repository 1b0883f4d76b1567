-- Attendance at fleet scale (issue 11): the accept path answers a known
-- terminal from what its instance remembers, with no database round trip.
-- Every change to what a terminal may do (rotation, suspension, its
-- member's suspension or device count, a new trusted address) bumps the
-- terminal's auth_version and records when; each queued batch carries the
-- version it was accepted under, and the consumer re-decides any batch
-- accepted under an older version after the change (v4_store.rs).
ALTER TABLE terminals ADD COLUMN auth_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terminals ADD COLUMN auth_changed_at TEXT;

-- Held batches: 'source' (ADMS lines from an address other than the
-- pinned one) or 'changed' (accepted by an instance that did not yet know
-- of a change after which the terminal could not post them). A 'changed'
-- batch has no address (source_bidx and source_enc are empty).
ALTER TABLE adms_quarantine ADD COLUMN reason TEXT NOT NULL DEFAULT 'source' CHECK (reason IN ('source', 'changed'));
