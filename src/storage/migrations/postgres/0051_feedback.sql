-- FDB-1: ratings. A person rates a ticket that served them at a touchpoint (its resolution, its
-- first response, a request fulfilled) from 1 to 5; rating again replaces the score, so one row
-- per ticket, touchpoint and person. What the figures are grouped by (service, team, agent,
-- channel) is copied from the ticket when rated, so a report reads no ticket.
CREATE TABLE ratings (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  touchpoint TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL,
  score BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment TEXT NOT NULL,
  service_id TEXT,
  team_id TEXT,
  agent_id TEXT,
  channel TEXT NOT NULL,
  via TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ratings_one ON ratings (ticket_id, touchpoint, user_id);
CREATE INDEX ratings_by_time ON ratings (updated_at);
CREATE INDEX ratings_by_organization ON ratings (organization_id, updated_at);
CREATE INDEX ratings_by_user ON ratings (user_id);
-- The one-click links used: a link rates once.
CREATE TABLE rating_links_used (
  nonce TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  used_at BIGINT NOT NULL
);

-- DESK-8: a recovery task names the team that owns it and when it is due; one open task per
-- ticket and signal kind, however often the signal repeats (older duplicates are closed).
ALTER TABLE recovery_tasks ADD COLUMN team_id TEXT;
ALTER TABLE recovery_tasks ADD COLUMN due_at BIGINT;
UPDATE recovery_tasks SET status = 'done', note = 'Closed as a repeat: one open task per ticket and signal.', done_at = created_at
 WHERE status = 'open' AND EXISTS (SELECT 1 FROM recovery_tasks o WHERE o.ticket_id = recovery_tasks.ticket_id
                                     AND o.signal = recovery_tasks.signal AND o.status = 'open' AND o.id < recovery_tasks.id);
CREATE UNIQUE INDEX recovery_tasks_one_open ON recovery_tasks (ticket_id, signal) WHERE status = 'open';

-- DESK-8: a person back soon after a resolution — found among the tickets about them resolved
-- since, not among all they raised.
CREATE INDEX tickets_by_requester_resolved ON tickets (requester_id, resolved_at);
CREATE INDEX tickets_by_on_behalf_of_resolved ON tickets (on_behalf_of, resolved_at);

-- FDB-4: the status page reads a service's broadcasts.
CREATE INDEX broadcasts_by_service ON broadcasts (service_id, created_at);
