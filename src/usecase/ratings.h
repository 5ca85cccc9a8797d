// FDB-1: people rate the tickets that served them, from the portal or from the one-click link
// of the resolution mail (signed, single-use, expiring; no login). A rating of 2 or less is a
// moment of truth (DESK-8): it opens the ticket's recovery task, once.
#pragma once

#include <optional>
#include <string>

#include "storage/ratings.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct RatingInput {
  std::string ticket_id;
  std::string touchpoint = "resolution";
  std::optional<std::int64_t> score;
  std::string comment;
};

struct Rated {
  storage::Rating rating;
  bool created = false;  // false: an earlier rating was replaced
};

// By the person the ticket served (its requester, or the user it was raised for): 404 for a
// ticket the caller cannot read, 403 for one they read but that did not serve them, 409 before
// the touchpoint happened (resolution: resolved; first_response: the desk's first public reply),
// 422 for a score outside 1–5 or a touchpoint not rated.
Result<Rated> rate_ticket(const Services& s, const identity::Actor& actor, const RatingInput& in);

// Staff read every rating; a customer its organisation's; anyone else their own.
Result<storage::Page<storage::Rating>> list_ratings(const Services& s, const identity::Actor& actor, const storage::RatingFilter& filter,
                                                    const storage::PageRequest& page);

// ---- the one-click link -----------------------------------------------------------------------

constexpr std::int64_t kRatingLinkDays = 14;

// The key that signs the links, made on first use.
Result<std::string> rating_link_key(const Services& s);
// A fresh link's token, signed with `key`, for the person to rate the ticket's resolution.
std::string rating_link_token(const Services& s, std::string_view key, std::string_view ticket_id, std::string_view user_id);

// What the link's page shows before the person confirms: errors link_malformed, link_tampered,
// link_expired, link_used (failed_precondition), or not_found when the ticket is gone.
struct RatingLinkPage {
  std::string ticket_id;
  std::int64_t number = 0;
  std::string subject;
  std::string person_name;
  std::string language;
  std::optional<std::int64_t> score;  // the person's rating so far
};
Result<RatingLinkPage> open_rating_link(const Services& s, std::string_view token);

// Rates through the link and uses it up: the same rules as rate_ticket, as the link's person.
Result<Rated> rate_by_link(const Services& s, std::string_view token, std::optional<std::int64_t> score, const std::string& comment);

}  // namespace tandem::usecase
