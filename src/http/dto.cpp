#include "http/dto.h"

namespace tandem::http {

std::string time_text(std::int64_t ms) { return to_rfc3339(from_millis(ms)); }

Json to_json(const storage::Organization& o) {
  return {{"id", o.id}, {"name", o.name}, {"kind", identity::to_string(o.kind)}, {"version", o.version},
          {"created_at", time_text(o.created_at)}, {"updated_at", time_text(o.updated_at)}};
}

Json to_json(const storage::User& u) {
  Json roles = Json::array(), flags = Json::array(), ids = Json::array();
  for (auto r : u.roles) roles.push_back(identity::to_string(r));
  for (auto f : u.flags) flags.push_back(identity::to_string(f));
  for (const auto& i : u.identities) ids.push_back({{"kind", i.kind}, {"value", i.value}});
  return {{"id", u.id},
          {"organization_id", u.organization_id},
          {"email", u.email},
          {"name", u.name},
          {"roles", roles},
          {"language", u.language},
          {"time_zone", u.time_zone},
          {"flags", flags},
          {"represented_user_ids", u.represented_user_ids},
          {"identities", ids},
          {"active", u.active},
          {"version", u.version},
          {"created_at", time_text(u.created_at)},
          {"updated_at", time_text(u.updated_at)}};
}

Json to_json(const storage::Team& t) {
  return {{"id", t.id}, {"organization_id", t.organization_id}, {"name", t.name}, {"description", t.description},
          {"skills", t.skills}, {"languages", t.languages}, {"member_ids", t.member_ids}, {"version", t.version},
          {"created_at", time_text(t.created_at)}, {"updated_at", time_text(t.updated_at)}};
}

Json to_json(const storage::AccessToken& t) {
  Json j = {{"id", t.id}, {"name", t.name}, {"created_at", time_text(t.created_at)}, {"expires_at", nullptr}};
  if (t.expires_at) j["expires_at"] = time_text(*t.expires_at);
  return j;
}

Json to_json(const audit::Entry& e) {
  return {{"seq", e.seq}, {"id", e.id}, {"at", time_text(e.at_ms)}, {"actor_id", e.actor_id},
          {"organization_id", e.organization_id}, {"action", e.action}, {"target_type", e.target_type},
          {"target_id", e.target_id}, {"before_digest", e.before_digest}, {"after_digest", e.after_digest},
          {"prev_hash", e.prev_hash}, {"hash", e.hash}};
}

}  // namespace tandem::http
