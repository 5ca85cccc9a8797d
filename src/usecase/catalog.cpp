#include "usecase/catalog.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <set>
#include <shared_mutex>
#include <tuple>

#include <date/date.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/id.h"
#include "core/log.h"
#include "domain/feedback/feedback.h"
#include "storage/organizations.h"
#include "storage/subscriptions.h"
#include "storage/teams.h"
#include "storage/user_groups.h"
#include "storage/users.h"
#include "usecase/approvals.h"
#include "usecase/attachments.h"
#include "usecase/billing.h"
#include "usecase/catalog_definitions.h"
#include "usecase/definition_access.h"
#include "usecase/directory_cache.h"
#include "usecase/fulfilment.h"
#include "usecase/requirements.h"
#include "usecase/terms.h"
#include "usecase/trainings.h"
#include "storage/terms_acceptances.h"
#include "usecase/sla_policies.h"
#include "usecase/ticket_draft.h"
#include "usecase/tickets.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using namespace catalog_definitions;

constexpr std::size_t kNameLimit = 200;
constexpr std::size_t kDescriptionLimit = 4000;
constexpr std::size_t kTermsLimit = 20000;
constexpr std::int64_t kMaxQuotaMonths = 120;

constexpr std::size_t kMaxApprovalSteps = 10;

// Whether a service with the id is stored, read in the writing transaction.
auto stored_service(storage::Connection& c) {
  return [&c](const std::string& id) -> Result<bool> {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::service, id));
    return found.has_value();
  };
}

// ---- services -----------------------------------------------------------------------------

struct CheckedService {
  Json definition;
  ServiceView view;
};

// The slug a service is addressed by: its own, or one made from its English name, or its id.
std::string effective_slug(const Json& def, std::string_view id) {
  if (!def.is_object()) return std::string(id);
  if (auto slug = def.find("slug"); slug != def.end() && slug->is_string()) return slug->get<std::string>();
  auto made = feedback::slug_from(stored_text(def.value("name", Json::object())).in("en"));
  return made.empty() ? std::string(id) : made;
}

// The slugs of every other service.
Result<std::set<std::string>> other_slugs(storage::Connection& c, std::string_view self_id) {
  ASSIGN_OR_RETURN(auto all, storage::definitions::all(c, Kind::service));
  std::set<std::string> out;
  for (const auto& d : all)
    if (d.id != self_id) out.insert(effective_slug(Json::parse(d.definition, nullptr, false), d.id));
  return out;
}

// `self_id` is empty for a service being created. One without a slug (new, from before slugs, or
// whose slug was cleared) gets one made from its English name, numbered when another service has
// it already, and keeps it.
Result<std::optional<CheckedService>> check_service(storage::Connection& c, const Json& def, std::string_view language,
                                                    std::string_view self_id, Problems& p) {
  ServiceView v;
  auto name = def.find("name");
  if (name == def.end() || name->is_null()) p.add("name", "is required");
  else v.name = text_of(*name, "name", language, kNameLimit, p).value_or(LocalizedText());
  v.description = optional_text(def, "description", language, kDescriptionLimit, p);
  std::optional<std::string> slug;
  if (auto given = def.find("slug"); given != def.end() && !given->is_null()) {
    if (!given->is_string() || !feedback::valid_slug(given->get<std::string>()))
      p.add("slug", "must be 1–60 of a-z, 0-9 and -, not starting or ending with -");
    else slug = given->get<std::string>();
  }
  if (p.any()) return std::optional<CheckedService>();
  ASSIGN_OR_RETURN(auto taken, other_slugs(c, self_id));
  if (slug && taken.contains(*slug)) {
    p.add("slug", "is another service's already");
    return std::optional<CheckedService>();
  }
  if (!slug) {  // made once and kept: the address stays when the name changes
    auto made = feedback::slug_from(v.name.in("en"));
    if (!made.empty()) {
      auto candidate = made;
      for (int n = 2; taken.contains(candidate); ++n) candidate = made + "-" + std::to_string(n);
      slug = candidate;
    }
  }
  Json definition = {{"name", text_json(v.name)}, {"description", text_json(v.description)}};
  if (slug) definition["slug"] = *slug;
  v.slug = slug.value_or(std::string(self_id));  // empty for a new service without one: its id, once it has one
  return std::optional<CheckedService>(CheckedService{std::move(definition), std::move(v)});
}

ServiceView service_view(storage::StoredDefinition stored) {
  auto def = Json::parse(stored.definition);
  auto slug = effective_slug(def, stored.id);
  return ServiceView{std::move(stored), stored_text(def["name"]), stored_text(def["description"]), std::move(slug)};
}

// ---- request types ------------------------------------------------------------------------

std::optional<catalog::FormField> field_of(const Json& v, std::size_t i, std::string_view language, Problems& p) {
  auto at = "form.fields[" + std::to_string(i) + "]";
  if (!v.is_object()) {
    p.add(at, "must be an object with key, type and label");
    return std::nullopt;
  }
  constexpr std::array<std::string_view, 11> known = {"key", "type", "label", "help", "required", "options", "min", "max",
                                                      "max_length", "max_files", "show_when"};
  catalog::FormField f;
  for (const auto& [key, value] : v.items()) {
    if (key == "message") continue;
    if (std::find(known.begin(), known.end(), key) == known.end())
      p.add(at + "." + key, "is not a part of a form field; parts: key, type, label, help, required, options, min, max, "
                            "max_length, max_files, show_when, message");
  }
  if (auto k = v.find("key"); k != v.end() && k->is_string()) f.key = k->get<std::string>();
  else p.add(at + ".key", "is required: 1–64 characters of a-z, 0-9 and _");
  auto type = v.find("type");
  auto parsed = type != v.end() && type->is_string() ? catalog::parse_field_type(type->get<std::string>()) : std::nullopt;
  if (parsed) f.type = *parsed;
  else p.add(at + ".type", "is required: text, long_text, number, money, choice, multi_choice, date, user or file");
  if (auto l = v.find("label"); l != v.end()) f.label = text_of(*l, at + ".label", language, kNameLimit, p).value_or(LocalizedText());
  else p.add(at + ".label", "is required");
  if (auto h = v.find("help"); h != v.end() && !h->is_null())
    f.help = text_of(*h, at + ".help", language, kDescriptionLimit, p).value_or(LocalizedText());
  if (auto m = v.find("message"); m != v.end() && !m->is_null())
    f.message = text_of(*m, at + ".message", language, kNameLimit, p).value_or(LocalizedText());
  if (auto r = v.find("required"); r != v.end()) {
    if (r->is_boolean()) f.required = r->get<bool>();
    else p.add(at + ".required", "must be true or false");
  }
  if (auto o = v.find("options"); o != v.end()) {
    if (!o->is_array()) p.add(at + ".options", "must be a list of options: strings or {\"value\", \"label\", \"price\"}");
    else
      for (std::size_t n = 0; n < o->size(); ++n) {
        const auto& option = (*o)[n];
        auto oat = at + ".options[" + std::to_string(n) + "]";
        catalog::FormOption made;
        if (option.is_string()) made.value = option.get<std::string>();
        else if (option.is_object() && option.contains("value") && option["value"].is_string()) {
          made.value = option["value"].get<std::string>();
          if (auto l = option.find("label"); l != option.end() && !l->is_null())
            made.label = text_of(*l, oat + ".label", language, kNameLimit, p).value_or(LocalizedText());
          if (auto pr = option.find("price"); pr != option.end() && !pr->is_null()) made.price = money_of(*pr, oat + ".price", p).value_or(Money());
        } else {
          p.add(oat, "must be a string or {\"value\", \"label\", \"price\"}");
        }
        f.options.push_back(std::move(made));
      }
  }
  for (auto [key, into] : {std::pair{"min", &f.min}, std::pair{"max", &f.max}})
    if (auto n = v.find(key); n != v.end() && !n->is_null()) {
      if (n->is_number()) *into = n->get<double>();
      else p.add(at + "." + key, "must be a number");
    }
  for (auto [key, into] : {std::pair{"max_length", &f.max_length}, std::pair{"max_files", &f.max_files}})
    if (auto n = v.find(key); n != v.end() && !n->is_null()) {
      if (n->is_number_unsigned() && n->get<std::uint64_t>() > 0) *into = n->get<std::size_t>();
      else p.add(at + "." + key, "must be a whole number above 0");
    }
  if (auto w = v.find("show_when"); w != v.end() && !w->is_null()) {
    catalog::ShowWhen when;
    auto field = w->is_object() ? w->find("field") : w->end();
    auto equals = w->is_object() ? w->find("equals") : w->end();
    bool ok = field != w->end() && field->is_string() && equals != w->end();
    if (ok) {
      when.field = field->get<std::string>();
      if (equals->is_string()) when.equals.push_back(equals->get<std::string>());
      else if (equals->is_array() && std::all_of(equals->begin(), equals->end(), [](const Json& e) { return e.is_string(); }))
        when.equals = equals->get<std::vector<std::string>>();
      else ok = false;
    }
    if (ok) f.show_when = std::move(when);
    else p.add(at + ".show_when", "must be {\"field\": an earlier choice's key, \"equals\": an option or a list of them}");
  }
  return f;
}

