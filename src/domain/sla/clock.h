// DESK-3: the SLA clock — a pure function of (terms of the policy, calendar, what happened on
// the ticket, now) to each target's state. Nothing is stored but the history: a change of
// priority, policy or calendar is a new reading of the same history, never a patched timer.
//
// Targets: first response (from opening to the first public answer of the provider, or the
// resolution), next update (from each public reply of the user to the provider's next public
// answer; one cycle per reply), resolution (from opening to resolved; a reopen resumes it).
// While the ticket is in a pause status no clock counts. Time counts only in working time.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/sla/calendar.h"

namespace tandem::sla {

enum class Metric { first_response, next_update, resolution };
inline constexpr std::array<Metric, 3> kMetrics = {Metric::first_response, Metric::next_update, Metric::resolution};
std::string_view to_string(Metric metric);
std::optional<Metric> parse_metric(std::string_view text);

// ok: counting (or paused) below the warning threshold; warning: at or past it; breached: more
// working time than agreed; met: stopped within the target.
enum class TargetState { ok, warning, breached, met };
std::string_view to_string(TargetState state);

enum class ClockEventKind {
  opened,       // the ticket was raised: first response and resolution start
  staff_reply,  // a public answer of the provider (reply, logged call)
  user_reply,   // a public reply of the user: a next-update cycle starts unless one counts
  status,       // the ticket entered `status`
  extended,     // DESK-9: an authorised override gave `metric` `minutes` more for this ticket
};

struct ClockEvent {
  Time at;
  ClockEventKind kind = ClockEventKind::opened;
  std::string status;  // for status events
  bool done = false;   // for status events: a resolved or closed state
  Metric metric = Metric::resolution;  // for extensions
  std::chrono::minutes minutes{0};     // for extensions
};

struct ClockTerms {
  std::array<std::optional<std::chrono::minutes>, 3> targets;  // by Metric; none: not agreed
  std::vector<std::string> pause_statuses;
  double warn_at = 0.75;  // share of the target, in (0, 1]
};

struct Span {
  Time from, to;
  bool operator==(const Span&) const = default;
};

struct TargetClock {
  Metric metric = Metric::first_response;
  std::chrono::minutes target{0};
  TargetState state = TargetState::ok;
  bool paused = false;              // started, not stopped, and the ticket waits in a pause status
  std::optional<Time> started_at;   // of the current (or last) cycle; none: not started
  std::optional<Time> stopped_at;   // when it was met or stopped breached; none while it counts
  // When the target is (or was) reached: the crossing once it happened; while counting, the
  // projection; once met, the promise that stood at the stop; none while paused before it.
  std::optional<Time> due;
  std::optional<Time> warning_at;   // when the warning threshold was reached; none before (timers wait for next_crossing)
  std::chrono::milliseconds elapsed{0};  // working time counted up to the stop or now
  std::vector<Span> pauses;         // of the current (or last) cycle; the last may end at now
  int cycle = 0;                    // next_update: cycles started (one per unanswered reply)
  int breached_cycles = 0;          // next_update: earlier cycles that breached
};

struct ClockReading {
  std::vector<TargetClock> targets;  // the agreed ones, in Metric order
  // The next instant at which a state changes with no event (a warning or a breach), for
  // timers; none when nothing counts.
  std::optional<Time> next_crossing;
};

// A ticket's clock read at an instant under the policy that applies to it.
struct Reading {
  std::string policy_id;
  std::string policy_name;
  ClockReading clock;
};

// The history as a ticket keeps it: one line per event, "<ms> o|s|u", "<ms> t <status> 0|1" or
// "<ms> x <metric> <minutes>".
void append_history(std::string& history, const ClockEvent& event);
// Lines it cannot read are skipped (they come from our own writes).
std::vector<ClockEvent> decode_history(std::string_view history);

// `events` in time order (ties in the order they happened); those after `now` are ignored.
ClockReading read_clock(const ClockTerms& terms, const Calendar& calendar, std::span<const ClockEvent> events, Time now);

}  // namespace tandem::sla
