#include "usecase/shared_resources.h"

#include <limits>

#include "core/id.h"
#include "core/log.h"
#include "domain/resources/booking.h"
#include "storage/organizations.h"
#include "storage/tickets.h"
#include "storage/users.h"
#include "usecase/validation.h"
#include "usecase/webhooks.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using storage::Booking;
using storage::Scope;
using storage::SharedResource;

// A booking is for at most this long, and may start at most this far ahead.
constexpr std::int64_t kLongestBooking = 7 * 24 * 60 * resources::kMinute;
constexpr std::int64_t kFurthestAhead = 366LL * 24 * 60 * resources::kMinute;

// At most `limit` bytes, cut at a character boundary.
std::string within(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

Error not_found_resource() { return Error(Code::not_found, "No such resource."); }
Error not_found_booking() { return Error(Code::not_found, "No such booking."); }

BookingView view(const Actor& actor, Booking b) {
  bool own = actor.staff() || b.user_id == actor.user_id;
  if (!own) {  // someone else's: when the resource is taken, nothing of who or where
    b.user_id.clear();
    b.location.clear();
    b.expected_return_at.reset();
    b.alerted_estimate.reset();
  }
  return {std::move(b), own};
}

void check_resource_fields(Problems& p, const ResourceInput& in, bool creating) {
  if (creating || in.name) check_text(p, "name", in.name.value_or(""), 200);
  if (creating || in.kind) check_text(p, "kind", in.kind.value_or(""), 50);
  if (in.location && in.location->size() > 500) p.add("location", "must be at most 500 bytes");
  if (creating && (!in.organization_id || in.organization_id->empty())) p.add("organization_id", "is required: whose people book it");
}

}  // namespace

Result<SharedResource> create_resource(const Services& s, const Actor& actor, const ResourceInput& in) {
  TRY(authorize(actor, "resource.manage"));
  Problems p;
  check_resource_fields(p, in, true);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<SharedResource> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::for_actor(actor), *in.organization_id));
    if (!org) {
      Problems q;
      q.add("organization_id", "no such organisation");
      return fail(q.error());
    }
    SharedResource r;
    auto now = s.clock.now();
    r.id = new_id("res", now);
    r.organization_id = org->id;
    r.name = trimmed(*in.name);
    r.kind = trimmed(*in.kind);
    r.location = trimmed(in.location.value_or(""));
    r.active = in.active.value_or(true);
    r.created_at = r.updated_at = to_millis(now);
    TRY(storage::shared_resources::insert(c, r));
    TRY(record(c, s, actor, {"resource.create", "shared_resource", r.id, r.organization_id, std::nullopt, storage::canonical(r)}));
    return r;
  });
}

Result<SharedResource> update_resource(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                       const ResourceInput& patch) {
  TRY(authorize(actor, "resource.manage"));
  Problems p;
  check_resource_fields(p, patch, false);
  if (patch.organization_id) p.add("organization_id", "a resource stays with its organisation");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<SharedResource> {
    ASSIGN_OR_RETURN(auto found, storage::shared_resources::find(c, Scope::for_actor(actor), id, storage::Lock::for_update));
    if (!found) return fail(not_found_resource());
    if (found->version != expected_version) return fail(Code::failed_precondition, "The resource changed since you read it.");
    auto r = *found;
    auto before = storage::canonical(r);
    if (patch.name) r.name = trimmed(*patch.name);
    if (patch.kind) r.kind = trimmed(*patch.kind);
    if (patch.location) r.location = trimmed(*patch.location);
    if (patch.active) r.active = *patch.active;
    r.version += 1;
    r.updated_at = to_millis(s.clock.now());
    TRY(storage::shared_resources::update(c, r));
    TRY(record(c, s, actor, {"resource.update", "shared_resource", r.id, r.organization_id, before, storage::canonical(r)}));
    return r;
  });
}

