-- Attachments (issue: service desk core §4): metadata here, content on disk by its SHA-256 in
-- <data dir>/attachments, written once and shared by identical files.
CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  size BIGINT NOT NULL,
  content_type TEXT NOT NULL,
  internal BIGINT NOT NULL,
  uploaded_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX attachments_by_ticket ON attachments (ticket_id);
