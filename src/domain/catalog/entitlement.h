// DESK-5, seed 7.4: who sees and who may request what in the catalog. A rule names a service
// (all its request types) or one request type, and says for whom: an organisation, a role, a
// group of an organisation's people, or anyone when it names none of them. Those decide what a reader sees; nothing else is shown to them
// anywhere. A rule may further need an offering tier or eligibility requirements: a reader who
// sees an item but lacks them is told exactly what is missing, so the catalog stays actionable.
#pragma once

#include <functional>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/identity/identity.h"

namespace tandem::catalog {

struct EntitlementRule {
  std::string id;
  std::string target_id;                // a service or a request type
  std::string organization_id;          // empty: every organisation
  std::optional<identity::Role> role;   // unset: every role
  std::string tier_id;                  // empty: no tier needed
  std::vector<std::string> requirement_ids;
  std::string group_id;  // empty: members of any group or none
};

// The consumer reading the catalog (provider staff see all of it and are never asked).
struct CatalogReader {
  std::string organization_id;
  std::vector<identity::Role> roles;
  std::vector<std::string> tier_ids;           // the offering tiers they hold, through their organisation or themselves
  std::vector<std::string> requirements_met;   // eligibility requirements they fulfil
  std::vector<std::string> group_ids;          // the groups of their organisation they belong to
  std::vector<std::string> terms_accepted;     // ONB-7: "<terms id>\n<version>" they accepted
  std::vector<std::string> offering_ids;       // ONB-7: the offerings of the tiers they hold, when some terms cover one
};

struct Missing {
  enum class Kind { tier, requirement, terms };  // terms: ONB-7, added by the use case (usecase/terms.h)
  Kind kind;
  std::string id;
  friend bool operator==(const Missing&, const Missing&) = default;
};

struct Entitlement {
  bool visible = false;
  bool eligible = false;
  std::vector<Missing> missing;  // when visible but not eligible: what the closest rule still needs
};

class Entitlements {
 public:
  Entitlements() = default;
  explicit Entitlements(std::vector<EntitlementRule> rules);

  // A request type of a service: seen when a rule for the type or for its service holds for
  // the reader's organisation and role; eligible when one of those also finds its tier and
  // requirements met. Otherwise `missing` is what the rule needing least still needs.
  Entitlement of_request_type(std::string_view service_id, std::string_view request_type_id, const CatalogReader& reader) const;
  // A service by its own rules (the catalog also shows a service one of whose types is seen).
  Entitlement of_service(std::string_view service_id, const CatalogReader& reader) const;

  const std::vector<EntitlementRule>& rules() const { return rules_; }

  // For a caller asking about the same targets many times (a catalog page of thousands of
  // request types): the rules naming a target, found once (nullptr when none), and the answer
  // of of_request_type from the rules of the type and of its service.
  using RuleIndices = std::vector<std::size_t>;
  const RuleIndices* rules_naming(std::string_view target_id) const;
  Entitlement of(const RuleIndices* type_rules, const RuleIndices* service_rules, const CatalogReader& reader) const;

 private:
  void weigh(const RuleIndices* rules, const CatalogReader& reader, Entitlement& out) const;
  std::vector<EntitlementRule> rules_;
  // Rules by target id. Hashed, not ordered: ids of one time share long prefixes, and a catalog
  // page looks up thousands of them.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::vector<std::size_t>, Hash, std::equal_to<>> by_target_;
};

}  // namespace tandem::catalog
