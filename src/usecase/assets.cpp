#include "usecase/assets.h"

#include "core/id.h"
#include "storage/organizations.h"
#include "storage/users.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using storage::Scope;

bool known_kind(const std::string& kind) {
  for (auto k : {"laptop", "phone", "tablet", "car_key", "badge", "key", "card", "vehicle", "other"})
    if (kind == k) return true;
  return false;
}

}  // namespace

Result<storage::Asset> create_asset(const Services& s, const identity::Actor& actor, const AssetInput& in) {
  TRY(authorize(actor, "asset.manage"));
  Problems p;
  if (!in.name) p.add("name", "is required");
  else check_text(p, "name", *in.name);
  if (!in.kind) p.add("kind", "is required");
  else if (!known_kind(*in.kind)) p.add("kind", "allowed: laptop, phone, tablet, car_key, badge, key, card, vehicle, other");
  if (!in.assigned_to) p.add("assigned_to", "is required: the person who holds it");
  if (in.note && in.note->size() > 2000) p.add("note", "must be at most 2000 bytes");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Asset> {
    ASSIGN_OR_RETURN(auto holder, storage::users::find(c, Scope::for_actor(actor), *in.assigned_to));
    Problems q;
    if (!holder || holder->erased_at) q.add("assigned_to", "no such person");
    else if (!holder->active) q.add("assigned_to", "the person is deactivated");
    else if (in.organization_id && *in.organization_id != holder->organization_id)
      q.add("organization_id", "must be the holder's organisation");
    if (q.any()) return fail(q.error());
    auto now = s.clock.now();
    storage::Asset a;
    a.id = new_id("ast", now);
    a.organization_id = holder->organization_id;
    a.name = trimmed(*in.name);
    a.kind = *in.kind;
    a.assigned_to = holder->id;
    a.note = in.note.value_or("");
    a.created_at = a.updated_at = to_millis(now);
    TRY(storage::assets::insert(c, a));
    TRY(record(c, s, actor, {"asset.create", "asset", a.id, a.organization_id, std::nullopt, canonical(a)}));
    return a;
  });
}

Result<storage::Asset> get_asset(const Services& s, const identity::Actor& actor, std::string_view id) {
  TRY(authorize(actor, "asset.read"));
  ASSIGN_OR_RETURN(auto asset, s.db.read([&](storage::Connection& c) { return storage::assets::find(c, Scope::for_actor(actor), id); }));
  if (!asset) return fail(Code::not_found, "No such asset.");
  return std::move(*asset);
}

Result<storage::Page<storage::Asset>> list_assets(const Services& s, const identity::Actor& actor,
                                                  const storage::AssetFilter& filter, const storage::PageRequest& page) {
  TRY(authorize(actor, "asset.read"));
  return s.db.read([&](storage::Connection& c) { return storage::assets::list(c, Scope::for_actor(actor), filter, page); });
}

Result<storage::Asset> settle_asset(const Services& s, const identity::Actor& actor, std::string_view id, const std::string& to,
                                    const std::string& note) {
  TRY(authorize(actor, "asset.manage"));
  Problems p;
  if (to != "returned" && to != "written_off") p.add("to", "allowed: returned, written_off");
  if (note.size() > 2000) p.add("note", "must be at most 2000 bytes");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Asset> {
    ASSIGN_OR_RETURN(auto found, storage::assets::find(c, Scope::for_actor(actor), id, storage::Lock::for_update));
    if (!found) return fail(Code::not_found, "No such asset.");
    auto a = std::move(*found);
    if (a.state != "assigned")
      return fail(Code::conflict, "The asset is already " + a.state + ".", "asset_settled");
    auto before = canonical(a);
    a.state = to;
    if (!note.empty()) a.note = note;
    a.version += 1;
    a.updated_at = to_millis(s.clock.now());
    TRY(storage::assets::update(c, a));
    TRY(record(c, s, actor, {"asset." + to, "asset", a.id, a.organization_id, before, canonical(a)}));
    return a;
  });
}

}  // namespace tandem::usecase
