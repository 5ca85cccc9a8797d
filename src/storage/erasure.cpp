#include "storage/erasure.h"

#include <fmt/format.h>

#include <algorithm>
#include <fmt/ranges.h>

#include "domain/offboarding/offboarding.h"
#include "storage/tickets.h"

namespace tandem::storage {
namespace {

// Tables whose texts may quote a person, whoever's record they are: every row naming them is
// found (LIKE narrows; the replacement is exact) and rewritten. `json` columns hold JSON, where
// a needle with a quote or a backslash would be written escaped and is not looked for.
struct QuotingTable {
  std::string_view table;
  std::vector<std::string_view> keys;
  std::vector<std::string_view> columns;
  bool json = false;
};

const std::vector<QuotingTable> kQuotingTables = {
    {"notifications", {"id"}, {"summary"}},
    {"access_review_grants", {"review_id", "id"}, {"subject"}, true},
    {"onboarding_plans", {"id"}, {"actions", "review", "definition"}, true},
    {"onboarding_plan_events", {"id"}, {"data"}, true},
    {"recovery_tasks", {"id"}, {"note"}},
    {"overrides", {"id"}, {"justification", "details"}},
    {"improvements", {"id"}, {"title", "description"}},
    {"request_approvals", {"ticket_id", "approver_id"}, {"comment"}},
    {"request_tasks", {"ticket_id", "task_key"}, {"note"}},
    {"offboardings", {"id"}, {"reason"}},
};

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

Result<std::int64_t> redact_table(Connection& c, const QuotingTable& t, const PersonErasure& what) {
  auto needles = usable(what.needles, t.json);
  if (needles.empty()) return 0;
  std::string where;
  std::vector<Value> params;
  std::vector<std::string> fields;
  for (auto k : t.keys) fields.emplace_back(k);
  for (auto col : t.columns) fields.push_back(fmt::format("COALESCE({}, '')", col));
  for (auto col : t.columns)
    for (const auto& n : needles) {
      where += (where.empty() ? "" : " OR ") + fmt::format("{} LIKE ? ESCAPE '\\'", col);
      params.emplace_back(like_pattern(n));
    }
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM {} WHERE {}", fmt::join(fields, ", "), t.table, where), params));
  std::int64_t changed = 0;
  for (const auto& r : rows) {
    std::string set;
    std::vector<Value> values;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      auto before = r.text(t.keys.size() + i);
      auto after = offboarding::redacted(before, needles, what.former_name);
      if (after == before) continue;
      set += (set.empty() ? "" : ", ") + fmt::format("{} = ?", t.columns[i]);
      values.emplace_back(std::move(after));
    }
    if (set.empty()) continue;
    std::string key;
    for (std::size_t i = 0; i < t.keys.size(); ++i) {
      key += (i ? " AND " : "") + fmt::format("{} = ?", t.keys[i]);
      values.emplace_back(r.text(i));
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
      auto data = offboarding::redacted(e.data, json, what.former_name);
      if (body == e.body && data == e.data) continue;
      e.body = std::move(body);
      e.data = std::move(data);
      TRY(timeline::rewrite(c, e));
      changed = true;
    }
    for (auto [table, column] : {std::pair{"ticket_requests", "answers"}, std::pair{"webhook_deliveries", "payload"}}) {
      ASSIGN_OR_RETURN(auto texts, c.query(fmt::format("SELECT {} FROM {} WHERE ticket_id = ?", column, table), {id}));
      for (const auto& t : texts) {
        auto after = offboarding::redacted(t.text(0), json, what.former_name);
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
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COUNT(*) FROM users WHERE erased_at IS NOT NULL"));
  return (rows.empty() ? 0 : rows[0].integer(0)) + 1;
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
  // Stored answers replayed for an Idempotency-Key may quote anyone: those naming the person go
  // (a replay then runs the request again, which a retry within the key's day tolerates).
  for (const auto& n : usable(what.needles, true))
    TRY(c.execute("DELETE FROM idempotency_keys WHERE body LIKE ? ESCAPE '\\'", {like_pattern(n)}));
  TRY(c.execute("DELETE FROM idempotency_keys WHERE actor_id = ?", {id}));

  TRY(c.execute("DELETE FROM identities WHERE user_id = ?", {id}));
  TRY(c.execute("DELETE FROM representations WHERE representative_id = ? OR user_id = ?", {id, id}));
  TRY(c.execute("DELETE FROM sessions WHERE user_id = ?", {id}));
  TRY(c.execute("DELETE FROM access_tokens WHERE user_id = ?", {id}));
  TRY(c.execute("DELETE FROM user_group_members WHERE user_id = ?", {id}));
  TRY(c.execute("DELETE FROM notifications WHERE user_id = ?", {id}));
  TRY(c.execute("DELETE FROM staged_uploads WHERE uploaded_by = ?", {id}));
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
