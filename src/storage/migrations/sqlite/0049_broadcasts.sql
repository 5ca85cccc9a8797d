-- REL-5: proactive communication. A person subscribes to a service's news through the channels
-- they choose (`channels`: one per line of portal, email, sms, push; empty: they asked to hear
-- none). A broadcast — a maintenance window, a major incident's news, a notice — is written by
-- staff in each language and published once to the people it concerns, each recorded in
-- broadcast_recipients with the channels it went by.
CREATE TABLE service_subscriptions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  channels TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX service_subscriptions_one ON service_subscriptions (user_id, service_id);
CREATE INDEX service_subscriptions_by_service ON service_subscriptions (service_id);
CREATE TABLE broadcasts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  service_id TEXT,
  ticket_id TEXT REFERENCES tickets (id),
  organization_ids TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  starts_at INTEGER,
  ends_at INTEGER,
  state TEXT NOT NULL,
  reach TEXT NOT NULL,
  created_by TEXT NOT NULL,
  published_at INTEGER,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX broadcasts_by_time ON broadcasts (created_at);
CREATE TABLE broadcast_recipients (
  broadcast_id TEXT NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL,
  channels TEXT NOT NULL,
  PRIMARY KEY (broadcast_id, user_id)
);
CREATE INDEX broadcast_recipients_by_user ON broadcast_recipients (user_id, broadcast_id);
-- A notification may be about a broadcast. SQLite cannot change a CHECK: the table is made again.
CREATE TABLE notifications_next (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ticket_id TEXT REFERENCES tickets (id) ON DELETE CASCADE,
  plan_id TEXT REFERENCES onboarding_plans (id) ON DELETE CASCADE,
  requirement_id TEXT,
  topic_id TEXT,
  booking_id TEXT REFERENCES bookings (id) ON DELETE CASCADE,
  broadcast_id TEXT REFERENCES broadcasts (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN requirement_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN topic_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN booking_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN broadcast_id IS NULL THEN 0 ELSE 1 END) = 1)
);
INSERT INTO notifications_next (id, user_id, ticket_id, plan_id, requirement_id, topic_id, booking_id, event_id, kind, summary, created_at,
                                read_at)
  SELECT id, user_id, ticket_id, plan_id, requirement_id, topic_id, booking_id, event_id, kind, summary, created_at, read_at
  FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_next RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
-- Mail out may tell of a broadcast instead of a ticket's change.
CREATE TABLE outgoing_mail_next (
  id TEXT PRIMARY KEY,
  ticket_id TEXT REFERENCES tickets (id),
  broadcast_id TEXT REFERENCES broadcasts (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  organization_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  message_id TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_at INTEGER,
  claimed_until INTEGER NOT NULL,
  recipient TEXT NOT NULL,
  last_error TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  CHECK ((ticket_id IS NULL) <> (broadcast_id IS NULL))
);
INSERT INTO outgoing_mail_next (id, ticket_id, event_id, user_id, organization_id, kind, message_id, state, attempts, next_at,
                                claimed_until, recipient, last_error, created_at, sent_at)
  SELECT id, ticket_id, event_id, user_id, organization_id, kind, message_id, state, attempts, next_at, claimed_until, recipient,
         last_error, created_at, sent_at
  FROM outgoing_mail;
DROP TABLE outgoing_mail;
ALTER TABLE outgoing_mail_next RENAME TO outgoing_mail;
CREATE INDEX outgoing_mail_due ON outgoing_mail (state, next_at);
CREATE INDEX outgoing_mail_by_ticket ON outgoing_mail (ticket_id);
CREATE UNIQUE INDEX outgoing_mail_by_message ON outgoing_mail (message_id);
