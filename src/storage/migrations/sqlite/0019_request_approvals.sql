-- DESK-5: the approvers of each step of a request's approval, resolved when it was submitted,
-- and their decisions (pending, approved, rejected; skipped once their step or the approval was
-- decided without them) with the comment given.
CREATE TABLE request_approvals (
  ticket_id TEXT NOT NULL REFERENCES tickets (id),
  step INTEGER NOT NULL,
  approver_id TEXT NOT NULL,
  all_needed INTEGER NOT NULL,
  decision TEXT NOT NULL,
  comment TEXT NOT NULL,
  decided_at INTEGER,
  PRIMARY KEY (ticket_id, step, approver_id)
);
CREATE INDEX request_approvals_by_approver ON request_approvals (approver_id, decision, ticket_id);
