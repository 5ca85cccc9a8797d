#include "usecase/points.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "core/id.h"
#include "domain/community/community.h"
#include "domain/feedback/draw.h"
#include "domain/tickets/attachment.h"
#include "storage/organizations.h"
#include "storage/shared_resources.h"
#include "storage/users.h"
#include "usecase/community.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using Json = nlohmann::json;
using storage::Scope;

constexpr std::size_t kCommentLimit = 1000;
constexpr std::int64_t kDayMs = 86'400'000;
constexpr int kHistory = 50;
constexpr std::int64_t kMaxAward = 1000;

std::int64_t now_ms(const Services& s) { return to_millis(s.clock.now()); }

Error no_draw() { return Error(Code::not_found, "No such draw."); }

std::optional<std::int64_t> time_field(const Json& body, const char* field, Problems& p) {
  auto it = body.find(field);
  Time t;
  if (it == body.end() || !it->is_string() || !parse_rfc3339(it->get<std::string>(), t)) {
    p.add(field, "is required: an RFC 3339 time");
    return std::nullopt;
  }
  return to_millis(t);
}

std::string text_field(const Json& body, const char* field, std::size_t limit, Problems& p) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string() || trimmed(it->get<std::string>()).empty() || tickets::utf8_length(it->get<std::string>()) > limit) {
    p.add(field, fmt::format("is required: 1–{} characters", limit));
    return {};
  }
  return trimmed(it->get<std::string>());
}

std::int64_t integer_field(const Json& body, const char* field, std::int64_t fallback, std::int64_t low, std::int64_t high, Problems& p) {
  auto it = body.find(field);
  if (it == body.end()) return fallback;
  if (!it->is_number_integer() || it->get<std::int64_t>() < low || it->get<std::int64_t>() > high) {
    p.add(field, fmt::format("must be a whole number from {} to {}", low, high));
    return fallback;
  }
  return it->get<std::int64_t>();
}

}  // namespace

// ---- condition ---------------------------------------------------------------------------------

Result<ConditionRated> rate_condition(const Services& s, const Actor& actor, std::string_view booking_id, const ConditionInput& in) {
  TRY(authorize(actor, "resource.book"));
  Problems p;
  if (!in.score || *in.score < 1 || *in.score > 5) p.add("score", "is required: a whole number from 1 to 5");
  if (!tickets::valid_utf8(in.comment)) p.add("comment", "must be UTF-8 text");
  else if (tickets::utf8_length(in.comment) > kCommentLimit) p.add("comment", "must be at most 1000 characters");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<ConditionRated> {
    ASSIGN_OR_RETURN(auto booking, storage::bookings::find(c, Scope::for_actor(actor), booking_id, storage::Lock::for_update));
    // Another member's booking is not theirs to see, as for its pick-up.
    if (!booking || booking->user_id != actor.user_id) return fail(Code::not_found, "No such booking.");
    // While one holds it: the state found is fresh, and one who brings it back cannot blame the
    // holder before for what happened since.
    if (!booking->picked_up_at || booking->state != "picked_up")
      return fail(Code::conflict, "Rate the state you found it in while you have it, once picked up.", "not_picked_up");
    auto now = now_ms(s);
    ASSIGN_OR_RETURN(auto existing, storage::condition_ratings::of_booking(c, booking->id, storage::Lock::for_update));
    ConditionRated out;
    out.created = !existing;
    std::optional<std::string> before;
    if (existing) {
      before = canonical(*existing);
      out.rating = std::move(*existing);
      out.rating.version += 1;
    } else {
      auto& r = out.rating;
      r.id = new_id("cnd", s.clock.now());
      r.booking_id = booking->id;
      r.resource_id = booking->resource_id;
      r.organization_id = booking->organization_id;
      r.rater_id = actor.user_id;
      r.created_at = now;
      ASSIGN_OR_RETURN(auto previous, storage::condition_ratings::previous_holding(c, booking->resource_id, booking->id, *booking->picked_up_at));
      if (previous) {
        r.previous_booking_id = previous->booking_id;
        // The rater who held it last themselves rates their own care: nobody is credited.
        if (previous->user_id != actor.user_id) r.credited_user_id = previous->user_id;
      }
    }
    auto& r = out.rating;
    r.score = *in.score;
    r.comment = trimmed(in.comment);
    r.updated_at = now;
    if (out.created) TRY(storage::condition_ratings::insert(c, r));
    else TRY(storage::condition_ratings::update(c, r));
    if (r.credited_user_id) TRY(credit_points(c, s, *r.credited_user_id, community::condition_reason(r.score), r.id, actor.user_id));
    TRY(record(c, s, actor, {out.created ? "condition_rating.create" : "condition_rating.update", "condition_rating", r.id, r.organization_id,
                             before, canonical(r)}));
    return out;
  });
}

