#include "storage/community.h"

#include <fmt/format.h>

#include <algorithm>

namespace tandem::storage {
namespace {

constexpr std::string_view kSpaceColumns = "s.id, s.name, s.service_id, s.language, s.version, s.created_at, s.updated_at";
constexpr std::string_view kTopicColumns =
    "t.id, t.space_id, t.kind, t.title, t.author_id, t.first_post_id, t.accepted_post_id, t.ticket_id, t.locked, t.hidden, t.deleted, "
    "t.merged_into, t.replies, t.last_activity_at, t.version, t.created_at";
constexpr std::string_view kPostColumns =
    "p.id, p.topic_id, p.author_id, p.body, p.by_staff, p.hidden, p.deleted, p.score, p.created_at, p.edited_at, p.version";
constexpr std::string_view kEventColumns = "id, user_id, space_id, points, earned, reason, source_id, actor_id, day, created_at";
constexpr std::string_view kLogColumns = "id, action, target_kind, target_id, space_id, actor_id, reason, before_state, after_state, created_at";

Space space_from(const Row& r) { return {r.text(0), r.text(1), r.maybe_text(2), r.text(3), {}, r.integer(4), r.integer(5), r.integer(6)}; }

Topic topic_from(const Row& r) {
  Topic t;
  t.id = r.text(0);
  t.space_id = r.text(1);
  t.kind = community::parse_topic_kind(r.text(2)).value_or(community::TopicKind::discussion);
  t.title = r.text(3);
  t.author_id = r.text(4);
  t.first_post_id = r.text(5);
  t.accepted_post_id = r.maybe_text(6);
  t.ticket_id = r.maybe_text(7);
  t.locked = r.integer(8) != 0;
  t.hidden = r.integer(9) != 0;
  t.deleted = r.integer(10) != 0;
  t.merged_into = r.maybe_text(11);
  t.replies = r.integer(12);
  t.last_activity_at = r.integer(13);
  t.version = r.integer(14);
  t.created_at = r.integer(15);
  return t;
}

Post post_from(const Row& r) {
  return {r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4) != 0, r.integer(5) != 0, r.integer(6) != 0,
          r.integer(7), r.integer(8), r.maybe_integer(9), r.integer(10)};
}

ReputationEvent event_from(const Row& r) {
  return {r.text(0), r.text(1), r.maybe_text(2), r.integer(3), r.integer(4), r.text(5), r.text(6), r.text(7), r.text(8), r.integer(9)};
}

std::int64_t flag(bool b) { return b ? 1 : 0; }

Result<void> load_audiences(Connection& c, std::vector<Space>& items) {
  for (auto& s : items) {
    ASSIGN_OR_RETURN(s.audience, audiences::get(c, s.id));
  }
  return {};
}

// An e-mail address as one person's: lower case, without the +tag of its local part.
std::string mailbox_of(std::string email) {
  std::ranges::transform(email, email.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
  auto at = email.find('@');
  if (at == std::string::npos) return email;
  auto plus = email.find('+');
  if (plus != std::string::npos && plus < at) email.erase(plus, at - plus);
  return email;
}

}  // namespace

namespace spaces {

Result<void> insert(Connection& c, const Space& s) {
  TRY(c.execute("INSERT INTO spaces (id, name, service_id, language, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {s.id, s.name, optional_text(s.service_id), s.language, s.version, s.created_at, s.updated_at}));
  return audiences::put(c, s.id, s.audience);
}

Result<void> update(Connection& c, const Space& s) {
  TRY(c.execute("UPDATE spaces SET name = ?, service_id = ?, language = ?, version = ?, updated_at = ? WHERE id = ?",
                {s.name, optional_text(s.service_id), s.language, s.version, s.updated_at, s.id}));
  return audiences::put(c, s.id, s.audience);
}

Result<std::optional<Space>> find(Connection& c, const KnowledgeReader& who, std::string_view id) {
  std::vector<Value> params{std::string(id)};
  auto where = audiences::condition("s.id", who, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM spaces s WHERE s.id = ? AND {}", kSpaceColumns, where), params));
  if (rows.empty()) return std::nullopt;
  std::vector<Space> one{space_from(rows[0])};
  TRY(load_audiences(c, one));
  return std::move(one[0]);
}

Result<Page<Space>> list(Connection& c, const KnowledgeReader& who, const PageRequest& page) {
  std::vector<Value> params;
  auto where = audiences::condition("s.id", who, params);
  if (!page.after.empty()) {
    where += " AND s.id > ?";
    params.emplace_back(page.after);
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM spaces s WHERE {} ORDER BY s.id LIMIT ?", kSpaceColumns, where), params));
  std::vector<Space> items;
  for (const auto& r : rows) items.push_back(space_from(r));
  TRY(load_audiences(c, items));
  return make_page(std::move(items), page.limit, [](const Space& s) { return s.id; });
}

}  // namespace spaces

namespace topics {

Result<void> insert(Connection& c, const Topic& t) {
  TRY(c.execute("INSERT INTO topics (id, space_id, kind, title, author_id, first_post_id, accepted_post_id, ticket_id, locked, hidden, "
                "deleted, merged_into, replies, last_activity_at, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {t.id, t.space_id, std::string(community::to_string(t.kind)), t.title, t.author_id, t.first_post_id,
                 optional_text(t.accepted_post_id), optional_text(t.ticket_id), flag(t.locked), flag(t.hidden), flag(t.deleted),
                 optional_text(t.merged_into), t.replies, t.last_activity_at, t.version, t.created_at}));
  return {};
}

Result<void> update(Connection& c, const Topic& t) {
  TRY(c.execute("UPDATE topics SET space_id = ?, kind = ?, title = ?, accepted_post_id = ?, ticket_id = ?, locked = ?, hidden = ?, "
                "deleted = ?, merged_into = ?, replies = ?, last_activity_at = ?, version = ? WHERE id = ?",
                {t.space_id, std::string(community::to_string(t.kind)), t.title, optional_text(t.accepted_post_id),
                 optional_text(t.ticket_id), flag(t.locked), flag(t.hidden), flag(t.deleted), optional_text(t.merged_into), t.replies,
                 t.last_activity_at, t.version, t.id}));
  return {};
}

Result<std::optional<Topic>> find(Connection& c, const KnowledgeReader& who, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = audiences::condition("t.space_id", who, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM topics t WHERE t.id = ? AND {}{}", kTopicColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  return topic_from(rows[0]);
}

Result<Page<Topic>> list(Connection& c, std::string_view space_id, bool with_hidden, const PageRequest& page) {
  std::vector<Value> params{std::string(space_id)};
  std::string where = "t.space_id = ? AND t.deleted = 0 AND t.merged_into IS NULL";
  if (!with_hidden) where += " AND t.hidden = 0";
  if (!page.after.empty()) {
    where += " AND t.id < ?";
    params.emplace_back(page.after);
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM topics t WHERE {} ORDER BY t.id DESC LIMIT ?", kTopicColumns, where), params));
  std::vector<Topic> items;
  for (const auto& r : rows) items.push_back(topic_from(r));
  return make_page(std::move(items), page.limit, [](const Topic& t) { return t.id; });
}

Result<std::optional<Topic>> of_ticket(Connection& c, std::string_view ticket_id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM topics t WHERE t.ticket_id = ?", kTopicColumns), {std::string(ticket_id)}));
  if (rows.empty()) return std::nullopt;
  return topic_from(rows[0]);
}

}  // namespace topics

namespace posts {

Result<void> insert(Connection& c, const Post& p) {
  TRY(c.execute("INSERT INTO posts (id, topic_id, author_id, body, by_staff, hidden, deleted, score, created_at, edited_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {p.id, p.topic_id, p.author_id, p.body, flag(p.by_staff), flag(p.hidden), flag(p.deleted), p.score, p.created_at,
                 optional_integer(p.edited_at)}));
  return {};
}

Result<void> update(Connection& c, const Post& p) {
  TRY(c.execute("UPDATE posts SET topic_id = ?, body = ?, hidden = ?, deleted = ?, score = ?, edited_at = ?, version = ? WHERE id = ?",
                {p.topic_id, p.body, flag(p.hidden), flag(p.deleted), p.score, optional_integer(p.edited_at), p.version, p.id}));
  return {};
}

Result<std::optional<Post>> find(Connection& c, std::string_view id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM posts p WHERE p.id = ?{}", kPostColumns,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return post_from(rows[0]);
}

Result<Page<Post>> replies(Connection& c, std::string_view topic_id, std::string_view first_post_id, bool with_hidden,
                           const PageRequest& page) {
  std::vector<Value> params{std::string(topic_id), std::string(first_post_id)};
  std::string where = "p.topic_id = ? AND p.id <> ? AND p.deleted = 0";
  if (!with_hidden) where += " AND p.hidden = 0";
  if (!page.after.empty()) {
    where += " AND p.id > ?";
    params.emplace_back(page.after);
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM posts p WHERE {} ORDER BY p.id LIMIT ?", kPostColumns, where), params));
  std::vector<Post> items;
  for (const auto& r : rows) items.push_back(post_from(r));
  return make_page(std::move(items), page.limit, [](const Post& p) { return p.id; });
}

Result<std::vector<Post>> of_topic(Connection& c, std::string_view topic_id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM posts p WHERE p.topic_id = ? ORDER BY p.id", kPostColumns), {std::string(topic_id)}));
  std::vector<Post> out;
  for (const auto& r : rows) out.push_back(post_from(r));
  return out;
}

Result<std::int64_t> written_since(Connection& c, std::string_view author_id, std::int64_t since) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COUNT(*) FROM posts WHERE author_id = ? AND created_at >= ?", {std::string(author_id), since}));
  return rows[0].integer(0);
}

Result<bool> author_seen_by(Connection& c, const KnowledgeReader& who, std::string_view author_id) {
  std::vector<Value> params{std::string(author_id)};
  auto where = audiences::condition("t.space_id", who, params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT 1 FROM posts p JOIN topics t ON t.id = p.topic_id WHERE p.author_id = ? "
                                                  "AND p.deleted = 0 AND p.hidden = 0 AND t.deleted = 0 AND t.hidden = 0 AND {} LIMIT 1",
                                                  where),
                                      params));
  return !rows.empty();
}

}  // namespace posts

namespace votes {

Result<std::optional<std::int64_t>> get(Connection& c, std::string_view post_id, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT value FROM votes WHERE post_id = ? AND user_id = ?", {std::string(post_id), std::string(user_id)}));
  if (rows.empty()) return std::nullopt;
  return rows[0].integer(0);
}

Result<void> put(Connection& c, std::string_view post_id, std::string_view user_id, std::int64_t value, std::int64_t at) {
  TRY(c.execute("DELETE FROM votes WHERE post_id = ? AND user_id = ?", {std::string(post_id), std::string(user_id)}));
  TRY(c.execute("INSERT INTO votes (post_id, user_id, value, created_at) VALUES (?, ?, ?, ?)",
                {std::string(post_id), std::string(user_id), value, at}));
  return {};
}

}  // namespace votes

namespace flags {

Result<bool> insert(Connection& c, std::string_view post_id, std::string_view user_id, const std::string& reason, bool trusted,
                    std::int64_t at) {
  ASSIGN_OR_RETURN(auto n, c.execute("INSERT INTO flags (post_id, user_id, reason, trusted, created_at) VALUES (?, ?, ?, ?, ?) "
                                     "ON CONFLICT DO NOTHING",
                                     {std::string(post_id), std::string(user_id), reason, flag(trusted), at}));
  return n > 0;
}

Result<std::int64_t> trusted_open(Connection& c, std::string_view post_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COUNT(*) FROM flags WHERE post_id = ? AND trusted = 1 AND reviewed_at IS NULL",
                                      {std::string(post_id)}));
  return rows[0].integer(0);
}

Result<void> reviewed(Connection& c, std::string_view post_id, std::int64_t at) {
  TRY(c.execute("UPDATE flags SET reviewed_at = ? WHERE post_id = ? AND reviewed_at IS NULL", {at, std::string(post_id)}));
  return {};
}

}  // namespace flags

namespace reputation {

Result<void> insert(Connection& c, const ReputationEvent& e) {
  TRY(c.execute(fmt::format("INSERT INTO reputation_events ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kEventColumns),
                {e.id, e.user_id, optional_text(e.space_id), e.points, e.earned, e.reason, e.source_id, e.actor_id, e.day, e.created_at}));
  return {};
}

Result<std::int64_t> total(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM reputation_events WHERE user_id = ?",
                                      {std::string(user_id)}));
  return rows[0].integer(0);
}

Result<std::int64_t> gained_on(Connection& c, std::string_view user_id, std::string_view day) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM reputation_events WHERE user_id = ? AND day = ? "
                                      "AND ((points > 0 AND reason NOT IN ('reversal', 'award')) OR (points < 0 AND reason = 'reversal'))",
                                      {std::string(user_id), std::string(day)}));
  return rows[0].integer(0);
}

