-- Links between tickets, major incidents (DESK-7) and the in-app notification centre (DESK-4,
-- REL-5). Times are integer milliseconds since the Unix epoch.
ALTER TABLE tickets ADD COLUMN major_incident INTEGER NOT NULL DEFAULT 0;

-- kind 'parent': from_id is the parent of to_id (a major incident and its child incidents);
-- kind 'related': stored once, from the smaller id to the larger.
CREATE TABLE ticket_links (
  from_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  to_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('parent', 'related')),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (from_id, to_id)
);
CREATE INDEX ticket_links_to ON ticket_links (to_id, from_id);
-- A ticket has at most one parent.
CREATE UNIQUE INDEX ticket_links_one_parent ON ticket_links (to_id) WHERE kind = 'parent';

CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
