// OPS-1: what the overrides, vulnerable-user handling (REL-6) and their comparators are counted
// from, by the database, in a period and a Scope (staff every organisation, a customer its own).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct OverrideRow {
  std::string id, rule, reason_code, justification, actor_id, organization_id;
  std::string ticket_id, subject;  // empty for an override of no ticket
  std::int64_t number = 0;
  std::int64_t created_at = 0;
};

// A ticket whose person (the user it was raised for, else its requester) carries a flag.
struct FlaggedTicket {
  std::string ticket_id, subject, organization_id, user_id, flags;
  std::int64_t number = 0, created_at = 0;
  std::optional<std::int64_t> first_reply_at;  // the provider's first public reply
  std::optional<std::int64_t> resolved_at;
};

// Every ticket of an organisation in the period, for comparison: how many, how many resolved and
// the mean time to resolution (ms) of those.
struct HandlingTotals {
  std::string organization_id;
  std::int64_t tickets = 0, resolved = 0;
  std::optional<double> mean_resolution_ms;
};

struct OverrideCount {
  std::string organization_id, rule;
  std::int64_t overrides = 0;
};

namespace insight_reports {
// Overrides made in [from, to), newest first, at most `limit`; and how many there were.
Result<std::vector<OverrideRow>> overrides_in(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to, int limit);
Result<std::vector<OverrideCount>> count_overrides(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to);
// Tickets raised in [from, to) for a person whose flags hold any of `flags`, oldest first.
Result<std::vector<FlaggedTicket>> flagged_tickets(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to,
                                                   const std::vector<std::string>& flags, int limit);
Result<std::vector<HandlingTotals>> handling_totals(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to);
}  // namespace insight_reports

}  // namespace tandem::storage