Json field_json(const catalog::FormField& f) {
  Json out = {{"key", f.key}, {"type", catalog::to_string(f.type)}, {"label", text_json(f.label)}, {"required", f.required}};
  if (!f.help.empty()) out["help"] = text_json(f.help);
  if (!f.message.empty()) out["message"] = text_json(f.message);
  if (!f.options.empty()) {
    auto options = Json::array();
    for (const auto& o : f.options) {
      Json option = {{"value", o.value}, {"price", o.price.to_string()}};
      if (!o.label.empty()) option["label"] = text_json(o.label);
      options.push_back(std::move(option));
    }
    out["options"] = std::move(options);
  }
  if (f.min) out["min"] = *f.min;
  if (f.max) out["max"] = *f.max;
  if (f.max_length) out["max_length"] = f.max_length;
  if (f.max_files) out["max_files"] = f.max_files;
  if (f.show_when) out["show_when"] = {{"field", f.show_when->field}, {"equals", f.show_when->equals}};
  return out;
}

std::optional<catalog::Form> form_of(const Json& def, std::string_view language, Problems& p) {
  auto form = def.find("form");
  if (form == def.end() || form->is_null()) return catalog::Form();
  auto fields = form->is_object() ? form->find("fields") : form->end();
  if (!form->is_object() || form->size() != 1 || fields == form->end() || !fields->is_array()) {
    p.add("form", "must be {\"fields\": [ … ]}");
    return std::nullopt;
  }
  std::vector<catalog::FormField> parsed;
  Problems shape;
  for (std::size_t i = 0; i < fields->size() && i <= catalog::kMaxFormFields; ++i)
    if (auto f = field_of((*fields)[i], i, language, shape)) parsed.push_back(std::move(*f));
  // The form as a whole is checked even when some parts are malformed, so that one answer
  // names every problem; a part already faulted is not faulted again.
  auto made = parsed.size() == std::min(fields->size(), catalog::kMaxFormFields + 1) ? catalog::Form::make(std::move(parsed))
                                                                                  : Result<catalog::Form>(catalog::Form());
  std::set<std::string> faulted;
  for (const auto& d : shape.details()) {
    faulted.insert(d.field);
    p.add(d.field, d.problem);
  }
  if (!made) {
    for (const auto& d : made.error().details)
      if (!faulted.contains(d.field)) p.add(d.field, d.problem);
    return std::nullopt;
  }
  if (shape.any()) return std::nullopt;
  return std::move(*made);
}

std::optional<Quota> quota_of(const Json& def, Problems& p) {
  auto q = def.find("quota");
  if (q == def.end() || q->is_null()) return std::nullopt;
  constexpr auto kShape = "must be {\"count\": 1 or more, \"per\": \"user\" or \"organization\", \"months\": 1 to 120}";
  if (!q->is_object()) {
    p.add("quota", kShape);
    return std::nullopt;
  }
  Quota out;
  for (const auto& [key, _] : q->items())
    if (key != "count" && key != "per" && key != "months") p.add("quota." + key, "is not a part of a quota; parts: count, per, months");
  auto count = q->find("count");
  if (count != q->end() && count->is_number_integer() && count->get<std::int64_t>() >= 1 && count->get<std::int64_t>() <= 10000)
    out.count = count->get<std::int64_t>();
  else p.add("quota.count", "is required: a whole number from 1 to 10000");
  auto per = q->find("per");
  if (per == q->end() || (per->is_string() && per->get<std::string>() == "user")) out.per = storage::QuotaHolder::user;
  else if (per->is_string() && per->get<std::string>() == "organization") out.per = storage::QuotaHolder::organization;
  else p.add("quota.per", "must be user or organization");
  auto months = q->find("months");
  if (months != q->end() && months->is_number_integer() && months->get<std::int64_t>() >= 1 &&
      months->get<std::int64_t>() <= kMaxQuotaMonths)
    out.months = months->get<std::int64_t>();
  else p.add("quota.months", "is required: a whole number of months from 1 to 120");
  return out;
}

std::vector<tickets::Channel> channels_of(const Json& def, Problems& p) {
  auto c = def.find("channels");
  std::vector<tickets::Channel> out;
  if (c == def.end() || c->is_null()) return out;
  if (!c->is_array()) {
    p.add("channels", "must be a list of channels: portal, email, chat, phone, messaging, api, monitoring");
    return out;
  }
  for (const auto& v : *c) {
    auto parsed = v.is_string() ? tickets::parse_channel(v.get<std::string>()) : std::nullopt;
    if (!parsed) p.add("channels", v.dump() + " is not a channel; channels: portal, email, chat, phone, messaging, api, monitoring");
    else if (std::find(out.begin(), out.end(), *parsed) == out.end()) out.push_back(*parsed);
  }
  return out;
}

// {"steps": [{"approver": "customer" | "role" | "user" | "team", "role"?, "user_id"?, "team_id"?,
// "mode": "any" | "all"}]}; whether the named user or team exists is checked with the store.
std::vector<catalog::ApprovalStep> approval_of(const Json& def, Problems& p) {
  std::vector<catalog::ApprovalStep> out;
  auto a = def.find("approval");
  if (a == def.end() || a->is_null()) return out;
  auto steps = a->is_object() ? a->find("steps") : a->end();
  if (!a->is_object() || steps == a->end() || !steps->is_array() || steps->size() > kMaxApprovalSteps) {
    p.add("approval", "must be {\"steps\": [ … ]} with at most 10 steps");
    return out;
  }
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const auto& step = (*steps)[i];
    auto at = "approval.steps[" + std::to_string(i) + "]";
    auto text = [&](const char* key) {
      auto it = step.is_object() ? step.find(key) : step.end();
      return it != step.end() && it->is_string() ? std::optional<std::string>(it->get<std::string>()) : std::nullopt;
    };
    catalog::ApprovalStep made;
    auto kind = text("approver");
    auto parsed = kind ? catalog::parse_approver_kind(*kind) : std::nullopt;
    if (!parsed) {
      p.add(at + ".approver", "is required: customer, role, user or team");
      continue;
    }
    made.kind = *parsed;
    if (made.kind == catalog::ApproverKind::role) {
      auto role = text("role");
      if (!role || !identity::parse_role(*role)) p.add(at + ".role", "is required: the role whose holders approve");
      else made.ref = *role;
    } else if (made.kind == catalog::ApproverKind::user || made.kind == catalog::ApproverKind::team) {
      const char* key = made.kind == catalog::ApproverKind::user ? "user_id" : "team_id";
      if (auto id = text(key)) made.ref = *id;
      else p.add(at + "." + key, "is required");
    }
    auto mode = text("mode").value_or("any");
    if (mode != "any" && mode != "all") p.add(at + ".mode", "must be any (the first decision decides) or all");
    made.all = mode == "all";
    if (step.is_object())
      for (const auto& [key, _] : step.items())
        if (key != "approver" && key != "role" && key != "user_id" && key != "team_id" && key != "mode")
          p.add(at + "." + key, "is not a part of an approval step; parts: approver, role, user_id, team_id, mode");
    out.push_back(std::move(made));
  }
  return out;
}