Result<SharedResource> get_resource(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "resource.book"));
  ASSIGN_OR_RETURN(auto r, s.db.read([&](storage::Connection& c) { return storage::shared_resources::find(c, Scope::for_actor(actor), id); }));
  if (!r) return fail(not_found_resource());
  return *r;
}

Result<storage::Page<SharedResource>> list_resources(const Services& s, const Actor& actor, const std::optional<std::string>& kind,
                                                     const storage::PageRequest& page) {
  TRY(authorize(actor, "resource.book"));
  return s.db.read([&](storage::Connection& c) { return storage::shared_resources::list(c, Scope::for_actor(actor), kind, page); });
}

Result<BookingView> book_resource(const Services& s, const Actor& actor, std::string_view resource_id, std::int64_t starts_at,
                                  std::int64_t ends_at) {
  TRY(authorize(actor, "resource.book"));
  auto now = to_millis(s.clock.now());
  Problems p;
  if (ends_at <= starts_at) p.add("ends_at", "must be after starts_at");
  else if (ends_at - starts_at > kLongestBooking) p.add("ends_at", "a booking lasts at most 7 days");
  if (starts_at < now - 5 * resources::kMinute) p.add("starts_at", "must not be in the past");
  if (starts_at > now + kFurthestAhead) p.add("starts_at", "must be within a year");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<BookingView> {
    // The resource's row is the lock two bookings for the same time queue on.
    ASSIGN_OR_RETURN(auto r, storage::shared_resources::find(c, Scope::for_actor(actor), resource_id, storage::Lock::for_update));
    if (!r) return fail(not_found_resource());
    if (!r->active) return fail(Code::conflict, r->name + " is not available for booking.", "resource_unavailable");
    if (!actor.staff() && actor.organization_id != r->organization_id) return fail(not_found_resource());
    ASSIGN_OR_RETURN(auto taken, storage::bookings::live_between(c, r->id, starts_at, ends_at));
    if (!taken.empty()) return fail(Code::conflict, r->name + " is booked for part of that time.", "booking_overlap");
    Booking b;
    auto at = s.clock.now();
    b.id = new_id("bkg", at);
    b.resource_id = r->id;
    b.organization_id = r->organization_id;
    b.user_id = actor.user_id;
    b.starts_at = starts_at;
    b.ends_at = ends_at;
    b.location = r->location;
    b.created_at = b.updated_at = to_millis(at);
    TRY(storage::bookings::insert(c, b));
    TRY(record(c, s, actor, {"booking.create", "booking", b.id, b.organization_id, std::nullopt, storage::canonical(b)}));
    return view(actor, b);
  });
}

Result<std::vector<BookingView>> resource_bookings(const Services& s, const Actor& actor, std::string_view resource_id, std::int64_t from,
                                                  std::int64_t to) {
  TRY(get_resource(s, actor, resource_id));
  if (to <= from) {
    Problems p;
    p.add("to", "must be after from");
    return fail(p.error());
  }
  ASSIGN_OR_RETURN(auto found, s.db.read([&](storage::Connection& c) { return storage::bookings::of_resource(c, resource_id, from, to); }));
  std::vector<BookingView> out;
  for (auto& b : found) out.push_back(view(actor, std::move(b)));
  return out;
}

Result<std::vector<BookingView>> my_bookings(const Services& s, const Actor& actor) {
  TRY(authorize(actor, "resource.book"));
  auto since = to_millis(s.clock.now()) - 24 * 60 * resources::kMinute;
  ASSIGN_OR_RETURN(auto found, s.db.read([&](storage::Connection& c) { return storage::bookings::of_user(c, actor.user_id, since, 200); }));
  std::vector<BookingView> out;
  for (auto& b : found) out.push_back(view(actor, std::move(b)));
  return out;
}

