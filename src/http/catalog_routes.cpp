// DESK-5, REL-2, ONB-11: the service catalog — services, request types and entitlement rules
// (administrators), the catalog each caller is entitled to, and requests raised through it.
// Translatable texts are written in the caller's language, or `?lang=en|zh-CN`, or every
// translation with `?lang=all` (what an editor needs).
#include <algorithm>
#include <unordered_map>

#include "http/definition_routes.h"
#include "http/fulfilment_json.h"
#include "http/routes.h"
#include "http/texts.h"
#include "usecase/approvals.h"
#include "usecase/catalog.h"
#include "usecase/offerings.h"

namespace tandem::http {
namespace {

using catalog::LocalizedText;


Json stamps(const storage::StoredDefinition& d) {
  return {{"version", d.version}, {"etag", etag_of(d.version)}, {"created_at", time_text(d.created_at)}, {"updated_at", time_text(d.updated_at)}};
}

Json render_service(const usecase::ServiceView& v, const Request& r) {
  auto texts = texts_for(r);
  Json out = {{"id", v.stored.id}, {"name", texts(v.name)}, {"description", texts(v.description)}, {"slug", v.slug.empty() ? v.stored.id : v.slug},
              {"order", v.stored.position}, {"active", v.stored.active}};
  out.update(stamps(v.stored));
  return out;
}

Json form_json(const catalog::Form& form, const Texts& texts) {
  Json fields = Json::array();
  for (const auto& f : form.fields()) {
    Json field = {{"key", f.key}, {"type", catalog::to_string(f.type)}, {"label", texts(f.label)}, {"required", f.required}};
    if (!f.help.empty()) field["help"] = texts(f.help);
    if (!f.message.empty()) field["message"] = texts(f.message);
    if (!f.options.empty()) {
      Json options = Json::array();
      for (const auto& o : f.options)
        options.push_back({{"value", o.value}, {"label", o.label.empty() ? Json(o.value) : texts(o.label)}, {"price", o.price.to_string()}});
      field["options"] = std::move(options);
    }
    if (f.min) field["min"] = *f.min;
    if (f.max) field["max"] = *f.max;
    if (f.max_length) field["max_length"] = f.max_length;
    if (f.type == catalog::FieldType::file) field["max_files"] = std::max<std::size_t>(f.max_files, 1);
    if (f.show_when) field["show_when"] = {{"field", f.show_when->field}, {"equals", f.show_when->equals}};
    fields.push_back(std::move(field));
  }
  return {{"fields", fields}};
}

// Its stored definition is already the canonical JSON of what needs no language (price, quota,
// channels, approval); the texts and the form are written in the reader's language.
// Its procedure names teams and endpoints, which are the provider's business: staff see it.
Json render_request_type(const usecase::RequestTypeView& v, const Texts& texts, bool staff) {
  auto def = Json::parse(v.stored.definition);
  Json out = {{"id", v.stored.id},
              {"service_id", v.service_id},
              {"name", texts(v.name)},
              {"description", texts(v.description)},
              {"terms", texts(v.terms)},
              {"form", form_json(v.form, texts)},
              {"price", def["price"]},
              {"quota", def["quota"]},
              {"channels", def["channels"]},
              {"approval", def.value("approval", Json())},
              {"order", v.stored.position},
              {"active", v.stored.active}};
  if (staff) {
    Json tasks = Json::array();
    for (const auto& t : v.tasks) {
      Json task = {{"key", t.key}, {"name", texts(t.name)}, {"team_id", t.team_id}, {"after", t.after}, {"due_hours", t.due_hours}};
      task["endpoint_id"] = t.endpoint_id.empty() ? Json(nullptr) : Json(t.endpoint_id);
      tasks.push_back(std::move(task));
    }
    out["tasks"] = std::move(tasks);
  }
  out.update(stamps(v.stored));
  return out;
}

Json render_offering(const usecase::OfferingView& v, const Request& r) {
  auto texts = texts_for(r);
  Json out = {{"id", v.stored.id},
              {"service_id", v.service_id ? Json(*v.service_id) : Json(nullptr)},
              {"name", texts(v.name)},
              {"description", texts(v.description)},
              {"tier_change", v.tier_change == usecase::TierChange::now ? "now" : "next_period"},
              {"order", v.stored.position},
              {"active", v.stored.active}};
  out.update(stamps(v.stored));
  return out;
}

Json render_tier(const usecase::TierView& v, const Request& r) {
  auto texts = texts_for(r);
  Json prices = Json::object();
  for (const auto& [kind, price] : v.usage_prices) prices[kind] = price.to_string();
  Json out = {{"id", v.stored.id},
              {"offering_id", v.offering_id},
              {"name", texts(v.name)},
              {"description", texts(v.description)},
              {"monthly_fee", v.monthly_fee.to_string()},
              {"usage_prices", prices},
              {"order", v.stored.position},
              {"active", v.stored.active}};
  out.update(stamps(v.stored));
  return out;
}

Json subscription_json(const storage::Subscription& sub) {
  return {{"id", sub.id},
          {"offering_id", sub.offering_id},
          {"tier_id", sub.tier_id},
          {"organization_id", sub.organization_id},
          {"user_id", sub.user_id ? Json(*sub.user_id) : Json(nullptr)},
          {"starts_at", time_text(sub.starts_at)},
          {"ends_at", sub.ends_at ? Json(time_text(*sub.ends_at)) : Json(nullptr)},
          {"version", sub.version},
          {"etag", etag_of(sub.version)},
          {"created_at", time_text(sub.created_at)},
          {"updated_at", time_text(sub.updated_at)}};
}

// What a reader lacks to request an item, named in their language; a requirement with where
// they stand on it (ONB-8: missing, pending, rejected, expired).
Json missing_json(const catalog::Missing& m, const Texts& texts, const usecase::CatalogPage& page) {
  const auto& cat = *page.kept;
  bool chinese = texts.language == "zh-CN";
  if (m.kind == catalog::Missing::Kind::terms) {
    auto title = cat.terms_titles.find(m.id);
    std::string name = title == cat.terms_titles.end() ? m.id : std::string(title->second.in(texts.language));
    return {{"kind", "terms"},
            {"id", m.id},
            {"name", name},
            {"title", name},
            {"message", chinese ? "需要接受“" + name + "”" : "needs you to accept the terms " + name}};
  }
  bool tier = m.kind == catalog::Missing::Kind::tier;
  const auto& names = tier ? cat.tier_names : cat.requirement_names;
  std::string name = m.id;
  if (auto it = names.find(m.id); it != names.end()) name = std::string(it->second.in(texts.language));
  if (tier)
    return {{"kind", "tier"},
            {"id", m.id},
            {"name", name},
            {"message", chinese ? "需要“" + name + "”等级的订阅" : "needs a subscription to the " + name + " tier"}};
  auto known = page.requirement_status.find(m.id);
  std::string status = known == page.requirement_status.end() ? "missing" : known->second;
  std::string message;
  if (status == "pending") message = chinese ? "“" + name + "”的证明正在审核" : name + ": your evidence is being checked";
  else if (status == "rejected") message = chinese ? "“" + name + "”的证明未通过，请重新提交" : name + ": your evidence was rejected; give it again";
  else if (status == "expired") message = chinese ? "“" + name + "”已过期，请更新" : name + ": expired; renew it";
  else message = chinese ? "需要满足资格要求“" + name + "”" : "needs the requirement " + name;
  return {{"kind", "requirement"}, {"id", m.id}, {"name", name}, {"status", status}, {"message", message}};
}

// The timeframe a request raised now may expect: business minutes and when they fall due.
Json timeframe_json(const usecase::ExpectedTimeframe* t) {
  if (!t) return nullptr;
  auto minutes = [](const auto& m) { return m ? Json(m->count()) : Json(nullptr); };
  auto at = [](const std::optional<Time>& when) { return when ? Json(to_rfc3339(*when)) : Json(nullptr); };
  return {{"calendar_id", t->calendar_id},
          {"first_response_minutes", minutes(t->first_response)},
          {"first_response_by", at(t->first_response_by)},
          {"resolution_minutes", minutes(t->resolution)},
          {"resolution_by", at(t->resolution_by)}};
}

Result<usecase::RequestTypeQuery> request_type_query(const Request& r) {
  ASSIGN_OR_RETURN(auto page, page_params(r));
  Error e(Code::invalid_argument, "Some query parameters are invalid.");
  for (const auto& [key, _] : r.query)
    if (key != "service_id" && key != "lang" && key != "limit" && key != "cursor")
      e.details.push_back({key, "is not a parameter of this list; parameters: service_id, lang, limit, cursor"});
  if (!e.details.empty()) return fail(std::move(e));
  return usecase::RequestTypeQuery{r.query_value("service_id"), {page.first, page.second}};
}

Json request_json(const storage::TicketRequest& request) {
  return {{"ticket_id", request.ticket_id},
          {"request_type_id", request.request_type_id},
          {"beneficiary_id", request.beneficiary_id},
          {"organization_id", request.organization_id},
          {"answers", Json::parse(request.answers)},
          {"price", catalog::Money::cents(request.price_cents).to_string()},
          {"created_at", time_text(request.created_at)}};
}

// The steps of a request's approval with each approver's decision; null when it needs none.
Json approval_json(const std::vector<usecase::ApprovalStepView>& steps) {
  if (steps.empty()) return nullptr;
  Json out = Json::array();
  for (const auto& step : steps) {
    Json approvers = Json::array();
    for (const auto& a : step.approvers)
      approvers.push_back({{"user_id", a.approver_id},
                           {"decision", a.decision},
                           {"comment", a.comment},
                           {"decided_at", a.decided_at ? Json(time_text(*a.decided_at)) : Json(nullptr)}});
    out.push_back({{"step", step.step + 1}, {"mode", step.all ? "all" : "any"}, {"state", catalog::to_string(step.state)},
                   {"approvers", approvers}});
  }
  return out;
}

}  // namespace

void register_catalog_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  add_definition_routes<usecase::CatalogInput, usecase::ServiceView>(
      router, s,
      {"/api/v1/services", usecase::kServiceFields, definition_json, usecase::list_services, usecase::create_service, usecase::get_service,
       usecase::update_service, usecase::delete_service, render_service});

