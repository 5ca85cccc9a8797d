#include "storage/erasure.h"

#include "domain/markup/markdown.h"
#include "storage/knowledge.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fmt/ranges.h>

#include "domain/markup/markdown.h"
#include "domain/offboarding/offboarding.h"
#include "storage/knowledge.h"
#include "storage/tickets.h"

namespace tandem::storage {
namespace {

// Tables whose texts may quote a person: the rows of the person's organisation (`scope`, with
// one `?` for its id) that name them are found (LIKE narrows; the replacement is exact) and
// rewritten. In `json` columns only string values are rewritten, never keys or numbers.
struct QuotingTable {
  std::string_view table;
  std::vector<std::string_view> keys;
  std::vector<std::string_view> columns;
  std::string_view scope;
  bool json = false;
};

const std::vector<QuotingTable> kQuotingTables = {
    {"notifications", {"id"}, {"summary"}, "ticket_id IN (SELECT id FROM tickets WHERE organization_id = ?)"},
    {"access_review_grants", {"review_id", "id"}, {"subject"}, "review_id IN (SELECT id FROM access_reviews WHERE organization_id = ?)",
     true},
    {"onboarding_plans", {"id"}, {"actions", "review", "definition"}, "organization_id = ?", true},
    {"onboarding_plan_events", {"id"}, {"data"}, "plan_id IN (SELECT id FROM onboarding_plans WHERE organization_id = ?)", true},
    {"recovery_tasks", {"id"}, {"note"}, "organization_id = ?"},
    {"overrides", {"id"}, {"justification"}, "organization_id = ?"},
    {"overrides", {"id"}, {"details"}, "organization_id = ?", true},
    {"request_approvals", {"ticket_id", "step", "approver_id"}, {"comment"}, "ticket_id IN (SELECT id FROM tickets WHERE organization_id = ?)"},
    {"request_tasks", {"ticket_id", "task_key"}, {"note"}, "organization_id = ?"},
    {"attachments", {"id"}, {"name"}, "ticket_id IN (SELECT id FROM tickets WHERE organization_id = ?)"},
    {"assets", {"id"}, {"name", "note"}, "organization_id = ?"},
    {"offboardings", {"id"}, {"reason"}, "organization_id = ?"},
    {"offboardings", {"id"}, {"steps", "facts"}, "organization_id = ?", true},
    // FDB: what others wrote about the person — a rating, a survey's text, feedback, a car's state.
    {"ratings", {"id"}, {"comment"}, "organization_id = ?"},
    {"survey_responses", {"id"}, {"texts"}, "organization_id = ?", true},
    {"feedback_items", {"id"}, {"text", "public_note"}, "organization_id = ?"},
    {"condition_ratings", {"id"}, {"comment"}, "organization_id = ?"},
};

std::string lowered(std::string text) {
  for (auto& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

std::string like_pattern(std::string_view needle) {
  std::string out = "%";
  for (char ch : needle) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

std::vector<std::string> usable(const std::vector<std::string>& needles, bool json) {
  std::vector<std::string> out;
  for (const auto& n : needles)
    if (n.size() >= 3 && !(json && n.find_first_of("\"\\") != std::string::npos)) out.push_back(n);
  return out;
}

bool redact_strings(nlohmann::json& j, const std::vector<std::string>& needles, std::string_view replacement) {
  bool changed = false;
  if (j.is_string()) {
    auto after = offboarding::redacted(j.get<std::string>(), needles, replacement);
    changed = after != j.get<std::string>();
    if (changed) j = std::move(after);
  } else if (j.is_structured()) {
    for (auto& v : j) changed = redact_strings(v, needles, replacement) || changed;
  }
  return changed;
}

// `text` redacted as plain text, or as JSON (string values only) when `json`; text that is not
// JSON is left as it is rather than half rewritten, and unchanged JSON keeps its spelling.
std::string redact(const std::string& text, const std::vector<std::string>& needles, std::string_view replacement, bool json) {
  if (!json) return offboarding::redacted(text, needles, replacement);
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !redact_strings(parsed, needles, replacement)) return text;
  return parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::int64_t> redact_table(Connection& c, const QuotingTable& t, const PersonErasure& what) {
  auto needles = usable(what.needles, t.json);
  if (needles.empty()) return 0;
  std::string where;
  std::vector<Value> params{what.organization_id};
  std::vector<std::string> fields;
  for (auto k : t.keys) fields.emplace_back(k);
  for (auto col : t.columns) fields.push_back(fmt::format("COALESCE({}, '')", col));
  for (auto col : t.columns)
    for (const auto& n : needles) {
      where += (where.empty() ? "" : " OR ") + fmt::format("LOWER({}) LIKE ? ESCAPE '\\'", col);
      params.emplace_back(like_pattern(lowered(n)));
    }
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM {} WHERE {} AND ({})", fmt::join(fields, ", "), t.table, t.scope, where),
                                      params));
  std::int64_t changed = 0;
  for (const auto& r : rows) {
    std::string set;
    std::vector<Value> values;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      auto before = r.text(t.keys.size() + i);
      auto after = redact(before, needles, what.former_name, t.json);
      if (after == before) continue;
      set += (set.empty() ? "" : ", ") + fmt::format("{} = ?", t.columns[i]);
      values.emplace_back(std::move(after));
    }
    if (set.empty()) continue;
    std::string key;
    for (std::size_t i = 0; i < t.keys.size(); ++i) {
      key += (i ? " AND " : "") + fmt::format("{} = ?", t.keys[i]);
      values.push_back(r.cells[i]);  // as stored: a key may be a number
    }
    TRY(c.execute(fmt::format("UPDATE {} SET {} WHERE {}", t.table, set, key), values));
    ++changed;
  }
  return changed;
}

// The person's tickets: their texts, their timelines, their request answers and the webhook
// payloads sent about them.
Result<std::int64_t> redact_tickets(Connection& c, const PersonErasure& what) {
  auto plain = usable(what.needles, false);
  auto json = usable(what.needles, true);
  ASSIGN_OR_RETURN(auto ids, ticket_store::of_person(c, what.user_id));
  ids.insert(ids.end(), what.ticket_ids.begin(), what.ticket_ids.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::int64_t touched = 0;
  for (const auto& id : ids) {
    bool changed = false;
    ASSIGN_OR_RETURN(auto rows, c.query("SELECT subject, description FROM tickets WHERE id = ?", {id}));
    if (rows.empty()) continue;
    auto subject = offboarding::redacted(rows[0].text(0), plain, what.former_name);
    auto description = offboarding::redacted(rows[0].text(1), plain, what.former_name);
    if (subject != rows[0].text(0) || description != rows[0].text(1)) {
      TRY(ticket_store::rewrite_text(c, id, subject, description));
      changed = true;
    }
    ASSIGN_OR_RETURN(auto events, timeline::all_of(c, id));
    for (auto& e : events) {
      auto body = offboarding::redacted(e.body, plain, what.former_name);
      auto data = redact(e.data, json, what.former_name, true);
      if (body == e.body && data == e.data) continue;
      e.body = std::move(body);
      e.data = std::move(data);
      TRY(timeline::rewrite(c, e));
      changed = true;
    }
    for (auto [table, column] : {std::pair{"ticket_requests", "answers"}, std::pair{"webhook_deliveries", "payload"}}) {
      ASSIGN_OR_RETURN(auto texts, c.query(fmt::format("SELECT {} FROM {} WHERE ticket_id = ?", column, table), {id}));
      for (const auto& t : texts) {
        auto after = redact(t.text(0), json, what.former_name, true);
        if (after == t.text(0)) continue;
        TRY(c.execute(fmt::format("UPDATE {} SET {} = ? WHERE ticket_id = ? AND {} = ?", table, column, column), {after, id, t.text(0)}));
        changed = true;
      }
    }
    touched += changed ? 1 : 0;
  }
  return touched;
}

}  // namespace

namespace erasure {

Result<std::int64_t> next_former_number(Connection& c) {
  Rows rows;
  if (c.dialect() == Dialect::sqlite) {
    TRY(c.execute("UPDATE former_user_numbers SET last = last + 1 WHERE singleton = 1"));
    ASSIGN_OR_RETURN(rows, c.query("SELECT last FROM former_user_numbers WHERE singleton = 1"));
  } else {
    ASSIGN_OR_RETURN(rows, c.query("UPDATE former_user_numbers SET last = last + 1 WHERE singleton = 1 RETURNING last"));
  }
  if (rows.empty()) return fail(Code::internal, "The counter of former users is missing.");
  return rows[0].integer(0);
}

// COM-1: what the organisation's members wrote in the community — topic titles and posts — and
// the knowledge index's copies of it, which search and suggestions show.
Result<std::int64_t> redact_community(Connection& c, const PersonErasure& what) {
  auto needles = usable(what.needles, false);
  if (needles.empty()) return 0;
  auto matching = [&](std::string_view column, std::vector<Value>& params) {
    std::string where;
    for (const auto& n : needles) {
      where += (where.empty() ? "" : " OR ") + fmt::format("LOWER({}) LIKE ? ESCAPE '\\'", column);
      params.emplace_back(like_pattern(lowered(n)));
    }
    return where;
  };
  std::vector<std::string> topics, posts;
  std::vector<Value> params{what.organization_id};
  auto where = matching("title", params);
  ASSIGN_OR_RETURN(auto titled, c.query(fmt::format("SELECT id, title FROM topics WHERE author_id IN (SELECT id FROM users WHERE organization_id = ?) "
                                                    "AND ({})",
                                                    where),
                                        params));
  for (const auto& r : titled) {
    TRY(c.execute("UPDATE topics SET title = ? WHERE id = ?", {offboarding::redacted(r.text(1), needles, what.former_name), r.text(0)}));
    topics.push_back(r.text(0));
  }
  params = {what.organization_id};
  where = matching("body", params);
  ASSIGN_OR_RETURN(auto bodies, c.query(fmt::format("SELECT id, topic_id, body FROM posts WHERE author_id IN (SELECT id FROM users WHERE "
                                                    "organization_id = ?) AND ({})",
                                                    where),
                                        params));
  for (const auto& r : bodies) {
    TRY(c.execute("UPDATE posts SET body = ? WHERE id = ?", {offboarding::redacted(r.text(2), needles, what.former_name), r.text(0)}));
    posts.push_back(r.text(0));
    topics.push_back(r.text(1));
  }
  // Every document of a changed topic is written again from what the community now holds.
  std::ranges::sort(topics);
  topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
  for (const auto& topic : topics) {
    ASSIGN_OR_RETURN(auto t, c.query("SELECT title, first_post_id FROM topics WHERE id = ?", {topic}));
    if (t.empty()) continue;
    ASSIGN_OR_RETURN(auto docs, c.query("SELECT d.doc, d.kind, d.target_id, p.body FROM knowledge_docs d JOIN posts p ON "
                                        "p.id = CASE WHEN d.kind = 'topic' THEN ? ELSE d.target_id END "
                                        "WHERE (d.kind = 'topic' AND d.target_id = ?) OR (d.kind IN ('post', 'answer') AND p.topic_id = ?)",
                                        {t[0].text(1), topic, topic}));
    for (const auto& d : docs) TRY(knowledge_index::retext(c, d.integer(0), t[0].text(0), markup::markdown_to_text(d.text(3))));
  }
  return std::int64_t(titled.size() + bodies.size());
}

Result<ErasureCount> erase_person(Connection& c, const PersonErasure& what) {
  ErasureCount count;
  const std::string& id = what.user_id;
  // Texts first, while the person's tickets can still be found through them.
  ASSIGN_OR_RETURN(count.tickets, redact_tickets(c, what));
  for (const auto& t : kQuotingTables) {
    ASSIGN_OR_RETURN(auto n, redact_table(c, t, what));
    count.texts += n;
  }
  ASSIGN_OR_RETURN(auto community_texts, redact_community(c, what));
  count.texts += community_texts;
  TRY(c.execute("DELETE FROM community_subscriptions WHERE user_id = ?", {id}));
  TRY(c.execute("DELETE FROM service_subscriptions WHERE user_id = ?", {id}));
  // Stored answers replayed for an Idempotency-Key may quote anyone: those naming the person go
  // (a replay then runs the request again, which a retry within the key's day tolerates).
  for (const auto& n : usable(what.needles, true))
    TRY(c.execute("DELETE FROM idempotency_keys WHERE body LIKE ? ESCAPE '\\'", {like_pattern(n)}));
  TRY(c.execute("DELETE FROM idempotency_keys WHERE actor_id = ?", {id}));
  // OPS-3: what was posted to webhooks about the person (their name, addresses, words), sent or
  // not, goes from the log.
  for (const auto& n : usable(what.needles, true))
    TRY(c.execute("DELETE FROM event_deliveries WHERE LOWER(payload) LIKE ? ESCAPE '\\'", {like_pattern(lowered(n))}));
  TRY(c.execute("DELETE FROM event_deliveries WHERE payload LIKE ? ESCAPE '\\'", {like_pattern(id)}));

  TRY(c.execute("DELETE FROM identities WHERE user_id = ?", {id}));
  TRY(c.execute("DELETE FROM representations WHERE representative_id = ? OR user_id = ?", {id, id}));
  TRY(c.execute("DELETE FROM sessions WHERE user_id = ?", {id}));
  TRY(c.execute("DELETE FROM access_tokens WHERE user_id = ?", {id}));
  TRY(c.execute("DELETE FROM user_group_members WHERE user_id = ?", {id}));
  TRY(c.execute("DELETE FROM notifications WHERE user_id = ?", {id}));
  // REL-3: their chats with the bot and the agents, and what they wrote in anyone's.
  TRY(c.execute("DELETE FROM chat_messages WHERE author_id = ? OR chat_id IN (SELECT id FROM chats WHERE user_id = ?)", {id, id}));
  TRY(c.execute("DELETE FROM chats WHERE user_id = ?", {id}));
  // FDB-1: their scores stay in the figures, under the pseudonym; what they wrote goes.
  TRY(c.execute("UPDATE ratings SET comment = '' WHERE user_id = ?", {id}));
  TRY(c.execute("UPDATE ticket_events SET body = '' WHERE kind = 'rated' AND actor_id = ?", {id}));
  // FDB-1: what they wrote in surveys goes; their scores stay (an anonymous survey's name no one).
  TRY(c.execute("UPDATE survey_responses SET texts = '{}' WHERE user_id = ?", {id}));
  // FDB-2: what they said goes; what was done about it stays on the register.
  TRY(c.execute("UPDATE feedback_items SET text = '' WHERE submitter_id = ?", {id}));
  TRY(c.execute("DELETE FROM outgoing_mail WHERE user_id = ?", {id}));  // its addresses, and mail not yet sent
  TRY(c.execute("DELETE FROM staged_uploads WHERE uploaded_by = ?", {id}));
  // OFF-4: what they passed lives on only under the pseudonym (usecase/offboarding.h).
  TRY(c.execute("DELETE FROM training_attempts WHERE user_id = ?", {id}));
  // Evidence keeps what was decided and when; its note, reason and file (a licence, a
  // certificate) go, and the file's content with the next sweep of unreferenced files.
  TRY(c.execute("UPDATE requirement_evidence SET note = '', reason = '', file_sha256 = NULL, file_name = NULL, file_size = NULL, "
                "file_content_type = NULL WHERE user_id = ?",
                {id}));
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE users SET name = ?, email = ?, password_hash = NULL, external_id = NULL, flags = '', "
                                     "active = 0, failed_logins = 0, locked_until = 0, erased_at = ?, left_at = COALESCE(left_at, ?), "
                                     "version = version + 1, updated_at = ? WHERE id = ?",
                                     {what.former_name, std::string(), what.at, what.at, what.at, id}));
  if (n == 0) return fail(Code::not_found, "No such user.");
  return count;
}

}  // namespace erasure
}  // namespace tandem::storage
