#include "usecase/surveys.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/id.h"
#include "storage/definitions.h"
#include "storage/organizations.h"
#include "usecase/catalog_definitions.h"
#include "usecase/mail_out.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using feedback::QuestionKind;
using identity::Actor;
using Json = nlohmann::json;
using storage::Scope;
using storage::Survey;
namespace texts = catalog_definitions;

constexpr std::size_t kTitleLimit = 200;
constexpr std::size_t kIntroLimit = 2000;
constexpr std::size_t kPromptLimit = 500;
constexpr std::size_t kOptionLimit = 200;
constexpr std::int64_t kMaxReminderDays = 30;
constexpr std::int64_t kDayMs = 86'400'000;
constexpr int kListLimit = 100;
// The fewest answers of an anonymous survey whose figures are shown (in all, per organisation).
constexpr std::int64_t kAnonymousFloor = 3;

Error no_survey() { return Error(Code::not_found, "No such survey."); }

std::int64_t now_ms(const Services& s) { return to_millis(s.clock.now()); }

bool keeps_surveys(const Actor& actor) { return authorize(actor, "survey.manage").has_value(); }

bool concerns(const Survey& survey, std::string_view organization_id) {
  return survey.organization_ids.empty() || std::ranges::find(survey.organization_ids, organization_id) != survey.organization_ids.end();
}

std::optional<std::int64_t> optional_time(const Json& v, const char* field, Problems& p) {
  if (v.is_null()) return std::nullopt;
  Time t;
  if (!v.is_string() || !parse_rfc3339(v.get<std::string>(), t)) {
    p.add(field, "must be an RFC 3339 time or null");
    return std::nullopt;
  }
  return to_millis(t);
}

// The author's questions as stored: [{key, kind, prompt, options, required}], keys made for the
// questions sent without one ("q1", "q2", … by position).
Json questions_of(const Json& value, std::string_view language, Problems& p) {
  Json out = Json::array();
  if (!value.is_array()) {
    p.add("questions", "must be a list of questions: {kind: scale|choice|text, prompt, options (choice), required, key}");
    return out;
  }
  if (value.size() > feedback::kMaxQuestions - 1) p.add("questions", "may hold at most 20 questions besides the built-in NPS question");
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto& q = value[i];
    auto at = "questions[" + std::to_string(i) + "]";
    if (!q.is_object()) {
      p.add(at, "must be an object");
      continue;
    }
    for (const auto& [key, _] : q.items())
      if (key != "key" && key != "kind" && key != "prompt" && key != "options" && key != "required")
        p.add(at + "." + key, "is not a field of a question; fields: key, kind, prompt, options, required");
    std::string key = "q" + std::to_string(i + 1);
    if (auto k = q.find("key"); k != q.end()) {
      if (!k->is_string() || !feedback::valid_question_key(k->get<std::string>()))
        p.add(at + ".key", "must be 1–40 of a-z, 0-9 and _ (not nps, the built-in question's)");
      else
        key = k->get<std::string>();
    }
    if (std::ranges::find(keys, key) != keys.end()) p.add(at + ".key", "is another question's key: " + key);
    keys.push_back(key);
    auto kind_text = q.value("kind", Json()).is_string() ? q["kind"].get<std::string>() : std::string();
    auto kind = feedback::question_kind_from(kind_text);
    if (!kind || *kind == QuestionKind::nps) {
      p.add(at + ".kind", kind ? "the NPS question is built in: every survey opens with it" : "allowed: scale, choice, text");
      continue;
    }
    Json stored{{"key", key}, {"kind", kind_text}, {"options", Json::array()}, {"required", false}};
    auto prompt = q.find("prompt");
    if (prompt == q.end()) p.add(at + ".prompt", "is required: the question as people read it");
    else if (auto text = texts::text_of(*prompt, at + ".prompt", language, kPromptLimit, p)) stored["prompt"] = texts::text_json(*text);
    if (auto r = q.find("required"); r != q.end()) {
      if (!r->is_boolean()) p.add(at + ".required", "must be true or false");
      else stored["required"] = r->get<bool>();
    }
    auto options = q.find("options");
    if (*kind == QuestionKind::choice) {
      if (options == q.end() || !options->is_array() || options->size() < 2 || options->size() > feedback::kMaxOptions) {
        p.add(at + ".options", "is required for a choice: 2 to 12 options");
        continue;
      }
      for (std::size_t o = 0; o < options->size(); ++o)
        if (auto text = texts::text_of((*options)[o], at + ".options[" + std::to_string(o) + "]", language, kOptionLimit, p))
          stored["options"].push_back(texts::text_json(*text));
    } else if (options != q.end() && !(options->is_array() && options->empty())) {
      p.add(at + ".options", "only a choice has options");
    }
    out.push_back(std::move(stored));
  }
  return out;
}

