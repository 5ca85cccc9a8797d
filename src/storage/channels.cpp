#include "storage/channels.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, kind, name, address, format, secret, organization_id, requester_id, active, version, created_at, updated_at";

Channel channel_from(const Row& r) {
  Channel ch;
  ch.id = r.text(0);
  ch.kind = channels::parse_kind(r.text(1)).value_or(channels::Kind::messaging);
  ch.name = r.text(2);
  ch.address = r.maybe_text(3);
  ch.format = channels::parse_format(r.text(4)).value_or(channels::Format::generic);
  ch.secret = r.text(5);
  ch.organization_id = r.maybe_text(6);
  ch.requester_id = r.maybe_text(7);
  ch.active = r.integer(8) != 0;
  ch.version = r.integer(9);
  ch.created_at = r.integer(10);
  ch.updated_at = r.integer(11);
  return ch;
}

constexpr std::string_view kDeliveryColumns = "id, channel_id, outcome, status, reason, message_id, ticket_id, payload, created_at";

ChannelDelivery delivery_from(const Row& r) {
  return {r.text(0), r.text(1), r.text(2), int(r.integer(3)), r.text(4), r.maybe_text(5), r.maybe_text(6), r.maybe_text(7), r.integer(8)};
}

}  // namespace

std::string canonical(const Channel& c) {
  return fmt::format("channel\nid={}\nkind={}\nname={}\naddress={}\nformat={}\norganization={}\nrequester={}\nactive={}\n", c.id,
                     channels::to_string(c.kind), c.name, c.address.value_or(""), channels::to_string(c.format),
                     c.organization_id.value_or(""), c.requester_id.value_or(""), c.active ? 1 : 0);
}

namespace channel_store {

Result<void> insert(Connection& c, const Channel& ch) {
  TRY(c.execute(fmt::format("INSERT INTO channels ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {ch.id, std::string(channels::to_string(ch.kind)), ch.name, optional_text(ch.address),
                 std::string(channels::to_string(ch.format)), ch.secret, optional_text(ch.organization_id),
                 optional_text(ch.requester_id), std::int64_t(ch.active ? 1 : 0), ch.version, ch.created_at, ch.updated_at}));
  return {};
}

Result<void> update(Connection& c, const Channel& ch) {
  TRY(c.execute("UPDATE channels SET name = ?, address = ?, format = ?, secret = ?, organization_id = ?, requester_id = ?, "
                "active = ?, version = ?, updated_at = ? WHERE id = ?",
                {ch.name, optional_text(ch.address), std::string(channels::to_string(ch.format)), ch.secret,
                 optional_text(ch.organization_id), optional_text(ch.requester_id), std::int64_t(ch.active ? 1 : 0), ch.version,
                 ch.updated_at, ch.id}));
  return {};
}

Result<std::optional<Channel>> find(Connection& c, std::string_view id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM channels WHERE id = ?{}", kColumns,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return channel_from(rows[0]);
}

Result<Page<Channel>> list(Connection& c, const PageRequest& page) {
  std::vector<Value> params;
  std::string where = "1 = 1";
  if (!page.after.empty()) where += " AND id > ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM channels WHERE {} ORDER BY id LIMIT ?", kColumns, where), params));
  std::vector<Channel> items;
  for (const auto& r : rows) items.push_back(channel_from(r));
  return make_page(std::move(items), page.limit, [](const Channel& ch) { return ch.id; });
}

Result<std::optional<Channel>> first_of_kind(Connection& c, channels::Kind kind) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM channels WHERE kind = ? ORDER BY id LIMIT 1", kColumns),
                                      {std::string(channels::to_string(kind))}));
  if (rows.empty()) return std::nullopt;
  return channel_from(rows[0]);
}

}  // namespace channel_store

namespace channel_deliveries {

Result<void> insert(Connection& c, const ChannelDelivery& d) {
  TRY(c.execute(fmt::format("INSERT INTO channel_deliveries ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", kDeliveryColumns),
                {d.id, d.channel_id, d.outcome, std::int64_t(d.status), d.reason, optional_text(d.message_id), optional_text(d.ticket_id),
                 optional_text(d.payload), d.created_at}));
  return {};
}

Result<Page<ChannelDelivery>> list(Connection& c, std::string_view channel_id, const PageRequest& page) {
  std::vector<Value> params;
  params.reserve(3);  // g++ 12 at -O3 warns falsely of an overflow when a one-element list grows
  params.emplace_back(std::string(channel_id));
  std::string where = "channel_id = ?";
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM channel_deliveries WHERE {} ORDER BY id DESC LIMIT ?",
                                                  kDeliveryColumns, where),
                                      params));
  std::vector<ChannelDelivery> items;
  for (const auto& r : rows) items.push_back(delivery_from(r));
  return make_page(std::move(items), page.limit, [](const ChannelDelivery& d) { return d.id; });
}

}  // namespace channel_deliveries

