#include "usecase/tickets.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "core/id.h"
#include "domain/feedback/sentiment.h"
#include "domain/search/terms.h"
#include "domain/tickets/priority.h"
#include "domain/tickets/workflow.h"
#include "storage/teams.h"
#include "storage/users.h"
#include "usecase/catalog.h"
#include "usecase/classification.h"
#include "usecase/directory.h"
#include "usecase/fulfilment.h"
#include "usecase/sla_policies.h"
#include "usecase/ticket_draft.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using namespace drafting;
using identity::Actor;
using storage::Scope;
using storage::Ticket;
using storage::TicketEvent;
using storage::Visibility;
using Json = nlohmann::json;
namespace tk = ::tandem::tickets;


// The consumer side of a ticket may move it where the workflow says "requester": the person who
// raised it, the user it is for, their representative, and their organisation's customer.
Result<bool> is_requester_side(storage::Connection& c, const Actor& actor, const Ticket& t) {
  if (actor.staff()) return false;
  if (actor.user_id == t.requester_id || (t.on_behalf_of && actor.user_id == *t.on_behalf_of)) return true;
  if (identity::has_role(actor.roles, identity::Role::customer) && actor.organization_id == t.organization_id) return true;
  if (!identity::has_role(actor.roles, identity::Role::representative)) return false;
  // Representations are read here rather than carried by every session's Actor.
  ASSIGN_OR_RETURN(bool for_requester, storage::users::represents(c, actor.user_id, t.requester_id));
  if (for_requester) return true;
  if (!t.on_behalf_of) return false;
  return storage::users::represents(c, actor.user_id, *t.on_behalf_of);
}

void check_long_text(Problems& p, const std::string& field, const std::string& value) {
  check_text(p, field, value, kTextLimit);
}

std::vector<std::string> normalized_tags(const std::vector<std::string>& tags, Problems& p) {
  std::set<std::string> unique;
  for (const auto& tag : tags) {
    auto t = trimmed(tag);
    if (t.empty() || t.size() > 50 || t.find('\n') != std::string::npos) {
      p.add("tags", "each tag is 1 to 50 bytes on one line");
      return {};
    }
    unique.insert(t);
  }
  if (unique.size() > 20) p.add("tags", "at most 20 tags");
  return {unique.begin(), unique.end()};
}

// Watchers must be active people the ticket's organisation may involve: staff, or users of that
// organisation. Another organisation's user is "no such user", like one that does not exist.
Result<std::vector<std::string>> checked_watchers(storage::Connection& c, const std::vector<std::string>& ids,
                                                  const std::string& organization_id, Problems& p) {
  std::set<std::string> unique(ids.begin(), ids.end());
  if (unique.size() > 50) {
    p.add("watchers", "at most 50 watchers");
    return std::vector<std::string>{};
  }
  for (const auto& id : unique) {
    ASSIGN_OR_RETURN(auto u, storage::users::find(c, Scope::system(), id));
    if (!u || !u->active || (!identity::is_staff(u->roles) && u->organization_id != organization_id))
      p.add("watchers", "no such user: " + id);
  }
  return std::vector<std::string>(unique.begin(), unique.end());
}

Result<void> check_assignee(storage::Connection& c, const std::string& id, Problems& p) {
  ASSIGN_OR_RETURN(auto u, storage::users::find(c, Scope::system(), id));
  if (!u || !u->active || !identity::is_staff(u->roles)) p.add("assignee_id", "must be an active member of staff");
  return {};
}

Result<void> check_team(storage::Connection& c, const std::string& id, Problems& p) {
  ASSIGN_OR_RETURN(auto team, storage::teams::find(c, id));
  if (!team) p.add("team_id", "no such team");
  return {};
}

// A compliment is credited to a member of staff or a team (FDB-3 groundwork).
Result<void> check_credited(storage::Connection& c, const std::string& id, Problems& p) {
  ASSIGN_OR_RETURN(auto u, storage::users::find(c, Scope::system(), id));
  if (u && identity::is_staff(u->roles)) return {};
  ASSIGN_OR_RETURN(auto team, storage::teams::find(c, id));
  if (!team) p.add("credited_to", "no such member of staff or team");
  return {};
}

Result<Ticket> shown_to(const Actor& actor, Result<Ticket> t) {
  if (!t) return t;
  return as_seen_by(actor, std::move(*t));
}

// DESK-3: an answer carries the ticket's SLA clock read now.
Result<Ticket> with_sla(const Services& s, const Timeframes& timeframes, Result<Ticket> t) {
  if (t) t->sla = read_sla(timeframes, *t, s.clock.now());
  return t;
}

// What the rules read of the affected user (REL-4, REL-6) — flags, language, time zone — for the
// caller's own ticket read before the write (usually from the directory cache), so that the one
// SQLite writer does not spend its time on them. A change a moment before the write is as if the
// ticket had been raised a moment earlier.
struct AffectedUser {
  std::vector<identity::UserFlag> flags;
  std::string language, time_zone;
};
Result<AffectedUser> own_facts(const Services& s, const Actor& actor) {
  ASSIGN_OR_RETURN(auto own, own_record(s, actor));
  if (!own) return AffectedUser{};
  return AffectedUser{std::move(own->flags), own->language, own->time_zone};
}

