-- OFF-3: what an import brought in, by where it came from: re-running an import finds each
-- record it made (or merged with) here and creates nothing again.
CREATE TABLE import_keys (
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  source_id TEXT NOT NULL,
  local_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (source, kind, source_id)
);
