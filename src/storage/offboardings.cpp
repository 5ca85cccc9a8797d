#include "storage/offboardings.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, kind, subject_id, organization_id, reason, effective_at, status, steps, facts, created_by, created_at, completed_at, "
    "version";

Offboarding from_row(const Row& r) {
  return {r.text(0), r.text(1),  r.text(2),    r.text(3),           r.text(4),   r.integer(5), r.text(6),
          r.text(7), r.text(8),  r.text(9),    r.integer(10), r.maybe_integer(11), r.integer(12)};
}

std::string records_condition(const Scope& scope, std::vector<Value>& params) {
  if (scope.sees_everything()) return "1 = 1";
  if (!scope.sees_whole_organization()) return "1 = 0";
  params.emplace_back(scope.organization_id());
  return "organization_id = ?";
}

}  // namespace

std::string canonical(const Offboarding& o) {
  return fmt::format("offboarding\nid={}\nkind={}\nsubject={}\norganization={}\nreason={}\neffective_at={}\nstatus={}\nsteps={}\n"
                     "facts={}\nversion={}\n",
                     o.id, o.kind, o.subject_id, o.organization_id, o.reason, o.effective_at, o.status, o.steps, o.facts, o.version);
}

namespace offboardings {

Result<void> insert(Connection& c, const Offboarding& o) {
  TRY(c.execute(fmt::format("INSERT INTO offboardings ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {o.id, o.kind, o.subject_id, o.organization_id, o.reason, o.effective_at, o.status, o.steps, o.facts, o.created_by,
                 o.created_at, optional_integer(o.completed_at), o.version}));
  return {};
}

Result<std::optional<Offboarding>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = records_condition(scope, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM offboardings WHERE id = ? AND {}{}", kColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Page<Offboarding>> list(Connection& c, const Scope& scope, const OffboardingFilter& f, const PageRequest& page) {
  std::vector<Value> params;
  auto where = records_condition(scope, params);
  if (f.organization_id) where += " AND organization_id = ?", params.emplace_back(*f.organization_id);
  if (f.subject_id) where += " AND subject_id = ?", params.emplace_back(*f.subject_id);
  if (f.status) where += " AND status = ?", params.emplace_back(*f.status);
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM offboardings WHERE {} ORDER BY id DESC LIMIT ?", kColumns, where), params));
  std::vector<Offboarding> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  return make_page(std::move(items), page.limit, [](const Offboarding& o) { return o.id; });
}

Result<std::optional<std::string>> open_of(Connection& c, std::string_view subject_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id FROM offboardings WHERE subject_id = ? AND status = 'open' ORDER BY id LIMIT 1",
                                      {std::string(subject_id)}));
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

Result<void> update(Connection& c, const Offboarding& o) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE offboardings SET effective_at = ?, status = ?, steps = ?, facts = ?, completed_at = ?, "
                                     "version = ? WHERE id = ? AND version = ?",
                                     {o.effective_at, o.status, o.steps, o.facts, optional_integer(o.completed_at), o.version, o.id,
                                      o.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The offboarding was changed by someone else; reload it.");
  return {};
}

Result<std::vector<std::string>> due(Connection& c, std::int64_t now, int limit) {
  // The steps are JSON written by one use case in one shape, so the pending step reads as text.
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id FROM offboardings WHERE status = 'open' AND effective_at <= ? AND kind = 'user' "
                                      "AND steps LIKE ? ESCAPE '\\' ORDER BY effective_at, id LIMIT ?",
                                      {now, std::string(R"(%{"key":"revoke\_access","status":"pending"%)"), std::int64_t(limit)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

}  // namespace offboardings

namespace former_members {

Result<void> remember(Connection& c, const FormerMember& m) {
  TRY(c.execute("DELETE FROM former_members WHERE pseudonym = ?", {m.pseudonym}));
  TRY(c.execute("INSERT INTO former_members (pseudonym, left_at, trainings) VALUES (?, ?, ?)", {m.pseudonym, m.left_at, m.trainings}));
  return {};
}

Result<std::optional<FormerMember>> find(Connection& c, std::string_view pseudonym) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT pseudonym, left_at, trainings FROM former_members WHERE pseudonym = ?",
                                      {std::string(pseudonym)}));
  if (rows.empty()) return std::nullopt;
  return FormerMember{rows[0].text(0), rows[0].integer(1), rows[0].text(2)};
}

Result<void> forget(Connection& c, std::string_view pseudonym) {
  TRY(c.execute("DELETE FROM former_members WHERE pseudonym = ?", {std::string(pseudonym)}));
  return {};
}

}  // namespace former_members
}  // namespace tandem::storage
