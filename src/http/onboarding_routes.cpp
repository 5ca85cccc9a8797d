// ONB-1: onboarding templates (relationship managers and administrators design them; the
// provider's staff read them). ONB-2…ONB-4: plans made from them, which both sides read, the
// organisation's customer accepts and each side works. Texts are written as the catalog's are
// (http/texts.h).
#include <utility>

#include "http/definition_routes.h"
#include "http/download.h"
#include "http/multipart.h"
#include "http/routes.h"
#include "http/texts.h"
#include "usecase/access_reviews.h"
#include "usecase/onboarding_plans.h"
#include "usecase/onboarding_templates.h"
#include "usecase/requirements.h"
#include "usecase/terms.h"
#include "usecase/trainings.h"

namespace tandem::http {
namespace {

namespace ob = ::tandem::onboarding;

Json render_template(const usecase::OnboardingTemplateView& v, const Request& r) {
  auto out = usecase::onboarding_template_json<Json>(v, texts_for(r));
  out.update(stored_fields(v.stored));
  // A standard change follows the predefined checklist: shown apart, as it is nobody's to write.
  if (v.tmpl.control_method == ob::ControlMethod::standard_change) {
    Json standard = Json::array();
    for (const auto& step : ob::standard_change_checklist()) standard.push_back(texts_for(r)(step));
    out["standard_checklist"] = std::move(standard);
  }
  return out;
}

Json person_json(const usecase::PlanView& v, const std::optional<std::string>& id) {
  if (!id) return nullptr;
  auto name = v.people.find(*id);
  return {{"id", *id}, {"name", name == v.people.end() ? Json(nullptr) : Json(name->second)}};
}

Json plan_action_json(const usecase::PlanView& v, const ob::PlanAction& a, const Texts& text) {
  return {{"id", a.id},
          {"key", a.what.key},
          {"title", text(a.what.title)},
          {"dimension", ob::to_string(a.what.dimension)},
          {"performed_by", ob::to_string(a.what.performed_by)},
          {"owner", {{"role", a.what.owner_role}, {"person", person_json(v, a.owner_id)}}},
          {"due_offset_days", a.what.due_offset_days},
          {"due", date::format("%F", a.due)},
          {"depends_on", a.what.depends_on},
          {"status", ob::to_string(a.status)},
          {"overdue", ob::overdue(ob::Lifecycle::builtin(), a, v.today)}};
}

// A plan as one reads it; in a list (`whole` false) without its actions, which a 200-action plan
// would make tens of kilobytes each: its progress and how many are overdue say how it stands.
Json plan_json(const usecase::PlanView& v, const Request& r, bool whole = true) {
  auto text = texts_for(r);
  const auto& p = v.stored;
  Json actions = Json::array(), overdue = Json::array(), objectives = Json::array(), scope = Json::array();
  for (const auto& a : v.actions) {
    auto one = plan_action_json(v, a, text);
    if (one["overdue"].get<bool>()) overdue.push_back(one);
    actions.push_back(std::move(one));
  }
  for (const auto& o : v.objectives) {
    Json one = {{"key", o.objective.key},
                {"name", text(o.objective.name)},
                {"metric", ob::to_string(o.objective.metric)},
                {"target", o.objective.target},
                {"value", o.value ? Json(*o.value) : Json(nullptr)},
                {"met", o.met},
                {"recorded", o.recorded},
                {"counts", o.counts},
                {"basis", o.basis}};
    if (o.objective.metric == ob::Metric::tickets_per_user_first_days) one["days"] = o.objective.days;
    objectives.push_back(std::move(one));
  }
  for (const auto& e : v.tmpl.scope)
    scope.push_back({{"dimension", ob::to_string(e.dimension)}, {"side", ob::to_string(e.side)}, {"description", text(e.description)}});
  std::size_t late = overdue.size();
  Json out = {{"id", p.id},
              {"template_id", p.template_id},
              {"name", text(v.tmpl.name)},
              {"organization_id", p.organization_id},
              {"user_id", p.user_id ? Json(*p.user_id) : Json(nullptr)},
              {"scenario", p.scenario},
              {"status", p.status},
              {"control_method", ob::to_string(v.tmpl.control_method)},
              {"scope", scope},
              {"calendar_id", p.calendar_id ? Json(*p.calendar_id) : Json(nullptr)},
              {"start_trigger", v.start_trigger},
              {"end_criterion", v.end_criterion},
              {"start_date", p.start_date},
              {"today", date::format("%F", v.today)},
              {"actions", actions},
              {"progress", {{"done", v.progress.done}, {"total", v.progress.total}}},
              {"overdue", overdue},
              {"accepted_by", person_json(v, p.accepted_by)},
              {"accepted_at", nullable_time(p.accepted_at)},
              {"accepted_version", p.accepted_version ? Json(*p.accepted_version) : Json(nullptr)},
              {"created_by", p.created_by},
              {"version", p.version},
              {"etag", etag_of(p.version)},
              {"created_at", time_text(p.created_at)},
              {"updated_at", time_text(p.updated_at)}};
  if (p.review) {
    auto review = Json::parse(*p.review);
    review["reviewed_at"] = time_text(review.value("reviewed_at", std::int64_t(0)));
    review["reviewed_by"] = person_json(v, review.value("reviewed_by", std::string()));
    out["review"] = std::move(review);
  } else {
    out["review"] = nullptr;
  }
  out["overdue_count"] = late;
  if (!whole) {
    out.erase("actions");
    out.erase("overdue");
  }
  // Objectives are measured for one plan at a time, not for every plan of a list.
  if (!v.objectives.empty() || v.tmpl.objectives.empty()) {
    out["objectives"] = objectives;
    out["objectives_measured_at"] = v.objectives.empty() ? Json(nullptr) : Json(time_text(v.objectives_measured_at));
  }
  return out;
}

Response plan_response(int status, const usecase::PlanView& v, const Request& r) {
  return versioned_response(status, plan_json(v, r), v.stored, "/api/v1/plans");
}

Json plan_event_json(const storage::PlanEvent& e, const std::map<std::string, std::string>& people) {
  auto name = people.find(e.actor_id);
  return {{"id", e.id},
          {"plan_version", e.plan_version},
          {"kind", e.kind},
          {"actor_id", e.actor_id},
          {"actor", {{"id", e.actor_id}, {"name", name == people.end() ? Json(nullptr) : Json(name->second)}}},
          {"action_id", e.action_id ? Json(*e.action_id) : Json(nullptr)},
          {"data", Json::parse(e.data)},
          {"created_at", time_text(e.created_at)}};
}

Json requirement_json(const usecase::RequirementView& v, const Request& r) {
  auto text = texts_for(r);
  Json out = {{"name", text(v.name)},
              {"description", text(v.description)},
              {"kind", ob::to_string(v.kind)},
              {"category", v.category.empty() ? Json(nullptr) : Json(v.category)},
              {"training_id", v.training_id ? Json(*v.training_id) : Json(nullptr)},
              {"validity_days", v.validity_days ? Json(*v.validity_days) : Json(nullptr)},
              {"reminder_days", v.reminder_days}};
  out.update(stored_fields(v.stored));
  return out;
}

Json evidence_json(const storage::RequirementEvidence& e) {
  auto text = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); };
  return {{"id", e.id},
          {"requirement_id", e.requirement_id},
          {"user_id", e.user_id},
          {"organization_id", e.organization_id},
          {"note", e.note},
          {"file", e.file ? Json{{"name", e.file->name},
                                 {"size", e.file->size},
                                 {"content_type", e.file->content_type},
                                 {"url", "/api/v1/evidence/" + e.id + "/file"}}
                          : Json(nullptr)},
          {"status", e.status},
          {"reason", e.reason},
          {"decided_by", text(e.decided_by)},
          {"decided_at", nullable_time(e.decided_at)},
          {"expires_on", text(e.expires_on)},
          {"version", e.version},
          {"created_at", time_text(e.created_at)}};
}