Json approval_json(const std::vector<catalog::ApprovalStep>& steps) {
  if (steps.empty()) return nullptr;
  Json out = Json::array();
  for (const auto& step : steps) {
    Json s = {{"approver", catalog::to_string(step.kind)}, {"mode", step.all ? "all" : "any"}};
    if (step.kind == catalog::ApproverKind::role) s["role"] = step.ref;
    if (step.kind == catalog::ApproverKind::user) s["user_id"] = step.ref;
    if (step.kind == catalog::ApproverKind::team) s["team_id"] = step.ref;
    out.push_back(std::move(s));
  }
  return {{"steps", out}};
}

// The users and teams approval steps name must exist (staff users for no step: a customer's
// department head may be named too).
Result<void> check_approvers(storage::Connection& c, const std::vector<catalog::ApprovalStep>& steps, Problems& p) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    auto at = "approval.steps[" + std::to_string(i) + "]";
    if (steps[i].kind == catalog::ApproverKind::user) {
      ASSIGN_OR_RETURN(auto user, storage::users::find(c, storage::Scope::system(), steps[i].ref));
      if (!user || !user->active) p.add(at + ".user_id", "no such user");
    } else if (steps[i].kind == catalog::ApproverKind::team) {
      ASSIGN_OR_RETURN(auto team, storage::teams::find(c, steps[i].ref));
      if (!team) p.add(at + ".team_id", "no such team");
    }
  }
  return {};
}

struct CheckedRequestType {
  Json definition;
  RequestTypeView view;
};

// The whole definition of a request type; `service_exists` answers for its service_id.
template <class ServiceExists>
Result<std::optional<CheckedRequestType>> check_request_type(const Json& def, std::string_view language, ServiceExists service_exists,
                                                             Problems& p) {
  RequestTypeView v;
  auto service = def.find("service_id");
  if (service == def.end() || !service->is_string()) p.add("service_id", "is required: the id of a service");
  else {
    v.service_id = service->get<std::string>();
    ASSIGN_OR_RETURN(bool exists, service_exists(v.service_id));
    if (!exists) p.add("service_id", "no such service");
  }
  auto name = def.find("name");
  if (name == def.end() || name->is_null()) p.add("name", "is required");
  else v.name = text_of(*name, "name", language, kNameLimit, p).value_or(LocalizedText());
  v.description = optional_text(def, "description", language, kDescriptionLimit, p);
  v.terms = optional_text(def, "terms", language, kTermsLimit, p);
  auto form = form_of(def, language, p);
  if (auto price = def.find("price"); price != def.end() && !price->is_null()) v.price = money_of(*price, "price", p).value_or(Money());
  v.quota = quota_of(def, p);
  v.channels = channels_of(def, p);
  v.approval = approval_of(def, p);
  v.tasks = tasks_of(def, language, p);
  if (p.any()) return std::optional<CheckedRequestType>();
  v.form = std::move(*form);
  auto fields = Json::array();
  for (const auto& f : v.form.fields()) fields.push_back(field_json(f));
  auto channels = Json::array();
  for (auto c : v.channels) channels.push_back(tickets::to_string(c));
  Json quota = v.quota ? Json{{"count", v.quota->count},
                              {"per", v.quota->per == storage::QuotaHolder::user ? "user" : "organization"},
                              {"months", v.quota->months}}
                       : Json(nullptr);
  Json definition = {{"service_id", v.service_id},
                     {"name", text_json(v.name)},
                     {"description", text_json(v.description)},
                     {"terms", text_json(v.terms)},
                     {"form", {{"fields", fields}}},
                     {"price", v.price.to_string()},
                     {"quota", quota},
                     {"channels", channels},
                     {"approval", approval_json(v.approval)},
                     {"tasks", tasks_json(v.tasks)}};
  return std::optional<CheckedRequestType>(CheckedRequestType{std::move(definition), std::move(v)});
}

RequestTypeView request_type_view(storage::StoredDefinition stored) {
  Problems ignored;  // stored definitions were checked when saved
  auto def = Json::parse(stored.definition);
  auto checked = check_request_type(def, "en", [](const std::string&) -> Result<bool> { return true; }, ignored);
  RequestTypeView v = checked && *checked ? std::move((*checked)->view) : RequestTypeView{};
  bool readable = checked && *checked;
  v.stored = std::move(stored);
  // Definitions are checked when saved; one that no longer reads (a rule tightened since) is
  // retired rather than offered without its form, quota or approval.
  if (!readable) {
    log_fields(LogLevel::warn, fmt::format(R"("msg":"request type retired: its stored definition does not read","id":{})", json_quote(v.stored.id)));
    v.stored.active = false;
  }
  return v;
}

// ---- entitlement rules --------------------------------------------------------------------

struct CheckedEntitlement {
  Json definition;
  EntitlementView view;
};

Result<std::optional<CheckedEntitlement>> check_entitlement(storage::Connection& c, const Json& def, Problems& p) {
  EntitlementView v;
  auto service = id_field(def, "service_id", p);
  auto type = id_field(def, "request_type_id", p);
  if (service.has_value() == type.has_value()) p.add("service_id", "give exactly one of service_id and request_type_id");
  if (service) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::service, *service));
    if (!found) p.add("service_id", "no such service");
  }
  if (type) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::request_type, *type));
    if (!found) p.add("request_type_id", "no such request type");
  }
  v.for_service = service.has_value();
  v.rule.target_id = service.value_or(type.value_or(""));
  if (auto org = id_field(def, "organization_id", p)) {
    ASSIGN_OR_RETURN(auto found, storage::organizations::find(c, storage::Scope::system(), *org));
    if (!found) p.add("organization_id", "no such organisation");
    v.rule.organization_id = *org;
  }
  if (auto group = id_field(def, "group_id", p)) {
    ASSIGN_OR_RETURN(auto found, storage::user_groups::find(c, storage::Scope::system(), *group));
    if (!found) p.add("group_id", "no such group");
    else if (!v.rule.organization_id.empty() && found->organization_id != v.rule.organization_id)
      p.add("group_id", "the group belongs to another organisation than organization_id");
    v.rule.group_id = *group;
  }
  if (auto role = def.find("role"); role != def.end() && !role->is_null()) {
    auto parsed = role->is_string() ? identity::parse_role(role->get<std::string>()) : std::nullopt;
    if (!parsed || identity::side_of(*parsed) != identity::Side::consumer)
      p.add("role", "must be a consumer role: customer, user, representative or partner_user (staff see the whole catalog)");
    else v.rule.role = *parsed;
  }
  if (auto tier = id_field(def, "tier_id", p)) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::tier, *tier));
    if (!found) p.add("tier_id", "no such offering tier");
    v.rule.tier_id = *tier;
  }
  // Eligibility requirements are not kept yet (onboarding), so no id names one.
  if (auto reqs = def.find("requirement_ids"); reqs != def.end() && !reqs->is_null()) {
    if (!reqs->is_array() || reqs->size() > 50) p.add("requirement_ids", "must be a list of at most 50 requirement ids");
    else
      for (const auto& r : *reqs) {
        if (!r.is_string()) {
          p.add("requirement_ids", "must be a list of requirement ids");
          continue;
        }
        ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::requirement, r.get<std::string>()));
        if (!found) p.add("requirement_ids", "no such enablement requirement: " + r.get<std::string>());
        else if (std::ranges::find(v.rule.requirement_ids, found->id) == v.rule.requirement_ids.end())
          v.rule.requirement_ids.push_back(found->id);
      }
  }
  if (p.any()) return std::optional<CheckedEntitlement>();
  auto nullable = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  Json definition = {{"service_id", service ? Json(*service) : Json(nullptr)},
                     {"request_type_id", type ? Json(*type) : Json(nullptr)},
                     {"organization_id", nullable(v.rule.organization_id)},
                     {"group_id", nullable(v.rule.group_id)},
                     {"tier_id", nullable(v.rule.tier_id)},
                     {"role", v.rule.role ? Json(identity::to_string(*v.rule.role)) : Json(nullptr)},
                     {"requirement_ids", v.rule.requirement_ids}};
  return std::optional<CheckedEntitlement>(CheckedEntitlement{std::move(definition), std::move(v)});
}

