#include "storage/shared_resources.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kResourceColumns = "id, organization_id, name, kind, location, active, version, created_at, updated_at";
constexpr std::string_view kBookingColumns =
    "id, resource_id, organization_id, user_id, starts_at, ends_at, state, picked_up_at, returned_at, expected_return_at, location, "
    "alerted_estimate, version, created_at, updated_at";

SharedResource resource_from(const Row& r) {
  return {r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5) != 0, r.integer(6), r.integer(7), r.integer(8)};
}

Booking booking_from(const Row& r) {
  return {r.text(0),          r.text(1),           r.text(2),           r.text(3),  r.integer(4),        r.integer(5),
          r.text(6),          r.maybe_integer(7),  r.maybe_integer(8),  r.maybe_integer(9), r.text(10), r.maybe_integer(11),
          r.integer(12),      r.integer(13),       r.integer(14)};
}

// A club's resources and bookings are its whole membership's to see.
std::string organization_condition(const Scope& scope, std::vector<Value>& params) {
  if (scope.sees_everything()) return "1 = 1";
  params.emplace_back(scope.organization_id());
  return "organization_id = ?";
}

std::vector<Booking> bookings_of(const std::vector<Row>& rows) {
  std::vector<Booking> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(booking_from(r));
  return out;
}

}  // namespace

std::string canonical(const SharedResource& r) {
  return fmt::format("shared_resource\nid={}\norganization={}\nname={}\nkind={}\nlocation={}\nactive={}\nversion={}\n", r.id,
                     r.organization_id, r.name, r.kind, r.location, r.active, r.version);
}

std::string canonical(const Booking& b) {
  return fmt::format("booking\nid={}\nresource={}\nuser={}\nstarts_at={}\nends_at={}\nstate={}\nexpected_return_at={}\nversion={}\n", b.id,
                     b.resource_id, b.user_id, b.starts_at, b.ends_at, b.state,
                     b.expected_return_at ? std::to_string(*b.expected_return_at) : "", b.version);
}

namespace shared_resources {

Result<void> insert(Connection& c, const SharedResource& r) {
  TRY(c.execute(fmt::format("INSERT INTO shared_resources ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", kResourceColumns),
                {r.id, r.organization_id, r.name, r.kind, r.location, std::int64_t(r.active), r.version, r.created_at, r.updated_at}));
  return {};
}

Result<std::optional<SharedResource>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params;
  params.reserve(2);
  params.emplace_back(std::string(id));
  auto where = organization_condition(scope, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM shared_resources WHERE id = ? AND {}{}", kResourceColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::optional<SharedResource>();
  return std::optional<SharedResource>(resource_from(rows[0]));
}

Result<Page<SharedResource>> list(Connection& c, const Scope& scope, const std::optional<std::string>& kind, const PageRequest& page) {
  std::vector<Value> params;
  params.reserve(4);
  auto where = organization_condition(scope, params);
  if (kind) where += " AND kind = ?", params.emplace_back(*kind);
  where += " AND id > ?";
  params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows,
                   c.query(fmt::format("SELECT {} FROM shared_resources WHERE {} ORDER BY id LIMIT ?", kResourceColumns, where), params));
  std::vector<SharedResource> items;
  for (const auto& r : rows) items.push_back(resource_from(r));
  return make_page(std::move(items), page.limit, [](const SharedResource& r) { return r.id; });
}

Result<void> update(Connection& c, const SharedResource& r) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE shared_resources SET name = ?, kind = ?, location = ?, active = ?, version = ?, updated_at = ? "
                                     "WHERE id = ? AND version = ?",
                                     {r.name, r.kind, r.location, std::int64_t(r.active), r.version, r.updated_at, r.id, r.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The resource was changed by someone else; reload it.");
  return {};
}

