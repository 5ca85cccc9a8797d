// Outbound webhooks (OPS-3, REL-5): administrators subscribe receivers to events and read what
// was posted to them.
#include "http/dto.h"
#include "http/json_body.h"
#include "http/routes.h"
#include "usecase/webhooks.h"

namespace tandem::http {
namespace {

Json webhook_json(const storage::Webhook& w) {
  return {{"id", w.id},
          {"name", w.name},
          {"url", w.url},
          {"events", w.events},
          {"organization_id", w.organization_id ? Json(*w.organization_id) : Json(nullptr)},
          {"local_network", w.local_network},
          {"active", w.active},
          {"version", w.version},
          {"etag", etag_of(w.version)},
          {"created_at", time_text(w.created_at)},
          {"updated_at", time_text(w.updated_at)}};
}

Response webhook_response(int status, const storage::Webhook& w, const std::string& secret = "") {
  auto body = webhook_json(w);
  if (!secret.empty()) body["secret"] = secret;
  Response out = json_response(status, body);
  out.set_header("ETag", etag_of(w.version));
  if (status == 201) out.set_header("Location", "/api/v1/webhooks/" + w.id);
  return out;
}

Json delivery_json(const storage::EventDelivery& d) {
  auto time = [](const std::optional<std::int64_t>& t) { return t ? Json(time_text(*t)) : Json(nullptr); };
  return {{"id", d.id},
          {"webhook_id", d.webhook_id},
          {"event", d.event},
          {"organization_id", d.organization_id.empty() ? Json(nullptr) : Json(d.organization_id)},
          {"state", d.state},
          {"attempts", d.attempts},
          {"next_at", d.state == "pending" ? time(d.next_at) : Json(nullptr)},
          {"last_status", d.last_status ? Json(*d.last_status) : Json(nullptr)},
          {"last_error", d.last_error.empty() ? Json(nullptr) : Json(d.last_error)},
          {"payload", Json::parse(d.payload, nullptr, false)},
          {"created_at", time_text(d.created_at)},
          {"delivered_at", time(d.delivered_at)}};
}

usecase::WebhookInput webhook_input(Fields& f) {
  usecase::WebhookInput in;
  in.name = f.text("name");
  in.url = f.text("url");
  in.events = f.texts("events");
  in.organization_id = f.nullable_text("organization_id");
  in.local_network = f.boolean("local_network");
  in.active = f.boolean("active");
  return in;
}

}  // namespace

void register_webhook_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};
  const RouteOptions shows_secret{Auth::required, Csrf::checked, 0, 0, "secret"};
  const std::string base = "/api/v1/webhooks";

  router.add("POST", base, shows_secret, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"name", "url", "events", "organization_id", "local_network", "active"});
    auto in = webhook_input(f);
    if (!in.name) in.name = std::string();
    if (!in.url) in.url = std::string();
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto created, usecase::create_webhook(s, r.actor(), in));
    return webhook_response(201, created.webhook, created.secret);
  });
  router.add("GET", base, signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::list_webhooks(s, r.actor(), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& w : page.items) items.push_back(webhook_json(w));
    return page_response(std::move(items), page.next_after);
  });
  router.add("GET", base + "/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto w, usecase::get_webhook(s, r.actor(), r.param("id")));
    return webhook_response(200, w);
  });
  router.add("PATCH", base + "/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"name", "url", "events", "organization_id", "local_network", "active"});
    auto patch = webhook_input(f);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto w, usecase::update_webhook(s, r.actor(), r.param("id"), version, patch));
    return webhook_response(200, w);
  });
  router.add("POST", base + "/{id}/secret", shows_secret, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto rotated, usecase::rotate_outbound_webhook_secret(s, r.actor(), r.param("id")));
    return webhook_response(200, rotated.webhook, rotated.secret);
  });
  router.add("POST", base + "/{id}/ping", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto d, usecase::ping_webhook(s, r.actor(), r.param("id")));
    return json_response(202, delivery_json(d));
  });
  router.add("GET", base + "/{id}/deliveries", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::webhook_deliveries(s, r.actor(), r.param("id"), r.query_value("state").value_or(""),
                                                            {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& d : page.items) items.push_back(delivery_json(d));
    return page_response(std::move(items), page.next_after);
  });
  router.add("POST", base + "/{id}/deliveries/{delivery}/retry", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto d, usecase::redeliver_event(s, r.actor(), r.param("id"), r.param("delivery")));
    return json_response(200, delivery_json(d));
  });
}

}  // namespace tandem::http
