#include "usecase/offerings.h"

#include <algorithm>

#include <date/date.h>

#include "core/id.h"
#include "storage/organizations.h"
#include "storage/ticket_requests.h"
#include "storage/users.h"
#include "usecase/catalog_definitions.h"

namespace tandem::usecase {
namespace {

using namespace catalog_definitions;

constexpr std::size_t kNameLimit = 200;
constexpr std::size_t kDescriptionLimit = 4000;
const TranslatableKind kOffering{Kind::offering, "offering", "off", kOfferingFields, "an offering", "No such offering.",
                                 "catalog.manage"};
const TranslatableKind kTier{Kind::tier, "tier", "tier", kTierFields, "a tier", "No such tier.", "catalog.manage"};

// ---- offerings ----------------------------------------------------------------------------

struct CheckedOffering {
  Json definition;
  OfferingView view;
};

Result<std::optional<CheckedOffering>> check_offering(storage::Connection& c, const Json& def, std::string_view language, Problems& p) {
  OfferingView v;
  if (auto service = id_field(def, "service_id", p)) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::service, *service));
    if (!found) p.add("service_id", "no such service");
    v.service_id = *service;
  }
  auto name = def.find("name");
  if (name == def.end() || name->is_null()) p.add("name", "is required");
  else v.name = text_of(*name, "name", language, kNameLimit, p).value_or(LocalizedText());
  v.description = optional_text(def, "description", language, kDescriptionLimit, p);
  if (auto change = def.find("tier_change"); change != def.end() && !change->is_null()) {
    if (*change == "now") v.tier_change = TierChange::now;
    else if (*change != "next_period")
      p.add("tier_change", "must be next_period (a new tier from the next month) or now (at once, the month prorated)");
  }
  if (p.any()) return std::optional<CheckedOffering>();
  Json definition = {{"service_id", v.service_id ? Json(*v.service_id) : Json(nullptr)},
                     {"name", text_json(v.name)},
                     {"description", text_json(v.description)},
                     {"tier_change", v.tier_change == TierChange::now ? "now" : "next_period"}};
  return std::optional<CheckedOffering>(CheckedOffering{std::move(definition), std::move(v)});
}

OfferingView offering_view(storage::StoredDefinition stored) {
  auto def = Json::parse(stored.definition);
  OfferingView v;
  if (def["service_id"].is_string()) v.service_id = def["service_id"].get<std::string>();
  v.name = stored_text(def["name"]);
  v.description = stored_text(def["description"]);
  v.tier_change = def["tier_change"] == "now" ? TierChange::now : TierChange::next_period;
  v.stored = std::move(stored);
  return v;
}

// ---- tiers --------------------------------------------------------------------------------

struct CheckedTier {
  Json definition;
  TierView view;
};

Result<std::optional<CheckedTier>> check_tier(storage::Connection& c, const Json& def, std::string_view language, Problems& p) {
  TierView v;
  if (auto offering = id_field(def, "offering_id", p)) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::offering, *offering));
    if (!found) p.add("offering_id", "no such offering");
    v.offering_id = *offering;
  } else {
    p.add("offering_id", "is required: the id of an offering");
  }
  auto name = def.find("name");
  if (name == def.end() || name->is_null()) p.add("name", "is required");
  else v.name = text_of(*name, "name", language, kNameLimit, p).value_or(LocalizedText());
  v.description = optional_text(def, "description", language, kDescriptionLimit, p);
  if (auto fee = def.find("monthly_fee"); fee != def.end() && !fee->is_null()) v.monthly_fee = money_of(*fee, "monthly_fee", p).value_or(Money());
  if (auto prices = def.find("usage_prices"); prices != def.end() && !prices->is_null()) {
    if (!prices->is_object() || prices->size() > 50)
      p.add("usage_prices", "must be an object of at most 50 prices by kind of usage, such as {\"booking\": \"2.00\"}");
    else
      for (const auto& [kind, price] : prices->items()) {
        if (kind.empty() || kind.size() > 64) p.add("usage_prices", "a kind of usage must be 1–64 bytes");
        else if (auto amount = money_of(price, "usage_prices." + kind, p)) v.usage_prices.emplace(kind, *amount);
      }
  }
  if (p.any()) return std::optional<CheckedTier>();
  Json prices = Json::object();
  for (const auto& [kind, price] : v.usage_prices) prices[kind] = price.to_string();
  Json definition = {{"offering_id", v.offering_id},
                     {"name", text_json(v.name)},
                     {"description", text_json(v.description)},
                     {"monthly_fee", v.monthly_fee.to_string()},
                     {"usage_prices", prices}};
  return std::optional<CheckedTier>(CheckedTier{std::move(definition), std::move(v)});
}


