// DESK-2, REL-4: the ordered classification (and routing) rules (administrators change them; staff read them).
#include "http/definition_routes.h"
#include "http/routes.h"
#include "usecase/classification.h"

namespace tandem::http {
namespace {

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
  // REL-4: the routing rules are these rules (by the affected user's language, time zone and
  // flags, the ticket's service, organisation, channel, type and words), under both names.
  for (const char* path : {"/api/v1/classification-rules", "/api/v1/routing-rules"})
    add_definition_routes<usecase::RuleInput, usecase::RuleView>(
        router, ctx.services,
        {path, kRuleFields, rule_input, usecase::list_classification_rules, usecase::create_classification_rule,
         usecase::get_classification_rule, usecase::update_classification_rule, usecase::delete_classification_rule});
}

}  // namespace tandem::http
