// REL-5: proactive communication — who follows which service's news, through which channels,
// and the broadcasts staff publish (maintenance windows, major incidents' news, notices) with
// the people each reached. Reads take no scope: the use cases decide who may read what (staff
// every broadcast; a person the ones that reached them, and their own subscriptions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/scope.h"

namespace tandem::storage {

struct ServiceSubscription {
  std::string id;
  std::string user_id;
  std::string organization_id;
  std::string service_id;
  std::vector<std::string> channels;  // portal, email, sms, push; none: the person hears no broadcast of it
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};

struct Broadcast {
  std::string id;
  std::string kind;  // maintenance, major_incident, notice
  std::optional<std::string> service_id;
  std::optional<std::string> ticket_id;  // a major incident's
  std::vector<std::string> organization_ids;
  std::string title, body;  // JSON objects: language → text
  std::optional<std::int64_t> starts_at, ends_at;
  std::string state = "draft";  // draft, published
  std::string reach = "{}";     // JSON: how many people, and by each channel
  std::string created_by;
  std::optional<std::int64_t> published_at;
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};
std::string canonical(const Broadcast& b);

struct BroadcastRecipient {
  std::string broadcast_id, user_id, organization_id;
  std::vector<std::string> channels;
};

struct IncidentSpan {
  std::string ticket_id;
  std::int64_t start = 0;
  std::optional<std::int64_t> end;
};

namespace service_subscriptions {
Result<void> insert(Connection& c, const ServiceSubscription& s);
Result<void> update(Connection& c, const ServiceSubscription& s);
Result<void> remove(Connection& c, std::string_view id);
Result<std::optional<ServiceSubscription>> find(Connection& c, std::string_view id);
Result<std::optional<ServiceSubscription>> of_user(Connection& c, std::string_view user_id, std::string_view service_id, Lock lock);
// The user's, by service.
Result<std::vector<ServiceSubscription>> list_for_user(Connection& c, std::string_view user_id);
// Every subscription to the service (who to tell of it).
Result<std::vector<ServiceSubscription>> of_service(Connection& c, std::string_view service_id);
}  // namespace service_subscriptions

namespace broadcasts {
Result<void> insert(Connection& c, const Broadcast& b);
Result<void> update(Connection& c, const Broadcast& b);
Result<std::optional<Broadcast>> find(Connection& c, std::string_view id, Lock lock = Lock::none);
// Newest first; with `recipient`, only those that reached that user.
Result<Page<Broadcast>> list(Connection& c, const std::optional<std::string>& recipient, const PageRequest& page);
// FDB-4: the service's public broadcasts (addressed to no organisation in particular) published
// since `since` or ending after it, newest first, at most `limit`.
Result<std::vector<Broadcast>> published_for_service(Connection& c, std::string_view service_id, std::int64_t since, int limit);
// Each public major incident of the service told of (a ticket, its updates): from the earliest
// start any update gives to the end its newest update gives (none: still running), of any age.
Result<std::vector<IncidentSpan>> incident_spans(Connection& c, std::string_view service_id);
}  // namespace broadcasts

namespace broadcast_recipients {
Result<void> insert(Connection& c, const BroadcastRecipient& r);
Result<bool> reached(Connection& c, std::string_view broadcast_id, std::string_view user_id);
Result<Page<BroadcastRecipient>> list(Connection& c, std::string_view broadcast_id, const PageRequest& page);
}  // namespace broadcast_recipients

}  // namespace tandem::storage