// ---- subscriptions ------------------------------------------------------------------------

bool overlaps(const storage::Subscription& a, std::int64_t starts_at, const std::optional<std::int64_t>& ends_at) {
  bool a_before = a.ends_at && *a.ends_at <= starts_at;
  bool a_after = ends_at && *ends_at <= a.starts_at;
  return !a_before && !a_after;
}

// A holder's subscriptions to one offering never overlap: at any instant one tier is theirs.
Result<void> refuse_overlap(storage::Connection& c, const storage::Subscription& s) {
  TRY(storage::ticket_requests::lock_holder(c, storage::QuotaHolder::organization, s.organization_id));
  ASSIGN_OR_RETURN(auto held, storage::subscriptions::of_holder(c, s.offering_id, s.organization_id, s.user_id));
  for (const auto& other : held)
    if (other.id != s.id && overlaps(other, s.starts_at, s.ends_at))
      return fail(Code::conflict, "The holder already has a subscription to this offering for part of that time (" + other.id +
                                      "); end it first, or start this one after it.");
  return {};
}

void check_period(const std::optional<std::int64_t>& starts_at, const std::optional<std::int64_t>& ends_at, Problems& p) {
  if (starts_at && ends_at && *ends_at <= *starts_at) p.add("ends_at", "must be after starts_at");
}

}  // namespace

// ---- offerings ----------------------------------------------------------------------------

Result<OfferingView> create_offering(const Services& s, const Actor& actor, const CatalogInput& in) {
  return create_translatable<OfferingView>(s, actor, kOffering, in.fields_json, [&](storage::Connection& c, const Json& def, Problems& p) {
    return check_offering(c, def, actor.language, p);
  });
}

namespace {

// Consumers see an active offering of a service they see, and any offering they hold (or held)
// a subscription to; staff see all. Another organisation's offerings are not shown.
Result<bool> offering_seen(const Services& s, const Actor& actor, const OfferingView& o) {
  if (actor.staff()) return true;
  if (o.stored.active && o.service_id) {
    ASSIGN_OR_RETURN(bool seen, service_usable(s, actor, *o.service_id));
    if (seen) return true;
  }
  ASSIGN_OR_RETURN(auto held, s.db.read([&](storage::Connection& c) {
    return storage::subscriptions::list(c, storage::Scope::for_actor(actor), {std::nullopt, std::nullopt, o.stored.id}, {1, ""});
  }));
  return !held.items.empty();
}

}  // namespace

Result<std::vector<OfferingView>> list_offerings(const Services& s, const Actor& actor) {
  ASSIGN_OR_RETURN(auto all, list_definitions(s, actor, "catalog.read", Kind::offering, offering_view));
  std::vector<OfferingView> out;
  for (auto& o : all) {
    ASSIGN_OR_RETURN(bool seen, offering_seen(s, actor, o));
    if (seen) out.push_back(std::move(o));
  }
  return out;
}

Result<OfferingView> get_offering(const Services& s, const Actor& actor, std::string_view id) {
  ASSIGN_OR_RETURN(auto o, get_definition(s, actor, "catalog.read", Kind::offering, id, "No such offering.", offering_view));
  ASSIGN_OR_RETURN(bool seen, offering_seen(s, actor, o));
  if (!seen) return fail(Code::not_found, "No such offering.");
  return o;
}

Result<OfferingView> update_offering(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                     const CatalogInput& patch) {
  return patch_translatable<OfferingView>(s, actor, kOffering, id, expected_version, patch.fields_json,
                                          [&](storage::Connection& c, const Json& def, Problems& p) {
                                            return check_offering(c, def, actor.language, p);
                                          });
}

Result<void> delete_offering(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, kOffering.manage));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, Kind::offering, id, "No such offering."));
    ASSIGN_OR_RETURN(auto tier, first_naming(c, Kind::tier, stored.id, {"offering_id"}));
    if (tier) return fail(Code::conflict, "The offering has tiers; remove them first.");
    ASSIGN_OR_RETURN(auto onboarding, first_naming(c, Kind::onboarding_template, stored.id, {"offering_id"}));
    if (onboarding)
      return fail(Code::conflict, "The onboarding template " + onboarding->id + " is attached to the offering; detach or remove it first.");
    return remove_definition(c, s, actor, Kind::offering, "offering", stored);
  });
}

