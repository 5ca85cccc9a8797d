-- Service desk core (issue: service desk core): tickets, their append-only timeline, watchers,
-- and the search index (docs/adr/0003). Times are integer milliseconds since the Unix epoch.
CREATE TABLE ticket_numbers (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  last INTEGER NOT NULL
);
INSERT INTO ticket_numbers (singleton, last) VALUES (1, 0);

CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  number INTEGER NOT NULL UNIQUE,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  type TEXT NOT NULL,
  channel TEXT NOT NULL,
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  requester_id TEXT NOT NULL REFERENCES users (id),
  on_behalf_of TEXT REFERENCES users (id),
  service_id TEXT,
  impact TEXT NOT NULL,
  urgency TEXT NOT NULL,
  priority TEXT NOT NULL,
  priority_rank INTEGER NOT NULL,
  category TEXT NOT NULL,
  team_id TEXT REFERENCES teams (id),
  assignee_id TEXT REFERENCES users (id),
  status TEXT NOT NULL,
  tags TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  resolved_at INTEGER,
  closed_at INTEGER,
  last_seq INTEGER NOT NULL
);
CREATE INDEX tickets_by_organization ON tickets (organization_id, id);
CREATE INDEX tickets_by_requester ON tickets (requester_id, id);
CREATE INDEX tickets_by_on_behalf_of ON tickets (on_behalf_of, id);
CREATE INDEX tickets_by_status ON tickets (status, id);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, id);
CREATE INDEX tickets_by_team ON tickets (team_id, id);
CREATE INDEX tickets_by_updated ON tickets (updated_at, id);
CREATE INDEX tickets_by_priority ON tickets (priority_rank, id);

CREATE TABLE ticket_watchers (
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_watchers_by_user ON ticket_watchers (user_id, ticket_id);

CREATE TABLE ticket_events (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  internal INTEGER NOT NULL,
  body TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (ticket_id, seq)
);

-- One row per ticket text (rowid = the ticket's number) and per comment (rowid = minus the
-- event's rowid). Terms come from search::index_terms; the tokenizer only splits on spaces
-- between them and must not fold further, or the two stores would differ.
CREATE VIRTUAL TABLE ticket_search USING fts5 (
  terms, ticket_id UNINDEXED, event_id UNINDEXED, internal UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 0'
);
