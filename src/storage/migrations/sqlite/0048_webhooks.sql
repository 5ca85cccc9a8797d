-- OPS-3, REL-5: outbound webhooks. A webhook is a URL subscribed to event types (their names one per line),
-- for every organisation or one; `local_network`: an administrator let it reach the
-- local network. Its secret is in webhook_secrets under its id, apart from what reads return.
-- Each event it hears is one row of event_deliveries, queued in the transaction of the change
-- it tells of and posted by a worker (claimed until `claimed_until`), with the same id and body
-- on every attempt.
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  organization_id TEXT REFERENCES organizations (id) ON DELETE CASCADE,
  local_network INTEGER NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE event_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_at INTEGER,
  claimed_until INTEGER NOT NULL,
  last_status INTEGER,
  last_error TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX event_deliveries_due ON event_deliveries (state, next_at);
CREATE INDEX event_deliveries_by_webhook ON event_deliveries (webhook_id, id);
