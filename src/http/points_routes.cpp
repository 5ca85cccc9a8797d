// FDB-3: the state a shared resource was found in (credited to its holder before), points, and
// prize draws that anyone can repeat from their published seed.
#include "http/dto.h"
#include "http/json_body.h"
#include "http/routes.h"
#include "usecase/points.h"

namespace tandem::http {
namespace {

// Who held it before is the provider's to know: the rater reads their own rating only.
Json condition_json(const storage::ConditionRating& r, bool staff) {
  Json out{{"id", r.id},
           {"booking_id", r.booking_id},
           {"resource_id", r.resource_id},
           {"score", r.score},
           {"comment", r.comment},
           {"credited", r.credited_user_id.has_value()},
           {"version", r.version},
           {"created_at", time_text(r.created_at)},
           {"updated_at", time_text(r.updated_at)}};
  if (staff) {
    out["rater_id"] = r.rater_id;
    out["previous_booking_id"] = r.previous_booking_id ? Json(*r.previous_booking_id) : Json(nullptr);
    out["credited_user_id"] = r.credited_user_id ? Json(*r.credited_user_id) : Json(nullptr);
  }
  return out;
}

Json event_json(const storage::ReputationEvent& e) {
  return {{"id", e.id},
          {"points", e.points},
          {"earned", e.earned},
          {"reason", e.reason},
          {"space_id", e.space_id ? Json(*e.space_id) : Json(nullptr)},
          {"source_id", e.source_id},
          {"created_at", time_text(e.created_at)}};
}

// Before the draw: its commitment only. After: the seed, the entrants as drawn and the winners,
// named while they are of the draw's organisation (the reader's, or the reader is staff).
Json draw_json(const storage::Draw& d, Json winners) {
  bool drawn = d.state == "drawn";
  return {{"id", d.id},
          {"organization_id", d.organization_id},
          {"name", d.name},
          {"prize", d.prize},
          {"winners", d.winners},
          {"period_from", time_text(d.period_from)},
          {"period_to", time_text(d.period_to)},
          {"min_points", d.min_points},
          {"weighted", d.weighted},
          {"state", d.state},
          {"seed_sha256", d.seed_hash},
          {"seed", drawn ? Json(d.seed) : Json(nullptr)},
          {"entrants", drawn ? Json::parse(d.entrants, nullptr, false) : Json(nullptr)},
          {"winner_list", std::move(winners)},
          {"drawn_at", d.drawn_at ? Json(time_text(*d.drawn_at)) : Json(nullptr)},
          {"version", d.version},
          {"etag", etag_of(d.version)},
          {"created_at", time_text(d.created_at)}};
}

// A winner who has since moved to another organisation is not named to this one: name null.
Result<Json> winners_json(const usecase::Services& s, const storage::Draw& d) {
  ASSIGN_OR_RETURN(auto winners, usecase::winners_of(s, d));
  Json out = Json::array();
  for (const auto& w : winners) out.push_back({{"user_id", w.user_id}, {"name", w.name ? Json(*w.name) : Json(nullptr)}});
  return out;
}

Result<Response> draw_response(int status, const usecase::Services& s, const storage::Draw& d) {
  ASSIGN_OR_RETURN(auto winners, winners_json(s, d));
  Response out = json_response(status, draw_json(d, std::move(winners)));
  out.set_header("ETag", etag_of(d.version));
  if (status == 201) out.set_header("Location", "/api/v1/draws/" + d.id);
  return out;
}

}  // namespace

void register_points_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add("POST", "/api/v1/bookings/{id}/condition", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"score", "comment"});
    usecase::ConditionInput in{f.integer("score", true), f.text("comment").value_or("")};
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto rated, usecase::rate_condition(s, r.actor(), r.param("id"), in));
    return json_response(rated.created ? 201 : 200, condition_json(rated.rating, r.actor().staff()));
  });
  router.add("GET", "/api/v1/resources/{id}/conditions", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto rows, usecase::resource_conditions(s, r.actor(), r.param("id")));
    Json items = Json::array();
    for (const auto& row : rows) items.push_back(condition_json(row, r.actor().staff()));
    return json_response(200, {{"items", items}, {"next_cursor", nullptr}});
  });

  // One's points (?user_id= for staff, and a customer for their organisation's people).
  router.add("GET", "/api/v1/points", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"user_id"}));
    ASSIGN_OR_RETURN(auto v, usecase::points_of(s, r.actor(), r.query_value("user_id").value_or(r.actor().user_id)));
    Json history = Json::array();
    for (const auto& e : v.history) history.push_back(event_json(e));
    return json_response(200, {{"user_id", v.user_id},
                               {"total", v.total},
                               {"last_7_days", v.last_7_days},
                               {"last_30_days", v.last_30_days},
                               {"history", history}});
  });
  router.add("POST", "/api/v1/points", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"user_id", "points", "reason"});
    auto user_id = f.text("user_id", true).value_or("");
    auto points = f.integer("points", true);
    auto reason = f.text("reason", true).value_or("");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto e, usecase::award_points(s, r.actor(), user_id, points, reason));
    return json_response(201, event_json(e));
  });

  const std::string base = "/api/v1/draws";
  router.add("POST", base, signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    ASSIGN_OR_RETURN(auto d, usecase::create_draw(s, r.actor(), {body.dump()}));
    return draw_response(201, s, d);
  });
  router.add("GET", base, signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::list_draws(s, r.actor(), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& d : page.items) {
      ASSIGN_OR_RETURN(auto winners, winners_json(s, d));
      items.push_back(draw_json(d, std::move(winners)));
    }
    return page_response(std::move(items), page.next_after);
  });
  router.add("GET", base + "/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto d, usecase::get_draw(s, r.actor(), r.param("id")));
    return draw_response(200, s, d);
  });
  router.add("POST", base + "/{id}/run", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto d, usecase::run_draw(s, r.actor(), r.param("id"), version));
    return draw_response(200, s, d);
  });
}

}  // namespace tandem::http
