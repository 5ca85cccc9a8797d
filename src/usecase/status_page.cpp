#include "usecase/status_page.h"

#include <nlohmann/json.hpp>

#include "domain/feedback/feedback.h"
#include "storage/broadcasts.h"
#include "usecase/catalog_definitions.h"

namespace tandem::usecase {
namespace {

// The page lists at most this many broadcasts (a service with more in 90 days has bigger
// problems); the availability counts every incident, listed or not (storage's incident_spans).
constexpr int kEntryLimit = 200;

catalog::LocalizedText text_of(const std::string& stored) {
  auto json = nlohmann::json::parse(stored, nullptr, false);
  return json.is_object() ? catalog_definitions::stored_text(json) : catalog::LocalizedText();
}

}  // namespace

Result<StatusPage> status_page(const Services& s, std::string_view key) {
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  const ServiceView* found = nullptr;
  for (const auto& svc : cat->services)  // an id first: it never changes
    if (svc.stored.active && svc.stored.id == key) found = &svc;
  for (const auto& svc : cat->services)
    if (!found && svc.stored.active && svc.slug == key) found = &svc;
  if (!found) return fail(Code::not_found, "No such service.");
  StatusPage page;
  page.service = *found;
  page.as_of = s.clock.now();
  auto since = page.as_of - std::chrono::days(kStatusDays);
  std::vector<storage::Broadcast> broadcasts;
  std::vector<storage::IncidentSpan> incidents;
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(broadcasts, storage::broadcasts::published_for_service(c, found->stored.id, to_millis(since), kEntryLimit));
    ASSIGN_OR_RETURN(incidents, storage::broadcasts::incident_spans(c, found->stored.id));
    return {};
  }));
  page.state = "operational";
  auto now = to_millis(page.as_of);
  for (const auto& b : broadcasts) {
    StatusEntry e;
    e.id = b.id;
    e.kind = b.kind;
    e.title = text_of(b.title);
    e.body = text_of(b.body);
    if (b.starts_at) e.starts_at = from_millis(*b.starts_at);
    if (b.ends_at) e.ends_at = from_millis(*b.ends_at);
    e.published_at = from_millis(b.published_at.value_or(b.created_at));
    auto start = b.starts_at.value_or(to_millis(e.published_at));
    if (e.kind == "maintenance" && start <= now && (!b.ends_at || now < *b.ends_at)) page.state = "maintenance";
    page.entries.push_back(std::move(e));
  }
  // A major incident told in several updates is one outage (storage's incident_spans).
  std::vector<feedback::Outage> outages;
  for (const auto& i : incidents) {
    outages.push_back({i.start, i.end});
    if (i.start <= now && (!i.end || now < *i.end)) page.state = "major_outage";
  }
  page.availability = feedback::availability(std::move(outages), to_millis(since), to_millis(page.as_of));
  return page;
}

}  // namespace tandem::usecase
