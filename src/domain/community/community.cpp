#include "domain/community/community.h"

#include <algorithm>

namespace tandem::community {

std::optional<TopicKind> parse_topic_kind(std::string_view text) {
  if (text == "question") return TopicKind::question;
  if (text == "discussion") return TopicKind::discussion;
  return std::nullopt;
}

std::string_view to_string(TopicKind kind) { return kind == TopicKind::question ? "question" : "discussion"; }

std::string_view to_string(ReputationReason reason) {
  switch (reason) {
    case ReputationReason::upvote: return "upvote";
    case ReputationReason::downvote: return "downvote";
    case ReputationReason::accepted: return "accepted";
    case ReputationReason::helpful_article: return "helpful_article";
    case ReputationReason::reversal: return "reversal";
    case ReputationReason::condition_good: return "condition_good";
    case ReputationReason::condition_poor: return "condition_poor";
    case ReputationReason::rating_good: return "rating_good";
    case ReputationReason::award: return "award";
  }
  return "reversal";
}

std::int64_t points_for(const ReputationRules& rules, ReputationReason reason) {
  switch (reason) {
    case ReputationReason::upvote: return rules.upvote;
    case ReputationReason::downvote: return rules.downvote;
    case ReputationReason::accepted: return rules.accepted;
    case ReputationReason::helpful_article: return rules.helpful_article;
    case ReputationReason::condition_good: return rules.condition_good;
    case ReputationReason::condition_poor: return rules.condition_poor;
    case ReputationReason::rating_good: return rules.rating_good;
    case ReputationReason::reversal:
    case ReputationReason::award: return 0;
  }
  return 0;
}

ReputationReason condition_reason(std::int64_t score) {
  if (score >= 4) return ReputationReason::condition_good;
  if (score <= 2) return ReputationReason::condition_poor;
  return ReputationReason::reversal;
}

ReputationReason rating_reason(std::int64_t score) { return score >= 4 ? ReputationReason::rating_good : ReputationReason::reversal; }

std::int64_t capped(const ReputationRules& rules, std::int64_t points, std::int64_t gained_today) {
  if (points <= 0) return points;
  return std::clamp<std::int64_t>(rules.daily_cap - gained_today, 0, points);
}

int level_of(const ReputationRules& rules, std::int64_t points) {
  int level = 1;
  for (auto threshold : rules.level_thresholds)
    if (points >= threshold) ++level;
  return level;
}

int level_needed(Right right) {
  switch (right) {
    case Right::post:
    case Right::vote:
    case Right::flag: return 1;
    case Right::trusted_flag: return 2;
    case Right::hide_others: return 3;
    case Right::edit_others:
    case Right::moderate: return 4;
  }
  return 4;
}

bool has_right(const ReputationRules& rules, std::int64_t points, Right right) { return level_of(rules, points) >= level_needed(right); }

VoteOutcome judge_vote(std::string_view voter_id, std::string_view author_id, bool same_person) {
  if (voter_id == author_id) return VoteOutcome::refused_own_post;
  return same_person ? VoteOutcome::counted_without_points : VoteOutcome::counted;
}

bool may_post(const ReputationRules& rules, int level, std::int64_t posted_last_hour) {
  return level > 1 || posted_last_hour < rules.new_member_posts_per_hour;
}

}  // namespace tandem::community
