#include "usecase/broadcasts.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "core/id.h"
#include "domain/channels/broadcast.h"
#include "storage/definitions.h"
#include "storage/organizations.h"
#include "storage/tickets.h"
#include "storage/users.h"
#include "usecase/catalog.h"
#include "usecase/catalog_definitions.h"
#include "usecase/mail_out.h"
#include "usecase/validation.h"
#include "usecase/webhooks.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using Json = nlohmann::json;
using storage::Scope;
namespace texts = catalog_definitions;

constexpr std::size_t kTitleLimit = 200;
constexpr std::size_t kBodyLimit = 8000;
constexpr int kPeoplePage = 500;

Error not_found_broadcast() { return Error(Code::not_found, "No such broadcast."); }

Json parse_object(const std::string& text, Problems& p) {
  auto j = Json::parse(text, nullptr, false);
  if (!j.is_object()) {
    p.add("body", "must be a JSON object");
    return Json::object();
  }
  return j;
}

std::optional<std::string> optional_id(const Json& v, const char* field, Problems& p) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_string() || v.get<std::string>().empty()) {
    p.add(field, "must be an id or null");
    return std::nullopt;
  }
  return v.get<std::string>();
}

std::optional<std::int64_t> optional_time(const Json& v, const char* field, Problems& p) {
  if (v.is_null()) return std::nullopt;
  Time t;
  if (!v.is_string() || !parse_rfc3339(v.get<std::string>(), t)) {
    p.add(field, "must be an RFC 3339 time or null");
    return std::nullopt;
  }
  return to_millis(t);
}

// The body's fields onto `b` (a new one, or a draft being changed), each checked against the
// store; then what the whole must hold.
Result<void> apply(storage::Connection& c, storage::Broadcast& b, const Json& body, std::string_view language, bool creating, Problems& p) {
  for (const auto& [key, value] : body.items()) {
    if (key == "kind") {
      if (!value.is_string() || !channels::is_broadcast_kind(value.get<std::string>()))
        p.add("kind", "allowed: maintenance, major_incident, notice");
      else
        b.kind = value.get<std::string>();
    } else if (key == "service_id") {
      b.service_id = optional_id(value, "service_id", p);
      if (b.service_id) {
        ASSIGN_OR_RETURN(auto service, storage::definitions::find(c, storage::DefinitionKind::service, *b.service_id));
        if (!service) p.add("service_id", "no such service");
      }
    } else if (key == "ticket_id") {
      b.ticket_id = optional_id(value, "ticket_id", p);
      if (b.ticket_id) {
        ASSIGN_OR_RETURN(auto ticket, storage::ticket_store::find(c, Scope::system(), *b.ticket_id));
        if (!ticket || !ticket->major_incident) p.add("ticket_id", "must be a major incident");
        else if (!b.service_id && ticket->service_id && !body.contains("service_id")) b.service_id = ticket->service_id;
      }
    } else if (key == "organization_ids") {
      b.organization_ids.clear();
      if (!value.is_array()) {
        p.add("organization_ids", "must be a list of customer organisation ids");
        continue;
      }
      for (const auto& id : value) {
        if (!id.is_string()) {
          p.add("organization_ids", "must be a list of customer organisation ids");
          break;
        }
        ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::system(), id.get<std::string>()));
        if (!org || org->kind != identity::OrganizationKind::consumer) p.add("organization_ids", "no such customer organisation: " + id.get<std::string>());
        else if (std::ranges::find(b.organization_ids, org->id) == b.organization_ids.end()) b.organization_ids.push_back(org->id);
      }
    } else if (key == "title" || key == "body") {
      auto limit = key == "title" ? kTitleLimit : kBodyLimit;
      auto text = texts::text_of(value, key, language, limit, p);
      if (!text) continue;
      auto& stored = key == "title" ? b.title : b.body;
      stored = texts::text_json(texts::stored_text(Json::parse(stored, nullptr, false)).with(*text)).dump();
    } else if (key == "starts_at") {
      b.starts_at = optional_time(value, "starts_at", p);
    } else if (key == "ends_at") {
      b.ends_at = optional_time(value, "ends_at", p);
    } else {
      p.add(key, "is not a field of a broadcast; fields: kind, service_id, ticket_id, organization_ids, title, body, starts_at, ends_at");
    }
  }
  if (p.any()) return {};
  if (creating && b.kind.empty()) p.add("kind", "is required: maintenance, major_incident or notice");
  if (texts::stored_text(Json::parse(b.title, nullptr, false)).empty()) p.add("title", "is required: 1–200 bytes in one language or more");
  if (texts::stored_text(Json::parse(b.body, nullptr, false)).empty()) p.add("body", "is required: 1–8000 bytes in one language or more");
  if (b.kind == "maintenance") {
    if (!b.service_id) p.add("service_id", "is required for maintenance: the service it stops");
    if (!b.starts_at) p.add("starts_at", "is required for maintenance: when the window opens");
    if (!b.ends_at) p.add("ends_at", "is required for maintenance: when the window closes");
  }
  if (b.kind == "major_incident" && !b.ticket_id) p.add("ticket_id", "is required: the major incident it tells of");
  if (b.starts_at && b.ends_at && *b.ends_at <= *b.starts_at) p.add("ends_at", "must be after starts_at");
  return {};
}

