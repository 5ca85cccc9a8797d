#include "usecase/community.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include <date/date.h>
#include <nlohmann/json.hpp>

#include "core/id.h"
#include "domain/markup/markdown.h"
#include "storage/definitions.h"
#include "storage/users.h"
#include "usecase/json_setting.h"
#include "usecase/tickets.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using community::ReputationReason;
using community::Right;
using storage::Scope;
using Json = nlohmann::json;

constexpr std::string_view kRulesSetting = "community:reputation";

Error not_found_topic() { return Error(Code::not_found, "No such topic."); }
Error not_found_post() { return Error(Code::not_found, "No such post."); }
Error not_found_space() { return Error(Code::not_found, "No such space."); }

std::string day_of(std::int64_t ms) {
  return date::format("%Y-%m-%d", date::floor<date::days>(std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms))));
}


Result<community::ReputationRules> parse_rules(const Json& j, Problems& p) {
  community::ReputationRules rules;
  auto number = [&](const char* name, std::int64_t& into, std::int64_t low, std::int64_t high) {
    if (!j.contains(name)) return;
    const auto& v = j[name];
    if (!v.is_number_integer() || v.get<std::int64_t>() < low || v.get<std::int64_t>() > high)
      p.add(name, fmt::format("must be a whole number from {} to {}", low, high));
    else
      into = v.get<std::int64_t>();
  };
  number("upvote", rules.upvote, 0, 1000);
  number("downvote", rules.downvote, -1000, 0);
  number("accepted", rules.accepted, 0, 1000);
  number("helpful_article", rules.helpful_article, 0, 1000);
  number("condition_good", rules.condition_good, 0, 1000);
  number("condition_poor", rules.condition_poor, -1000, 0);
  number("rating_good", rules.rating_good, 0, 1000);
  number("daily_cap", rules.daily_cap, 1, 100000);
  number("flags_to_hide", rules.flags_to_hide, 1, 100);
  number("new_member_posts_per_hour", rules.new_member_posts_per_hour, 1, 1000);
  if (j.contains("level_thresholds")) {
    const auto& v = j["level_thresholds"];
    std::vector<std::int64_t> levels;
    bool ok = v.is_array() && !v.empty() && v.size() <= 10;
    if (ok)
      for (const auto& x : v) {
        if (!x.is_number_integer() || x.get<std::int64_t>() <= 0 || (!levels.empty() && x.get<std::int64_t>() <= levels.back())) ok = false;
        else levels.push_back(x.get<std::int64_t>());
      }
    if (ok) rules.level_thresholds = levels;
    else p.add("level_thresholds", "must be 1 to 10 rising positive whole numbers");
  }
  for (const auto& [key, _] : j.items())
    if (key != "upvote" && key != "downvote" && key != "accepted" && key != "helpful_article" && key != "daily_cap" &&
        key != "flags_to_hide" && key != "new_member_posts_per_hour" && key != "level_thresholds" && key != "condition_good" &&
        key != "condition_poor" && key != "rating_good")
      p.add(key, "is not a reputation rule");
  return rules;
}

}  // namespace

nlohmann::json reputation_rules_json(const community::ReputationRules& r) {
  return {{"upvote", r.upvote},
          {"downvote", r.downvote},
          {"accepted", r.accepted},
          {"helpful_article", r.helpful_article},
          {"condition_good", r.condition_good},
          {"condition_poor", r.condition_poor},
          {"rating_good", r.rating_good},
          {"daily_cap", r.daily_cap},
          {"level_thresholds", r.level_thresholds},
          {"flags_to_hide", r.flags_to_hide},
          {"new_member_posts_per_hour", r.new_member_posts_per_hour}};
}

namespace {

Result<community::ReputationRules> load_rules(storage::Connection& c) {
  ASSIGN_OR_RETURN(auto setting, read_json_setting(c, std::string(kRulesSetting)));
  Problems ignored;
  return parse_rules(setting.value, ignored);
}

Result<MemberView> member(storage::Connection& c, const community::ReputationRules& rules, std::string_view user_id) {
  MemberView m;
  m.id = std::string(user_id);
  ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), user_id));
  if (user) {
    m.name = user->name;  // "Former user N" once erased (OFF-1)
    if (identity::is_staff(user->roles)) m.badges.push_back("staff");
  }
  ASSIGN_OR_RETURN(m.points, storage::reputation::total(c, user_id));
  m.level = community::level_of(rules, m.points);
  ASSIGN_OR_RETURN(auto spaces, storage::super_users::spaces_of(c, user_id));
  ASSIGN_OR_RETURN(auto appointed, storage::super_users::appointed(c, user_id));
  if (appointed) m.badges.push_back("super_user");
  else if (!spaces.empty()) m.badges.push_back("super_user_backup");
  return m;
}

// Whether the actor moderates the space: provider staff, and the space's super users and their
// backups.
Result<bool> moderates(storage::Connection& c, const identity::Actor& actor, std::string_view space_id) {
  if (actor.staff()) return true;
  ASSIGN_OR_RETURN(auto supers, storage::super_users::of_space(c, space_id));
  return std::ranges::any_of(supers, [&](const storage::SuperUser& su) { return su.user_id == actor.user_id || su.backup_user_id == actor.user_id; });
}

Result<bool> may(storage::Connection& c, const community::ReputationRules& rules, const identity::Actor& actor, std::string_view space_id,
                 Right right) {
  ASSIGN_OR_RETURN(auto moderator, moderates(c, actor, space_id));
  if (moderator) return true;
  ASSIGN_OR_RETURN(auto points, storage::reputation::total(c, actor.user_id));
  return community::has_right(rules, points, right);
}

Result<PostView> post_view(storage::Connection& c, const community::ReputationRules& rules, const identity::Actor& actor,
                           const storage::Topic& topic, storage::Post post) {
  PostView v;
  ASSIGN_OR_RETURN(v.author, member(c, rules, post.author_id));
  ASSIGN_OR_RETURN(auto policy, image_policy(c));
  v.body_html = markup::markdown_to_html(post.body, policy);
  v.accepted = topic.accepted_post_id == post.id;
  ASSIGN_OR_RETURN(auto mine, storage::votes::get(c, post.id, actor.user_id));
  v.my_vote = mine.value_or(0);
  v.post = std::move(post);
  return v;
}