// DESK-2, REL-6: the priority from impact × urgency and the affected user's flags, each rule
// that fired recorded with its name (internal: flags of vulnerable users are for staff).
void apply_priority_rules(Ticket& t, const std::vector<identity::UserFlag>& flags, TimelineDraft& draft,
                          std::optional<tk::Priority> set_by_rule = std::nullopt) {
  auto decision = tk::PriorityRules::builtin().decide(t.impact, t.urgency, flags, set_by_rule);
  t.priority = decision.priority;
  for (const auto& rule : decision.fired)
    draft.add("rule_fired", Visibility::internal, rule.effect, Json{{"rule", rule.name}, {"effect", rule.effect}});
}

// DESK-7: a public update of a major incident lands on every child ticket's own timeline, in
// that ticket's organisation, and notifies its people. The children are read without the
// caller's scope on purpose: the update is written to them, nothing of them is returned.
Result<void> fan_out(storage::Connection& c, const Services& s, const Timeframes& timeframes, const Actor& actor,
                     const Ticket& major, const std::string& body, Json data, Outbox& outbox) {
  // Only the provider speaks for a major incident: a consumer's words on it stay on it and
  // never reach other organisations' tickets.
  if (!major.major_incident || !actor.staff()) return {};
  ASSIGN_OR_RETURN(auto children, storage::ticket_links::children_for_fan_out(c, major.id));
  data["major_incident_id"] = major.id;
  data["major_incident_number"] = major.number;
  for (auto& child : children) {
    TimelineDraft draft(s, actor, child, tk::Channel::portal, outbox);
    draft.add("major_incident_update", Visibility::public_, body, data);
    TRY(draft.settle_sla(c, timeframes));
    child.updated_at = draft.now();
    TRY(storage::ticket_store::touch(c, child));
    TRY(draft.append_all(c));
  }
  return {};
}

}  // namespace

std::vector<std::string> TicketPatch::fields() const {
  std::vector<std::string> f;
  if (subject) f.push_back("subject");
  if (description) f.push_back("description");
  if (category) f.push_back("category");
  if (service_id) f.push_back("service_id");
  if (team_id) f.push_back("team_id");
  if (assignee_id) f.push_back("assignee_id");
  if (impact) f.push_back("impact");
  if (urgency) f.push_back("urgency");
  if (priority) f.push_back("priority");
  if (tags) f.push_back("tags");
  if (watchers) f.push_back("watchers");
  if (major_incident) f.push_back("major_incident");
  return f;
}

Ticket as_seen_by(const Actor& actor, Ticket t) {
  if (actor.staff()) return t;
  t.category.clear();
  t.team_id.reset();
  t.assignee_id.reset();
  t.tags.clear();
  return t;
}