// Who a publication concerns: the service's subscribers with their own channels, and the people
// it addresses (its organisations', those on its major incident).
struct Candidate {
  std::optional<std::vector<std::string>> subscription;
  bool addressed = false;
};

Result<std::map<std::string, Candidate>> audience(storage::Connection& c, const storage::Broadcast& b) {
  std::map<std::string, Candidate> people;
  if (b.service_id) {
    ASSIGN_OR_RETURN(auto subscribers, storage::service_subscriptions::of_service(c, *b.service_id));
    for (auto& sub : subscribers) people[sub.user_id].subscription = std::move(sub.channels);
  }
  for (const auto& org : b.organization_ids)
    for (std::int64_t offset = 0;; offset += kPeoplePage) {
      ASSIGN_OR_RETURN(auto page, storage::users::present_in_organization(c, org, offset, kPeoplePage));
      for (const auto& u : page) people[u.id].addressed = true;
      if (int(page.size()) < kPeoplePage) break;
    }
  if (b.ticket_id) {
    ASSIGN_OR_RETURN(auto major, storage::ticket_store::find(c, Scope::system(), *b.ticket_id));
    ASSIGN_OR_RETURN(auto children, storage::ticket_links::children_for_fan_out(c, *b.ticket_id));
    if (major) children.push_back(std::move(*major));
    for (const auto& t : children) {
      people[t.requester_id].addressed = true;
      if (t.on_behalf_of) people[*t.on_behalf_of].addressed = true;
    }
  }
  return people;
}

bool has(const std::vector<std::string>& channels, std::string_view c) { return std::ranges::find(channels, c) != channels.end(); }

}  // namespace

Result<SubscriptionResult> subscribe_to_service(const Services& s, const Actor& actor, std::string_view service_id,
                                                const std::vector<std::string>& channels) {
  TRY(authorize(actor, "catalog.read"));
  if (auto problem = channels::news_channels_problem(channels)) {
    Problems p;
    p.add("channels", *problem);
    return fail(p.error());
  }
  TRY(get_service(s, actor, service_id));  // one the caller may see, or not_found
  return s.db.write([&](storage::Connection& c) -> Result<SubscriptionResult> {
    auto now = to_millis(s.clock.now());
    ASSIGN_OR_RETURN(auto found, storage::service_subscriptions::of_user(c, actor.user_id, service_id, storage::Lock::for_update));
    if (found) {
      found->channels = channels;
      found->version += 1;
      found->updated_at = now;
      TRY(storage::service_subscriptions::update(c, *found));
      return SubscriptionResult{*found, false};
    }
    storage::ServiceSubscription sub{new_id("nsb", s.clock.now()), actor.user_id, actor.organization_id, std::string(service_id), channels,
                                     1, now, now};
    TRY(storage::service_subscriptions::insert(c, sub));
    return SubscriptionResult{sub, true};
  });
}

