#include "storage/chats.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kChatColumns =
    "id, organization_id, user_id, language, state, outcome, handoff_reason, failures, answered, agent_id, ticket_id, promised_at, "
    "created_at, updated_at, handed_off_at, ended_at, version";

Chat chat_from(const Row& r) {
  Chat c;
  c.id = r.text(0);
  c.organization_id = r.text(1);
  c.user_id = r.text(2);
  c.language = r.text(3);
  c.state = r.text(4);
  c.outcome = r.maybe_text(5);
  c.handoff_reason = r.maybe_text(6);
  c.failures = int(r.integer(7));
  c.answered = r.integer(8) != 0;
  c.agent_id = r.maybe_text(9);
  c.ticket_id = r.maybe_text(10);
  c.promised_at = r.maybe_integer(11);
  c.created_at = r.integer(12);
  c.updated_at = r.integer(13);
  c.handed_off_at = r.maybe_integer(14);
  c.ended_at = r.maybe_integer(15);
  c.version = r.integer(16);
  return c;
}

std::vector<Chat> chats_from(const Rows& rows) {
  std::vector<Chat> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(chat_from(r));
  return out;
}

constexpr std::string_view kMessageColumns = "id, chat_id, seq, author, author_id, body, article_id, confidence, created_at";

}  // namespace

std::string canonical(const Chat& c) {
  return fmt::format("chat\nid={}\norganization={}\nuser={}\nstate={}\noutcome={}\nreason={}\nagent={}\nticket={}\n", c.id,
                     c.organization_id, c.user_id, c.state, c.outcome.value_or(""), c.handoff_reason.value_or(""),
                     c.agent_id.value_or(""), c.ticket_id.value_or(""));
}

namespace chats {

Result<void> insert(Connection& c, const Chat& chat) {
  TRY(c.execute(fmt::format("INSERT INTO chats ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kChatColumns),
                {chat.id, chat.organization_id, chat.user_id, chat.language, chat.state, optional_text(chat.outcome),
                 optional_text(chat.handoff_reason), std::int64_t(chat.failures), std::int64_t(chat.answered ? 1 : 0),
                 optional_text(chat.agent_id), optional_text(chat.ticket_id), optional_integer(chat.promised_at), chat.created_at,
                 chat.updated_at, optional_integer(chat.handed_off_at), optional_integer(chat.ended_at), chat.version}));
  return {};
}

Result<bool> update(Connection& c, const Chat& chat) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE chats SET state = ?, outcome = ?, handoff_reason = ?, failures = ?, answered = ?, agent_id = ?, "
                                     "ticket_id = ?, promised_at = ?, updated_at = ?, handed_off_at = ?, ended_at = ?, version = ? "
                                     "WHERE id = ? AND version = ?",
                                     {chat.state, optional_text(chat.outcome), optional_text(chat.handoff_reason), std::int64_t(chat.failures),
                                      std::int64_t(chat.answered ? 1 : 0), optional_text(chat.agent_id), optional_text(chat.ticket_id),
                                      optional_integer(chat.promised_at), chat.updated_at, optional_integer(chat.handed_off_at),
                                      optional_integer(chat.ended_at), chat.version, chat.id, chat.version - 1}));
  return n == 1;
}

Result<std::optional<Chat>> find(Connection& c, std::string_view id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM chats WHERE id = ?{}", kChatColumns,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return chat_from(rows[0]);
}

Result<std::optional<Chat>> open_of_user(Connection& c, std::string_view user_id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM chats WHERE user_id = ? AND state <> 'ended' ORDER BY id DESC LIMIT 1{}",
                                                  kChatColumns, lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(user_id)}));
  if (rows.empty()) return std::nullopt;
  return chat_from(rows[0]);
}

Result<Page<Chat>> list(Connection& c, const Scope& scope, const ChatFilter& filter, const PageRequest& page) {
  std::vector<Value> params;
  params.reserve(6);
  std::string where = scope.organization_condition("organization_id", params);
  if (!scope.sees_everything()) where += " AND user_id = ?", params.emplace_back(scope.user_id());
  if (filter.state) where += " AND state = ?", params.emplace_back(*filter.state);
  if (filter.agent_id) where += " AND agent_id = ?", params.emplace_back(*filter.agent_id);
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM chats WHERE {} ORDER BY id DESC LIMIT ?", kChatColumns, where), params));
  return make_page(chats_from(rows), page.limit, [](const Chat& chat) { return chat.id; });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> load_of_agents(Connection& c, const std::vector<std::string>& agent_ids) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  if (agent_ids.empty()) return out;
  std::vector<Value> params(agent_ids.begin(), agent_ids.end());
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT agent_id, COUNT(*) FROM chats WHERE state = 'agent' AND agent_id IN ({}) "
                                                  "GROUP BY agent_id",
                                                  placeholders(agent_ids.size())),
                                      params));
  for (const auto& id : agent_ids) {
    std::int64_t n = 0;
    for (const auto& r : rows)
      if (r.text(0) == id) n = r.integer(1);
    out.emplace_back(id, n);
  }
  return out;
}

