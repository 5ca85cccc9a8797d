#include "storage/users.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "u.id, u.organization_id, u.email, u.name, u.roles, u.language, u.time_zone, u.flags, u.active, u.version, "
    "u.created_at, u.updated_at, u.external_id, u.left_at, u.erased_at";

template <class T, class Parse>
std::vector<T> split(const std::string& text, Parse parse) {
  std::vector<T> out;
  std::istringstream in(text);
  std::string word;
  while (in >> word)
    if (auto v = parse(word)) out.push_back(*v);
  return out;
}

template <class T>
std::string join(const std::vector<T>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out.push_back(' ');
    out += identity::to_string(v);
  }
  return out;
}

User from_row(const Row& r) {
  User u;
  u.id = r.text(0);
  u.organization_id = r.text(1);
  u.email = r.text(2);
  u.name = r.text(3);
  u.roles = split<identity::Role>(r.text(4), identity::parse_role);
  u.language = r.text(5);
  u.time_zone = r.text(6);
  u.flags = split<identity::UserFlag>(r.text(7), identity::parse_flag);
  u.active = r.integer(8) != 0;
  u.version = r.integer(9);
  u.created_at = r.integer(10);
  u.updated_at = r.integer(11);
  u.external_id = r.maybe_text(12);
  u.left_at = r.maybe_integer(13);
  u.erased_at = r.maybe_integer(14);
  return u;
}

// The identities and representations of one user or a page of users in at most two queries,
// not two per user; representations only when someone on the page is a representative.
// `page` is in id order (as every query here returns it), and so are the rows below, so each
// row finds its user by walking forward.
Result<void> load_relations(Connection& c, std::vector<User>& page) {
  if (page.empty()) return {};
  // One user (every /me, every single read) is the hot case: its statements are constant text.
  std::string in_list;
  std::vector<Value> ids;
  bool any_representative = false;
  for (const auto& u : page) {
    ids.emplace_back(u.id);
    any_representative = any_representative || identity::has_role(u.roles, identity::Role::representative);
  }
  if (page.size() > 1) {
    in_list = "IN (?";
    for (std::size_t i = 1; i < page.size(); ++i) in_list += ", ?";
    in_list += ")";
  }
  auto attach = [&](const Rows& rows, auto add) {
    std::size_t k = 0;
    for (const auto& r : rows) {
      while (k < page.size() && page[k].id != r.text(0)) ++k;
      if (k < page.size()) add(page[k], r);
    }
  };
  constexpr std::string_view kIdentities =
      "SELECT user_id, kind, value, normalized, label FROM identities WHERE user_id = ? ORDER BY user_id, created_at, id";
  constexpr std::string_view kRepresentations =
      "SELECT representative_id, user_id FROM representations WHERE representative_id = ? ORDER BY representative_id, user_id";
  std::string text;  // the statement for a page of several users
  auto statement = [&](std::string_view one) -> std::string_view {
    if (page.size() == 1) return one;
    text = std::string(one).replace(one.find("= ?"), 3, in_list);
    return text;
  };
  ASSIGN_OR_RETURN(auto rows, c.query(statement(kIdentities), ids));
  attach(rows, [](User& u, const Row& r) { u.identities.push_back({r.text(1), r.text(2), r.text(3), r.text(4)}); });
  if (!any_representative) return {};
  ASSIGN_OR_RETURN(auto reps, c.query(statement(kRepresentations), ids));
  attach(reps, [](User& u, const Row& r) { u.represented_user_ids.push_back(r.text(1)); });
  return {};
}