EntitlementView entitlement_view(storage::StoredDefinition stored) {
  auto def = Json::parse(stored.definition);
  EntitlementView v;
  v.for_service = def["service_id"].is_string();
  v.rule.id = stored.id;
  v.rule.target_id = v.for_service ? def["service_id"].get<std::string>() : def["request_type_id"].get<std::string>();
  if (def["organization_id"].is_string()) v.rule.organization_id = def["organization_id"].get<std::string>();
  if (def.value("group_id", Json()).is_string()) v.rule.group_id = def["group_id"].get<std::string>();
  if (def["tier_id"].is_string()) v.rule.tier_id = def["tier_id"].get<std::string>();
  if (def["role"].is_string()) v.rule.role = identity::parse_role(def["role"].get<std::string>());
  v.rule.requirement_ids = def["requirement_ids"].get<std::vector<std::string>>();
  v.stored = std::move(stored);
  return v;
}

// ---- the cached catalog -------------------------------------------------------------------

Result<std::shared_ptr<const Catalog>> load_catalog(storage::Connection& c) {
  auto out = std::make_shared<Catalog>();
  ASSIGN_OR_RETURN(auto services, storage::definitions::all(c, Kind::service));
  ASSIGN_OR_RETURN(auto types, storage::definitions::all(c, Kind::request_type));
  ASSIGN_OR_RETURN(auto rules, storage::definitions::all(c, Kind::entitlement));
  for (auto& d : services) {
    out->service_at.emplace(d.id, out->services.size());
    out->services.push_back(service_view(std::move(d)));
  }
  for (auto& d : types) {
    out->request_type_at.emplace(d.id, out->request_types.size());
    out->request_types.push_back(request_type_view(std::move(d)));
    auto service = out->service_at.find(out->request_types.back().service_id);
    out->service_of_type.push_back(service == out->service_at.end() ? std::numeric_limits<std::size_t>::max() : service->second);
  }
  std::vector<catalog::EntitlementRule> domain_rules;
  for (auto& d : rules) {
    out->entitlement_rules.push_back(entitlement_view(std::move(d)));
    domain_rules.push_back(out->entitlement_rules.back().rule);
  }
  out->needs_tiers = std::any_of(domain_rules.begin(), domain_rules.end(), [](const auto& r) { return !r.tier_id.empty(); });
  out->needs_groups = std::any_of(domain_rules.begin(), domain_rules.end(), [](const auto& r) { return !r.group_id.empty(); });
  out->needs_requirements =
      std::any_of(domain_rules.begin(), domain_rules.end(), [](const auto& r) { return !r.requirement_ids.empty(); });
  out->entitlements = catalog::Entitlements(std::move(domain_rules));
  for (const auto& t : out->request_types)
    out->rules_of_type.emplace_back(out->entitlements.rules_naming(t.stored.id), out->entitlements.rules_naming(t.service_id));
  ASSIGN_OR_RETURN(auto tiers, storage::definitions::all(c, Kind::tier));
  for (auto& d : tiers) {
    auto def = Json::parse(d.definition);
    out->tier_names.emplace(d.id, stored_text(def["name"]));
    if (def.value("offering_id", Json()).is_string()) out->offering_of_tier.emplace(d.id, def["offering_id"].get<std::string>());
  }
  ASSIGN_OR_RETURN(auto requirements, storage::definitions::all(c, Kind::requirement));
  for (auto& d : requirements) {
    auto def = Json::parse(d.definition);
    out->requirement_names.emplace(d.id, stored_text(def["name"]));
    if (!d.active) out->inactive_requirements.push_back(d.id);
    if (def.value("training_id", Json()).is_string()) out->trainings.training_of.emplace(d.id, def["training_id"].get<std::string>());
  }
  ASSIGN_OR_RETURN(auto terms, storage::definitions::all(c, Kind::terms));
  for (auto& d : terms) {
    auto def = Json::parse(d.definition);
    out->terms_titles.emplace(d.id, stored_text(def["title"]));
    if (!d.active || !def["current_version"].is_number_integer()) continue;
    auto offering = def.value("offering_id", Json()).is_string() ? def["offering_id"].get<std::string>() : std::string();
    auto service = def.value("covers_service_id", "");
    if (!offering.empty()) {
      // An offering's terms cover the service the offering is of now: it may have moved since
      // the terms were written.
      ASSIGN_OR_RETURN(auto offered, storage::definitions::find(c, Kind::offering, offering));
      if (!offered) continue;
      auto of = Json::parse(offered->definition).value("service_id", Json());
      if (of.is_string()) service = of.get<std::string>();
      out->terms_need_offerings = true;
    }
    out->terms_of_service[service].push_back({d.id, def["current_version"].get<std::int64_t>(), offering});
  }
  ASSIGN_OR_RETURN(auto trainings, storage::definitions::all(c, Kind::training));
  for (auto& d : trainings) out->trainings.digest_of.emplace(d.id, training_digest(d.definition));
  return std::shared_ptr<const Catalog>(std::move(out));
}

// What entitlement rules ask of a consumer: organisation, roles, the tiers they hold now, the
// groups they belong to and the enablement requirements they meet (each read only when some
// rule names one). `statuses`, when given, receives where they stand on each requirement.
Result<catalog::CatalogReader> reader_of(storage::Connection& c, const Catalog& cat, const std::string& user_id,
                                         const std::string& organization_id, const std::vector<identity::Role>& roles, Time now,
                                         std::map<std::string, std::string>* statuses = nullptr) {
  catalog::CatalogReader reader{organization_id, roles, {}, {}, {}, {}, {}};
  if (identity::is_staff(roles)) return reader;
  if (!cat.terms_of_service.empty()) {
    ASSIGN_OR_RETURN(auto accepted, storage::terms_acceptances::accepted_by(c, user_id));
    reader.terms_accepted.assign(accepted.begin(), accepted.end());
  }
  if (cat.needs_requirements) {
    ASSIGN_OR_RETURN(auto standing, requirement_statuses(c, user_id, date::floor<date::days>(now), cat.trainings));
    for (const auto& [id, status] : standing) {
      if (status == onboarding::RequirementStatus::met) reader.requirements_met.push_back(id);
      if (statuses) (*statuses)[id] = std::string(onboarding::to_string(status));
    }
    // An inactive requirement asks nothing: nobody could give evidence for it any more.
    reader.requirements_met.insert(reader.requirements_met.end(), cat.inactive_requirements.begin(), cat.inactive_requirements.end());
  }
  if (cat.needs_tiers || cat.terms_need_offerings) {
    ASSIGN_OR_RETURN(reader.tier_ids, storage::subscriptions::tiers_held(c, organization_id, user_id, to_millis(now)));
    for (const auto& tier : reader.tier_ids)
      if (auto offering = cat.offering_of_tier.find(tier); offering != cat.offering_of_tier.end()) reader.offering_ids.push_back(offering->second);
  }
  if (cat.needs_groups) {
    ASSIGN_OR_RETURN(reader.group_ids, storage::user_groups::of_user(c, organization_id, user_id));
  }
  return reader;
}