// A training as its reader may see it: the right answers only for those who manage trainings.
Json training_json(const usecase::TrainingView& v, const Request& r) {
  auto text = texts_for(r);
  bool answers = usecase::sees_training_answers(r.actor());
  Json content = Json::array(), questions = Json::array();
  for (const auto& c : v.training.content)
    content.push_back({{"kind", ob::to_string(c.kind)}, {"url", c.url}, {"title", text(c.title)}});
  for (const auto& q : v.training.questions) {
    Json choices = Json::array();
    for (const auto& choice : q.choices) choices.push_back(text(choice));
    Json one = {{"text", text(q.text)}, {"choices", choices}};
    if (answers) one["answer"] = q.answer;
    questions.push_back(std::move(one));
  }
  Json out = {{"title", text(v.training.title)},
              {"content", content},
              {"questions", questions},
              {"pass_mark", v.training.pass_mark},
              {"content_digest", v.digest}};
  out.update(stored_fields(v.stored));
  return out;
}

Json attempt_json(const storage::TrainingAttempt& a) {
  return {{"id", a.id},
          {"training_id", a.training_id},
          {"correct", a.correct},
          {"questions", a.questions},
          {"score", a.questions ? double(a.correct) / double(a.questions) : 1.0},
          {"passed", a.passed},
          {"created_at", time_text(a.created_at)}};
}

