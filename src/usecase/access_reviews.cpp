#include "usecase/access_reviews.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/id.h"
#include "storage/organizations.h"
#include "storage/sessions.h"
#include "storage/subscriptions.h"
#include "storage/user_groups.h"
#include "storage/users.h"
#include "usecase/catalog.h"
#include "usecase/catalog_definitions.h"
#include "usecase/definition_access.h"

namespace tandem::usecase {
namespace {

using namespace catalog_definitions;

Json grant(std::string id, const char* kind, Json subject) {
  return {{"id", std::move(id)}, {"kind", kind}, {"subject", std::move(subject)}, {"decision", nullptr}, {"decided_by", nullptr},
          {"decided_at", nullptr}};
}

// Every grant the organisation's people hold now (`now`: the subscriptions held at that instant).
Result<Json> grants_of(storage::Connection& c, const Catalog& cat, std::string_view organization_id, std::int64_t now) {
  Json out = Json::array();
  std::vector<storage::User> people;
  storage::PageRequest page{500, ""};
  do {  // every person, however many: a review is of the whole organisation
    ASSIGN_OR_RETURN(auto found, storage::users::list(c, storage::Scope::system(), {std::string(organization_id), std::nullopt, true}, page));
    for (auto& u : found.items) people.push_back(std::move(u));
    page.after = found.next_after.value_or("");
  } while (!page.after.empty());
  for (const auto& u : people) {
    Json who = {{"user_id", u.id}, {"name", u.name}, {"email", u.email}};
    out.push_back(grant("account:" + u.id, "account", who));
    for (auto role : u.roles) {
      auto subject = who;
      subject["role"] = identity::to_string(role);
      out.push_back(grant(fmt::format("role:{}:{}", u.id, identity::to_string(role)), "role", subject));
    }
    ASSIGN_OR_RETURN(auto tokens, storage::access_tokens::list(c, u.id));
    for (const auto& t : tokens) {
      auto subject = who;
      subject["token_id"] = t.id;
      subject["token_name"] = t.name;
      out.push_back(grant("token:" + t.id, "token", subject));
    }
  }
  std::unordered_map<std::string, const storage::User*> by_id;
  for (const auto& u : people) by_id.emplace(u.id, &u);
  storage::PageRequest groups_page{500, ""};
  do {
    ASSIGN_OR_RETURN(auto groups, storage::user_groups::list(c, storage::Scope::system(), std::string(organization_id), groups_page));
    for (const auto& g : groups.items)
      for (const auto& member : g.member_ids) {
        auto person = by_id.find(member);
        out.push_back(grant(fmt::format("membership:{}:{}", g.id, member), "membership",
                            {{"group_id", g.id}, {"group", g.name}, {"user_id", member},
                             {"name", person == by_id.end() ? Json(nullptr) : Json(person->second->name)}}));
      }
    groups_page.after = groups.next_after.value_or("");
  } while (!groups_page.after.empty());
  // A rule is read by what it opens: its service's or request type's name, in both languages.
  for (const auto& r : cat.entitlement_rules) {
    if (r.rule.organization_id != organization_id) continue;
    Json subject = {{"entitlement_id", r.stored.id}, {r.for_service ? "service_id" : "request_type_id", r.rule.target_id}};
    const auto& at = r.for_service ? cat.service_at : cat.request_type_at;
    if (auto it = at.find(r.rule.target_id); it != at.end())
      subject["target"] = text_json(r.for_service ? cat.services[it->second].name : cat.request_types[it->second].name);
    out.push_back(grant("entitlement:" + r.stored.id, "entitlement", std::move(subject)));
  }
  // ONB-6: the tiers the organisation, or one of its people, holds now.
  storage::PageRequest held{500, ""};
  do {
    ASSIGN_OR_RETURN(auto found, storage::subscriptions::list(c, storage::Scope::system(),
                                                              {std::string(organization_id), std::nullopt, std::nullopt}, held));
    for (const auto& sub : found.items) {
      if (!sub.holds_at(now)) continue;
      Json subject = {{"subscription_id", sub.id}, {"offering_id", sub.offering_id}, {"tier_id", sub.tier_id},
                      {"user_id", sub.user_id ? Json(*sub.user_id) : Json(nullptr)}, {"name", nullptr}};
      if (auto tier = cat.tier_names.find(sub.tier_id); tier != cat.tier_names.end()) subject["tier"] = text_json(tier->second);
      if (sub.user_id)
        if (auto person = by_id.find(*sub.user_id); person != by_id.end()) subject["name"] = person->second->name;
      out.push_back(grant("subscription:" + sub.id, "subscription", std::move(subject)));
    }
    held.after = found.next_after.value_or("");
  } while (!held.after.empty());
  return out;
}

// A revocation's effect, in the review's transaction.
Result<void> revoke(storage::Connection& c, const Services& s, const identity::Actor& actor, const storage::AccessReview& review,
                    const Json& g) {
  auto kind = g["kind"].get<std::string>();
  const auto& subject = g["subject"];
  // A subscription of the whole organisation names no person (null).
  auto user_id = subject.contains("user_id") && subject["user_id"].is_string() ? subject["user_id"].get<std::string>() : std::string();
  if ((kind == "account" || kind == "role") && user_id == actor.user_id)
    return fail(Code::conflict, "You cannot revoke your own access here.", "self_revocation");
  if (kind == "account" || kind == "role") {
    ASSIGN_OR_RETURN(auto found, storage::users::find(c, storage::Scope::system(), user_id));
    if (!found || found->organization_id != review.organization_id || !found->active) return {};  // gone already
    auto u = std::move(*found);
    auto before = canonical(u);
    if (kind == "role") {
      auto role = identity::parse_role(subject.value("role", ""));
      if (u.roles.size() <= 1)
        return fail(Code::conflict, "This is the person's only role: revoke their account instead.", "last_role");
      std::erase_if(u.roles, [&](identity::Role r) { return role && r == *role; });
    } else {
      u.active = false;
    }
    u.version += 1;
    u.updated_at = to_millis(s.clock.now());
    TRY(storage::users::update(c, u));
    if (kind == "account") TRY(storage::sessions::revoke_all(c, u.id, ""));
    return record(c, s, actor, {kind == "account" ? "user.deactivate" : "user.update", "user", u.id, u.organization_id, before, canonical(u)});
  }
  // The review lists grants as they stood when it was opened: what moved out of the organisation
  // since is not its customer's to revoke.
  auto changed = [] { return fail(Error(Code::conflict, "This grant has changed since the review was opened: open a new review.", "grant_changed")); };
  if (kind == "token") {
    ASSIGN_OR_RETURN(auto owner, storage::users::find(c, storage::Scope::system(), user_id));
    if (!owner || owner->organization_id != review.organization_id) return changed();
    TRY(storage::access_tokens::remove(c, user_id, subject.value("token_id", "")));
    return record(c, s, actor, {"token.delete", "access_token", subject.value("token_id", ""), review.organization_id, std::nullopt, std::nullopt});
  }
  if (kind == "membership") {
    ASSIGN_OR_RETURN(auto found, storage::user_groups::find(c, storage::Scope::system(), subject.value("group_id", "")));
    if (!found) return {};
    if (found->organization_id != review.organization_id) return changed();
    auto group = std::move(*found);
    auto before = canonical(group);
    if (std::erase(group.member_ids, user_id) == 0) return {};
    group.version += 1;
    group.updated_at = to_millis(s.clock.now());
    TRY(storage::user_groups::update(c, group));
    return record(c, s, actor, {"group.update", "user_group", group.id, group.organization_id, before, canonical(group)});
  }
  if (kind == "entitlement") {
    ASSIGN_OR_RETURN(auto stored, storage::definitions::find(c, Kind::entitlement, subject.value("entitlement_id", "")));
    if (!stored) return {};
    auto rule = Json::parse(stored->definition);
    if (!rule.value("organization_id", Json()).is_string() || rule["organization_id"].get<std::string>() != review.organization_id)
      return changed();
    return remove_definition(c, s, actor, Kind::entitlement, "entitlement", *stored);
  }
  if (kind == "subscription") {
    // Revoked: the subscription ends now, as a tier change ends one; a month's invoice charges
    // it up to this instant.
    ASSIGN_OR_RETURN(auto found, storage::subscriptions::find(c, storage::Scope::system(), subject.value("subscription_id", ""),
                                                              storage::Lock::for_update));
    if (!found) return {};
    if (found->organization_id != review.organization_id) return changed();
    auto sub = std::move(*found);
    auto now = to_millis(s.clock.now());
    if (!sub.holds_at(now)) return {};  // ended already
    auto before = storage::canonical(sub);
    sub.ends_at = std::max(now, sub.starts_at + 1);
    sub.version += 1;
    sub.updated_at = now;
    TRY(storage::subscriptions::update(c, sub));
    return record(c, s, actor, {"subscription.update", "subscription", sub.id, sub.organization_id, before, storage::canonical(sub)});
  }
  return {};
}

}  // namespace

Result<storage::AccessReview> open_access_review(const Services& s, const Actor& actor, std::string_view organization_id) {
  TRY(authorize(actor, "access_review.manage"));
  // The grants are gathered in a read — one query per person for their tokens, which would hold
  // every other writer up in the write — and written as they were read.
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  auto now = to_millis(s.clock.now());
  ASSIGN_OR_RETURN(auto found, s.db.read([&](storage::Connection& c) -> Result<Json> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, storage::Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    if (org->kind != identity::OrganizationKind::consumer)
      return fail(Code::conflict, "The provider's own staff are reviewed by its administrators, not here.", "provider_review");
    return grants_of(c, *cat, org->id, now);
  }));
  return s.db.write([&](storage::Connection& c) -> Result<storage::AccessReview> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, storage::Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    storage::AccessReview r{new_id("acr", s.clock.now()), org->id, actor.user_id, std::int64_t(found.size()), 0, 1, now, now};
    std::vector<storage::ReviewGrant> grants;
    grants.reserve(found.size());
    for (std::size_t i = 0; i < found.size(); ++i)
      grants.push_back({r.id, std::int64_t(i), found[i]["id"].get<std::string>(), found[i]["kind"].get<std::string>(), found[i]["subject"].dump(),
                        std::nullopt, std::nullopt, std::nullopt});
    TRY(storage::access_reviews::insert(c, r, grants));
    TRY(record(c, s, actor, {"access_review.open", "access_review", r.id, r.organization_id, std::nullopt, canonical(r)}));
    return r;
  });
}