// Who reads the catalog: staff see all of it; a consumer what the rules give their reader.
struct Viewer {
  const Actor& actor;
  catalog::CatalogReader reader;
  std::map<std::string, std::string> requirement_status;  // ONB-8: by requirement id
};

Result<Viewer> viewer_of(const Services& s, const Catalog& cat, const Actor& actor) {
  if (actor.staff() || (!cat.needs_tiers && !cat.needs_groups && !cat.needs_requirements && cat.terms_of_service.empty()))
    return Viewer{actor, {actor.organization_id, actor.roles, {}, {}, {}, {}, {}}, {}};
  std::map<std::string, std::string> statuses;
  ASSIGN_OR_RETURN(auto reader, s.db.read([&](storage::Connection& c) {
    return reader_of(c, cat, actor.user_id, actor.organization_id, actor.roles, s.clock.now(), &statuses);
  }));
  return Viewer{actor, std::move(reader), std::move(statuses)};
}

// What the viewer may do with a request type: all of it for staff, the rules' answer otherwise.
catalog::Entitlement entitlement_for(const Catalog& cat, const Viewer& v, const RequestTypeView& t) {
  if (v.actor.staff()) return {true, true, {}};
  if (!t.stored.active) return {};
  if (auto service = cat.service(t.service_id); !service || !service->stored.active) return {};
  auto e = cat.entitlements.of_request_type(t.service_id, t.stored.id, v.reader);
  apply_terms(cat.terms_of_service, t.service_id, v.reader, e);
  return e;
}

bool service_seen(const Catalog& cat, const Viewer& v, const ServiceView& svc) {
  if (v.actor.staff()) return true;
  if (!svc.stored.active) return false;
  if (cat.entitlements.of_service(svc.stored.id, v.reader).visible) return true;
  return std::any_of(cat.request_types.begin(), cat.request_types.end(), [&](const RequestTypeView& t) {
    return t.service_id == svc.stored.id && entitlement_for(cat, v, t).visible;
  });
}

Result<bool> named_by_rule(storage::Connection& c, std::string_view id) {
  ASSIGN_OR_RETURN(auto rule, first_naming(c, Kind::entitlement, id, {"service_id", "request_type_id"}));
  return rule.has_value();
}

// ---- requests -----------------------------------------------------------------------------

catalog::Answers answers_of(const Json& body) {
  catalog::Answers out;
  for (const auto& [key, v] : body.items()) {
    catalog::Answer a;
    if (v.is_null()) a.kind = catalog::Answer::Kind::none;
    else if (v.is_string()) a = catalog::Answer::of_text(v.get<std::string>());
    else if (v.is_number()) a = catalog::Answer::of_number(v.get<double>(), v.dump());
    else if (v.is_array() && std::all_of(v.begin(), v.end(), [](const Json& e) { return e.is_string(); }))
      a = catalog::Answer::of_list(v.get<std::vector<std::string>>());
    else a.kind = catalog::Answer::Kind::other;
    out.emplace(key, std::move(a));
  }
  return out;
}

Json answers_json(const catalog::Form& form, const catalog::Answers& answers) {
  Json out = Json::object();
  for (const auto& [key, a] : answers) {
    auto field = form.field(key);
    if (a.kind == catalog::Answer::Kind::list) out[key] = a.list;
    else if (a.kind == catalog::Answer::Kind::number) out[key] = a.number;
    else if (field) out[key] = a.text;
  }
  return out;
}

// The ticket's description: each answer under its label, options by their labels, files by their
// names, in the requester's language.
std::string answers_text(const catalog::Form& form, const catalog::Answers& answers, std::string_view language,
                         const std::vector<RequestFile>& files) {
  std::string out;
  for (const auto& f : form.fields()) {
    auto it = answers.find(f.key);
    if (it == answers.end()) continue;
    auto shown = [&](const std::string& value) -> std::string {
      for (const auto& o : f.options)
        if (o.value == value && !o.label.empty()) return std::string(o.label.in(language));
      for (const auto& file : files)
        if (file.attachment.id == value) return file.attachment.name;
      return value;
    };
    std::string value = it->second.kind == catalog::Answer::Kind::list ? "" : shown(it->second.text);
    for (const auto& v : it->second.list) value += (value.empty() ? "" : ", ") + shown(v);
    out += std::string(f.label.in(language)) + ": " + value + "\n";
  }
  return out;
}

// Catalog lists are in the definitions' order (position, then id). A page continues after the
// place of the last item shown, not after its id: right even when that item was removed since.
struct Place {
  std::int64_t position = 0;
  std::string id;
};

std::string place_of(const storage::StoredDefinition& d) { return std::to_string(d.position) + ":" + d.id; }

// Where a page starts: the beginning without a cursor, invalid_argument for one no page gave.
Result<std::optional<Place>> start_of(const storage::PageRequest& page) {
  if (page.after.empty()) return std::optional<Place>();
  auto colon = page.after.find(':');
  Place place;
  std::string_view number = std::string_view(page.after).substr(0, colon == std::string::npos ? 0 : colon);
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), place.position);
  if (colon == std::string::npos || number.empty() || ec != std::errc() || end != number.data() + number.size()) {
    Problems p;
    p.add("cursor", "is not a cursor this server gave out");
    return fail(p.error());
  }
  place.id = page.after.substr(colon + 1);
  return std::optional<Place>(std::move(place));
}

bool comes_after(const storage::StoredDefinition& d, const std::optional<Place>& start) {
  return !start || std::tie(d.position, d.id) > std::tie(start->position, start->id);
}

std::int64_t months_before(Time now, std::int64_t months) {
  auto day = date::floor<date::days>(now);
  date::year_month_day ymd(day);
  auto back = ymd - date::months(months);
  if (!back.ok()) back = back.year() / back.month() / date::last;
  return to_millis(date::sys_days(back) + (now - day));
}

std::string quota_message(const Quota& q, std::int64_t used, bool chinese) {
  bool per_user = q.per == storage::QuotaHolder::user;
  if (chinese)
    return fmt::format("已达到此请求类型的配额：每{}每 {} 个月 {} 次（已提交 {} 次）。如确有需要，请联系服务台申请例外。",
                       per_user ? "位用户" : "个组织", q.months, q.count, used);
  return fmt::format("The quota of this request type is reached: {} per {} every {} months ({} already requested). "
                     "Ask the service desk for an exception if you need one.",
                     q.count, per_user ? "user" : "organisation", q.months, used);
}

const TranslatableKind kService{Kind::service, "service", "svc", kServiceFields, "a service", "No such service.",
                                "catalog.manage"};
const TranslatableKind kRequestType{Kind::request_type, "request_type", "rqt", kRequestTypeFields, "a request type",
                                   "No such request type.", "catalog.manage"};

// The whole check of a request type's definition, with the store: its service, its approvers.
auto request_type_check(const Actor& actor) {
  return [&actor](storage::Connection& c, const Json& def, Problems& p) -> Result<std::optional<CheckedRequestType>> {
    ASSIGN_OR_RETURN(auto checked, check_request_type(def, actor.language, stored_service(c), p));
    if (checked) TRY(check_approvers(c, checked->view.approval, p));
    if (checked) TRY(check_task_references(c, checked->view.tasks, p));
    return checked;
  };
}

}  // namespace

const ServiceView* Catalog::service(std::string_view id) const {
  auto it = service_at.find(std::string(id));
  return it == service_at.end() ? nullptr : &services[it->second];
}

