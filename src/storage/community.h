// COM-1…COM-4: the community's records. Spaces are read through their audience (the same rows
// and condition as articles, storage/knowledge.h); topics and posts through their space. What a
// member may do with them (hidden posts, locks, rights by level) is the use case's to decide.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/community/community.h"
#include "storage/knowledge.h"

namespace tandem::storage {

struct Space {
  std::string id;
  std::string name;
  std::optional<std::string> service_id;
  std::string language;
  knowledge::Audience audience;
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};

struct Topic {
  std::string id;
  std::string space_id;
  community::TopicKind kind = community::TopicKind::question;
  std::string title;
  std::string author_id;
  std::string first_post_id;
  std::optional<std::string> accepted_post_id;
  std::optional<std::string> ticket_id;
  bool locked = false, hidden = false, deleted = false;
  std::optional<std::string> merged_into;
  std::int64_t replies = 0;
  std::int64_t last_activity_at = 0;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
};

struct Post {
  std::string id;
  std::string topic_id;
  std::string author_id;
  std::string body;  // Markdown
  bool by_staff = false, hidden = false, deleted = false;
  std::int64_t score = 0;  // up-votes less down-votes
  std::int64_t created_at = 0;
  std::optional<std::int64_t> edited_at;
  std::int64_t version = 1;
};

struct ReputationEvent {
  std::string id;
  std::string user_id;
  std::optional<std::string> space_id;
  std::int64_t points = 0;  // credited, after the daily cap
  std::int64_t earned = 0;  // before it
  std::string reason;
  std::string source_id;  // the post (votes, acceptance) or article
  std::string actor_id;   // who caused it
  std::string day;        // UTC, YYYY-MM-DD
  std::int64_t created_at = 0;
};

struct SuperUser {
  std::string space_id, user_id, backup_user_id, appointed_by;
  std::int64_t created_at = 0;
};

struct ModerationEntry {
  std::string id, action, target_kind, target_id, space_id, actor_id, reason, before, after;
  std::int64_t created_at = 0;
};

struct LeaderboardRow {
  std::string user_id;
  std::int64_t points = 0;
};

namespace spaces {
Result<void> insert(Connection& c, const Space& s);
Result<void> update(Connection& c, const Space& s);
Result<std::optional<Space>> find(Connection& c, const KnowledgeReader& who, std::string_view id);
Result<Page<Space>> list(Connection& c, const KnowledgeReader& who, const PageRequest& page);
}  // namespace spaces

namespace topics {
Result<void> insert(Connection& c, const Topic& t);
Result<void> update(Connection& c, const Topic& t);
// The topic when its space is the reader's (hidden and deleted ones included).
Result<std::optional<Topic>> find(Connection& c, const KnowledgeReader& who, std::string_view id, Lock lock = Lock::none);
// A space's topics, latest activity first; hidden ones only when `with_hidden`.
Result<Page<Topic>> list(Connection& c, std::string_view space_id, bool with_hidden, const PageRequest& page);
Result<std::optional<Topic>> of_ticket(Connection& c, std::string_view ticket_id);
}  // namespace topics

namespace posts {
Result<void> insert(Connection& c, const Post& p);
Result<void> update(Connection& c, const Post& p);
Result<std::optional<Post>> find(Connection& c, std::string_view id, Lock lock = Lock::none);
// A topic's replies (not its opening post), oldest first; hidden ones only when `with_hidden`.
Result<Page<Post>> replies(Connection& c, std::string_view topic_id, std::string_view first_post_id, bool with_hidden,
                           const PageRequest& page);
Result<std::vector<Post>> of_topic(Connection& c, std::string_view topic_id);
// Topics and replies a person wrote since `since` (the pace of new members).
Result<std::int64_t> written_since(Connection& c, std::string_view author_id, std::int64_t since);
// Whether the person wrote a post the reader may see (their public profile is then readable).
Result<bool> author_seen_by(Connection& c, const KnowledgeReader& who, std::string_view author_id);
}  // namespace posts

namespace votes {
Result<std::optional<std::int64_t>> get(Connection& c, std::string_view post_id, std::string_view user_id);
Result<void> put(Connection& c, std::string_view post_id, std::string_view user_id, std::int64_t value, std::int64_t at);
}  // namespace votes

namespace flags {
// False when the person flagged the post already.
Result<bool> insert(Connection& c, std::string_view post_id, std::string_view user_id, const std::string& reason, bool trusted,
                    std::int64_t at);
Result<std::int64_t> trusted_open(Connection& c, std::string_view post_id);
Result<void> reviewed(Connection& c, std::string_view post_id, std::int64_t at);
}  // namespace flags

namespace reputation {
Result<void> insert(Connection& c, const ReputationEvent& e);
Result<std::int64_t> total(Connection& c, std::string_view user_id);
// The day's gains that count against the daily cap: credits, less the credits taken back that
// day (a vote switched on and off spends nothing); a down-vote taken back is no gain; an award by
// staff (FDB-3) is no rule's and counts for nothing here.
Result<std::int64_t> gained_on(Connection& c, std::string_view user_id, std::string_view day);
// What `actor_id`'s act on `source_id` gives `user_id` now, net of reversals.
Result<std::int64_t> standing(Connection& c, std::string_view user_id, std::string_view source_id, std::string_view actor_id);
// Whether `actor_id`'s act on `source_id` ever credited `user_id`.
Result<bool> any(Connection& c, std::string_view user_id, std::string_view source_id, std::string_view actor_id);
Result<std::vector<ReputationEvent>> history(Connection& c, std::string_view user_id, int limit);
// FDB-3: within a space, or among an organisation's people, or everyone's.
Result<std::vector<LeaderboardRow>> leaderboard(Connection& c, const std::optional<std::string>& space_id,
                                                const std::optional<std::string>& organization_id, std::int64_t since, int limit);
}  // namespace reputation

namespace super_users {
Result<void> put(Connection& c, const SuperUser& s);
Result<std::vector<SuperUser>> of_space(Connection& c, std::string_view space_id);
// The spaces where the person is a super user or a super user's backup.
Result<std::vector<std::string>> spaces_of(Connection& c, std::string_view user_id);
// Whether the person is a super user of some space themselves (not only a backup).
Result<bool> appointed(Connection& c, std::string_view user_id);
}  // namespace super_users

namespace moderation_log {
Result<void> insert(Connection& c, const ModerationEntry& e);
// Newest first; only the spaces named when `space_ids` is set.
Result<Page<ModerationEntry>> list(Connection& c, const std::optional<std::vector<std::string>>& space_ids, const PageRequest& page);
}  // namespace moderation_log

namespace community_subscriptions {
Result<void> put(Connection& c, std::string_view user_id, std::string_view target_id, std::int64_t at);
Result<bool> remove(Connection& c, std::string_view user_id, std::string_view target_id);
Result<std::vector<std::string>> subscribers(Connection& c, std::string_view target_id);
Result<bool> is_subscribed(Connection& c, std::string_view user_id, std::string_view target_id);
}  // namespace community_subscriptions

// COM-3: whether two accounts are one person's — linked by an identity they share once
// normalised (an e-mail address but for its +tag and case; a phone number), never by a network
// address.
Result<bool> same_person(Connection& c, std::string_view a, std::string_view b);

}  // namespace tandem::storage