Json terms_json(const usecase::TermsView& v, const Request& r) {
  auto text = texts_for(r);
  Json versions = Json::array();
  for (const auto& version : v.versions)
    versions.push_back({{"number", version.number}, {"text", text(version.text)}, {"published_at", nullable_time(version.published_at)}});
  auto current = std::ranges::find(v.versions, v.current.value_or(-1), &usecase::TermsVersion::number);
  Json out = {{"title", text(v.title)},
              {"service_id", v.service_id ? Json(*v.service_id) : Json(nullptr)},
              {"offering_id", v.offering_id ? Json(*v.offering_id) : Json(nullptr)},
              {"covers_service_id", v.covers_service_id},
              {"current_version", v.current ? Json(*v.current) : Json(nullptr)},
              {"latest_version", v.versions.empty() ? Json(nullptr) : Json(v.versions.back().number)},
              {"text", current == v.versions.end() ? Json(nullptr) : text(current->text)},
              {"versions", versions}};
  out.update(stored_fields(v.stored));
  return out;
}

Json review_grant_json(const storage::ReviewGrant& g) {
  return {{"id", g.id},
          {"kind", g.kind},
          {"subject", Json::parse(g.subject)},
          {"decision", g.decision ? Json(*g.decision) : Json(nullptr)},
          {"decided_by", g.decided_by ? Json(*g.decided_by) : Json(nullptr)},
          {"decided_at", nullable_time(g.decided_at)}};
}

// A review says how far it is; its grants are read a page at a time.
Json access_review_json(const storage::AccessReview& r) {
  return {{"id", r.id},
          {"organization_id", r.organization_id},
          {"opened_by", r.opened_by},
          {"decided", r.decided_count},
          {"total", r.grant_count},
          {"version", r.version},
          {"etag", etag_of(r.version)},
          {"created_at", time_text(r.created_at)},
          {"updated_at", time_text(r.updated_at)}};
}

// One review with the first page of its grants (`grants_next_cursor` continues them at
// /api/v1/access-reviews/{id}/grants).
constexpr int kGrantsShown = 200;
Result<Response> access_review_response(const usecase::Services& s, const Request& r, const storage::AccessReview& review, int status) {
  ASSIGN_OR_RETURN(auto first, usecase::list_review_grants(s, r.actor(), review.id, {kGrantsShown, ""}));
  auto body = access_review_json(review);
  Json grants = Json::array();
  for (const auto& g : first.items) grants.push_back(review_grant_json(g));
  body["grants"] = std::move(grants);
  body["grants_next_cursor"] = next_cursor(first.next_after);
  auto out = json_response(status, body);
  out.set_header("ETag", etag_of(review.version));
  return out;
}

}  // namespace

