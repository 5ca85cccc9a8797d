-- COM-1…COM-4: the user community. Spaces (their audience in `audiences`, owner = the space),
-- topics whose opening post is their first post, replies, votes, flags, the reputation ledger,
-- super users, the moderation log and subscriptions.
CREATE TABLE spaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  service_id TEXT,
  language TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE topics (
  id TEXT PRIMARY KEY,
  space_id TEXT NOT NULL REFERENCES spaces (id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  author_id TEXT NOT NULL,
  first_post_id TEXT NOT NULL,
  accepted_post_id TEXT,
  ticket_id TEXT,
  locked INTEGER NOT NULL,
  hidden INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  merged_into TEXT,
  replies INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX topics_by_space ON topics (space_id, last_activity_at);
CREATE INDEX topics_by_ticket ON topics (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE TABLE posts (
  id TEXT PRIMARY KEY,
  topic_id TEXT NOT NULL REFERENCES topics (id),
  author_id TEXT NOT NULL,
  body TEXT NOT NULL,
  by_staff INTEGER NOT NULL,
  hidden INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  score INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  edited_at INTEGER
);
CREATE INDEX posts_by_topic ON posts (topic_id, id);
CREATE INDEX posts_by_author ON posts (author_id, created_at);
CREATE TABLE votes (
  post_id TEXT NOT NULL REFERENCES posts (id),
  user_id TEXT NOT NULL,
  value INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (post_id, user_id)
);
CREATE TABLE flags (
  post_id TEXT NOT NULL REFERENCES posts (id),
  user_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  trusted INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  reviewed_at INTEGER,
  PRIMARY KEY (post_id, user_id)
);
-- FDB-3, COM-3: every change of a person's reputation, with what caused it. `day` is the UTC
-- day the daily cap counts in.
CREATE TABLE reputation_events (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  space_id TEXT,
  points INTEGER NOT NULL,
  earned INTEGER NOT NULL,
  reason TEXT NOT NULL,
  source_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  day TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX reputation_by_user ON reputation_events (user_id, created_at);
CREATE INDEX reputation_by_space ON reputation_events (space_id, created_at);
CREATE INDEX reputation_by_source ON reputation_events (source_id, actor_id);
CREATE TABLE super_users (
  space_id TEXT NOT NULL REFERENCES spaces (id),
  user_id TEXT NOT NULL,
  backup_user_id TEXT NOT NULL,
  appointed_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (space_id, user_id)
);
CREATE TABLE moderation_log (
  id TEXT PRIMARY KEY,
  action TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  space_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  before_state TEXT NOT NULL,
  after_state TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE community_subscriptions (
  user_id TEXT NOT NULL,
  target_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, target_id)
);
CREATE INDEX community_subscriptions_by_target ON community_subscriptions (target_id);
-- COM-1: a notification may also be about a community topic (a reply to one followed, a new
-- topic in a space followed). SQLite cannot change a CHECK: the table is made again.
CREATE TABLE notifications_next (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ticket_id TEXT REFERENCES tickets (id) ON DELETE CASCADE,
  plan_id TEXT REFERENCES onboarding_plans (id) ON DELETE CASCADE,
  requirement_id TEXT,
  topic_id TEXT,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN requirement_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN topic_id IS NULL THEN 0 ELSE 1 END) = 1)
);
INSERT INTO notifications_next (id, user_id, ticket_id, plan_id, requirement_id, event_id, kind, summary, created_at, read_at)
  SELECT id, user_id, ticket_id, plan_id, requirement_id, event_id, kind, summary, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_next RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