Result<TopicView> topic_view(storage::Connection& c, const community::ReputationRules& rules, const identity::Actor& actor,
                             storage::Topic topic) {
  TopicView v;
  ASSIGN_OR_RETURN(auto opening, storage::posts::find(c, topic.first_post_id));
  if (opening) {
    ASSIGN_OR_RETURN(v.opening, post_view(c, rules, actor, topic, std::move(*opening)));
  }
  storage::KnowledgeReader staff{Scope::system(), {}};
  ASSIGN_OR_RETURN(auto space, storage::spaces::find(c, staff, topic.space_id));
  if (space) v.space_name = space->name;
  ASSIGN_OR_RETURN(v.subscribed, storage::community_subscriptions::is_subscribed(c, actor.user_id, topic.id));
  ASSIGN_OR_RETURN(v.moderator, moderates(c, actor, topic.space_id));
  v.topic = std::move(topic);
  return v;
}

// The topic as the reader may see it: in a space of their audience, not deleted or merged away,
// and hidden only to those who moderate it.
Result<storage::Topic> visible_topic(storage::Connection& c, const Services& s, const identity::Actor& actor, std::string_view id,
                                     storage::Lock lock = storage::Lock::none) {
  ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
  ASSIGN_OR_RETURN(auto found, storage::topics::find(c, who, id, lock));
  if (!found || found->deleted || found->merged_into) return fail(not_found_topic());
  if (found->hidden) {
    ASSIGN_OR_RETURN(auto moderator, moderates(c, actor, found->space_id));
    if (!moderator) return fail(not_found_topic());
  }
  return std::move(*found);
}

struct PostInTopic {
  storage::Post post;
  storage::Topic topic;
};

Result<PostInTopic> visible_post(storage::Connection& c, const Services& s, const identity::Actor& actor, std::string_view id,
                                 storage::Lock lock = storage::Lock::none) {
  ASSIGN_OR_RETURN(auto post, storage::posts::find(c, id, lock));
  if (!post || post->deleted) return fail(not_found_post());
  auto topic = visible_topic(c, s, actor, post->topic_id, lock);
  if (!topic) return fail(not_found_post());
  if (post->hidden) {
    ASSIGN_OR_RETURN(auto moderator, moderates(c, actor, topic->space_id));
    if (!moderator) return fail(not_found_post());
  }
  return PostInTopic{std::move(*post), std::move(*topic)};
}

// The index holds what members may find: a visible topic (its title and opening post), and each
// visible reply — "answer" for the accepted one, which suggestions offer (REL-2).
Result<void> reindex_topic(storage::Connection& c, const storage::Topic& topic) {
  TRY(storage::knowledge_index::remove(c, "topic", topic.id));
  ASSIGN_OR_RETURN(auto posts, storage::posts::of_topic(c, topic.id));
  for (const auto& p : posts) {
    TRY(storage::knowledge_index::remove(c, "post", p.id));
    TRY(storage::knowledge_index::remove(c, "answer", p.id));
  }
  if (topic.deleted || topic.hidden || topic.merged_into) return {};
  storage::KnowledgeReader staff{Scope::system(), {}};
  ASSIGN_OR_RETURN(auto space, storage::spaces::find(c, staff, topic.space_id));
  if (!space) return {};
  std::vector<std::string> services;
  if (space->service_id) services.push_back(*space->service_id);
  for (const auto& p : posts) {
    if (p.deleted || p.hidden) continue;
    auto text = markup::markdown_to_text(p.body);
    if (p.id == topic.first_post_id) {
      TRY(storage::knowledge_index::put(c, {"topic", topic.id, space->id, space->language, services, topic.title, text, 0, 0,
                                            topic.last_activity_at}));
    } else {
      bool accepted = topic.accepted_post_id == p.id;
      TRY(storage::knowledge_index::put(c, {accepted ? "answer" : "post", p.id, space->id, space->language, services, topic.title, text,
                                            std::max<std::int64_t>(p.score, 0), std::max<std::int64_t>(-p.score, 0), p.created_at}));
    }
  }
  return {};
}

// One change of reputation: what the same act (a voter on a post, an acceptance in a topic)
// gave before is taken back first, exactly; a gain stops at the daily cap.
Result<void> credit(storage::Connection& c, const Services& s, const community::ReputationRules& rules, std::string_view user_id,
                    const std::optional<std::string>& space_id, ReputationReason reason, std::string_view source_id,
                    std::string_view actor_id) {
  auto now = to_millis(s.clock.now());
  auto day = day_of(now);
  ASSIGN_OR_RETURN(auto standing, storage::reputation::standing(c, user_id, source_id, actor_id));
  if (standing != 0) {
    TRY(storage::reputation::insert(c, {new_id("rep", s.clock.now()), std::string(user_id), space_id, -standing, -standing, "reversal",
                                        std::string(source_id), std::string(actor_id), day, now}));
  }
  if (reason == ReputationReason::reversal) return {};
  auto earned = community::points_for(rules, reason);
  ASSIGN_OR_RETURN(auto gained, storage::reputation::gained_on(c, user_id, day));
  return storage::reputation::insert(c, {new_id("rep", s.clock.now()), std::string(user_id), space_id, community::capped(rules, earned, gained),
                                         earned, std::string(community::to_string(reason)), std::string(source_id), std::string(actor_id),
                                         day, now});
}

Result<void> log_action(storage::Connection& c, const Services& s, const identity::Actor& actor, std::string action, std::string kind,
                        std::string target, std::string space, std::string reason, Json before, Json after) {
  return storage::moderation_log::insert(c, {new_id("mod", s.clock.now()), std::move(action), std::move(kind), std::move(target),
                                             std::move(space), actor.user_id, std::move(reason), before.dump(), after.dump(),
                                             to_millis(s.clock.now())});
}

Result<void> check_pace(storage::Connection& c, const Services& s, const community::ReputationRules& rules, const identity::Actor& actor) {
  if (actor.staff()) return {};
  ASSIGN_OR_RETURN(auto points, storage::reputation::total(c, actor.user_id));
  auto hour_ago = to_millis(s.clock.now()) - 3'600'000;
  ASSIGN_OR_RETURN(auto written, storage::posts::written_since(c, actor.user_id, hour_ago));
  if (!community::may_post(rules, community::level_of(rules, points), written)) {
    Error e(Code::rate_limited, fmt::format("New members may post {} times an hour; try again later.", rules.new_member_posts_per_hour),
            "posting_too_fast");
    e.retry_after_seconds = 600;
    return fail(std::move(e));
  }
  return {};
}

void check_body(Problems& p, const std::string& field, const std::string& body) {
  if (trimmed(body).empty()) p.add(field, "must not be blank");
  else if (body.size() > kMaxPostBody) p.add(field, fmt::format("must be at most {} bytes", kMaxPostBody));
}

