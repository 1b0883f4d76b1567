-- Claiming an Idempotency-Key replaces an expired row of the same key (so an
-- expired key is reusable at once, not only after the sweep) and must change
-- exactly one row: a key still in use aborts the whole write batch with a
-- message the engine answers as 409 "in progress" (kernel/idempotency.rs).
CREATE VIEW expect_idempotency_claim AS SELECT 1 AS n WHERE 0;
CREATE TRIGGER expect_idempotency_claim_check INSTEAD OF INSERT ON expect_idempotency_claim
  WHEN NEW.n IS NOT 1
  BEGIN SELECT RAISE(ABORT, 'idempotency key in progress'); END;
