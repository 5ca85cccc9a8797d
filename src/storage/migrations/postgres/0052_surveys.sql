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
  anonymous BIGINT NOT NULL,
  opens_at BIGINT,
  closes_at BIGINT,
  reminder_days BIGINT NOT NULL,
  published_at BIGINT,
  invited_at BIGINT,
  closed_at BIGINT,
  created_by TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX surveys_to_invite ON surveys (invited_at, opens_at);
-- Who was asked, and whether they answered. For an anonymous survey this is the only place the
-- person is named, and `answered_on` is the survey's opening, as is its responses' time.
CREATE TABLE survey_invitations (
  survey_id TEXT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL,
  invited_at BIGINT NOT NULL,
  reminded_at BIGINT,
  answered_on BIGINT,
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
  nps BIGINT,
  submitted_at BIGINT NOT NULL
);
CREATE INDEX survey_responses_by_survey ON survey_responses (survey_id, organization_id);
CREATE INDEX survey_responses_by_time ON survey_responses (submitted_at);
CREATE UNIQUE INDEX survey_responses_one ON survey_responses (survey_id, user_id);

-- Mail out may tell of a survey (its invitation and reminder).
ALTER TABLE outgoing_mail ADD COLUMN survey_id TEXT REFERENCES surveys (id) ON DELETE CASCADE;
ALTER TABLE outgoing_mail DROP CONSTRAINT outgoing_mail_one_subject;
ALTER TABLE outgoing_mail ADD CONSTRAINT outgoing_mail_one_subject
  CHECK ((CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN broadcast_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN survey_id IS NULL THEN 0 ELSE 1 END) = 1);
