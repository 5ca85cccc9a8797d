#include "storage/subscriptions.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, offering_id, tier_id, organization_id, user_id, starts_at, ends_at, version, created_at, updated_at";

Subscription from_row(const Row& r) {
  return Subscription{r.text(0),        r.text(1),           r.text(2),   r.text(3),   r.maybe_text(4),
                      r.integer(5),     r.maybe_integer(6), r.integer(7), r.integer(8), r.integer(9)};
}

// Staff see every subscription; a customer their organisation's; other consumers their
// organisation's own and their personal ones.
std::string scope_condition(const Scope& scope, std::vector<Value>& params) {
  if (scope.sees_everything()) return "1 = 1";
  params.emplace_back(scope.organization_id());
  if (scope.sees_whole_organization()) return "organization_id = ?";
  params.emplace_back(scope.user_id());
  return "organization_id = ? AND (user_id IS NULL OR user_id = ?)";
}

}  // namespace

std::string canonical(const Subscription& s) {
  return fmt::format("subscription\nid={}\noffering_id={}\ntier_id={}\norganization_id={}\nuser_id={}\nstarts_at={}\nends_at={}\n"
                     "version={}\n",
                     s.id, s.offering_id, s.tier_id, s.organization_id, s.user_id.value_or(""), s.starts_at,
                     s.ends_at ? std::to_string(*s.ends_at) : "", s.version);
}

namespace subscriptions {

Result<void> insert(Connection& c, const Subscription& s) {
  TRY(c.execute(fmt::format("INSERT INTO subscriptions ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {s.id, s.offering_id, s.tier_id, s.organization_id, optional_text(s.user_id), s.starts_at, optional_integer(s.ends_at),
                 s.version, s.created_at, s.updated_at}));
  return {};
}

Result<std::optional<Subscription>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = scope_condition(scope, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM subscriptions WHERE id = ? AND {}{}", kColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Page<Subscription>> list(Connection& c, const Scope& scope, const Filter& filter, const PageRequest& page) {
  std::vector<Value> params;
  auto where = scope_condition(scope, params);
  for (auto [column, value] : {std::pair{"organization_id", &filter.organization_id}, std::pair{"user_id", &filter.user_id},
                               std::pair{"offering_id", &filter.offering_id}})
    if (*value) {
      where += fmt::format(" AND {} = ?", column);
      params.emplace_back(**value);
    }
  if (!page.after.empty()) {
    where += " AND id > ?";
    params.emplace_back(page.after);
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM subscriptions WHERE {} ORDER BY id LIMIT ?", kColumns, where), params));
  std::vector<Subscription> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  return make_page(std::move(items), page.limit, [](const Subscription& s) { return s.id; });
}

Result<void> update(Connection& c, const Subscription& s) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE subscriptions SET tier_id = ?, starts_at = ?, ends_at = ?, version = ?, updated_at = ? "
                                     "WHERE id = ? AND version = ?",
                                     {s.tier_id, s.starts_at, optional_integer(s.ends_at), s.version, s.updated_at, s.id, s.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The subscription was changed by someone else; reload it.");
  return {};
}

Result<void> remove(Connection& c, std::string_view id) {
  TRY(c.execute("DELETE FROM subscriptions WHERE id = ?", {std::string(id)}));
  return {};
}

Result<std::vector<Subscription>> of_holder(Connection& c, std::string_view offering_id, std::string_view organization_id,
                                            const std::optional<std::string>& user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM subscriptions WHERE offering_id = ? AND organization_id = ? AND {} "
                                                  "ORDER BY starts_at",
                                                  kColumns, user_id ? "user_id = ?" : "user_id IS NULL"),
                                      user_id ? std::vector<Value>{std::string(offering_id), std::string(organization_id), *user_id}
                                              : std::vector<Value>{std::string(offering_id), std::string(organization_id)}));
  std::vector<Subscription> out;
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

Result<std::vector<std::string>> tiers_held(Connection& c, std::string_view organization_id, const std::string& user_id,
                                            std::int64_t at) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT tier_id FROM subscriptions WHERE organization_id = ? AND (user_id IS NULL OR user_id = ?) "
                                      "AND starts_at <= ? AND (ends_at IS NULL OR ends_at > ?)",
                                      {std::string(organization_id), user_id, at, at}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

Result<bool> any_of_tier(Connection& c, std::string_view tier_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM subscriptions WHERE tier_id = ? LIMIT 1", {std::string(tier_id)}));
  return !rows.empty();
}

Result<std::vector<Subscription>> overlapping(Connection& c, std::int64_t start, std::int64_t end) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM subscriptions WHERE starts_at < ? AND (ends_at IS NULL OR ends_at > ?) "
                                                  "ORDER BY organization_id, starts_at, id",
                                                  kColumns),
                                      {end, start}));
  std::vector<Subscription> out;
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

Result<std::int64_t> end_for_user(Connection& c, std::string_view user_id, std::int64_t at) {
  std::string id(user_id);
  ASSIGN_OR_RETURN(auto gone, c.execute("DELETE FROM subscriptions WHERE user_id = ? AND starts_at >= ?", {id, at}));
  ASSIGN_OR_RETURN(auto ended, c.execute("UPDATE subscriptions SET ends_at = ?, version = version + 1, updated_at = ? "
                                         "WHERE user_id = ? AND (ends_at IS NULL OR ends_at > ?)",
                                         {at, at, id, at}));
  return gone + ended;
}

Result<std::int64_t> end_for_organization(Connection& c, std::string_view organization_id, std::int64_t at) {
  std::string id(organization_id);
  ASSIGN_OR_RETURN(auto gone, c.execute("DELETE FROM subscriptions WHERE organization_id = ? AND starts_at >= ?", {id, at}));
  ASSIGN_OR_RETURN(auto ended, c.execute("UPDATE subscriptions SET ends_at = ?, version = version + 1, updated_at = ? "
                                         "WHERE organization_id = ? AND (ends_at IS NULL OR ends_at > ?)",
                                         {at, at, id, at}));
  return gone + ended;
}

Result<std::vector<Subscription>> of_leaver(Connection& c, std::string_view organization_id,
                                            const std::optional<std::string>& user_id) {
  std::vector<Value> params{std::string(organization_id)};
  std::string where = "organization_id = ?";
  if (user_id) where += " AND user_id = ?", params.emplace_back(*user_id);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM subscriptions WHERE {} ORDER BY starts_at, id", kColumns, where),
                                      params));
  std::vector<Subscription> out;
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

}  // namespace subscriptions
}  // namespace tandem::storage
