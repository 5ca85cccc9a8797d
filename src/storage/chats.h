// REL-3: chats with the knowledge bot and the agents it hands over to, with their messages in
// order. Reads of lists take a Scope: staff see every chat, anyone else only their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/scope.h"

namespace tandem::storage {

struct Chat {
  std::string id;
  std::string organization_id;
  std::string user_id;
  std::string language;        // the user's, which the bot answers in
  std::string state = "bot";   // bot, agent, ended
  std::optional<std::string> outcome;         // resolved_by_bot, handed_off, ticket, abandoned
  std::optional<std::string> handoff_reason;  // low_confidence, asked_for_person, failed_answers
  int failures = 0;
  bool answered = false;
  std::optional<std::string> agent_id;
  std::optional<std::string> ticket_id;
  std::optional<std::int64_t> promised_at;  // the reply promised with a ticket opened for want of an agent
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> handed_off_at, ended_at;
  std::int64_t version = 1;
};
std::string canonical(const Chat& c);

struct ChatMessage {
  std::string id;
  std::string chat_id;
  std::int64_t seq = 0;  // its place in the chat, from 1
  std::string author;  // user, bot, agent
  std::optional<std::string> author_id;
  std::string body;
  std::optional<std::string> article_id;  // the article a bot answer quotes
  std::optional<std::int64_t> confidence;  // of that answer, per cent
  std::int64_t created_at = 0;
};

struct ChatFilter {
  std::optional<std::string> state;     // bot, agent, ended
  std::optional<std::string> agent_id;  // the agent's chats
};

// The bot's results over chats started in [from, to): how many, and how each went on.
struct ChatCounts {
  std::int64_t chats = 0;            // with at least one message from the user
  std::int64_t resolved_by_bot = 0;  // the user said an answer helped
  std::int64_t handed_off = 0;       // the bot gave up: to an agent, or to a ticket when none was online
  std::int64_t to_agent = 0, to_ticket = 0;
  std::int64_t tickets_asked = 0;    // the user asked the bot for a ticket
  std::int64_t abandoned = 0;
  std::int64_t open = 0;             // not ended yet
};

namespace chats {
Result<void> insert(Connection& c, const Chat& chat);
// Writes `chat` over the row at `chat.version - 1`; false when the row has moved on meanwhile
// (another change won the race), and nothing is written.
Result<bool> update(Connection& c, const Chat& chat);
Result<std::optional<Chat>> find(Connection& c, std::string_view id, Lock lock = Lock::none);
// The user's chat that has not ended, newest first.
Result<std::optional<Chat>> open_of_user(Connection& c, std::string_view user_id, Lock lock = Lock::none);
// Newest first, as `scope` sees them.
Result<Page<Chat>> list(Connection& c, const Scope& scope, const ChatFilter& filter, const PageRequest& page);
// How many chats each of `agent_ids` holds now.
Result<std::vector<std::pair<std::string, std::int64_t>>> load_of_agents(Connection& c, const std::vector<std::string>& agent_ids);
// Chats not ended and quiet since before `before`, oldest first.
Result<std::vector<Chat>> idle(Connection& c, std::int64_t before, int limit);
Result<ChatCounts> counts(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to);
// REL-1: a merged duplicate's chats, and the lines they wrote, become the survivor's; a chat of
// theirs still in progress ends first (a person has one at a time).
Result<void> move_user(Connection& c, std::string_view from, std::string_view to);
}  // namespace chats

namespace chat_messages {
// Appends `m` at the chat's next place (m.seq is set). The chat's row must be held (written or
// locked) by the transaction.
Result<void> append(Connection& c, ChatMessage& m);
// In order; at most `limit`, the last ones when there are more.
Result<std::vector<ChatMessage>> of_chat(Connection& c, std::string_view chat_id, int limit = 500);
}  // namespace chat_messages

}  // namespace tandem::storage
