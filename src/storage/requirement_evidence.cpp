#include "storage/requirement_evidence.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, requirement_id, user_id, organization_id, note, status, reason, decided_by, decided_at, expires_on, "
    "reminded_at, version, created_at, file_sha256, file_name, file_size, file_content_type";

RequirementEvidence from_row(const Row& r) {
  RequirementEvidence e{r.text(0),           r.text(1),        r.text(2),           r.text(3),     r.text(4),
                        std::nullopt,        r.text(5),        r.text(6),           r.maybe_text(7), r.maybe_integer(8),
                        r.maybe_text(9),     r.maybe_integer(10), r.integer(11),     r.integer(12)};
  if (auto sha = r.maybe_text(13)) e.file = EvidenceFile{*sha, r.text(14), r.integer(15), r.text(16)};
  return e;
}

}  // namespace

std::string canonical(const RequirementEvidence& e) {
  return fmt::format("requirement_evidence\nid={}\nrequirement={}\nuser={}\nnote={}\nfile={}\nstatus={}\nreason={}\n"
                     "decided_by={}\nexpires_on={}\nversion={}\n",
                     e.id, e.requirement_id, e.user_id, e.note, e.file ? e.file->sha256 : "", e.status, e.reason,
                     e.decided_by.value_or(""), e.expires_on.value_or(""), e.version);
}

namespace requirement_evidence {

Result<void> insert(Connection& c, const RequirementEvidence& e) {
  TRY(c.execute(fmt::format("INSERT INTO requirement_evidence ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {e.id, e.requirement_id, e.user_id, e.organization_id, e.note, e.status, e.reason, optional_text(e.decided_by),
                 optional_integer(e.decided_at), optional_text(e.expires_on), optional_integer(e.reminded_at), e.version,
                 e.created_at, e.file ? Value(e.file->sha256) : null_value(), e.file ? Value(e.file->name) : null_value(),
                 e.file ? Value(e.file->size) : null_value(), e.file ? Value(e.file->content_type) : null_value()}));
  return {};
}

Result<std::optional<RequirementEvidence>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  std::string where = "id = ?";
  if (!scope.sees_everything()) where += " AND user_id = ?", params.emplace_back(scope.user_id());
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM requirement_evidence WHERE {}{}", kColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<std::vector<RequirementEvidence>> of_user(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM requirement_evidence WHERE user_id = ? "
                                                  "ORDER BY requirement_id, created_at DESC, id DESC",
                                                  kColumns),
                                      {std::string(user_id)}));
  std::vector<RequirementEvidence> out;
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

Result<std::int64_t> pending_of_user(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COUNT(*) FROM requirement_evidence WHERE user_id = ? AND status = 'pending'",
                                      {std::string(user_id)}));
  return rows.empty() ? 0 : rows[0].integer(0);
}

Result<Page<RequirementEvidence>> list(Connection& c, std::string_view status, const PageRequest& page) {
  std::vector<Value> params;
  std::string where = "1 = 1";
  if (!status.empty()) where += " AND status = ?", params.emplace_back(std::string(status));
  if (!page.after.empty()) where += " AND id > ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM requirement_evidence WHERE {} ORDER BY id LIMIT ?", kColumns, where),
                                      params));
  std::vector<RequirementEvidence> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  return make_page(std::move(items), page.limit, [](const RequirementEvidence& e) { return e.id; });
}

Result<void> update(Connection& c, const RequirementEvidence& e) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE requirement_evidence SET status = ?, reason = ?, decided_by = ?, decided_at = ?, "
                                     "expires_on = ?, reminded_at = ?, version = ? WHERE id = ? AND version = ?",
                                     {e.status, e.reason, optional_text(e.decided_by), optional_integer(e.decided_at),
                                      optional_text(e.expires_on), optional_integer(e.reminded_at), e.version, e.id, e.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The evidence was changed by someone else; reload it.");
  return {};
}

Result<std::vector<RequirementEvidence>> to_remind(Connection& c, std::string_view last_day, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM requirement_evidence WHERE status = 'approved' AND reminded_at IS NULL "
                                                  "AND expires_on IS NOT NULL AND expires_on <= ? ORDER BY expires_on, id LIMIT ?{}",
                                                  kColumns, c.dialect() == Dialect::postgresql ? " FOR UPDATE SKIP LOCKED" : ""),
                                      {std::string(last_day), std::int64_t(limit)}));
  std::vector<RequirementEvidence> out;
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

Result<bool> content_in_use(Connection& c, std::string_view organization_id, std::string_view sha256) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM requirement_evidence WHERE organization_id = ? AND file_sha256 = ? LIMIT 1",
                                      {std::string(organization_id), std::string(sha256)}));
  return !rows.empty();
}

}  // namespace requirement_evidence
}  // namespace tandem::storage