  add_definition_routes<usecase::CatalogInput, usecase::EntitlementView>(
      router, s,
      {"/api/v1/entitlements", usecase::kEntitlementFields, definition_json, usecase::list_entitlements, usecase::create_entitlement,
       usecase::get_entitlement, usecase::update_entitlement, usecase::delete_entitlement});

  add_definition_routes<usecase::CatalogInput, usecase::OfferingView>(
      router, s,
      {"/api/v1/offerings", usecase::kOfferingFields, definition_json, usecase::list_offerings, usecase::create_offering,
       usecase::get_offering, usecase::update_offering, usecase::delete_offering, render_offering});
  add_definition_routes<usecase::CatalogInput, usecase::TierView>(
      router, s,
      {"/api/v1/offering-tiers", usecase::kTierFields, definition_json, usecase::list_tiers, usecase::create_tier, usecase::get_tier,
       usecase::update_tier, usecase::delete_tier, render_tier});

  const std::string subscriptions = "/api/v1/subscriptions";
  router.add("GET", subscriptions, signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto page, page_params(r));
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    for (const auto& [key, _] : r.query)
      if (key != "organization_id" && key != "user_id" && key != "offering_id" && key != "limit" && key != "cursor")
        e.details.push_back({key, "is not a parameter of this list; parameters: organization_id, user_id, offering_id, limit, cursor"});
    if (!e.details.empty()) return fail(std::move(e));
    storage::subscriptions::Filter filter{r.query_value("organization_id"), r.query_value("user_id"), r.query_value("offering_id")};
    ASSIGN_OR_RETURN(auto found, usecase::list_subscriptions(s, r.actor(), filter, {page.first, page.second}));
    Json items = Json::array();
    for (const auto& sub : found.items) items.push_back(subscription_json(sub));
    return page_response(std::move(items), found.next_after);
  });
  router.add("POST", subscriptions, signed_in, [&s, subscriptions](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"tier_id", "organization_id", "user_id", "starts_at", "ends_at"});
    usecase::NewSubscription in;
    in.tier_id = f.text("tier_id", true).value_or("");
    in.organization_id = f.text("organization_id");
    in.user_id = f.text("user_id");
    in.starts_at = f.time_ms("starts_at");
    in.ends_at = f.time_ms("ends_at");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto created, usecase::create_subscription(s, r.actor(), in));
    return versioned_response(201, subscription_json(created), created, subscriptions);
  });
  router.add("GET", subscriptions + "/{id}", signed_in, [&s, subscriptions](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto found, usecase::get_subscription(s, r.actor(), r.param("id")));
    return versioned_response(200, subscription_json(found), found, subscriptions);
  });
  router.add("PATCH", subscriptions + "/{id}", signed_in, [&s, subscriptions](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"starts_at", "ends_at"});
    usecase::SubscriptionPatch patch;
    patch.starts_at = f.time_ms("starts_at");
    if (auto ends = body.find("ends_at"); ends != body.end() && ends->is_null()) patch.ends_at = std::optional<std::int64_t>();
    else if (auto at = f.time_ms("ends_at")) patch.ends_at = at;
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto updated, usecase::update_subscription(s, r.actor(), r.param("id"), version, patch));
    return versioned_response(200, subscription_json(updated), updated, subscriptions);
  });
  router.add("DELETE", subscriptions + "/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::delete_subscription(s, r.actor(), r.param("id")));
    return no_content();
  });
  router.add("POST", subscriptions + "/{id}/tier-change", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"tier_id"});
    auto tier = f.text("tier_id", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto changed, usecase::change_tier(s, r.actor(), r.param("id"), *tier));
    return json_response(200, Json{{"previous", subscription_json(changed.previous)},
                                   {"next", subscription_json(changed.next)},
                                   {"effective_at", time_text(changed.next.starts_at)}});
  });

  const std::string types = "/api/v1/request-types";
  router.add("GET", types, signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto texts, texts_of(r));
    ASSIGN_OR_RETURN(auto q, request_type_query(r));
    ASSIGN_OR_RETURN(auto page, usecase::list_request_types(s, r.actor(), q));
    Json items = Json::array();
    for (const auto& t : page.items) items.push_back(render_request_type(t, texts, r.actor().staff()));
    return page_response(std::move(items), page.next_after);
  });
  router.add("POST", types, signed_in, [&s, types](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto texts, texts_of(r));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    ASSIGN_OR_RETURN(auto created, usecase::create_request_type(s, r.actor(), {body.dump()}));
    return versioned_response(201, render_request_type(created, texts, r.actor().staff()), created.stored, types);
  });
  router.add("GET", types + "/{id}", signed_in, [&s, types](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto texts, texts_of(r));
    ASSIGN_OR_RETURN(auto found, usecase::get_request_type(s, r.actor(), r.param("id")));
    return versioned_response(200, render_request_type(found, texts, r.actor().staff()), found.stored, types);
  });
  router.add("PATCH", types + "/{id}", signed_in, [&s, types](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto texts, texts_of(r));
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto updated, usecase::update_request_type(s, r.actor(), r.param("id"), version, {body.dump()}));
    return versioned_response(200, render_request_type(updated, texts, r.actor().staff()), updated.stored, types);
  });
  router.add("DELETE", types + "/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::delete_request_type(s, r.actor(), r.param("id")));
    return no_content();
  });

  router.add("GET", "/api/v1/catalog", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"lang", "limit", "cursor"}));
    ASSIGN_OR_RETURN(auto texts, texts_of(r));
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::catalog_for(s, r.actor(), {paging.first, paging.second}));
    // Written entry by entry: the few timeframes many entries share are written once and spliced
    // into each (writing JSON is most of this route's time).
    auto text = [](const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); };
    std::unordered_map<const usecase::ExpectedTimeframe*, std::string> timeframes;
    std::string items = "[";
    for (const auto& section : page.sections) {
      const auto& svc = *section.service;
      if (items.size() > 1) items += ',';
      items += "{\"request_types\":[";
      bool first = true;
      for (const auto& entry : section.request_types) {
        const auto& t = *entry.request_type;
        Json missing = Json::array();
        for (const auto& m : entry.entitlement.missing) missing.push_back(missing_json(m, texts, page));
        Json item = Json::object();
        item["id"] = t.stored.id;
        item["name"] = texts(t.name);
        item["description"] = texts(t.description);
        item["price"] = t.price.to_string();
        item["eligible"] = entry.entitlement.eligible;
        item["missing"] = std::move(missing);
        auto [known, fresh] = timeframes.try_emplace(entry.timeframe);
        if (fresh) known->second = text(timeframe_json(entry.timeframe));
        auto written = text(item);
        written.pop_back();  // the closing brace: the timeframe goes last
        if (!first) items += ',';
        first = false;
        items += written + ",\"timeframe\":" + known->second + "}";
      }
      items += "],\"service\":" +
               text(Json{{"id", svc.stored.id}, {"name", texts(svc.name)}, {"description", texts(svc.description)}}) + "}";
    }
    items += "]";
    return page_response(std::move(items), page.next_after);
  });

  router.add("POST", "/api/v1/requests", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"request_type_id", "answers", "on_behalf_of", "channel", "override"});
    usecase::NewRequest in;
    in.request_type_id = f.text("request_type_id", true).value_or("");
    in.on_behalf_of = f.text("on_behalf_of");
    in.channel = parse_enum(f, "channel", tickets::parse_channel, tickets::all_channels());
    std::vector<FieldProblem> more;
    if (auto answers = body.find("answers"); answers == body.end() || answers->is_null()) in.answers_json = "{}";
    else if (answers->is_object()) in.answers_json = answers->dump();
    else more.push_back({"answers", "must be an object of answers by field key"});
    if (auto waiver = body.find("override"); waiver != body.end() && !waiver->is_null()) {
      auto text = [&](const char* key) {
        auto it = waiver->is_object() ? waiver->find(key) : waiver->end();
        return it != waiver->end() && it->is_string() ? it->get<std::string>() : std::string();
      };
      if (!waiver->is_object()) more.push_back({"override", "must be {\"rule\", \"reason_code\", \"justification\"}"});
      else {
        // The onboarding contract's short forms: "eligibility" or "quota", and "reason".
        auto rule = text("rule");
        if (rule == "eligibility" || rule == "quota") rule = "catalog." + rule;
        auto reason = waiver->contains("reason_code") ? text("reason_code") : text("reason");
        in.waiver = usecase::Waiver{rule, reason, text("justification")};
      }
    }
    TRY(f.finish(more));
    ASSIGN_OR_RETURN(auto ticket, usecase::submit_request(s, r.actor(), in, arrival_channel(r)));
    return resource_response(201, ticket, "/api/v1/tickets");
  });
  router.add("GET", "/api/v1/requests/{ticket_id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto found, usecase::get_request(s, r.actor(), r.param("ticket_id")));
    auto body = request_json(found.request);
    body["approval"] = approval_json(usecase::approval_steps(found.approvals));
    body["tasks"] = tasks_json(found.tasks, r);
    return json_response(200, body);
  });
  router.add("POST", "/api/v1/requests/{ticket_id}/approvals", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"decision", "comment"});
    auto decision_text = f.text("decision", true);
    auto comment = f.text("comment").value_or("");
    std::vector<FieldProblem> more;
    auto decision = decision_text ? catalog::parse_decision(*decision_text) : std::nullopt;
    if (decision_text && !decision) more.push_back({"decision", "must be approve or reject"});
    TRY(f.finish(more));
    ASSIGN_OR_RETURN(auto steps, usecase::decide_approval(s, r.actor(), r.param("ticket_id"), *decision, comment));
    return json_response(200, Json{{"approval", approval_json(steps)}});
  });
  router.add("GET", "/api/v1/approvals", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto pending, usecase::pending_approvals(s, r.actor()));
    Json items = Json::array();
    for (const auto& p : pending) {
      auto item = request_json(p.request);
      item["step"] = p.step + 1;
      item["number"] = p.ticket.number;
      item["subject"] = p.ticket.subject;
      item["description"] = p.ticket.description;
      item["requester_id"] = p.ticket.requester_id;
      items.push_back(std::move(item));
    }
    return page_response(std::move(items), std::nullopt);
  });
}

}  // namespace tandem::http