Result<void> write_relations(Connection& c, const User& u) {
  TRY(c.execute("DELETE FROM identities WHERE user_id = ?", {u.id}));
  int n = 0;
  for (const auto& i : u.identities) {
    TRY(c.execute("INSERT INTO identities (id, user_id, kind, value, normalized, label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {fmt::format("{}.{:03}", u.id, n++), u.id, i.kind, i.value, i.normalized, i.label, u.created_at}));
  }
  TRY(c.execute("DELETE FROM representations WHERE representative_id = ?", {u.id}));
  for (const auto& target : u.represented_user_ids)
    TRY(c.execute("INSERT INTO representations (representative_id, user_id) VALUES (?, ?)", {u.id, target}));
  return {};
}

Credentials credentials_from_row(const Row& r) {
  return Credentials{r.text(0), r.maybe_text(1), r.integer(2) != 0, r.integer(3), r.integer(4)};
}

}  // namespace

std::string canonical(const User& u) {
  std::vector<std::string> ids;
  for (const auto& i : u.identities) ids.push_back(i.kind + ":" + i.normalized);
  return fmt::format("user\nid={}\norganization={}\nemail={}\nname={}\nroles={}\nlanguage={}\ntime_zone={}\nflags={}\n"
                     "represents={}\nidentities={}\nactive={}\nexternal_id={}\nleft_at={}\nversion={}\n",
                     u.id, u.organization_id, u.email, u.name, join(u.roles), u.language, u.time_zone, join(u.flags),
                     fmt::join(u.represented_user_ids, " "), fmt::join(ids, " "), u.active, u.external_id.value_or(""),
                     u.left_at.value_or(0), u.version);
}

namespace users {

Result<void> insert(Connection& c, const User& u, const std::optional<std::string>& password_hash) {
  TRY(c.execute("INSERT INTO users (id, organization_id, email, name, roles, language, time_zone, flags, password_hash, "
                "active, failed_logins, locked_until, version, created_at, updated_at, external_id, left_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?)",
                {u.id, u.organization_id, u.email, u.name, join(u.roles), u.language, u.time_zone, join(u.flags),
                 optional_text(password_hash), std::int64_t(u.active), u.version, u.created_at, u.updated_at,
                 optional_text(u.external_id), optional_integer(u.left_at)}));
  return write_relations(c, u);
}

Result<std::optional<User>> find(Connection& c, const Scope& scope, std::string_view id) {
  std::vector<Value> params{std::string(id)};
  auto where = scope.users_condition("u", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM users u WHERE u.id = ? AND {}", kColumns, where), params));
  if (rows.empty()) return std::nullopt;
  std::vector<User> one{from_row(rows[0])};
  TRY(load_relations(c, one));
  return std::move(one[0]);
}

Result<Page<User>> list(Connection& c, const Scope& scope, const UserFilter& filter, const PageRequest& page) {
  std::vector<Value> params;
  std::string where = scope.users_condition("u", params);
  if (!filter.organization_id.empty()) {
    where += " AND u.organization_id = ?";
    params.emplace_back(filter.organization_id);
  }
  if (filter.role) {
    // Roles are space-separated words; pad both sides so "user" does not match "partner_user".
    where += " AND (' ' || u.roles || ' ') LIKE ?";
    params.emplace_back(fmt::format("% {} %", identity::to_string(*filter.role)));
  }
  if (filter.active) {
    where += " AND u.active = ?";
    params.emplace_back(std::int64_t(*filter.active));
  }
  params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM users u WHERE {} AND u.id > ? ORDER BY u.id LIMIT ?",
                                                  kColumns, where),
                                      params));
  std::vector<User> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  auto out = make_page(std::move(items), page.limit, [](const User& u) { return u.id; });
  TRY(load_relations(c, out.items));
  return out;
}

Result<void> update(Connection& c, const User& u) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE users SET organization_id = ?, email = ?, name = ?, roles = ?, language = ?, "
                                     "time_zone = ?, flags = ?, active = ?, version = ?, updated_at = ?, external_id = ?, left_at = ? "
                                     "WHERE id = ? AND version = ?",
                                     {u.organization_id, u.email, u.name, join(u.roles), u.language, u.time_zone,
                                      join(u.flags), std::int64_t(u.active), u.version, u.updated_at,
                                      optional_text(u.external_id), optional_integer(u.left_at), u.id, u.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "The user was changed by someone else; reload it.");
  return write_relations(c, u);
}

Result<std::optional<std::string>> owner_of_identity(Connection& c, std::string_view kind, std::string_view normalized) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT user_id FROM identities WHERE kind = ? AND normalized = ?",
                                      {std::string(kind), std::string(normalized)}));
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

Result<std::optional<Credentials>> credentials_by_email(Connection& c, std::string_view normalized_email) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT u.id, u.password_hash, u.active, u.failed_logins, u.locked_until "
                                      "FROM identities i JOIN users u ON u.id = i.user_id "
                                      "WHERE i.kind = 'email' AND i.normalized = ?",
                                      {std::string(normalized_email)}));
  if (rows.empty()) return std::nullopt;
  return credentials_from_row(rows[0]);
}

