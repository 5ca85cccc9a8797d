// Live updates (REL-5, issue "Service desk core" §9): use cases publish what changed on a
// ticket after their transaction commits; the WebSocket stream delivers each change to the
// subscribers who may see it — never to another organisation, internal ones only to staff.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/identity/access.h"

namespace tandem::usecase {

struct TicketChange {
  std::string type;  // ticket.created, ticket.updated
  std::string ticket_id;
  std::int64_t version = 0;
  std::string event;         // the kind of the last timeline event (comment, status_changed, …)
  std::string public_event;  // the kind of the last public one: what consumers are told
  bool internal = false;     // every event of the change was internal: staff only
  // Who may see the ticket, for filtering without a query per subscriber.
  std::string organization_id;
  std::string requester_id;
  std::optional<std::string> on_behalf_of;
  std::vector<std::string> watchers;

  // What a subscriber receives: type, id, version and the event kind it may know of.
  std::string to_json(bool staff) const;
};

// Whether `subscriber` may be told of `change`: the same rule as Scope::tickets_condition.
// A representative's represented users are in `subscriber.represented_user_ids`.
bool may_receive(const identity::Actor& subscriber, const TicketChange& change);

// Thread-safe. Listeners run on the publishing thread and must only hand the change over.
class EventBus {
 public:
  using Listener = std::function<void(const TicketChange&)>;
  std::uint64_t subscribe(Listener listener);
  void unsubscribe(std::uint64_t id);
  void publish(const TicketChange& change) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::uint64_t, Listener> listeners_;
  std::uint64_t next_ = 1;
};

}  // namespace tandem::usecase
