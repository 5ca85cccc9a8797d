// FDB-1: relationship surveys — staff write and publish them, the people invited answer once,
// staff and each organisation's customer read the results.
#include "domain/feedback/table.h"
#include "http/dto.h"
#include "http/json_body.h"
#include "http/report_formats.h"
#include "http/routes.h"
#include "usecase/catalog_definitions.h"
#include "usecase/surveys.h"

namespace tandem::http {
namespace {

// The built-in question every survey opens with, in each language the desk speaks.
Json nps_question() {
  return {{"key", "nps"},
          {"kind", "nps"},
          {"prompt",
           {{"en", "How likely are you to recommend us to a friend or colleague?"}, {"zh-CN", "您有多大可能把我们推荐给朋友或同事？"}}},
          {"options", Json::array()},
          {"required", true}};
}

Json questions_json(const storage::Survey& s) {
  Json out = Json::array({nps_question()});
  auto stored = Json::parse(s.questions, nullptr, false);
  if (stored.is_array())
    for (auto& q : stored) out.push_back(std::move(q));
  return out;
}

Json optional_time(const std::optional<std::int64_t>& t) { return t ? Json(time_text(*t)) : Json(nullptr); }

Json survey_json(const usecase::SurveyView& v, std::int64_t now) {
  const auto& s = v.survey;
  Json out{{"id", s.id},
           {"title", Json::parse(s.title, nullptr, false)},
           {"intro", Json::parse(s.intro, nullptr, false)},
           {"questions", questions_json(s)},
           {"service_id", s.service_id ? Json(*s.service_id) : Json(nullptr)},
           {"anonymous", s.anonymous},
           {"opens_at", optional_time(s.opens_at)},
           {"closes_at", optional_time(s.closes_at)},
           {"state", feedback::to_string(usecase::survey_state(s, now))}};
  if (v.invitation)
    out["invitation"] = {{"invited_at", time_text(v.invitation->invited_at)},
                         {"answered", v.invitation->answered_on.has_value()},
                         // An anonymous survey keeps no time of the answer.
                         {"answered_on", v.invitation->answered_on && !s.anonymous
                                             ? Json(time_text(*v.invitation->answered_on).substr(0, 10))
                                             : Json(nullptr)}};
  if (!v.keeper) return out;
  // Whom it addresses is the provider's business: other organisations' ids stay with staff.
  out["organization_ids"] = s.organization_ids;
  out["reminder_days"] = s.reminder_days;
  out["published_at"] = optional_time(s.published_at);
  out["closed_at"] = optional_time(s.closed_at);
  out["created_by"] = s.created_by;
  out["version"] = s.version;
  out["etag"] = etag_of(s.version);
  out["created_at"] = time_text(s.created_at);
  out["updated_at"] = time_text(s.updated_at);
  return out;
}

Response survey_response(int status, const storage::Survey& s, std::int64_t now) {
  Response out = json_response(status, survey_json({s, std::nullopt, true}, now));
  out.set_header("ETag", etag_of(s.version));
  if (status == 201) out.set_header("Location", "/api/v1/surveys/" + s.id);
  return out;
}

Json nps_json(const feedback::Nps& n) {
  return {{"responses", n.responses},
          {"promoters", n.promoters},
          {"passives", n.passives},
          {"detractors", n.detractors},
          {"score", n.responses ? Json(feedback::rounded(n.score)) : Json(nullptr)}};
}

Json tally_json(const feedback::QuestionTally& t) {
  Json out{{"key", t.key}, {"kind", feedback::to_string(t.kind)}, {"responses", t.responses}, {"counts", t.counts}};
  if (t.nps) out["nps"] = nps_json(*t.nps);
  if (t.csat)
    out["csat"] = {{"satisfied", t.csat->satisfied},
                   {"csat", t.csat->responses ? Json(feedback::rounded(t.csat->percent / 100.0)) : Json(nullptr)},
                   {"mean", t.csat->responses ? Json(feedback::rounded(t.csat->mean)) : Json(nullptr)}};
  return out;
}

Json results_json(const usecase::SurveyResults& r, bool staff) {
  Json questions = Json::array(), organizations = Json::array();
  Json overall = nullptr;
  for (const auto& q : r.questions) {
    questions.push_back(tally_json(q));
    if (q.nps) overall = nps_json(*q.nps);
  }
  for (const auto& o : r.organizations)
    organizations.push_back({{"id", o.organization_id},
                             {"name", o.name},
                             {"invited", o.invited},
                             {"answered", o.answered},
                             {"withheld", o.withheld},
                             {"nps", o.withheld ? Json(nullptr) : nps_json(o.nps)}});
  Json out{{"survey_id", r.survey.id},
           {"invited", r.invited},
           {"answered", r.answered},
           {"response_rate", r.invited ? Json(feedback::rounded(double(r.answered) / double(r.invited))) : Json(nullptr)},
           {"nps", r.withheld ? Json(nullptr) : overall},
           {"withheld", r.withheld},
           {"questions", questions},
           {"organizations", organizations}};
  if (staff) {
    Json texts = Json::array();
    for (const auto& t : r.texts)
      texts.push_back({{"question_key", t.question_key},
                       {"text", t.text},
                       {"organization_id", t.organization_id.empty() ? Json(nullptr) : Json(t.organization_id)},
                       {"user_id", t.user_id ? Json(*t.user_id) : Json(nullptr)}});
    out["texts"] = texts;
  }
  return out;
}

// The results as tables: every answer counted (a row per question and score or option), each
// organisation's turnout and NPS, and (staff) the texts. Withheld figures stay out.
std::vector<feedback::Table> results_tables(const usecase::SurveyResults& r, bool staff) {
  auto stored = Json::parse(r.survey.questions, nullptr, false);
  auto option = [&](const std::string& key, std::size_t i) -> std::string {
    if (stored.is_array())
      for (const auto& q : stored)
        if (q.value("key", "") == key && q.contains("options") && i < q["options"].size())
          return std::string(usecase::catalog_definitions::stored_text(q["options"][i]).in("en"));
    return std::to_string(i);
  };
  feedback::Table answers{"Answers", {"question", "kind", "answer", "responses"}, {}};
  if (!r.withheld)
    for (const auto& q : r.questions) {
      for (std::size_t i = 0; i < q.counts.size(); ++i) {
        std::string answer = q.kind == feedback::QuestionKind::choice ? option(q.key, i)
                             : q.kind == feedback::QuestionKind::scale ? std::to_string(i + 1)
                                                                       : std::to_string(i);
        answers.rows.push_back({q.key, std::string(feedback::to_string(q.kind)), answer, q.counts[i]});
      }
      if (q.kind == feedback::QuestionKind::text) answers.rows.push_back({q.key, std::string("text"), std::string("answered"), q.responses});
    }
  feedback::Table organizations{"Organizations",
                                {"organization_id", "organization", "invited", "answered", "promoters", "passives", "detractors", "nps"},
                                {}};
  for (const auto& o : r.organizations) {
    std::vector<feedback::Cell> row{o.organization_id, o.name, o.invited, o.answered};
    if (o.withheld) row.insert(row.end(), {std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{}});
    else {
      row.insert(row.end(), {o.nps.promoters, o.nps.passives, o.nps.detractors});
      if (o.nps.responses) row.emplace_back(feedback::rounded(o.nps.score));
      else row.emplace_back(std::monostate{});
    }
    organizations.rows.push_back(std::move(row));
  }
  std::vector<feedback::Table> out{std::move(answers), std::move(organizations)};
  if (staff) {
    feedback::Table texts{"Texts", {"question", "text", "organization_id", "user_id"}, {}};
    for (const auto& t : r.texts)
      texts.rows.push_back({t.question_key, t.text, t.organization_id, t.user_id ? feedback::Cell(*t.user_id) : feedback::Cell(std::monostate{})});
    out.push_back(std::move(texts));
  }
  return out;
}

}  // namespace

void register_survey_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};
  const std::string base = "/api/v1/surveys";
  auto now = [&s] { return to_millis(s.clock.now()); };

  router.add("POST", base, signed_in, [&s, now](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    ASSIGN_OR_RETURN(auto survey, usecase::create_survey(s, r.actor(), {body.dump()}));
    return survey_response(201, survey, now());
  });
  router.add("GET", base, signed_in, [&s, now](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::list_surveys(s, r.actor(), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& v : page.items) items.push_back(survey_json(v, now()));
    return page_response(std::move(items), page.next_after);
  });
  router.add("GET", base + "/{id}", signed_in, [&s, now](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto v, usecase::get_survey(s, r.actor(), r.param("id")));
    Response out = json_response(200, survey_json(v, now()));
    if (v.keeper) out.set_header("ETag", etag_of(v.survey.version));
    return out;
  });
  router.add("PATCH", base + "/{id}", signed_in, [&s, now](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto survey, usecase::update_survey(s, r.actor(), r.param("id"), version, {body.dump()}));
    return survey_response(200, survey, now());
  });
  router.add("POST", base + "/{id}/publish", signed_in, [&s, now](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto survey, usecase::publish_survey(s, r.actor(), r.param("id"), version));
    return survey_response(200, survey, now());
  });
  router.add("POST", base + "/{id}/close", signed_in, [&s, now](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto survey, usecase::close_survey(s, r.actor(), r.param("id"), version));
    return survey_response(200, survey, now());
  });
  router.add("POST", base + "/{id}/responses", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"answers"});
    TRY(f.finish());
    auto answers = body.contains("answers") ? body["answers"].dump() : std::string("null");
    ASSIGN_OR_RETURN(auto response, usecase::answer_survey(s, r.actor(), r.param("id"), answers));
    // The response is the person's; an anonymous one names no one and tells only its day.
    return json_response(201, {{"id", response.id},
                               {"survey_id", response.survey_id},
                               {"submitted_at", time_text(response.submitted_at)},
                               {"anonymous", !response.user_id.has_value()}});
  });
  // OPS-1: the results to take away as well: ?format=csv (the answers counted) or xlsx (a sheet
  // each: answers, organisations, and for staff the texts).
  router.add("GET", base + "/{id}/results", signed_in, [&s](Request& r) -> Result<Response> {
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    for (const auto& [key, _] : r.query)
      if (key != "format") e.details.push_back({key, "is not a parameter of the results; parameters: format"});
    auto format = report_format(e, r);
    if (!e.details.empty()) return fail(std::move(e));
    ASSIGN_OR_RETURN(auto results, usecase::survey_results(s, r.actor(), r.param("id")));
    bool staff = identity::is_staff(r.actor().roles);
    if (format == ReportFormat::json) return json_response(200, results_json(results, staff));
    auto tables = results_tables(results, staff);
    return report_response(format, "survey-" + results.survey.id, to_rfc3339(s.clock.now()).substr(0, 10), results_json(results, staff),
                           tables);
  });
}

}  // namespace tandem::http
