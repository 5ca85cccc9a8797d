#include "usecase/status_page.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "domain/feedback/feedback.h"
#include "storage/broadcasts.h"
#include "usecase/catalog_definitions.h"

namespace tandem::usecase {
namespace {

// The page lists what a reader can take in; older entries still count in the availability
// only when they fall in the window, and a service with more in 90 days has bigger problems.
constexpr int kEntryLimit = 200;

catalog::LocalizedText text_of(const std::string& stored) {
  auto json = nlohmann::json::parse(stored, nullptr, false);
  return json.is_object() ? catalog_definitions::stored_text(json) : catalog::LocalizedText();
}

}  // namespace

Result<StatusPage> status_page(const Services& s, std::string_view key) {
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  const ServiceView* found = nullptr;
  for (const auto& svc : cat->services)
    if (svc.stored.active && (svc.stored.id == key || svc.slug == key)) found = &svc;
  if (!found) return fail(Code::not_found, "No such service.");
  StatusPage page;
  page.service = *found;
  page.as_of = s.clock.now();
  auto since = page.as_of - std::chrono::days(kStatusDays);
  ASSIGN_OR_RETURN(auto broadcasts, s.db.read([&](storage::Connection& c) {
    return storage::broadcasts::published_for_service(c, found->stored.id, to_millis(since), kEntryLimit);
  }));
  // A major incident told in several updates (one ticket) is one outage: from its earliest
  // start to the end its newest update gives (none yet: still running).
  std::vector<feedback::Outage> outages;
  std::map<std::string, std::size_t> outage_of_ticket;
  page.state = "operational";
  auto now = to_millis(page.as_of);
  for (const auto& b : broadcasts) {
    if (!b.organization_ids.empty()) continue;  // told to some organisations only
    StatusEntry e;
    e.id = b.id;
    e.kind = b.kind;
    e.title = text_of(b.title);
    e.body = text_of(b.body);
    if (b.starts_at) e.starts_at = from_millis(*b.starts_at);
    if (b.ends_at) e.ends_at = from_millis(*b.ends_at);
    e.published_at = from_millis(b.published_at.value_or(b.created_at));
    e.ticket_id = b.ticket_id;
    auto start = b.starts_at.value_or(to_millis(e.published_at));
    if (e.kind == "major_incident") {
      if (!b.ticket_id) {
        outages.push_back({start, b.ends_at});
      } else if (auto known = outage_of_ticket.find(*b.ticket_id); known != outage_of_ticket.end()) {
        outages[known->second].start = std::min(outages[known->second].start, start);
      } else {
        outage_of_ticket.emplace(*b.ticket_id, outages.size());
        outages.push_back({start, b.ends_at});  // the newest update comes first
      }
    } else if (e.kind == "maintenance" && start <= now && (!b.ends_at || now < *b.ends_at) && page.state == "operational") {
      page.state = "maintenance";
    }
    page.entries.push_back(std::move(e));
  }
  for (const auto& o : outages)
    if (o.start <= now && (!o.end || now < *o.end)) page.state = "major_outage";
  page.availability = feedback::availability(std::move(outages), to_millis(since), to_millis(page.as_of));
  return page;
}

}  // namespace tandem::usecase
