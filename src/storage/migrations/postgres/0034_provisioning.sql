-- ONB-13: SCIM provisioning. A token per organisation (only its hash is kept); the identity
-- provider's id for a person; and when a person left (deleted by the identity provider or
-- offboarded), after which provisioning no longer lists them; and the type a provider gives an
-- address or a number (work, mobile…), which its later changes name.
CREATE TABLE scim_tokens (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX scim_tokens_by_organization ON scim_tokens (organization_id, id);
ALTER TABLE users ADD COLUMN external_id TEXT;
ALTER TABLE users ADD COLUMN left_at BIGINT;
CREATE UNIQUE INDEX users_by_external_id ON users (organization_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX users_present_by_age ON users (organization_id, created_at, id) WHERE left_at IS NULL;
ALTER TABLE identities ADD COLUMN label TEXT NOT NULL DEFAULT '';
