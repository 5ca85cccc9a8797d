// FDB-4: the public status page of a service — its state now, its major incidents with their
// updates, its maintenance windows and its availability over 90 days computed from the incidents
// — read from the broadcasts staff publish about it (REL-5). Only broadcasts addressed to
// everyone are public; one for named organisations stays with them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "usecase/catalog.h"

namespace tandem::usecase {

constexpr int kStatusDays = 90;

struct StatusEntry {
  std::string id;
  std::string kind;  // major_incident, maintenance, notice
  catalog::LocalizedText title, body;
  std::optional<Time> starts_at, ends_at;
  Time published_at;
};

struct StatusPage {
  ServiceView service;
  std::string state;  // operational, maintenance, major_outage (the worst running now)
  double availability = 1.0;  // over the last kStatusDays days
  std::vector<StatusEntry> entries;  // newest first
  Time as_of;
};

// By the service's id or slug; not_found for no active service.
Result<StatusPage> status_page(const Services& s, std::string_view key);

}  // namespace tandem::usecase
