// OPS-1: ticket counts for the dashboard, counted by the database (GROUP BY): a report never
// loads the tickets it counts. Every read takes a Scope, as ticket_store's do.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "domain/tickets/ticket.h"
#include "storage/scope.h"

namespace tandem::storage {

enum class TicketGrouping { type, channel, organization, team };

// The states in which a ticket of each type counts as open. The caller reads them from the
// workflows; storage knows no workflow.
using OpenStates = std::map<tickets::Type, std::vector<std::string>>;

// A group's key is the type's or channel's name, or the organisation's or team's id ("none" for
// tickets without a team).
struct RaisedCount {
  std::string key;
  std::int64_t tickets = 0;
  std::int64_t open = 0;  // of those, open now
};

struct OpenCount {
  std::string key;
  std::size_t age_bucket = 0;  // see ticket_reports::open_by_age
  std::int64_t tickets = 0;
  std::int64_t oldest_created_at = 0;
};

namespace ticket_reports {
// Tickets raised (created_at) in [from, to), per group, in no particular order.
Result<std::vector<RaisedCount>> raised(Connection& c, const Scope& scope, TicketGrouping by, std::int64_t from,
                                        std::int64_t to, const OpenStates& open);
// Tickets raised in [from, to) per UTC day, keyed by days since the epoch; days without a ticket
// are absent.
Result<std::map<std::int64_t, std::int64_t>> raised_per_day(Connection& c, const Scope& scope, std::int64_t from,
                                                            std::int64_t to);
// Tickets open now, per group and age bucket, in no particular order. A ticket's age is
// `now - created_at`; bucket i holds ages under `age_limits[i]` (ascending) and not under the one
// before; bucket age_limits.size() holds the rest.
Result<std::vector<OpenCount>> open_by_age(Connection& c, const Scope& scope, TicketGrouping by, const OpenStates& open,
                                           std::int64_t now, const std::vector<std::int64_t>& age_limits);
}  // namespace ticket_reports

}  // namespace tandem::storage
