-- OFF-1, OFF-2, OFF-4: what people hold and give back, the offboarding record of a person or an
-- organisation, and the keyed pseudonyms that let a returning person keep their training.
CREATE TABLE assets (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  assigned_to TEXT REFERENCES users (id),
  state TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX assets_by_holder ON assets (assigned_to, id);
CREATE INDEX assets_by_organization ON assets (organization_id, id);
CREATE TABLE offboardings (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  reason TEXT NOT NULL,
  effective_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  steps TEXT NOT NULL,
  facts TEXT NOT NULL DEFAULT '{}',
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  completed_at INTEGER,
  version INTEGER NOT NULL
);
CREATE INDEX offboardings_by_subject ON offboardings (subject_id, id);
-- One offboarding under way per person or organisation, whichever node starts it.
CREATE UNIQUE INDEX offboardings_one_open ON offboardings (subject_id) WHERE status = 'open';
CREATE INDEX offboardings_due ON offboardings (status, effective_at);
CREATE TABLE former_members (
  pseudonym TEXT PRIMARY KEY,
  left_at INTEGER NOT NULL,
  trainings TEXT NOT NULL
);
ALTER TABLE users ADD COLUMN erased_at INTEGER;
-- "Former user N": N counted once per erasure, on every node alike.
CREATE TABLE former_user_numbers (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  last INTEGER NOT NULL
);
INSERT INTO former_user_numbers (singleton, last) VALUES (1, 0);
-- Erasure finds the tickets a person wrote on by their events.
CREATE INDEX ticket_events_by_actor ON ticket_events (actor_id);
CREATE INDEX subscriptions_by_user ON subscriptions (user_id);