const RequestTypeView* Catalog::request_type(std::string_view id) const {
  auto it = request_type_at.find(std::string(id));
  return it == request_type_at.end() ? nullptr : &request_types[it->second];
}

Result<std::shared_ptr<const Catalog>> current_catalog(const Services& s) {
  return s.db.read([&](storage::Connection& c) -> Result<std::shared_ptr<const Catalog>> {
    ASSIGN_OR_RETURN(auto fingerprint, storage::definitions::fingerprint(c, storage::kCatalogKinds));
    if (auto kept = s.directory_cache->catalogs.find(fingerprint, 0)) return *kept;
    ASSIGN_OR_RETURN(auto loaded, load_catalog(c));
    s.directory_cache->catalogs.put(fingerprint, 0, loaded);
    return loaded;
  });
}

// ---- services -----------------------------------------------------------------------------

Result<ServiceView> create_service(const Services& s, const Actor& actor, const CatalogInput& in) {
  return create_translatable<ServiceView>(s, actor, kService, in.fields_json, [&](storage::Connection& c, const Json& def, Problems& p) {
    return check_service(c, def, actor.language, "", p);
  });
}

Result<std::vector<ServiceView>> list_services(const Services& s, const Actor& actor) {
  TRY(authorize(actor, "catalog.read"));
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  ASSIGN_OR_RETURN(auto viewer, viewer_of(s, *cat, actor));
  std::vector<ServiceView> out;
  for (const auto& svc : cat->services)
    if (service_seen(*cat, viewer, svc)) out.push_back(svc);
  return out;
}

Result<ServiceView> get_service(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "catalog.read"));
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  ASSIGN_OR_RETURN(auto viewer, viewer_of(s, *cat, actor));
  auto svc = cat->service(id);
  if (!svc || !service_seen(*cat, viewer, *svc)) return fail(Code::not_found, "No such service.");
  return *svc;
}

Result<ServiceView> update_service(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                   const CatalogInput& patch) {
  return patch_translatable<ServiceView>(s, actor, kService, id, expected_version, patch.fields_json,
                                         [&](storage::Connection& c, const Json& def, Problems& p) {
                                           return check_service(c, def, actor.language, id, p);
                                         });
}

Result<void> delete_service(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "catalog.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, Kind::service, id, "No such service."));
    ASSIGN_OR_RETURN(auto type, first_naming(c, Kind::request_type, stored.id, {"service_id"}));
    if (type) return fail(Code::conflict, "The request type \"" + type->name + "\" belongs to this service; move or remove it first.");
    ASSIGN_OR_RETURN(bool ruled, named_by_rule(c, stored.id));
    if (ruled) return fail(Code::conflict, "Entitlement rules name this service; remove them first.");
    return remove_definition(c, s, actor, Kind::service, "service", stored);
  });
}

// ---- request types ------------------------------------------------------------------------

Result<RequestTypeView> create_request_type(const Services& s, const Actor& actor, const CatalogInput& in) {
  return create_translatable<RequestTypeView>(s, actor, kRequestType, in.fields_json, request_type_check(actor));
}

Result<storage::Page<RequestTypeView>> list_request_types(const Services& s, const Actor& actor, const RequestTypeQuery& q) {
  TRY(authorize(actor, "catalog.read"));
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  ASSIGN_OR_RETURN(auto viewer, viewer_of(s, *cat, actor));
  ASSIGN_OR_RETURN(auto start, start_of(q.page));
  std::vector<RequestTypeView> seen;
  for (const auto& t : cat->request_types) {
    if (!comes_after(t.stored, start)) continue;
    if (q.service_id && t.service_id != *q.service_id) continue;
    if (!entitlement_for(*cat, viewer, t).visible) continue;
    seen.push_back(t);
    if (seen.size() > std::size_t(q.page.limit)) break;
  }
  return storage::make_page(std::move(seen), q.page.limit, [](const RequestTypeView& t) { return place_of(t.stored); });
}

Result<RequestTypeView> get_request_type(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "catalog.read"));
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  ASSIGN_OR_RETURN(auto viewer, viewer_of(s, *cat, actor));
  auto t = cat->request_type(id);
  if (!t || !entitlement_for(*cat, viewer, *t).visible) return fail(Code::not_found, "No such request type.");
  return *t;
}

Result<RequestTypeView> update_request_type(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                            const CatalogInput& patch) {
  return patch_translatable<RequestTypeView>(s, actor, kRequestType, id, expected_version, patch.fields_json, request_type_check(actor));
}

Result<void> delete_request_type(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "catalog.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, Kind::request_type, id, "No such request type."));
    ASSIGN_OR_RETURN(bool used, storage::ticket_requests::any_of_type(c, stored.id));
    if (used) return fail(Code::conflict, "It has been requested, so it is kept for the record; retire it with \"active\": false.");
    ASSIGN_OR_RETURN(bool ruled, named_by_rule(c, stored.id));
    if (ruled) return fail(Code::conflict, "Entitlement rules name this request type; remove them first.");
    ASSIGN_OR_RETURN(auto policy, first_naming(c, Kind::sla_policy, stored.id, {"conditions/request_type"}));
    if (policy) return fail(Code::conflict, "The SLA policy \"" + policy->name + "\" applies to this request type; change it first.");
    return remove_definition(c, s, actor, Kind::request_type, "request_type", stored);
  });
}

// ---- entitlement rules --------------------------------------------------------------------

Result<EntitlementView> create_entitlement(const Services& s, const Actor& actor, const CatalogInput& in) {
  TRY(authorize(actor, "catalog.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<EntitlementView> {
    Problems p;
    auto body = fields_object(in.fields_json, p);
    refuse_unknown(body, kEntitlementFields, "an entitlement rule", p);
    ASSIGN_OR_RETURN(auto checked, check_entitlement(c, body, p));
    if (p.any()) return fail(p.error());
    auto stored = new_definition(s, "ent");
    stored.definition = checked->definition.dump();
    checked->view.rule.id = stored.id;
    return insert_definition(c, s, actor, Kind::entitlement, "entitlement", std::move(stored), std::move(checked->view));
  });
}

Result<std::vector<EntitlementView>> list_entitlements(const Services& s, const Actor& actor) {
  return list_definitions(s, actor, "catalog.manage", Kind::entitlement, entitlement_view);
}

Result<EntitlementView> get_entitlement(const Services& s, const Actor& actor, std::string_view id) {
  return get_definition(s, actor, "catalog.manage", Kind::entitlement, id, "No such entitlement rule.", entitlement_view);
}

Result<EntitlementView> update_entitlement(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                           const CatalogInput& patch) {
  TRY(authorize(actor, "catalog.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<EntitlementView> {
    ASSIGN_OR_RETURN(auto stored, load_current(c, Kind::entitlement, id, expected_version, "No such entitlement rule."));
    auto before = storage::canonical(Kind::entitlement, stored);
    Problems p;
    auto body = fields_object(patch.fields_json, p);
    refuse_unknown(body, kEntitlementFields, "an entitlement rule", p);
    auto def = Json::parse(stored.definition);
    // Naming one target replaces the other.
    if (body.contains("service_id") && !body["service_id"].is_null()) def["request_type_id"] = nullptr;
    if (body.contains("request_type_id") && !body["request_type_id"].is_null()) def["service_id"] = nullptr;
    def.merge_patch(body);
    ASSIGN_OR_RETURN(auto checked, check_entitlement(c, def, p));
    if (p.any()) return fail(p.error());
    stored.definition = checked->definition.dump();
    checked->view.rule.id = stored.id;
    return update_definition(c, s, actor, Kind::entitlement, "entitlement", std::move(stored), before, std::move(checked->view));
  });
}

Result<void> delete_entitlement(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "catalog.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, Kind::entitlement, id, "No such entitlement rule."));
    return remove_definition(c, s, actor, Kind::entitlement, "entitlement", stored);
  });
}

