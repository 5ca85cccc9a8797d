#include "storage/broadcasts.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/table.h"

namespace tandem::storage {
namespace {

constexpr std::string_view kSubscriptionColumns = "id, user_id, organization_id, service_id, channels, version, created_at, updated_at";

ServiceSubscription subscription_from(const Row& r) {
  return {r.text(0), r.text(1), r.text(2), r.text(3), split_lines(r.text(4)), r.integer(5), r.integer(6), r.integer(7)};
}

Result<std::vector<ServiceSubscription>> subscriptions_where(Connection& c, std::string_view where, std::string_view value) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM service_subscriptions WHERE {} = ? ORDER BY id", kSubscriptionColumns, where),
                                      {std::string(value)}));
  std::vector<ServiceSubscription> out;
  for (const auto& r : rows) out.push_back(subscription_from(r));
  return out;
}

constexpr std::string_view kBroadcastColumns =
    "id, kind, service_id, ticket_id, organization_ids, title, body, starts_at, ends_at, state, reach, created_by, published_at, version, "
    "created_at, updated_at";

Broadcast broadcast_from(const Row& r) {
  Broadcast b;
  b.id = r.text(0);
  b.kind = r.text(1);
  b.service_id = r.maybe_text(2);
  b.ticket_id = r.maybe_text(3);
  b.organization_ids = split_lines(r.text(4));
  b.title = r.text(5);
  b.body = r.text(6);
  b.starts_at = r.maybe_integer(7);
  b.ends_at = r.maybe_integer(8);
  b.state = r.text(9);
  b.reach = r.text(10);
  b.created_by = r.text(11);
  b.published_at = r.maybe_integer(12);
  b.version = r.integer(13);
  b.created_at = r.integer(14);
  b.updated_at = r.integer(15);
  return b;
}

}  // namespace

std::string canonical(const Broadcast& b) {
  return fmt::format("broadcast\nid={}\nkind={}\nservice={}\nticket={}\norganizations={}\ntitle={}\nbody={}\nstarts={}\nends={}\nstate={}\n",
                     b.id, b.kind, b.service_id.value_or(""), b.ticket_id.value_or(""), fmt::join(b.organization_ids, "|"), b.title, b.body,
                     b.starts_at.value_or(0), b.ends_at.value_or(0), b.state);
}

namespace service_subscriptions {

Result<void> insert(Connection& c, const ServiceSubscription& s) {
  TRY(c.execute(fmt::format("INSERT INTO service_subscriptions ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kSubscriptionColumns),
                {s.id, s.user_id, s.organization_id, s.service_id, join_lines(s.channels), s.version, s.created_at, s.updated_at}));
  return {};
}

Result<void> update(Connection& c, const ServiceSubscription& s) {
  TRY(c.execute("UPDATE service_subscriptions SET channels = ?, version = ?, updated_at = ? WHERE id = ?",
                {join_lines(s.channels), s.version, s.updated_at, s.id}));
  return {};
}

Result<void> remove(Connection& c, std::string_view id) {
  TRY(c.execute("DELETE FROM service_subscriptions WHERE id = ?", {std::string(id)}));
  return {};
}

Result<std::optional<ServiceSubscription>> find(Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto found, subscriptions_where(c, "id", id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

Result<std::optional<ServiceSubscription>> of_user(Connection& c, std::string_view user_id, std::string_view service_id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM service_subscriptions WHERE user_id = ? AND service_id = ?{}",
                                                  kSubscriptionColumns, lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(user_id), std::string(service_id)}));
  if (rows.empty()) return std::nullopt;
  return subscription_from(rows[0]);
}

Result<std::vector<ServiceSubscription>> list_for_user(Connection& c, std::string_view user_id) {
  return subscriptions_where(c, "user_id", user_id);
}

Result<std::vector<ServiceSubscription>> of_service(Connection& c, std::string_view service_id) {
  return subscriptions_where(c, "service_id", service_id);
}

}  // namespace service_subscriptions

