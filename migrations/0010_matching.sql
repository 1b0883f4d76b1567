-- Matching work requests to partners (rules M1–M3) and holding posted
-- content with contact details for review (rule C11).

-- What a partner registers for matching (its capability and capacity
-- information, rule S8: saving it sets members.capability_updated_at).
-- `portfolio_text` is public only once released (C11: `portfolio_held`).
CREATE TABLE partner_profiles (
  member_id TEXT PRIMARY KEY REFERENCES members(id),
  capabilities TEXT NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 0 AND 100),
  regions TEXT NOT NULL,
  portfolio_text TEXT,
  portfolio_held INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);

-- The score's weights (M1), one row per factor, changed by an owner.
CREATE TABLE match_weights (
  factor TEXT PRIMARY KEY
    CHECK (factor IN ('category','capabilities','capacity','portfolio','scale','region','freshness')),
  weight INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 100),
  updated_at TEXT
);
INSERT INTO match_weights (factor, weight) VALUES
 ('category', 20), ('capabilities', 20), ('capacity', 10), ('portfolio', 15),
 ('scale', 10), ('region', 15), ('freshness', 10);

-- The precomputed ranking (M1 at scale): per category, one row per partner
-- with region '*' and one per region it serves ('all' for every region).
-- `points`: the partner's total without the region factor; `vals`: the
-- seven factor values (per mille, JSON); `stale_at`: when its freshness
-- factor drops (M3), for the sweep to recompute it.
CREATE TABLE match_index (
  category TEXT NOT NULL,
  region TEXT NOT NULL,
  member_id TEXT NOT NULL REFERENCES members(id),
  points INTEGER NOT NULL,
  fresh_at TEXT,
  vals TEXT NOT NULL,
  stale_at TEXT,
  PRIMARY KEY (category, region, member_id)
);
CREATE INDEX match_rank ON match_index(category, region, points DESC, fresh_at DESC, member_id);
CREATE INDEX match_stale ON match_index(stale_at) WHERE stale_at IS NOT NULL;
CREATE INDEX match_member ON match_index(member_id);

-- Work requests posted by clients (M1). `state`: `held` until an admin
-- releases it (C11), then `open`; `rejected` by an admin; `closed` by its
-- client. `due_date` is a KST calendar date.
CREATE TABLE work_requests (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES members(id),
  category TEXT NOT NULL REFERENCES categories(code),
  title TEXT NOT NULL,
  scope TEXT NOT NULL,
  budget_krw INTEGER NOT NULL CHECK (budget_krw > 0),
  due_date TEXT NOT NULL,
  region TEXT NOT NULL,
  location TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('held','open','rejected','closed')),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE INDEX work_requests_client ON work_requests(client_id, created_at);

-- Content held for review (C11): what was found (kinds only; the text is
-- in its own row), and the admin's decision with its reason.
CREATE TABLE held_content (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('work_request','portfolio','message')),
  subject_id TEXT NOT NULL,
  member_id TEXT NOT NULL REFERENCES members(id),
  found TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held','released','rejected')),
  reason TEXT,
  decided_by TEXT,
  decided_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE INDEX held_content_queue ON held_content(state, created_at);
