-- ONB-1: onboarding templates, kept as checked definitions like the catalog's (storage/definitions.h).
CREATE TABLE onboarding_templates (
  id TEXT PRIMARY KEY,
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