Result<std::vector<storage::ConditionRating>> resource_conditions(const Services& s, const Actor& actor, std::string_view resource_id) {
  TRY(authorize(actor, "resource.manage"));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<storage::ConditionRating>> {
    auto scope = Scope::for_actor(actor);
    ASSIGN_OR_RETURN(auto resource, storage::shared_resources::find(c, scope, resource_id));
    if (!resource) return fail(Code::not_found, "No such resource.");
    return storage::condition_ratings::of_resource(c, scope, resource_id, 100);
  });
}

// ---- points ------------------------------------------------------------------------------------

Result<PointsView> points_of(const Services& s, const Actor& actor, std::string_view user_id) {
  return s.db.read([&](storage::Connection& c) -> Result<PointsView> {
    if (user_id != actor.user_id) {
      // Staff read anyone's; a customer their organisation's people's; nobody else another's.
      bool may = actor.staff() || std::ranges::find(actor.roles, identity::Role::customer) != actor.roles.end();
      ASSIGN_OR_RETURN(auto person, storage::users::find(c, Scope::for_actor(actor), user_id));
      if (!may || !person) return fail(Code::not_found, "No such user.");
    }
    PointsView v;
    v.user_id = std::string(user_id);
    auto now = now_ms(s);
    ASSIGN_OR_RETURN(v.total, storage::points::earned_since(c, user_id, 0));
    ASSIGN_OR_RETURN(v.last_7_days, storage::points::earned_since(c, user_id, now - 7 * kDayMs));
    ASSIGN_OR_RETURN(v.last_30_days, storage::points::earned_since(c, user_id, now - 30 * kDayMs));
    ASSIGN_OR_RETURN(v.history, storage::reputation::history(c, user_id, kHistory));
    return v;
  });
}

Result<storage::ReputationEvent> award_points(const Services& s, const Actor& actor, std::string_view user_id,
                                              std::optional<std::int64_t> points, const std::string& reason) {
  TRY(authorize(actor, "points.award"));
  Problems p;
  if (!points || *points == 0 || *points < -kMaxAward || *points > kMaxAward) p.add("points", "is required: a whole number from -1000 to 1000, not 0");
  auto why = trimmed(reason);
  if (why.empty() || tickets::utf8_length(why) > 200 || !tickets::valid_utf8(why)) p.add("reason", "is required: 1–200 characters, what the points are for");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::ReputationEvent> {
    ASSIGN_OR_RETURN(auto person, storage::users::find(c, Scope::for_actor(actor), user_id));
    if (!person) return fail(Code::not_found, "No such user.");
    if (person->id == actor.user_id) return fail(Code::permission_denied, "Points are awarded by someone else.", "own_points");
    if (!person->active) return fail(Code::conflict, "This person's account is closed.", "inactive");
    auto now = now_ms(s);
    // An award is no rule's: the daily cap, which stops farming, does not apply to it.
    storage::ReputationEvent e{new_id("rep", s.clock.now()),
                               person->id,
                               std::nullopt,
                               *points,
                               *points,
                               std::string(community::to_string(community::ReputationReason::award)),
                               new_id("awd", s.clock.now()),
                               actor.user_id,
                               to_rfc3339(s.clock.now()).substr(0, 10),
                               now};
    TRY(storage::reputation::insert(c, e));
    TRY(record(c, s, actor, {"points.award", "user", person->id, person->organization_id, std::nullopt,
                             fmt::format("award\npoints={}\nreason={}\n", *points, why)}));
    return e;
  });
}

// ---- draws ------------------------------------------------------------------------------------