// The body's fields onto `survey` (a new one, or a draft being changed), each checked against
// the store; then what the whole must hold.
Result<void> apply(storage::Connection& c, Survey& survey, const Json& body, std::string_view language, Problems& p) {
  for (const auto& [key, value] : body.items()) {
    if (key == "title" || key == "intro") {
      auto& stored = key == "title" ? survey.title : survey.intro;
      if (key == "intro" && (value.is_null() || (value.is_object() && value.empty()))) {
        stored = "{}";
        continue;
      }
      auto text = texts::text_of(value, key, language, key == "title" ? kTitleLimit : kIntroLimit, p);
      if (text) stored = texts::text_json(texts::stored_text(Json::parse(stored, nullptr, false)).with(*text)).dump();
    } else if (key == "questions") {
      survey.questions = questions_of(value, language, p).dump();
    } else if (key == "organization_ids") {
      survey.organization_ids.clear();
      if (!value.is_array()) {
        p.add("organization_ids", "must be a list of customer organisation ids (empty: every customer organisation)");
        continue;
      }
      for (const auto& id : value) {
        if (!id.is_string()) {
          p.add("organization_ids", "must be a list of customer organisation ids");
          break;
        }
        ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::system(), id.get<std::string>()));
        if (!org || org->kind != identity::OrganizationKind::consumer)
          p.add("organization_ids", "no such customer organisation: " + id.get<std::string>());
        else if (std::ranges::find(survey.organization_ids, org->id) == survey.organization_ids.end())
          survey.organization_ids.push_back(org->id);
      }
    } else if (key == "service_id") {
      if (value.is_null()) {
        survey.service_id.reset();
        continue;
      }
      if (!value.is_string()) {
        p.add("service_id", "must be a service id or null");
        continue;
      }
      ASSIGN_OR_RETURN(auto service, storage::definitions::find(c, storage::DefinitionKind::service, value.get<std::string>()));
      if (!service) p.add("service_id", "no such service");
      else survey.service_id = service->id;
    } else if (key == "anonymous") {
      if (!value.is_boolean()) p.add("anonymous", "must be true or false");
      else survey.anonymous = value.get<bool>();
    } else if (key == "opens_at") {
      survey.opens_at = optional_time(value, "opens_at", p);
    } else if (key == "closes_at") {
      survey.closes_at = optional_time(value, "closes_at", p);
    } else if (key == "reminder_days") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > kMaxReminderDays)
        p.add("reminder_days", "must be a whole number of days from 0 (no reminder) to 30");
      else
        survey.reminder_days = value.get<std::int64_t>();
    } else {
      p.add(key, "is not a field of a survey; fields: title, intro, questions, organization_ids, service_id, anonymous, opens_at, "
                 "closes_at, reminder_days");
    }
  }
  if (p.any()) return {};
  if (texts::stored_text(Json::parse(survey.title, nullptr, false)).empty()) p.add("title", "is required: 1–200 bytes in one language or more");
  if (survey.opens_at && survey.closes_at && *survey.closes_at <= *survey.opens_at) p.add("closes_at", "must be after opens_at");
  return {};
}

Json parse_body(const SurveyInput& in, Problems& p) {
  auto j = Json::parse(in.fields_json, nullptr, false);
  if (!j.is_object()) {
    p.add("body", "must be a JSON object");
    return Json::object();
  }
  return j;
}

