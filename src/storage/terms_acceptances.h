// ONB-7: each person's acceptance of a version of terms and conditions.
#pragma once

#include <set>
#include <string>

#include "storage/scope.h"

namespace tandem::storage {

struct TermsAcceptance {
  std::string id;
  std::string terms_id;
  std::int64_t terms_version = 0;
  std::string user_id;
  std::string organization_id;
  std::string channel;
  std::int64_t accepted_at = 0;
};

std::string canonical(const TermsAcceptance& a);

namespace terms_acceptances {
// conflict when the person accepted this version already.
Result<void> insert(Connection& c, const TermsAcceptance& a);
// The versions one person accepted: "<terms id>\n<version>".
Result<std::set<std::string>> accepted_by(Connection& c, std::string_view user_id);
}  // namespace terms_acceptances

}  // namespace tandem::storage
