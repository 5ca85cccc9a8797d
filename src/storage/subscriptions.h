// ONB-6: who holds which tier of an offering, and when. An organisation's subscription covers
// all its users; a user's own covers them alone. Reads take a Scope: staff see all, a customer
// their organisation's, other consumers their organisation's and their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/scope.h"

namespace tandem::storage {

struct Subscription {
  std::string id;
  std::string offering_id;
  std::string tier_id;
  std::string organization_id;
  std::optional<std::string> user_id;  // none: the whole organisation
  std::int64_t starts_at = 0;
  std::optional<std::int64_t> ends_at;  // exclusive; none: open-ended
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;

  bool holds_at(std::int64_t t) const { return starts_at <= t && (!ends_at || t < *ends_at); }
};

std::string canonical(const Subscription& s);

namespace subscriptions {
Result<void> insert(Connection& c, const Subscription& s);
Result<std::optional<Subscription>> find(Connection& c, const Scope& scope, std::string_view id, Lock lock = Lock::none);
struct Filter {
  std::optional<std::string> organization_id, user_id, offering_id;
};
Result<Page<Subscription>> list(Connection& c, const Scope& scope, const Filter& filter, const PageRequest& page);
// failed_precondition when the stored version is not `s.version - 1`.
Result<void> update(Connection& c, const Subscription& s);
Result<void> remove(Connection& c, std::string_view id);
// Every subscription to the offering held by the organisation or (when given) the user, any
// time: what an overlap check reads. Unscoped: the use case has already checked the caller.
Result<std::vector<Subscription>> of_holder(Connection& c, std::string_view offering_id, std::string_view organization_id,
                                            const std::optional<std::string>& user_id);
// The tiers held at `at` by the organisation, through itself or (when given) the user.
Result<std::vector<std::string>> tiers_held(Connection& c, std::string_view organization_id, const std::string& user_id,
                                            std::int64_t at);
Result<bool> any_of_tier(Connection& c, std::string_view tier_id);
// Every subscription held for some of [start, end), by organisation then start: what a month's
// invoices charge. Unscoped: the invoice run is the provider's.
Result<std::vector<Subscription>> overlapping(Connection& c, std::int64_t start, std::int64_t end);
// OFF-1: the person's subscriptions end at `at` (those not begun yet go); how many changed.
Result<std::int64_t> end_for_user(Connection& c, std::string_view user_id, std::int64_t at);
// OFF-2: every subscription of the organisation, its own and its people's, ends at `at`.
Result<std::int64_t> end_for_organization(Connection& c, std::string_view organization_id, std::int64_t at);
// OFF-2: what a leaver ever held, by start: the person's own subscriptions when `user_id` is
// given, else the organisation's and all its people's. Unscoped: the settlement's.
Result<std::vector<Subscription>> of_leaver(Connection& c, std::string_view organization_id,
                                            const std::optional<std::string>& user_id);
}  // namespace subscriptions

}  // namespace tandem::storage