// Invites the survey's people now, with the mail of each invitation; the survey records it.
Result<int> invite(storage::Connection& c, const Services& s, Survey& survey) {
  auto now = now_ms(s);
  ASSIGN_OR_RETURN(auto invited, storage::survey_invitations::invite_audience(c, survey, now));
  for (const auto& i : invited) TRY(queue_survey_mail(c, s, survey.id, i.user_id, i.organization_id, "survey_invitation"));
  survey.invited_at = now;
  TRY(storage::surveys::update(c, survey));
  return int(invited.size());
}

Result<Survey> change_draft(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                            const std::function<Result<void>(storage::Connection&, Survey&)>& change, std::string action) {
  TRY(authorize(actor, "survey.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<Survey> {
    ASSIGN_OR_RETURN(auto found, storage::surveys::find(c, id, storage::Lock::for_update));
    if (!found) return fail(no_survey());
    auto survey = std::move(*found);
    if (survey.version != expected_version)
      return fail(Code::failed_precondition, "The survey changed since you read it; read it again.", "version_mismatch");
    auto before = canonical(survey);
    TRY(change(c, survey));
    survey.version += 1;
    survey.updated_at = now_ms(s);
    TRY(storage::surveys::update(c, survey));
    TRY(record(c, s, actor, {std::move(action), "survey", survey.id, "", before, canonical(survey)}));
    return survey;
  });
}

// A response's answers as the domain reads them, from the stored scores and texts.
feedback::Answers answers_of(const storage::SurveyResponse& r) {
  feedback::Answers out;
  auto scores = Json::parse(r.scores, nullptr, false);
  if (scores.is_object())
    for (const auto& [key, v] : scores.items())
      if (v.is_number_integer()) out.emplace(key, v.get<std::int64_t>());
  auto written = Json::parse(r.texts, nullptr, false);
  if (written.is_object())
    for (const auto& [key, v] : written.items())
      if (v.is_string()) out.emplace(key, v.get<std::string>());
  return out;
}

}  // namespace

std::vector<feedback::Question> survey_questions(const Survey& survey) {
  std::vector<feedback::Question> out{{std::string(feedback::kNpsKey), QuestionKind::nps, true, 0}};
  auto stored = Json::parse(survey.questions, nullptr, false);
  if (!stored.is_array()) return out;
  for (const auto& q : stored) {
    auto kind = feedback::question_kind_from(q.value("kind", ""));
    if (!kind) continue;
    out.push_back({q.value("key", ""), *kind, q.value("required", false), q.value("options", Json::array()).size()});
  }
  return out;
}

feedback::SurveyState survey_state(const Survey& survey, std::int64_t now) {
  return feedback::survey_state(survey.published_at.has_value(), survey.closed_at.has_value(), survey.opens_at.value_or(0),
                                survey.closes_at.value_or(0), now);
}

Result<Survey> create_survey(const Services& s, const Actor& actor, const SurveyInput& in) {
  TRY(authorize(actor, "survey.manage"));
  Problems p;
  auto body = parse_body(in, p);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<Survey> {
    Survey survey;
    survey.id = new_id("srv", s.clock.now());
    survey.created_by = actor.user_id;
    survey.created_at = survey.updated_at = now_ms(s);
    TRY(apply(c, survey, body, actor.language, p));
    if (p.any()) return fail(p.error());
    TRY(storage::surveys::insert(c, survey));
    TRY(record(c, s, actor, {"survey.create", "survey", survey.id, "", std::nullopt, canonical(survey)}));
    return survey;
  });
}

Result<Survey> update_survey(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                             const SurveyInput& patch) {
  TRY(authorize(actor, "survey.manage"));
  Problems p;
  auto body = parse_body(patch, p);
  if (p.any()) return fail(p.error());
  return change_draft(
      s, actor, id, expected_version,
      [&](storage::Connection& c, Survey& survey) -> Result<void> {
        if (survey.published_at) return fail(Code::conflict, "A published survey cannot be changed; close it and write another.", "published");
        TRY(apply(c, survey, body, actor.language, p));
        if (p.any()) return fail(p.error());
        return {};
      },
      "survey.update");
}