Result<std::vector<storage::ServiceSubscription>> my_service_subscriptions(const Services& s, const Actor& actor) {
  return s.db.read([&](storage::Connection& c) { return storage::service_subscriptions::list_for_user(c, actor.user_id); });
}

Result<void> unsubscribe_from_service(const Services& s, const Actor& actor, std::string_view id) {
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto found, storage::service_subscriptions::find(c, id));
    if (!found || found->user_id != actor.user_id) return fail(Code::not_found, "No such subscription of yours.");
    return storage::service_subscriptions::remove(c, id);
  });
}

Result<storage::Broadcast> create_broadcast(const Services& s, const Actor& actor, const BroadcastInput& in) {
  TRY(authorize(actor, "broadcast.manage"));
  Problems p;
  auto body = parse_object(in.fields_json, p);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Broadcast> {
    storage::Broadcast b;
    b.title = b.body = "{}";
    TRY(apply(c, b, body, actor.language, true, p));
    if (p.any()) return fail(p.error());
    auto now = s.clock.now();
    b.id = new_id("brd", now);
    b.created_by = actor.user_id;
    b.created_at = b.updated_at = to_millis(now);
    TRY(storage::broadcasts::insert(c, b));
    TRY(record(c, s, actor, {"broadcast.create", "broadcast", b.id, "", std::nullopt, storage::canonical(b)}));
    return b;
  });
}

Result<storage::Broadcast> update_broadcast(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                            const BroadcastInput& patch) {
  TRY(authorize(actor, "broadcast.manage"));
  Problems p;
  auto body = parse_object(patch.fields_json, p);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Broadcast> {
    ASSIGN_OR_RETURN(auto found, storage::broadcasts::find(c, id, storage::Lock::for_update));
    if (!found) return fail(not_found_broadcast());
    auto b = *found;
    if (b.version != expected_version) return fail(Code::failed_precondition, "The broadcast changed since you read it.", "version_mismatch");
    if (b.state != "draft") return fail(Code::conflict, "A published broadcast stays as it went out: write a new one.", "already_published");
    auto before = storage::canonical(b);
    TRY(apply(c, b, body, actor.language, false, p));
    if (p.any()) return fail(p.error());
    b.version += 1;
    b.updated_at = to_millis(s.clock.now());
    TRY(storage::broadcasts::update(c, b));
    TRY(record(c, s, actor, {"broadcast.update", "broadcast", b.id, "", before, storage::canonical(b)}));
    return b;
  });
}

Result<storage::Broadcast> get_broadcast(const Services& s, const Actor& actor, std::string_view id) {
  bool staff = authorize(actor, "broadcast.manage").has_value();
  return s.db.read([&](storage::Connection& c) -> Result<storage::Broadcast> {
    ASSIGN_OR_RETURN(auto found, storage::broadcasts::find(c, id));
    if (!found) return fail(not_found_broadcast());
    if (!staff) {
      ASSIGN_OR_RETURN(auto reached, storage::broadcast_recipients::reached(c, id, actor.user_id));
      if (!reached) return fail(not_found_broadcast());
    }
    return *found;
  });
}

Result<storage::Page<storage::Broadcast>> list_broadcasts(const Services& s, const Actor& actor, bool reached_me,
                                                          const storage::PageRequest& page) {
  bool staff = !reached_me && authorize(actor, "broadcast.manage").has_value();
  return s.db.read([&](storage::Connection& c) {
    return storage::broadcasts::list(c, staff ? std::nullopt : std::optional<std::string>(actor.user_id), page);
  });
}

