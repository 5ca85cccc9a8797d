#include "storage/access_reviews.h"

#include <fmt/format.h>

#include <charconv>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns = "id, organization_id, opened_by, grant_count, decided_count, version, created_at, updated_at";
constexpr std::string_view kGrantColumns = "review_id, ordinal, id, kind, subject, decision, decided_by, decided_at";

AccessReview from_row(const Row& r) {
  return {r.text(0), r.text(1), r.text(2), r.integer(3), r.integer(4), r.integer(5), r.integer(6), r.integer(7)};
}

ReviewGrant grant_from_row(const Row& r) {
  return {r.text(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.maybe_text(5), r.maybe_text(6), r.maybe_integer(7)};
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
  return fmt::format("access_review\nid={}\norganization={}\nopened_by={}\ngrants={}\ndecided={}\nversion={}\n", r.id, r.organization_id,
                     r.opened_by, r.grant_count, r.decided_count, r.version);
}

std::string canonical(const ReviewGrant& g) {
  return fmt::format("access_review_grant\nreview={}\nid={}\nkind={}\nsubject={}\ndecision={}\ndecided_by={}\n", g.review_id, g.id, g.kind,
                     g.subject, g.decision.value_or(""), g.decided_by.value_or(""));
}

namespace access_reviews {

Result<void> insert(Connection& c, const AccessReview& r, const std::vector<ReviewGrant>& grants) {
  TRY(c.execute(fmt::format("INSERT INTO access_reviews ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {r.id, r.organization_id, r.opened_by, r.grant_count, r.decided_count, r.version, r.created_at, r.updated_at}));
  // Unawaited: the grants travel to PostgreSQL a few hundred at a time, not a round trip each;
  // an awaited statement after each batch reads their outcomes before the server's replies could
  // fill the socket.
  auto sql = fmt::format("INSERT INTO access_review_grants ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kGrantColumns);
  constexpr std::size_t kBatch = 256;
  for (std::size_t i = 0; i < grants.size(); ++i) {
    const auto& g = grants[i];
    TRY(c.execute_unawaited(sql, {r.id, g.ordinal, g.id, g.kind, g.subject, optional_text(g.decision), optional_text(g.decided_by),
                                  optional_integer(g.decided_at)}));
    if ((i + 1) % kBatch == 0) TRY(c.query("SELECT 1", {}));
  }
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

Result<Page<ReviewGrant>> grants(Connection& c, std::string_view review_id, const PageRequest& page) {
  std::int64_t after = -1;
  if (!page.after.empty()) {
    auto [end, ec] = std::from_chars(page.after.data(), page.after.data() + page.after.size(), after);
    if (ec != std::errc() || end != page.after.data() + page.after.size()) return fail(Code::invalid_argument, "The cursor is not one of ours.");
  }
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM access_review_grants WHERE review_id = ? AND ordinal > ? "
                                                  "ORDER BY ordinal LIMIT ?",
                                                  kGrantColumns),
                                      {std::string(review_id), after, std::int64_t(page.limit + 1)}));
  std::vector<ReviewGrant> items;
  for (const auto& r : rows) items.push_back(grant_from_row(r));
  return make_page(std::move(items), page.limit, [](const ReviewGrant& g) { return std::to_string(g.ordinal); });
}

Result<std::optional<ReviewGrant>> find_grant(Connection& c, std::string_view review_id, std::string_view grant_id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM access_review_grants WHERE review_id = ? AND id = ?", kGrantColumns),
                                      {std::string(review_id), std::string(grant_id)}));
  if (rows.empty()) return std::nullopt;
  return grant_from_row(rows[0]);
}

Result<void> decide(Connection& c, const AccessReview& r, const ReviewGrant& g) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE access_reviews SET decided_count = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?",
                                     {r.decided_count, r.version, r.updated_at, r.id, r.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The review was changed by someone else; reload it.");
  TRY(c.execute("UPDATE access_review_grants SET decision = ?, decided_by = ?, decided_at = ? WHERE review_id = ? AND id = ?",
                {optional_text(g.decision), optional_text(g.decided_by), optional_integer(g.decided_at), g.review_id, g.id}));
  return {};
}

}  // namespace access_reviews
}  // namespace tandem::storage
