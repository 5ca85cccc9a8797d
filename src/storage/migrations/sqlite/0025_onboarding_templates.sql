-- ONB-1: onboarding templates, kept as checked definitions like the catalog's (storage/definitions.h).
CREATE TABLE onboarding_templates (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
