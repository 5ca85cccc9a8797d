// FDB-1: relationship surveys. Relationship managers write a survey — the built-in NPS question
// and their own, as data — for some customer organisations (every one when it names none), with
// a schedule (opens, closes), one reminder and an anonymous option, and publish it. When it
// opens, every present person of those organisations is invited (in the portal, and by mail
// when mail out is on) in one transaction; each answers once; an invitation not answered gets
// one reminder. Results: turnout, NPS, each question counted, per organisation; staff read
// every organisation's and the texts, an organisation's customer its own figures only.
//
// Anonymous: the response names no one and carries the survey's opening as its time; the audit
// entry of an answer names the survey, not the response; the invitation says only that the person
// answered (reminders need it). Figures of fewer than three answers are withheld, and texts name
// no organisation. (Who reads the database's own row metadata is beyond this.)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/feedback/survey.h"
#include "storage/surveys.h"
#include "usecase/context.h"

namespace tandem::usecase {

// The body's fields, checked by the use case: title, intro, questions, organization_ids,
// service_id, anonymous, opens_at, closes_at, reminder_days.
struct SurveyInput {
  std::string fields_json = "{}";
};
Result<storage::Survey> create_survey(const Services& s, const identity::Actor& actor, const SurveyInput& in);
// While it is a draft (conflict once published).
Result<storage::Survey> update_survey(const Services& s, const identity::Actor& actor, std::string_view id,
                                      std::int64_t expected_version, const SurveyInput& patch);
// Publishes a draft: it opens at its opens_at (now when it has none), inviting its people then.
Result<storage::Survey> publish_survey(const Services& s, const identity::Actor& actor, std::string_view id,
                                       std::int64_t expected_version);
// Closes a published survey before its time.
Result<storage::Survey> close_survey(const Services& s, const identity::Actor& actor, std::string_view id,
                                     std::int64_t expected_version);

// A survey as the caller may read it: who keeps surveys reads any; a person invited reads it
// with their invitation; a customer it concerns reads it for its results; else not_found.
struct SurveyView {
  storage::Survey survey;
  std::optional<storage::SurveyInvitation> invitation;
  bool keeper = false;  // the caller keeps surveys (sees whom it addresses)
};
Result<SurveyView> get_survey(const Services& s, const identity::Actor& actor, std::string_view id);
// Who keeps surveys: every one, newest first; other staff the published ones. Anyone else: the
// surveys they were invited to.
Result<storage::Page<SurveyView>> list_surveys(const Services& s, const identity::Actor& actor, const storage::PageRequest& page);

// The caller answers a survey they were invited to (not_found otherwise): 409 when it is not
// open or they answered already; 422 naming "answers.<key>" for each answer that is wrong.
Result<storage::SurveyResponse> answer_survey(const Services& s, const identity::Actor& actor, std::string_view id,
                                              const std::string& answers_json);

struct SurveyText {
  std::string question_key, text, organization_id;  // no organisation in an anonymous survey
  std::optional<std::string> user_id;  // none in an anonymous survey
};
struct OrganizationTurnout {
  std::string organization_id, name;
  std::int64_t invited = 0, answered = 0;
  feedback::Nps nps;
  bool withheld = false;  // anonymous, and too few answers to show
};
struct SurveyResults {
  storage::Survey survey;
  std::int64_t invited = 0, answered = 0;
  bool withheld = false;  // anonymous, and too few answers in all: no figures, no texts
  std::vector<feedback::QuestionTally> questions;
  std::vector<OrganizationTurnout> organizations;
  std::vector<SurveyText> texts;  // staff only
};
// survey.report: staff read every organisation's results, a customer its organisation's (of a
// survey that concerns it) without the texts.
Result<SurveyResults> survey_results(const Services& s, const identity::Actor& actor, std::string_view id);

// The beat: surveys whose time came invite their people; invitations due one get their reminder.
struct SurveyBeat {
  int invited = 0, reminded = 0;
  std::vector<std::string> failures;  // a survey each, with why
};
Result<SurveyBeat> run_survey_schedule(const Services& s, int limit = 500);

// The questions a survey holds, read from what is stored.
std::vector<feedback::Question> survey_questions(const storage::Survey& survey);
feedback::SurveyState survey_state(const storage::Survey& survey, std::int64_t now);

}  // namespace tandem::usecase
