// FDB-1: ratings of the tickets that served people, one per ticket, touchpoint and person
// (rating again replaces the score), and the one-click links already used. Reads take a Scope:
// staff read every rating, a customer its organisation's, anyone else their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/scope.h"

namespace tandem::storage {

struct Rating {
  std::string id;
  std::string ticket_id;
  std::string touchpoint;  // resolution, first_response, request_fulfilled
  std::string user_id;
  std::string organization_id;
  std::int64_t score = 0;  // 1–5
  std::string comment;
  // Copied from the ticket when rated: what satisfaction is reported by. The agent is the one
  // who had the ticket when it was first rated (FDB-3 credits them), kept when rated again.
  std::optional<std::string> service_id, team_id, agent_id;
  std::string channel;
  std::string via;  // portal (signed in) or link (the mail's one-click link)
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};
std::string canonical(const Rating& r);

struct RatingFilter {
  std::optional<std::string> ticket_id;
};

// OPS-1: ratings updated in a period counted by a column's value, the organisation and the score.
enum class RatingGrouping { service, team, agent, channel, organization, touchpoint };
struct ScoreCount {
  std::string key;  // the column's value; "none" for a ticket without a service, team or agent
  std::string organization_id;
  std::int64_t score = 0;
  std::int64_t ratings = 0;
};
struct DayScore {
  std::int64_t day = 0;  // days since the epoch, UTC
  std::int64_t score = 0;
  std::int64_t ratings = 0;
};

namespace ratings {
Result<void> insert(Connection& c, const Rating& r);
Result<void> update(Connection& c, const Rating& r);
Result<std::optional<Rating>> find(Connection& c, std::string_view ticket_id, std::string_view touchpoint, std::string_view user_id,
                                   Lock lock = Lock::none);
// Newest first.
Result<Page<Rating>> list(Connection& c, const Scope& scope, const RatingFilter& filter, const PageRequest& page);
// Records the link's nonce as used; false when it was already.
Result<bool> use_link(Connection& c, std::string_view nonce, std::string_view ticket_id, std::int64_t now);
Result<bool> link_used(Connection& c, std::string_view nonce);
// A merged duplicate's ratings become the survivor's; where both rated the same ticket's
// touchpoint, the survivor's stands.
Result<void> move_user(Connection& c, std::string_view from_user_id, std::string_view to_user_id);
// Counted by the database (GROUP BY): a report loads no rating.
Result<std::vector<ScoreCount>> count_scores(Connection& c, const Scope& scope, RatingGrouping by, std::int64_t from, std::int64_t to);
Result<std::vector<DayScore>> scores_per_day(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to);
// DESK-8: when the provider's staff first answered the ticket in public; none before.
Result<std::optional<std::int64_t>> first_public_reply_at(Connection& c, std::string_view ticket_id);
// DESK-8: a touchpoint's score beside the same person's rating of the ticket's resolution, for
// the ratings of the period: counted by touchpoint, its score and the resolution's score.
struct PairedScore {
  std::string touchpoint;
  std::int64_t score = 0, resolution_score = 0, ratings = 0;
};
Result<std::vector<PairedScore>> paired_with_resolution(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to);
}  // namespace ratings

}  // namespace tandem::storage