Result<std::int64_t> standing(Connection& c, std::string_view user_id, std::string_view source_id, std::string_view actor_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM reputation_events WHERE user_id = ? AND "
                                      "source_id = ? AND actor_id = ?",
                                      {std::string(user_id), std::string(source_id), std::string(actor_id)}));
  return rows[0].integer(0);
}

Result<bool> any(Connection& c, std::string_view user_id, std::string_view source_id, std::string_view actor_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM reputation_events WHERE user_id = ? AND source_id = ? AND actor_id = ? LIMIT 1",
                                      {std::string(user_id), std::string(source_id), std::string(actor_id)}));
  return !rows.empty();
}

Result<std::vector<ReputationEvent>> history(Connection& c, std::string_view user_id, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM reputation_events WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                                                  kEventColumns),
                                      {std::string(user_id), std::int64_t(limit)}));
  std::vector<ReputationEvent> out;
  for (const auto& r : rows) out.push_back(event_from(r));
  return out;
}

Result<std::vector<LeaderboardRow>> leaderboard(Connection& c, const std::optional<std::string>& space_id,
                                                const std::optional<std::string>& organization_id, std::int64_t since, int limit) {
  std::vector<Value> params{since};
  std::string where = "created_at >= ?";
  if (space_id) {
    where += " AND space_id = ?";
    params.emplace_back(*space_id);
  }
  if (organization_id) {
    where += " AND user_id IN (SELECT id FROM users WHERE organization_id = ?)";
    params.emplace_back(*organization_id);
  }
  params.emplace_back(std::int64_t(limit));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT user_id, CAST(SUM(points) AS BIGINT) AS total FROM reputation_events WHERE {} "
                                                  "GROUP BY user_id HAVING SUM(points) > 0 ORDER BY total DESC, user_id LIMIT ?",
                                                  where),
                                      params));
  std::vector<LeaderboardRow> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.integer(1)});
  return out;
}

}  // namespace reputation