namespace channel_messages {

Result<bool> insert(Connection& c, const ChannelMessage& m) {
  ASSIGN_OR_RETURN(auto n, c.execute("INSERT INTO channel_messages (channel_id, message_id, ticket_id, event_id, user_id, created_at) "
                                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel_id, message_id) DO NOTHING",
                                     {m.channel_id, m.message_id, m.ticket_id, optional_text(m.event_id), optional_text(m.user_id),
                                      m.created_at}));
  return n > 0;
}

Result<std::optional<ChannelMessage>> find(Connection& c, std::string_view channel_id, std::string_view message_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT channel_id, message_id, ticket_id, event_id, user_id, created_at FROM channel_messages "
                                      "WHERE channel_id = ? AND message_id = ?",
                                      {std::string(channel_id), std::string(message_id)}));
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return ChannelMessage{r.text(0), r.text(1), r.text(2), r.maybe_text(3), r.maybe_text(4), r.integer(5)};
}

Result<std::optional<std::string>> ticket_of_message(Connection& c, std::string_view message_id) {
  // Mail's Message-IDs only: a hook's ids (tg-<chat>-<n>) are guessable and thread no mail.
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT m.ticket_id FROM channel_messages m JOIN channels ch ON ch.id = m.channel_id "
                                      "WHERE m.message_id = ? AND ch.kind IN ('email', 'imap') ORDER BY m.created_at LIMIT 1",
                                      {std::string(message_id)}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].text(0));
}

Result<std::int64_t> count_since(Connection& c, std::string_view channel_id, std::string_view user_id, std::int64_t since) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COUNT(*) FROM channel_messages WHERE channel_id = ? AND user_id = ? AND created_at >= ?",
                                      {std::string(channel_id), std::string(user_id), since}));
  return rows[0].integer(0);
}

Result<void> move_sender(Connection& c, std::string_view from_user, std::string_view to_user) {
  TRY(c.execute("UPDATE channel_messages SET user_id = ? WHERE user_id = ?", {std::string(to_user), std::string(from_user)}));
  return {};
}

Result<std::vector<std::string>> tickets_of_sender(Connection& c, std::string_view channel_id, std::string_view user_id, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT ticket_id, MAX(created_at) AS last FROM channel_messages WHERE channel_id = ? AND user_id = ? "
                                      "GROUP BY ticket_id ORDER BY last DESC, ticket_id DESC LIMIT ?",
                                      {std::string(channel_id), std::string(user_id), std::int64_t(limit)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

}  // namespace channel_messages

namespace channel_threads {

Result<std::optional<std::string>> ticket_of(Connection& c, std::string_view channel_id, std::string_view key) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT ticket_id FROM channel_threads WHERE channel_id = ? AND thread_key = ?{}",
                                                  c.lock_clause()),
                                      {std::string(channel_id), std::string(key)}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].text(0));
}

Result<void> put(Connection& c, std::string_view channel_id, std::string_view key, std::string_view ticket_id, std::string_view service,
                 std::int64_t at) {
  TRY(c.execute("INSERT INTO channel_threads (channel_id, thread_key, ticket_id, service, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (channel_id, thread_key) DO UPDATE SET ticket_id = excluded.ticket_id, service = excluded.service, "
                "updated_at = excluded.updated_at",
                {std::string(channel_id), std::string(key), std::string(ticket_id), std::string(service), at}));
  return {};
}

Result<bool> begin(Connection& c, std::string_view channel_id, std::string_view key, std::string_view ticket_id, std::string_view service,
                   std::int64_t at) {
  ASSIGN_OR_RETURN(auto n, c.execute("INSERT INTO channel_threads (channel_id, thread_key, ticket_id, service, updated_at) VALUES (?, ?, ?, ?, ?) "
                                     "ON CONFLICT (channel_id, thread_key) DO NOTHING",
                                     {std::string(channel_id), std::string(key), std::string(ticket_id), std::string(service), at}));
  return n > 0;
}

Result<std::vector<std::string>> tickets_of_service(Connection& c, std::string_view channel_id, std::string_view service, std::int64_t since) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT ticket_id FROM channel_threads WHERE channel_id = ? AND service = ? AND updated_at >= ? "
                                      "ORDER BY updated_at, ticket_id",
                                      {std::string(channel_id), std::string(service), since}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

}  // namespace channel_threads
}  // namespace tandem::storage