Result<void> notify(storage::Connection& c, const Services& s, const std::vector<std::string>& users, const identity::Actor& actor,
                    const std::string& topic_id, const std::string& event_id, const std::string& kind, const std::string& summary) {
  for (const auto& user : users) {
    if (user == actor.user_id) continue;
    storage::Notification n;
    n.id = new_id("ntf", s.clock.now());
    n.user_id = user;
    n.topic_id = topic_id;
    n.event_id = event_id;
    n.kind = kind;
    n.summary = summary.substr(0, 200);
    n.created_at = to_millis(s.clock.now());
    TRY(storage::notifications::insert(c, n));
  }
  return {};
}

// The organisations a service is offered to by its entitlement rules (those naming the service
// or one of its request types); nullopt when a rule offers it to every organisation; empty when
// no rule offers it yet.
Result<std::optional<std::vector<std::string>>> entitled_organizations(storage::Connection& c, const std::string& service_id) {
  ASSIGN_OR_RETURN(auto types, storage::definitions::all(c, storage::DefinitionKind::request_type));
  std::vector<std::string> type_ids;
  for (const auto& type : types) {
    auto def = Json::parse(type.definition, nullptr, false);
    if (def.is_object() && def.value("service_id", Json()) == service_id) type_ids.push_back(type.id);
  }
  ASSIGN_OR_RETURN(auto rules, storage::definitions::all(c, storage::DefinitionKind::entitlement));
  std::vector<std::string> out;
  for (const auto& rule : rules) {
    auto def = Json::parse(rule.definition, nullptr, false);
    if (!def.is_object()) continue;
    auto type = def.value("request_type_id", Json());
    bool names_service = def.value("service_id", Json()) == service_id ||
                         (type.is_string() && std::ranges::find(type_ids, type.get<std::string>()) != type_ids.end());
    if (!names_service) continue;
    auto org = def.value("organization_id", Json());
    if (!org.is_string()) return std::optional<std::vector<std::string>>();
    if (std::ranges::find(out, org.get<std::string>()) == out.end()) out.push_back(org.get<std::string>());
  }
  return std::optional(out);
}

Result<SpaceView> space_view(storage::Connection& c, const identity::Actor& actor, storage::Space space) {
  SpaceView v;
  ASSIGN_OR_RETURN(v.super_users, storage::super_users::of_space(c, space.id));
  ASSIGN_OR_RETURN(v.subscribed, storage::community_subscriptions::is_subscribed(c, actor.user_id, space.id));
  v.space = std::move(space);
  return v;
}

}  // namespace

Result<SpaceView> create_space(const Services& s, const identity::Actor& actor, const NewSpace& in) {
  TRY(authorize(actor, "community.manage"));
  Problems p;
  check_text(p, "name", trimmed(in.name), 200);
  if (!identity::is_supported_language(in.language)) p.add("language", "must be one of: en, zh-CN");
  auto audience = in.audience ? audience_of(*in.audience, p) : knowledge::Audience{};
  return s.db.write([&](storage::Connection& c) -> Result<SpaceView> {
    std::vector<std::string> services;
    if (in.service_id) services.push_back(*in.service_id);
    TRY(check_references(c, p, &audience, &services, "service_id"));
    if (p.any()) return fail(p.error());
    if (!in.audience && in.service_id) {
      ASSIGN_OR_RETURN(auto entitled, entitled_organizations(c, *in.service_id));
      if (entitled) audience.organization_ids = *entitled;
      // A service offered to nobody yet: its space is the provider's until it is offered.
      if (entitled && entitled->empty()) audience.roles = {identity::Role::admin, identity::Role::agent};
    }
    auto now = to_millis(s.clock.now());
    storage::Space space{new_id("spc", s.clock.now()), trimmed(in.name), in.service_id, in.language, audience, 1, now, now};
    TRY(storage::spaces::insert(c, space));
    TRY(record(c, s, actor, {"space.create", "space", space.id, "", std::nullopt, space.name}));
    return space_view(c, actor, std::move(space));
  });
}

Result<SpaceView> update_space(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t version,
                               const SpacePatch& patch) {
  TRY(authorize(actor, "community.manage"));
  Problems p;
  if (patch.name) check_text(p, "name", trimmed(*patch.name), 200);
  if (patch.language && !identity::is_supported_language(*patch.language)) p.add("language", "must be one of: en, zh-CN");
  std::optional<knowledge::Audience> audience;
  if (patch.audience) audience = audience_of(*patch.audience, p);
  return s.db.write([&](storage::Connection& c) -> Result<SpaceView> {
    TRY(check_references(c, p, audience ? &*audience : nullptr, nullptr));
    if (p.any()) return fail(p.error());
    storage::KnowledgeReader staff{Scope::for_actor(actor), {}};
    ASSIGN_OR_RETURN(auto found, storage::spaces::find(c, staff, id));
    if (!found) return fail(not_found_space());
    if (found->version != version) return fail(Code::failed_precondition, "The space changed since you read it.", "version_mismatch");
    auto before = fmt::format("{} {} {}", found->name, found->language, found->audience.organization_ids.size());
    if (patch.name) found->name = trimmed(*patch.name);
    if (patch.language) found->language = *patch.language;
    if (audience) found->audience = *audience;
    found->version += 1;
    found->updated_at = to_millis(s.clock.now());
    TRY(storage::spaces::update(c, *found));
    TRY(storage::knowledge_index::owner_changed(c, found->id, found->language));
    TRY(record(c, s, actor, {"space.update", "space", found->id, "", before,
                             fmt::format("{} {} {}", found->name, found->language, found->audience.organization_ids.size())}));
    return space_view(c, actor, std::move(*found));
  });
}

Result<SpaceView> get_space(const Services& s, const identity::Actor& actor, std::string_view id) {
  return s.db.read([&](storage::Connection& c) -> Result<SpaceView> {
    ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
    ASSIGN_OR_RETURN(auto found, storage::spaces::find(c, who, id));
    if (!found) return fail(not_found_space());
    return space_view(c, actor, std::move(*found));
  });
}

Result<storage::Page<SpaceView>> list_spaces(const Services& s, const identity::Actor& actor, const storage::PageRequest& page) {
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<SpaceView>> {
    ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
    ASSIGN_OR_RETURN(auto found, storage::spaces::list(c, who, page));
    storage::Page<SpaceView> out{{}, found.next_after};
    for (auto& space : found.items) {
      ASSIGN_OR_RETURN(auto v, space_view(c, actor, std::move(space)));
      out.items.push_back(std::move(v));
    }
    return out;
  });
}