Result<std::vector<SharedResource>> free_between(Connection& c, std::string_view organization_id, std::string_view kind,
                                                 std::int64_t start, std::int64_t end, std::string_view except_id, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM shared_resources r WHERE organization_id = ? AND kind = ? AND active = 1 "
                                                  "AND id <> ? AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.resource_id = r.id "
                                                  "AND b.state IN ('booked', 'picked_up') AND b.starts_at < ? AND b.ends_at > ?) "
                                                  "ORDER BY name, id LIMIT ?",
                                                  kResourceColumns),
                                      {std::string(organization_id), std::string(kind), std::string(except_id), end, start,
                                       std::int64_t(limit)}));
  std::vector<SharedResource> out;
  for (const auto& r : rows) out.push_back(resource_from(r));
  return out;
}

}  // namespace shared_resources

namespace bookings {

Result<void> insert(Connection& c, const Booking& b) {
  TRY(c.execute(fmt::format("INSERT INTO bookings ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kBookingColumns),
                {b.id, b.resource_id, b.organization_id, b.user_id, b.starts_at, b.ends_at, b.state, optional_integer(b.picked_up_at),
                 optional_integer(b.returned_at), optional_integer(b.expected_return_at), b.location, optional_integer(b.alerted_estimate),
                 b.version, b.created_at, b.updated_at}));
  return {};
}

Result<std::optional<Booking>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params;
  params.reserve(2);
  params.emplace_back(std::string(id));
  auto where = organization_condition(scope, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM bookings WHERE id = ? AND {}{}", kBookingColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::optional<Booking>();
  return std::optional<Booking>(booking_from(rows[0]));
}

Result<void> update(Connection& c, const Booking& b) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE bookings SET starts_at = ?, ends_at = ?, state = ?, picked_up_at = ?, returned_at = ?, "
                                     "expected_return_at = ?, location = ?, alerted_estimate = ?, version = ?, updated_at = ? "
                                     "WHERE id = ? AND version = ?",
                                     {b.starts_at, b.ends_at, b.state, optional_integer(b.picked_up_at), optional_integer(b.returned_at),
                                      optional_integer(b.expected_return_at), b.location, optional_integer(b.alerted_estimate), b.version,
                                      b.updated_at, b.id, b.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The booking was changed by someone else; reload it.");
  return {};
}

Result<std::vector<Booking>> live_between(Connection& c, std::string_view resource_id, std::int64_t start, std::int64_t end) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM bookings WHERE resource_id = ? AND state IN ('booked', 'picked_up') "
                                                  "AND starts_at < ? AND ends_at > ? ORDER BY starts_at, id",
                                                  kBookingColumns),
                                      {std::string(resource_id), end, start}));
  return bookings_of(rows);
}

Result<std::vector<Booking>> of_resource(Connection& c, std::string_view resource_id, std::int64_t from, std::int64_t to) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM bookings WHERE resource_id = ? AND state <> 'cancelled' "
                                                  "AND starts_at < ? AND ends_at > ? ORDER BY starts_at, id LIMIT 1000",
                                                  kBookingColumns),
                                      {std::string(resource_id), to, from}));
  return bookings_of(rows);
}

Result<std::vector<Booking>> of_user(Connection& c, std::string_view user_id, std::int64_t since, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM bookings WHERE user_id = ? AND (ends_at > ? OR state = 'picked_up') "
                                                  "ORDER BY starts_at, id LIMIT ?",
                                                  kBookingColumns),
                                      {std::string(user_id), since, std::int64_t(limit)}));
  return bookings_of(rows);
}

Result<std::vector<Booking>> out_ending_before(Connection& c, std::int64_t after, std::int64_t before, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM bookings WHERE state = 'picked_up' AND ends_at >= ? AND ends_at < ? "
                                                  "ORDER BY ends_at DESC, id LIMIT ?",
                                                  kBookingColumns),
                                      {after, before, std::int64_t(limit)}));
  return bookings_of(rows);
}

Result<std::optional<Booking>> next_after(Connection& c, std::string_view resource_id, std::int64_t after, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM bookings WHERE resource_id = ? AND state = 'booked' AND starts_at >= ? "
                                                  "ORDER BY starts_at, id LIMIT 1{}",
                                                  kBookingColumns, lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(resource_id), after}));
  if (rows.empty()) return std::optional<Booking>();
  return std::optional<Booking>(booking_from(rows[0]));
}

}  // namespace bookings
}  // namespace tandem::storage
