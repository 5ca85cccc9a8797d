#include "usecase/retention.h"

#include <nlohmann/json.hpp>

#include "storage/attachments.h"
#include "storage/organizations.h"
#include "usecase/json_setting.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using Json = nlohmann::json;
using storage::Scope;

constexpr std::int64_t kDayMs = 86'400'000;
constexpr int kMaxArchiveDays = 3650;

std::string settings_key(std::string_view organization_id) { return "retention:" + std::string(organization_id); }

Result<RetentionPolicy> read_policy(storage::Connection& c, std::string_view organization_id) {
  ASSIGN_OR_RETURN(auto stored, read_json_setting(c, settings_key(organization_id)));
  RetentionPolicy out;
  out.version = stored.version;
  const auto& j = stored.value;
  out.archive_contact = j.value("archive_contact", false);
  out.archive_days = j.value("archive_days", out.archive_days);
  out.uploads = parse_uploads_rule(j.value("uploads", "keep")).value_or(UploadsRule::keep);
  return out;
}

}  // namespace

std::string_view to_string(UploadsRule rule) { return rule == UploadsRule::erase ? "erase" : "keep"; }

std::optional<UploadsRule> parse_uploads_rule(std::string_view text) {
  if (text == "keep") return UploadsRule::keep;
  if (text == "erase") return UploadsRule::erase;
  return std::nullopt;
}

Result<RetentionPolicy> get_retention_policy(const Services& s, const identity::Actor& actor, const std::string& organization_id) {
  TRY(authorize(actor, "offboarding.manage"));
  return s.db.read([&](storage::Connection& c) -> Result<RetentionPolicy> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    return read_policy(c, organization_id);
  });
}

Result<RetentionPolicy> set_retention_policy(const Services& s, const identity::Actor& actor, const std::string& organization_id,
                                             const RetentionPolicy& in, std::int64_t expected_version) {
  TRY(authorize(actor, "offboarding.manage"));
  Problems p;
  if (in.archive_days < 1 || in.archive_days > kMaxArchiveDays)
    p.add("archive_days", "must be from 1 to " + std::to_string(kMaxArchiveDays) + " days");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<RetentionPolicy> {
    ASSIGN_OR_RETURN(auto org, storage::organizations::find(c, Scope::for_actor(actor), organization_id));
    if (!org) return fail(Code::not_found, "No such organisation.");
    if (org->kind != identity::OrganizationKind::consumer)
      return fail(Code::invalid_argument, "A retention policy is for a customer organisation.");
    Json value = {{"archive_contact", in.archive_contact}, {"archive_days", in.archive_days}, {"uploads", to_string(in.uploads)}};
    TRY(write_json_setting(c, settings_key(organization_id), value, expected_version, to_millis(s.clock.now()),
                           "The retention policy was changed by someone else; reload it."));
    TRY(record(c, s, actor, {"retention.policy", "organization", organization_id, organization_id, std::nullopt, value.dump()}));
    return read_policy(c, organization_id);
  });
}

Result<std::string> archive_by_policy(storage::Connection& c, const storage::Offboarding& o, const storage::User& user,
                                      std::int64_t now) {
  ASSIGN_OR_RETURN(auto policy, read_policy(c, user.organization_id));
  if (!policy.archive_contact)
    return std::string("Nothing personal archived (retention policy: keep nothing); tickets and the audit log stay.");
  Json emails = Json::array(), phones = Json::array();
  if (!user.email.empty()) emails.push_back(user.email);
  for (const auto& i : user.identities) {
    if (i.kind == "email" && i.value != user.email) emails.push_back(i.value);
    if (i.kind == "phone") phones.push_back(i.value);
  }
  Json contact = {{"name", user.name}, {"emails", emails}, {"phones", phones}};
  auto until = now + std::int64_t(policy.archive_days) * kDayMs;
  TRY(storage::person_archives::insert(c, {o.id, user.organization_id, user.id, contact.dump(), until, now}));
  return "Name and contact details archived for " + std::to_string(policy.archive_days) + " days, until " +
         to_rfc3339(from_millis(until)).substr(0, 10) + " (retention policy), then deleted.";
}

Result<std::vector<std::pair<std::string, std::string>>> erase_uploads_by_policy(storage::Connection& c, const storage::User& user) {
  ASSIGN_OR_RETURN(auto policy, read_policy(c, user.organization_id));
  std::vector<std::pair<std::string, std::string>> removed;
  if (policy.uploads == UploadsRule::keep) return removed;
  ASSIGN_OR_RETURN(auto uploads, storage::attachments::uploaded_by(c, user.id, user.organization_id));
  for (const auto& a : uploads) {
    TRY(storage::attachments::remove(c, a.id));
    removed.emplace_back(a.organization_id, a.sha256);
  }
  return removed;
}

Result<std::optional<storage::PersonArchive>> archive_of(storage::Connection& c, std::string_view offboarding_id) {
  return storage::person_archives::find(c, offboarding_id);
}

Result<std::int64_t> expire_person_archives(const Services& s) {
  auto now = to_millis(s.clock.now());
  // Looked for first, so that the beat costs the one writer nothing while none is due.
  ASSIGN_OR_RETURN(bool due, s.db.read([&](storage::Connection& c) { return storage::person_archives::any_expired(c, now); }));
  if (!due) return 0;
  return s.db.write([&](storage::Connection& c) { return storage::person_archives::remove_expired(c, now); });
}

}  // namespace tandem::usecase
