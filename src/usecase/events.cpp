#include "usecase/events.h"

#include <algorithm>

#include "core/log.h"

namespace tandem::usecase {

std::string TicketChange::to_json(bool staff) const {
  return "{\"type\":" + json_quote(type) + ",\"id\":" + json_quote(ticket_id) + ",\"version\":" + std::to_string(version) +
         ",\"event\":" + json_quote(staff ? event : public_event) + "}";
}

bool may_receive(const identity::Actor& a, const TicketChange& c) {
  using identity::Reach;
  auto reach = identity::reach_of(a);
  if (reach == Reach::everything) return true;
  if (c.internal || a.organization_id != c.organization_id) return false;
  if (reach == Reach::organization) return true;
  auto involves = [&](const std::string& user) {
    return c.requester_id == user || (c.on_behalf_of && *c.on_behalf_of == user) ||
           std::find(c.watchers.begin(), c.watchers.end(), user) != c.watchers.end();
  };
  if (involves(a.user_id)) return true;
  if (reach != Reach::represented) return false;
  return std::any_of(a.represented_user_ids.begin(), a.represented_user_ids.end(), [&](const std::string& represented) {
    return c.requester_id == represented || (c.on_behalf_of && *c.on_behalf_of == represented);
  });
}

std::uint64_t EventBus::subscribe(Listener listener) {
  std::lock_guard lock(mutex_);
  listeners_.emplace(next_, std::move(listener));
  return next_++;
}

void EventBus::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  listeners_.erase(id);
}

void EventBus::publish(const TicketChange& change) const {
  std::lock_guard lock(mutex_);
  for (const auto& [_, listener] : listeners_) listener(change);
}

}  // namespace tandem::usecase
