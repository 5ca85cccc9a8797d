// ONB-7: terms and conditions per service or offering, versioned, in both languages. An
// administrator writes them (a new text is a new draft version) and publishes the latest version;
// from then on the catalog lets a consumer request the service's items only once they have
// accepted that version — a new published version asks again. An acceptance records who, when,
// which version and through which channel.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog/entitlement.h"
#include "domain/catalog/localized_text.h"
#include "storage/definitions.h"
#include "storage/terms_acceptances.h"
#include "usecase/catalog.h"
#include "usecase/context.h"

namespace tandem::usecase {

inline constexpr std::array<std::string_view, 6> kTermsFields = {"title", "text", "service_id", "offering_id", "order", "active"};

struct TermsVersion {
  std::int64_t number = 1;
  catalog::LocalizedText text;
  std::optional<std::int64_t> published_at;
};

struct TermsView {
  storage::StoredDefinition stored;
  catalog::LocalizedText title;
  std::optional<std::string> service_id;   // the terms of a service
  std::optional<std::string> offering_id;  // or of an offering (covering its service)
  std::string covers_service_id;           // the service whose items they cover
  std::vector<TermsVersion> versions;      // oldest first
  std::optional<std::int64_t> current;     // the published version people accept
};

Result<TermsView> create_terms(const Services& s, const identity::Actor& actor, const CatalogInput& in);
Result<std::vector<TermsView>> list_terms(const Services& s, const identity::Actor& actor);
Result<TermsView> get_terms(const Services& s, const identity::Actor& actor, std::string_view id);
// A new `text` is a new draft version (or replaces a draft not yet published).
Result<TermsView> update_terms(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t expected_version,
                               const CatalogInput& patch);
// conflict once a version was published: published terms are the record of what people accepted.
Result<void> delete_terms(const Services& s, const identity::Actor& actor, std::string_view id);
// The latest version becomes the current one; conflict when it is already.
Result<TermsView> publish_terms(const Services& s, const identity::Actor& actor, std::string_view id);
// The caller accepts the current version (again: the acceptance they gave before).
Result<storage::TermsAcceptance> accept_terms(const Services& s, const identity::Actor& actor, std::string_view id,
                                              std::string_view channel);

// Makes `e` ineligible, naming each published terms of `service_id` the reader has not accepted
// in its current version: a service's terms ask everyone, an offering's only those who hold one of
// its tiers (the reader's `offering_ids`).
void apply_terms(const std::unordered_map<std::string, std::vector<TermsRef>>& terms_of_service, std::string_view service_id,
                 const catalog::CatalogReader& reader, catalog::Entitlement& e);

}  // namespace tandem::usecase