// ---- tiers --------------------------------------------------------------------------------

Result<TierView> create_tier(const Services& s, const Actor& actor, const CatalogInput& in) {
  return create_translatable<TierView>(s, actor, kTier, in.fields_json, [&](storage::Connection& c, const Json& def, Problems& p) {
    return check_tier(c, def, actor.language, p);
  });
}

// A tier is seen with its offering.
Result<std::vector<TierView>> list_tiers(const Services& s, const Actor& actor) {
  ASSIGN_OR_RETURN(auto all, list_definitions(s, actor, "catalog.read", Kind::tier, tier_view));
  if (actor.staff()) return all;
  ASSIGN_OR_RETURN(auto offerings, list_offerings(s, actor));
  std::erase_if(all, [&](const TierView& t) {
    return std::none_of(offerings.begin(), offerings.end(), [&](const OfferingView& o) { return o.stored.id == t.offering_id; });
  });
  return all;
}

Result<TierView> get_tier(const Services& s, const Actor& actor, std::string_view id) {
  ASSIGN_OR_RETURN(auto tier, get_definition(s, actor, "catalog.read", Kind::tier, id, "No such tier.", tier_view));
  if (actor.staff()) return tier;
  auto offering = get_offering(s, actor, tier.offering_id);
  if (!offering) return fail(Code::not_found, "No such tier.");
  return tier;
}

Result<TierView> update_tier(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                             const CatalogInput& patch) {
  return patch_translatable<TierView>(
      s, actor, kTier, id, expected_version, patch.fields_json,
      [&](storage::Connection& c, const Json& def, Problems& p) -> Result<std::optional<CheckedTier>> {
        ASSIGN_OR_RETURN(auto was, storage::definitions::find(c, Kind::tier, id));
        if (was && Json::parse(was->definition)["offering_id"] != def["offering_id"])
          p.add("offering_id", "a tier stays in its offering; add a tier to the other offering instead");
        return check_tier(c, def, actor.language, p);
      });
}

Result<void> delete_tier(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "catalog.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, Kind::tier, id, "No such tier."));
    ASSIGN_OR_RETURN(bool held, storage::subscriptions::any_of_tier(c, stored.id));
    if (held) return fail(Code::conflict, "Subscriptions hold this tier, so it is kept for the record; retire it with \"active\": false.");
    ASSIGN_OR_RETURN(auto rule, first_naming(c, Kind::entitlement, stored.id, {"tier_id"}));
    if (rule) return fail(Code::conflict, "Entitlement rules need this tier; change them first.");
    ASSIGN_OR_RETURN(auto policy, first_naming(c, Kind::sla_policy, stored.id, {"conditions/offering_tier"}));
    if (policy) return fail(Code::conflict, "The SLA policy \"" + policy->name + "\" names this tier in its conditions; change it first.");
    return remove_definition(c, s, actor, Kind::tier, "tier", stored);
  });
}

// ---- subscriptions ------------------------------------------------------------------------

Result<storage::Subscription> create_subscription(const Services& s, const Actor& actor, const NewSubscription& in) {
  TRY(authorize(actor, "subscription.manage"));
  Problems p;
  if (in.tier_id.empty()) p.add("tier_id", "is required: the id of an offering tier");
  if (!in.organization_id && !in.user_id) p.add("organization_id", "name the holder: organization_id, user_id or both");
  check_period(in.starts_at, in.ends_at, p);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Subscription> {
    Problems q;
    storage::Subscription sub;
    auto now = to_millis(s.clock.now());
    ASSIGN_OR_RETURN(auto tier, storage::definitions::find(c, Kind::tier, in.tier_id));
    if (!tier) q.add("tier_id", "no such tier");
    else if (!tier->active) q.add("tier_id", "the tier is retired");
    else sub.offering_id = Json::parse(tier->definition)["offering_id"].get<std::string>();
    auto scope = storage::Scope::for_actor(actor);
    if (in.user_id) {
      ASSIGN_OR_RETURN(auto user, storage::users::find(c, scope, *in.user_id));
      if (!user || !user->active || identity::is_staff(user->roles)) q.add("user_id", "no such user of a customer organisation");
      else if (in.organization_id && *in.organization_id != user->organization_id) q.add("user_id", "is not in that organisation");
      else sub.organization_id = user->organization_id, sub.user_id = user->id;
    } else {
      ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, scope, *in.organization_id));
      if (!org || org->kind != identity::OrganizationKind::consumer) q.add("organization_id", "no such customer organisation");
      else sub.organization_id = org->id;
    }
    if (q.any()) return fail(q.error());
    sub.id = new_id("sub", s.clock.now());
    sub.tier_id = in.tier_id;
    sub.starts_at = in.starts_at.value_or(now);
    sub.ends_at = in.ends_at;
    if (sub.ends_at && *sub.ends_at <= sub.starts_at) {
      q.add("ends_at", "must be after starts_at");
      return fail(q.error());
    }
    sub.created_at = sub.updated_at = now;
    TRY(refuse_overlap(c, sub));
    TRY(storage::subscriptions::insert(c, sub));
    TRY(record(c, s, actor, {"subscription.create", "subscription", sub.id, sub.organization_id, std::nullopt, storage::canonical(sub)}));
    return sub;
  });
}

