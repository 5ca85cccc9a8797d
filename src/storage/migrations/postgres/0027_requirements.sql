-- ONB-8: enablement requirements, kept as checked definitions like the catalog's, and the
-- evidence people give for them, each decided by the provider's agents. Days are YYYY-MM-DD.
CREATE TABLE requirements (
  id TEXT PRIMARY KEY,
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  active BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE requirement_evidence (
  id TEXT PRIMARY KEY,
  requirement_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  note TEXT NOT NULL,
  attachment_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  reason TEXT NOT NULL,
  decided_by TEXT,
  decided_at BIGINT,
  expires_on TEXT,
  reminded_at BIGINT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX requirement_evidence_by_user ON requirement_evidence (user_id, requirement_id, id);
CREATE INDEX requirement_evidence_by_status ON requirement_evidence (status, id);
-- The approvals whose reminder is still to be sent, by their last day.
CREATE INDEX requirement_evidence_to_remind ON requirement_evidence (expires_on) WHERE status = 'approved' AND reminded_at IS NULL;
