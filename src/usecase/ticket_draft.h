// How the ticket use cases write (internal to usecase/): a TimelineDraft collects the events
// of one change, notifies the ticket's people and fills the outbox; write_publishing commits
// and only then publishes the outbox (REL-5). Shared by tickets.cpp and attachments.cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "domain/feedback/feedback.h"
#include "core/id.h"
#include "storage/tickets.h"
#include "usecase/context.h"
#include "usecase/events.h"
#include "domain/tickets/workflow.h"
#include "storage/recovery_tasks.h"
#include "storage/teams.h"
#include "storage/users.h"
#include "usecase/mail_out.h"
#include "usecase/ticket_sla.h"
#include "usecase/webhooks.h"

namespace tandem::usecase::drafting {

using identity::Actor;
using storage::Scope;
using storage::Ticket;
using storage::TicketEvent;
using storage::Visibility;
using Json = nlohmann::json;
namespace tk = ::tandem::tickets;

inline std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }
inline Json nullable(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

// Ticket changes to publish once their transaction has committed.
using Outbox = std::vector<TicketChange>;

// Writes in one transaction and, once it has committed, publishes the ticket changes the
// function put in the outbox (REL-5): a subscriber never hears of a change that was undone.
template <class F>
auto write_publishing(const Services& s, F&& fn) {
  Outbox outbox;
  auto result = s.db.write([&](storage::Connection& c) {
    outbox.clear();
    return fn(c, outbox);
  });
  if (result && s.events)
    for (const auto& change : outbox) s.events->publish(change);
  return result;
}

// The flags of a user (REL-6); none for a user that is gone.
inline Result<std::vector<identity::UserFlag>> flags_of(storage::Connection& c, const std::string& user_id) {
  ASSIGN_OR_RETURN(auto u, storage::users::find(c, Scope::system(), user_id));
  if (!u) return std::vector<identity::UserFlag>{};
  return u->flags;
}

// The timeline events of one change to one ticket, numbered after the ticket's last event and
// written together, after the ticket row.
class TimelineDraft {
 public:
  TimelineDraft(const Services& s, const Actor& actor, Ticket& ticket, tk::Channel channel, Outbox& outbox)
      : s_(s),
        actor_(actor),
        ticket_(ticket),
        channel_(channel),
        outbox_(outbox),
        now_(to_millis(s.clock.now())),
        policy_before_(ticket.sla_policy_id),
        history_before_(ticket.sla_history) {}

  TicketEvent& add(std::string kind, Visibility visibility, std::string body = {}, const Json& data = Json::object()) {
    TicketEvent e;
    e.id = new_id("evt", s_.clock.now());
    e.ticket_id = ticket_.id;
    e.seq = ++ticket_.last_seq;
    e.kind = std::move(kind);
    e.actor_id = actor_.user_id;
    e.channel = channel_;
    e.visibility = visibility;
    e.body = std::move(body);
    e.data = dump(data);
    e.created_at = now_;
    // DESK-3: what the SLA clock hears of it joins the ticket's clock history.
    if (auto heard = clock_event_of(ticket_, e.kind, visibility, data.is_object() ? data.value("to", "") : "", actor_.staff(), now_)) {
      sla::append_history(ticket_.sla_history, *heard);
      clock_heard_ = true;
    }
    events_.push_back(std::move(e));
    return events_.back();
  }
  // DESK-3, DESK-4: once the change is drafted and before the ticket row is written: the policy
  // is matched again on the ticket's facts (the affected user's `flags`), the next crossing
  // noted for timers, and a promise that moved is told on the timeline (and so to its people).
  void settle_sla(const Timeframes& timeframes, const std::vector<identity::UserFlag>& flags, const StoredFacts& stored) {
    auto now = from_millis(now_);
    rematch_sla(timeframes, ticket_, flags, now, stored);
    settled_ = true;
    if (history_before_.empty()) return;  // a new ticket: its promises are in the answer
    auto moved = moved_promises(read_sla(timeframes, policy_before_, history_before_, now), read_sla(timeframes, ticket_, now));
    if (moved.empty()) return;
    Json data = Json::object();
    std::string body;
    for (const auto& m : moved) {
      data[std::string(sla::to_string(m.metric))] = to_rfc3339(m.due);
      body += (body.empty() ? "" : "; ") + std::string(sla::to_string(m.metric)) + " " + to_rfc3339(m.due);
    }
    add("estimate_changed", Visibility::public_, body, data);
  }
  // The same, with the affected user's flags (and what else a policy asks) read from the store.
  Result<void> settle_sla(storage::Connection& c, const Timeframes& timeframes) {
    ASSIGN_OR_RETURN(auto flags, flags_of(c, ticket_.affected_user_id()));
    ASSIGN_OR_RETURN(auto stored, facts_for_sla(c, timeframes, ticket_));
    settle_sla(timeframes, flags, stored);
    return {};
  }
  // Writes the events and notifies the ticket's people of the public ones that concern them.
  Result<void> append_all(storage::Connection& c) {
    if (clock_heard_ && !settled_) return fail(Code::internal, "The ticket's SLA clock heard an event and was not settled.");
    bool created = false;
    std::string public_kind;
    for (const auto& e : events_) {
      TRY(storage::timeline::append(c, e));
      TRY(notify(c, e));
      TRY(mail(c, e));
      if (e.visibility == Visibility::public_) public_kind = e.kind;
      created = created || e.kind == "created";
    }
    if (events_.empty()) return {};
    outbox_.push_back(TicketChange{created ? "ticket.created" : "ticket.updated", ticket_.id, ticket_.version, events_.back().kind,
                                   public_kind, public_kind.empty(), ticket_.organization_id, ticket_.requester_id,
                                   ticket_.on_behalf_of, ticket_.watchers});
    TRY(queue_event(c, s_, created ? "ticket.created" : "ticket.updated", ticket_.organization_id,
                    [&](bool organisation_only) { return webhook_data(c, organisation_only, ""); }));
    if (std::ranges::any_of(events_, [](const TicketEvent& e) { return e.kind == "major_incident_update"; }))
      TRY(queue_event(c, s_, "major_incident.updated", ticket_.organization_id,
                      [&](bool organisation_only) { return webhook_data(c, organisation_only, "major_incident_update"); }));
    return {};
  }
  bool empty() const { return events_.empty(); }
  std::int64_t now() const { return now_; }
  const std::vector<TicketEvent>& events() const { return events_; }

 private:
  // DESK-4: status changes, replies, new estimates and major-incident updates reach the
  // requester, the user acted for, the assignee and the watchers, never the one who made them.
  Result<void> notify(storage::Connection& c, const TicketEvent& e) {
    if (e.visibility != Visibility::public_) return {};
    if (e.kind != "comment" && e.kind != "status_changed" && e.kind != "major_incident_update" && e.kind != "estimate_changed")
      return {};
    std::set<std::string> people{ticket_.requester_id};
    if (ticket_.on_behalf_of) people.insert(*ticket_.on_behalf_of);
    if (ticket_.assignee_id) people.insert(*ticket_.assignee_id);
    people.insert(ticket_.watchers.begin(), ticket_.watchers.end());
    people.erase(actor_.user_id);
    std::string summary = e.kind == "status_changed" ? std::string(Json::parse(e.data).value("to", "")) : short_text(e.body);
    for (const auto& person : people) {
      storage::Notification n{new_id("ntf", s_.clock.now()), person, ticket_.id, e.id, e.kind == "comment" ? "reply" : e.kind,
                              summary, now_, std::nullopt};
      TRY(storage::notifications::insert(c, n));
    }
    return {};
  }
  // REL-1: what the requester and the user acted for hear by mail: a staff reply, a state they
  // must act on or that ends the request, a major incident's news; and, for a request that came
  // by mail, its receipt. Staff read the desk, and nobody is mailed their own words.
  Result<void> mail(storage::Connection& c, const TicketEvent& e) {
    if (!s_.mail_out.enabled) return {};
    if (e.kind == "created") {
      if (channel_ == tk::Channel::email) TRY(queue_mail(c, s_, ticket_, e, ticket_.requester_id, "created"));
      return {};
    }
    if (e.visibility != Visibility::public_ || !actor_.staff()) return {};
    std::string kind;
    if (e.kind == "comment") kind = "reply";
    else if (e.kind == "major_incident_update") kind = "major_incident_update";
    else if (e.kind == "status_changed") {
      auto to = Json::parse(e.data).value("to", "");
      auto category = tk::Workflows::builtin().of(ticket_.type).category_of(to);
      if (category == tk::StateCategory::waiting || category == tk::StateCategory::resolved) kind = "status_changed";
    }
    if (kind.empty()) return {};
    std::set<std::string> people{ticket_.requester_id};
    if (ticket_.on_behalf_of) people.insert(*ticket_.on_behalf_of);
    people.erase(actor_.user_id);
    for (const auto& person : people) TRY(queue_mail(c, s_, ticket_, e, person, kind));
    return {};
  }
  // OPS-3, REL-5: what an outbound webhook is told of the change — the ticket, its events (of
  // `only_kind` when given; public ones only for a webhook limited to the organisation, which
  // hears nothing of a change its people cannot see) and the person it is about, with the
  // addresses a gateway reaches them at.
  Result<Json> webhook_data(storage::Connection& c, bool organisation_only, std::string_view only_kind) {
    Json events = Json::array();
    for (const auto& e : events_) {
      if (organisation_only && e.visibility != Visibility::public_) continue;
      if (!only_kind.empty() && e.kind != only_kind) continue;
      events.push_back({{"id", e.id},
                        {"kind", e.kind},
                        {"visibility", e.visibility == Visibility::public_ ? "public" : "internal"},
                        {"channel", tk::to_string(e.channel)},
                        {"actor_id", e.actor_id},
                        {"body", e.body},
                        {"data", Json::parse(e.data, nullptr, false)},
                        {"created_at", to_rfc3339(from_millis(e.created_at))}});
    }
    if (events.empty()) return Json(nullptr);
    Json person = nullptr;
    ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), ticket_.affected_user_id()));
    if (user) {
      Json phones = Json::array();
      for (const auto& i : user->identities)
        if (i.kind == "phone") phones.push_back(i.normalized);
      person = {{"id", user->id}, {"name", user->name}, {"email", user->email}, {"language", user->language}, {"phones", phones}};
    }
    Json ticket{{"id", ticket_.id},
                {"number", ticket_.number},
                {"organization_id", ticket_.organization_id},
                {"type", tk::to_string(ticket_.type)},
                {"subject", ticket_.subject},
                {"status", ticket_.status},
                {"priority", tk::to_string(ticket_.priority)},
                {"channel", tk::to_string(ticket_.channel)},
                {"service_id", nullable(ticket_.service_id)},
                {"requester_id", ticket_.requester_id},
                {"on_behalf_of", nullable(ticket_.on_behalf_of)},
                {"version", ticket_.version}};
    if (!organisation_only) ticket.update({{"team_id", nullable(ticket_.team_id)}, {"assignee_id", nullable(ticket_.assignee_id)}});
    return Json{{"ticket", ticket}, {"events", events}, {"person", person}};
  }
  // At most 200 bytes, cut at a character boundary.
  static std::string short_text(const std::string& text) {
    if (text.size() <= 200) return text;
    std::size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
  }

  const Services& s_;
  const Actor& actor_;
  Ticket& ticket_;
  tk::Channel channel_;
  Outbox& outbox_;
  std::int64_t now_;
  std::vector<TicketEvent> events_;
  std::optional<std::string> policy_before_;
  std::string history_before_;
  bool clock_heard_ = false, settled_ = false;
};

