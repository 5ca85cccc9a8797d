#include "usecase/calendars.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/id.h"
#include "usecase/definition_access.h"
#include "usecase/sla_policies.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using Json = nlohmann::json;
using std::chrono::minutes;

// Sunday first, as sla::CalendarRules::week.
constexpr std::array<const char*, 7> kDays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr std::array<std::string_view, 6> kFields = {"time_zone", "always_open", "hours", "holidays", "extra_working_days",
                                                    "extra_day_hours"};
constexpr std::size_t kMaxDays = 2000;  // holidays or extra days: decades of them

std::string clock_text(minutes m) {
  char out[8];
  std::snprintf(out, sizeof out, "%02d:%02d", int(m.count() / 60), int(m.count() % 60));
  return out;
}

std::vector<sla::WorkingPeriod> periods_of(const Json& v, const std::string& field, Problems& p) {
  constexpr auto kShape = R"(must be a list of ["from", "to"] pairs of HH:MM times, such as [["09:00","12:00"],["13:00","18:00"]])";
  std::vector<sla::WorkingPeriod> out;
  if (!v.is_array() || v.size() > 48) {
    p.add(field, kShape);
    return out;
  }
  for (const auto& pair : v) {
    std::optional<minutes> from, to;
    if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
      from = sla::parse_clock_time(pair[0].get<std::string>());
      to = sla::parse_clock_time(pair[1].get<std::string>());
    }
    if (!from || !to) {
      p.add(field, kShape);
      return {};
    }
    out.push_back({*from, *to});
  }
  return out;
}

Json periods_json(const std::vector<sla::WorkingPeriod>& periods) {
  auto out = Json::array();
  for (const auto& period : periods) out.push_back({clock_text(period.from), clock_text(period.to)});
  return out;
}

std::optional<date::local_days> day_of(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char rest = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &rest) != 3) return std::nullopt;
  date::year_month_day ymd{date::year(y), date::month(m), date::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return date::local_days(ymd);
}

std::set<date::local_days> days_of(const Json& v, const std::string& field, Problems& p) {
  std::set<date::local_days> out;
  if (!v.is_array() || v.size() > kMaxDays) {
    p.add(field, "must be a list of at most " + std::to_string(kMaxDays) + " dates such as \"2026-10-01\"");
    return out;
  }
  for (const auto& day : v) {
    auto parsed = day.is_string() ? day_of(day.get<std::string>()) : std::nullopt;
    if (parsed) out.insert(*parsed);
    else p.add(field, "each must be a date such as \"2026-10-01\"; " + day.dump() + " is not");
  }
  return out;
}

Json days_json(const std::set<date::local_days>& days) {
  auto out = Json::array();
  for (auto day : days) out.push_back(date::format("%F", day));
  return out;
}

struct Checked {
  Json definition;  // canonical
  sla::Calendar calendar;
};

// Reads a whole definition; problems name the field ("hours.mon", "holidays").
std::optional<Checked> check_definition(const Json& def, Problems& p) {
  for (const auto& [key, _] : def.items())
    if (std::find(kFields.begin(), kFields.end(), key) == kFields.end())
      p.add(key, "is not a calendar field; fields: name, time_zone, always_open, hours, holidays, extra_working_days, "
                 "extra_day_hours");
  sla::CalendarRules rules;
  const date::time_zone* zone = nullptr;
  auto tz = def.find("time_zone");
  if (tz == def.end() || !tz->is_string()) p.add("time_zone", "is required: an IANA time zone such as Asia/Shanghai");
  else {
    try {
      zone = date::locate_zone(tz->get<std::string>());
    } catch (const std::exception&) {
      p.add("time_zone", "unknown time zone \"" + tz->get<std::string>() + "\"; use an IANA name such as Asia/Shanghai");
    }
  }
  if (auto open = def.find("always_open"); open != def.end()) {
    if (open->is_boolean()) rules.always_open = open->get<bool>();
    else p.add("always_open", "must be true or false");
  }
  if (auto hours = def.find("hours"); hours != def.end()) {
    if (!hours->is_object()) p.add("hours", "must be an object by weekday: mon, tue, wed, thu, fri, sat, sun");
    else
      for (const auto& [day, periods] : hours->items()) {
        auto at = std::find(kDays.begin(), kDays.end(), day);
        if (at == kDays.end()) p.add("hours." + day, "is not a weekday; weekdays: mon, tue, wed, thu, fri, sat, sun");
        else rules.week[std::size_t(at - kDays.begin())] = periods_of(periods, "hours." + day, p);
      }
  }
  if (auto v = def.find("holidays"); v != def.end()) rules.holidays = days_of(*v, "holidays", p);
  if (auto v = def.find("extra_working_days"); v != def.end()) rules.extra_working_days = days_of(*v, "extra_working_days", p);
  auto own_extra_hours = def.find("extra_day_hours");
  bool has_extra_hours = own_extra_hours != def.end() && !own_extra_hours->is_null();
  rules.extra_day_hours = has_extra_hours ? periods_of(*own_extra_hours, "extra_day_hours", p) : rules.week[1];
  if (p.any()) return std::nullopt;

  Json hours = Json::object();
  for (std::size_t day = 0; day < kDays.size(); ++day)
    if (!rules.week[day].empty()) hours[kDays[day]] = periods_json(rules.week[day]);
  Json canonical = {{"time_zone", zone->name()},
                    {"always_open", rules.always_open},
                    {"hours", hours},
                    {"holidays", days_json(rules.holidays)},
                    {"extra_working_days", days_json(rules.extra_working_days)},
                    {"extra_day_hours", has_extra_hours ? periods_json(rules.extra_day_hours) : Json(nullptr)}};
  auto calendar = sla::Calendar::make(std::move(rules), zone);
  if (!calendar) {
    for (const auto& d : calendar.error().details) p.add(d.field, d.problem);
    return std::nullopt;
  }
  return Checked{std::move(canonical), std::move(*calendar)};
}

