#include "storage/knowledge.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace tandem::storage {
namespace {

constexpr std::string_view kArticleColumns =
    "a.id, a.language, a.state, a.author_id, a.source_post_id, a.version, a.created_at, a.updated_at, a.published_at";

std::vector<std::string> words(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    auto end = joined.find(' ', start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) out.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

Article article_from(const Row& r) {
  Article a;
  a.id = r.text(0);
  a.language = r.text(1);
  a.state = knowledge::parse_article_state(r.text(2)).value_or(knowledge::ArticleState::draft);
  a.author_id = r.text(3);
  a.source_post_id = r.maybe_text(4);
  a.version = r.integer(5);
  a.created_at = r.integer(6);
  a.updated_at = r.integer(7);
  a.published_at = r.maybe_integer(8);
  return a;
}

// What a reader sees of articles: everything for staff; published ones in their audience else.
std::string visible(const KnowledgeReader& who, std::vector<Value>& params) {
  if (who.scope.sees_everything()) return "1 = 1";
  return "a.state = 'published' AND " + audiences::condition("a.id", who, params);
}

Result<void> load_details(Connection& c, std::vector<Article>& items) {
  if (items.empty()) return {};
  std::vector<Value> ids;
  std::map<std::string, Article*> by_id;
  for (auto& a : items) {
    ids.emplace_back(a.id);
    by_id[a.id] = &a;
  }
  ASSIGN_OR_RETURN(auto services, c.query(fmt::format("SELECT article_id, service_id FROM article_services WHERE article_id IN ({}) "
                                                      "ORDER BY article_id, service_id",
                                                      placeholders(ids.size())),
                                          ids));
  for (const auto& r : services) by_id[r.text(0)]->service_ids.push_back(r.text(1));
  ASSIGN_OR_RETURN(auto rules, c.query(fmt::format("SELECT owner_id, kind, value FROM audiences WHERE owner_id IN ({}) "
                                                   "ORDER BY owner_id, kind, value",
                                                   placeholders(ids.size())),
                                       ids));
  for (const auto& r : rules) {
    auto& audience = by_id[r.text(0)]->audience;
    auto kind = r.text(1);
    if (kind == "organization") audience.organization_ids.push_back(r.text(2));
    else if (kind == "offering") audience.offering_ids.push_back(r.text(2));
    else if (auto role = identity::parse_role(r.text(2))) audience.roles.push_back(*role);
  }
  return {};
}

Result<void> put_services(Connection& c, const Article& a) {
  TRY(c.execute("DELETE FROM article_services WHERE article_id = ?", {a.id}));
  for (const auto& service : a.service_ids)
    TRY(c.execute("INSERT INTO article_services (article_id, service_id) VALUES (?, ?)", {a.id, service}));
  return {};
}

ArticleText text_from(const Row& r) {
  return {r.text(0), r.text(1), r.integer(2), r.text(3), r.text(4), r.text(5), r.integer(6)};
}

}  // namespace

namespace articles {

Result<void> insert(Connection& c, const Article& a) {
  TRY(c.execute("INSERT INTO articles (id, language, state, author_id, source_post_id, version, created_at, updated_at, published_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {a.id, a.language, std::string(knowledge::to_string(a.state)), a.author_id, optional_text(a.source_post_id), a.version,
                 a.created_at, a.updated_at, optional_integer(a.published_at)}));
  TRY(audiences::put(c, a.id, a.audience));
  return put_services(c, a);
}

Result<void> update(Connection& c, const Article& a) {
  TRY(c.execute("UPDATE articles SET state = ?, version = ?, updated_at = ?, published_at = ? WHERE id = ?",
                {std::string(knowledge::to_string(a.state)), a.version, a.updated_at, optional_integer(a.published_at), a.id}));
  TRY(audiences::put(c, a.id, a.audience));
  return put_services(c, a);
}

Result<std::optional<Article>> find(Connection& c, const KnowledgeReader& who, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = visible(who, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM articles a WHERE a.id = ? AND {}{}", kArticleColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  std::vector<Article> one{article_from(rows[0])};
  TRY(load_details(c, one));
  return std::move(one[0]);
}

Result<Page<Article>> list(Connection& c, const KnowledgeReader& who, const ArticleFilter& filter, const PageRequest& page) {
  std::vector<Value> params;
  std::string where = visible(who, params);
  if (filter.state) {
    where += " AND a.state = ?";
    params.emplace_back(std::string(knowledge::to_string(*filter.state)));
  }
  if (filter.service_id) {
    where += " AND EXISTS (SELECT 1 FROM article_services s WHERE s.article_id = a.id AND s.service_id = ?)";
    params.emplace_back(*filter.service_id);
  }
  if (filter.language) {
    where += " AND EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id AND v.language = ?)";
    params.emplace_back(*filter.language);
  }
  if (!page.after.empty()) {
    where += " AND a.id < ?";
    params.emplace_back(page.after);
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM articles a WHERE {} ORDER BY a.id DESC LIMIT ?", kArticleColumns, where),
                                      params));
  std::vector<Article> items;
  for (const auto& r : rows) items.push_back(article_from(r));
  TRY(load_details(c, items));
  return make_page(std::move(items), page.limit, [](const Article& a) { return a.id; });
}

Result<void> add_text(Connection& c, const ArticleText& t) {
  TRY(c.execute("INSERT INTO article_versions (article_id, language, number, title, body, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {t.article_id, t.language, t.number, t.title, t.body, t.author_id, t.created_at}));
  return {};
}

Result<std::vector<ArticleText>> current_texts(Connection& c, std::string_view article_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT v.article_id, v.language, v.number, v.title, v.body, v.author_id, v.created_at "
                                      "FROM article_versions v JOIN articles a ON a.id = v.article_id WHERE v.article_id = ? "
                                      "AND v.number = (SELECT MAX(number) FROM article_versions w WHERE w.article_id = v.article_id "
                                      "AND w.language = v.language) ORDER BY CASE WHEN v.language = a.language THEN 0 ELSE 1 END, v.language",
                                      {std::string(article_id)}));
  std::vector<ArticleText> out;
  for (const auto& r : rows) out.push_back(text_from(r));
  return out;
}

Result<std::vector<ArticleText>> versions(Connection& c, std::string_view article_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT article_id, language, number, title, body, author_id, created_at FROM article_versions "
                                      "WHERE article_id = ? ORDER BY language, number",
                                      {std::string(article_id)}));
  std::vector<ArticleText> out;
  for (const auto& r : rows) out.push_back(text_from(r));
  return out;
}

