// DESK-10: what a monitoring system's alerts mean to the desk. An alert group (Alertmanager's
// groupKey) is one incident: opened when it fires, noted when it fires again, resolved when every
// alert in it is resolved. Pure; the HTTP layer reads the JSON into these.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "domain/tickets/ticket.h"

namespace tandem::channels {

struct Alert {
  std::string status;  // firing or resolved
  std::map<std::string, std::string> labels, annotations;
  std::string starts_at, ends_at, fingerprint, generator_url;
};

struct AlertGroup {
  std::string group_key;
  std::string status;  // firing or resolved: the group's, as Alertmanager sums it up
  std::string receiver, external_url;
  std::map<std::string, std::string> group_labels, common_labels, common_annotations;
  std::vector<Alert> alerts;
};

// The problems of a group as read ("field: problem"), empty when it can be filed.
std::vector<std::pair<std::string, std::string>> problems_of(const AlertGroup& group);

// "[critical] NasDiskAlmostFull: NAS disk 95% full" — the alert's name, its summary, its
// severity when it has one; at most 200 characters.
std::string incident_subject(const AlertGroup& group);
// Markdown: the summary and description, then each alert's labels and where to look.
std::string incident_text(const AlertGroup& group);
// The incident's impact and urgency from the `severity` label: critical → high/high,
// warning → medium/medium, anything else low/medium.
std::pair<tickets::Level, tickets::Level> impact_urgency(const AlertGroup& group);
// The `service` label of the group, when its alerts agree on one.
std::string service_label(const AlertGroup& group);
bool resolved(const AlertGroup& group);

}  // namespace tandem::channels
