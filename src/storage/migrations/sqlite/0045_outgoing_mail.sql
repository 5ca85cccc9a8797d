-- REL-1: mail we send, kept until the relay took it (a durable outbox that survives restarts).
-- A row is queued in the transaction of the change it tells of; the sender renders it when it
-- goes, in the recipient's language then. `message_id` (without <>) is fixed when queued, so a
-- retry is the same message and a reply to it threads to the ticket.
CREATE TABLE outgoing_mail (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id),
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
  sent_at INTEGER
);
CREATE INDEX outgoing_mail_due ON outgoing_mail (state, next_at);
CREATE INDEX outgoing_mail_by_ticket ON outgoing_mail (ticket_id);
CREATE UNIQUE INDEX outgoing_mail_by_message ON outgoing_mail (message_id);