Result<Ticket> create_ticket(const Services& s, const Actor& actor, const NewTicket& in, tk::Channel arrived_through) {
  TRY(authorize(actor, "ticket.create"));
  Problems p;
  check_text(p, "subject", in.subject, kSubjectLimit);
  if (in.description.size() > kTextLimit) p.add("description", "must be at most " + std::to_string(kTextLimit) + " bytes");
  auto channel = in.channel.value_or(arrived_through);
  if (!actor.staff() && channel != arrived_through)
    p.add("channel", "only staff record another channel; yours is " + std::string(tk::to_string(arrived_through)));
  if (in.service_id) {
    ASSIGN_OR_RETURN(bool usable, service_usable(s, actor, *in.service_id));
    if (!usable) p.add("service_id", "no such service");
  }
  if (p.any()) return fail(p.error());

  Ticket t;
  auto now = s.clock.now();
  t.id = new_id("tkt", now);
  t.type = in.type;
  t.channel = channel;
  t.subject = trimmed(in.subject);
  t.description = in.description;
  t.service_id = in.service_id;
  t.requester_id = actor.user_id;
  t.impact = in.impact.value_or(tk::Level::medium);
  t.urgency = in.urgency.value_or(tk::Level::medium);
  t.status = tk::Workflows::builtin().of(t.type).initial;
  t.created_at = t.updated_at = to_millis(now);
  bool for_someone_else = in.on_behalf_of && *in.on_behalf_of != actor.user_id;
  AffectedUser affected;
  if (!for_someone_else) {
    ASSIGN_OR_RETURN(affected, own_facts(s, actor));
  }
  auto& flags = affected.flags;
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));

  return with_sla(s, *timeframes, shown_to(actor, write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<Ticket> {
    // DESK-6: the user acted for must be within the caller's reach: a representative's
    // represented users, a customer's organisation, anyone for staff.
    if (for_someone_else) {
      ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::for_actor(actor), *in.on_behalf_of));
      if (!user || !user->active) {
        Problems q;
        q.add("on_behalf_of", "no such user");
        return fail(q.error());
      }
      if (!actor.staff() && identity::reach_of(actor) == identity::Reach::self)
        return fail(Code::permission_denied, "Only representatives, customers and staff raise tickets for others.");
      t.on_behalf_of = user->id;
      t.organization_id = user->organization_id;
      affected = {user->flags, user->language, user->time_zone};
    } else {
      if (actor.organization_id.empty()) {
        Problems q;
        q.add("on_behalf_of", "is required: name the user this is for");
        return fail(q.error());
      }
      t.organization_id = actor.organization_id;
    }
    ASSIGN_OR_RETURN(t.number, storage::ticket_store::next_number(c));
    TimelineDraft draft(s, actor, t, channel, outbox);
    Json created{{"type", tk::to_string(t.type)}, {"subject", t.subject}, {"status", t.status}, {"on_behalf_of", nullable(t.on_behalf_of)}};
    for (const auto& [key, value] : in.facts) created[key] = value;
    draft.add("created", Visibility::public_, t.description, created);
    // DESK-2: the ordered classification rules, then the priority; every rule that fired is
    // named on the timeline (internal: rules may name teams and vulnerable users' flags).
    ASSIGN_OR_RETURN(auto rules, active_classification_rules(c));
    // A rule whose team is gone, or whose skill no team has, leaves the routing to later rules;
    // the teams are read only when a rule routes at all.
    std::vector<tk::TeamSkills> teams;
    if (std::ranges::any_of(rules, [](const tk::ClassificationRule& r) { return r.then.team_id || r.then.skill; })) {
      ASSIGN_OR_RETURN(teams, team_skills(c));
    }
    auto classified = tk::classify(
        rules, {t.type, t.channel, t.organization_id, t.subject, t.description, flags, affected.language, affected.time_zone, t.service_id},
        &teams);
    for (const auto& rule : classified.fired)
      draft.add("rule_fired", Visibility::internal, rule.effect, Json{{"rule", rule.name}, {"effect", rule.effect}});
    if (classified.set.category) t.category = *classified.set.category;
    if (classified.set.team_id) {
      t.team_id = *classified.set.team_id;
    } else if (classified.set.skill) {
      // REL-4: the team with the skill that speaks the affected user's language, if any does.
      auto team = tk::team_with_skill(teams, *classified.set.skill, affected.language);
      if (team) t.team_id = *team;
      draft.add("rule_fired", Visibility::internal, team ? "skill " + *classified.set.skill + " → team " + *team : "no team has skill " + *classified.set.skill,
                Json{{"rule", "skill:" + *classified.set.skill}, {"team_id", nullable(team)}});
    }
    apply_priority_rules(t, flags, draft, classified.set.priority);
    // DESK-8: moments of truth at the first contact — a complaint; words that say the
    // relationship is turning bad; the person back within days of a resolution.
    std::vector<storage::RecoveryTask> recovery;
    auto moment = [&](std::string signal, const Json& detail) -> Result<void> {
      ASSIGN_OR_RETURN(auto task, recovery_task_for(c, s, t, std::move(signal), draft, detail));
      if (task) recovery.push_back(std::move(*task));
      return {};
    };
    if (t.type == tk::Type::complaint) TRY(moment("complaint", Json::object()));
    if (auto phrase = feedback::negative_phrase(t.subject + "\n" + t.description)) TRY(moment("negative_sentiment", Json{{"phrase", *phrase}}));
    // A catalog request is an order, not a person coming back about a problem.
    if (t.type != tk::Type::service_request) {
      ASSIGN_OR_RETURN(auto earlier, storage::ticket_store::resolved_about_since(
                                         c, t.affected_user_id(), to_millis(now - std::chrono::days(kRepeatContactDays)), t.id));
      if (earlier) TRY(moment("repeat_contact", Json{{"earlier_ticket_id", *earlier}}));
    }
    if (in.decide) TRY(in.decide(c, t, draft));
    ASSIGN_OR_RETURN(auto stored, facts_for_sla(c, *timeframes, t));
    // A catalog request's row is written after the ticket's: its type comes with the ticket.
    if (in.request_type_id) stored.request_type_id = in.request_type_id;
    draft.settle_sla(*timeframes, flags, stored);
    TRY(storage::ticket_store::insert(c, t));
    if (in.write_after) TRY(in.write_after(c, t));
    for (const auto& task : recovery) TRY(storage::recovery_tasks::insert(c, task));
    TRY(draft.append_all(c));
    TRY(record(c, s, actor, {"ticket.create", "ticket", t.id, t.organization_id, std::nullopt, canonical(t)}));
    return t;
  })));
}

Result<std::vector<BulkResult>> bulk_update_tickets(const Services& s, const Actor& actor, const std::vector<std::string>& ids,
                                                    const TicketPatch& patch) {
  TRY(authorize(actor, "ticket.bulk_update"));
  Problems p;
  if (ids.empty() || ids.size() > kBulkLimit) p.add("ids", "give 1 to " + std::to_string(kBulkLimit) + " ticket ids");
  if (std::set<std::string>(ids.begin(), ids.end()).size() != ids.size()) p.add("ids", "must not repeat a ticket");
  if (patch.fields().empty()) p.add("changes", "must change at least one field");
  if (p.any()) return fail(p.error());
  std::vector<BulkResult> out;
  for (const auto& id : ids) out.push_back({id, update_ticket(s, actor, id, std::nullopt, patch)});
  return out;
}