// ---- the catalog and requests -------------------------------------------------------------

// The policies that may apply to a request the reader raises now through the portal, at the
// priority and impact of a request no rule has raised; each request type then asks about its
// own service and type (see ExpectedTimeframe).
sla::PolicyShortlist expected_policies(const Timeframes& timeframes, const catalog::CatalogReader& reader, Time now) {
  storage::Ticket defaults;
  sla::PolicyFacts facts{tickets::Type::service_request, tickets::Channel::portal, std::nullopt, reader.organization_id,
                         defaults.priority, defaults.impact, {}, now, reader.tier_ids, std::nullopt};
  auto open_at = [&](const std::string& calendar_id, Time at) {
    const auto* calendar = timeframes.calendar(calendar_id);
    return calendar && calendar->is_open(at);
  };
  return sla::PolicyShortlist(timeframes.active, facts, open_at);
}

// What the policy promises a request raised now: its targets and when they fall due.
std::optional<ExpectedTimeframe> expected_under(const Timeframes& timeframes, const sla::Policy* policy, Time now) {
  const auto* calendar = policy ? timeframes.calendar(policy->calendar_id) : nullptr;
  if (!calendar) return std::nullopt;
  ExpectedTimeframe out;
  out.calendar_id = policy->calendar_id;
  const auto& targets = policy->terms.targets;
  out.first_response = targets[std::size_t(sla::Metric::first_response)];
  out.resolution = targets[std::size_t(sla::Metric::resolution)];
  if (!out.first_response && !out.resolution) return std::nullopt;
  if (out.first_response) out.first_response_by = calendar->add(now, *out.first_response);
  if (out.resolution) out.resolution_by = calendar->add(now, *out.resolution);
  return out;
}

Result<CatalogPage> catalog_for(const Services& s, const Actor& actor, const storage::PageRequest& page_request) {
  TRY(authorize(actor, "catalog.read"));
  ASSIGN_OR_RETURN(auto start, start_of(page_request));
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  ASSIGN_OR_RETURN(auto viewer, viewer_of(s, *cat, actor));
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  // Policies may ask for tiers the entitlement rules did not need read.
  if (timeframes->uses_tiers && !cat->needs_tiers && !actor.staff()) {
    ASSIGN_OR_RETURN(viewer.reader.tier_ids, s.db.read([&](storage::Connection& c) {
      return storage::subscriptions::tiers_held(c, actor.organization_id, actor.user_id, to_millis(s.clock.now()));
    }));
  }
  auto now = s.clock.now();
  // Few policies serve many request types: each one's due times are counted once a page.
  CatalogPage page{cat, {}, {}, {}, viewer.requirement_status};
  std::unordered_map<const sla::Policy*, const ExpectedTimeframe*> expected;
  auto shortlist = expected_policies(*timeframes, viewer.reader, now);
  auto timeframe_of = [&](const RequestTypeView& t) {
    const auto* policy = shortlist.first_for(t.service_id, t.stored.id);
    auto [it, fresh] = expected.try_emplace(policy, nullptr);
    if (fresh)
      if (auto counted = expected_under(*timeframes, policy, now)) it->second = &page.timeframes.emplace_back(std::move(*counted));
    return it->second;
  };
  // Sections by the index of their service; each request type knows its service's index.
  constexpr auto kNone = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> section_of(cat->services.size(), kNone);
  for (std::size_t i = 0; i < cat->services.size(); ++i) {
    if (!cat->services[i].stored.active || !comes_after(cat->services[i].stored, start)) continue;
    section_of[i] = page.sections.size();
    page.sections.push_back({&cat->services[i], {}});
  }
  for (std::size_t i = 0; i < cat->request_types.size(); ++i) {
    const auto& t = cat->request_types[i];
    auto service = cat->service_of_type[i];
    if (service == kNone || section_of[service] == kNone || !t.stored.active) continue;
    auto e = actor.staff() ? catalog::Entitlement{true, true, {}}
                           : cat->entitlements.of(cat->rules_of_type[i].first, cat->rules_of_type[i].second, viewer.reader);
    if (!actor.staff()) apply_terms(cat->terms_of_service, t.service_id, viewer.reader, e);
    if (e.visible)
      page.sections[section_of[service]].request_types.push_back(
          {&t, std::move(e), timeframe_of(t)});
  }
  std::erase_if(page.sections, [&](const CatalogSection& section) {
    return !actor.staff() && section.request_types.empty() &&
           !cat->entitlements.of_service(section.service->stored.id, viewer.reader).visible;
  });
  if (page.sections.size() > std::size_t(page_request.limit)) {
    page.sections.resize(std::size_t(page_request.limit));
    page.next_after = place_of(page.sections.back().service->stored);
  }
  return page;
}

Result<bool> service_usable(const Services& s, const Actor& actor, std::string_view service_id) {
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  ASSIGN_OR_RETURN(auto viewer, viewer_of(s, *cat, actor));
  auto svc = cat->service(service_id);
  return svc && service_seen(*cat, viewer, *svc);
}

