// REL-5: proactive communication. People follow a service's news through the channels they
// choose (portal, e-mail, SMS, push); staff write a broadcast — a maintenance window, a major
// incident's news, a notice — in each language and publish it once to the people it concerns:
// the service's subscribers (by their own channels; one who chose none hears nothing), and,
// when it names them, every person of some organisations and the people on a major incident
// (in the portal and by e-mail). Each hears it in their language; SMS and push go out through
// the outbound webhooks subscribed to broadcast.message (usecase/webhooks.h), which a gateway
// sends on. Everything a publication sends is written in its one transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/broadcasts.h"
#include "usecase/context.h"

namespace tandem::usecase {

// ---- subscriptions: a person's own --------------------------------------------------------

// Follows a service the caller may see in the catalog (not_found otherwise), or changes the
// channels of the one they have. `created` says which.
struct SubscriptionResult {
  storage::ServiceSubscription subscription;
  bool created = false;
};
Result<SubscriptionResult> subscribe_to_service(const Services& s, const identity::Actor& actor, std::string_view service_id,
                                                const std::vector<std::string>& channels);
Result<std::vector<storage::ServiceSubscription>> my_service_subscriptions(const Services& s, const identity::Actor& actor);
// The caller's own only (not_found for another's).
Result<void> unsubscribe_from_service(const Services& s, const identity::Actor& actor, std::string_view id);

// ---- broadcasts: staff write and publish; people read the ones that reached them ----------

// The body's fields, checked by the use case: kind, service_id, ticket_id, organization_ids,
// title and body (a string in the writer's language or an object by language), starts_at and
// ends_at (RFC 3339).
struct BroadcastInput {
  std::string fields_json = "{}";
};
Result<storage::Broadcast> create_broadcast(const Services& s, const identity::Actor& actor, const BroadcastInput& in);
// While it is a draft (conflict once published).
Result<storage::Broadcast> update_broadcast(const Services& s, const identity::Actor& actor, std::string_view id,
                                            std::int64_t expected_version, const BroadcastInput& patch);
// Staff: any; anyone else: one that reached them (not_found otherwise).
Result<storage::Broadcast> get_broadcast(const Services& s, const identity::Actor& actor, std::string_view id);
// `reached_me`: only those that reached the caller (staff otherwise see every one, drafts too).
Result<storage::Page<storage::Broadcast>> list_broadcasts(const Services& s, const identity::Actor& actor, bool reached_me,
                                                          const storage::PageRequest& page);
// Sends it to everyone it concerns, once (conflict when it was published already); its `reach`
// then counts the people and each channel's deliveries.
Result<storage::Broadcast> publish_broadcast(const Services& s, const identity::Actor& actor, std::string_view id,
                                             std::int64_t expected_version);
Result<storage::Page<storage::BroadcastRecipient>> broadcast_recipients(const Services& s, const identity::Actor& actor, std::string_view id,
                                                                        const storage::PageRequest& page);

}  // namespace tandem::usecase
