#include "storage/outgoing_mail.h"

#include <algorithm>

#include <fmt/format.h>

#include "storage/claims.h"

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, ticket_id, event_id, user_id, organization_id, kind, message_id, state, attempts, next_at, claimed_until, recipient, "
    "last_error, created_at, sent_at, broadcast_id, survey_id";

OutgoingMail mail_from(const Row& r) {
  OutgoingMail m{r.text(0),     r.text(1),     std::nullopt,       std::nullopt, r.text(2),     r.text(3),  r.text(4),     r.text(5),
                 r.text(6),     r.text(7),     r.integer(8),       r.maybe_integer(9), r.integer(10), r.text(11), r.text(12),
                 r.integer(13), r.maybe_integer(14)};
  m.broadcast_id = r.maybe_text(15);
  m.survey_id = r.maybe_text(16);
  return m;
}

}  // namespace

namespace outgoing_mail {

Result<void> insert(Connection& c, const OutgoingMail& m) {
  TRY(c.execute(fmt::format("INSERT INTO outgoing_mail ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {m.id, m.ticket_id.empty() ? null_value() : Value(m.ticket_id), m.event_id, m.user_id, m.organization_id, m.kind, m.message_id, m.state, m.attempts,
                 optional_integer(m.next_at), m.claimed_until, m.recipient, m.last_error, m.created_at, optional_integer(m.sent_at),
                 optional_text(m.broadcast_id), optional_text(m.survey_id)}));
  return {};
}

Result<std::optional<OutgoingMail>> find(Connection& c, std::string_view id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM outgoing_mail WHERE id = ?{}", kColumns,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(id)}));
  if (rows.empty()) return std::optional<OutgoingMail>();
  return std::optional<OutgoingMail>(mail_from(rows[0]));
}

Result<std::vector<OutgoingMail>> claim_due(Connection& c, std::int64_t now, std::int64_t claim_until, int limit) {
  return storage::claim_due<OutgoingMail>(c, "outgoing_mail", kColumns, "queued", now, claim_until, limit, mail_from);
}

Result<void> update(Connection& c, const OutgoingMail& m) {
  TRY(c.execute("UPDATE outgoing_mail SET state = ?, attempts = ?, next_at = ?, claimed_until = ?, recipient = ?, last_error = ?, "
                "sent_at = ? WHERE id = ?",
                {m.state, m.attempts, optional_integer(m.next_at), m.claimed_until, m.recipient, m.last_error,
                 optional_integer(m.sent_at), m.id}));
  return {};
}

Result<Page<OutgoingMail>> list(Connection& c, std::string_view state, std::string_view ticket_id, const PageRequest& page) {
  std::vector<Value> params;
  params.reserve(4);
  std::string where = "1 = 1";
  if (!state.empty()) where += " AND state = ?", params.emplace_back(std::string(state));
  if (!ticket_id.empty()) where += " AND ticket_id = ?", params.emplace_back(std::string(ticket_id));
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows,
                   c.query(fmt::format("SELECT {} FROM outgoing_mail WHERE {} ORDER BY id DESC LIMIT ?", kColumns, where), params));
  std::vector<OutgoingMail> items;
  for (const auto& r : rows) items.push_back(mail_from(r));
  return make_page(std::move(items), page.limit, [](const OutgoingMail& m) { return m.id; });
}

Result<std::vector<std::string>> thread_ids(Connection& c, std::string_view ticket_id, std::string_view user_id, std::int64_t before,
                                            int limit) {
  ASSIGN_OR_RETURN(auto rows,
                   c.query("SELECT message_id, created_at FROM ("
                           " SELECT m.message_id, m.created_at FROM channel_messages m JOIN channels ch ON ch.id = m.channel_id"
                           " WHERE m.ticket_id = ? AND m.user_id = ? AND ch.kind IN ('email', 'imap') AND m.created_at <= ?"
                           " UNION ALL SELECT message_id, created_at FROM outgoing_mail"
                           " WHERE ticket_id = ? AND user_id = ? AND state = 'sent' AND created_at < ?"
                           ") t ORDER BY created_at DESC LIMIT ?",
                           {std::string(ticket_id), std::string(user_id), before, std::string(ticket_id), std::string(user_id), before,
                            std::int64_t(limit)}));
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r.text(0));
  std::reverse(ids.begin(), ids.end());
  return ids;
}

Result<std::optional<std::string>> ticket_of_message(Connection& c, std::string_view message_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT ticket_id FROM outgoing_mail WHERE message_id = ? AND ticket_id IS NOT NULL",
                                      {std::string(message_id)}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].text(0));
}

Result<void> move_recipient(Connection& c, std::string_view from_user, std::string_view to_user) {
  TRY(c.execute("UPDATE outgoing_mail SET user_id = ? WHERE user_id = ?", {std::string(to_user), std::string(from_user)}));
  return {};
}

Result<std::optional<TicketEvent>> event_of(Connection& c, const OutgoingMail& m) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT kind, internal, body, data, actor_id, created_at FROM ticket_events WHERE ticket_id = ? AND id = ?",
                                      {m.ticket_id, m.event_id}));
  if (rows.empty()) return std::optional<TicketEvent>();
  TicketEvent e;
  e.id = m.event_id;
  e.ticket_id = m.ticket_id;
  e.kind = rows[0].text(0);
  e.visibility = rows[0].integer(1) != 0 ? Visibility::internal : Visibility::public_;
  e.body = rows[0].text(2);
  e.data = rows[0].text(3);
  e.actor_id = rows[0].text(4);
  e.created_at = rows[0].integer(5);
  return std::optional<TicketEvent>(std::move(e));
}

}  // namespace outgoing_mail
}  // namespace tandem::storage
