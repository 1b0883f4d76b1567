-- Signup tokens get a session row like member and admin sessions: a new
-- token revokes the application's earlier one, and activation revokes it.
CREATE INDEX sessions_live_by_principal ON sessions (principal_kind, principal_id)
  WHERE revoked_at IS NULL;

-- A stored idempotent answer that started a session keeps its token apart
-- from the body (sealed), so a replay delivers it the way the first answer
-- did: in an HttpOnly cookie for the pages, never in a body a script reads.
ALTER TABLE idempotency ADD COLUMN session_enc TEXT;
