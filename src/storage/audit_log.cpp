#include "storage/audit_log.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "seq, id, at, actor_id, organization_id, action, target_type, target_id, before_digest, after_digest, prev_hash, hash";

audit::Entry from_row(const Row& r) {
  return audit::Entry{r.integer(0), r.text(1), r.integer(2), r.text(3), r.text(4),  r.text(5),
                      r.text(6),    r.text(7), r.text(8),    r.text(9), r.text(10), r.text(11)};
}

Result<audit::Head> read_head(Connection& c) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT seq, hash FROM audit_head WHERE singleton = 1"));
  if (rows.empty()) return fail(Code::internal, "The audit head is missing.");
  return audit::Head{rows[0].integer(0), rows[0].text(1)};
}

}  // namespace

namespace audit_log {

Result<void> append(Connection& c, audit::Entry e) {
  if (c.dialect() == Dialect::sqlite) {  // one writer: nothing to order
    ASSIGN_OR_RETURN(auto head, read_head(c));
    auto next = audit::link(e, head);
    TRY(c.execute(fmt::format("INSERT INTO audit_log ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                  {e.seq, e.id, e.at_ms, e.actor_id, e.organization_id, e.action, e.target_type, e.target_id,
                   e.before_digest, e.after_digest, e.prev_hash, e.hash}));
    TRY(c.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE singleton = 1", {next.seq, next.hash}));
    return {};
  }
  // PostgreSQL: the row lock on the head orders concurrent writers and is held to the commit,
  // so the head is taken in two round trips instead of three: the first locks it and moves the
  // sequence number on, the second stores the entry and the new hash together, unawaited: it
// travels with the commit.
  ASSIGN_OR_RETURN(auto rows, c.query("UPDATE audit_head SET seq = seq + 1 WHERE singleton = 1 RETURNING seq - 1, hash"));
  if (rows.empty()) return fail(Code::internal, "The audit head is missing.");
  auto next = audit::link(e, audit::Head{rows[0].integer(0), rows[0].text(1)});
  TRY(c.execute_unawaited(fmt::format("WITH entry AS (INSERT INTO audit_log ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)) "
                            "UPDATE audit_head SET hash = ? WHERE singleton = 1",
                            kColumns),
                {e.seq, e.id, e.at_ms, e.actor_id, e.organization_id, e.action, e.target_type, e.target_id, e.before_digest,
                 e.after_digest, e.prev_hash, e.hash, next.hash}));
  return {};
}

Result<Page<audit::Entry>> list(Connection& c, const AuditFilter& f, const PageRequest& page) {
  std::string where = "1 = 1";
  std::vector<Value> params;
  auto eq = [&](std::string_view column, const std::string& value) {
    if (value.empty()) return;
    where += fmt::format(" AND {} = ?", column);
    params.emplace_back(value);
  };
  eq("actor_id", f.actor_id);
  eq("action", f.action);
  eq("target_type", f.target_type);
  eq("target_id", f.target_id);
  eq("organization_id", f.organization_id);
  if (f.since) {
    where += " AND at >= ?";
    params.emplace_back(*f.since);
  }
  if (f.until) {
    where += " AND at < ?";
    params.emplace_back(*f.until);
  }
  if (!page.after.empty()) {
    where += " AND seq < ?";
    params.emplace_back(std::int64_t(std::stoll(page.after)));
  }
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM audit_log WHERE {} ORDER BY seq DESC LIMIT ?", kColumns, where),
                                      params));
  std::vector<audit::Entry> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  return make_page(std::move(items), page.limit, [](const audit::Entry& e) { return std::to_string(e.seq); });
}

Result<audit::Verdict> verify(Connection& c) {
  ASSIGN_OR_RETURN(auto stored_head, read_head(c));
  audit::Verifier verifier;
  constexpr std::int64_t kChunk = 5000;
  std::int64_t after = 0;
  for (;;) {
    ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", kColumns),
                                        {after, kChunk}));
    for (const auto& r : rows) {
      auto e = from_row(r);
      after = e.seq;
      if (!verifier.add(e)) return verifier.finish(stored_head);
    }
    if (std::int64_t(rows.size()) < kChunk) return verifier.finish(stored_head);
  }
}

}  // namespace audit_log
}  // namespace tandem::storage
