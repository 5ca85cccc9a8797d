-- Queues: saved ticket filters, personal (owner_id) or shared with all staff (owner_id NULL).
-- The filter is a JSON object of query parameters, read by usecase::ticket_filter.
CREATE TABLE queues (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  owner_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  filter TEXT NOT NULL,
  created_by TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX queues_by_owner ON queues (owner_id, id);