Result<storage::Page<storage::Subscription>> list_subscriptions(const Services& s, const Actor& actor,
                                                                const storage::subscriptions::Filter& filter,
                                                                const storage::PageRequest& page) {
  TRY(authorize(actor, "subscription.read"));
  return s.db.read([&](storage::Connection& c) {
    return storage::subscriptions::list(c, storage::Scope::for_actor(actor), filter, page);
  });
}

Result<storage::Subscription> get_subscription(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "subscription.read"));
  ASSIGN_OR_RETURN(auto found, s.db.read([&](storage::Connection& c) {
    return storage::subscriptions::find(c, storage::Scope::for_actor(actor), id);
  }));
  if (!found) return fail(Code::not_found, "No such subscription.");
  return std::move(*found);
}

Result<storage::Subscription> update_subscription(const Services& s, const Actor& actor, std::string_view id,
                                                  std::int64_t expected_version, const SubscriptionPatch& patch) {
  TRY(authorize(actor, "subscription.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::Subscription> {
    ASSIGN_OR_RETURN(auto found, storage::subscriptions::find(c, storage::Scope::for_actor(actor), id, storage::Lock::for_update));
    if (!found) return fail(Code::not_found, "No such subscription.");
    auto sub = std::move(*found);
    if (sub.version != expected_version) return fail(Code::failed_precondition, "The subscription was changed by someone else; reload it.");
    auto before = storage::canonical(sub);
    if (patch.starts_at) sub.starts_at = *patch.starts_at;
    if (patch.ends_at) sub.ends_at = *patch.ends_at;
    Problems p;
    check_period(sub.starts_at, sub.ends_at, p);
    if (p.any()) return fail(p.error());
    TRY(refuse_overlap(c, sub));
    sub.version += 1;
    sub.updated_at = to_millis(s.clock.now());
    TRY(storage::subscriptions::update(c, sub));
    TRY(record(c, s, actor, {"subscription.update", "subscription", sub.id, sub.organization_id, before, storage::canonical(sub)}));
    return sub;
  });
}

Result<void> delete_subscription(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "subscription.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto found, storage::subscriptions::find(c, storage::Scope::for_actor(actor), id));
    if (!found) return fail(Code::not_found, "No such subscription.");
    TRY(storage::subscriptions::remove(c, found->id));
    return record(c, s, actor, {"subscription.delete", "subscription", found->id, found->organization_id, storage::canonical(*found),
                                std::nullopt});
  });
}

namespace {

// The first instant of the month after `now`, in UTC.
std::int64_t next_month(Time now) {
  date::year_month_day today(date::floor<date::days>(now));
  auto first = (today.year() / today.month() / 1) + date::months(1);
  return to_millis(date::sys_days(first));
}

}  // namespace