Result<std::vector<Chat>> idle(Connection& c, std::int64_t before, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM chats WHERE state <> 'ended' AND updated_at < ? ORDER BY updated_at LIMIT ?",
                                                  kChatColumns),
                                      {before, std::int64_t(limit)}));
  return chats_from(rows);
}

Result<ChatCounts> counts(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to) {
  std::vector<Value> params;
  params.reserve(3);
  std::string where = scope.organization_condition("organization_id", params);
  params.emplace_back(from);
  params.emplace_back(to);
  // A chat opened and left without a word from the user is no conversation of the bot's.
  ASSIGN_OR_RETURN(auto rows,
                   c.query(fmt::format("SELECT COUNT(*), "
                                       "SUM(CASE WHEN outcome = 'resolved_by_bot' THEN 1 ELSE 0 END), "
                                       "SUM(CASE WHEN handed_off_at IS NOT NULL THEN 1 ELSE 0 END), "
                                       "SUM(CASE WHEN handed_off_at IS NOT NULL AND outcome = 'handed_off' THEN 1 ELSE 0 END), "
                                       "SUM(CASE WHEN handed_off_at IS NOT NULL AND outcome = 'ticket' THEN 1 ELSE 0 END), "
                                       "SUM(CASE WHEN handed_off_at IS NULL AND outcome = 'ticket' THEN 1 ELSE 0 END), "
                                       "SUM(CASE WHEN outcome = 'abandoned' THEN 1 ELSE 0 END), "
                                       "SUM(CASE WHEN state <> 'ended' THEN 1 ELSE 0 END) "
                                       "FROM chats WHERE {} AND created_at >= ? AND created_at < ? "
                                       "AND EXISTS (SELECT 1 FROM chat_messages m WHERE m.chat_id = chats.id AND m.author = 'user')",
                                       where),
                           params));
  ChatCounts n;
  if (rows.empty()) return n;
  const auto& r = rows[0];
  n.chats = r.integer(0);
  n.resolved_by_bot = r.integer(1);
  n.handed_off = r.integer(2);
  n.to_agent = r.integer(3);
  n.to_ticket = r.integer(4);
  n.tickets_asked = r.integer(5);
  n.abandoned = r.integer(6);
  n.open = r.integer(7);
  return n;
}

Result<void> move_user(Connection& c, std::string_view from, std::string_view to) {
  TRY(c.execute("UPDATE chats SET state = 'ended', outcome = COALESCE(outcome, 'abandoned'), ended_at = updated_at, version = version + 1 "
                "WHERE user_id = ? AND state <> 'ended'",
                {std::string(from)}));
  TRY(c.execute("UPDATE chats SET user_id = ? WHERE user_id = ?", {std::string(to), std::string(from)}));
  TRY(c.execute("UPDATE chat_messages SET author_id = ? WHERE author_id = ?", {std::string(to), std::string(from)}));
  return {};
}

}  // namespace chats

namespace chat_messages {

Result<void> append(Connection& c, ChatMessage& m) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COALESCE(MAX(seq), 0) FROM chat_messages WHERE chat_id = ?", {m.chat_id}));
  m.seq = (rows.empty() ? 0 : rows[0].integer(0)) + 1;
  TRY(c.execute(fmt::format("INSERT INTO chat_messages ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", kMessageColumns),
                {m.id, m.chat_id, m.seq, m.author, optional_text(m.author_id), m.body, optional_text(m.article_id), optional_integer(m.confidence),
                 m.created_at}));
  return {};
}

Result<std::vector<ChatMessage>> of_chat(Connection& c, std::string_view chat_id, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM (SELECT {} FROM chat_messages WHERE chat_id = ? ORDER BY seq DESC LIMIT ?) "
                                                  "newest ORDER BY seq",
                                                  kMessageColumns, kMessageColumns),
                                      {std::string(chat_id), std::int64_t(limit)}));
  std::vector<ChatMessage> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({r.text(0), r.text(1), r.integer(2), r.text(3), r.maybe_text(4), r.text(5), r.maybe_text(6), r.maybe_integer(7), r.integer(8)});
  return out;
}

}  // namespace chat_messages

}  // namespace tandem::storage
