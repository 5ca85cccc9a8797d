-- FDB-1: relationship surveys. A survey asks the people of some customer organisations (all of
-- them when it names none) the built-in NPS question and the author's own, as data (`questions`,
-- JSON). Published, it opens at `opens_at` — everyone it concerns is invited then, in one
-- transaction — and closes at `closes_at` or when closed by hand; an invitation not answered
-- gets one reminder `reminder_days` after it.
CREATE TABLE surveys (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  intro TEXT NOT NULL,
  questions TEXT NOT NULL,
  organization_ids TEXT NOT NULL,
  service_id TEXT,
  anonymous INTEGER NOT NULL,
  opens_at INTEGER,
  closes_at INTEGER,
  reminder_days INTEGER NOT NULL,
  published_at INTEGER,
  invited_at INTEGER,
  closed_at INTEGER,
  created_by TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX surveys_to_invite ON surveys (invited_at, opens_at);
-- Who was asked, and whether they answered. For an anonymous survey this is the only place the
-- person is named, and `answered_on` is the survey's opening, as is its responses' time.
CREATE TABLE survey_invitations (
  survey_id TEXT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL,
  invited_at INTEGER NOT NULL,
  reminded_at INTEGER,
  answered_on INTEGER,
  PRIMARY KEY (survey_id, user_id)
);
CREATE INDEX survey_invitations_by_user ON survey_invitations (user_id);
CREATE INDEX survey_invitations_to_remind ON survey_invitations (survey_id, reminded_at, answered_on);
-- The answers: `scores` holds the numbers (NPS, scales, choices), `texts` what people wrote —
-- erasure empties the texts and keeps the scores; `nps` is the NPS answer again, for reports
-- counted by the database. An anonymous survey's responses name no one; their time is the
-- survey's opening.
CREATE TABLE survey_responses (
  id TEXT PRIMARY KEY,
  survey_id TEXT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL,
  user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  scores TEXT NOT NULL,
  texts TEXT NOT NULL,
  nps INTEGER,
  submitted_at INTEGER NOT NULL
);
CREATE INDEX survey_responses_by_survey ON survey_responses (survey_id, organization_id);
CREATE INDEX survey_responses_by_time ON survey_responses (submitted_at);
CREATE UNIQUE INDEX survey_responses_one ON survey_responses (survey_id, user_id);

-- Mail out may tell of a survey (its invitation and reminder). SQLite cannot change a CHECK: the
-- table is made again.
CREATE TABLE outgoing_mail_next (
  id TEXT PRIMARY KEY,
  ticket_id TEXT REFERENCES tickets (id),
  broadcast_id TEXT REFERENCES broadcasts (id) ON DELETE CASCADE,
  survey_id TEXT REFERENCES surveys (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  organization_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  message_id TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_at INTEGER,
  claimed_until INTEGER NOT NULL,
  recipient TEXT NOT NULL,
  last_error TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN broadcast_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN survey_id IS NULL THEN 0 ELSE 1 END) = 1)
);
INSERT INTO outgoing_mail_next (id, ticket_id, broadcast_id, event_id, user_id, organization_id, kind, message_id, state, attempts,
                                next_at, claimed_until, recipient, last_error, created_at, sent_at)
  SELECT id, ticket_id, broadcast_id, event_id, user_id, organization_id, kind, message_id, state, attempts, next_at, claimed_until,
         recipient, last_error, created_at, sent_at
  FROM outgoing_mail;
DROP TABLE outgoing_mail;
ALTER TABLE outgoing_mail_next RENAME TO outgoing_mail;
CREATE INDEX outgoing_mail_due ON outgoing_mail (state, next_at);
CREATE INDEX outgoing_mail_by_ticket ON outgoing_mail (ticket_id);
CREATE UNIQUE INDEX outgoing_mail_by_message ON outgoing_mail (message_id);
