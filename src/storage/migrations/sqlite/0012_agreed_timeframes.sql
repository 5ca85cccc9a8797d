-- DESK-3: business calendars and SLA policies. Each row's definition is a JSON object checked
-- and read by usecase/calendars and usecase/sla_policies; position orders the policies (ties by
-- id) and is 0 for calendars.
CREATE TABLE calendars (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE sla_policies (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX sla_policies_order ON sla_policies (position, id);

-- DESK-3: a ticket keeps the policy that applied at its last change, the history its SLA clock
-- reads (usecase/ticket_sla), the next instant one of its targets crosses a threshold, and the
-- crossings already announced, so that the timers announce each exactly once.
ALTER TABLE tickets ADD COLUMN sla_policy_id TEXT;
ALTER TABLE tickets ADD COLUMN sla_history TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN sla_next_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_fired TEXT NOT NULL DEFAULT '';
CREATE INDEX tickets_by_sla_next ON tickets (sla_next_at) WHERE sla_next_at IS NOT NULL;