Result<BookingView> move_booking(const Services& s, const Actor& actor, std::string_view id, const BookingMove& move) {
  TRY(authorize(actor, "resource.book"));
  auto now = to_millis(s.clock.now());
  Problems p;
  if (move.to == "estimate") {
    if (!move.expected_return_at) p.add("expected_return_at", "is required");
    else if (*move.expected_return_at <= now) p.add("expected_return_at", "must be in the future");
    else if (*move.expected_return_at > now + kLongestBooking) p.add("expected_return_at", "must be within 7 days");
  }
  if (move.location && move.location->size() > 500) p.add("location", "must be at most 500 bytes");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<BookingView> {
    ASSIGN_OR_RETURN(auto found, storage::bookings::find(c, Scope::for_actor(actor), id, storage::Lock::for_update));
    if (!found || !(actor.staff() || found->user_id == actor.user_id)) return fail(not_found_booking());
    auto b = *found;
    auto before = storage::canonical(b);
    auto refuse = [&](const std::string& why) { return fail(Code::conflict, why, "booking_state"); };
    if (move.to == "picked_up") {
      if (b.state != "booked") return refuse("Only a booking not yet picked up can be picked up; this one is " + b.state + ".");
      if (now < b.starts_at - 15 * resources::kMinute) return refuse("It can be picked up from 15 minutes before the booking starts.");
      if (now >= b.ends_at) return refuse("The booking is over.");
      // The resource's row is the lock two pick-ups queue on. Nobody else may hold it, nor be
      // booked for any moment between now and this booking's start.
      TRY(storage::shared_resources::find(c, Scope::system(), b.resource_id, storage::Lock::for_update));
      ASSIGN_OR_RETURN(auto live, storage::bookings::live_between(c, b.resource_id, 0, std::numeric_limits<std::int64_t>::max()));
      for (const auto& other : live) {
        if (other.id == b.id) continue;
        if (other.state == "picked_up") return refuse("It has not been returned by the one before yet.");
        if (now < b.starts_at && resources::overlaps(other.starts_at, other.ends_at, now, b.starts_at))
          return refuse("Someone else has it booked until your booking starts.");
      }
      b.state = "picked_up";
      b.picked_up_at = now;
    } else if (move.to == "returned") {
      if (b.state != "picked_up") return refuse("Only a booking picked up can be returned; this one is " + b.state + ".");
      b.state = "returned";
      b.returned_at = now;
      b.expected_return_at.reset();
    } else if (move.to == "cancelled") {
      if (b.state != "booked") return refuse("Only a booking not yet picked up can be cancelled; this one is " + b.state + ".");
      b.state = "cancelled";
    } else if (move.to == "estimate") {
      if (b.state != "picked_up") return refuse("Only the holder of a resource says when it will be back.");
      b.expected_return_at = move.expected_return_at;
    } else {
      Problems q;
      q.add("to", "one of picked_up, returned, cancelled, estimate");
      return fail(q.error());
    }
    if (move.location) b.location = trimmed(*move.location);
    b.version += 1;
    b.updated_at = now;
    TRY(storage::bookings::update(c, b));
    TRY(record(c, s, actor, {"booking." + move.to, "booking", b.id, b.organization_id, before, storage::canonical(b)}));
    return view(actor, b);
  });
}

