-- DESK-5: request fulfilment. The tasks a request got from its type's procedure, each with its
-- own state, team, assignee and due time; the endpoints automated tasks call (kept as checked
-- JSON definitions, their signing secrets apart so that no definition read or audit entry shows
-- one); and the webhook deliveries — a durable queue, retried with backoff, one id per task for
-- the receiver to deduplicate, completed by the receiver's signed callback.
CREATE TABLE request_tasks (
  ticket_id TEXT NOT NULL REFERENCES tickets (id),
  task_key TEXT NOT NULL,
  position INTEGER NOT NULL,
  organization_id TEXT NOT NULL,
  name TEXT NOT NULL,
  team_id TEXT NOT NULL,
  after_keys TEXT NOT NULL,
  due_hours INTEGER NOT NULL,
  endpoint_id TEXT NOT NULL,
  state TEXT NOT NULL,
  assignee_id TEXT,
  due_at INTEGER,
  opened_at INTEGER,
  finished_at INTEGER,
  finished_by TEXT,
  note TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, task_key)
);
CREATE INDEX request_tasks_by_team ON request_tasks (team_id, state, due_at);
CREATE INDEX request_tasks_by_assignee ON request_tasks (assignee_id, state, due_at);

CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE webhook_secrets (
  endpoint_id TEXT PRIMARY KEY,
  secret TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id),
  task_key TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_at INTEGER,
  claimed_until INTEGER NOT NULL,
  last_status INTEGER,
  last_error TEXT NOT NULL,
  outcome TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  completed_at INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_at);
CREATE INDEX webhook_deliveries_by_task ON webhook_deliveries (ticket_id, task_key);