Result<void> put_feedback(Connection& c, std::string_view article_id, std::string_view language, std::int64_t number,
                          std::string_view user_id, bool helpful, const std::optional<std::string>& comment, std::int64_t at) {
  TRY(c.execute("DELETE FROM article_feedback WHERE article_id = ? AND language = ? AND number = ? AND user_id = ?",
                {std::string(article_id), std::string(language), number, std::string(user_id)}));
  TRY(c.execute("INSERT INTO article_feedback (article_id, language, number, user_id, helpful, comment, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                {std::string(article_id), std::string(language), number, std::string(user_id), std::int64_t(helpful ? 1 : 0),
                 optional_text(comment), at}));
  return {};
}

Result<std::vector<VersionFeedback>> feedback(Connection& c, std::string_view article_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT language, number, CAST(SUM(helpful) AS BIGINT), CAST(COUNT(*) - SUM(helpful) AS BIGINT) FROM article_feedback "
                                      "WHERE article_id = ? GROUP BY language, number ORDER BY language, number",
                                      {std::string(article_id)}));
  std::vector<VersionFeedback> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.integer(1), r.integer(2), r.integer(3)});
  return out;
}

}  // namespace articles

namespace audiences {

Result<void> put(Connection& c, std::string_view owner_id, const knowledge::Audience& audience) {
  TRY(c.execute("DELETE FROM audiences WHERE owner_id = ?", {std::string(owner_id)}));
  auto add = [&](std::string_view kind, const std::string& value) {
    return c.execute("INSERT INTO audiences (owner_id, kind, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                     {std::string(owner_id), std::string(kind), value});
  };
  for (const auto& o : audience.organization_ids) TRY(add("organization", o));
  for (auto role : audience.roles) TRY(add("role", std::string(identity::to_string(role))));
  for (const auto& o : audience.offering_ids) TRY(add("offering", o));
  return {};
}

Result<knowledge::Audience> get(Connection& c, std::string_view owner_id) {
  std::vector<Article> one(1);
  one[0].id = std::string(owner_id);
  TRY(load_details(c, one));
  return one[0].audience;
}

std::string condition(std::string_view owner_column, const KnowledgeReader& who, std::vector<Value>& params) {
  if (who.scope.sees_everything()) return "1 = 1";
  std::vector<std::string> roles;
  for (auto role : who.reader.roles) roles.emplace_back(identity::to_string(role));
  std::string out;
  for (auto [kind, held] : {std::pair<std::string_view, std::vector<std::string>>{"organization", {who.reader.organization_id}},
                            {"role", roles},
                            {"offering", who.reader.offering_ids}}) {
    std::erase(held, std::string());
    if (!out.empty()) out += " AND ";
    out += fmt::format("(NOT EXISTS (SELECT 1 FROM audiences x WHERE x.owner_id = {0} AND x.kind = '{1}')", owner_column, kind);
    if (!held.empty()) {
      out += fmt::format(" OR EXISTS (SELECT 1 FROM audiences x WHERE x.owner_id = {0} AND x.kind = '{1}' AND x.value IN ({2}))",
                         owner_column, kind, placeholders(held.size()));
      for (auto& h : held) params.emplace_back(std::move(h));
    }
    out += ")";
  }
  return out;
}

}  // namespace audiences

Result<std::vector<std::string>> offerings_held(Connection& c, std::string_view organization_id, std::string_view user_id,
                                                std::int64_t at) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT DISTINCT s.offering_id FROM subscriptions s "
                                      "WHERE s.organization_id = ? AND (s.user_id IS NULL OR s.user_id = ?) AND s.starts_at <= ? "
                                      "AND (s.ends_at IS NULL OR s.ends_at > ?)",
                                      {std::string(organization_id), std::string(user_id), at, at}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

namespace knowledge_index {

Result<void> put(Connection& c, const KnowledgeDoc& d) {
  auto terms = search::index_terms(d.title + "\n" + d.content);
  bool sqlite = c.dialect() == Dialect::sqlite;
  if (sqlite) {
    ASSIGN_OR_RETURN(auto old, c.query("SELECT doc FROM knowledge_docs WHERE kind = ? AND target_id = ? AND language = ?",
                                       {d.kind, d.target_id, d.language}));
    for (const auto& r : old) TRY(c.execute("DELETE FROM knowledge_search WHERE rowid = ?", {r.integer(0)}));
  }
  TRY(c.execute("DELETE FROM knowledge_docs WHERE kind = ? AND target_id = ? AND language = ?", {d.kind, d.target_id, d.language}));
  ASSIGN_OR_RETURN(auto audience, c.query("SELECT 1 FROM audiences WHERE owner_id = ? LIMIT 1", {d.owner_id}));
  std::vector<Value> params{d.kind, d.target_id, d.owner_id, d.language, joined(d.service_ids), d.title, d.content,
                            d.helpful, d.unhelpful, d.updated_at, std::int64_t(audience.empty() ? 1 : 0)};
  if (sqlite) {
    ASSIGN_OR_RETURN(auto rows, c.query("INSERT INTO knowledge_docs (kind, target_id, owner_id, language, services, title, content, helpful, "
                                        "unhelpful, updated_at, unrestricted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING doc",
                                        params));
    TRY(c.execute("INSERT INTO knowledge_search (rowid, terms) VALUES (?, ?)", {rows[0].integer(0), terms}));
  } else {
    // The tsvector is the term list itself: no parser, no locale (docs/adr/0003).
    params.emplace_back(terms);
    TRY(c.execute("INSERT INTO knowledge_docs (kind, target_id, owner_id, language, services, title, content, helpful, unhelpful, "
                  "updated_at, unrestricted, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "array_to_tsvector(array_remove(string_to_array(CAST(? AS TEXT), ' '), '')))",
                  params));
  }
  return {};
}

Result<void> remove(Connection& c, std::string_view kind, std::string_view target_id) {
  if (c.dialect() == Dialect::sqlite)
    TRY(c.execute("DELETE FROM knowledge_search WHERE rowid IN (SELECT doc FROM knowledge_docs WHERE kind = ? AND target_id = ?)",
                  {std::string(kind), std::string(target_id)}));
  TRY(c.execute("DELETE FROM knowledge_docs WHERE kind = ? AND target_id = ?", {std::string(kind), std::string(target_id)}));
  return {};
}

Result<void> owner_changed(Connection& c, std::string_view owner_id, std::string_view language) {
  ASSIGN_OR_RETURN(auto audience, c.query("SELECT 1 FROM audiences WHERE owner_id = ? LIMIT 1", {std::string(owner_id)}));
  TRY(c.execute("UPDATE knowledge_docs SET unrestricted = ?, language = ? WHERE owner_id = ?",
                {std::int64_t(audience.empty() ? 1 : 0), std::string(language), std::string(owner_id)}));
  return {};
}

Result<void> retext(Connection& c, std::int64_t doc, const std::string& title, const std::string& content) {
  auto terms = search::index_terms(title + "\n" + content);
  if (c.dialect() == Dialect::sqlite) {
    TRY(c.execute("UPDATE knowledge_docs SET title = ?, content = ? WHERE doc = ?", {title, content, doc}));
    TRY(c.execute("DELETE FROM knowledge_search WHERE rowid = ?", {doc}));
    TRY(c.execute("INSERT INTO knowledge_search (rowid, terms) VALUES (?, ?)", {doc, terms}));
  } else {
    TRY(c.execute("UPDATE knowledge_docs SET title = ?, content = ?, terms = array_to_tsvector(array_remove(string_to_array(CAST(? AS TEXT), ' '), '')) "
                  "WHERE doc = ?",
                  {title, content, terms, doc}));
  }
  return {};
}

Result<void> set_feedback(Connection& c, std::string_view kind, std::string_view target_id, std::int64_t helpful, std::int64_t unhelpful) {
  TRY(c.execute("UPDATE knowledge_docs SET helpful = ?, unhelpful = ? WHERE kind = ? AND target_id = ?",
                {helpful, unhelpful, std::string(kind), std::string(target_id)}));
  return {};
}

Result<std::vector<KnowledgeCandidate>> candidates(Connection& c, const KnowledgeReader& who, const KnowledgeQuery& q) {
  bool sqlite = c.dialect() == Dialect::sqlite;
  // Terms hold only letters, digits and CJK characters (search::parse_query): quoted as they are.
  std::string match;
  for (const auto& t : q.terms) {
    if (!match.empty()) match += sqlite ? " " : " & ";
    match += sqlite ? "\"" + t.text + "\"" + (t.prefix ? "*" : "") : "'" + t.text + "'" + (t.prefix ? ":*" : "");
  }
  std::vector<Value> params{match};
  std::string where = who.scope.sees_everything() ? "1 = 1" : "(d.unrestricted = 1 OR " + audiences::condition("d.owner_id", who, params) + ")";
  if (!q.kinds.empty()) {
    where += fmt::format(" AND d.kind IN ({})", placeholders(q.kinds.size()));
    params.insert(params.end(), q.kinds.begin(), q.kinds.end());
  }
  if (q.language) {
    where += " AND d.language = ?";
    params.emplace_back(*q.language);
  }
  if (q.service_id) {
    where += " AND (' ' || d.services || ' ') LIKE ?";
    params.emplace_back("% " + *q.service_id + " %");
  }
  params.emplace_back(std::int64_t(q.candidates));
  std::string sql =
      sqlite ? fmt::format("SELECT d.doc, d.kind, d.target_id, d.language, d.services, tandem_rank(knowledge_search), d.helpful, d.unhelpful, "
                           "d.updated_at FROM knowledge_search CROSS JOIN knowledge_docs d ON d.doc = knowledge_search.rowid "
                           "WHERE knowledge_search MATCH ? AND {} ORDER BY knowledge_search.rowid DESC LIMIT ?",
                           where)
             : fmt::format("SELECT d.doc, d.kind, d.target_id, d.language, d.services, ts_rank(d.terms, q), d.helpful, d.unhelpful, "
                           "d.updated_at FROM knowledge_docs d, CAST(? AS tsquery) q WHERE d.terms @@ q AND {} ORDER BY d.doc DESC LIMIT ?",
                           where);
  ASSIGN_OR_RETURN(auto rows, c.query(sql, params));
  std::vector<KnowledgeCandidate> out;
  for (const auto& r : rows)
    out.push_back({r.integer(0), r.text(1), r.text(2), r.text(3), words(r.text(4)), std::strtod(r.text(5).c_str(), nullptr),
                   r.integer(6), r.integer(7), r.integer(8)});
  return out;
}

Result<std::vector<std::pair<std::int64_t, std::pair<std::string, std::string>>>> texts(Connection& c, const std::vector<std::int64_t>& docs) {
  std::vector<std::pair<std::int64_t, std::pair<std::string, std::string>>> out;
  if (docs.empty()) return out;
  std::vector<Value> params(docs.begin(), docs.end());
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT doc, title, content FROM knowledge_docs WHERE doc IN ({})", placeholders(docs.size())),
                                      params));
  for (const auto& r : rows) out.push_back({r.integer(0), {r.text(1), r.text(2)}});
  return out;
}

}  // namespace knowledge_index

