-- ONB-7: terms and conditions per service or offering, kept as checked definitions with their
-- versions (texts in both languages; which one is current), and each person's acceptance of a
-- version: who, when, which version, through which channel.
CREATE TABLE terms (
  id TEXT PRIMARY KEY,
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE terms_acceptances (
  id TEXT PRIMARY KEY,
  terms_id TEXT NOT NULL,
  terms_version BIGINT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  channel TEXT NOT NULL,
  accepted_at BIGINT NOT NULL,
  UNIQUE (user_id, terms_id, terms_version)
);