Result<SpaceView> appoint_super_user(const Services& s, const identity::Actor& actor, std::string_view space_id, std::string_view user_id,
                                     std::string_view backup_user_id) {
  TRY(authorize(actor, "community.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<SpaceView> {
    storage::KnowledgeReader staff{Scope::for_actor(actor), {}};
    ASSIGN_OR_RETURN(auto space, storage::spaces::find(c, staff, space_id));
    if (!space) return fail(not_found_space());
    Problems p;
    if (user_id == backup_user_id) p.add("backup_user_id", "must be someone else than the super user");
    // Both must be active people who can read the space.
    for (auto [field, id] : {std::pair{"user_id", user_id}, std::pair{"backup_user_id", backup_user_id}}) {
      ASSIGN_OR_RETURN(auto person, storage::users::active_actor(c, id));
      if (!person) {
        p.add(field, "names no active user");
        continue;
      }
      ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, *person));
      ASSIGN_OR_RETURN(auto sees, storage::spaces::find(c, who, space_id));
      if (!sees) p.add(field, "cannot read this space (its audience leaves them out)");
    }
    if (p.any()) return fail(p.error());
    auto now = to_millis(s.clock.now());
    TRY(storage::super_users::put(c, {space->id, std::string(user_id), std::string(backup_user_id), actor.user_id, now}));
    TRY(record(c, s, actor, {"space.super_user", "space", space->id, "", std::nullopt, fmt::format("{} backup {}", user_id, backup_user_id)}));
    return space_view(c, actor, std::move(*space));
  });
}

Result<TopicView> create_topic(const Services& s, const identity::Actor& actor, const NewTopic& in) {
  Problems p;
  check_text(p, "title", trimmed(in.title), 200);
  check_body(p, "body", in.body);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<TopicView> {
    ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
    ASSIGN_OR_RETURN(auto space, storage::spaces::find(c, who, in.space_id));
    if (!space) {
      p.add("space_id", "names no space you can read");
      return fail(p.error());
    }
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    TRY(check_pace(c, s, rules, actor));
    auto now = to_millis(s.clock.now());
    storage::Topic topic;
    topic.id = new_id("tpc", s.clock.now());
    topic.space_id = space->id;
    topic.kind = in.kind;
    topic.title = trimmed(in.title);
    topic.author_id = actor.user_id;
    topic.first_post_id = new_id("pst", s.clock.now());
    topic.last_activity_at = topic.created_at = now;
    TRY(storage::topics::insert(c, topic));
    TRY(storage::posts::insert(c, {topic.first_post_id, topic.id, actor.user_id, in.body, actor.staff(), false, false, 0, now, std::nullopt}));
    TRY(storage::community_subscriptions::put(c, actor.user_id, topic.id, now));
    TRY(reindex_topic(c, topic));
    ASSIGN_OR_RETURN(auto followers, storage::community_subscriptions::subscribers(c, space->id));
    TRY(notify(c, s, followers, actor, topic.id, topic.first_post_id, "community_topic", topic.title));
    return topic_view(c, rules, actor, std::move(topic));
  });
}

Result<TopicView> get_topic(const Services& s, const identity::Actor& actor, std::string_view id) {
  return s.db.read([&](storage::Connection& c) -> Result<TopicView> {
    ASSIGN_OR_RETURN(auto topic, visible_topic(c, s, actor, id));
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    return topic_view(c, rules, actor, std::move(topic));
  });
}

Result<storage::Page<TopicView>> list_topics(const Services& s, const identity::Actor& actor, std::string_view space_id,
                                             const storage::PageRequest& page) {
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<TopicView>> {
    ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
    ASSIGN_OR_RETURN(auto space, storage::spaces::find(c, who, space_id));
    if (!space) return fail(not_found_space());
    ASSIGN_OR_RETURN(auto moderator, moderates(c, actor, space_id));
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    ASSIGN_OR_RETURN(auto found, storage::topics::list(c, space_id, moderator, page));
    storage::Page<TopicView> out{{}, found.next_after};
    for (auto& t : found.items) {
      ASSIGN_OR_RETURN(auto v, topic_view(c, rules, actor, std::move(t)));
      out.items.push_back(std::move(v));
    }
    return out;
  });
}

Result<PostView> reply_to_topic(const Services& s, const identity::Actor& actor, std::string_view topic_id, const std::string& body) {
  Problems p;
  check_body(p, "body", body);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<PostView> {
    ASSIGN_OR_RETURN(auto topic, visible_topic(c, s, actor, topic_id, storage::Lock::for_update));
    ASSIGN_OR_RETURN(auto moderator, moderates(c, actor, topic.space_id));
    if (topic.locked && !moderator) return fail(Code::conflict, "This topic is locked: it takes no more replies.", "topic_locked");
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    TRY(check_pace(c, s, rules, actor));
    auto now = to_millis(s.clock.now());
    storage::Post post{new_id("pst", s.clock.now()), topic.id, actor.user_id, body, actor.staff(), false, false, 0, now, std::nullopt};
    TRY(storage::posts::insert(c, post));
    topic.replies += 1;
    topic.last_activity_at = now;
    topic.version += 1;
    TRY(storage::topics::update(c, topic));
    TRY(reindex_topic(c, topic));
    ASSIGN_OR_RETURN(auto followers, storage::community_subscriptions::subscribers(c, topic.id));
    TRY(notify(c, s, followers, actor, topic.id, post.id, "community_reply", topic.title));
    TRY(storage::community_subscriptions::put(c, actor.user_id, topic.id, now));
    return post_view(c, rules, actor, topic, std::move(post));
  });
}

Result<storage::Page<PostView>> topic_replies(const Services& s, const identity::Actor& actor, std::string_view topic_id,
                                              const storage::PageRequest& page) {
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<PostView>> {
    ASSIGN_OR_RETURN(auto topic, visible_topic(c, s, actor, topic_id));
    ASSIGN_OR_RETURN(auto moderator, moderates(c, actor, topic.space_id));
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    ASSIGN_OR_RETURN(auto found, storage::posts::replies(c, topic.id, topic.first_post_id, moderator, page));
    storage::Page<PostView> out{{}, found.next_after};
    for (auto& post : found.items) {
      ASSIGN_OR_RETURN(auto v, post_view(c, rules, actor, topic, std::move(post)));
      out.items.push_back(std::move(v));
    }
    return out;
  });
}

