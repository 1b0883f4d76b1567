-- Signup tokens get a session row like member and admin sessions: a new
-- token revokes the application's earlier one, and activation revokes it.
CREATE INDEX sessions_live_by_principal ON sessions (principal_kind, principal_id)
  WHERE revoked_at IS NULL;

-- A stored idempotent answer that started a session keeps its token apart
-- from the body (sealed), so a replay delivers it the way the first answer
-- did: in an HttpOnly cookie for the pages, never in a body a script reads.
ALTER TABLE idempotency ADD COLUMN session_enc TEXT;

-- A cap checked in the write batch: `INSERT INTO expect_room(n) SELECT
-- <count> <= <cap> …` aborts the whole batch when the count, with this
-- batch's own rows in it, is over the cap (the ADMS held batches of one
-- terminal: checked on read only, parallel uploads passed it).
CREATE VIEW expect_room AS SELECT 1 AS n WHERE 0;
CREATE TRIGGER expect_room_check INSTEAD OF INSERT ON expect_room
  WHEN NEW.n IS NOT 1
  BEGIN SELECT RAISE(ABORT, 'no_room'); END;
