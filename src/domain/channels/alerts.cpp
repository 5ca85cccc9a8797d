#include "domain/channels/alerts.h"

namespace tandem::channels {
namespace {

std::string value_of(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

// A label or annotation of the group: the common one, else the first alert's.
std::string group_value(const AlertGroup& g, bool annotation, const std::string& key) {
  auto v = value_of(annotation ? g.common_annotations : g.common_labels, key);
  if (v.empty() && !g.alerts.empty()) v = value_of(annotation ? g.alerts.front().annotations : g.alerts.front().labels, key);
  return v;
}

// At most `limit` bytes, cut before a UTF-8 continuation byte.
std::string cut(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "…";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> problems_of(const AlertGroup& g) {
  std::vector<std::pair<std::string, std::string>> out;
  if (g.group_key.empty()) out.push_back({"groupKey", "is required"});
  if (g.group_key.size() > 1000) out.push_back({"groupKey", "must be at most 1000 bytes"});
  if (g.status != "firing" && g.status != "resolved") out.push_back({"status", "must be firing or resolved"});
  if (g.alerts.empty()) out.push_back({"alerts", "must hold at least one alert"});
  if (g.alerts.size() > 1000) out.push_back({"alerts", "at most 1000 alerts a delivery"});
  for (std::size_t i = 0; i < g.alerts.size(); ++i)
    if (g.alerts[i].status != "firing" && g.alerts[i].status != "resolved")
      out.push_back({"alerts[" + std::to_string(i) + "].status", "must be firing or resolved"});
  return out;
}

std::string incident_subject(const AlertGroup& g) {
  auto name = group_value(g, false, "alertname");
  auto summary = group_value(g, true, "summary");
  auto severity = group_value(g, false, "severity");
  std::string out = severity.empty() ? "" : "[" + severity + "] ";
  out += name.empty() ? "Alert" : name;
  if (!summary.empty()) out += ": " + summary;
  return cut(out, 200);
}

std::string incident_text(const AlertGroup& g) {
  std::string out;
  auto summary = group_value(g, true, "summary");
  auto description = group_value(g, true, "description");
  if (!summary.empty()) out += summary + "\n\n";
  if (!description.empty()) out += description + "\n\n";
  std::size_t firing = 0;
  for (const auto& a : g.alerts) firing += a.status == "firing";
  out += std::to_string(firing) + " of " + std::to_string(g.alerts.size()) + " alerts firing";
  if (!g.external_url.empty()) out += " — " + g.external_url;
  out += "\n";
  for (const auto& a : g.alerts) {
    out += "\n- **" + a.status + "**";
    if (!a.starts_at.empty()) out += " since " + a.starts_at;
    for (const auto& [k, v] : a.labels) out += " · `" + k + "=" + v + "`";
    if (!a.generator_url.empty()) out += " · <" + a.generator_url + ">";
  }
  return cut(out + "\n", 60'000);
}

std::pair<tickets::Level, tickets::Level> impact_urgency(const AlertGroup& g) {
  auto severity = group_value(g, false, "severity");
  if (severity == "critical" || severity == "page" || severity == "error") return {tickets::Level::high, tickets::Level::high};
  if (severity == "warning" || severity == "major") return {tickets::Level::medium, tickets::Level::medium};
  return {tickets::Level::low, tickets::Level::medium};
}

std::string service_label(const AlertGroup& g) {
  auto common = value_of(g.common_labels, "service");
  if (!common.empty()) return common;
  std::string seen;
  for (const auto& a : g.alerts) {
    auto s = value_of(a.labels, "service");
    if (s.empty() || (!seen.empty() && s != seen)) return "";
    seen = s;
  }
  return seen;
}

bool resolved(const AlertGroup& g) {
  if (g.status != "resolved") return false;
  for (const auto& a : g.alerts)
    if (a.status != "resolved") return false;
  return true;
}

}  // namespace tandem::channels
