#include "usecase/audit.h"

namespace tandem::usecase {

Result<storage::Page<audit::Entry>> list_audit(const Services& s, const identity::Actor& actor,
                                               const storage::AuditFilter& filter, const storage::PageRequest& page) {
  TRY(authorize(actor, "audit.read"));
  return s.db.read([&](storage::Connection& c) { return storage::audit_log::list(c, filter, page); });
}

Result<audit::Verdict> verify_audit(const Services& s) {
  return s.db.read([](storage::Connection& c) { return storage::audit_log::verify(c); });
}

}  // namespace tandem::usecase
