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
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX feedback_items_by_organization ON feedback_items (organization_id, id);
CREATE INDEX feedback_items_by_improvement ON feedback_items (improvement_id);
CREATE INDEX feedback_items_by_submitter ON feedback_items (submitter_id);

-- A notification may be about a feedback item. SQLite cannot change a CHECK: the table is made again.
CREATE TABLE notifications_next (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ticket_id TEXT REFERENCES tickets (id) ON DELETE CASCADE,
  plan_id TEXT REFERENCES onboarding_plans (id) ON DELETE CASCADE,
  requirement_id TEXT,
  topic_id TEXT,
  booking_id TEXT REFERENCES bookings (id) ON DELETE CASCADE,
  broadcast_id TEXT REFERENCES broadcasts (id) ON DELETE CASCADE,
  feedback_id TEXT REFERENCES feedback_items (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN requirement_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN topic_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN booking_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN broadcast_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN feedback_id IS NULL THEN 0 ELSE 1 END) = 1)
);
INSERT INTO notifications_next (id, user_id, ticket_id, plan_id, requirement_id, topic_id, booking_id, broadcast_id, event_id, kind,
                                summary, created_at, read_at)
  SELECT id, user_id, ticket_id, plan_id, requirement_id, topic_id, booking_id, broadcast_id, event_id, kind, summary, created_at,
         read_at
  FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_next RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
