// DESK-3, DESK-4: a ticket's SLA clock in the use cases (internal to usecase/). The timeline
// draft turns events into the clock's history (clock_event_of); after each change the policy
// is matched again on the ticket's facts, the next crossing noted for timers, and a moved
// promise told to the ticket's people (settle_sla); answers carry the clock read now.
#pragma once

#include <optional>
#include <vector>

#include "domain/sla/clock.h"
#include "storage/tickets.h"
#include "usecase/sla_policies.h"

namespace tandem::usecase {

// What the SLA clock hears of a timeline event; nullopt for what it ignores (notes, internal
// events, changes of fields). `by_staff`: the provider's side wrote it.
std::optional<sla::ClockEvent> clock_event_of(const storage::Ticket& ticket, std::string_view kind, storage::Visibility visibility,
                                              std::string_view new_status, bool by_staff, std::int64_t at_ms);

// The promises that changed between two readings of the same ticket: the first response and
// resolution targets whose due moved to a new instant. Empty when nothing a user was promised moved.
struct MovedPromise {
  sla::Metric metric;
  Time due;
};
std::vector<MovedPromise> moved_promises(const std::optional<sla::Reading>& before, const std::optional<sla::Reading>& after);

// The clock of a history under a policy, read at `now`; nullopt when no policy applies (or the
// policy or its calendar is gone).
std::optional<sla::Reading> read_sla(const Timeframes& timeframes, const std::optional<std::string>& policy_id,
                                     std::string_view history, Time now);
inline std::optional<sla::Reading> read_sla(const Timeframes& timeframes, const storage::Ticket& ticket, Time now) {
  return read_sla(timeframes, ticket.sla_policy_id, ticket.sla_history, now);
}
// Each ticket's clock read at `now`, for an answer.
void read_slas(const Timeframes& timeframes, std::vector<storage::Ticket>& tickets, Time now);

// A threshold the ticket's clock has crossed: its warning share or its target.
struct Crossing {
  sla::Metric metric;
  sla::TargetState kind;  // warning or breached
  Time at;
  std::string key;  // how the ticket remembers it was announced (sla_fired, one a line)
};
// The crossings of the reading not yet announced: breaches always, warnings while the clock has
// not stopped (a warning for a ticket already answered tells nobody anything).
std::vector<Crossing> unannounced_crossings(const sla::Reading& reading, std::string_view announced);

// Matches the policy again on the ticket's facts now (the affected user's `flags`), and notes
// when the timers must look at it next (sla_next_at): the next crossing, or now when one is
// unannounced.
// What the store knows of a ticket beyond its row that policies may ask about.
struct StoredFacts {
  std::vector<std::string> tier_ids;           // held by its organisation or affected user when raised
  std::optional<std::string> request_type_id;  // the catalog request type it was raised through
};
void rematch_sla(const Timeframes& timeframes, storage::Ticket& ticket, const std::vector<identity::UserFlag>& flags, Time now,
                 const StoredFacts& stored = {});
// The stored facts an active policy asks about (none otherwise, without reading the store).
Result<StoredFacts> facts_for_sla(storage::Connection& c, const Timeframes& timeframes, const storage::Ticket& ticket);

}  // namespace tandem::usecase
