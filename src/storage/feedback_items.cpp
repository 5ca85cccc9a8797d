#include "storage/feedback_items.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "f.id, f.organization_id, f.submitter_id, f.source, f.source_id, f.text, f.status, f.improvement_id, f.public_note, f.created_by, "
    "f.version, f.created_at, f.updated_at";

FeedbackItem item_from(const Row& r) {
  return {r.text(0), r.text(1), r.maybe_text(2), r.text(3), r.maybe_text(4), r.text(5), r.text(6),
          r.maybe_text(7), r.text(8), r.text(9), r.integer(10), r.integer(11), r.integer(12)};
}

}  // namespace

std::string canonical(const FeedbackItem& f) {
  return fmt::format("feedback\nid={}\norganization={}\nsubmitter={}\nsource={}\nsource_id={}\ntext={}\nstatus={}\nimprovement={}\n"
                     "public_note={}\nversion={}\n",
                     f.id, f.organization_id, f.submitter_id.value_or(""), f.source, f.source_id.value_or(""), f.text, f.status,
                     f.improvement_id.value_or(""), f.public_note, f.version);
}

namespace feedback_items {

Result<void> insert(Connection& c, const FeedbackItem& f) {
  TRY(c.execute("INSERT INTO feedback_items (id, organization_id, submitter_id, source, source_id, text, status, improvement_id, "
                "public_note, created_by, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {f.id, f.organization_id, optional_text(f.submitter_id), f.source, optional_text(f.source_id), f.text, f.status,
                 optional_text(f.improvement_id), f.public_note, f.created_by, f.version, f.created_at, f.updated_at}));
  return {};
}

Result<void> update(Connection& c, const FeedbackItem& f) {
  TRY(c.execute("UPDATE feedback_items SET text = ?, status = ?, improvement_id = ?, public_note = ?, version = ?, updated_at = ? "
                "WHERE id = ?",
                {f.text, f.status, optional_text(f.improvement_id), f.public_note, f.version, f.updated_at, f.id}));
  return {};
}

Result<std::optional<FeedbackItem>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock) {
  std::vector<Value> params{std::string(id)};
  auto where = scope.organization_condition("f.organization_id", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM feedback_items f WHERE f.id = ? AND {}{}", kColumns, where,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      params));
  if (rows.empty()) return std::nullopt;
  return item_from(rows[0]);
}

Result<Page<FeedbackWithImprovement>> list(Connection& c, const Scope& scope, const FeedbackFilter& filter, const PageRequest& page) {
  std::vector<Value> params;
  auto where = scope.organization_condition("f.organization_id", params);
  if (filter.status) where += " AND f.status = ?", params.emplace_back(*filter.status);
  if (filter.improvement_id) where += " AND f.improvement_id = ?", params.emplace_back(*filter.improvement_id);
  if (filter.own_or_linked_for) where += " AND (f.status = 'linked' OR f.submitter_id = ?)", params.emplace_back(*filter.own_or_linked_for);
  if (!page.after.empty()) where += " AND f.id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {}, i.title, i.status FROM feedback_items f LEFT JOIN improvements i ON "
                                                  "i.id = f.improvement_id WHERE {} ORDER BY f.id DESC LIMIT ?",
                                                  kColumns, where),
                                      params));
  std::vector<FeedbackWithImprovement> out;
  for (const auto& r : rows) out.push_back({item_from(r), r.maybe_text(13), r.maybe_text(14)});
  return make_page(std::move(out), page.limit, [](const FeedbackWithImprovement& f) { return f.item.id; });
}

Result<std::vector<FeedbackItem>> of_improvement(Connection& c, std::string_view improvement_id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM feedback_items f WHERE f.improvement_id = ? ORDER BY f.id", kColumns),
                                      {std::string(improvement_id)}));
  std::vector<FeedbackItem> out;
  for (const auto& r : rows) out.push_back(item_from(r));
  return out;
}

Result<void> move_submitter(Connection& c, std::string_view from, std::string_view to) {
  TRY(c.execute("UPDATE feedback_items SET submitter_id = ? WHERE submitter_id = ?", {std::string(to), std::string(from)}));
  return {};
}

}  // namespace feedback_items
}  // namespace tandem::storage
