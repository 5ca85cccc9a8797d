-- Service desk core (issue: service desk core): tickets, their append-only timeline, watchers,
-- and the search index (docs/adr/0003). Times are integer milliseconds since the Unix epoch.
CREATE TABLE ticket_numbers (
  singleton BIGINT PRIMARY KEY CHECK (singleton = 1),
  last BIGINT NOT NULL
);
INSERT INTO ticket_numbers (singleton, last) VALUES (1, 0);

CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  number BIGINT NOT NULL UNIQUE,
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
  priority_rank BIGINT NOT NULL,
  category TEXT NOT NULL,
  team_id TEXT REFERENCES teams (id),
  assignee_id TEXT REFERENCES users (id),
  status TEXT NOT NULL,
  tags TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  resolved_at BIGINT,
  closed_at BIGINT,
  last_seq BIGINT NOT NULL
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
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  internal BIGINT NOT NULL,
  body TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (ticket_id, seq)
);

-- One row per ticket text (event_id '') and per comment. Terms come from search::index_terms,
-- stored as a tsvector built from the term list itself (no text-search parser, so no
-- dependence on the database's locale).
CREATE TABLE ticket_search (
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  internal BIGINT NOT NULL,
  terms TSVECTOR NOT NULL,
  PRIMARY KEY (ticket_id, event_id)
);
CREATE INDEX ticket_search_terms ON ticket_search USING GIN (terms);
