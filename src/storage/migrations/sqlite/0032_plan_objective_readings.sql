-- ONB-4: each plan's objectives as last measured from the desk's data, and when. Reading a plan
-- shows these; a background beat measures them again when they are a few minutes old, so a plan
-- page never waits for a count over every ticket of a large organisation.
CREATE TABLE plan_objective_readings (
  plan_id TEXT PRIMARY KEY REFERENCES onboarding_plans (id),
  readings TEXT NOT NULL,
  measured_at INTEGER NOT NULL
);
CREATE INDEX plan_objective_readings_by_age ON plan_objective_readings (measured_at);