Result<PostView> edit_post(const Services& s, const identity::Actor& actor, std::string_view post_id, std::int64_t version,
                           const std::optional<std::string>& body, const std::optional<std::string>& title) {
  Problems p;
  if (body) check_body(p, "body", *body);
  if (title) check_text(p, "title", trimmed(*title), 200);
  if (!body && !title) p.add("body", "give the new body or title");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<PostView> {
    ASSIGN_OR_RETURN(auto found, visible_post(c, s, actor, post_id, storage::Lock::for_update));
    auto& [post, topic] = found;
    if (title && post.id != topic.first_post_id) {
      p.add("title", "only a topic's opening post has a title");
      return fail(p.error());
    }
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    ASSIGN_OR_RETURN(auto moderator, moderates(c, actor, topic.space_id));
    bool own = post.author_id == actor.user_id;
    if (own && topic.locked && !moderator) return fail(Code::conflict, "This topic is locked: its posts stay as they are.", "topic_locked");
    if (!own) {
      ASSIGN_OR_RETURN(auto allowed, may(c, rules, actor, topic.space_id, Right::edit_others));
      if (!allowed) return fail(Code::permission_denied, "Editing others' posts needs level 4 or a moderator of the space.", "not_a_moderator");
    }
    if (post.version != version) return fail(Code::failed_precondition, "The post changed since you read it.", "version_mismatch");
    auto now = to_millis(s.clock.now());
    Json before{{"body", post.body.substr(0, 500)}}, after;
    if (body) post.body = *body;
    post.edited_at = now;
    post.version += 1;
    after["body"] = post.body.substr(0, 500);
    TRY(storage::posts::update(c, post));
    if (title) {
      before["title"] = topic.title;
      topic.title = trimmed(*title);
      after["title"] = topic.title;
      topic.version += 1;
      TRY(storage::topics::update(c, topic));
    }
    TRY(reindex_topic(c, topic));
    if (!own) TRY(log_action(c, s, actor, "edit", post.id == topic.first_post_id ? "topic" : "post", post.id, topic.space_id, "", before, after));
    return post_view(c, rules, actor, topic, std::move(post));
  });
}

Result<PostView> vote_on_post(const Services& s, const identity::Actor& actor, std::string_view post_id, std::int64_t value) {
  if (value != 1 && value != -1 && value != 0) {
    Problems p;
    p.add("value", "must be 1 (up), -1 (down) or 0 (take the vote back)");
    return fail(p.error());
  }
  return s.db.write([&](storage::Connection& c) -> Result<PostView> {
    ASSIGN_OR_RETURN(auto found, visible_post(c, s, actor, post_id, storage::Lock::for_update));
    auto& [post, topic] = found;
    ASSIGN_OR_RETURN(auto same, storage::same_person(c, actor.user_id, post.author_id));
    auto outcome = community::judge_vote(actor.user_id, post.author_id, same);
    if (outcome == community::VoteOutcome::refused_own_post)
      return fail(Code::permission_denied, "You cannot vote on your own post.", "own_post");
    ASSIGN_OR_RETURN(auto before, storage::votes::get(c, post.id, actor.user_id));
    auto now = to_millis(s.clock.now());
    post.score += value - before.value_or(0);
    TRY(storage::votes::put(c, post.id, actor.user_id, value, now));
    TRY(storage::posts::update(c, post));
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    if (outcome == community::VoteOutcome::counted && before.value_or(0) != value) {
      auto reason = value > 0 ? ReputationReason::upvote : value < 0 ? ReputationReason::downvote : ReputationReason::reversal;
      TRY(credit(c, s, rules, post.author_id, topic.space_id, reason, post.id, actor.user_id));
    }
    TRY(reindex_topic(c, topic));
    return post_view(c, rules, actor, topic, std::move(post));
  });
}

Result<TopicView> accept_answer(const Services& s, const identity::Actor& actor, std::string_view topic_id, std::string_view post_id) {
  return s.db.write([&](storage::Connection& c) -> Result<TopicView> {
    ASSIGN_OR_RETURN(auto topic, visible_topic(c, s, actor, topic_id, storage::Lock::for_update));
    ASSIGN_OR_RETURN(auto moderator, moderates(c, actor, topic.space_id));
    if (topic.author_id != actor.user_id && !moderator)
      return fail(Code::permission_denied, "Only the one who asked, or a moderator of the space, accepts an answer.");
    if (topic.kind != community::TopicKind::question) return fail(Code::conflict, "Only a question has an accepted answer.", "not_a_question");
    ASSIGN_OR_RETURN(auto post, storage::posts::find(c, post_id));
    Problems p;
    if (!post || post->topic_id != topic.id || post->id == topic.first_post_id || post->deleted || post->hidden)
      p.add("post_id", "names no reply of this topic");
    if (p.any()) return fail(p.error());
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    auto before = topic.accepted_post_id;
    if (before == post->id) return topic_view(c, rules, actor, std::move(topic));
    // The answer accepted before loses what its acceptance gave.
    if (before) {
      ASSIGN_OR_RETURN(auto old, storage::posts::find(c, *before));
      if (old) TRY(credit(c, s, rules, old->author_id, topic.space_id, ReputationReason::reversal, old->id, "accepted:" + topic.id));
    }
    topic.accepted_post_id = post->id;
    topic.version += 1;
    TRY(storage::topics::update(c, topic));
    // Accepting one's own answer — or one's other account's — earns nothing.
    ASSIGN_OR_RETURN(auto same, storage::same_person(c, post->author_id, topic.author_id));
    if (post->author_id != topic.author_id && !same)
      TRY(credit(c, s, rules, post->author_id, topic.space_id, ReputationReason::accepted, post->id, "accepted:" + topic.id));
    if (topic.author_id != actor.user_id)
      TRY(log_action(c, s, actor, "accept", "post", post->id, topic.space_id, "", Json{{"accepted_post_id", before ? Json(*before) : Json(nullptr)}},
                     Json{{"accepted_post_id", post->id}}));
    TRY(reindex_topic(c, topic));
    return topic_view(c, rules, actor, std::move(topic));
  });
}

