-- ONB-2, ONB-3, ONB-5: onboarding plans made from a template. The plan keeps the template as it
-- was when instantiated (definition: name, method, checklist, objectives, scope) and its actions,
-- each with its due date, owner and state, as one JSON list: the plan is read and changed whole,
-- under its version. Its timeline is append-only: one event per version of the plan.
CREATE TABLE onboarding_plans (
  id TEXT PRIMARY KEY,
  template_id TEXT NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  user_id TEXT REFERENCES users (id),
  scenario TEXT NOT NULL,
  status TEXT NOT NULL,
  definition TEXT NOT NULL,
  actions TEXT NOT NULL,
  calendar_id TEXT,
  start_date TEXT NOT NULL,
  accepted_by TEXT REFERENCES users (id),
  accepted_at BIGINT,
  accepted_version BIGINT,
  review TEXT,
  created_by TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX onboarding_plans_by_organization ON onboarding_plans (organization_id, id);
CREATE INDEX onboarding_plans_by_user ON onboarding_plans (user_id, id);

CREATE TABLE onboarding_plan_events (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES onboarding_plans (id) ON DELETE CASCADE,
  plan_version BIGINT NOT NULL,
  kind TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  action_id TEXT,
  data TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX onboarding_plan_events_by_plan ON onboarding_plan_events (plan_id, plan_version);

-- ONB-3, ONB-8: a notification is about a ticket, an onboarding plan (its owners hear of each
-- change of their actions) or an enablement requirement (an approval about to run out).
ALTER TABLE notifications ALTER COLUMN ticket_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN plan_id TEXT REFERENCES onboarding_plans (id) ON DELETE CASCADE;
ALTER TABLE notifications ADD COLUMN requirement_id TEXT;
ALTER TABLE notifications ADD CONSTRAINT notifications_one_subject
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN requirement_id IS NULL THEN 0 ELSE 1 END) = 1);
