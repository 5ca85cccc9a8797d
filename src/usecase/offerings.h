// ONB-6, DESK-5: service offerings, their tiers with prices, and who holds which tier when
// (subscriptions). The car-share club's "Regular" tier is a monthly fee and a low booking fee,
// "Occasional" no monthly fee and a higher booking fee: prices are decimal (domain/catalog/money.h)
// and texts translatable, as everywhere in the catalog. A tier held decides what entitlement
// rules needing it allow (usecase/catalog) and which SLA policies naming it apply.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/catalog/localized_text.h"
#include "domain/catalog/money.h"
#include "storage/definitions.h"
#include "storage/subscriptions.h"
#include "usecase/catalog.h"
#include "usecase/context.h"

namespace tandem::usecase {

// The fields of an offering's and a tier's body; any other is refused by name.
inline constexpr std::array<std::string_view, 6> kOfferingFields = {"service_id",  "name",  "description",
                                                                    "tier_change", "order", "active"};
inline constexpr std::array<std::string_view, 7> kTierFields = {"offering_id", "name",  "description", "monthly_fee",
                                                                "usage_prices", "order", "active"};

// When a holder's change of tier takes effect (the offering's terms).
enum class TierChange { next_period, now };

struct OfferingView {
  storage::StoredDefinition stored;
  std::optional<std::string> service_id;
  catalog::LocalizedText name, description;
  TierChange tier_change = TierChange::next_period;
};

struct TierView {
  storage::StoredDefinition stored;
  std::string offering_id;
  catalog::LocalizedText name, description;
  catalog::Money monthly_fee;
  std::map<std::string, catalog::Money> usage_prices;  // by kind of usage, e.g. "booking"
};

Result<OfferingView> create_offering(const Services& s, const identity::Actor& actor, const CatalogInput& in);
Result<std::vector<OfferingView>> list_offerings(const Services& s, const identity::Actor& actor);
Result<OfferingView> get_offering(const Services& s, const identity::Actor& actor, std::string_view id);
Result<OfferingView> update_offering(const Services& s, const identity::Actor& actor, std::string_view id,
                                     std::int64_t expected_version, const CatalogInput& patch);
// conflict while it has tiers.
Result<void> delete_offering(const Services& s, const identity::Actor& actor, std::string_view id);

// A stored tier as the use cases read it (its definition was checked when saved).
TierView tier_view(storage::StoredDefinition stored);

Result<TierView> create_tier(const Services& s, const identity::Actor& actor, const CatalogInput& in);
Result<std::vector<TierView>> list_tiers(const Services& s, const identity::Actor& actor);
Result<TierView> get_tier(const Services& s, const identity::Actor& actor, std::string_view id);
Result<TierView> update_tier(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t expected_version,
                             const CatalogInput& patch);
// conflict while subscriptions, entitlement rules or SLA policies name it.
Result<void> delete_tier(const Services& s, const identity::Actor& actor, std::string_view id);

struct NewSubscription {
  std::string tier_id;
  std::optional<std::string> organization_id;  // the holder: an organisation…
  std::optional<std::string> user_id;          // …or one of its users
  std::optional<std::int64_t> starts_at;       // ms; now when not given
  std::optional<std::int64_t> ends_at;
};
struct SubscriptionPatch {
  std::optional<std::int64_t> starts_at;
  std::optional<std::optional<std::int64_t>> ends_at;  // null: open-ended
};
// A holder has at most one subscription to an offering at any instant (conflict otherwise).
Result<storage::Subscription> create_subscription(const Services& s, const identity::Actor& actor, const NewSubscription& in);
Result<storage::Page<storage::Subscription>> list_subscriptions(const Services& s, const identity::Actor& actor,
                                                                const storage::subscriptions::Filter& filter,
                                                                const storage::PageRequest& page);
Result<storage::Subscription> get_subscription(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Subscription> update_subscription(const Services& s, const identity::Actor& actor, std::string_view id,
                                                  std::int64_t expected_version, const SubscriptionPatch& patch);
Result<void> delete_subscription(const Services& s, const identity::Actor& actor, std::string_view id);

// ONB-6: the holder changes tier themselves — a user their own subscription, a customer their
// organisation's (staff who manage subscriptions any). The offering's terms say when: at once,
// or from the first day of next month (UTC). The current subscription ends then and one for the
// new tier starts, until the old one's end; choosing again before a scheduled change takes
// effect replaces the choice. Charges for part of a month come from these periods (invoices).
struct TierChangeResult {
  storage::Subscription previous;  // ending at the change
  storage::Subscription next;      // starting at the change
};
Result<TierChangeResult> change_tier(const Services& s, const identity::Actor& actor, std::string_view subscription_id,
                                     const std::string& tier_id);

// The tiers the user holds at `at`, through their organisation or themselves.
Result<std::vector<std::string>> tiers_held(storage::Connection& c, const std::string& organization_id, const std::string& user_id,
                                            Time at);

}  // namespace tandem::usecase
