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
  accepted_at INTEGER,
  accepted_version INTEGER,
  review TEXT,
  created_by TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX onboarding_plans_by_organization ON onboarding_plans (organization_id, id);
CREATE INDEX onboarding_plans_by_user ON onboarding_plans (user_id, id);

CREATE TABLE onboarding_plan_events (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES onboarding_plans (id) ON DELETE CASCADE,
  plan_version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  action_id TEXT,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX onboarding_plan_events_by_plan ON onboarding_plan_events (plan_id, plan_version);

-- ONB-3, ONB-8: a notification is about a ticket, an onboarding plan (its owners hear of each
-- change of their actions) or an enablement requirement (an approval about to run out). SQLite
-- cannot drop a NOT NULL: the table is made again.
CREATE TABLE notifications_next (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ticket_id TEXT REFERENCES tickets (id) ON DELETE CASCADE,
  plan_id TEXT REFERENCES onboarding_plans (id) ON DELETE CASCADE,
  requirement_id TEXT,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN requirement_id IS NULL THEN 0 ELSE 1 END) = 1)
);
INSERT INTO notifications_next (id, user_id, ticket_id, event_id, kind, summary, created_at, read_at)
  SELECT id, user_id, ticket_id, event_id, kind, summary, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_next RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
