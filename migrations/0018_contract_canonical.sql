-- Rule C2: each contract version keeps the exact text its SHA-256 is of
-- (sealed: it holds what the parties wrote), with the number of the format
-- it was written in, so a confirmation stays verifiable when the code that
-- writes the text changes. Versions written before this have none: their
-- text is the format 1 serialisation of their row.
ALTER TABLE contract_versions ADD COLUMN canonical_enc TEXT;
ALTER TABLE contract_versions ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
