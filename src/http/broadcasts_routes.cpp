// REL-5: people follow services' news; staff publish broadcasts to the people they concern.
#include "http/dto.h"
#include "http/json_body.h"
#include "http/routes.h"
#include "usecase/broadcasts.h"

namespace tandem::http {
namespace {

Json subscription_json(const storage::ServiceSubscription& s) {
  return {{"id", s.id},
          {"service_id", s.service_id},
          {"user_id", s.user_id},
          {"channels", s.channels},
          {"version", s.version},
          {"created_at", time_text(s.created_at)},
          {"updated_at", time_text(s.updated_at)}};
}

// `full` for staff who keep broadcasts; a person it reached reads what it said, not whom else it
// addressed (other organisations' ids), its reach, its author or the incident (which may be
// another organisation's ticket).
Json broadcast_json(const storage::Broadcast& b, bool full) {
  auto time = [](const std::optional<std::int64_t>& t) { return t ? Json(time_text(*t)) : Json(nullptr); };
  if (!full)
    return {{"id", b.id},
            {"kind", b.kind},
            {"service_id", b.service_id ? Json(*b.service_id) : Json(nullptr)},
            {"title", Json::parse(b.title, nullptr, false)},
            {"body", Json::parse(b.body, nullptr, false)},
            {"starts_at", time(b.starts_at)},
            {"ends_at", time(b.ends_at)},
            {"state", b.state},
            {"published_at", time(b.published_at)}};
  return {{"id", b.id},
          {"kind", b.kind},
          {"service_id", b.service_id ? Json(*b.service_id) : Json(nullptr)},
          {"ticket_id", b.ticket_id ? Json(*b.ticket_id) : Json(nullptr)},
          {"organization_ids", b.organization_ids},
          {"title", Json::parse(b.title, nullptr, false)},
          {"body", Json::parse(b.body, nullptr, false)},
          {"starts_at", time(b.starts_at)},
          {"ends_at", time(b.ends_at)},
          {"state", b.state},
          {"reach", Json::parse(b.reach, nullptr, false)},
          {"created_by", b.created_by},
          {"published_at", time(b.published_at)},
          {"version", b.version},
          {"etag", etag_of(b.version)},
          {"created_at", time_text(b.created_at)},
          {"updated_at", time_text(b.updated_at)}};
}

bool keeps_broadcasts(const Request& r) { return usecase::authorize(r.actor(), "broadcast.manage").has_value(); }

Response broadcast_response(int status, const storage::Broadcast& b, bool full) {
  Response out = json_response(status, broadcast_json(b, full));
  out.set_header("ETag", etag_of(b.version));
  if (status == 201) out.set_header("Location", "/api/v1/broadcasts/" + b.id);
  return out;
}

}  // namespace

void register_broadcast_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  // A person's own subscriptions to services' news.
  router.add("GET", "/api/v1/service-subscriptions", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto mine, usecase::my_service_subscriptions(s, r.actor()));
    Json items = Json::array();
    for (const auto& sub : mine) items.push_back(subscription_json(sub));
    return json_response(200, {{"items", items}, {"next_cursor", nullptr}});
  });
  router.add("POST", "/api/v1/service-subscriptions", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"service_id", "channels"});
    auto service_id = f.text("service_id", true).value_or("");
    auto channels = f.texts("channels");
    if (!channels) f.problem("channels", "is required: a list of portal, email, sms, push (empty: hear nothing of the service)");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto done, usecase::subscribe_to_service(s, r.actor(), service_id, *channels));
    Response out = json_response(done.created ? 201 : 200, subscription_json(done.subscription));
    if (done.created) out.set_header("Location", "/api/v1/service-subscriptions/" + done.subscription.id);
    return out;
  });
  router.add("DELETE", "/api/v1/service-subscriptions/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::unsubscribe_from_service(s, r.actor(), r.param("id")));
    return no_content();
  });

  const std::string base = "/api/v1/broadcasts";
  router.add("POST", base, signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    ASSIGN_OR_RETURN(auto b, usecase::create_broadcast(s, r.actor(), {body.dump()}));
    return broadcast_response(201, b, true);
  });
  router.add("GET", base, signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    // ?reached=me: only those that reached the caller, staff too (the News page).
    auto reached = r.query_value("reached");
    if (reached && *reached != "me") {
      Error e(Code::invalid_argument, "Some query parameters are invalid.");
      e.details.push_back({"reached", "may only be me: the broadcasts that reached the caller"});
      return fail(e);
    }
    ASSIGN_OR_RETURN(auto page, usecase::list_broadcasts(s, r.actor(), reached.has_value(), {paging.first, paging.second}));
    Json items = Json::array();
    bool full = keeps_broadcasts(r) && !reached;
    for (const auto& b : page.items) items.push_back(broadcast_json(b, full));
    return page_response(std::move(items), page.next_after);
  });
  router.add("GET", base + "/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto b, usecase::get_broadcast(s, r.actor(), r.param("id")));
    return broadcast_response(200, b, keeps_broadcasts(r));
  });
  router.add("PATCH", base + "/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto b, usecase::update_broadcast(s, r.actor(), r.param("id"), version, {body.dump()}));
    return broadcast_response(200, b, true);
  });
  router.add("POST", base + "/{id}/publish", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto b, usecase::publish_broadcast(s, r.actor(), r.param("id"), version));
    return broadcast_response(200, b, true);
  });
  router.add("GET", base + "/{id}/recipients", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::broadcast_recipients(s, r.actor(), r.param("id"), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& rc : page.items)
      items.push_back({{"user_id", rc.user_id}, {"organization_id", rc.organization_id}, {"channels", rc.channels}});
    return page_response(std::move(items), page.next_after);
  });
}

}  // namespace tandem::http
