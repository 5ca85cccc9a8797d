// FDB-1, OPS-1: satisfaction over a period — ratings updated in it, grouped by service, team,
// agent, channel, organisation or touchpoint, each group within each organisation, and day by
// day: how many of each score, CSAT (the share of 4 and 5) and the mean; and the NPS of the
// relationship surveys answered in it. The SLA report's
// right: staff see every organisation, a customer its own; by team or agent is for staff.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/feedback/feedback.h"
#include "storage/ratings.h"
#include "usecase/context.h"

namespace tandem::usecase {

std::optional<storage::RatingGrouping> parse_rating_grouping(std::string_view text);
std::string_view to_string(storage::RatingGrouping grouping);

struct SatisfactionQuery {
  Time from, to;
  storage::RatingGrouping group_by = storage::RatingGrouping::service;
};

struct SatisfactionGroup {
  std::string key;   // the service's, team's, agent's or organisation's id, the channel or touchpoint; "none"
  std::string name;  // what a person reads: the service's name in the reader's language, the team's, the agent's
  std::array<std::int64_t, 5> by_score{};  // [i]: ratings of i + 1
  feedback::Csat csat() const { return feedback::csat(by_score); }
};

struct SatisfactionRow {
  std::string group_key;
  SatisfactionGroup counts;  // key: the organisation's id; name: its name
};

struct SatisfactionDay {
  std::chrono::sys_days day;  // UTC
  std::array<std::int64_t, 5> by_score{};
};

// FDB-1: the NPS of relationship surveys' answers submitted in the period, overall and — when the
// report is by service or by organisation — per group (a survey about no service is "none").
struct NpsGroup {
  std::string key, name;
  std::array<std::int64_t, 11> by_score{};  // [i]: answers of i
  feedback::Nps nps() const { return feedback::nps(by_score); }
};

struct SatisfactionReport {
  std::vector<SatisfactionGroup> groups;  // most ratings first, then by key
  SatisfactionGroup total;
  NpsGroup nps_total;
  std::vector<NpsGroup> nps_groups;  // by service or organisation only; most answers first
  std::vector<SatisfactionRow> by_organization;  // by group key, then organisation name
  std::vector<SatisfactionDay> days;             // every UTC day of the period, zeros included
};

Result<SatisfactionReport> satisfaction_report(const Services& s, const identity::Actor& actor, const SatisfactionQuery& query);

// DESK-8: the touchpoints ranked by their effect on satisfaction (feedback::touchpoint_effect):
// each touchpoint's own ratings and its swing on the resolution's score, the largest swing first
// (the resolution itself, which the others are measured against, last).
struct TouchpointRow {
  std::string touchpoint;
  std::array<std::int64_t, 5> by_score{};
  feedback::TouchpointEffect effect;
};
Result<std::vector<TouchpointRow>> touchpoint_report(const Services& s, const identity::Actor& actor, Time from, Time to);

}  // namespace tandem::usecase
