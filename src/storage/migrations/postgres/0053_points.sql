-- FDB-3: the state a shared resource was found in at pick-up (the car-share story: was the car
-- clean?), rated by its new holder and credited to the holder before — never to the rater. One
-- per booking; rating again replaces it.
CREATE TABLE condition_ratings (
  id TEXT PRIMARY KEY,
  booking_id TEXT NOT NULL UNIQUE REFERENCES bookings (id) ON DELETE CASCADE,
  resource_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  rater_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  previous_booking_id TEXT,
  credited_user_id TEXT,
  score BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX condition_ratings_by_resource ON condition_ratings (resource_id, created_at);
CREATE INDEX condition_ratings_by_rater ON condition_ratings (rater_id);

-- FDB-3: prize draws among an organisation's people who earned points in a period. The seed is
-- secret until the draw (its SHA-256 is shown from the start) and published after it, with the
-- entrants as drawn, so anyone can repeat the draw.
CREATE TABLE draws (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  prize TEXT NOT NULL,
  winners BIGINT NOT NULL,
  period_from BIGINT NOT NULL,
  period_to BIGINT NOT NULL,
  min_points BIGINT NOT NULL,
  weighted BIGINT NOT NULL,
  seed TEXT NOT NULL,
  seed_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  entrants TEXT NOT NULL,
  winner_ids TEXT NOT NULL,
  drawn_at BIGINT,
  created_by TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX draws_by_organization ON draws (organization_id, id);
-- Points earned in a period by an organisation's people.
CREATE INDEX reputation_events_by_time ON reputation_events (created_at, user_id);