Result<int> alert_late_returns(const Services& s, int limit) {
  auto now = to_millis(s.clock.now());
  ASSIGN_OR_RETURN(auto out, s.db.read([&](storage::Connection& c) {
    return storage::bookings::out_ending_before(c, now - kLongestBooking, now + resources::kAlertLead, limit);
  }));
  int told = 0;
  for (const auto& seen : out) {
    auto alerted = s.db.write([&](storage::Connection& c) -> Result<bool> {
      // Read again under the lock: the holder may have returned it or said more meanwhile.
      ASSIGN_OR_RETURN(auto holder, storage::bookings::find(c, Scope::system(), seen.id, storage::Lock::for_update));
      if (!holder || holder->state != "picked_up") return false;
      ASSIGN_OR_RETURN(auto next, storage::bookings::next_after(c, holder->resource_id, holder->starts_at, storage::Lock::for_update));
      if (!next || next->id == holder->id) return false;
      auto estimate =
          resources::late_alert({holder->ends_at, holder->expected_return_at}, {next->starts_at, next->alerted_estimate}, now);
      if (!estimate) return false;
      ASSIGN_OR_RETURN(auto r, storage::shared_resources::find(c, Scope::system(), holder->resource_id));
      if (!r) return false;
      ASSIGN_OR_RETURN(auto free, storage::shared_resources::free_between(c, r->organization_id, r->kind, next->starts_at, next->ends_at,
                                                                         r->id, 3));
      std::string summary = r->name + " will be late for your booking: expected back about " + to_rfc3339(from_millis(*estimate)) +
                            (holder->location.empty() ? "" : " (last at " + holder->location + ")") + ".";
      if (!free.empty()) {
        summary += " Free for your time instead:";
        for (std::size_t i = 0; i < free.size(); ++i) summary += (i ? ", " : " ") + free[i].name;
        summary += ".";
      }
      auto booking = *next;
      booking.alerted_estimate = *estimate;
      booking.version += 1;
      booking.updated_at = now;
      TRY(storage::bookings::update(c, booking));
      storage::Notification n;
      n.id = new_id("ntf", s.clock.now());
      n.user_id = booking.user_id;
      n.event_id = booking.id;
      n.booking_id = booking.id;
      n.kind = "booking_late";
      n.summary = within(summary, 1000);
      n.created_at = now;
      TRY(storage::notifications::insert(c, n));
      // The holder hears that someone is waiting — not who: members see only that a resource is
      // taken — once for each estimate the next booker is told.
      storage::Notification waiting;
      waiting.id = new_id("ntf", s.clock.now());
      waiting.user_id = holder->user_id;
      waiting.event_id = holder->id;
      waiting.booking_id = holder->id;
      waiting.kind = "booking_waiting";
      waiting.summary = within(r->name + " is booked by someone else from " + to_rfc3339(from_millis(booking.starts_at)) +
                                   ": please bring it back, or say when you will be back.",
                               1000);
      waiting.created_at = now;
      TRY(storage::notifications::insert(c, waiting));
      // OPS-3: an SMS or push gateway subscribed to booking.late tells them too.
      TRY(queue_event(c, s, "booking.late", booking.organization_id, [&](bool) -> Result<nlohmann::json> {
        ASSIGN_OR_RETURN(auto person, storage::users::find(c, Scope::system(), booking.user_id));
        nlohmann::json phones = nlohmann::json::array(), alternatives = nlohmann::json::array();
        if (person)
          for (const auto& i : person->identities)
            if (i.kind == "phone") phones.push_back(i.normalized);
        for (const auto& f : free) alternatives.push_back({{"id", f.id}, {"name", f.name}, {"location", f.location}});
        return nlohmann::json{
            {"resource", {{"id", r->id}, {"name", r->name}, {"kind", r->kind}}},
            {"booking", {{"id", booking.id}, {"starts_at", to_rfc3339(from_millis(booking.starts_at))}, {"ends_at", to_rfc3339(from_millis(booking.ends_at))}}},
            {"expected_back_at", to_rfc3339(from_millis(*estimate))},
            {"last_location", holder->location},
            {"alternatives", alternatives},
            {"summary", n.summary},
            {"person", person ? nlohmann::json{{"id", person->id}, {"name", person->name}, {"email", person->email},
                                               {"language", person->language}, {"phones", phones}}
                              : nlohmann::json(nullptr)}};
      }));
      return true;
    });
    // One booking that cannot be told of holds no other back.
    if (!alerted) log_message(LogLevel::error, "late return of booking " + seen.id + ": " + alerted.error().message);
    else told += *alerted;
  }
  return told;
}

}  // namespace tandem::usecase
