// REL-5: shared resources and their bookings (the car-share story).
#include "http/dto.h"
#include "http/json_body.h"
#include "http/routes.h"
#include "usecase/shared_resources.h"

namespace tandem::http {
namespace {

Json resource_json(const storage::SharedResource& r) {
  return {{"id", r.id},
          {"organization_id", r.organization_id},
          {"name", r.name},
          {"kind", r.kind},
          {"location", r.location},
          {"active", r.active},
          {"version", r.version},
          {"etag", etag_of(r.version)},
          {"created_at", time_text(r.created_at)},
          {"updated_at", time_text(r.updated_at)}};
}

Response resource_response(int status, const storage::SharedResource& r) {
  Response out = json_response(status, resource_json(r));
  out.set_header("ETag", etag_of(r.version));
  if (status == 201) out.set_header("Location", "/api/v1/resources/" + r.id);
  return out;
}

Json booking_json(const usecase::BookingView& v) {
  const auto& b = v.booking;
  auto time = [](const std::optional<std::int64_t>& t) { return t ? Json(time_text(*t)) : Json(nullptr); };
  Json out{{"id", b.id},
           {"resource_id", b.resource_id},
           {"starts_at", time_text(b.starts_at)},
           {"ends_at", time_text(b.ends_at)},
           {"state", b.state},
           {"own", v.own}};
  if (!v.own) return out;  // someone else's: only that the resource is taken then
  out.update({{"user_id", b.user_id},
              {"organization_id", b.organization_id},
              {"picked_up_at", time(b.picked_up_at)},
              {"returned_at", time(b.returned_at)},
              {"expected_return_at", time(b.expected_return_at)},
              {"location", b.location},
              {"late_estimate", time(b.alerted_estimate)},
              {"version", b.version}});
  return out;
}

Json bookings_json(const std::vector<usecase::BookingView>& views) {
  Json items = Json::array();
  for (const auto& v : views) items.push_back(booking_json(v));
  return items;
}

usecase::ResourceInput resource_input(Fields& f) {
  usecase::ResourceInput in;
  in.organization_id = f.text("organization_id");
  in.name = f.text("name");
  in.kind = f.text("kind");
  in.location = f.text("location");
  in.active = f.boolean("active");
  return in;
}

// ?from=&to= (RFC 3339); a week from now when absent.
Result<std::pair<std::int64_t, std::int64_t>> window(const Request& r, std::int64_t now) {
  std::int64_t from = now - 24 * 3'600'000, to = now + 7 * 24 * 3'600'000;
  Error e(Code::invalid_argument, "Some fields are invalid.");
  for (auto [name, into] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    Time t;
    if (auto text = r.query_value(name)) {
      if (parse_rfc3339(*text, t)) *into = to_millis(t);
      else e.details.push_back({name, "must be an RFC 3339 time"});
    }
  }
  if (!e.details.empty()) return fail(e);
  return std::pair{from, to};
}

const std::initializer_list<std::string_view> kResourceFields = {"organization_id", "name", "kind", "location", "active"};

}  // namespace

void register_resource_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add("POST", "/api/v1/resources", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, kResourceFields);
    auto in = resource_input(f);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto created, usecase::create_resource(s, r.actor(), in));
    return resource_response(201, created);
  });
  router.add("GET", "/api/v1/resources", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::list_resources(s, r.actor(), r.query_value("kind"), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& res : page.items) items.push_back(resource_json(res));
    return page_response(std::move(items), page.next_after);
  });
  router.add("GET", "/api/v1/resources/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto found, usecase::get_resource(s, r.actor(), r.param("id")));
    return resource_response(200, found);
  });
  router.add("PATCH", "/api/v1/resources/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, kResourceFields);
    auto in = resource_input(f);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto updated, usecase::update_resource(s, r.actor(), r.param("id"), version, in));
    return resource_response(200, updated);
  });
  router.add("POST", "/api/v1/resources/{id}/bookings", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"starts_at", "ends_at"});
    auto starts = f.time_ms("starts_at");
    auto ends = f.time_ms("ends_at");
    if (!body.contains("starts_at")) f.problem("starts_at", "is required");
    if (!body.contains("ends_at")) f.problem("ends_at", "is required");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto booked, usecase::book_resource(s, r.actor(), r.param("id"), *starts, *ends));
    Response out = json_response(201, booking_json(booked));
    out.set_header("Location", "/api/v1/bookings/" + booked.booking.id);
    return out;
  });
  router.add("GET", "/api/v1/resources/{id}/bookings", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto span, window(r, to_millis(s.clock.now())));
    ASSIGN_OR_RETURN(auto found, usecase::resource_bookings(s, r.actor(), r.param("id"), span.first, span.second));
    return page_response(bookings_json(found), std::nullopt);
  });
  router.add("GET", "/api/v1/bookings", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto mine, usecase::my_bookings(s, r.actor()));
    return page_response(bookings_json(mine), std::nullopt);
  });
  // Each move takes the fields it uses, and no others.
  struct Move {
    const char* verb;
    const char* to;
    std::initializer_list<std::string_view> fields;
  };
  static const std::initializer_list<std::string_view> kNone = {}, kWhere = {"location"}, kEstimate = {"expected_return_at", "location"};
  for (const Move& m : {Move{"pickup", "picked_up", kNone}, Move{"return", "returned", kWhere}, Move{"cancel", "cancelled", kNone},
                        Move{"estimate", "estimate", kEstimate}}) {
    router.add("POST", std::string("/api/v1/bookings/{id}/") + m.verb, signed_in, [&s, m](Request& r) -> Result<Response> {
      ASSIGN_OR_RETURN(auto body, parse_json_object(r));
      Fields f(body, m.fields);
      usecase::BookingMove move{m.to, std::nullopt, std::nullopt};
      if (std::string_view(m.to) == "estimate") move.expected_return_at = f.time_ms("expected_return_at");
      if (std::string_view(m.to) == "estimate" || std::string_view(m.to) == "returned") move.location = f.text("location");
      TRY(f.finish());
      ASSIGN_OR_RETURN(auto moved, usecase::move_booking(s, r.actor(), r.param("id"), move));
      return json_response(200, booking_json(moved));
    });
  }
}

}  // namespace tandem::http
