#include "usecase/sla_timers.h"

#include <set>

#include "storage/teams.h"
#include "usecase/sla_policies.h"
#include "usecase/ticket_draft.h"

namespace tandem::usecase {
namespace {

using namespace drafting;

std::optional<tk::Priority> one_step_up(tk::Priority p) {
  switch (p) {
    case tk::Priority::low: return tk::Priority::medium;
    case tk::Priority::medium: return tk::Priority::high;
    case tk::Priority::high: return tk::Priority::critical;
    case tk::Priority::critical: return std::nullopt;
  }
  return std::nullopt;
}

// The staff a "notify" escalation reaches: the assignee and the lead of the ticket's team.
Result<std::set<std::string>> people_to_notify(storage::Connection& c, const Ticket& t) {
  std::set<std::string> people;
  if (t.assignee_id) people.insert(*t.assignee_id);
  if (t.team_id) {
    ASSIGN_OR_RETURN(auto team, storage::teams::find(c, *t.team_id));
    if (team && team->lead_id) people.insert(*team->lead_id);
  }
  return people;
}

// Does what one escalation says at a crossing; whether it changed the ticket's fields.
Result<bool> escalate(storage::Connection& c, const sla::Escalation& e, const Crossing& crossing, const std::string& event_id,
                      Ticket& t, TimelineDraft& draft) {
  bool breach = crossing.kind == sla::TargetState::breached;
  auto metric = std::string(sla::to_string(crossing.metric));
  switch (e.action) {
    case sla::Escalation::Action::notify: {
      ASSIGN_OR_RETURN(auto people, people_to_notify(c, t));
      for (const auto& person : people)
        TRY(storage::notifications::insert(c, {new_id("ntf", from_millis(draft.now())), person, t.id, event_id,
                                               breach ? "sla_breached" : "sla_warning",
                                               "#" + std::to_string(t.number) + " " + metric + (breach ? " breached" : " warning"),
                                               draft.now(), std::nullopt}));
      return false;
    }
    case sla::Escalation::Action::reassign: {
      ASSIGN_OR_RETURN(auto team, storage::teams::find(c, *e.team_id));
      if (!team || t.team_id == team->id) return false;  // a team removed since the policy was saved is skipped
      draft.add("fields_changed", Visibility::internal, "",
                Json{{"changes", Json::array({Json{{"field", "team_id"}, {"from", nullable(t.team_id)}, {"to", team->id}},
                                              Json{{"field", "assignee_id"}, {"from", nullable(t.assignee_id)}, {"to", nullptr}}})},
                     {"escalation", metric}});
      t.team_id = team->id;
      t.assignee_id.reset();
      return true;
    }
    case sla::Escalation::Action::raise_priority: {
      auto raised = one_step_up(t.priority);
      if (!raised) return false;
      draft.add("fields_changed", Visibility::public_, "",
                Json{{"changes", Json::array({Json{{"field", "priority"}, {"from", tk::to_string(t.priority)},
                                                   {"to", tk::to_string(*raised)}}})},
                     {"escalation", metric}});
      t.priority = *raised;
      return true;
    }
  }
  return false;
}

// Announces the ticket's unannounced crossings; the number announced.
Result<int> announce(storage::Connection& c, const Services& s, const Timeframes& timeframes, std::string_view id, Time now,
                     Outbox& outbox) {
  ASSIGN_OR_RETURN(auto found, storage::ticket_store::find(c, Scope::system(), id, storage::Lock::for_update));
  if (!found) return 0;
  Ticket t = std::move(*found);
  auto reading = read_sla(timeframes, t, now);
  auto crossings = reading ? unannounced_crossings(*reading, t.sla_fired) : std::vector<Crossing>{};
  const auto* policy = reading ? &timeframes.every.at(reading->policy_id) : nullptr;
  auto actor = system_actor();
  auto before = canonical(t);
  TimelineDraft draft(s, actor, t, tk::Channel::api, outbox);
  bool fields_changed = false;
  std::optional<storage::RecoveryTask> recovery;
  std::string announced;
  for (const auto& crossing : crossings) {
    bool breach = crossing.kind == sla::TargetState::breached;
    auto metric = std::string(sla::to_string(crossing.metric));
    t.sla_fired += crossing.key + "\n";
    announced += crossing.key + "\n";
    auto& event = draft.add(breach ? "sla_breached" : "sla_warning", Visibility::internal, "",
                            Json{{"target", metric}, {"at", to_rfc3339(crossing.at)}, {"policy", reading->policy_name}});
    auto event_id = event.id;
    for (const auto& e : policy->escalations)
      if (e.at == crossing.kind && (!e.metric || *e.metric == crossing.metric)) {
        ASSIGN_OR_RETURN(bool changed, escalate(c, e, crossing, event_id, t, draft));
        fields_changed = fields_changed || changed;
      }
    // DESK-8: a broken promise to answer or to resolve is a moment of truth.
    if (breach && crossing.metric != sla::Metric::next_update && !recovery) {
      ASSIGN_OR_RETURN(recovery, recovery_task_for(c, s, t, "sla_breach", draft));
    }
  }
  TRY(draft.settle_sla(c, timeframes));  // a raised priority may bring another policy
  if (fields_changed) {
    t.version += 1;
    t.updated_at = draft.now();
    TRY(storage::ticket_store::update(c, t, false));
  } else {
    TRY(storage::ticket_store::touch(c, t));
  }
  if (recovery) TRY(storage::recovery_tasks::insert(c, *recovery));
  TRY(draft.append_all(c));
  if (!crossings.empty())
    TRY(record(c, s, actor, {"ticket.sla_timer", "ticket", t.id, t.organization_id, before, canonical(t) + announced}));
  return int(crossings.size());
}

}  // namespace

Result<TimerRun> fire_sla_timers(const Services& s, int limit) {
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  auto now = s.clock.now();
  ASSIGN_OR_RETURN(auto due, s.db.read([&](storage::Connection& c) { return storage::ticket_store::sla_due(c, to_millis(now), limit); }));
  TimerRun run;
  for (const auto& id : due) {
    ASSIGN_OR_RETURN(int announced, write_publishing(s, [&](storage::Connection& c, Outbox& outbox) {
                       return announce(c, s, *timeframes, id, now, outbox);
                     }));
    ++run.tickets;
    run.announced += announced;
  }
  return run;
}

}  // namespace tandem::usecase