void register_onboarding_routes(Router& router, const RouteContext& ctx) {
  add_definition_routes<usecase::CatalogInput, usecase::OnboardingTemplateView>(
      router, ctx.services,
      {"/api/v1/onboarding-templates", usecase::kOnboardingTemplateFields, definition_json, usecase::list_onboarding_templates,
       usecase::create_onboarding_template, usecase::get_onboarding_template, usecase::update_onboarding_template,
       usecase::delete_onboarding_template, render_template});

  add_definition_routes<usecase::CatalogInput, usecase::RequirementView>(
      router, ctx.services,
      {"/api/v1/requirements", usecase::kRequirementFields, definition_json, usecase::list_requirements, usecase::create_requirement,
       usecase::get_requirement, usecase::update_requirement, usecase::delete_requirement, requirement_json});

  add_definition_routes<usecase::CatalogInput, usecase::TrainingView>(
      router, ctx.services,
      {"/api/v1/trainings", usecase::kTrainingFields, definition_json, usecase::list_trainings, usecase::create_training,
       usecase::get_training, usecase::update_training, usecase::delete_training, training_json});

  add_definition_routes<usecase::CatalogInput, usecase::TermsView>(
      router, ctx.services,
      {"/api/v1/terms", usecase::kTermsFields, definition_json, usecase::list_terms, usecase::create_terms, usecase::get_terms,
       usecase::update_terms, usecase::delete_terms, terms_json});

  const auto& s = ctx.services;
  const RouteOptions signed_in{};
  // ONB-12: access reviews.
  router.add("POST", "/api/v1/access-reviews", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"organization_id"});
    auto org = f.text("organization_id", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto review, usecase::open_access_review(s, r.actor(), *org));
    ASSIGN_OR_RETURN(auto out, access_review_response(s, r, review, 201));
    out.set_header("Location", "/api/v1/access-reviews/" + review.id);
    return out;
  });
  router.add("GET", "/api/v1/access-reviews", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto page, page_params(r));
    ASSIGN_OR_RETURN(auto found, usecase::list_access_reviews(s, r.actor(), {page.first, page.second}));
    Json items = Json::array();
    for (const auto& review : found.items) items.push_back(access_review_json(review));
    return page_response(items, found.next_after);
  });
  router.add("GET", "/api/v1/access-reviews/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto review, usecase::get_access_review(s, r.actor(), r.param("id")));
    return access_review_response(s, r, review, 200);
  });
  router.add("GET", "/api/v1/access-reviews/{id}/grants", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"limit", "cursor"}));
    ASSIGN_OR_RETURN(auto page, page_params(r));
    ASSIGN_OR_RETURN(auto found, usecase::list_review_grants(s, r.actor(), r.param("id"), {page.first, page.second}));
    Json items = Json::array();
    for (const auto& g : found.items) items.push_back(review_grant_json(g));
    return page_response(items, found.next_after);
  });
  router.add("POST", "/api/v1/access-reviews/{id}/decisions", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"grant_id", "decision"});
    auto grant = f.text("grant_id", true);
    auto decision = f.text("decision", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto decided, usecase::decide_grant(s, r.actor(), r.param("id"), *grant, *decision));
    auto out = access_review_json(decided.review);
    out["grant"] = review_grant_json(decided.grant);
    auto response = json_response(200, out);
    response.set_header("ETag", etag_of(decided.review.version));
    return response;
  });
  // ONB-7: publishing terms' latest version; accepting the current one.
  router.add("POST", "/api/v1/terms/{id}/publish", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    TRY(Fields(body, {}).finish());
    ASSIGN_OR_RETURN(auto terms, usecase::publish_terms(s, r.actor(), r.param("id")));
    return versioned_response(200, terms_json(terms, r), terms.stored, "/api/v1/terms");
  });
  router.add("POST", "/api/v1/terms/{id}/acceptances", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"channel"});
    auto channel = f.text("channel").value_or("portal");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto a, usecase::accept_terms(s, r.actor(), r.param("id"), channel));
    return json_response(201, {{"terms_id", a.terms_id},
                                {"version", a.terms_version},
                                {"user_id", a.user_id},
                                {"channel", a.channel},
                                {"accepted_at", time_text(a.accepted_at)}});
  });
  // ONB-9: an attempt at a training's quiz, scored here; one's own attempts.
  router.add("POST", "/api/v1/trainings/{id}/attempts", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"answers"});
    std::vector<int> answers;
    auto given = body.find("answers");
    if (given == body.end() || !given->is_array() || given->size() > onboarding::kMaxQuestions)
      f.problem("answers", "must be a list of choice indexes, one for each question");
    else
      for (std::size_t i = 0; i < given->size(); ++i) {
        const auto& a = (*given)[i];
        if (!a.is_number_integer() || a.get<std::int64_t>() < 0 || a.get<std::int64_t>() > 100)
          f.problem("answers[" + std::to_string(i) + "]", "must be a choice's index, from 0");
        else answers.push_back(int(a.get<std::int64_t>()));
      }
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto result, usecase::attempt_training(s, r.actor(), r.param("id"), answers));
    auto out = attempt_json(result.attempt);
    out["pass_mark"] = result.pass_mark;
    return json_response(201, out);
  });
  router.add("GET", "/api/v1/trainings/{id}/attempts", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto record, usecase::my_attempts(s, r.actor(), r.param("id")));
    Json items = Json::array();
    for (const auto& a : record.attempts) items.push_back(attempt_json(a));
    return json_response(200, {{"items", items}, {"next_cursor", nullptr}, {"passed", record.passed}});
  });
  // ONB-8: evidence for a requirement — a note as JSON (naming, if it likes, a file uploaded
  // before as `attachment_id`), or a file with an optional note as multipart/form-data — the
  // agents' decisions and queue, and where the caller stands.
  RouteOptions upload;
  upload.body_limit = ctx.attachment_limit;
  router.add("POST", "/api/v1/requirements/{id}/evidence", upload, [&s, json_limit = ctx.body_limit](Request& r) -> Result<Response> {
    usecase::EvidenceInput in;
    std::vector<FormPart> parts;
    if (r.header("content-type").starts_with("multipart/")) {
      ASSIGN_OR_RETURN(auto boundary, multipart_boundary(r.header("content-type")));
      ASSIGN_OR_RETURN(parts, parse_multipart(r.body, boundary));
      bool noted = false;
      ASSIGN_OR_RETURN(auto file, the_file(parts, [&](const FormPart& part) -> std::optional<std::string> {
        if (part.name != "note") return "is not a known field";
        if (std::exchange(noted, true)) return "is given twice";
        in.note = std::string(part.data);
        return std::nullopt;
      }));
      in.file = usecase::EvidenceInput::File{*file->filename, file->data};
    } else {
      // Only a file may be as large as an attachment; a JSON body keeps the server's bound.
      if (r.body.size() > json_limit)
        return fail(Code::too_large, "The JSON body is too large; send a file as multipart/form-data.");
      ASSIGN_OR_RETURN(auto body, parse_json_object(r));
      Fields f(body, {"note", "attachment_id"});
      in.attachment_id = f.text("attachment_id");
      in.note = f.text("note", !in.attachment_id).value_or("");
      TRY(f.finish());
    }
    ASSIGN_OR_RETURN(auto e, usecase::submit_evidence(s, r.actor(), r.param("id"), in));
    auto out = json_response(201, evidence_json(e));
    out.set_header("Location", "/api/v1/evidence/" + e.id);
    return out;
  });
  router.add("GET", "/api/v1/evidence/{id}/file", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto d, usecase::get_evidence_file(s, r.actor(), r.param("id")));
    return download_response(std::move(d.file.content_type), d.file.name, std::move(d.bytes));
  });
  router.add("POST", "/api/v1/evidence/{id}/decision", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"decision", "reason", "expires_on"});
    usecase::EvidenceDecision in;
    in.decision = f.text("decision", true).value_or("");
    in.reason = f.text("reason", true).value_or("");
    in.expires_on = f.text("expires_on");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto e, usecase::decide_evidence(s, r.actor(), r.param("id"), in));
    return json_response(200, evidence_json(e));
  });
  router.add("GET", "/api/v1/evidence", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"status", "limit", "cursor"}));
    ASSIGN_OR_RETURN(auto page, page_params(r));
    ASSIGN_OR_RETURN(auto found, usecase::list_evidence(s, r.actor(), r.query_value("status").value_or(""), {page.first, page.second}));
    Json items = Json::array();
    for (const auto& e : found.items) items.push_back(evidence_json(e));
    return page_response(items, found.next_after);
  });
  router.add("GET", "/api/v1/me/requirements", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(texts_of(r));
    ASSIGN_OR_RETURN(auto standing, usecase::my_requirements(s, r.actor()));
    auto text = texts_for(r);
    Json items = Json::array();
    for (const auto& one : standing)
      items.push_back({{"requirement_id", one.requirement.stored.id},
                       {"name", text(one.requirement.name)},
                       {"kind", ob::to_string(one.requirement.kind)},
                       {"category", one.requirement.category.empty() ? Json(nullptr) : Json(one.requirement.category)},
                       {"training_id", one.requirement.training_id ? Json(*one.requirement.training_id) : Json(nullptr)},
                       {"status", ob::to_string(one.status)},
                       {"expires_on", one.expires_on ? Json(*one.expires_on) : Json(nullptr)},
                       {"latest_evidence", one.latest ? evidence_json(*one.latest) : Json(nullptr)}});
    return page_response(items, std::nullopt);
  });
  router.add("POST", "/api/v1/plans", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"template_id", "organization_id", "user_id", "scenario", "start_date", "calendar_id", "start_trigger", "end_criterion"});
    usecase::PlanInput in;
    in.template_id = f.text("template_id", true).value_or("");
    in.organization_id = f.text("organization_id", true).value_or("");
    in.user_id = f.text("user_id");
    in.scenario = f.text("scenario", true).value_or("");
    in.start_date = f.text("start_date", true).value_or("");
    in.calendar_id = f.text("calendar_id");
    in.start_trigger = f.text("start_trigger").value_or("");
    in.end_criterion = f.text("end_criterion").value_or("");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto plan, usecase::create_plan(s, r.actor(), in));
    return plan_response(201, plan, r);
  });
  router.add("GET", "/api/v1/plans", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"organization_id", "status", "limit", "cursor", "lang"}));
    TRY(texts_of(r));
    ASSIGN_OR_RETURN(auto page, page_params(r));
    storage::PlanFilter filter{r.query_value("organization_id"), r.query_value("status")};
    ASSIGN_OR_RETURN(auto found, usecase::list_plans(s, r.actor(), filter, {page.first, page.second}));
    Json items = Json::array();
    for (const auto& v : found.items) items.push_back(plan_json(v, r, false));
    return page_response(items, found.next_after);
  });
  router.add("GET", "/api/v1/plans/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(texts_of(r));
    ASSIGN_OR_RETURN(auto plan, usecase::get_plan(s, r.actor(), r.param("id")));
    return plan_response(200, plan, r);
  });
  router.add("PATCH", "/api/v1/plans/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    Fields f(body, {"actions"});
    if (!body.contains("actions")) f.problem("actions", "is required: the plan's whole list of actions, as it should be");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto plan, usecase::adapt_plan(s, r.actor(), r.param("id"), version, body["actions"].dump()));
    return plan_response(200, plan, r);
  });
  router.add("POST", "/api/v1/plans/{id}/acceptance", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    TRY(Fields(body, {}).finish());
    ASSIGN_OR_RETURN(auto plan, usecase::accept_plan(s, r.actor(), r.param("id")));
    return plan_response(200, plan, r);
  });
  router.add("POST", "/api/v1/plans/{id}/actions/{action_id}/transitions", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"to"});
    auto to = f.text("to", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto plan, usecase::move_plan_action(s, r.actor(), r.param("id"), r.param("action_id"), *to));
    return plan_response(200, plan, r);
  });
  router.add("POST", "/api/v1/plans/{id}/review", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"satisfaction", "open_errors", "risk_assessment", "summary", "improvements"});
    usecase::PlanReviewInput in;
    in.risk_assessment = f.text("risk_assessment", true).value_or("");
    in.summary = f.text("summary").value_or("");
    in.open_errors = f.texts("open_errors").value_or(std::vector<std::string>{});
    if (auto it = body.find("satisfaction"); it != body.end() && !it->is_null()) {
      if (!it->is_object()) f.problem("satisfaction", "must be an object: {\"users\": 1–5, \"customer\": 1–5}");
      else
        for (const auto& [side, value] : it->items()) {
          if (side != "users" && side != "customer") f.problem("satisfaction." + side, "is not a known field");
          else if (!value.is_null() && !value.is_number()) f.problem("satisfaction." + side, "must be a number");
          else if (value.is_number()) (side == "users" ? in.users_satisfaction : in.customer_satisfaction) = value.get<double>();
        }
    }
    if (auto it = body.find("improvements"); it != body.end() && !it->is_null()) {
      if (!it->is_array()) f.problem("improvements", "must be a list of {\"title\", \"description\"}");
      else
        for (std::size_t i = 0; i < it->size(); ++i) {
          const auto& idea = (*it)[i];
          auto at = "improvements[" + std::to_string(i) + "]";
          if (!idea.is_object() || !idea.contains("title") || !idea["title"].is_string() ||
              (idea.contains("description") && !idea["description"].is_string()))
            f.problem(at, "must be {\"title\": text, \"description\": text}");
          else
            in.improvements.push_back({idea["title"].get<std::string>(), idea.value("description", std::string())});
        }
    }
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto plan, usecase::review_plan(s, r.actor(), r.param("id"), in));
    return plan_response(200, plan, r);
  });
  router.add("GET", "/api/v1/plans/{id}/events", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto page, page_params(r));
    ASSIGN_OR_RETURN(auto found, usecase::plan_timeline(s, r.actor(), r.param("id"), {page.first, page.second}));
    Json items = Json::array();
    for (const auto& e : found.page.items) items.push_back(plan_event_json(e, found.people));
    return page_response(items, found.page.next_after);
  });
}

}  // namespace tandem::http
