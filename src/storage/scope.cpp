#include "storage/scope.h"

#include <fmt/format.h>

namespace tandem::storage {

Scope Scope::for_actor(const identity::Actor& actor) {
  Scope s;
  s.reach_ = identity::reach_of(actor);
  s.user_id_ = actor.user_id;
  s.organization_id_ = actor.organization_id;
  return s;
}

Scope Scope::system() {
  Scope s;
  s.reach_ = identity::Reach::everything;
  return s;
}

std::string Scope::users_condition(std::string_view alias, std::vector<Value>& params) const {
  switch (reach_) {
    case identity::Reach::everything:
      return "1 = 1";
    case identity::Reach::organization:
      params.emplace_back(organization_id_);
      return fmt::format("{}.organization_id = ?", alias);
    case identity::Reach::represented:
      params.emplace_back(user_id_);
      params.emplace_back(organization_id_);
      params.emplace_back(user_id_);
      return fmt::format(
          "({0}.id = ? OR ({0}.organization_id = ? AND {0}.id IN "
          "(SELECT user_id FROM representations WHERE representative_id = ?)))",
          alias);
    case identity::Reach::self:
      params.emplace_back(user_id_);
      return fmt::format("{}.id = ?", alias);
  }
  return "1 = 0";
}

std::string Scope::organization_condition(std::string_view column, std::vector<Value>& params) const {
  if (sees_everything()) return "1 = 1";
  params.emplace_back(organization_id_);
  return fmt::format("{} = ?", column);
}

std::string Scope::tickets_condition(std::string_view alias, std::vector<Value>& params) const {
  if (reach_ == identity::Reach::everything) return "1 = 1";
  params.emplace_back(organization_id_);
  if (reach_ == identity::Reach::organization) return fmt::format("{}.organization_id = ?", alias);
  params.emplace_back(user_id_);
  params.emplace_back(user_id_);
  params.emplace_back(user_id_);
  // One indexed lookup per way of being involved, rather than an OR that scans the whole
  // organisation's tickets.
  std::string own = fmt::format(
      "{}.organization_id = ? AND {}.id IN (SELECT id FROM tickets WHERE requester_id = ? "
      "UNION ALL SELECT id FROM tickets WHERE on_behalf_of = ? "
      "UNION ALL SELECT ticket_id FROM ticket_watchers WHERE user_id = ?",
      alias, alias);
  if (reach_ == identity::Reach::represented) {
    params.emplace_back(user_id_);
    params.emplace_back(user_id_);
    own +=
        " UNION ALL SELECT id FROM tickets WHERE requester_id IN (SELECT user_id FROM representations WHERE representative_id = ?)"
        " UNION ALL SELECT id FROM tickets WHERE on_behalf_of IN (SELECT user_id FROM representations WHERE representative_id = ?)";
  }
  return own + ")";
}

}  // namespace tandem::storage
