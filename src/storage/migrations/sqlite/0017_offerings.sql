-- ONB-6, DESK-5: service offerings and their tiers, kept as checked JSON definitions like the
-- rest of the catalog (usecase/offerings).
CREATE TABLE offerings (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE offering_tiers (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- ONB-6: an organisation (user_id NULL) or one of its users holds a tier of an offering from
-- starts_at until ends_at (NULL: open-ended). Consumer data: read through a Scope.
CREATE TABLE subscriptions (
  id TEXT PRIMARY KEY,
  offering_id TEXT NOT NULL,
  tier_id TEXT NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  user_id TEXT REFERENCES users (id),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX subscriptions_by_organization ON subscriptions (organization_id, starts_at);
CREATE INDEX subscriptions_by_tier ON subscriptions (tier_id);
