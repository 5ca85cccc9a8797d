-- REL-4: the router's trained models (the newest of each kind suggests) and the labels agents
-- give by accepting or correcting a suggestion, which the next training reads before the
-- ticket's own fields. A model is fastText's own format, base64 in text (both stores alike).
CREATE TABLE router_models (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  model TEXT NOT NULL,
  examples INTEGER NOT NULL,
  held_out INTEGER NOT NULL,
  held_out_right INTEGER NOT NULL,
  trained_by TEXT NOT NULL,
  trained_at INTEGER NOT NULL
);
CREATE INDEX router_models_newest ON router_models (kind, trained_at);
CREATE TABLE routing_labels (
  ticket_id TEXT PRIMARY KEY REFERENCES tickets (id),
  team_id TEXT,
  category TEXT,
  suggested_team_id TEXT,
  suggested_category TEXT,
  corrected INTEGER NOT NULL,
  labelled_by TEXT NOT NULL,
  labelled_at INTEGER NOT NULL
);