Result<Survey> publish_survey(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version) {
  return change_draft(
      s, actor, id, expected_version,
      [&](storage::Connection& c, Survey& survey) -> Result<void> {
        if (survey.published_at) return fail(Code::conflict, "This survey is published already.", "published");
        auto now = now_ms(s);
        Problems p;
        if (!survey.closes_at) p.add("closes_at", "is required to publish: when the survey closes");
        else if (*survey.closes_at <= std::max(now, survey.opens_at.value_or(now))) p.add("closes_at", "must be after it opens and in the future");
        if (p.any()) return fail(p.error());
        survey.published_at = now;
        if (!survey.opens_at || *survey.opens_at < now) survey.opens_at = now;
        if (*survey.opens_at <= now) TRY(invite(c, s, survey));
        return {};
      },
      "survey.publish");
}

Result<Survey> close_survey(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version) {
  return change_draft(
      s, actor, id, expected_version,
      [&](storage::Connection&, Survey& survey) -> Result<void> {
        if (!survey.published_at) return fail(Code::conflict, "A draft is not open: publish it first, or leave it.", "draft");
        if (survey_state(survey, now_ms(s)) == feedback::SurveyState::closed)
          return fail(Code::conflict, "This survey is closed already.", "closed");
        survey.closed_at = now_ms(s);
        return {};
      },
      "survey.close");
}

Result<SurveyView> get_survey(const Services& s, const Actor& actor, std::string_view id) {
  return s.db.read([&](storage::Connection& c) -> Result<SurveyView> {
    ASSIGN_OR_RETURN(auto survey, storage::surveys::find(c, id));
    if (!survey) return fail(no_survey());
    if (keeps_surveys(actor)) return SurveyView{std::move(*survey), std::nullopt, true};
    if (!survey->published_at) return fail(no_survey());
    ASSIGN_OR_RETURN(auto invitation, storage::survey_invitations::find(c, id, actor.user_id));
    if (invitation && invitation->organization_id == actor.organization_id) return SurveyView{std::move(*survey), std::move(invitation), false};
    // Whoever reads results reads the survey: staff any, a customer one that concerns it.
    bool reports = authorize(actor, "survey.report").has_value();
    if (reports && (identity::is_staff(actor.roles) || concerns(*survey, actor.organization_id)))
      return SurveyView{std::move(*survey), std::nullopt, false};
    return fail(no_survey());
  });
}

Result<storage::Page<SurveyView>> list_surveys(const Services& s, const Actor& actor, const storage::PageRequest& page) {
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<SurveyView>> {
    storage::Page<SurveyView> out;
    // Staff read every survey's results: they list them all (its keepers the drafts too).
    if (bool keeper = keeps_surveys(actor); keeper || identity::is_staff(actor.roles)) {
      ASSIGN_OR_RETURN(auto surveys, storage::surveys::list(c, page));
      for (auto& survey : surveys.items)
        if (keeper || survey.published_at) out.items.push_back({std::move(survey), std::nullopt, keeper});
      out.next_after = std::move(surveys.next_after);
      return out;
    }
    // A person's invitations are few: the newest hundred, one page.
    ASSIGN_OR_RETURN(auto invited, storage::survey_invitations::of_user(c, actor.user_id, kListLimit));
    for (auto& i : invited)
      if (i.invitation.organization_id == actor.organization_id) out.items.push_back({std::move(i.survey), std::move(i.invitation), false});
    return out;
  });
}

