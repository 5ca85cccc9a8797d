// FDB-1: relationship surveys, the people invited to each and their responses. A survey's own
// row is the provider's (no Scope: staff keep them; use cases decide who reads which); the
// invitations and responses are organisations' data and are read through a Scope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct Survey {
  std::string id;
  std::string title = "{}", intro = "{}";  // JSON objects: language → text
  std::string questions = "[]";            // JSON: [{key, kind, prompt, options, required}]
  std::vector<std::string> organization_ids;  // none: every customer organisation
  std::optional<std::string> service_id;
  bool anonymous = false;
  std::optional<std::int64_t> opens_at, closes_at;
  std::int64_t reminder_days = 3;
  std::optional<std::int64_t> published_at, invited_at, closed_at;
  std::string created_by;
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};
std::string canonical(const Survey& s);

struct SurveyInvitation {
  std::string survey_id, user_id, organization_id;
  std::int64_t invited_at = 0;
  std::optional<std::int64_t> reminded_at, answered_on;
};

struct SurveyResponse {
  std::string id;
  std::string survey_id, organization_id;
  std::optional<std::string> user_id;  // none for an anonymous survey's
  std::string scores = "{}", texts = "{}";  // JSON objects: question key → answer
  std::optional<std::int64_t> nps;
  std::int64_t submitted_at = 0;
};

// A survey with what the caller has to do with it.
struct InvitedSurvey {
  Survey survey;
  SurveyInvitation invitation;
};

// FDB-1, OPS-1: NPS answers submitted in a period, counted by organisation (or by the survey's
// service) and score.
struct NpsCount {
  std::string key;
  std::string organization_id;
  std::int64_t score = 0;
  std::int64_t responses = 0;
};

namespace surveys {
Result<void> insert(Connection& c, const Survey& s);
Result<void> update(Connection& c, const Survey& s);
Result<std::optional<Survey>> find(Connection& c, std::string_view id, Lock lock = Lock::none);
// Newest first.
Result<Page<Survey>> list(Connection& c, const PageRequest& page);
// Published surveys whose time to open has come and whose people are not invited yet.
Result<std::vector<Survey>> to_invite(Connection& c, std::int64_t now, int limit);
// Published, open at `now`, with reminders: those whose unanswered invitations may be due one.
Result<std::vector<Survey>> open_with_reminders(Connection& c, std::int64_t now);
}  // namespace surveys

namespace survey_invitations {
// Invites every present, active person of the survey's organisations (of every customer
// organisation when it names none) at `now`; the people invited, by the database's order.
Result<std::vector<SurveyInvitation>> invite_audience(Connection& c, const Survey& s, std::int64_t now);
Result<std::optional<SurveyInvitation>> find(Connection& c, std::string_view survey_id, std::string_view user_id, Lock lock = Lock::none);
// Marks the invitation answered on `answered_on` unless it was: false when it was already (two
// answers racing: the second loses).
Result<bool> mark_answered(Connection& c, std::string_view survey_id, std::string_view user_id, std::int64_t answered_on);
// Marks the reminder sent unless it was, or the person answered meanwhile: false then (two nodes
// on the same beat remind once).
Result<bool> mark_reminded(Connection& c, std::string_view survey_id, std::string_view user_id, std::int64_t now);
// The caller's invitations to published surveys, newest survey first.
Result<std::vector<InvitedSurvey>> of_user(Connection& c, std::string_view user_id, int limit);
// Not answered, not reminded, invited at or before `invited_before`, of people still active in the
// organisation they were invited as.
Result<std::vector<SurveyInvitation>> to_remind(Connection& c, std::string_view survey_id, std::int64_t invited_before, int limit);
// How many of the scope's people were invited, and how many answered, per organisation.
struct Turnout {
  std::string organization_id;
  std::int64_t invited = 0, answered = 0;
};
Result<std::vector<Turnout>> turnout(Connection& c, const Scope& scope, std::string_view survey_id);
// A merged duplicate's invitations become the survivor's where the survivor has none; where both
// had one, the survivor's counts as answered when either was.
Result<void> move_user(Connection& c, std::string_view from_user_id, std::string_view to_user_id);
}  // namespace survey_invitations

namespace survey_responses {
Result<void> insert(Connection& c, const SurveyResponse& r);
// The scope's responses to a survey (a customer: its organisation's), oldest first.
Result<std::vector<SurveyResponse>> of_survey(Connection& c, const Scope& scope, std::string_view survey_id);
// Counted by the database: NPS answers submitted in [from, to) by organisation or by service —
// of named surveys only: an anonymous survey's answers are shown by its own results, with their
// floor, never in a period a reader may narrow to one survey's opening.
enum class NpsGrouping { organization, service };
Result<std::vector<NpsCount>> count_nps(Connection& c, const Scope& scope, NpsGrouping by, std::int64_t from, std::int64_t to);
// A merged duplicate's response becomes the survivor's; where both answered, the duplicate's
// goes: one person, one answer.
Result<void> move_user(Connection& c, std::string_view from_user_id, std::string_view to_user_id);
}  // namespace survey_responses

}  // namespace tandem::storage
