// Groups of a customer organisation's people (issue "Service catalog" §3): the provider's
// administrators and relationship managers keep them for any customer, a customer for their own
// organisation; entitlement rules may name one (catalog.h), and SCIM will push them (ONB-13).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/user_groups.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct GroupPatch {
  std::optional<std::string> organization_id;  // on creation only; a customer's own by default
  std::optional<std::string> name, description;
  std::optional<std::optional<std::string>> external_id;  // null clears
  std::optional<std::vector<std::string>> member_ids;
};

Result<storage::UserGroup> create_group(const Services& s, const identity::Actor& actor,
                                        const GroupPatch& in);
Result<storage::UserGroup> get_group(const Services& s, const identity::Actor& actor,
                                     std::string_view id);
Result<storage::Page<storage::UserGroup>> list_groups(
    const Services& s, const identity::Actor& actor,
    const std::optional<std::string>& organization_id, const storage::PageRequest& page);
// The organisation of a group does not change.
Result<storage::UserGroup> update_group(const Services& s, const identity::Actor& actor,
                                        std::string_view id, std::int64_t expected_version,
                                        const GroupPatch& patch);
// conflict while an entitlement rule names the group.
Result<void> delete_group(const Services& s, const identity::Actor& actor, std::string_view id);

}  // namespace tandem::usecase