Result<std::optional<Credentials>> credentials_by_id(Connection& c, std::string_view user_id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT id, password_hash, active, failed_logins, locked_until FROM users "
                                                  "WHERE id = ?{}",
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(user_id)}));
  if (rows.empty()) return std::nullopt;
  return credentials_from_row(rows[0]);
}

Result<void> record_failed_login(Connection& c, std::string_view user_id, std::int64_t failed, std::int64_t locked_until) {
  TRY(c.execute("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?", {failed, locked_until, std::string(user_id)}));
  return {};
}

Result<void> record_successful_login(Connection& c, std::string_view user_id) {
  TRY(c.execute("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ? AND (failed_logins <> 0 OR locked_until <> 0)",
                {std::string(user_id)}));
  return {};
}

Result<void> set_password(Connection& c, std::string_view user_id, std::string_view hash, std::int64_t now) {
  TRY(c.execute("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0, updated_at = ? WHERE id = ?",
                {std::string(hash), now, std::string(user_id)}));
  return {};
}

Result<bool> any_admin(Connection& c) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM users WHERE (' ' || roles || ' ') LIKE '% admin %' AND active = 1 LIMIT 1"));
  return !rows.empty();
}

Result<std::optional<SessionActor>> session_actor(Connection& c, std::string_view token_hash, std::int64_t now) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT u.id, u.organization_id, u.roles, s.csrf_token, u.language, s.expires_at FROM sessions s "
                                      "JOIN users u ON u.id = s.user_id "
                                      "WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
                                      {std::string(token_hash), now}));
  if (rows.empty()) return std::nullopt;
  SessionActor out;
  out.actor.user_id = rows[0].text(0);
  out.actor.organization_id = rows[0].text(1);
  out.actor.roles = split<identity::Role>(rows[0].text(2), identity::parse_role);
  out.csrf_token = rows[0].text(3);
  out.actor.language = rows[0].text(4);
  out.expires_at = rows[0].integer(5);
  return out;
}

Result<std::optional<identity::Actor>> active_actor(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id, organization_id, roles, language FROM users WHERE id = ? AND active = 1",
                                      {std::string(user_id)}));
  if (rows.empty()) return std::nullopt;
  identity::Actor a;
  a.user_id = rows[0].text(0);
  a.organization_id = rows[0].text(1);
  a.roles = split<identity::Role>(rows[0].text(2), identity::parse_role);
  a.language = rows[0].text(3);
  return a;
}

Result<std::int64_t> count_in_organization(Connection& c, std::string_view organization_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COUNT(*) FROM users WHERE organization_id = ?", {std::string(organization_id)}));
  return rows.empty() ? 0 : rows[0].integer(0);
}

Result<std::vector<User>> present_in_organization(Connection& c, std::string_view organization_id, std::int64_t offset,
                                                  int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM users u WHERE u.organization_id = ? AND u.left_at IS NULL "
                                                  "ORDER BY u.created_at, u.id LIMIT ? OFFSET ?",
                                                  kColumns),
                                      {std::string(organization_id), std::int64_t(limit), offset}));
  // load_relations walks a page in id order; the answer keeps the age order.
  std::vector<User> out;
  for (const auto& r : rows) out.push_back(from_row(r));
  std::vector<User> by_id = out;
  std::sort(by_id.begin(), by_id.end(), [](const User& a, const User& b) { return a.id < b.id; });
  TRY(load_relations(c, by_id));
  std::map<std::string, User*> loaded;
  for (auto& u : by_id) loaded.emplace(u.id, &u);
  for (auto& u : out) u = std::move(*loaded.at(u.id));
  return out;
}

Result<std::int64_t> count_present(Connection& c, std::string_view organization_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COUNT(*) FROM users WHERE organization_id = ? AND left_at IS NULL",
                                      {std::string(organization_id)}));
  return rows.empty() ? 0 : rows[0].integer(0);
}

Result<std::optional<std::string>> with_external_id(Connection& c, std::string_view organization_id,
                                                    std::string_view external_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id FROM users WHERE organization_id = ? AND external_id = ?",
                                      {std::string(organization_id), std::string(external_id)}));
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

Result<bool> represents(Connection& c, std::string_view representative_id, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM representations WHERE representative_id = ? AND user_id = ?",
                                      {std::string(representative_id), std::string(user_id)}));
  return !rows.empty();
}

}  // namespace users
}  // namespace tandem::storage
