// DESK-9: overrides of guarded rules, their reason codes, and the improvement register that
// gathers them for the rule review (provider staff only).
#include <algorithm>

#include "http/definition_routes.h"
#include "http/routes.h"
#include "usecase/overrides.h"

namespace tandem::http {
namespace {

Json override_json(const usecase::OverrideView& v) {
  const auto& o = v.stored;
  return {{"id", o.id},
          {"rule", o.rule},
          {"target_type", o.target_type},
          {"target_id", o.target_id},
          {"organization_id", o.organization_id},
          {"actor_id", o.actor_id},
          {"reason_code", o.reason_code},
          {"justification", o.justification},
          {"details", Json::parse(o.details, nullptr, false)},
          {"improvement_id", o.improvement_id ? Json(*o.improvement_id) : Json(nullptr)},
          {"outcome", v.outcome},
          {"created_at", time_text(o.created_at)}};
}

Json improvement_json(const usecase::ImprovementView& v) {
  const auto& i = v.stored;
  return {{"id", i.id},
          {"title", i.title},
          {"description", i.description},
          {"status", i.status},
          {"created_by", i.created_by},
          {"override_ids", v.override_ids},
          {"version", i.version},
          {"etag", etag_of(i.version)},
          {"created_at", time_text(i.created_at)},
          {"updated_at", time_text(i.updated_at)}};
}

Response improvement_response(int status, const usecase::ImprovementView& v) {
  return versioned_response(status, improvement_json(v), v.stored, "/api/v1/improvements");
}

Json counts(const std::map<std::string, int>& by) {
  Json out = Json::object();
  for (const auto& [key, n] : by) out[key] = n;
  return out;
}

const std::initializer_list<std::string_view> kOverrideFields = {"rule", "target_id", "reason_code", "justification", "to",
                                                                 "extend_minutes"};
const std::initializer_list<std::string_view> kImprovementFields = {"title", "description", "status", "override_ids"};
constexpr std::string_view kFilterKeys[] = {"rule", "actor_id", "reason_code", "improvement_id", "target_id", "limit", "cursor"};

usecase::ImprovementInput improvement_input(Fields& f) {
  usecase::ImprovementInput in;
  in.title = f.text("title");
  in.description = f.text("description");
  in.status = f.text("status");
  in.override_ids = f.texts("override_ids").value_or(std::vector<std::string>{});
  return in;
}

}  // namespace

void register_override_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add("POST", "/api/v1/overrides", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, kOverrideFields);
    usecase::OverrideInput in;
    in.rule = f.text("rule", true).value_or("");
    in.target_id = f.text("target_id", true).value_or("");
    in.reason_code = f.text("reason_code", true).value_or("");
    in.justification = f.text("justification", true).value_or("");
    in.to = f.text("to");
    in.extend_minutes = f.integer("extend_minutes");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto o, usecase::create_override(s, r.actor(), in));
    return json_response(201, override_json(o));
  });
  router.add("GET", "/api/v1/overrides", signed_in, [&s](Request& r) -> Result<Response> {
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    for (const auto& [key, _] : r.query)
      if (std::find(std::begin(kFilterKeys), std::end(kFilterKeys), key) == std::end(kFilterKeys))
        e.details.push_back({key, "is not an override filter; filters: rule, actor_id, reason_code, improvement_id, target_id"});
    if (!e.details.empty()) return fail(std::move(e));
    ASSIGN_OR_RETURN(auto page, page_params(r));
    storage::OverrideFilter filter{r.query_value("rule"), r.query_value("actor_id"), r.query_value("reason_code"),
                                   r.query_value("improvement_id"), r.query_value("target_id")};
    ASSIGN_OR_RETURN(auto report, usecase::override_report(s, r.actor(), filter, {page.first, page.second}));
    Json items = Json::array();
    for (const auto& o : report.page.items) items.push_back(override_json(o));
    Json body = {{"items", items},
                 {"next_cursor", next_cursor(report.page.next_after)},
                 {"summary",
                  {{"overrides", report.summarised},
                   {"by_rule", counts(report.by_rule)},
                   {"by_actor", counts(report.by_actor)},
                   {"by_reason", counts(report.by_reason)},
                   {"by_outcome", counts(report.by_outcome)}}}};
    return json_response(200, body);
  });
  router.add("GET", "/api/v1/override-reasons", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto reasons, usecase::override_reason_codes(s, r.actor()));
    Response out = json_response(200, Json{{"codes", reasons.codes}, {"version", reasons.version}});
    out.set_header("ETag", etag_of(reasons.version));
    return out;
  });
  router.add("PUT", "/api/v1/override-reasons", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"codes"});
    auto codes = f.texts("codes");
    if (!codes) f.problem("codes", "is required: a list of reason codes");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto reasons, usecase::set_override_reason_codes(s, r.actor(), *codes, version));
    Response out = json_response(200, Json{{"codes", reasons.codes}, {"version", reasons.version}});
    out.set_header("ETag", etag_of(reasons.version));
    return out;
  });

  router.add("POST", "/api/v1/improvements", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, kImprovementFields);
    auto in = improvement_input(f);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto i, usecase::create_improvement(s, r.actor(), in));
    return improvement_response(201, i);
  });
  router.add("GET", "/api/v1/improvements", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto page, page_params(r));
    ASSIGN_OR_RETURN(auto found, usecase::list_improvements(s, r.actor(), {page.first, page.second}));
    Json items = Json::array();
    for (const auto& i : found.items) items.push_back(improvement_json(i));
    return page_response(items, found.next_after);
  });
  router.add("GET", "/api/v1/improvements/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto i, usecase::get_improvement(s, r.actor(), r.param("id")));
    return improvement_response(200, i);
  });
  router.add("PATCH", "/api/v1/improvements/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, kImprovementFields);
    auto in = improvement_input(f);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto i, usecase::update_improvement(s, r.actor(), r.param("id"), version, in));
    return improvement_response(200, i);
  });
}

}  // namespace tandem::http