namespace super_users {

Result<void> put(Connection& c, const SuperUser& s) {
  TRY(c.execute("DELETE FROM super_users WHERE space_id = ? AND user_id = ?", {s.space_id, s.user_id}));
  TRY(c.execute("INSERT INTO super_users (space_id, user_id, backup_user_id, appointed_by, created_at) VALUES (?, ?, ?, ?, ?)",
                {s.space_id, s.user_id, s.backup_user_id, s.appointed_by, s.created_at}));
  return {};
}

Result<std::vector<SuperUser>> of_space(Connection& c, std::string_view space_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT space_id, user_id, backup_user_id, appointed_by, created_at FROM super_users WHERE space_id = ? "
                                      "ORDER BY created_at, user_id",
                                      {std::string(space_id)}));
  std::vector<SuperUser> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4)});
  return out;
}

Result<std::vector<std::string>> spaces_of(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT DISTINCT space_id FROM super_users WHERE user_id = ? OR backup_user_id = ?",
                                      {std::string(user_id), std::string(user_id)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

Result<bool> appointed(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM super_users WHERE user_id = ? LIMIT 1", {std::string(user_id)}));
  return !rows.empty();
}

}  // namespace super_users

namespace moderation_log {

Result<void> insert(Connection& c, const ModerationEntry& e) {
  TRY(c.execute(fmt::format("INSERT INTO moderation_log ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kLogColumns),
                {e.id, e.action, e.target_kind, e.target_id, e.space_id, e.actor_id, e.reason, e.before, e.after, e.created_at}));
  return {};
}

Result<Page<ModerationEntry>> list(Connection& c, const std::optional<std::vector<std::string>>& space_ids, const PageRequest& page) {
  std::vector<Value> params;
  std::string where = "1 = 1";
  if (space_ids) {
    if (space_ids->empty()) return Page<ModerationEntry>{};
    where = fmt::format("space_id IN ({})", placeholders(space_ids->size()));
    params.insert(params.end(), space_ids->begin(), space_ids->end());
  }
  if (!page.after.empty()) {
    where += " AND id < ?";
    params.emplace_back(page.after);
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM moderation_log WHERE {} ORDER BY id DESC LIMIT ?", kLogColumns, where), params));
  std::vector<ModerationEntry> items;
  for (const auto& r : rows)
    items.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7), r.text(8), r.integer(9)});
  return make_page(std::move(items), page.limit, [](const ModerationEntry& e) { return e.id; });
}

}  // namespace moderation_log