namespace deflections {

Result<void> insert(Connection& c, const Deflection& d) {
  TRY(c.execute("INSERT INTO deflections (id, user_id, organization_id, service_id, kind, target_id, query, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {d.id, d.user_id, optional_text(d.organization_id), optional_text(d.service_id), d.kind, d.target_id, d.query, d.created_at}));
  return {};
}

Result<std::vector<DeflectionCount>> per_service(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to) {
  std::vector<Value> params{from, to};
  auto deflected_in = scope.organization_condition("organization_id", params);
  params.emplace_back(from);
  params.emplace_back(to);
  auto raised_in = scope.tickets_condition("t", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT service_id, CAST(SUM(d) AS BIGINT), CAST(SUM(t) AS BIGINT) FROM ("
                                                  "SELECT service_id, 1 AS d, 0 AS t FROM deflections WHERE created_at >= ? AND created_at < ? AND {} "
                                                  "UNION ALL SELECT t.service_id, 0, 1 FROM tickets t WHERE t.created_at >= ? AND t.created_at < ? AND {}"
                                                  ") x GROUP BY service_id ORDER BY service_id",
                                                  deflected_in, raised_in),
                                      params));
  std::vector<DeflectionCount> out;
  for (const auto& r : rows) out.push_back({r.maybe_text(0), r.integer(1), r.integer(2)});
  return out;
}

}  // namespace deflections

}  // namespace tandem::storage

namespace tandem::storage {
Result<std::vector<std::string>> missing_ids(Connection& c, std::string_view table, const std::vector<std::string>& ids) {
  if (table != "organizations" && table != "services" && table != "offerings") return fail(Code::internal, "Not a table of ids.");
  std::vector<std::string> out;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT 1 FROM {} WHERE id = ?", table), {id}));
    if (rows.empty()) out.push_back(id);
  }
  return out;
}
}  // namespace tandem::storage
