#include "usecase/groups.h"

#include <algorithm>

#include "core/id.h"
#include "storage/organizations.h"
#include "storage/users.h"
#include "usecase/catalog_definitions.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using storage::Scope;

constexpr std::size_t kMaxMembers = 10000;

void apply(storage::UserGroup& g, const GroupPatch& patch) {
  if (patch.name) g.name = trimmed(*patch.name);
  if (patch.description) g.description = *patch.description;
  if (patch.external_id) g.external_id = *patch.external_id;
  if (patch.member_ids) {
    g.member_ids = *patch.member_ids;
    std::sort(g.member_ids.begin(), g.member_ids.end());
  }
}

void check_fields(Problems& p, const storage::UserGroup& g) {
  check_text(p, "name", g.name);
  if (g.description.size() > 4000) p.add("description", "must be at most 4000 bytes");
  if (g.external_id && (g.external_id->empty() || g.external_id->size() > 200))
    p.add("external_id", "must be 1 to 200 bytes");
  if (g.member_ids.size() > kMaxMembers) p.add("member_ids", "must hold at most 10000 members");
  if (std::adjacent_find(g.member_ids.begin(), g.member_ids.end()) != g.member_ids.end())
    p.add("member_ids", "must not repeat a member");
}

// Against the store: a unique name in the organisation, and members who are its people.
Result<void> check_stored(storage::Connection& c, const storage::UserGroup& g) {
  Problems p;
  ASSIGN_OR_RETURN(auto named, storage::user_groups::id_named(c, g.organization_id, g.name));
  if (named && *named != g.id) p.add("name", "another group of the organisation has this name");
  for (const auto& id : g.member_ids) {
    ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), id));
    if (!user || user->organization_id != g.organization_id)
      p.add("member_ids", "not a member of the group's organisation: " + id);
  }
  if (p.any()) return fail(p.error());
  return {};
}

Result<storage::UserGroup> load(storage::Connection& c, const identity::Actor& actor,
                                std::string_view id) {
  ASSIGN_OR_RETURN(auto group, storage::user_groups::find(c, Scope::for_actor(actor), id));
  if (!group) return fail(Code::not_found, "No such group.");
  return std::move(*group);
}

}  // namespace

Result<storage::UserGroup> create_group(const Services& s, const identity::Actor& actor,
                                        const GroupPatch& in) {
  TRY(authorize(actor, "group.manage"));
  auto now = s.clock.now();
  storage::UserGroup g;
  g.id = new_id("grp", now);
  g.created_at = g.updated_at = to_millis(now);
  apply(g, in);
  Problems p;
  if (actor.staff()) {
    if (!in.organization_id)
      p.add("organization_id", "is required: the customer organisation the group belongs to");
    else
      g.organization_id = *in.organization_id;
  } else {
    g.organization_id = actor.organization_id;
    if (in.organization_id && *in.organization_id != actor.organization_id)
      p.add("organization_id", "must be your own organisation");
  }
  if (!in.name)
    p.add("name", "is required");
  else
    check_fields(p, g);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::UserGroup> {
    ASSIGN_OR_RETURN(auto org,
                     storage::organizations::find(c, Scope::for_actor(actor), g.organization_id));
    if (!org || org->kind != identity::OrganizationKind::consumer) {
      Problems q;
      q.add("organization_id", "no such customer organisation");
      return fail(q.error());
    }
    TRY(check_stored(c, g));
    TRY(storage::user_groups::insert(c, g));
    TRY(record(
        c, s, actor,
        {"group.create", "user_group", g.id, g.organization_id, std::nullopt, canonical(g)}));
    return g;
  });
}

Result<storage::UserGroup> get_group(const Services& s, const identity::Actor& actor,
                                     std::string_view id) {
  if (!authorize(actor, "group.read")) return fail(Code::not_found, "No such group.");
  return s.db.read([&](storage::Connection& c) { return load(c, actor, id); });
}

Result<storage::Page<storage::UserGroup>> list_groups(
    const Services& s, const identity::Actor& actor,
    const std::optional<std::string>& organization_id, const storage::PageRequest& page) {
  TRY(authorize(actor, "group.read"));
  return s.db.read([&](storage::Connection& c) {
    return storage::user_groups::list(c, Scope::for_actor(actor), organization_id, page);
  });
}

Result<storage::UserGroup> update_group(const Services& s, const identity::Actor& actor,
                                        std::string_view id, std::int64_t expected_version,
                                        const GroupPatch& patch) {
  TRY(authorize(actor, "group.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::UserGroup> {
    ASSIGN_OR_RETURN(auto g, load(c, actor, id));
    if (g.version != expected_version)
      return fail(Code::failed_precondition, "The group was changed by someone else; reload it.");
    auto before = canonical(g);
    apply(g, patch);
    Problems p;
    if (patch.organization_id && *patch.organization_id != g.organization_id)
      p.add("organization_id", "a group stays in its organisation");
    check_fields(p, g);
    if (p.any()) return fail(p.error());
    TRY(check_stored(c, g));
    g.version += 1;
    g.updated_at = to_millis(s.clock.now());
    TRY(storage::user_groups::update(c, g));
    TRY(record(c, s, actor,
               {"group.update", "user_group", g.id, g.organization_id, before, canonical(g)}));
    return g;
  });
}

Result<void> delete_group(const Services& s, const identity::Actor& actor, std::string_view id) {
  TRY(authorize(actor, "group.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto g, load(c, actor, id));
    ASSIGN_OR_RETURN(auto rule, catalog_definitions::first_naming(
                                    c, storage::DefinitionKind::entitlement, g.id, {"group_id"}));
    if (rule)
      return fail(Code::conflict,
                  "The entitlement rule " + rule->id + " names this group; remove it first.");
    TRY(storage::user_groups::remove(c, g.id));
    return record(
        c, s, actor,
        {"group.delete", "user_group", g.id, g.organization_id, canonical(g), std::nullopt});
  });
}

}  // namespace tandem::usecase