Result<storage::Draw> create_draw(const Services& s, const Actor& actor, const DrawInput& in) {
  TRY(authorize(actor, "draw.manage"));
  auto body = Json::parse(in.fields_json, nullptr, false);
  Problems p;
  if (!body.is_object()) {
    p.add("body", "must be a JSON object");
    return fail(p.error());
  }
  for (const auto& [key, _] : body.items())
    if (key != "organization_id" && key != "name" && key != "prize" && key != "winners" && key != "period_from" && key != "period_to" &&
        key != "min_points" && key != "weighted")
      p.add(key, "is not a field of a draw; fields: organization_id, name, prize, winners, period_from, period_to, min_points, weighted");
  storage::Draw d;
  d.name = text_field(body, "name", 200, p);
  d.prize = text_field(body, "prize", 500, p);
  d.winners = integer_field(body, "winners", 1, 1, 100, p);
  d.min_points = integer_field(body, "min_points", 1, 1, 1'000'000, p);
  auto from = time_field(body, "period_from", p);
  auto to = time_field(body, "period_to", p);
  if (from && to && *to <= *from) p.add("period_to", "must be after period_from");
  d.period_from = from.value_or(0);
  d.period_to = to.value_or(0);
  if (auto w = body.find("weighted"); w != body.end()) {
    if (!w->is_boolean()) p.add("weighted", "must be true or false");
    else d.weighted = w->get<bool>();
  }
  auto org = body.find("organization_id");
  if (org == body.end() || !org->is_string()) p.add("organization_id", "is required: the organisation whose people take part");
  return s.db.write([&](storage::Connection& c) -> Result<storage::Draw> {
    if (org != body.end() && org->is_string()) {
      ASSIGN_OR_RETURN(auto found, storage::organizations::find(c, Scope::for_actor(actor), org->get<std::string>()));
      if (!found) p.add("organization_id", "no such organisation");
      else d.organization_id = found->id;
    }
    if (p.any()) return fail(p.error());
    d.id = new_id("drw", s.clock.now());
    d.seed = random_token(32);
    d.seed_hash = feedback::seed_commitment(d.seed);
    d.created_by = actor.user_id;
    d.created_at = d.updated_at = now_ms(s);
    TRY(storage::draws::insert(c, d));
    TRY(record(c, s, actor, {"draw.create", "draw", d.id, d.organization_id, std::nullopt, canonical(d)}));
    return d;
  });
}

Result<storage::Draw> run_draw(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version) {
  TRY(authorize(actor, "draw.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<storage::Draw> {
    ASSIGN_OR_RETURN(auto found, storage::draws::find(c, Scope::for_actor(actor), id, storage::Lock::for_update));
    if (!found) return fail(no_draw());
    auto d = std::move(*found);
    if (d.version != expected_version) return fail(Code::failed_precondition, "The draw changed since you read it.", "version_mismatch");
    if (d.state == "drawn") return fail(Code::conflict, "This draw has been drawn.", "drawn");
    auto now = now_ms(s);
    if (now < d.period_to) return fail(Code::conflict, "The draw's period is not over yet: its entrants are not known.", "period_not_over");
    auto before = canonical(d);
    ASSIGN_OR_RETURN(auto earned, storage::points::earned_in(c, d.organization_id, d.period_from, d.period_to, d.min_points));
    std::vector<feedback::Entrant> entrants;
    Json listed = Json::array();
    for (const auto& e : earned) {
      feedback::Entrant entrant{e.user_id, d.weighted ? e.points : 1};
      listed.push_back({{"user_id", entrant.user_id}, {"tickets", entrant.tickets}});
      entrants.push_back(std::move(entrant));
    }
    d.winner_ids = feedback::draw_winners(d.seed, std::move(entrants), std::size_t(d.winners));
    d.entrants = listed.dump();
    d.state = "drawn";
    d.drawn_at = now;
    d.version += 1;
    d.updated_at = now;
    TRY(storage::draws::update(c, d));
    TRY(record(c, s, actor, {"draw.run", "draw", d.id, d.organization_id, before, canonical(d)}));
    return d;
  });
}

Result<storage::Draw> get_draw(const Services& s, const Actor& actor, std::string_view id) {
  return s.db.read([&](storage::Connection& c) -> Result<storage::Draw> {
    ASSIGN_OR_RETURN(auto d, storage::draws::find(c, Scope::for_actor(actor), id));
    if (!d) return fail(no_draw());
    return std::move(*d);
  });
}

Result<storage::Page<storage::Draw>> list_draws(const Services& s, const Actor& actor, const storage::PageRequest& page) {
  return s.db.read([&](storage::Connection& c) { return storage::draws::list(c, Scope::for_actor(actor), page); });
}

Result<std::vector<Winner>> winners_of(const Services& s, const storage::Draw& draw) {
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<Winner>> {
    std::vector<Winner> out;
    for (const auto& id : draw.winner_ids) {
      // The draw was read in the reader's scope; its winners are named only within it.
      ASSIGN_OR_RETURN(auto u, storage::users::find(c, Scope::system(), id));
      out.push_back({id, u && u->organization_id == draw.organization_id ? std::optional<std::string>(u->name) : std::nullopt});
    }
    return out;
  });
}

}  // namespace tandem::usecase
