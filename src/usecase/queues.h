// Queues (issue "Service desk core" §6): saved ticket filters agents work from, with counts.
// Staff only. A queue's filter is read with the reading agent's scope, so "assignee_id=me" in
// a shared queue is each agent's own work.
#pragma once

#include "storage/queues.h"
#include "usecase/tickets.h"

namespace tandem::usecase {

struct NewQueue {
  std::string name;
  FilterParams filter;
  bool shared = false;  // with all staff; otherwise personal
};
struct QueueView {
  storage::Queue queue;
  std::int64_t count = 0;  // tickets the reader sees through it now
};

Result<QueueView> create_queue(const Services& s, const identity::Actor& actor, const NewQueue& queue);
Result<storage::Page<QueueView>> list_queues(const Services& s, const identity::Actor& actor, const storage::PageRequest& page);
Result<QueueView> get_queue(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<storage::Ticket>> queue_tickets(const Services& s, const identity::Actor& actor, std::string_view id,
                                                     const storage::PageRequest& page);
// The owner removes a personal queue; an administrator or its creator a shared one.
Result<void> delete_queue(const Services& s, const identity::Actor& actor, std::string_view id);

}  // namespace tandem::usecase
