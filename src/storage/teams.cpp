#include "storage/teams.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/table.h"

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, organization_id, name, description, skills, languages, version, created_at, updated_at, lead_id";

Team from_row(const Row& r) {
  Team t;
  t.id = r.text(0);
  t.organization_id = r.text(1);
  t.name = r.text(2);
  t.description = r.text(3);
  t.skills = split_lines(r.text(4));
  t.languages = split_lines(r.text(5));
  t.version = r.integer(6);
  t.created_at = r.integer(7);
  t.updated_at = r.integer(8);
  t.lead_id = r.maybe_text(9);
  return t;
}

Result<void> load_members(Connection& c, Team& t) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT user_id FROM team_members WHERE team_id = ? ORDER BY user_id", {t.id}));
  for (const auto& r : rows) t.member_ids.push_back(r.text(0));
  return {};
}

Result<void> write_members(Connection& c, const Team& t) {
  TRY(c.execute("DELETE FROM team_members WHERE team_id = ?", {t.id}));
  for (const auto& m : t.member_ids) TRY(c.execute("INSERT INTO team_members (team_id, user_id) VALUES (?, ?)", {t.id, m}));
  return {};
}

}  // namespace

std::string canonical(const Team& t) {
  return fmt::format("team\nid={}\nname={}\ndescription={}\nskills={}\nlanguages={}\nmembers={}\nlead={}\nversion={}\n", t.id,
                     t.name, t.description, fmt::join(t.skills, "|"), fmt::join(t.languages, "|"), fmt::join(t.member_ids, " "),
                     t.lead_id.value_or(""), t.version);
}

namespace teams {

Result<void> insert(Connection& c, const Team& t) {
  TRY(c.execute("INSERT INTO teams (id, organization_id, name, description, skills, languages, version, created_at, updated_at, "
                "lead_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {t.id, t.organization_id, t.name, t.description, join_lines(t.skills), join_lines(t.languages), t.version,
                 t.created_at, t.updated_at, optional_text(t.lead_id)}));
  return write_members(c, t);
}

Result<std::optional<Team>> find(Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM teams WHERE id = ?", kColumns), {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  auto t = from_row(rows[0]);
  TRY(load_members(c, t));
  return t;
}

Result<Page<Team>> list(Connection& c, const PageRequest& page) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM teams WHERE id > ? ORDER BY id LIMIT ?", kColumns),
                                      {page.after, std::int64_t(page.limit + 1)}));
  std::vector<Team> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  auto out = make_page(std::move(items), page.limit, [](const Team& t) { return t.id; });
  for (auto& t : out.items) TRY(load_members(c, t));
  return out;
}

Result<void> update(Connection& c, const Team& t) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE teams SET name = ?, description = ?, skills = ?, languages = ?, lead_id = ?, "
                                     "version = ?, updated_at = ? WHERE id = ? AND version = ?",
                                     {t.name, t.description, join_lines(t.skills), join_lines(t.languages),
                                      optional_text(t.lead_id), t.version, t.updated_at, t.id, t.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The team was changed by someone else; reload it.");
  return write_members(c, t);
}

Result<void> remove(Connection& c, std::string_view id) {
  TRY(c.execute("DELETE FROM teams WHERE id = ?", {std::string(id)}));
  return {};
}

}  // namespace teams
}  // namespace tandem::storage