Result<storage::AccessReview> get_access_review(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "access_review.manage"));
  return s.db.read([&](storage::Connection& c) -> Result<storage::AccessReview> {
    ASSIGN_OR_RETURN(auto found, storage::access_reviews::find(c, storage::Scope::for_actor(actor), id));
    if (!found) return fail(Code::not_found, "No such access review.");
    return std::move(*found);
  });
}

Result<storage::Page<storage::AccessReview>> list_access_reviews(const Services& s, const Actor& actor, const storage::PageRequest& page) {
  TRY(authorize(actor, "access_review.manage"));
  return s.db.read([&](storage::Connection& c) { return storage::access_reviews::list(c, storage::Scope::for_actor(actor), page); });
}

Result<storage::Page<storage::ReviewGrant>> list_review_grants(const Services& s, const Actor& actor, std::string_view review_id,
                                                              const storage::PageRequest& page) {
  TRY(authorize(actor, "access_review.manage"));
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<storage::ReviewGrant>> {
    ASSIGN_OR_RETURN(auto found, storage::access_reviews::find(c, storage::Scope::for_actor(actor), review_id));
    if (!found) return fail(Code::not_found, "No such access review.");
    return storage::access_reviews::grants(c, found->id, page);
  });
}

Result<GrantDecision> decide_grant(const Services& s, const Actor& actor, std::string_view review_id, std::string_view grant_id,
                                   std::string_view decision) {
  TRY(authorize(actor, "access_review.manage"));
  if (decision != "confirm" && decision != "revoke") {
    Problems p;
    p.add("decision", "allowed: confirm, revoke");
    return fail(p.error());
  }
  return s.db.write([&](storage::Connection& c) -> Result<GrantDecision> {
    ASSIGN_OR_RETURN(auto found, storage::access_reviews::find(c, storage::Scope::for_actor(actor), review_id, storage::Lock::for_update));
    if (!found) return fail(Code::not_found, "No such access review.");
    auto review = std::move(*found);
    ASSIGN_OR_RETURN(auto held, storage::access_reviews::find_grant(c, review.id, grant_id));
    if (!held) {
      Problems p;
      p.add("grant_id", "is not a grant of this review");
      return fail(p.error());
    }
    auto g = std::move(*held);
    if (g.decision == "revoke")
      return fail(Error(Code::conflict, "This grant is revoked already: a revocation is not undone here.", "already_revoked"));
    auto before = canonical(g);
    if (decision == "revoke") TRY(revoke(c, s, actor, review, Json{{"kind", g.kind}, {"subject", Json::parse(g.subject)}}));
    if (!g.decision) review.decided_count += 1;
    g.decision = std::string(decision);
    g.decided_by = actor.user_id;
    g.decided_at = to_millis(s.clock.now());
    review.version += 1;
    review.updated_at = *g.decided_at;
    TRY(storage::access_reviews::decide(c, review, g));
    TRY(record(c, s, actor, {"access_review.decide", "access_review", review.id, review.organization_id, before, canonical(g)}));
    return GrantDecision{std::move(review), std::move(g)};
  });
}

}  // namespace tandem::usecase
