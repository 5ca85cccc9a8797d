-- REL-3: chats with the knowledge bot. A chat belongs to the user who started it (and their
-- organisation); `state` is bot (the bot answers), agent (an agent took it over: agent_id) or
-- ended. `outcome` says how it ended or moved on — resolved_by_bot, handed_off (to an agent),
-- ticket (opened with the transcript: ticket_id), abandoned — and `handoff_reason` why the bot
-- gave it up (low_confidence, asked_for_person, failed_answers). `failures` and `answered` are
-- the bot's memory (domain/chat/bot.h); `version` counts its changes. Messages are kept in order
-- (`seq`, counted per chat under the chat's lock: ids made in one millisecond do not sort); a bot answer names the
-- article it quoted and its confidence in per cent.
CREATE TABLE chats (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  state TEXT NOT NULL,
  outcome TEXT,
  handoff_reason TEXT,
  failures BIGINT NOT NULL,
  answered BIGINT NOT NULL,
  agent_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  ticket_id TEXT REFERENCES tickets (id) ON DELETE SET NULL,
  promised_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  handed_off_at BIGINT,
  ended_at BIGINT,
  version BIGINT NOT NULL
);
CREATE INDEX chats_by_user ON chats (user_id, state);
CREATE INDEX chats_by_agent ON chats (agent_id, state);
CREATE INDEX chats_by_time ON chats (created_at);
CREATE INDEX chats_open ON chats (state, updated_at);
-- A person has one chat in progress at a time, however many windows they open.
CREATE UNIQUE INDEX chats_one_open ON chats (user_id) WHERE state <> 'ended';
CREATE TABLE chat_messages (
  id TEXT PRIMARY KEY,
  chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  author TEXT NOT NULL,
  author_id TEXT,
  body TEXT NOT NULL,
  article_id TEXT,
  confidence BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX chat_messages_in_order ON chat_messages (chat_id, seq);