inline Result<Ticket> load_ticket(storage::Connection& c, const Actor& actor, std::string_view id,
                           storage::Lock lock = storage::Lock::none) {
  ASSIGN_OR_RETURN(auto t, storage::ticket_store::find(c, Scope::for_actor(actor), id, lock));
  if (!t) return fail(Code::not_found, "No such ticket.");
  return std::move(*t);
}

// Moves `t` to `to` and writes what that means for its times.
inline void enter_state(Ticket& t, const tk::Workflow& flow, const std::string& to, std::int64_t now) {
  auto category = flow.category_of(to).value_or(tk::StateCategory::open);
  t.status = to;
  if (category == tk::StateCategory::resolved) t.resolved_at = now;
  if (category == tk::StateCategory::closed) t.closed_at = now;
  if (category == tk::StateCategory::open || category == tk::StateCategory::waiting) {
    t.resolved_at.reset();
    t.closed_at.reset();
  }
}

// DESK-8: a person who comes back within this many days of a ticket about them being resolved
// is a repeated contact — the resolution did not settle what they needed.
constexpr int kRepeatContactDays = 7;

// DESK-8: a moment of truth opens a recovery task for the ticket's team and its lead (unassigned
// when the ticket has no team or the team no lead), due within the signal's hours, and says so
// on the timeline, for staff. None when the ticket has an open task of the signal already: a
// repeated signal adds to nobody's list. The task is returned to be inserted once the ticket row
// is written.
inline Result<std::optional<storage::RecoveryTask>> recovery_task_for(storage::Connection& c, const Services& s, const Ticket& t,
                                                                      std::string signal, TimelineDraft& draft,
                                                                      const Json& detail = Json::object()) {
  ASSIGN_OR_RETURN(bool open, storage::recovery_tasks::open_exists(c, t.id, signal));
  if (open) return std::optional<storage::RecoveryTask>();
  storage::RecoveryTask task;
  task.id = new_id("rec", s.clock.now());
  task.ticket_id = t.id;
  task.organization_id = t.organization_id;
  task.signal = std::move(signal);
  task.created_at = draft.now();
  task.due_at = draft.now() + feedback::recovery_hours(task.signal) * 3'600'000;
  task.team_id = t.team_id;
  if (t.team_id) {
    ASSIGN_OR_RETURN(auto team, storage::teams::find(c, *t.team_id));
    if (team) task.assignee_id = team->lead_id;
  }
  Json data{{"signal", task.signal},
            {"recovery_task_id", task.id},
            {"assignee_id", nullable(task.assignee_id)},
            {"due", to_rfc3339(from_millis(*task.due_at))}};
  if (detail.is_object()) data.update(detail);  // what gave the signal: the phrase, the earlier ticket
  draft.add("moment_of_truth", Visibility::internal, "", data);
  return std::optional<storage::RecoveryTask>(std::move(task));
}

}  // namespace tandem::usecase::drafting
