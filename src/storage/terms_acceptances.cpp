#include "storage/terms_acceptances.h"

#include <fmt/format.h>

namespace tandem::storage {

std::string canonical(const TermsAcceptance& a) {
  return fmt::format("terms_acceptance\nid={}\nterms={}\nversion={}\nuser={}\nchannel={}\n", a.id, a.terms_id, a.terms_version, a.user_id,
                     a.channel);
}

namespace terms_acceptances {

Result<void> insert(Connection& c, const TermsAcceptance& a) {
  TRY(c.execute("INSERT INTO terms_acceptances (id, terms_id, terms_version, user_id, organization_id, channel, accepted_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                {a.id, a.terms_id, a.terms_version, a.user_id, a.organization_id, a.channel, a.accepted_at}));
  return {};
}

Result<std::set<std::string>> accepted_by(Connection& c, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT terms_id, terms_version FROM terms_acceptances WHERE user_id = ?", {std::string(user_id)}));
  std::set<std::string> out;
  for (const auto& r : rows) out.insert(r.text(0) + "\n" + std::to_string(r.integer(1)));
  return out;
}

}  // namespace terms_acceptances
}  // namespace tandem::storage
