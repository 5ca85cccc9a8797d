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
  active BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX shared_resources_by_organization ON shared_resources (organization_id, id);
CREATE TABLE bookings (
  id TEXT PRIMARY KEY,
  resource_id TEXT NOT NULL REFERENCES shared_resources (id),
  organization_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  picked_up_at BIGINT,
  returned_at BIGINT,
  expected_return_at BIGINT,
  location TEXT NOT NULL,
  alerted_estimate BIGINT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX bookings_by_resource ON bookings (resource_id, starts_at);
CREATE INDEX bookings_by_user ON bookings (user_id, starts_at);
CREATE INDEX bookings_out ON bookings (state, ends_at);
-- A notification may also be about a booking (the one before running late).
ALTER TABLE notifications ADD COLUMN booking_id TEXT REFERENCES bookings (id) ON DELETE CASCADE;
ALTER TABLE notifications DROP CONSTRAINT notifications_one_subject;
ALTER TABLE notifications ADD CONSTRAINT notifications_one_subject
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN requirement_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN topic_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN booking_id IS NULL THEN 0 ELSE 1 END) = 1);
