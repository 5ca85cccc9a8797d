#include "storage/routing.h"

#include <sodium.h>

namespace tandem::storage {
namespace {

std::string to_base64(std::string_view raw) {
  std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(length);
  return out;
}

constexpr std::string_view kFigures = "id, kind, examples, held_out, held_out_right, trained_by, trained_at";

RouterModel figures_from(const Row& r) {
  RouterModel m;
  m.id = r.text(0);
  m.kind = r.text(1);
  m.examples = r.integer(2);
  m.held_out = r.integer(3);
  m.held_out_right = r.integer(4);
  m.trained_by = r.text(5);
  m.trained_at = r.integer(6);
  return m;
}

}  // namespace

namespace router_models {

Result<void> insert(Connection& c, const RouterModel& m) {
  TRY(c.execute("INSERT INTO router_models (id, kind, model, examples, held_out, held_out_right, trained_by, trained_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {m.id, m.kind, to_base64(m.model), m.examples, m.held_out, m.held_out_right, m.trained_by, m.trained_at}));
  return {};
}

Result<std::optional<RouterModel>> newest(Connection& c, std::string_view kind) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT " + std::string(kFigures) + " FROM router_models WHERE kind = ? ORDER BY trained_at DESC, id DESC LIMIT 1",
                                      {std::string(kind)}));
  if (rows.empty()) return std::optional<RouterModel>();
  return std::optional<RouterModel>(figures_from(rows[0]));
}

Result<std::optional<RouterModel>> find(Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT " + std::string(kFigures) + ", model FROM router_models WHERE id = ?", {std::string(id)}));
  if (rows.empty()) return std::optional<RouterModel>();
  auto m = figures_from(rows[0]);
  auto bytes = from_base64(rows[0].text(7));
  if (!bytes) return fail(Code::internal, "The router model " + m.id + " is damaged.");
  m.model = std::move(*bytes);
  return std::optional<RouterModel>(std::move(m));
}

}  // namespace router_models

namespace routing_labels {

Result<void> put(Connection& c, const RoutingLabel& l) {
  TRY(c.execute("DELETE FROM routing_labels WHERE ticket_id = ?", {l.ticket_id}));
  TRY(c.execute("INSERT INTO routing_labels (ticket_id, team_id, category, suggested_team_id, suggested_category, corrected, "
                "labelled_by, labelled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {l.ticket_id, optional_text(l.team_id), optional_text(l.category), optional_text(l.suggested_team_id),
                 optional_text(l.suggested_category), std::int64_t(l.corrected), l.labelled_by, l.labelled_at}));
  return {};
}

Result<std::optional<RoutingLabel>> find(Connection& c, std::string_view ticket_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT ticket_id, team_id, category, suggested_team_id, suggested_category, corrected, labelled_by, "
                                      "labelled_at FROM routing_labels WHERE ticket_id = ?",
                                      {std::string(ticket_id)}));
  if (rows.empty()) return std::optional<RoutingLabel>();
  const auto& r = rows[0];
  return std::optional<RoutingLabel>(RoutingLabel{r.text(0), r.maybe_text(1), r.maybe_text(2), r.maybe_text(3), r.maybe_text(4),
                                                  r.integer(5) != 0, r.text(6), r.integer(7)});
}

}  // namespace routing_labels

Result<std::vector<RoutingExample>> routing_examples(Connection& c, int limit) {
  ASSIGN_OR_RETURN(auto rows,
                   c.query("SELECT t.id, t.subject, t.description, CASE WHEN l.ticket_id IS NULL THEN t.team_id ELSE l.team_id END, "
                           "CASE WHEN l.ticket_id IS NULL THEN t.category ELSE COALESCE(l.category, '') END "
                           "FROM tickets t LEFT JOIN routing_labels l ON l.ticket_id = t.id "
                           "WHERE t.resolved_at IS NOT NULL OR t.closed_at IS NOT NULL OR l.ticket_id IS NOT NULL "
                           "ORDER BY t.created_at DESC, t.id DESC LIMIT ?",
                           {std::int64_t(limit)}));
  std::vector<RoutingExample> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.text(2), r.maybe_text(3), r.text(4)});
  return out;
}

}  // namespace tandem::storage