Result<storage::Ticket> topic_to_ticket(const Services& s, const identity::Actor& actor, std::string_view topic_id) {
  storage::Topic topic;
  std::string body;
  std::optional<std::string> service_id;
  identity::Actor author;
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(topic, visible_topic(c, s, actor, topic_id));
    ASSIGN_OR_RETURN(auto moderator, moderates(c, actor, topic.space_id));
    if (!moderator) return fail(Code::permission_denied, "Agents and the space's moderators turn a topic into a ticket.");
    if (topic.ticket_id) {
      return fail(Code::conflict, fmt::format("This topic is a ticket already: {}.", *topic.ticket_id), "already_a_ticket");
    }
    ASSIGN_OR_RETURN(auto opening, storage::posts::find(c, topic.first_post_id));
    body = opening ? opening->body : "";
    storage::KnowledgeReader staff{Scope::system(), {}};
    ASSIGN_OR_RETURN(auto space, storage::spaces::find(c, staff, topic.space_id));
    if (space) service_id = space->service_id;
    ASSIGN_OR_RETURN(auto found, storage::users::active_actor(c, topic.author_id));
    if (!found || found->staff()) return fail(Code::conflict, "The topic's author is no consumer who can hold a ticket.", "author_not_consumer");
    // A super user acts for their own organisation's members only: a shared space's topic by
    // another organisation's member is the desk's to raise.
    if (!actor.staff() && found->organization_id != actor.organization_id)
      return fail(Code::permission_denied, "Only the desk raises a ticket for another organisation's member.");
    author = *found;
    return {};
  }));
  // Raised as its author's — theirs to follow — with the topic named in it, and the topic names
  // the ticket; a second call finds the link and refuses.
  NewTicket t;
  t.type = tickets::Type::consultation;
  t.subject = topic.title;
  t.description = fmt::format("{}\n\n— community topic {}", body, topic.id);
  t.service_id = service_id;
  t.channel = tickets::Channel::portal;
  std::string linked = topic.id;
  t.write_after = [&s, linked, &actor](storage::Connection& c, const storage::Ticket& ticket) -> Result<void> {
    storage::KnowledgeReader staff{Scope::system(), {}};
    ASSIGN_OR_RETURN(auto current, storage::topics::find(c, staff, linked, storage::Lock::for_update));
    if (!current) return fail(not_found_topic());
    if (current->ticket_id) return fail(Code::conflict, fmt::format("This topic is a ticket already: {}.", *current->ticket_id), "already_a_ticket");
    current->ticket_id = ticket.id;
    current->version += 1;
    TRY(storage::topics::update(c, *current));
    return log_action(c, s, actor, "ticket", "topic", current->id, current->space_id, "", Json{{"ticket_id", nullptr}},
                      Json{{"ticket_id", ticket.id}});
  };
  // A service the author is not entitled to would refuse the ticket: the desk files it without.
  auto made = create_ticket(s, author, t, tickets::Channel::portal);
  if (!made && made.error().code == Code::invalid_argument && service_id) {
    t.service_id.reset();
    made = create_ticket(s, author, t, tickets::Channel::portal);
  }
  return made;
}

Result<ArticleView> promote_post(const Services& s, const identity::Actor& actor, std::string_view post_id) {
  TRY(authorize(actor, "knowledge.write"));
  NewArticle in;
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto found, visible_post(c, s, actor, post_id));
    storage::KnowledgeReader staff{Scope::system(), {}};
    ASSIGN_OR_RETURN(auto space, storage::spaces::find(c, staff, found.topic.space_id));
    in.title = found.topic.title;
    in.body = found.post.body;
    in.language = space ? space->language : "en";
    if (space && space->service_id) in.service_ids = {*space->service_id};
    if (space) {
      in.audience.organization_ids = space->audience.organization_ids;
      for (auto role : space->audience.roles) in.audience.roles.emplace_back(identity::to_string(role));
      in.audience.offering_ids = space->audience.offering_ids;
    }
    in.source_post_id = found.post.id;
    in.author_id = found.post.author_id;
    return {};
  }));
  return create_article(s, actor, in);
}

Result<void> flag_post(const Services& s, const identity::Actor& actor, std::string_view post_id, const std::string& reason) {
  Problems p;
  check_text(p, "reason", trimmed(reason), 500);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto found, visible_post(c, s, actor, post_id, storage::Lock::for_update));
    auto& [post, topic] = found;
    if (post.author_id == actor.user_id) return fail(Code::permission_denied, "You cannot flag your own post.", "own_post");
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    ASSIGN_OR_RETURN(auto trusted, may(c, rules, actor, topic.space_id, Right::trusted_flag));
    auto now = to_millis(s.clock.now());
    ASSIGN_OR_RETURN(auto added, storage::flags::insert(c, post.id, actor.user_id, trimmed(reason), trusted, now));
    if (!added) return fail(Code::conflict, "You flagged this post already.", "already_flagged");
    ASSIGN_OR_RETURN(auto count, storage::flags::trusted_open(c, post.id));
    // COM-4: enough trusted members' flags hide a post until a moderator reviews it.
    if (!post.hidden && count >= rules.flags_to_hide) {
      post.hidden = true;
      TRY(storage::posts::update(c, post));
      if (post.id == topic.first_post_id) {
        topic.hidden = true;
        topic.version += 1;
        TRY(storage::topics::update(c, topic));
      }
      TRY(reindex_topic(c, topic));
      identity::Actor system = system_actor();
      TRY(log_action(c, s, system, "hide", "post", post.id, topic.space_id, fmt::format("flagged by {} trusted members", count),
                     Json{{"hidden", false}}, Json{{"hidden", true}}));
    }
    return {};
  });
}

