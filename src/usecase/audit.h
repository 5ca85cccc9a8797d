// OPS-2: reading and verifying the audit chain.
#pragma once

#include "storage/audit_log.h"
#include "usecase/context.h"

namespace tandem::usecase {

Result<storage::Page<audit::Entry>> list_audit(const Services& s, const identity::Actor& actor,
                                               const storage::AuditFilter& filter, const storage::PageRequest& page);
Result<audit::Verdict> verify_audit(const Services& s);

}  // namespace tandem::usecase
