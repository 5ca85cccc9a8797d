// COM-1…COM-4, FDB-3 (community side): spaces, topics and replies, votes and reputation,
// accepted answers, a topic made a ticket and an answer made an article, super users,
// flags and moderation with its log, subscriptions. Every read goes through the space's
// audience; a member sees hidden posts only as a moderator of the space.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/community/community.h"
#include "storage/community.h"
#include "storage/tickets.h"
#include "usecase/context.h"
#include "usecase/knowledge.h"

namespace tandem::usecase {

// What anyone may see of a member (never their e-mail or organisation).
struct MemberView {
  std::string id;
  std::string name;
  std::int64_t points = 0;
  int level = 1;
  std::vector<std::string> badges;  // "staff", "super_user", or "super_user_backup" for a backup only
};

struct SpaceView {
  storage::Space space;
  std::vector<storage::SuperUser> super_users;
  bool subscribed = false;
};

struct PostView {
  storage::Post post;
  MemberView author;
  std::string body_html;
  bool accepted = false;
  std::int64_t my_vote = 0;
};

struct TopicView {
  storage::Topic topic;
  PostView opening;
  std::string space_name;
  bool subscribed = false;
  bool moderator = false;  // the reader moderates its space
};

inline constexpr std::size_t kMaxPostBody = 50'000;

struct NewSpace {
  std::string name, language;
  std::optional<std::string> service_id;
  std::optional<AudienceInput> audience;  // default: the service's entitled organisations, else everyone
};
Result<SpaceView> create_space(const Services& s, const identity::Actor& actor, const NewSpace& in);
struct SpacePatch {
  std::optional<std::string> name, language;
  std::optional<AudienceInput> audience;
};
// Its topics' documents follow a new audience or language at once.
Result<SpaceView> update_space(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t version,
                               const SpacePatch& patch);
Result<SpaceView> get_space(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<SpaceView>> list_spaces(const Services& s, const identity::Actor& actor, const storage::PageRequest& page);
Result<SpaceView> appoint_super_user(const Services& s, const identity::Actor& actor, std::string_view space_id, std::string_view user_id,
                                     std::string_view backup_user_id);

struct NewTopic {
  std::string space_id, title, body;
  community::TopicKind kind = community::TopicKind::question;
};
Result<TopicView> create_topic(const Services& s, const identity::Actor& actor, const NewTopic& in);
Result<TopicView> get_topic(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<TopicView>> list_topics(const Services& s, const identity::Actor& actor, std::string_view space_id,
                                             const storage::PageRequest& page);
Result<PostView> reply_to_topic(const Services& s, const identity::Actor& actor, std::string_view topic_id, const std::string& body);
Result<storage::Page<PostView>> topic_replies(const Services& s, const identity::Actor& actor, std::string_view topic_id,
                                              const storage::PageRequest& page);

// The author edits their post (not in a locked topic); others need level 4 (COM-3) or to
// moderate the space, and their edit is logged. `title` changes the topic, with its opening post.
Result<PostView> edit_post(const Services& s, const identity::Actor& actor, std::string_view post_id, std::int64_t version,
                           const std::optional<std::string>& body, const std::optional<std::string>& title);

// A second vote replaces the first; 0 takes it back.
Result<PostView> vote_on_post(const Services& s, const identity::Actor& actor, std::string_view post_id, std::int64_t value);
Result<TopicView> accept_answer(const Services& s, const identity::Actor& actor, std::string_view topic_id, std::string_view post_id);
// COM-2: the topic raised as a ticket of its author; the two name each other.
Result<storage::Ticket> topic_to_ticket(const Services& s, const identity::Actor& actor, std::string_view topic_id);
// COM-2: an answer as a draft article credited to its author.
Result<ArticleView> promote_post(const Services& s, const identity::Actor& actor, std::string_view post_id);

// COM-4.
Result<void> flag_post(const Services& s, const identity::Actor& actor, std::string_view post_id, const std::string& reason);
struct ModerationInput {
  std::string action;  // hide, unhide, lock, unlock, move, merge, delete
  std::string target_id;  // a topic or a post
  std::string reason;
  std::optional<std::string> space_id;  // move: where to
  std::optional<std::string> into_id;   // merge: the topic that takes the posts
};
Result<storage::ModerationEntry> moderate(const Services& s, const identity::Actor& actor, const ModerationInput& in);
Result<storage::Page<storage::ModerationEntry>> moderation_log(const Services& s, const identity::Actor& actor,
                                                               const storage::PageRequest& page);

// COM-3, FDB-3.
struct ReputationView {
  MemberView member;
  std::vector<storage::ReputationEvent> history;
  std::optional<std::int64_t> next_level_at;
};
Result<ReputationView> reputation_of(const Services& s, const identity::Actor& actor, std::string_view user_id);
// A member's public profile, when the reader may see them at all (their own organisation, or a
// post of theirs the reader can read).
Result<MemberView> public_profile(const Services& s, const identity::Actor& actor, std::string_view user_id);
enum class Period { week, month, all };
std::optional<Period> parse_period(std::string_view text);
struct LeaderboardEntry {
  MemberView member;
  std::int64_t points = 0;  // in the period
};
// Of a space the reader reads, or (FDB-3) of an organisation's people: staff any, anyone else
// their own organisation; staff may also ask for everyone's.
Result<std::vector<LeaderboardEntry>> leaderboard(const Services& s, const identity::Actor& actor, const std::optional<std::string>& space_id,
                                                  Period period, const std::optional<std::string>& organization_id = std::nullopt);
nlohmann::json reputation_rules_json(const community::ReputationRules& rules);
Result<community::ReputationRules> reputation_rules(const Services& s, const identity::Actor& actor, std::int64_t* version = nullptr);
Result<community::ReputationRules> set_reputation_rules(const Services& s, const identity::Actor& actor, const std::string& json,
                                                        std::int64_t version);

// Following a space (new topics) or a topic (new replies).
Result<bool> subscribe(const Services& s, const identity::Actor& actor, std::string_view target_id, bool on);

// REL-2: not_found unless the reader may read the post (an answer suggested to them).
Result<void> check_post_readable(storage::Connection& c, const Services& s, const identity::Actor& actor, std::string_view post_id);

// FDB-3: credits `user_id` for another person's act (`actor_id` on `source_id`) by the provider's
// rules, outside any space; what the same act gave before is taken back first, so a rating
// changed from 5 to 1 moves the points and never counts twice.
Result<void> credit_points(storage::Connection& c, const Services& s, std::string_view user_id, community::ReputationReason reason,
                           std::string_view source_id, std::string_view actor_id);

// KB-1 × COM-3: a reader found an article promoted from someone's answer helpful.
Result<void> credit_helpful_article(storage::Connection& c, const Services& s, const identity::Actor& reader, const storage::Article& article);

}  // namespace tandem::usecase