Result<storage::TicketFilter> ticket_filter(const Actor& actor, const FilterParams& params) {
  Error e(Code::invalid_argument, "Some query parameters are invalid.");
  storage::TicketFilter f;
  auto words = [](const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
      auto end = text.find(',', start);
      if (end == std::string::npos) end = text.size();
      out.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return out;
  };
  auto each = [&](const std::string& key, auto parse, auto allowed, auto& into) {
    auto it = params.find(key);
    if (it == params.end()) return;
    for (const auto& w : words(it->second)) {
      if (auto v = parse(w)) into.push_back(*v);
      else e.details.push_back({key, "unknown value '" + w + "'; allowed: " + tk::allowed_names(allowed)});
    }
  };
  for (const auto& [key, value] : params)
    if (std::find(std::begin(kFilterKeys), std::end(kFilterKeys), key) == std::end(kFilterKeys))
      e.details.push_back({key, "is not a ticket filter"});
  each("type", tk::parse_type, tk::all_types(), f.types);
  each("priority", tk::parse_priority, tk::all_priorities(), f.priorities);
  if (auto it = params.find("status"); it != params.end()) f.statuses = words(it->second);
  auto text = [&](const char* key) -> std::optional<std::string> {
    auto it = params.find(key);
    return it == params.end() ? std::nullopt : std::optional(it->second);
  };
  f.organization_id = text("organization_id");
  f.team_id = text("team_id");
  f.requester_id = text("requester_id");
  f.tag = text("tag");
  if (auto assignee = text("assignee_id")) {
    if (*assignee == "me") f.assignee_id = actor.user_id;  // "my work"
    else if (*assignee == "none") f.unassigned = true;
    else f.assignee_id = *assignee;
  }
  if (auto sort = text("sort")) {
    if (*sort == "-created_at") f.sort = storage::TicketSort::newest;
    else if (*sort == "created_at") f.sort = storage::TicketSort::oldest;
    else if (*sort == "-updated_at") f.sort = storage::TicketSort::recently_updated;
    else if (*sort == "-priority") f.sort = storage::TicketSort::priority;
    else e.details.push_back({"sort", "allowed: -created_at, created_at, -updated_at, -priority"});
  }
  // A filter naming another organisation is refused rather than silently emptied.
  if (f.organization_id && !identity::may_see_organization(actor, *f.organization_id))
    e.details.push_back({"organization_id", "no such organisation"});
  // Triage is the desk's (as_seen_by): a consumer filtering by it would read it back.
  if (!actor.staff())
    for (const char* key : {"team_id", "assignee_id", "tag"})
      if (params.contains(key)) e.details.push_back({key, "is for the service desk's staff only"});
  if (!e.details.empty()) return fail(std::move(e));
  return f;
}

Result<Ticket> get_ticket(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "ticket.read"));
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  return with_sla(s, *timeframes, shown_to(actor, s.db.read([&](storage::Connection& c) { return load_ticket(c, actor, id); })));
}

Result<storage::Page<Ticket>> list_tickets(const Services& s, const Actor& actor, const storage::TicketFilter& filter,
                                           const storage::PageRequest& page) {
  TRY(authorize(actor, "ticket.read"));
  // A filter naming another organisation is refused rather than silently emptied.
  if (filter.organization_id && !identity::may_see_organization(actor, *filter.organization_id)) {
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    e.details.push_back({"organization_id", "no such organisation"});
    return fail(std::move(e));
  }
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  ASSIGN_OR_RETURN(auto found, s.db.read([&](storage::Connection& c) {
    return storage::ticket_store::list(c, Scope::for_actor(actor), filter, page);
  }));
  for (auto& t : found.items) t = as_seen_by(actor, std::move(t));
  read_slas(*timeframes, found.items, s.clock.now());
  return found;
}

