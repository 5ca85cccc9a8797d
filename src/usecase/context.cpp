#include "usecase/context.h"

#include "core/id.h"
#include "storage/audit_log.h"

namespace tandem::usecase {

identity::Actor system_actor() {
  identity::Actor a;
  a.user_id = "system";
  a.roles = {identity::Role::admin};
  return a;
}

Result<void> record(storage::Connection& c, const Services& s, const identity::Actor& actor, const Change& change) {
  audit::Entry e;
  auto now = s.clock.now();
  e.id = new_id("aud", now);
  e.at_ms = to_millis(now);
  e.actor_id = actor.user_id;
  e.organization_id = change.organization_id;
  e.action = change.action;
  e.target_type = change.target_type;
  e.target_id = change.target_id;
  e.before_digest = change.before ? sha256_hex(*change.before) : "";
  e.after_digest = change.after ? sha256_hex(*change.after) : "";
  return storage::audit_log::append(c, std::move(e));
}

Result<void> authorize(const identity::Actor& actor, std::string_view action) {
  if (!identity::Permissions::builtin().allows(actor, action))
    return fail(Code::permission_denied, "You are not allowed to do this.");
  return {};
}

}  // namespace tandem::usecase
