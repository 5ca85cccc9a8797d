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
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
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
  starts_at BIGINT,
  ends_at BIGINT,
  state TEXT NOT NULL,
  reach TEXT NOT NULL,
  created_by TEXT NOT NULL,
  published_at BIGINT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
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
-- A notification may be about a broadcast.
ALTER TABLE notifications ADD COLUMN broadcast_id TEXT REFERENCES broadcasts (id) ON DELETE CASCADE;
ALTER TABLE notifications DROP CONSTRAINT notifications_one_subject;
ALTER TABLE notifications ADD CONSTRAINT notifications_one_subject
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN requirement_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN topic_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN booking_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN broadcast_id IS NULL THEN 0 ELSE 1 END) = 1);
-- Mail out may tell of a broadcast instead of a ticket's change.
ALTER TABLE outgoing_mail ALTER COLUMN ticket_id DROP NOT NULL;
ALTER TABLE outgoing_mail ADD COLUMN broadcast_id TEXT REFERENCES broadcasts (id) ON DELETE CASCADE;
ALTER TABLE outgoing_mail ADD CONSTRAINT outgoing_mail_one_subject CHECK ((ticket_id IS NULL) <> (broadcast_id IS NULL));
