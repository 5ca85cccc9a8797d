-- DESK-8: moments of truth. Teams get a lead, who receives the recovery tasks that negative
-- signals (a complaint, a reopen; later a low rating or a breach) open.
ALTER TABLE teams ADD COLUMN lead_id TEXT REFERENCES users (id);

CREATE TABLE recovery_tasks (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL,
  signal TEXT NOT NULL,
  assignee_id TEXT REFERENCES users (id),
  status TEXT NOT NULL CHECK (status IN ('open', 'done')),
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  done_at BIGINT,
  done_by TEXT
);
CREATE INDEX recovery_tasks_by_status ON recovery_tasks (status, id);
CREATE INDEX recovery_tasks_by_ticket ON recovery_tasks (ticket_id);