Result<Ticket> update_ticket(const Services& s, const Actor& actor, std::string_view id,
                             std::optional<std::int64_t> expected_version, const TicketPatch& patch) {
  TRY(authorize(actor, "ticket.update"));
  Problems p;
  if (patch.subject) check_text(p, "subject", *patch.subject, kSubjectLimit);
  if (patch.description && patch.description->size() > kTextLimit)
    p.add("description", "must be at most " + std::to_string(kTextLimit) + " bytes");
  if (patch.category && patch.category->size() > 100) p.add("category", "must be at most 100 bytes");
  if (patch.service_id && *patch.service_id) {
    ASSIGN_OR_RETURN(bool usable, service_usable(s, actor, **patch.service_id));
    if (!usable) p.add("service_id", "no such service");
  }
  std::vector<std::string> tags;
  if (patch.tags) tags = normalized_tags(*patch.tags, p);
  if (p.any()) return fail(p.error());
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));

  return with_sla(s, *timeframes, shown_to(actor, write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<Ticket> {
    ASSIGN_OR_RETURN(auto t, load_ticket(c, actor, id, storage::Lock::for_update));
    if (!actor.staff()) {
      ASSIGN_OR_RETURN(bool own, is_requester_side(c, actor, t));
      for (const auto& field : patch.fields())
        if (!own || (field != "subject" && field != "description" && field != "watchers"))
          return fail(Code::permission_denied, "You may not change " + field + " of this ticket.");
    }
    if (expected_version && t.version != *expected_version)
      return fail(Code::failed_precondition, "The ticket was changed by someone else; reload it.");
    Problems q;
    std::vector<std::string> watchers;
    if (patch.watchers) {
      ASSIGN_OR_RETURN(watchers, checked_watchers(c, *patch.watchers, t.organization_id, q));
    }
    if (patch.assignee_id && *patch.assignee_id) TRY(check_assignee(c, **patch.assignee_id, q));
    if (patch.team_id && *patch.team_id) TRY(check_team(c, **patch.team_id, q));
    if (q.any()) return fail(q.error());

    auto before = canonical(t);
    Json public_changes = Json::array(), internal_changes = Json::array();
    auto change = [&](const char* field, Json from, Json to, Visibility v) {
      if (from == to) return;
      (v == Visibility::public_ ? public_changes : internal_changes)
          .push_back(Json{{"field", field}, {"from", std::move(from)}, {"to", std::move(to)}});
    };
    bool text_changed = false;
    if (patch.subject) {
      auto subject = trimmed(*patch.subject);
      text_changed |= subject != t.subject;
      change("subject", t.subject, subject, Visibility::public_);
      t.subject = subject;
    }
    if (patch.description) {
      text_changed |= *patch.description != t.description;
      change("description", t.description, *patch.description, Visibility::public_);
      t.description = *patch.description;
    }
    if (patch.category) change("category", t.category, *patch.category, Visibility::internal), t.category = *patch.category;
    if (patch.service_id)
      change("service_id", nullable(t.service_id), nullable(*patch.service_id), Visibility::public_), t.service_id = *patch.service_id;
    if (patch.team_id) change("team_id", nullable(t.team_id), nullable(*patch.team_id), Visibility::internal), t.team_id = *patch.team_id;
    if (patch.assignee_id)
      change("assignee_id", nullable(t.assignee_id), nullable(*patch.assignee_id), Visibility::internal),
          t.assignee_id = *patch.assignee_id;
    if (patch.tags) change("tags", t.tags, tags, Visibility::internal), t.tags = tags;
    if (patch.watchers) change("watchers", t.watchers, watchers, Visibility::internal), t.watchers = watchers;
    if (patch.major_incident)
      change("major_incident", t.major_incident, *patch.major_incident, Visibility::public_), t.major_incident = *patch.major_incident;

    TimelineDraft draft(s, actor, t, tk::Channel::portal, outbox);
    auto old_priority = t.priority;
    auto before_impact = t.impact, before_urgency = t.urgency;
    if (patch.impact) change("impact", tk::to_string(t.impact), tk::to_string(*patch.impact), Visibility::public_), t.impact = *patch.impact;
    if (patch.urgency) change("urgency", tk::to_string(t.urgency), tk::to_string(*patch.urgency), Visibility::public_), t.urgency = *patch.urgency;
    if (patch.priority) {
      t.priority = *patch.priority;
    } else if ((patch.impact && *patch.impact != before_impact) || (patch.urgency && *patch.urgency != before_urgency)) {
      ASSIGN_OR_RETURN(auto flags, flags_of(c, t.affected_user_id()));
      apply_priority_rules(t, flags, draft);
    }
    change("priority", tk::to_string(old_priority), tk::to_string(t.priority), Visibility::public_);

    if (public_changes.empty() && internal_changes.empty()) return t;  // nothing changed: no new version
    if (!public_changes.empty()) draft.add("fields_changed", Visibility::public_, "", Json{{"changes", public_changes}});
    if (!internal_changes.empty()) draft.add("fields_changed", Visibility::internal, "", Json{{"changes", internal_changes}});
    TRY(draft.settle_sla(c, *timeframes));  // a new priority or impact may bring another policy
    t.version += 1;
    t.updated_at = draft.now();
    TRY(storage::ticket_store::update(c, t, text_changed));
    TRY(draft.append_all(c));
    TRY(record(c, s, actor, {"ticket.update", "ticket", t.id, t.organization_id, before, canonical(t)}));
    return t;
  })));
}

Result<Ticket> transition_ticket(const Services& s, const Actor& actor, std::string_view id, const TransitionInput& in) {
  TRY(authorize(actor, "ticket.read"));
  Problems p;
  std::set<std::string> provided;
  for (const auto& [field, value] : {std::pair{"resolution", &in.resolution}, std::pair{"recovery_action", &in.recovery_action},
                                     std::pair{"credited_to", &in.credited_to}}) {
    if (!*value) continue;
    check_long_text(p, field, **value);
    provided.insert(field);
  }
  if (p.any()) return fail(p.error());
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));

  return with_sla(s, *timeframes, shown_to(actor, write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<Ticket> {
    ASSIGN_OR_RETURN(auto t, load_ticket(c, actor, id, storage::Lock::for_update));
    if (in.expected_version && *in.expected_version != t.version)
      return fail(Code::failed_precondition, "The ticket was changed by someone else; reload it.");
    const auto& flow = tk::Workflows::builtin().of(t.type);
    ASSIGN_OR_RETURN(bool requester_side, is_requester_side(c, actor, t));
    tk::Mover mover{actor.roles, requester_side};
    auto now = to_millis(s.clock.now());
    ASSIGN_OR_RETURN(const tk::Transition* move,
                     tk::decide_transition(flow, t.status, mover, {in.to, provided, now, t.resolved_at}));
    Problems q;
    if (in.credited_to) TRY(check_credited(c, *in.credited_to, q));
    if (q.any()) return fail(q.error());

    auto before = canonical(t);
    TimelineDraft draft(s, actor, t, tk::Channel::portal, outbox);
    const std::string from = t.status;
    Json data{{"from", from}, {"to", move->to}};
    if (move->reopens) data["reopened"] = true;
    std::string body;
    for (const auto& field : move->needs) {
      const auto& value = field == "resolution" ? in.resolution : field == "recovery_action" ? in.recovery_action : in.credited_to;
      data[field] = *value;
      if (field != "credited_to") body = *value;
    }
    enter_state(t, flow, move->to, now);
    draft.add("status_changed", Visibility::public_, body, data);
    // DESK-5: a catalog request's tasks open on entering fulfilment and end with the request.
    if (t.type == tk::Type::service_request) TRY(follow_status(c, s, t, from, draft));
    std::optional<storage::RecoveryTask> recovery;
    if (move->reopens) {
      ASSIGN_OR_RETURN(recovery, recovery_task_for(c, s, t, "reopen", draft));
    }
    TRY(draft.settle_sla(c, *timeframes));
    t.version += 1;
    t.updated_at = now;
    TRY(storage::ticket_store::update(c, t, false));
    if (recovery) TRY(storage::recovery_tasks::insert(c, *recovery));
    TRY(draft.append_all(c));
    TRY(fan_out(c, s, *timeframes, actor, t, body, Json{{"status", t.status}}, outbox));
    TRY(record(c, s, actor, {"ticket.transition", "ticket", t.id, t.organization_id, before, canonical(t)}));
    return t;
  })));
}