Result<storage::Broadcast> publish_broadcast(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version) {
  TRY(authorize(actor, "broadcast.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::Broadcast> {
    ASSIGN_OR_RETURN(auto found, storage::broadcasts::find(c, id, storage::Lock::for_update));
    if (!found) return fail(not_found_broadcast());
    auto b = *found;
    if (b.version != expected_version) return fail(Code::failed_precondition, "The broadcast changed since you read it.", "version_mismatch");
    if (b.state != "draft") return fail(Code::conflict, "This broadcast was published already.", "already_published");
    auto title = texts::stored_text(Json::parse(b.title, nullptr, false));
    auto text = texts::stored_text(Json::parse(b.body, nullptr, false));
    auto now = to_millis(s.clock.now());
    ASSIGN_OR_RETURN(auto people, audience(c, b));
    std::int64_t reached = 0, portal = 0, email = 0, sms = 0, push = 0;
    for (const auto& [user_id, candidate] : people) {
      auto channels = channels::channels_for(candidate.subscription, candidate.addressed);
      if (channels.empty()) continue;
      ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), user_id));
      if (!user || !user->active || user->erased_at) continue;
      // The provider's own people hear their broadcasts only when they follow the service.
      if (!candidate.subscription && identity::is_staff(user->roles)) continue;
      // A broadcast for some organisations is their news: another's subscribers to the same
      // service do not hear it (the people on its major incident do, wherever they are).
      if (!candidate.addressed && !b.organization_ids.empty() && !identity::is_staff(user->roles) &&
          std::ranges::find(b.organization_ids, user->organization_id) == b.organization_ids.end())
        continue;
      if (has(channels, "portal")) {
        storage::Notification n;
        n.id = new_id("ntf", s.clock.now());
        n.user_id = user->id;
        n.event_id = b.id;
        n.broadcast_id = b.id;
        n.kind = "broadcast";
        n.summary = std::string(title.in(user->language));
        n.created_at = now;
        TRY(storage::notifications::insert(c, n));
        ++portal;
      }
      if (has(channels, "email")) {
        ASSIGN_OR_RETURN(auto queued, queue_broadcast_mail(c, s, b.id, user->id, user->organization_id));
        email += queued;
      }
      bool by_sms = has(channels, "sms"), by_push = has(channels, "push");
      if (by_sms || by_push) {
        Json phones = Json::array();
        for (const auto& i : user->identities)
          if (i.kind == "phone") phones.push_back(i.normalized);
        Json wanted = Json::array();
        if (by_sms) wanted.push_back("sms");
        if (by_push) wanted.push_back("push");
        Json data{{"broadcast", {{"id", b.id}, {"kind", b.kind}, {"service_id", b.service_id ? Json(*b.service_id) : Json(nullptr)}}},
                  {"channels", wanted},
                  {"language", user->language},
                  {"title", title.in(user->language)},
                  {"body", text.in(user->language)},
                  {"person", {{"id", user->id}, {"name", user->name}, {"email", user->email}, {"phones", phones}}}};
        ASSIGN_OR_RETURN(auto told, queue_event(c, s, "broadcast.message", user->organization_id, [&](bool) -> Result<Json> { return data; }));
        if (told > 0) {
          sms += by_sms ? 1 : 0;
          push += by_push ? 1 : 0;
        }
      }
      TRY(storage::broadcast_recipients::insert(c, {b.id, user->id, user->organization_id, channels}));
      ++reached;
    }
    b.state = "published";
    b.published_at = now;
    b.reach = Json{{"people", reached}, {"portal", portal}, {"email", email}, {"sms", sms}, {"push", push}}.dump();
    b.version += 1;
    b.updated_at = now;
    TRY(storage::broadcasts::update(c, b));
    TRY(record(c, s, actor, {"broadcast.publish", "broadcast", b.id, "", std::nullopt, "reach=" + b.reach + "\n"}));
    return b;
  });
}

Result<storage::Page<storage::BroadcastRecipient>> broadcast_recipients(const Services& s, const Actor& actor, std::string_view id,
                                                                        const storage::PageRequest& page) {
  TRY(authorize(actor, "broadcast.manage"));
  TRY(get_broadcast(s, actor, id));
  return s.db.read([&](storage::Connection& c) { return storage::broadcast_recipients::list(c, id, page); });
}

}  // namespace tandem::usecase
