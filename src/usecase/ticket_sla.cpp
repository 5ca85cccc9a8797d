#include "usecase/ticket_sla.h"

#include "domain/sla/policy.h"
#include "domain/tickets/workflow.h"
#include "storage/subscriptions.h"
#include "storage/ticket_requests.h"

namespace tandem::usecase {

namespace tk = ::tandem::tickets;

std::optional<sla::ClockEvent> clock_event_of(const storage::Ticket& ticket, std::string_view kind, storage::Visibility visibility,
                                              std::string_view new_status, bool by_staff, std::int64_t at_ms) {
  auto at = from_millis(at_ms);
  if (kind == "created") return sla::ClockEvent{at, sla::ClockEventKind::opened};
  if (kind == "status_changed") {
    auto category = tk::Workflows::builtin().of(ticket.type).category_of(new_status);
    bool done = category == tk::StateCategory::resolved || category == tk::StateCategory::closed;
    return sla::ClockEvent{at, sla::ClockEventKind::status, std::string(new_status), done};
  }
  if (visibility != storage::Visibility::public_) return std::nullopt;
  // DESK-7: a major incident's public update answers every child ticket.
  if (kind == "major_incident_update" || (by_staff && (kind == "comment" || kind == "call")))
    return sla::ClockEvent{at, sla::ClockEventKind::staff_reply};
  if (kind == "comment") return sla::ClockEvent{at, sla::ClockEventKind::user_reply};
  return std::nullopt;
}

std::vector<MovedPromise> moved_promises(const std::optional<sla::Reading>& before, const std::optional<sla::Reading>& after) {
  std::vector<MovedPromise> out;
  if (!after) return out;
  for (const auto& target : after->clock.targets) {
    if (target.metric == sla::Metric::next_update || !target.due || target.state == sla::TargetState::met) continue;
    std::optional<Time> was;
    if (before)
      for (const auto& old : before->clock.targets)
        if (old.metric == target.metric) was = old.due;
    if (was != target.due) out.push_back({target.metric, *target.due});
  }
  return out;
}

std::optional<sla::Reading> read_sla(const Timeframes& timeframes, const std::optional<std::string>& policy_id,
                                     std::string_view history, Time now) {
  if (!policy_id) return std::nullopt;
  auto policy = timeframes.every.find(*policy_id);
  if (policy == timeframes.every.end()) return std::nullopt;
  const auto* calendar = timeframes.calendar(policy->second.calendar_id);
  if (!calendar) return std::nullopt;
  auto events = sla::decode_history(history);
  return sla::Reading{policy->second.id, policy->second.name, sla::read_clock(policy->second.terms, *calendar, events, now)};
}

void read_slas(const Timeframes& timeframes, std::vector<storage::Ticket>& tickets, Time now) {
  for (auto& t : tickets) t.sla = read_sla(timeframes, t, now);
}

std::vector<Crossing> unannounced_crossings(const sla::Reading& reading, std::string_view announced) {
  std::vector<Crossing> out;
  auto consider = [&](const sla::TargetClock& t, sla::TargetState kind, Time at) {
    auto key = std::string(sla::to_string(t.metric)) + " " + std::to_string(t.cycle) + " " +
               (kind == sla::TargetState::warning ? "warning " : "breach ") + std::to_string(to_millis(at));
    for (std::size_t start = 0; start < announced.size();) {
      auto end = announced.find('\n', start);
      if (end == std::string_view::npos) end = announced.size();
      if (announced.substr(start, end - start) == key) return;
      start = end + 1;
    }
    out.push_back({t.metric, kind, at, std::move(key)});
  };
  // warning_at is given once the threshold was reached, due is a crossing once breached.
  for (const auto& t : reading.clock.targets) {
    if (t.warning_at && !t.stopped_at) consider(t, sla::TargetState::warning, *t.warning_at);
    if (t.due && t.state == sla::TargetState::breached) consider(t, sla::TargetState::breached, *t.due);
  }
  return out;
}

Result<StoredFacts> facts_for_sla(storage::Connection& c, const Timeframes& timeframes, const storage::Ticket& t) {
  StoredFacts out;
  if (timeframes.uses_tiers) {
    ASSIGN_OR_RETURN(out.tier_ids, storage::subscriptions::tiers_held(c, t.organization_id, t.affected_user_id(), t.created_at));
  }
  if (timeframes.uses_request_types && t.type == tickets::Type::service_request) {
    ASSIGN_OR_RETURN(auto request, storage::ticket_requests::find(c, storage::Scope::system(), t.id));
    if (request) out.request_type_id = request->request_type_id;
  }
  return out;
}

void rematch_sla(const Timeframes& timeframes, storage::Ticket& t, const std::vector<identity::UserFlag>& flags, Time now,
                 const StoredFacts& stored) {
  sla::PolicyFacts facts{t.type,   t.channel, t.service_id,           t.organization_id, t.priority,
                         t.impact, flags,     from_millis(t.created_at), stored.tier_ids, stored.request_type_id};
  auto open_at = [&](const std::string& calendar_id, Time at) {
    const auto* calendar = timeframes.calendar(calendar_id);
    return calendar && calendar->is_open(at);
  };
  const auto* policy = sla::match_policy(timeframes.active, facts, open_at);
  if (policy) t.sla_policy_id = policy->id;
  else t.sla_policy_id.reset();
  auto reading = read_sla(timeframes, t, now);
  t.sla_next_at.reset();
  if (!reading) return;
  if (reading->clock.next_crossing) t.sla_next_at = to_millis(*reading->clock.next_crossing);
  if (!unannounced_crossings(*reading, t.sla_fired).empty()) t.sla_next_at = to_millis(now);
}

}  // namespace tandem::usecase