Result<TierChangeResult> change_tier(const Services& s, const Actor& actor, std::string_view subscription_id, const std::string& tier_id) {
  TRY(authorize(actor, "subscription.change_tier"));
  return s.db.write([&](storage::Connection& c) -> Result<TierChangeResult> {
    auto scope = storage::Scope::for_actor(actor);
    ASSIGN_OR_RETURN(auto found, storage::subscriptions::find(c, scope, subscription_id, storage::Lock::for_update));
    if (!found) return fail(Code::not_found, "No such subscription.");
    auto current = std::move(*found);
    TRY(storage::ticket_requests::lock_holder(c, storage::QuotaHolder::organization, current.organization_id));
    bool own = current.user_id == actor.user_id;
    bool organisation_s = !current.user_id && identity::reach_of(actor) == identity::Reach::organization;
    if (!own && !organisation_s && !identity::Permissions::builtin().allows(actor, "subscription.manage"))
      return fail(Code::permission_denied, "Only the holder changes a subscription's tier: the user for their own, a customer for "
                                           "their organisation's.");
    Problems p;
    ASSIGN_OR_RETURN(auto tier, storage::definitions::find(c, Kind::tier, tier_id));
    if (!tier) p.add("tier_id", "no such tier");
    else if (!tier->active) p.add("tier_id", "the tier is retired");
    else if (Json::parse(tier->definition)["offering_id"] != current.offering_id) p.add("tier_id", "is a tier of another offering");
    if (p.any()) return fail(p.error());
    ASSIGN_OR_RETURN(auto offering, load_definition(c, Kind::offering, current.offering_id, "No such offering."));
    auto now = s.clock.now();
    auto at = offering_view(std::move(offering)).tier_change == TierChange::now ? to_millis(now) : next_month(now);
    // Around the instant of the change: the subscription held until then, and the one starting
    // then (a change already scheduled, or one that simply starts then).
    ASSIGN_OR_RETURN(auto held, storage::subscriptions::of_holder(c, current.offering_id, current.organization_id, current.user_id));
    auto until = std::find_if(held.begin(), held.end(), [&](const auto& h) { return h.starts_at < at && h.holds_at(at - 1); });
    auto from = std::find_if(held.begin(), held.end(), [&](const auto& h) { return h.starts_at == at; });
    std::optional<storage::Subscription> before, after;
    if (until != held.end()) before = *until;
    if (from != held.end()) after = *from;
    if ((!before || before->id != current.id) && (!after || after->id != current.id))
      return fail(Code::conflict, "The subscription is not the one held when the change would take effect; choose on that one.");

    auto stamp = to_millis(now);
    // The holder's rows were read under the holder's lock: a row changed since is another's.
    auto save = [&](storage::Subscription& sub) -> Result<void> {
      ASSIGN_OR_RETURN(auto stored, storage::subscriptions::find(c, storage::Scope::system(), sub.id));
      if (!stored || stored->version != sub.version) return fail(Code::conflict, "The subscriptions changed meanwhile; try again.");
      auto was = storage::canonical(*stored);
      sub.version = stored->version + 1;
      sub.updated_at = stamp;
      TRY(storage::subscriptions::update(c, sub));
      return record(c, s, actor, {"subscription.update", "subscription", sub.id, sub.organization_id, was, storage::canonical(sub)});
    };
    if (after) {
      if (before && before->tier_id == tier_id) {
        // Back to the tier held now: the scheduled change is called off.
        before->ends_at = after->ends_at;
        TRY(storage::subscriptions::remove(c, after->id));
        TRY(record(c, s, actor, {"subscription.delete", "subscription", after->id, after->organization_id, storage::canonical(*after),
                                 std::nullopt}));
        TRY(save(*before));
        return TierChangeResult{*before, *before};
      }
      if (after->tier_id == tier_id) {
        Problems q;
        q.add("tier_id", "is the tier already chosen from then");
        return fail(q.error());
      }
      after->tier_id = tier_id;
      TRY(save(*after));
      return TierChangeResult{before.value_or(*after), *after};
    }
    if (before->tier_id == tier_id) {
      Problems q;
      q.add("tier_id", "is the tier already held");
      return fail(q.error());
    }
    storage::Subscription next = *before;
    next.id = new_id("sub", now);
    next.tier_id = tier_id;
    next.starts_at = at;
    next.version = 1;
    next.created_at = next.updated_at = stamp;
    before->ends_at = at;
    TRY(save(*before));
    TRY(storage::subscriptions::insert(c, next));
    TRY(record(c, s, actor, {"subscription.create", "subscription", next.id, next.organization_id, std::nullopt, storage::canonical(next)}));
    return TierChangeResult{*before, next};
  });
}

Result<std::vector<std::string>> tiers_held(storage::Connection& c, const std::string& organization_id, const std::string& user_id,
                                            Time at) {
  return storage::subscriptions::tiers_held(c, organization_id, user_id, to_millis(at));
}

TierView tier_view(storage::StoredDefinition stored) {
  auto def = Json::parse(stored.definition);
  TierView v;
  v.offering_id = def["offering_id"].get<std::string>();
  v.name = stored_text(def["name"]);
  v.description = stored_text(def["description"]);
  v.monthly_fee = Money::parse(def["monthly_fee"].get<std::string>()).value_or(Money());
  for (const auto& [kind, price] : def["usage_prices"].items()) v.usage_prices.emplace(kind, Money::parse(price.get<std::string>()).value_or(Money()));
  v.stored = std::move(stored);
  return v;
}

}  // namespace tandem::usecase
