#include "storage/queues.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns = "id, name, owner_id, filter, created_by, version, created_at, updated_at";

Queue from_row(const Row& r) {
  return Queue{r.text(0), r.text(1), r.maybe_text(2), r.text(3), r.text(4), r.integer(5), r.integer(6), r.integer(7)};
}

}  // namespace

std::string canonical(const Queue& q) {
  return fmt::format("queue\nid={}\nname={}\nowner={}\nfilter={}\nversion={}\n", q.id, q.name, q.owner_id.value_or(""),
                     q.filter, q.version);
}

namespace queues {

Result<void> insert(Connection& c, const Queue& q) {
  TRY(c.execute("INSERT INTO queues (id, name, owner_id, filter, created_by, version, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {q.id, q.name, optional_text(q.owner_id), q.filter, q.created_by, q.version, q.created_at, q.updated_at}));
  return {};
}

Result<std::optional<Queue>> find(Connection& c, std::string_view user_id, std::string_view id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM queues WHERE id = ? AND (owner_id IS NULL OR owner_id = ?)", kColumns),
                                      {std::string(id), std::string(user_id)}));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<Page<Queue>> list(Connection& c, std::string_view user_id, const PageRequest& page) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM queues WHERE (owner_id IS NULL OR owner_id = ?) AND id > ? "
                                                  "ORDER BY id LIMIT ?",
                                                  kColumns),
                                      {std::string(user_id), page.after, std::int64_t(page.limit + 1)}));
  std::vector<Queue> items;
  for (const auto& r : rows) items.push_back(from_row(r));
  return make_page(std::move(items), page.limit, [](const Queue& q) { return q.id; });
}

Result<void> remove(Connection& c, std::string_view id) {
  TRY(c.execute("DELETE FROM queues WHERE id = ?", {std::string(id)}));
  return {};
}

}  // namespace queues
}  // namespace tandem::storage
