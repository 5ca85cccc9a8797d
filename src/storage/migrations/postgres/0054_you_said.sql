-- FDB-2: "you said, we did". People's feedback — sent from the portal, or taken by staff from a
-- survey, a comment, a complaint or the community — is linked to an entry of the improvement
-- register; its organisation's people see what became of it, and the person who gave it is
-- told (a notification) when it is linked and whenever the improvement's status changes.
CREATE TABLE feedback_items (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  submitter_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  source TEXT NOT NULL,
  source_id TEXT,
  text TEXT NOT NULL,
  status TEXT NOT NULL,
  improvement_id TEXT REFERENCES improvements (id) ON DELETE SET NULL,
  public_note TEXT NOT NULL,
  created_by TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX feedback_items_by_organization ON feedback_items (organization_id, id);
CREATE INDEX feedback_items_by_improvement ON feedback_items (improvement_id);
CREATE INDEX feedback_items_by_submitter ON feedback_items (submitter_id);

-- A notification may be about a feedback item.
ALTER TABLE notifications ADD COLUMN feedback_id TEXT REFERENCES feedback_items (id) ON DELETE CASCADE;
ALTER TABLE notifications DROP CONSTRAINT notifications_one_subject;
ALTER TABLE notifications ADD CONSTRAINT notifications_one_subject
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN requirement_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN topic_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN booking_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN broadcast_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN feedback_id IS NULL THEN 0 ELSE 1 END) = 1);
