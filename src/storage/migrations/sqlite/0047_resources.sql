-- REL-5: shared resources an organisation's people book in turn (the car-share club's cars), and
-- their bookings. A booking is booked → picked_up → returned, or cancelled; while it is out its
-- holder may say when they expect to be back. `alerted_estimate`: what the holder of this
-- booking was last told of the one before it running late (so each estimate is told once).
CREATE TABLE shared_resources (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  location TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX shared_resources_by_organization ON shared_resources (organization_id, id);
CREATE TABLE bookings (
  id TEXT PRIMARY KEY,
  resource_id TEXT NOT NULL REFERENCES shared_resources (id),
  organization_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  picked_up_at INTEGER,
  returned_at INTEGER,
  expected_return_at INTEGER,
  location TEXT NOT NULL,
  alerted_estimate INTEGER,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX bookings_by_resource ON bookings (resource_id, starts_at);
CREATE INDEX bookings_by_user ON bookings (user_id, starts_at);
CREATE INDEX bookings_out ON bookings (state, ends_at);
-- A notification may also be about a booking (the one before running late). SQLite cannot
-- change a CHECK: the table is made again.
CREATE TABLE notifications_next (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ticket_id TEXT REFERENCES tickets (id) ON DELETE CASCADE,
  plan_id TEXT REFERENCES onboarding_plans (id) ON DELETE CASCADE,
  requirement_id TEXT,
  topic_id TEXT,
  booking_id TEXT REFERENCES bookings (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN requirement_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN topic_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN booking_id IS NULL THEN 0 ELSE 1 END) = 1)
);
INSERT INTO notifications_next (id, user_id, ticket_id, plan_id, requirement_id, topic_id, event_id, kind, summary, created_at, read_at)
  SELECT id, user_id, ticket_id, plan_id, requirement_id, topic_id, event_id, kind, summary, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_next RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