Result<TicketEvent> add_comment(const Services& s, const Actor& actor, std::string_view id, const NewComment& comment,
                                tk::Channel arrived_through) {
  TRY(authorize(actor, "ticket.comment"));
  if (comment.visibility == Visibility::internal) TRY(authorize(actor, "ticket.note"));
  Problems p;
  check_long_text(p, "body", comment.body);
  if (p.any()) return fail(p.error());
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  return write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<TicketEvent> {
    ASSIGN_OR_RETURN(auto t, load_ticket(c, actor, id, storage::Lock::for_update));
    auto before = canonical(t);
    bool internal = comment.visibility == Visibility::internal;
    TimelineDraft draft(s, actor, t, arrived_through, outbox);
    Json facts = Json::object();
    for (const auto& [key, value] : comment.facts) facts[key] = value;
    auto& event = draft.add(internal ? "note" : "comment", comment.visibility, comment.body, facts);
    auto event_copy = event;
    const auto& flow = tk::Workflows::builtin().of(t.type);
    bool moved = false;
    ASSIGN_OR_RETURN(bool requester_side, is_requester_side(c, actor, t));
    if (!internal && requester_side && flow.category_of(t.status) == tk::StateCategory::waiting) {
      for (const auto& move : flow.transitions) {
        if (move.from != t.status || !move.performers.contains(tk::Performer::requester) || !move.needs.empty() ||
            flow.category_of(move.to) != tk::StateCategory::open)
          continue;
        const std::string from = t.status;
        draft.add("status_changed", Visibility::public_, "", Json{{"from", from}, {"to", move.to}, {"by_reply", true}});
        enter_state(t, flow, move.to, draft.now());
        if (t.type == tk::Type::service_request) TRY(follow_status(c, s, t, from, draft));  // back in fulfilment
        t.version += 1;
        moved = true;
        break;
      }
    }
    // DESK-8: the person's own words may say the relationship is turning bad.
    std::optional<storage::RecoveryTask> recovery;
    if (!internal && requester_side) {
      if (auto phrase = feedback::negative_phrase(comment.body)) {
        ASSIGN_OR_RETURN(recovery, recovery_task_for(c, s, t, "negative_sentiment", draft, Json{{"phrase", *phrase}}));
      }
    }
    TRY(draft.settle_sla(c, *timeframes));
    t.updated_at = draft.now();
    // A reply alone is no new version of the ticket's fields: a PATCH in flight stays valid.
    if (moved) TRY(storage::ticket_store::update(c, t, false));
    else TRY(storage::ticket_store::touch(c, t));
    if (recovery) TRY(storage::recovery_tasks::insert(c, *recovery));
    TRY(draft.append_all(c));
    if (comment.write_after) TRY(comment.write_after(c, t, event_copy));
    if (!internal) TRY(fan_out(c, s, *timeframes, actor, t, comment.body, Json::object(), outbox));
    TRY(record(c, s, actor, {internal ? "ticket.note" : "ticket.comment", "ticket", t.id, t.organization_id, before,
                             canonical(t) + "event=" + event_copy.id + "\n"}));
    return event_copy;
  });
}

Result<TicketEvent> record_foreign_message(const Services& s, std::string_view id, const ForeignMessage& m) {
  Problems p;
  check_long_text(p, "body", m.body);
  if (p.any()) return fail(p.error());
  return write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<TicketEvent> {
    ASSIGN_OR_RETURN(auto found, storage::ticket_store::find(c, Scope::system(), id, storage::Lock::for_update));
    if (!found) return fail(Code::not_found, "No such ticket.");
    auto t = std::move(*found);
    auto actor = system_actor();
    TimelineDraft draft(s, actor, t, m.channel, outbox);
    Json data{{"from", m.from}, {"flagged", m.reason}};
    for (const auto& [key, value] : m.facts) data[key] = value;
    auto event = draft.add("message", Visibility::internal, m.body, data);
    TRY(storage::ticket_store::touch(c, t));  // the timeline's numbering; updated_at stays
    TRY(draft.append_all(c));
    if (m.write_after) TRY(m.write_after(c, event));
    TRY(record(c, s, actor, {"ticket.foreign_message", "ticket", t.id, t.organization_id, std::nullopt, "event=" + event.id + "\n"}));
    return event;
  });
}

