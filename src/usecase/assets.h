// OFF-1: assets lent to people — a laptop, a phone, a car key, a badge — registered by the
// provider's staff or the organisation's customer, held by one person of the organisation, and
// returned or written off (each once, with a note); an offboarding waits until nothing is held.
#pragma once

#include <optional>
#include <string>

#include "storage/assets.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct AssetInput {
  std::optional<std::string> name, kind, assigned_to, organization_id, note;
};

Result<storage::Asset> create_asset(const Services& s, const identity::Actor& actor, const AssetInput& in);
Result<storage::Asset> get_asset(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<storage::Asset>> list_assets(const Services& s, const identity::Actor& actor,
                                                  const storage::AssetFilter& filter, const storage::PageRequest& page);
// `to`: returned or written_off, from assigned only; conflict `asset_settled` otherwise.
Result<storage::Asset> settle_asset(const Services& s, const identity::Actor& actor, std::string_view id, const std::string& to,
                                    const std::string& note);

}  // namespace tandem::usecase