namespace community_subscriptions {

Result<void> put(Connection& c, std::string_view user_id, std::string_view target_id, std::int64_t at) {
  TRY(c.execute("INSERT INTO community_subscriptions (user_id, target_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                {std::string(user_id), std::string(target_id), at}));
  return {};
}

Result<bool> remove(Connection& c, std::string_view user_id, std::string_view target_id) {
  ASSIGN_OR_RETURN(auto n, c.execute("DELETE FROM community_subscriptions WHERE user_id = ? AND target_id = ?",
                                     {std::string(user_id), std::string(target_id)}));
  return n > 0;
}

Result<std::vector<std::string>> subscribers(Connection& c, std::string_view target_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT user_id FROM community_subscriptions WHERE target_id = ? ORDER BY user_id", {std::string(target_id)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

Result<bool> is_subscribed(Connection& c, std::string_view user_id, std::string_view target_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT 1 FROM community_subscriptions WHERE user_id = ? AND target_id = ?",
                                      {std::string(user_id), std::string(target_id)}));
  return !rows.empty();
}

}  // namespace community_subscriptions

Result<bool> same_person(Connection& c, std::string_view a, std::string_view b) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT user_id, kind, normalized FROM identities WHERE user_id IN (?, ?) AND kind IN ('email', 'phone')",
                                      {std::string(a), std::string(b)}));
  std::vector<std::string> of_a, of_b;
  for (const auto& r : rows) {
    auto key = r.text(1) + ":" + (r.text(1) == "email" ? mailbox_of(r.text(2)) : r.text(2));
    (r.text(0) == a ? of_a : of_b).push_back(std::move(key));
  }
  return std::ranges::any_of(of_a, [&](const std::string& k) { return std::ranges::find(of_b, k) != of_b.end(); });
}

}  // namespace tandem::storage