Result<TicketEvent> log_call(const Services& s, const Actor& actor, std::string_view id, const NewCall& call) {
  TRY(authorize(actor, "ticket.call"));
  Problems p;
  check_long_text(p, "summary", call.summary);
  if (call.duration_seconds < 0 || call.duration_seconds > 24 * 3600) p.add("duration_seconds", "must be 0 to 86400");
  if (call.direction != "inbound" && call.direction != "outbound") p.add("direction", "must be inbound or outbound");
  if (call.phone && (call.phone->empty() || call.phone->size() > 50)) p.add("phone", "must be 1 to 50 bytes");
  if (p.any()) return fail(p.error());
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  return write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<TicketEvent> {
    ASSIGN_OR_RETURN(auto t, load_ticket(c, actor, id, storage::Lock::for_update));
    auto before = canonical(t);
    TimelineDraft draft(s, actor, t, tk::Channel::phone, outbox);
    auto event = draft.add("call", call.visibility, call.summary,
                           Json{{"duration_seconds", call.duration_seconds}, {"direction", call.direction},
                                {"phone", nullable(call.phone)}});
    TRY(draft.settle_sla(c, *timeframes));
    t.updated_at = draft.now();
    TRY(storage::ticket_store::touch(c, t));
    TRY(draft.append_all(c));
    if (call.write_after) TRY(call.write_after(c, event));
    TRY(record(c, s, actor, {"ticket.call", "ticket", t.id, t.organization_id, before, canonical(t) + "event=" + event.id + "\n"}));
    return event;
  });
}

Result<storage::Page<TicketEvent>> ticket_timeline(const Services& s, const Actor& actor, std::string_view id,
                                                   const storage::PageRequest& page) {
  TRY(authorize(actor, "ticket.read"));
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<TicketEvent>> {
    TRY(load_ticket(c, actor, id));
    return storage::timeline::list(c, Scope::for_actor(actor), id, page);
  });
}

Result<storage::TicketLink> link_tickets(const Services& s, const Actor& actor, std::string_view id, const LinkInput& link) {
  TRY(authorize(actor, "ticket.read"));
  Problems p;
  if (link.kind != "parent" && link.kind != "child" && link.kind != "related") p.add("kind", "must be parent, child or related");
  if (link.ticket_id == id) p.add("ticket_id", "a ticket cannot link to itself");
  if (p.any()) return fail(p.error());
  if (!actor.staff() && link.kind != "related") return fail(Code::permission_denied, "Only staff link parent and child tickets.");
  return write_publishing(s, [&](storage::Connection& c, Outbox& outbox) -> Result<storage::TicketLink> {
    using storage::Lock;
    ASSIGN_OR_RETURN(auto t, load_ticket(c, actor, id, Lock::for_update));
    ASSIGN_OR_RETURN(auto other, storage::ticket_store::find(c, Scope::for_actor(actor), link.ticket_id, Lock::for_update));
    if (!other) {
      Problems q;
      q.add("ticket_id", "no such ticket");
      return fail(q.error());
    }
    auto kind = link.kind == "related" ? storage::ticket_links::Kind::related : storage::ticket_links::Kind::parent_of;
    const Ticket& parent = link.kind == "parent" ? *other : t;
    const Ticket& child = link.kind == "parent" ? t : *other;
    if (kind == storage::ticket_links::Kind::parent_of) {
      // The parent must not descend from the child.
      std::optional<std::string> up = parent.id;
      for (int depth = 0; up && depth < 100; ++depth) {
        if (*up == child.id) return fail(Code::conflict, "That link would make a ticket its own ancestor.", "link_cycle");
        ASSIGN_OR_RETURN(up, storage::ticket_links::parent_of(c, *up));
      }
    }
    auto now = to_millis(s.clock.now());
    TRY(storage::ticket_links::add(c, kind == storage::ticket_links::Kind::parent_of ? parent.id : t.id,
                                   kind == storage::ticket_links::Kind::parent_of ? child.id : other->id, kind, actor.user_id, now));
    // Link events are internal: the other ticket may belong to another organisation.
    for (Ticket* side : {&t, &*other}) {
      const Ticket& far = side == &t ? *other : t;
      std::string as = kind == storage::ticket_links::Kind::related ? "related" : (far.id == parent.id ? "parent" : "child");
      TimelineDraft draft(s, actor, *side, tk::Channel::portal, outbox);
      draft.add("linked", Visibility::internal, "", Json{{"ticket_id", far.id}, {"number", far.number}, {"kind", as}});
      side->updated_at = now;
      TRY(storage::ticket_store::touch(c, *side));
      TRY(draft.append_all(c));
    }
    TRY(record(c, s, actor, {"ticket.link", "ticket", t.id, t.organization_id, std::nullopt,
                             "link\nfrom=" + t.id + "\nto=" + other->id + "\nkind=" + link.kind + "\n"}));
    return storage::TicketLink{t.id, other->id, link.kind, actor.user_id, now};
  });
}

Result<std::vector<storage::TicketLink>> ticket_links(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "ticket.read"));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<storage::TicketLink>> {
    TRY(load_ticket(c, actor, id));
    return storage::ticket_links::list(c, Scope::for_actor(actor), id);
  });
}

Result<storage::Page<storage::Notification>> list_notifications(const Services& s, const Actor& actor, bool unread_only,
                                                                const storage::PageRequest& page) {
  return s.db.read([&](storage::Connection& c) { return storage::notifications::list(c, actor.user_id, unread_only, page); });
}

Result<std::int64_t> unread_notifications(const Services& s, const Actor& actor) {
  return s.db.read([&](storage::Connection& c) { return storage::notifications::unread_count(c, actor.user_id); });
}

Result<storage::Notification> mark_notification_read(const Services& s, const Actor& actor, std::string_view id) {
  return s.db.write([&](storage::Connection& c) -> Result<storage::Notification> {
    ASSIGN_OR_RETURN(auto n, storage::notifications::mark_read(c, actor.user_id, id, to_millis(s.clock.now())));
    if (!n) return fail(Code::not_found, "No such notification.");
    return *n;
  });
}