CalendarView view_of(storage::StoredDefinition stored) { return CalendarView{std::move(stored)}; }

Result<storage::StoredDefinition> load(storage::Connection& c, std::string_view id) {
  return load_definition(c, storage::DefinitionKind::calendar, id, "No such calendar.");
}

}  // namespace

Result<CalendarView> create_calendar(const Services& s, const Actor& actor, const CalendarInput& in) {
  TRY(authorize(actor, "calendar.manage"));
  Problems p;
  check_text(p, "name", in.name.value_or(""), 100);
  auto checked = check_definition(fields_object(in.fields_json, p), p);
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<CalendarView> {
    auto now = to_millis(s.clock.now());
    storage::StoredDefinition stored{new_id("cal", s.clock.now()), 0, trimmed(*in.name), checked->definition.dump(), true, 1, now, now};
    TRY(storage::definitions::insert(c, storage::DefinitionKind::calendar, stored));
    TRY(record(c, s, actor, {"calendar.create", "calendar", stored.id, actor.organization_id, std::nullopt,
                             storage::canonical(storage::DefinitionKind::calendar, stored)}));
    return CalendarView{std::move(stored)};
  });
}

Result<std::vector<CalendarView>> list_calendars(const Services& s, const Actor& actor) {
  return list_definitions(s, actor, "calendar.read", storage::DefinitionKind::calendar, view_of);
}

Result<CalendarView> get_calendar(const Services& s, const Actor& actor, std::string_view id) {
  return get_definition(s, actor, "calendar.read", storage::DefinitionKind::calendar, id, "No such calendar.", view_of);
}

Result<CalendarView> update_calendar(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                     const CalendarInput& patch) {
  TRY(authorize(actor, "calendar.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<CalendarView> {
    ASSIGN_OR_RETURN(auto stored, load(c, id));
    if (stored.version != expected_version)
      return fail(Code::failed_precondition, "The calendar was changed by someone else; reload it.");
    auto before = storage::canonical(storage::DefinitionKind::calendar, stored);
    Problems p;
    if (patch.name) check_text(p, "name", *patch.name, 100);
    auto definition = Json::parse(stored.definition);
    definition.merge_patch(fields_object(patch.fields_json, p));  // RFC 7396: hours merge by weekday, null removes
    auto checked = check_definition(definition, p);
    if (p.any()) return fail(p.error());
    if (patch.name) stored.name = trimmed(*patch.name);
    stored.definition = checked->definition.dump();
    stored.version += 1;
    stored.updated_at = to_millis(s.clock.now());
    TRY(storage::definitions::update(c, storage::DefinitionKind::calendar, stored));
    TRY(record(c, s, actor, {"calendar.update", "calendar", stored.id, actor.organization_id, before,
                             storage::canonical(storage::DefinitionKind::calendar, stored)}));
    return CalendarView{std::move(stored)};
  });
}

Result<void> delete_calendar(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "calendar.manage"));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load(c, id));
    ASSIGN_OR_RETURN(auto user, policy_using_calendar(c, stored.id));
    if (user) return fail(Code::conflict, "The SLA policy \"" + *user + "\" uses this calendar; give it another calendar first.");
    TRY(storage::definitions::remove(c, storage::DefinitionKind::calendar, stored.id));
    return record(c, s, actor, {"calendar.delete", "calendar", stored.id, actor.organization_id,
                                storage::canonical(storage::DefinitionKind::calendar, stored), std::nullopt});
  });
}

Result<Time> add_business_minutes(const Services& s, const Actor& actor, std::string_view id, Time start, minutes business) {
  TRY(authorize(actor, "calendar.read"));
  if (business < minutes(0) || business > minutes(kMaxBusinessMinutes)) {
    Problems p;
    p.add("minutes", "must be a whole number from 0 to " + std::to_string(kMaxBusinessMinutes));
    return fail(p.error());
  }
  ASSIGN_OR_RETURN(auto calendar, s.db.read([&](storage::Connection& c) { return load_calendar(c, id, s.directory_cache->calendars); }));
  if (!calendar) return fail(Code::not_found, "No such calendar.");
  return calendar->add(start, business);
}

Result<std::optional<sla::Calendar>> load_calendar(storage::Connection& c, std::string_view id, VersionedCache<sla::Calendar>& kept) {
  ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, storage::DefinitionKind::calendar, id));
  if (!found) return std::optional<sla::Calendar>();
  auto version = std::uint64_t(found->version);
  if (auto calendar = kept.find(found->id, version)) return std::optional<sla::Calendar>(*calendar);
  Problems ignored;  // stored definitions were checked when saved
  auto calendar = std::move(check_definition(Json::parse(found->definition), ignored)->calendar);
  kept.put(id, version, calendar);
  return std::optional<sla::Calendar>(std::move(calendar));
}

}  // namespace tandem::usecase
