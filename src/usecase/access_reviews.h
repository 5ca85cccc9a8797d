// ONB-12: an access review lists every grant an organisation's people hold — their accounts, their
// roles, their group memberships, their access tokens, the catalog's entitlement rules for the
// organisation (named by the service or request type they open) and the offering tiers held now
// by it or its people — for its customer to confirm or revoke. A revocation takes effect at once
// (an account is deactivated and its sessions end, a role or membership is taken away, a token
// or rule removed, a subscription ends); the review stays as the record of what was decided, by
// whom and when.
#pragma once

#include <string>
#include <string_view>

#include "storage/access_reviews.h"
#include "usecase/context.h"

namespace tandem::usecase {

Result<storage::AccessReview> open_access_review(const Services& s, const identity::Actor& actor, std::string_view organization_id);
Result<storage::AccessReview> get_access_review(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<storage::AccessReview>> list_access_reviews(const Services& s, const identity::Actor& actor,
                                                                 const storage::PageRequest& page);
// The review's grants in their order, a page at a time.
Result<storage::Page<storage::ReviewGrant>> list_review_grants(const Services& s, const identity::Actor& actor, std::string_view review_id,
                                                              const storage::PageRequest& page);
// `decision`: confirm or revoke. A revoked grant stays revoked.
struct GrantDecision {
  storage::AccessReview review;
  storage::ReviewGrant grant;
};
Result<GrantDecision> decide_grant(const Services& s, const identity::Actor& actor, std::string_view review_id, std::string_view grant_id,
                                   std::string_view decision);

}  // namespace tandem::usecase
