// OFF-2, OFF-3: an organisation takes all its data with it. The export is a zip with, for every
// kind of record, `<kind>.json` (an array of the records as stored, times in RFC 3339) and
// `<kind>.csv` (the same rows), and `attachments/<id>-<name>` for every file of its tickets. What
// is exported is what the caller may see: the organisation's customer gets its own records
// (internal notes and their files, which are the provider's, stay out); the provider's
// administrators get everything of the organisation. Nothing of another organisation, no
// password hashes, no secrets. It is available at any time, before any offboarding
// (portability), and is read in one snapshot of the store.
#pragma once

#include <string>

#include "usecase/context.h"

namespace tandem::usecase {

struct ExportFile {
  std::string path;       // a temporary file: the caller sends it, then removes it
  std::string file_name;  // for Content-Disposition
  std::int64_t bytes = 0;
  std::int64_t records = 0;
};

Result<ExportFile> export_organization(const Services& s, const identity::Actor& actor, std::string_view organization_id);

}  // namespace tandem::usecase
