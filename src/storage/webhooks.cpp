#include "storage/webhooks.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/table.h"
#include "storage/claims.h"

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns = "id, name, url, events, organization_id, local_network, active, version, created_at, updated_at";

Webhook webhook_from(const Row& r) {
  Webhook w;
  w.id = r.text(0);
  w.name = r.text(1);
  w.url = r.text(2);
  w.events = split_lines(r.text(3));
  w.organization_id = r.maybe_text(4);
  w.local_network = r.integer(5) != 0;
  w.active = r.integer(6) != 0;
  w.version = r.integer(7);
  w.created_at = r.integer(8);
  w.updated_at = r.integer(9);
  return w;
}

constexpr std::string_view kDeliveryColumns =
    "id, webhook_id, event, organization_id, payload, state, attempts, next_at, claimed_until, last_status, last_error, created_at, "
    "delivered_at";

EventDelivery delivery_from(const Row& r) {
  EventDelivery d;
  d.id = r.text(0);
  d.webhook_id = r.text(1);
  d.event = r.text(2);
  d.organization_id = r.text(3);
  d.payload = r.text(4);
  d.state = r.text(5);
  d.attempts = r.integer(6);
  d.next_at = r.maybe_integer(7);
  d.claimed_until = r.integer(8);
  d.last_status = r.maybe_integer(9);
  d.last_error = r.text(10);
  d.created_at = r.integer(11);
  d.delivered_at = r.maybe_integer(12);
  return d;
}

}  // namespace

std::string canonical(const Webhook& w) {
  return fmt::format("webhook\nid={}\nname={}\nurl={}\nevents={}\norganization={}\nlocal_network={}\nactive={}\n", w.id, w.name, w.url,
                     fmt::join(w.events, "|"), w.organization_id.value_or(""), w.local_network ? 1 : 0, w.active ? 1 : 0);
}

namespace webhook_store {

Result<void> insert(Connection& c, const Webhook& w) {
  TRY(c.execute(fmt::format("INSERT INTO webhooks ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {w.id, w.name, w.url, join_lines(w.events), optional_text(w.organization_id), std::int64_t(w.local_network ? 1 : 0),
                 std::int64_t(w.active ? 1 : 0), w.version, w.created_at, w.updated_at}));
  return {};
}

Result<void> update(Connection& c, const Webhook& w) {
  TRY(c.execute("UPDATE webhooks SET name = ?, url = ?, events = ?, organization_id = ?, local_network = ?, active = ?, version = ?, "
                "updated_at = ? WHERE id = ?",
                {w.name, w.url, join_lines(w.events), optional_text(w.organization_id), std::int64_t(w.local_network ? 1 : 0),
                 std::int64_t(w.active ? 1 : 0), w.version, w.updated_at, w.id}));
  return {};
}

Result<std::optional<Webhook>> find(Connection& c, std::string_view id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM webhooks WHERE id = ?{}", kColumns,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return webhook_from(rows[0]);
}

Result<Page<Webhook>> list(Connection& c, const PageRequest& page) {
  std::vector<Value> params;
  params.reserve(2);
  std::string where = "1 = 1";
  if (!page.after.empty()) where += " AND id > ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM webhooks WHERE {} ORDER BY id LIMIT ?", kColumns, where), params));
  std::vector<Webhook> items;
  for (const auto& r : rows) items.push_back(webhook_from(r));
  return make_page(std::move(items), page.limit, [](const Webhook& w) { return w.id; });
}

Result<std::vector<Webhook>> active(Connection& c) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM webhooks WHERE active = 1 ORDER BY id", kColumns), {}));
  std::vector<Webhook> out;
  for (const auto& r : rows) out.push_back(webhook_from(r));
  return out;
}

}  // namespace webhook_store

namespace event_deliveries {

Result<void> insert(Connection& c, const EventDelivery& d) {
  TRY(c.execute(fmt::format("INSERT INTO event_deliveries ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kDeliveryColumns),
                {d.id, d.webhook_id, d.event, d.organization_id, d.payload, d.state, d.attempts, optional_integer(d.next_at),
                 d.claimed_until, optional_integer(d.last_status), d.last_error, d.created_at, optional_integer(d.delivered_at)}));
  return {};
}

Result<std::optional<EventDelivery>> find(Connection& c, std::string_view id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM event_deliveries WHERE id = ?{}", kDeliveryColumns,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return delivery_from(rows[0]);
}

Result<std::vector<EventDelivery>> claim_due(Connection& c, std::int64_t now, std::int64_t claim_until, int limit) {
  return storage::claim_due<EventDelivery>(c, "event_deliveries", kDeliveryColumns, "pending", now, claim_until, limit, delivery_from);
}

Result<void> update(Connection& c, const EventDelivery& d) {
  TRY(c.execute("UPDATE event_deliveries SET state = ?, attempts = ?, next_at = ?, claimed_until = ?, last_status = ?, last_error = ?, "
                "delivered_at = ? WHERE id = ?",
                {d.state, d.attempts, optional_integer(d.next_at), d.claimed_until, optional_integer(d.last_status), d.last_error,
                 optional_integer(d.delivered_at), d.id}));
  return {};
}

Result<Page<EventDelivery>> list(Connection& c, std::string_view webhook_id, std::string_view state, const PageRequest& page) {
  std::vector<Value> params;
  params.reserve(4);
  params.emplace_back(std::string(webhook_id));
  std::string where = "webhook_id = ?";
  if (!state.empty()) where += " AND state = ?", params.emplace_back(std::string(state));
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM event_deliveries WHERE {} ORDER BY id DESC LIMIT ?", kDeliveryColumns,
                                                  where),
                                      params));
  std::vector<EventDelivery> items;
  for (const auto& r : rows) items.push_back(delivery_from(r));
  return make_page(std::move(items), page.limit, [](const EventDelivery& d) { return d.id; });
}

Result<std::int64_t> remove_older(Connection& c, std::string_view state, std::int64_t before) {
  return c.execute("DELETE FROM event_deliveries WHERE state = ? AND created_at < ?", {std::string(state), before});
}

}  // namespace event_deliveries

}  // namespace tandem::storage
