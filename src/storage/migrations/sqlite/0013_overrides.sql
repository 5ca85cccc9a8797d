-- DESK-9: intelligent disobedience. Each override of a guarded rule, with its reason and
-- justification, and the improvement-register entries that gather them for review. Settings
-- hold small provider configuration such as the list of reason codes.
CREATE TABLE overrides (
  id TEXT PRIMARY KEY,
  rule TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  justification TEXT NOT NULL,
  details TEXT NOT NULL,
  improvement_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX overrides_by_rule ON overrides (rule, id);
CREATE INDEX overrides_by_improvement ON overrides (improvement_id, id);

CREATE TABLE improvements (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL,
  created_by TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