Result<storage::Ticket> submit_request(const Services& s, const Actor& actor, const NewRequest& in, tickets::Channel arrived_through) {
  TRY(authorize(actor, "ticket.create"));
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  ASSIGN_OR_RETURN(auto viewer, viewer_of(s, *cat, actor));
  auto type = cat->request_type(in.request_type_id);
  if (!type || !entitlement_for(*cat, viewer, *type).visible) return fail(Code::not_found, "No such request type.");
  if (!type->stored.active) return fail(Code::conflict, "This request type is retired; it can no longer be requested.");
  bool chinese = actor.language == "zh-CN";
  auto channel = in.channel.value_or(arrived_through);
  if (!type->channels.empty() && std::find(type->channels.begin(), type->channels.end(), channel) == type->channels.end()) {
    std::string allowed;
    for (auto c : type->channels) allowed += (allowed.empty() ? "" : ", ") + std::string(tickets::to_string(c));
    Problems p;
    p.add("channel", (chinese ? "此请求类型只能通过以下渠道提交：" : "this request type is requested through: ") + allowed);
    return fail(p.error());
  }
  Problems p;
  auto body = fields_object(in.answers_json, p);
  if (p.any()) {
    Problems q;
    q.add("answers", "must be a JSON object of answers by field key");
    return fail(q.error());
  }
  ASSIGN_OR_RETURN(auto answers, type->form.check(answers_of(body), actor.language));
  auto price = type->price + type->form.price_of(answers);
  auto language = actor.language;

  // REL-2: the files the answers name are the requester's uploads; they become attachments of the
  // ticket, and the answers keep the attachments' ids. No sweep removes their content meanwhile.
  std::vector<std::pair<std::string, std::string>> upload_ids;
  for (const auto& f : type->form.fields())
    if (auto it = answers.find(f.key); f.type == catalog::FieldType::file && it != answers.end())
      for (const auto& id : it->second.list) upload_ids.emplace_back(f.key, id);
  std::shared_lock keeping_files(*s.attachment_files, std::defer_lock);
  std::vector<RequestFile> files;
  if (!upload_ids.empty()) {
    keeping_files.lock();
    auto organization_id = actor.organization_id;
    if (in.on_behalf_of) {
      ASSIGN_OR_RETURN(auto user, s.db.read([&](storage::Connection& c) {
        return storage::users::find(c, storage::Scope::for_actor(actor), *in.on_behalf_of);
      }));
      if (user) organization_id = user->organization_id;  // else the ticket is refused below
    }
    ASSIGN_OR_RETURN(files, find_request_files(s, actor, upload_ids, organization_id, language));
    for (const auto& file : files)
      for (auto& id : answers[file.field].list)
        if (id == file.upload.id) id = file.attachment.id;
  }

  NewTicket ticket;
  ticket.type = tickets::Type::service_request;
  ticket.subject = std::string(type->name.in(language)).substr(0, kSubjectLimit);
  ticket.description = answers_text(type->form, answers, language, files);
  ticket.channel = in.channel;
  ticket.service_id = type->service_id;
  ticket.request_type_id = type->stored.id;
  ticket.on_behalf_of = in.on_behalf_of;
  if (in.waiver) TRY(check_waiver(s, actor, *in.waiver));
  std::optional<storage::Override> waived;
  auto waive = [&](const storage::Ticket& t, drafting::TimelineDraft& draft, Json details) {
    waived = waiver_override(s, actor, *in.waiver, t, details.dump());
    draft.add("override", storage::Visibility::internal, waived->justification,
              Json{{"override_id", waived->id}, {"rule", waived->rule}, {"reason_code", waived->reason_code}, {"details", details}});
  };
  auto waiving = [&](std::string_view rule) { return in.waiver && in.waiver->rule == rule; };
  std::vector<storage::RequestApproval> approvers;
  std::vector<storage::RequestTask> tasks;
  ticket.decide = [&](storage::Connection& c, storage::Ticket& t, drafting::TimelineDraft& draft) -> Result<void> {
    auto beneficiary = t.on_behalf_of.value_or(t.requester_id);
    // The user it is for must be entitled too: a representative or agent cannot order for
    // someone what that person may not have.
    catalog::Entitlement e{true, true, {}};
    if (t.on_behalf_of) {
      ASSIGN_OR_RETURN(auto user, storage::users::find(c, storage::Scope::system(), beneficiary));
      if (user && !identity::is_staff(user->roles)) {
        ASSIGN_OR_RETURN(auto reader, reader_of(c, *cat, user->id, user->organization_id, user->roles, s.clock.now()));
        e = cat->entitlements.of_request_type(type->service_id, type->stored.id, reader);
        apply_terms(cat->terms_of_service, type->service_id, reader, e);
        if (!e.visible)
          return fail(Code::permission_denied, chinese ? "所代表的用户无权申请此请求类型。"
                                                       : "The user you act for is not entitled to this request type.",
                      "not_entitled");
      }
    } else {
      e = entitlement_for(*cat, viewer, *type);
    }
    // Visible but lacking a tier or requirement: the eligibility gate, which staff may waive.
    if (!e.eligible) {
      if (!waiving("catalog.eligibility")) {
        // What is missing, each named in the reader's language (ONB-8).
        Error refusal(Code::permission_denied, chinese ? "尚不满足申请此请求类型的条件。" : "What this request type needs is not yet met.",
                      "not_eligible");
        auto language = chinese ? "zh-CN" : "en";
        for (const auto& m : e.missing) {
          using K = catalog::Missing::Kind;
          const auto& names = m.kind == K::tier ? cat->tier_names : m.kind == K::terms ? cat->terms_titles : cat->requirement_names;
          auto name = names.find(m.id);
          refusal.details.push_back({m.kind == K::tier ? "missing.tier" : m.kind == K::terms ? "missing.terms" : "missing.requirement",
                                     m.id + ": " + (name == names.end() ? m.id : std::string(name->second.in(language)))});
        }
        return fail(std::move(refusal));
      }
      Json missing = Json::array();
      for (const auto& m : e.missing)
        missing.push_back({{"kind", m.kind == catalog::Missing::Kind::tier    ? "tier"
                                    : m.kind == catalog::Missing::Kind::terms ? "terms"
                                                                              : "requirement"},
                           {"id", m.id}});
      waive(t, draft, {{"missing", missing}});
    }
    for (const auto& f : type->form.fields()) {
      auto it = answers.find(f.key);
      if (f.type != catalog::FieldType::user || it == answers.end()) continue;
      ASSIGN_OR_RETURN(auto named, storage::users::find(c, storage::Scope::for_actor(actor), it->second.text));
      if (!named || !named->active) {
        Problems q;
        q.add("answers." + f.key, chinese ? "没有此用户" : "no such user");
        return fail(q.error());
      }
    }
    if (type->quota) {
      auto holder = type->quota->per == storage::QuotaHolder::user ? beneficiary : t.organization_id;
      TRY(storage::ticket_requests::lock_holder(c, type->quota->per, holder));
      ASSIGN_OR_RETURN(auto used, storage::ticket_requests::count_since(c, type->stored.id, type->quota->per, holder,
                                                                         months_before(s.clock.now(), type->quota->months)));
      if (used >= type->quota->count) {
        if (!waiving("catalog.quota")) return fail(Code::conflict, quota_message(*type->quota, used, chinese), "quota_exceeded");
        waive(t, draft, {{"used", used}, {"count", type->quota->count}, {"months", type->quota->months}});
      }
    }
    if (in.waiver && !waived) {
      Problems q;
      q.add("override.rule", in.waiver->rule + " does not stand in this request's way; submit it without an override");
      return fail(q.error());
    }
    if (!type->approval.empty()) {
      ASSIGN_OR_RETURN(approvers, approvers_for(c, type->approval, t.organization_id, t.id));
      await_approval(t, draft);
    } else if (!type->tasks.empty()) {
      // Nothing to approve and a procedure to run: fulfilment starts at once.
      auto from = t.status;
      drafting::enter_state(t, tickets::Workflows::builtin().of(t.type), "fulfilment", draft.now());
      draft.add("status_changed", storage::Visibility::public_, "", Json{{"from", from}, {"to", t.status}});
    }
    tasks = start_tasks(s, type->tasks, t, draft);
    for (auto& file : files) {
      const auto& a = file.attachment;
      file.attachment.ticket_id = t.id;
      file.attachment.created_at = draft.now();
      file.attachment.event_id = draft.add("attachment", storage::Visibility::public_, a.name,
                                           Json{{"attachment_id", a.id}, {"name", a.name}, {"size", a.size},
                                                {"content_type", a.content_type}, {"field", file.field}})
                                     .id;
    }
    return {};
  };
  ticket.write_after = [&](storage::Connection& c, const storage::Ticket& t) -> Result<void> {
    TRY(storage::ticket_requests::insert(c, {t.id, type->stored.id, t.on_behalf_of.value_or(t.requester_id), t.organization_id,
                                             answers_json(type->form, answers).dump(), price.in_cents(), t.created_at}));
    for (const auto& a : approvers) TRY(storage::ticket_requests::insert_approval(c, a));
    TRY(write_new_tasks(c, s, t, tasks));
    TRY(attach_request_files(c, actor, files));
    // DESK-11: a priced request is a charge line from the day it is submitted.
    if (auto charge = request_charge(s, t, type->stored.id, type->name, price, t.on_behalf_of.value_or(t.requester_id)))
      TRY(storage::charges::insert(c, *charge));
    if (!waived) return {};
    TRY(storage::overrides::insert(c, *waived));
    return record(c, s, actor, {"override.apply", "ticket", t.id, t.organization_id, std::nullopt, storage::canonical(*waived)});
  };
  return create_ticket(s, actor, ticket, arrived_through);
}

Result<RequestView> get_request(const Services& s, const Actor& actor, std::string_view ticket_id) {
  TRY(authorize(actor, "ticket.read"));
  return s.db.read([&](storage::Connection& c) -> Result<RequestView> {
    ASSIGN_OR_RETURN(auto found, storage::ticket_requests::find(c, storage::Scope::for_actor(actor), ticket_id));
    if (!found) return fail(Code::not_found, "No such request.");
    ASSIGN_OR_RETURN(auto approvals, storage::ticket_requests::approvals_of(c, ticket_id));
    ASSIGN_OR_RETURN(auto tasks, storage::request_tasks::of_ticket(c, ticket_id));
    return RequestView{std::move(*found), std::move(approvals), std::move(tasks)};
  });
}

}  // namespace tandem::usecase