Result<storage::SurveyResponse> answer_survey(const Services& s, const Actor& actor, std::string_view id, const std::string& answers_json) {
  TRY(authorize(actor, "survey.answer"));
  auto sent = Json::parse(answers_json, nullptr, false);
  Problems p;
  feedback::Answers answers;
  if (!sent.is_object()) p.add("answers", "is required: an object of answers by question key");
  else
    for (const auto& [key, v] : sent.items()) {
      if (v.is_number_integer()) answers.emplace(key, v.get<std::int64_t>());
      else if (v.is_string()) answers.emplace(key, trimmed(v.get<std::string>()));  // blank is no answer
      else if (!v.is_null()) p.add("answers." + key, "must be a whole number or a text");
    }
  return s.db.write([&](storage::Connection& c) -> Result<storage::SurveyResponse> {
    ASSIGN_OR_RETURN(auto survey, storage::surveys::find(c, id));
    if (!survey || !survey->published_at) return fail(no_survey());
    ASSIGN_OR_RETURN(auto invitation, storage::survey_invitations::find(c, id, actor.user_id, storage::Lock::for_update));
    if (!invitation || invitation->organization_id != actor.organization_id) return fail(no_survey());
    auto now = now_ms(s);
    auto state = survey_state(*survey, now);
    if (state != feedback::SurveyState::open)
      return fail(Code::conflict, state == feedback::SurveyState::closed ? "This survey is closed." : "This survey is not open yet.",
                  "survey_not_open");
    if (invitation->answered_on) return fail(Code::conflict, "You answered this survey already.", "already_answered");
    auto questions = survey_questions(*survey);
    for (const auto& problem : feedback::check_answers(questions, answers)) p.add("answers." + problem.key, problem.problem);
    if (p.any()) return fail(p.error());

    // Anonymous: the response's time — and its id's — is the survey's opening, the invitation's
    // answer is the same, and the audit entry names the survey, not the response: no time or
    // id ties a response to the person who gave it.
    auto answered = survey->anonymous ? survey->opens_at.value_or(0) : now;
    storage::SurveyResponse r;
    r.id = new_id("srs", from_millis(answered));
    r.survey_id = survey->id;
    r.organization_id = invitation->organization_id;
    if (!survey->anonymous) r.user_id = actor.user_id;
    Json scores = Json::object(), written = Json::object();
    for (const auto& q : questions) {
      auto it = answers.find(q.key);
      if (it == answers.end()) continue;
      if (auto score = std::get_if<std::int64_t>(&it->second)) scores[q.key] = *score;
      else if (const auto& text = std::get<std::string>(it->second); !text.empty()) written[q.key] = text;
    }
    r.scores = scores.dump();
    r.texts = written.dump();
    if (scores.contains(feedback::kNpsKey)) r.nps = scores[std::string(feedback::kNpsKey)].get<std::int64_t>();
    r.submitted_at = answered;
    ASSIGN_OR_RETURN(bool first, storage::survey_invitations::mark_answered(c, survey->id, actor.user_id, answered));
    if (!first) return fail(Code::conflict, "You answered this survey already.", "already_answered");
    TRY(storage::survey_responses::insert(c, r));
    if (survey->anonymous) TRY(record(c, s, actor, {"survey.answer", "survey", survey->id, r.organization_id, std::nullopt, std::nullopt}));
    else TRY(record(c, s, actor, {"survey.answer", "survey_response", r.id, r.organization_id, std::nullopt, r.scores + "\n" + r.texts}));
    return r;
  });
}

