#include "storage/definitions.h"

#include <fmt/format.h>

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns = "id, position, name, definition, active, version, created_at, updated_at";

std::string_view table_of(DefinitionKind kind) {
  switch (kind) {
    case DefinitionKind::calendar: return "calendars";
    case DefinitionKind::sla_policy: return "sla_policies";
    case DefinitionKind::service: return "services";
    case DefinitionKind::request_type: return "request_types";
    case DefinitionKind::entitlement: return "entitlements";
    case DefinitionKind::offering: return "offerings";
    case DefinitionKind::tier: return "offering_tiers";
    case DefinitionKind::webhook_endpoint: return "webhook_endpoints";
    case DefinitionKind::onboarding_template: return "onboarding_templates";
    case DefinitionKind::requirement: return "requirements";
    case DefinitionKind::training: return "trainings";
    case DefinitionKind::terms: return "terms";
  }
  return "";
}

std::string_view type_of(DefinitionKind kind) {
  switch (kind) {
    case DefinitionKind::calendar: return "calendar";
    case DefinitionKind::sla_policy: return "sla_policy";
    case DefinitionKind::service: return "service";
    case DefinitionKind::request_type: return "request_type";
    case DefinitionKind::entitlement: return "entitlement";
    case DefinitionKind::offering: return "offering";
    case DefinitionKind::tier: return "tier";
    case DefinitionKind::webhook_endpoint: return "webhook_endpoint";
    case DefinitionKind::onboarding_template: return "onboarding_template";
    case DefinitionKind::requirement: return "requirement";
    case DefinitionKind::training: return "training";
    case DefinitionKind::terms: return "terms";
  }
  return "";
}

StoredDefinition from_row(const Row& r) {
  return StoredDefinition{r.text(0), r.integer(1), r.text(2), r.text(3), r.integer(4) != 0, r.integer(5), r.integer(6), r.integer(7)};
}

// Raises the kind's counter, which caches of its definitions are kept under (fingerprint()).
Result<void> bump(Connection& c, DefinitionKind kind) {
  TRY(c.execute("INSERT INTO definition_versions (kind, version) VALUES (?, 1) "
                "ON CONFLICT (kind) DO UPDATE SET version = definition_versions.version + 1",
                {std::string(type_of(kind))}));
  return {};
}

}  // namespace

std::string canonical(DefinitionKind kind, const StoredDefinition& d) {
  return fmt::format("{}\nid={}\nposition={}\nname={}\ndefinition={}\nactive={}\nversion={}\n", type_of(kind), d.id, d.position, d.name,
                     d.definition, d.active, d.version);
}

namespace definitions {

Result<void> insert(Connection& c, DefinitionKind kind, const StoredDefinition& d) {
  TRY(c.execute(fmt::format("INSERT INTO {} ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", table_of(kind), kColumns),
                {d.id, d.position, d.name, d.definition, std::int64_t(d.active), d.version, d.created_at, d.updated_at}));
  return bump(c, kind);
}

Result<std::optional<StoredDefinition>> find(Connection& c, DefinitionKind kind, std::string_view id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM {} WHERE id = ?", kColumns, table_of(kind)), {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Result<std::vector<StoredDefinition>> all(Connection& c, DefinitionKind kind) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM {} ORDER BY position, id LIMIT 100000", kColumns, table_of(kind))));
  std::vector<StoredDefinition> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

Result<void> update(Connection& c, DefinitionKind kind, const StoredDefinition& d) {
  ASSIGN_OR_RETURN(auto n, c.execute(fmt::format("UPDATE {} SET position = ?, name = ?, definition = ?, active = ?, version = ?, "
                                                 "updated_at = ? WHERE id = ? AND version = ?",
                                                 table_of(kind)),
                                     {d.position, d.name, d.definition, std::int64_t(d.active), d.version, d.updated_at, d.id,
                                      d.version - 1}));
  if (n == 0) return fail(Code::failed_precondition, "It was changed by someone else; reload it.");
  return bump(c, kind);
}

Result<void> remove(Connection& c, DefinitionKind kind, std::string_view id) {
  TRY(c.execute(fmt::format("DELETE FROM {} WHERE id = ?", table_of(kind)), {std::string(id)}));
  return bump(c, kind);
}

Result<std::string> fingerprint(Connection& c, std::span<const DefinitionKind> kinds) {
  std::string in;
  std::vector<Value> params;
  for (auto kind : kinds) {
    in += in.empty() ? "?" : ", ?";
    params.emplace_back(std::string(type_of(kind)));
  }
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT kind, version FROM definition_versions WHERE kind IN (" + in + ") ORDER BY kind", params));
  std::string out;
  for (const auto& r : rows) out += fmt::format("{}:{};", r.text(0), r.integer(1));
  return out;
}

}  // namespace definitions
}  // namespace tandem::storage
