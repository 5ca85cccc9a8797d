#include "usecase/queues.h"

#include <nlohmann/json.hpp>

#include "core/id.h"
#include "storage/teams.h"
#include "storage/users.h"
#include "usecase/sla_policies.h"
#include "usecase/ticket_sla.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using storage::Scope;
using Json = nlohmann::json;

FilterParams params_of(const storage::Queue& q) {
  FilterParams out;
  auto j = Json::parse(q.filter, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items())
    if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

Result<QueueView> view(storage::Connection& c, const Actor& actor, storage::Queue q) {
  ASSIGN_OR_RETURN(auto filter, ticket_filter(actor, params_of(q)));
  ASSIGN_OR_RETURN(auto n, storage::ticket_store::count(c, Scope::for_actor(actor), filter));
  return QueueView{std::move(q), n};
}

Result<storage::Queue> load(storage::Connection& c, const Actor& actor, std::string_view id) {
  ASSIGN_OR_RETURN(auto q, storage::queues::find(c, actor.user_id, id));
  if (!q) return fail(Code::not_found, "No such queue.");
  return std::move(*q);
}

}  // namespace

Result<QueueView> create_queue(const Services& s, const Actor& actor, const NewQueue& in) {
  TRY(authorize(actor, "queue.manage"));
  Problems p;
  check_text(p, "name", in.name, 100);
  auto filter = ticket_filter(actor, in.filter);
  if (!filter)
    for (const auto& d : filter.error().details) p.add("filter." + d.field, d.problem);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<QueueView> {
    // References in the filter must exist now, so a queue never silently shows nothing.
    Problems q;
    if (filter->team_id) {
      ASSIGN_OR_RETURN(auto team, storage::teams::find(c, *filter->team_id));
      if (!team) q.add("filter.team_id", "no such team");
    }
    if (filter->assignee_id && in.filter.at("assignee_id") != "me") {
      ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), *filter->assignee_id));
      if (!user || !identity::is_staff(user->roles)) q.add("filter.assignee_id", "must be a member of staff, me or none");
    }
    if (q.any()) return fail(q.error());
    Json stored = Json::object();
    for (const auto& [k, v] : in.filter) stored[k] = v;
    auto now = to_millis(s.clock.now());
    storage::Queue queue{new_id("que", s.clock.now()), trimmed(in.name), in.shared ? std::nullopt : std::optional(actor.user_id),
                         stored.dump(), actor.user_id, 1, now, now};
    TRY(storage::queues::insert(c, queue));
    TRY(record(c, s, actor, {"queue.create", "queue", queue.id, actor.organization_id, std::nullopt, canonical(queue)}));
    return view(c, actor, std::move(queue));
  });
}

Result<storage::Page<QueueView>> list_queues(const Services& s, const Actor& actor, const storage::PageRequest& page) {
  TRY(authorize(actor, "queue.manage"));
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<QueueView>> {
    ASSIGN_OR_RETURN(auto queues, storage::queues::list(c, actor.user_id, page));
    storage::Page<QueueView> out{{}, queues.next_after};
    for (auto& q : queues.items) {
      ASSIGN_OR_RETURN(auto v, view(c, actor, std::move(q)));
      out.items.push_back(std::move(v));
    }
    return out;
  });
}

Result<QueueView> get_queue(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "queue.manage"));
  return s.db.read([&](storage::Connection& c) -> Result<QueueView> {
    ASSIGN_OR_RETURN(auto q, load(c, actor, id));
    return view(c, actor, std::move(q));
  });
}

Result<storage::Page<storage::Ticket>> queue_tickets(const Services& s, const Actor& actor, std::string_view id,
                                                     const storage::PageRequest& page) {
  TRY(authorize(actor, "queue.manage"));
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  ASSIGN_OR_RETURN(auto found, s.db.read([&](storage::Connection& c) -> Result<storage::Page<storage::Ticket>> {
    ASSIGN_OR_RETURN(auto q, load(c, actor, id));
    ASSIGN_OR_RETURN(auto filter, ticket_filter(actor, params_of(q)));
    return storage::ticket_store::list(c, Scope::for_actor(actor), filter, page);
  }));
  read_slas(*timeframes, found.items, s.clock.now());
  return found;
}

Result<void> delete_queue(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "queue.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto q, load(c, actor, id));
    if (!q.owner_id && q.created_by != actor.user_id && !identity::has_role(actor.roles, identity::Role::admin))
      return fail(Code::permission_denied, "Only its creator or an administrator removes a shared queue.");
    TRY(storage::queues::remove(c, q.id));
    return record(c, s, actor, {"queue.delete", "queue", q.id, actor.organization_id, canonical(q), std::nullopt});
  });
}

}  // namespace tandem::usecase
