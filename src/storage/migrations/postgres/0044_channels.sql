-- REL-1, REL-3, DESK-10: channels that deliver messages besides the portal (e-mail, messaging,
-- telephony, monitoring). A hook's secret is kept as it is: checking an HMAC needs it.
-- `requester_id`: who raises a monitoring channel's incidents (an account made with the channel);
-- `organization_id`: where a sender nobody knows is added as a user (none: such messages wait in
-- the delivery log).
CREATE TABLE channels (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  address TEXT,
  format TEXT NOT NULL,
  secret TEXT NOT NULL,
  organization_id TEXT REFERENCES organizations (id),
  requester_id TEXT REFERENCES users (id),
  active BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- Every delivery a hook answered, refused ones too: what came, what it did, why.
CREATE TABLE channel_deliveries (
  id TEXT PRIMARY KEY,
  channel_id TEXT NOT NULL REFERENCES channels (id),
  outcome TEXT NOT NULL,
  status BIGINT NOT NULL,
  reason TEXT NOT NULL,
  message_id TEXT,
  ticket_id TEXT,
  payload TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX channel_deliveries_by_channel ON channel_deliveries (channel_id, id);
-- Each message a channel filed, once: a repeated message id is the same message. E-mail's
-- Message-IDs thread replies, whichever channel carried them.
CREATE TABLE channel_messages (
  channel_id TEXT NOT NULL REFERENCES channels (id),
  message_id TEXT NOT NULL,
  ticket_id TEXT NOT NULL REFERENCES tickets (id),
  event_id TEXT,
  user_id TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (channel_id, message_id)
);
CREATE INDEX channel_messages_by_id ON channel_messages (message_id);
CREATE INDEX channel_messages_by_sender ON channel_messages (channel_id, user_id, created_at);
CREATE INDEX channel_messages_by_ticket ON channel_messages (ticket_id);
-- A conversation a channel keeps on one ticket: an alert group's incident, with the service its
-- alerts name (many at once for one service make a major incident).
CREATE TABLE channel_threads (
  channel_id TEXT NOT NULL REFERENCES channels (id),
  thread_key TEXT NOT NULL,
  ticket_id TEXT NOT NULL REFERENCES tickets (id),
  service TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (channel_id, thread_key)
);
CREATE INDEX channel_threads_by_service ON channel_threads (channel_id, service, updated_at);
