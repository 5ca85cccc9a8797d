// COM-1…COM-4, FDB-3 (community side): the rules of the community, pure — reputation from
// peers' votes and accepted answers with a daily cap against farming, levels whose thresholds
// grant rights, when flags hide a post, and how much a new member may post.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>


namespace tandem::community {

enum class TopicKind { question, discussion };
std::optional<TopicKind> parse_topic_kind(std::string_view text);
std::string_view to_string(TopicKind kind);

// What earns or costs reputation. FDB-3: a later holder's rating of the state one left a shared
// resource in (4–5 good, 1–2 poor), a person's rating of 4–5 of a ticket an agent resolved, and
// points staff award by hand (their amount is the award's, not a rule's).
enum class ReputationReason { upvote, downvote, accepted, helpful_article, reversal, condition_good, condition_poor, rating_good, award };
std::string_view to_string(ReputationReason reason);

// The provider's values (a setting; these are the defaults of issue COM-3).
struct ReputationRules {
  std::int64_t upvote = 10;
  std::int64_t downvote = -2;
  std::int64_t accepted = 15;
  std::int64_t helpful_article = 5;  // a reader found an article promoted from one's answer helpful
  std::int64_t condition_good = 5;   // FDB-3: the next holder found the resource as it should be
  std::int64_t condition_poor = -5;  // … or found it dirty, damaged, empty
  std::int64_t rating_good = 5;      // FDB-3: an agent's ticket rated 4 or 5 by the person it served
  std::int64_t daily_cap = 200;      // points one may gain in a UTC day
  // Points at which levels 2, 3, 4… begin; everyone starts at level 1.
  std::vector<std::int64_t> level_thresholds{50, 200, 500};
  std::int64_t flags_to_hide = 3;          // trusted members' flags that hide a post until reviewed
  std::int64_t new_member_posts_per_hour = 10;  // topics and replies of a level-1 member
};

std::int64_t points_for(const ReputationRules& rules, ReputationReason reason);
// FDB-3: what a later holder's rating of a resource's state (1–5) gives the holder before, and a
// ticket's rating (1–5) its agent: reversal (nothing) for a middling score.
ReputationReason condition_reason(std::int64_t score);
ReputationReason rating_reason(std::int64_t score);

// The points actually credited for `points` earned by someone who has gained `gained_today`
// already today: gains stop at the cap; losses always count.
std::int64_t capped(const ReputationRules& rules, std::int64_t points, std::int64_t gained_today);

int level_of(const ReputationRules& rules, std::int64_t points);

// Rights granted by level (COM-3). Super users of a space and provider staff hold every right
// in it, whatever their level.
enum class Right { post, vote, flag, trusted_flag, edit_others, hide_others, moderate };
int level_needed(Right right);
bool has_right(const ReputationRules& rules, std::int64_t points, Right right);

// A vote on a post: refused on one's own post; counted but worth no points between two
// accounts of one person.
enum class VoteOutcome { refused_own_post, counted_without_points, counted };
VoteOutcome judge_vote(std::string_view voter_id, std::string_view author_id, bool same_person);

// Whether a new member (level 1) may post again having posted `posted_last_hour` times.
bool may_post(const ReputationRules& rules, int level, std::int64_t posted_last_hour);

}  // namespace tandem::community
