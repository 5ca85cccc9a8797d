-- DESK-2: ordered classification rules. Conditions and actions are JSON objects read by
-- usecase/classification; position orders them (ties by id).
CREATE TABLE classification_rules (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  conditions TEXT NOT NULL,
  actions TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX classification_rules_order ON classification_rules (position, id);
