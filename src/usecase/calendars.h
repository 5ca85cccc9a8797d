// DESK-3: managing business calendars (administrators; everyone signed in may read them and ask
// "when is start + N business minutes"), and loading them for the SLA clock. A calendar travels
// as the contract of issue 4:
//   {"name", "time_zone": "Asia/Shanghai", "always_open": false,
//    "hours": {"mon": [["09:00","12:00"],["13:00","18:00"]], …},
//    "holidays": ["2026-10-01", …], "extra_working_days": ["2026-10-10"],
//    "extra_day_hours": [["09:00","18:00"]] | null}
// An extra working day keeps the hours of a normal Monday unless extra_day_hours is given.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/sla/calendar.h"
#include "core/versioned_cache.h"
#include "storage/definitions.h"
#include "usecase/context.h"

namespace tandem::usecase {

// A calendar as stored: its definition is the canonical JSON of every field but name. The
// arithmetic comes from load_calendar, which builds it once per version.
struct CalendarView {
  storage::StoredDefinition stored;
};

struct CalendarInput {
  std::optional<std::string> name;
  // A JSON object with the definition fields given (all for a create, some for a patch).
  std::string fields_json = "{}";
};

Result<CalendarView> create_calendar(const Services& s, const identity::Actor& actor, const CalendarInput& in);
Result<std::vector<CalendarView>> list_calendars(const Services& s, const identity::Actor& actor);
Result<CalendarView> get_calendar(const Services& s, const identity::Actor& actor, std::string_view id);
Result<CalendarView> update_calendar(const Services& s, const identity::Actor& actor, std::string_view id,
                                     std::int64_t expected_version, const CalendarInput& patch);
// conflict while an SLA policy uses the calendar.
Result<void> delete_calendar(const Services& s, const identity::Actor& actor, std::string_view id);
constexpr std::int64_t kMaxBusinessMinutes = 10'000'000;  // about 80 years of office hours

// start + `business` minutes of working time on the calendar.
Result<Time> add_business_minutes(const Services& s, const identity::Actor& actor, std::string_view id, Time start,
                                  std::chrono::minutes business);

// The calendar as the SLA clock needs it, parsed once per version (`kept`); nullopt when there
// is none with the id.
Result<std::optional<sla::Calendar>> load_calendar(storage::Connection& c, std::string_view id, VersionedCache<sla::Calendar>& kept);

}  // namespace tandem::usecase