Result<storage::ModerationEntry> moderate(const Services& s, const identity::Actor& actor, const ModerationInput& in) {
  static const std::vector<std::string> kActions{"hide", "unhide", "lock", "unlock", "move", "merge", "delete"};
  Problems p;
  if (std::ranges::find(kActions, in.action) == kActions.end()) p.add("action", "allowed: hide, unhide, lock, unlock, move, merge, delete");
  check_text(p, "reason", trimmed(in.reason), 500);
  if (in.action == "move" && !in.space_id) p.add("space_id", "is required to move a topic");
  if (in.action == "merge" && !in.into_id) p.add("into_id", "is required to merge a topic");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::ModerationEntry> {
    bool on_post = in.target_id.starts_with("pst_");
    storage::Topic topic;
    std::optional<storage::Post> post;
    if (on_post) {
      ASSIGN_OR_RETURN(auto found, visible_post(c, s, actor, in.target_id, storage::Lock::for_update));
      topic = std::move(found.topic);
      post = std::move(found.post);
    } else {
      ASSIGN_OR_RETURN(topic, visible_topic(c, s, actor, in.target_id, storage::Lock::for_update));
    }
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    // Hiding and unhiding others' posts is for level 3; locking for level 4; moving, merging and
    // deleting for the space's moderators.
    Right needed = in.action == "hide" || in.action == "unhide" ? Right::hide_others
                   : in.action == "lock" || in.action == "unlock" ? Right::moderate
                                                                   : Right::moderate;
    ASSIGN_OR_RETURN(auto moderator, moderates(c, actor, topic.space_id));
    bool allowed = moderator;
    if (!allowed && (in.action == "hide" || in.action == "unhide" || in.action == "lock" || in.action == "unlock")) {
      ASSIGN_OR_RETURN(allowed, may(c, rules, actor, topic.space_id, needed));
    }
    if (!allowed) return fail(Code::permission_denied, "Your level does not allow this here.", "not_a_moderator");
    auto now = to_millis(s.clock.now());
    bool opening = post && post->id == topic.first_post_id;
    std::string kind = on_post && !opening ? "post" : "topic";
    std::string target = kind == "post" ? post->id : topic.id;
    Json before, after;
    if (in.action == "hide" || in.action == "unhide") {
      bool hide = in.action == "hide";
      if (kind == "post") {
        before = {{"hidden", post->hidden}};
        post->hidden = hide;
        TRY(storage::posts::update(c, *post));
        if (!hide) TRY(storage::flags::reviewed(c, post->id, now));
      } else {
        before = {{"hidden", topic.hidden}};
        topic.hidden = hide;
        ASSIGN_OR_RETURN(auto first, storage::posts::find(c, topic.first_post_id));
        if (first) {
          first->hidden = hide;
          TRY(storage::posts::update(c, *first));
          if (!hide) TRY(storage::flags::reviewed(c, first->id, now));
        }
      }
      after = {{"hidden", hide}};
    } else if (in.action == "lock" || in.action == "unlock") {
      kind = "topic";
      target = topic.id;
      before = {{"locked", topic.locked}};
      topic.locked = in.action == "lock";
      after = {{"locked", topic.locked}};
    } else if (in.action == "move") {
      kind = "topic";
      target = topic.id;
      ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
      ASSIGN_OR_RETURN(auto to, storage::spaces::find(c, who, *in.space_id));
      if (!to) {
        p.add("space_id", "names no space you can read");
        return fail(p.error());
      }
      ASSIGN_OR_RETURN(auto moderates_there, moderates(c, actor, to->id));
      if (!moderates_there) return fail(Code::permission_denied, "You do not moderate the space it would move to.", "not_a_moderator");
      before = {{"space_id", topic.space_id}};
      topic.space_id = to->id;
      after = {{"space_id", topic.space_id}};
    } else if (in.action == "merge") {
      kind = "topic";
      target = topic.id;
      auto into = visible_topic(c, s, actor, *in.into_id, storage::Lock::for_update);
      if (!into || into->id == topic.id) {
        p.add("into_id", "names no other topic you can read");
        return fail(p.error());
      }
      ASSIGN_OR_RETURN(auto moderates_there, moderates(c, actor, into->space_id));
      if (!moderates_there) return fail(Code::permission_denied, "You do not moderate the topic it would merge into.", "not_a_moderator");
      ASSIGN_OR_RETURN(auto moved, storage::posts::of_topic(c, topic.id));
      for (auto& m : moved) {
        m.topic_id = into->id;
        TRY(storage::posts::update(c, m));
      }
      // The merged topic's answer and ticket go with its posts where the other has none.
      if (!into->accepted_post_id) into->accepted_post_id = topic.accepted_post_id;
      if (!into->ticket_id) into->ticket_id = topic.ticket_id;
      topic.accepted_post_id.reset();
      ASSIGN_OR_RETURN(auto all, storage::posts::of_topic(c, into->id));
      into->replies = std::ranges::count_if(all, [&](const storage::Post& p) { return p.id != into->first_post_id && !p.deleted; });
      into->last_activity_at = now;
      into->version += 1;
      TRY(storage::topics::update(c, *into));
      before = {{"merged_into", nullptr}};
      topic.merged_into = into->id;
      after = {{"merged_into", into->id}};
      TRY(reindex_topic(c, topic));
      TRY(reindex_topic(c, *into));
    } else {  // delete
      if (kind == "post") {
        before = {{"deleted", false}};
        post->deleted = true;
        TRY(storage::posts::update(c, *post));
        if (topic.accepted_post_id == post->id) {
          // A deleted answer keeps none of what its acceptance gave.
          TRY(credit(c, s, rules, post->author_id, topic.space_id, ReputationReason::reversal, post->id, "accepted:" + topic.id));
          topic.accepted_post_id.reset();
        }
        topic.replies = std::max<std::int64_t>(0, topic.replies - 1);
      } else {
        before = {{"deleted", false}};
        topic.deleted = true;
      }
      after = {{"deleted", true}};
    }
    topic.version += 1;
    TRY(storage::topics::update(c, topic));
    TRY(reindex_topic(c, topic));
    storage::ModerationEntry entry{new_id("mod", s.clock.now()), in.action, kind, target, topic.space_id, actor.user_id,
                                   trimmed(in.reason), before.dump(), after.dump(), now};
    TRY(storage::moderation_log::insert(c, entry));
    return entry;
  });
}

Result<storage::Page<storage::ModerationEntry>> moderation_log(const Services& s, const identity::Actor& actor,
                                                               const storage::PageRequest& page) {
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<storage::ModerationEntry>> {
    std::optional<std::vector<std::string>> spaces;
    if (!actor.staff()) {
      ASSIGN_OR_RETURN(auto mine, storage::super_users::spaces_of(c, actor.user_id));
      if (mine.empty()) return fail(Code::permission_denied, "The moderation log is for staff and the spaces' super users.");
      spaces = std::move(mine);
    }
    return storage::moderation_log::list(c, spaces, page);
  });
}

Result<MemberView> public_profile(const Services& s, const identity::Actor& actor, std::string_view user_id) {
  return s.db.read([&](storage::Connection& c) -> Result<MemberView> {
    ASSIGN_OR_RETURN(auto known, storage::users::find(c, Scope::for_actor(actor), user_id));
    bool seen = known.has_value() || actor.user_id == user_id;
    if (!seen) {
      ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
      ASSIGN_OR_RETURN(seen, storage::posts::author_seen_by(c, who, user_id));
      // A super user (or their backup) of a space the reader reads is shown there by name.
      ASSIGN_OR_RETURN(auto spaces, storage::super_users::spaces_of(c, user_id));
      for (const auto& space : spaces) {
        if (seen) break;
        ASSIGN_OR_RETURN(auto found, storage::spaces::find(c, who, space));
        seen = found.has_value();
      }
    }
    if (!seen) return fail(Code::not_found, "No such user.");
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    return member(c, rules, user_id);
  });
}

