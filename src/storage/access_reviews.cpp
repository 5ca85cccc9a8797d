#include "storage/access_reviews.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns = "id, organization_id, opened_by, grants, version, created_at, updated_at";

AccessReview from_row(const Row& r) {
  return {r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4), r.integer(5), r.integer(6)};
}

// Staff see every review; a customer their organisation's; anyone else none.
std::string reviews_condition(const Scope& scope, std::vector<Value>& params) {
  if (scope.sees_everything()) return "1 = 1";
  if (!scope.sees_whole_organization()) return "1 = 0";
  params.emplace_back(scope.organization_id());
  return "organization_id = ?";
}

}  // namespace

std::string canonical(const AccessReview& r) {
  return fmt::format("access_review\nid={}\norganization={}\nopened_by={}\ngrants={}\nversion={}\n", r.id, r.organization_id, r.opened_by,
                     r.grants, r.version);
}

namespace access_reviews {

Result<void> insert(Connection& c, const AccessReview& r) {
  TRY(c.execute(fmt::format("INSERT INTO access_reviews ({}) VALUES (?, ?, ?, ?, ?, ?, ?)", kColumns),
                {r.id, r.organization_id, r.opened_by, r.grants, r.version, r.created_at, r.updated_at}));
  return {};
}

Result<std::optional<AccessReview>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = reviews_condition(scope, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM access_reviews WHERE id = ? AND {}{}", kColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Page<AccessReview>> list(Connection& c, const Scope& scope, const PageRequest& page) {
  std::vector<Value> params;
  auto where = reviews_condition(scope, params);
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM access_reviews WHERE {} ORDER BY id DESC LIMIT ?", kColumns, where), params));
  std::vector<AccessReview> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  return make_page(std::move(items), page.limit, [](const AccessReview& r) { return r.id; });
}

Result<void> update(Connection& c, const AccessReview& r) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE access_reviews SET grants = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?",
                                     {r.grants, r.version, r.updated_at, r.id, r.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The review was changed by someone else; reload it.");
  return {};
}

}  // namespace access_reviews
}  // namespace tandem::storage
