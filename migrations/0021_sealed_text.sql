-- Text a person wrote is sealed where it lives (kernel/sealed.rs; the
-- columns are in personal_data.rs). Existing plain rows stay readable and
-- the sweep's `sealed_free_text` step seals them in place, a bounded number
-- a run. A withdrawn draft's reason gets a sealed column of its own: it
-- used to be written into the contract's history and the append-only audit
-- chain, where it could never be erased.
ALTER TABLE contracts ADD COLUMN cancel_reason TEXT;