Result<std::int64_t> mark_all_notifications_read(const Services& s, const Actor& actor) {
  return s.db.write([&](storage::Connection& c) {
    return storage::notifications::mark_all_read(c, actor.user_id, to_millis(s.clock.now()));
  });
}

Result<storage::Page<storage::RecoveryTask>> list_recovery_tasks(const Services& s, const Actor& actor, storage::RecoveryFilter filter,
                                                                 const storage::PageRequest& page) {
  TRY(authorize(actor, "recovery.manage"));
  if (!filter.status.empty() && filter.status != "open" && filter.status != "done") {
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    e.details.push_back({"status", "must be open or done"});
    return fail(std::move(e));
  }
  if (filter.assignee_id == "me") filter.assignee_id = actor.user_id;
  return s.db.read([&](storage::Connection& c) { return storage::recovery_tasks::list(c, filter, page); });
}

Result<storage::RecoveryTask> complete_recovery_task(const Services& s, const Actor& actor, std::string_view id, const std::string& note) {
  TRY(authorize(actor, "recovery.manage"));
  Problems p;
  check_long_text(p, "note", note);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::RecoveryTask> {
    ASSIGN_OR_RETURN(auto task, storage::recovery_tasks::find(c, id));
    if (!task) return fail(Code::not_found, "No such recovery task.");
    auto before = canonical(*task);
    task->status = "done";
    task->note = note;
    task->done_at = to_millis(s.clock.now());
    task->done_by = actor.user_id;
    TRY(storage::recovery_tasks::complete(c, *task));
    TRY(record(c, s, actor, {"recovery_task.complete", "recovery_task", task->id, task->organization_id, before, canonical(*task)}));
    return *task;
  });
}

Result<Actor> stream_subscriber(const Services& s, const Actor& actor) {
  TRY(authorize(actor, "ticket.read"));
  Actor subscriber = actor;
  if (identity::reach_of(actor) != identity::Reach::represented) return subscriber;
  ASSIGN_OR_RETURN(auto user, s.db.read([&](storage::Connection& c) { return storage::users::find(c, Scope::system(), actor.user_id); }));
  if (user) subscriber.represented_user_ids = user->represented_user_ids;
  return subscriber;
}

Result<SearchPage> search_tickets(const Services& s, const Actor& actor, std::string_view query, int limit,
                                  std::int64_t offset) {
  TRY(authorize(actor, "ticket.read"));
  ASSIGN_OR_RETURN(auto terms, search::parse_query(query));
  if (offset < 0 || offset > 10'000) {
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    e.details.push_back({"cursor", "is not a cursor this server gave out"});
    return fail(std::move(e));
  }
  return s.db.read([&](storage::Connection& c) -> Result<SearchPage> {
    ASSIGN_OR_RETURN(auto hits, storage::ticket_search::find(c, Scope::for_actor(actor), terms, limit + 1, int(offset)));
    SearchPage page;
    if (hits.size() > std::size_t(limit)) {
      hits.pop_back();
      page.next_offset = offset + limit;
    }
    for (auto& hit : hits) hit.ticket = as_seen_by(actor, std::move(hit.ticket));
    page.hits = std::move(hits);
    return page;
  });
}

Result<void> hand_over_ticket(storage::Connection& c, const Services& s, const Actor& actor, std::string_view id,
                              const std::string& from_user, const std::string& to_user) {
  ASSIGN_OR_RETURN(auto found, storage::ticket_store::find(c, Scope::system(), id, storage::Lock::for_update));
  if (!found) return fail(Code::not_found, "No such ticket.");
  auto t = std::move(*found);
  auto before = canonical(t);
  Json changes = Json::array();
  bool requester_side = false;
  if (!to_user.empty() && t.requester_id == from_user) {
    changes.push_back(Json{{"field", "requester_id"}, {"from", from_user}, {"to", to_user}});
    t.requester_id = to_user;
    requester_side = true;
  }
  if (!to_user.empty() && t.on_behalf_of == from_user) {
    changes.push_back(Json{{"field", "on_behalf_of"}, {"from", from_user}, {"to", to_user}});
    t.on_behalf_of = to_user;
    requester_side = true;
  }
  // A member of staff who leaves: their work goes to the one named, or back to their team's queue.
  if (t.assignee_id == from_user) {
    changes.push_back(Json{{"field", "assignee_id"}, {"from", from_user}, {"to", to_user.empty() ? Json(nullptr) : Json(to_user)}});
    t.assignee_id = to_user.empty() ? std::nullopt : std::optional<std::string>(to_user);
  }
  if (changes.empty()) return {};
  // The offboarding's write publishes nothing live; the event reaches people as a notification.
  // Who works a ticket is the desk's business: a change of assignee alone is an internal entry.
  Outbox outbox;
  TimelineDraft draft(s, actor, t, tk::Channel::portal, outbox);
  draft.add("handed_over", requester_side ? Visibility::public_ : Visibility::internal, "", Json{{"changes", changes}});
  t.version += 1;
  t.updated_at = draft.now();
  if (requester_side) TRY(storage::ticket_store::hand_over(c, t.id, from_user, to_user));
  TRY(storage::ticket_store::update(c, t, /*text_changed=*/false));
  TRY(draft.append_all(c));
  return record(c, s, actor, {"ticket.hand_over", "ticket", t.id, t.organization_id, before, canonical(t)});
}

}  // namespace tandem::usecase
