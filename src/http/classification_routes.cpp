// DESK-2: the ordered classification rules (administrators change them; staff read them).
#include "http/dto.h"
#include "http/routes.h"
#include "usecase/classification.h"

namespace tandem::http {
namespace {

Response rule_response(int status, const usecase::RuleView& v) {
  Response out = json_response(status, to_json(v));
  out.set_header("ETag", etag_of(v.stored.version));
  if (status == 201) out.set_header("Location", "/api/v1/classification-rules/" + v.stored.id);
  return out;
}

usecase::RuleInput rule_input(Fields& f, const Json& body) {
  usecase::RuleInput in;
  in.name = f.text("name");
  in.position = f.integer("position");
  in.active = f.boolean("active");
  for (const auto& [key, into] : {std::pair{"conditions", &in.conditions_json}, std::pair{"actions", &in.actions_json}}) {
    auto it = body.find(key);
    if (it == body.end()) continue;
    if (it->is_object()) *into = it->dump();
    else f.problem(key, "must be an object");
  }
  return in;
}

// Namespace scope: the list's array must outlive the handlers that read it.
const std::initializer_list<std::string_view> kRuleFields = {"name", "position", "active", "conditions", "actions"};

}  // namespace

void register_classification_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add("GET", "/api/v1/classification-rules", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto rules, usecase::list_classification_rules(s, r.actor()));
    return list_response(rules);
  });
  router.add("POST", "/api/v1/classification-rules", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, kRuleFields);
    auto in = rule_input(f, body);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto rule, usecase::create_classification_rule(s, r.actor(), in));
    return rule_response(201, rule);
  });
  router.add("GET", "/api/v1/classification-rules/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto rule, usecase::get_classification_rule(s, r.actor(), r.param("id")));
    return rule_response(200, rule);
  });
  router.add("PATCH", "/api/v1/classification-rules/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, kRuleFields);
    auto in = rule_input(f, body);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto rule, usecase::update_classification_rule(s, r.actor(), r.param("id"), version, in));
    return rule_response(200, rule);
  });
  router.add("DELETE", "/api/v1/classification-rules/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::delete_classification_rule(s, r.actor(), r.param("id")));
    Response out;
    out.status = 204;
    return out;
  });
}

}  // namespace tandem::http
