-- ONB-9: trainings (content and a quiz), kept as checked definitions like the catalog's, and each
-- person's attempts, scored on the server. An attempt remembers the digest of the content it
-- answered, so a pass holds until the content changes.
CREATE TABLE trainings (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE training_attempts (
  id TEXT PRIMARY KEY,
  training_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  content_digest TEXT NOT NULL,
  answers TEXT NOT NULL,
  correct INTEGER NOT NULL,
  questions INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX training_attempts_by_user ON training_attempts (user_id, training_id, id);
