-- DESK-2: ordered classification rules. Conditions and actions are JSON objects read by
-- usecase/classification; position orders them (ties by id).
CREATE TABLE classification_rules (
  id TEXT PRIMARY KEY,
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  conditions TEXT NOT NULL,
  actions TEXT NOT NULL,
  active BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX classification_rules_order ON classification_rules (position, id);