Result<SurveyResults> survey_results(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "survey.report"));
  bool staff = identity::is_staff(actor.roles);
  return s.db.read([&](storage::Connection& c) -> Result<SurveyResults> {
    ASSIGN_OR_RETURN(auto survey, storage::surveys::find(c, id));
    if (!survey || (!staff && (!survey->published_at || !concerns(*survey, actor.organization_id)))) return fail(no_survey());
    auto scope = Scope::for_actor(actor);
    ASSIGN_OR_RETURN(auto responses, storage::survey_responses::of_survey(c, scope, id));
    ASSIGN_OR_RETURN(auto turnout, storage::survey_invitations::turnout(c, scope, id));
    SurveyResults out;
    out.survey = std::move(*survey);
    // Anonymous: figures of fewer answers than kAnonymousFloor are withheld (an organisation of
    // two knows who answered what), and no text names its organisation.
    bool anonymous = out.survey.anonymous;
    auto shown = [&](std::int64_t answers) { return !anonymous || answers >= kAnonymousFloor; };
    out.withheld = !shown(std::int64_t(responses.size()));
    std::vector<feedback::Answers> answers;
    std::map<std::string, std::array<std::int64_t, 11>> nps_by_org;
    for (const auto& r : responses) {
      answers.push_back(answers_of(r));
      if (r.nps && *r.nps >= 0 && *r.nps <= 10) nps_by_org[r.organization_id][std::size_t(*r.nps)] += 1;
      if (!staff || out.withheld) continue;
      for (const auto& [key, text] : answers.back())
        if (auto t = std::get_if<std::string>(&text)) out.texts.push_back({key, *t, anonymous ? "" : r.organization_id, r.user_id});
    }
    if (out.withheld) answers.clear();
    for (const auto& q : survey_questions(out.survey)) out.questions.push_back(feedback::tally(q, answers));
    // One organisation's figures withheld would show by subtraction from the rest: then none is shown.
    bool organizations_withheld =
        std::ranges::any_of(turnout, [&](const auto& t) { return t.answered > 0 && !shown(t.answered); });
    for (const auto& t : turnout) {
      OrganizationTurnout o{t.organization_id, t.organization_id, t.invited, t.answered, {}};
      o.withheld = organizations_withheld || !shown(t.answered);
      if (!o.withheld) o.nps = feedback::nps(nps_by_org[t.organization_id]);
      ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, scope, t.organization_id));
      if (org) o.name = org->name;
      out.invited += t.invited;
      out.answered += t.answered;
      out.organizations.push_back(std::move(o));
    }
    return out;
  });
}

Result<SurveyBeat> run_survey_schedule(const Services& s, int limit) {
  SurveyBeat beat;
  auto now = now_ms(s);
  auto actor = system_actor();
  ASSIGN_OR_RETURN(auto due, s.db.read([&](storage::Connection& c) { return storage::surveys::to_invite(c, now, 20); }));
  for (const auto& candidate : due) {
    // One survey that fails leaves the others to their beat.
    auto n = s.db.write([&](storage::Connection& c) -> Result<int> {
      ASSIGN_OR_RETURN(auto survey, storage::surveys::find(c, candidate.id, storage::Lock::for_update));
      if (!survey || survey->invited_at || survey_state(*survey, now_ms(s)) != feedback::SurveyState::open) return 0;
      ASSIGN_OR_RETURN(int invited, invite(c, s, *survey));
      TRY(record(c, s, actor, {"survey.invite", "survey", survey->id, "", std::nullopt, fmt::format("invited={}\n", invited)}));
      return invited;
    });
    if (n) beat.invited += *n;
    else beat.failures.push_back(candidate.id + ": " + n.error().message);
  }
  ASSIGN_OR_RETURN(auto open, s.db.read([&](storage::Connection& c) { return storage::surveys::open_with_reminders(c, now); }));
  for (const auto& survey : open) {
    if (beat.reminded >= limit) break;
    auto n = s.db.write([&](storage::Connection& c) -> Result<int> {
      ASSIGN_OR_RETURN(auto due_now, storage::survey_invitations::to_remind(c, survey.id, now - survey.reminder_days * kDayMs,
                                                                             limit - beat.reminded));
      int reminded = 0;
      for (const auto& i : due_now) {
        // Marked first, and only while still due: a person who answered meanwhile, or another
        // node's beat that reminded them, leaves nothing to send.
        ASSIGN_OR_RETURN(bool due_yet, storage::survey_invitations::mark_reminded(c, survey.id, i.user_id, now));
        if (!due_yet) continue;
        TRY(queue_survey_mail(c, s, survey.id, i.user_id, i.organization_id, "survey_reminder"));
        ++reminded;
      }
      if (reminded > 0)
        TRY(record(c, s, actor, {"survey.remind", "survey", survey.id, "", std::nullopt, fmt::format("reminded={}\n", reminded)}));
      return reminded;
    });
    if (n) beat.reminded += *n;
    else beat.failures.push_back(survey.id + ": " + n.error().message);
  }
  return beat;
}

}  // namespace tandem::usecase