namespace broadcasts {

Result<void> insert(Connection& c, const Broadcast& b) {
  TRY(c.execute(fmt::format("INSERT INTO broadcasts ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kBroadcastColumns),
                {b.id, b.kind, optional_text(b.service_id), optional_text(b.ticket_id), join_lines(b.organization_ids), b.title, b.body,
                 optional_integer(b.starts_at), optional_integer(b.ends_at), b.state, b.reach, b.created_by, optional_integer(b.published_at),
                 b.version, b.created_at, b.updated_at}));
  return {};
}

Result<void> update(Connection& c, const Broadcast& b) {
  TRY(c.execute("UPDATE broadcasts SET kind = ?, service_id = ?, ticket_id = ?, organization_ids = ?, title = ?, body = ?, starts_at = ?, "
                "ends_at = ?, state = ?, reach = ?, published_at = ?, version = ?, updated_at = ? WHERE id = ?",
                {b.kind, optional_text(b.service_id), optional_text(b.ticket_id), join_lines(b.organization_ids), b.title, b.body,
                 optional_integer(b.starts_at), optional_integer(b.ends_at), b.state, b.reach, optional_integer(b.published_at), b.version,
                 b.updated_at, b.id}));
  return {};
}

Result<std::optional<Broadcast>> find(Connection& c, std::string_view id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM broadcasts WHERE id = ?{}", kBroadcastColumns,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return broadcast_from(rows[0]);
}

Result<Page<Broadcast>> list(Connection& c, const std::optional<std::string>& recipient, const PageRequest& page) {
  std::vector<Value> params;
  params.reserve(3);
  std::string where = "1 = 1";
  if (recipient) {
    where += " AND id IN (SELECT broadcast_id FROM broadcast_recipients WHERE user_id = ?)";
    params.emplace_back(*recipient);
  }
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows,
                   c.query(fmt::format("SELECT {} FROM broadcasts WHERE {} ORDER BY id DESC LIMIT ?", kBroadcastColumns, where), params));
  std::vector<Broadcast> items;
  for (const auto& r : rows) items.push_back(broadcast_from(r));
  return make_page(std::move(items), page.limit, [](const Broadcast& b) { return b.id; });
}

Result<std::vector<Broadcast>> published_for_service(Connection& c, std::string_view service_id, std::int64_t since, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM broadcasts WHERE service_id = ? AND state = 'published' "
                                                  "AND organization_ids = '' "
                                                  "AND (COALESCE(published_at, created_at) >= ? OR (ends_at IS NOT NULL AND ends_at >= ?)) "
                                                  "ORDER BY COALESCE(published_at, created_at) DESC, id DESC LIMIT ?",
                                                  kBroadcastColumns),
                                      {std::string(service_id), since, since, std::int64_t(limit)}));
  std::vector<Broadcast> items;
  items.reserve(rows.size());
  for (const auto& r : rows) items.push_back(broadcast_from(r));
  return items;
}

Result<std::vector<IncidentSpan>> incident_spans(Connection& c, std::string_view service_id) {
  // The newest update decides the end, whenever it was published; the earliest start begins it.
  ASSIGN_OR_RETURN(auto rows,
                   c.query("SELECT b.ticket_id, MIN(COALESCE(b.starts_at, b.published_at, b.created_at)), "
                           "(SELECT n.ends_at FROM broadcasts n WHERE n.ticket_id = b.ticket_id AND n.service_id = ? "
                           "AND n.state = 'published' AND n.kind = 'major_incident' AND n.organization_ids = '' "
                           "ORDER BY COALESCE(n.published_at, n.created_at) DESC, n.id DESC LIMIT 1) "
                           "FROM broadcasts b WHERE b.service_id = ? AND b.state = 'published' AND b.kind = 'major_incident' "
                           "AND b.organization_ids = '' AND b.ticket_id IS NOT NULL GROUP BY b.ticket_id",
                           {std::string(service_id), std::string(service_id)}));
  std::vector<IncidentSpan> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.text(0), r.integer(1), r.maybe_integer(2)});
  return out;
}

}  // namespace broadcasts

namespace broadcast_recipients {

Result<void> insert(Connection& c, const BroadcastRecipient& r) {
  TRY(c.execute("INSERT INTO broadcast_recipients (broadcast_id, user_id, organization_id, channels) VALUES (?, ?, ?, ?)",
                {r.broadcast_id, r.user_id, r.organization_id, join_lines(r.channels)}));
  return {};
}

Result<bool> reached(Connection& c, std::string_view broadcast_id, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM broadcast_recipients WHERE broadcast_id = ? AND user_id = ?",
                                      {std::string(broadcast_id), std::string(user_id)}));
  return !rows.empty();
}

Result<Page<BroadcastRecipient>> list(Connection& c, std::string_view broadcast_id, const PageRequest& page) {
  std::vector<Value> params;
  params.reserve(3);
  params.emplace_back(std::string(broadcast_id));
  std::string where = "broadcast_id = ?";
  if (!page.after.empty()) where += " AND user_id > ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT broadcast_id, user_id, organization_id, channels FROM broadcast_recipients "
                                                  "WHERE {} ORDER BY user_id LIMIT ?",
                                                  where),
                                      params));
  std::vector<BroadcastRecipient> items;
  for (const auto& r : rows) items.push_back({r.text(0), r.text(1), r.text(2), split_lines(r.text(3))});
  return make_page(std::move(items), page.limit, [](const BroadcastRecipient& r) { return r.user_id; });
}

}  // namespace broadcast_recipients

}  // namespace tandem::storage