Result<ReputationView> reputation_of(const Services& s, const identity::Actor& actor, std::string_view user_id) {
  ASSIGN_OR_RETURN(auto profile, public_profile(s, actor, user_id));
  return s.db.read([&](storage::Connection& c) -> Result<ReputationView> {
    ReputationView v{std::move(profile), {}, std::nullopt};
    ASSIGN_OR_RETURN(v.history, storage::reputation::history(c, user_id, 100));
    // What earned the points is named only where the reader may see it.
    if (!actor.staff() && actor.user_id != user_id) {
      ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
      std::map<std::string, bool> seen;
      for (auto& e : v.history) {
        auto key = e.space_id.value_or(e.source_id);
        if (!seen.contains(key)) {
          if (e.space_id) {
            ASSIGN_OR_RETURN(auto space, storage::spaces::find(c, who, *e.space_id));
            seen[key] = space.has_value();
          } else {
            ASSIGN_OR_RETURN(auto article, storage::articles::find(c, who, e.source_id));
            seen[key] = article.has_value();
          }
        }
        if (!seen[key]) {
          e.source_id.clear();
          e.space_id.reset();
        }
      }
    }
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    for (auto threshold : rules.level_thresholds)
      if (v.member.points < threshold) {
        v.next_level_at = threshold;
        break;
      }
    return v;
  });
}

std::optional<Period> parse_period(std::string_view text) {
  if (text == "week") return Period::week;
  if (text == "month") return Period::month;
  if (text == "all") return Period::all;
  return std::nullopt;
}

Result<std::vector<LeaderboardEntry>> leaderboard(const Services& s, const identity::Actor& actor, const std::optional<std::string>& space_id,
                                                  Period period, const std::optional<std::string>& organization_id) {
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<LeaderboardEntry>> {
    if (organization_id && !actor.staff() && *organization_id != actor.organization_id)
      return fail(Code::not_found, "No such organisation.");
    if (space_id) {
      ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
      ASSIGN_OR_RETURN(auto space, storage::spaces::find(c, who, *space_id));
      if (!space) return fail(not_found_space());
    } else if (!actor.staff() && !organization_id) {
      Problems p;
      p.add("space_id", "is required: a leaderboard is of one space, or of your organisation (organization_id)");
      return fail(p.error());
    }
    auto now = to_millis(s.clock.now());
    std::int64_t since = period == Period::week ? now - 7LL * 86'400'000 : period == Period::month ? now - 30LL * 86'400'000 : 0;
    ASSIGN_OR_RETURN(auto rows, storage::reputation::leaderboard(c, space_id, organization_id, since, 20));
    ASSIGN_OR_RETURN(auto rules, load_rules(c));
    std::vector<LeaderboardEntry> out;
    for (const auto& row : rows) {
      ASSIGN_OR_RETURN(auto m, member(c, rules, row.user_id));
      out.push_back({std::move(m), row.points});
    }
    return out;
  });
}

Result<community::ReputationRules> reputation_rules(const Services& s, const identity::Actor& actor, std::int64_t* version) {
  TRY(authorize(actor, "community.manage"));
  return s.db.read([&](storage::Connection& c) -> Result<community::ReputationRules> {
    ASSIGN_OR_RETURN(auto setting, read_json_setting(c, std::string(kRulesSetting)));
    if (version) *version = setting.version;
    Problems ignored;
    return parse_rules(setting.value, ignored);
  });
}

Result<community::ReputationRules> set_reputation_rules(const Services& s, const identity::Actor& actor, const std::string& json,
                                                        std::int64_t version) {
  TRY(authorize(actor, "community.settings"));
  auto j = Json::parse(json, nullptr, false);
  Problems p;
  if (!j.is_object()) p.add("body", "must be a JSON object");
  auto rules = j.is_object() ? parse_rules(j, p) : Result<community::ReputationRules>(community::ReputationRules{});
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<community::ReputationRules> {
    TRY(write_json_setting(c, std::string(kRulesSetting), reputation_rules_json(*rules), version, to_millis(s.clock.now()),
                           "The reputation rules changed since you read them."));
    TRY(record(c, s, actor, {"community.reputation_rules", "setting", std::string(kRulesSetting), "", std::nullopt, reputation_rules_json(*rules).dump()}));
    return *rules;
  });
}

Result<bool> subscribe(const Services& s, const identity::Actor& actor, std::string_view target_id, bool on) {
  return s.db.write([&](storage::Connection& c) -> Result<bool> {
    if (target_id.starts_with("spc_")) {
      ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
      ASSIGN_OR_RETURN(auto space, storage::spaces::find(c, who, target_id));
      if (!space) return fail(not_found_space());
    } else {
      TRY(visible_topic(c, s, actor, target_id));
    }
    if (on) {
      TRY(storage::community_subscriptions::put(c, actor.user_id, target_id, to_millis(s.clock.now())));
      return true;
    }
    TRY(storage::community_subscriptions::remove(c, actor.user_id, target_id));
    return false;
  });
}

Result<void> check_post_readable(storage::Connection& c, const Services& s, const identity::Actor& actor, std::string_view post_id) {
  TRY(visible_post(c, s, actor, post_id));
  return {};
}

Result<void> credit_points(storage::Connection& c, const Services& s, std::string_view user_id, community::ReputationReason reason,
                           std::string_view source_id, std::string_view actor_id) {
  ASSIGN_OR_RETURN(auto rules, load_rules(c));
  return credit(c, s, rules, user_id, std::nullopt, reason, source_id, actor_id);
}

Result<void> credit_helpful_article(storage::Connection& c, const Services& s, const identity::Actor& reader_actor, const storage::Article& article) {
  if (!article.source_post_id || article.author_id == reader_actor.user_id) return {};
  ASSIGN_OR_RETURN(auto rules, load_rules(c));
  ASSIGN_OR_RETURN(auto same, storage::same_person(c, reader_actor.user_id, article.author_id));
  if (same) return {};
  // Once per reader and article, however often they answer (a credit the cap made worth 0 too).
  ASSIGN_OR_RETURN(auto credited, storage::reputation::any(c, article.author_id, article.id, reader_actor.user_id));
  if (credited) return {};
  auto now = to_millis(s.clock.now());
  ASSIGN_OR_RETURN(auto gained, storage::reputation::gained_on(c, article.author_id, day_of(now)));
  auto earned = community::points_for(rules, ReputationReason::helpful_article);
  return storage::reputation::insert(c, {new_id("rep", s.clock.now()), article.author_id, std::nullopt, community::capped(rules, earned, gained),
                                         earned, "helpful_article", article.id, reader_actor.user_id, day_of(now), now});
}

}  // namespace tandem::usecase
