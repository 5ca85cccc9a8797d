// REL-4: the router's models and labels, and the examples it learns from. Provider data: no
// scope, as only staff reach the use cases that call these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace tandem::storage {

struct RouterModel {
  std::string id;
  std::string kind;   // team, category
  std::string model;  // fastText's bytes (empty when only the figures were read)
  std::int64_t examples = 0, held_out = 0, held_out_right = 0;
  std::string trained_by;
  std::int64_t trained_at = 0;
};

struct RoutingLabel {
  std::string ticket_id;
  std::optional<std::string> team_id, category;
  std::optional<std::string> suggested_team_id, suggested_category;
  bool corrected = false;
  std::string labelled_by;
  std::int64_t labelled_at = 0;
};

struct RoutingExample {
  std::string ticket_id, subject, description;
  std::optional<std::string> team_id;
  std::string category;
};

namespace router_models {
Result<void> insert(Connection& c, const RouterModel& m);
// The newest model of the kind, figures only (no bytes); nullopt before the first training.
Result<std::optional<RouterModel>> newest(Connection& c, std::string_view kind);
// With its bytes.
Result<std::optional<RouterModel>> find(Connection& c, std::string_view id);
}  // namespace router_models

namespace routing_labels {
// One label per ticket: a later one replaces it.
Result<void> put(Connection& c, const RoutingLabel& l);
Result<std::optional<RoutingLabel>> find(Connection& c, std::string_view ticket_id);
}  // namespace routing_labels

// What the router learns from, newest first, at most `limit`: resolved or closed tickets, and
// any ticket an agent labelled — the label's team and category before the ticket's own.
Result<std::vector<RoutingExample>> routing_examples(Connection& c, int limit);

}  // namespace tandem::storage
