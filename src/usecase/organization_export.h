// OFF-2, OFF-3: an organisation takes all its data with it. The export is a zip with, for every
// kind of record, `<kind>.json` (an array of the records as stored, times in RFC 3339) and
// `<kind>.csv` (the same rows), and `attachments/<id>-<name>` for every file of its tickets. What
// is exported is what the caller may see: the organisation's customer gets its own records
// (internal notes and their files, which are the provider's, stay out); the provider's
// administrators get everything of the organisation. Nothing of another organisation, no
// password hashes, no secrets. It is available at any time, before any offboarding
// (portability), and is read in one snapshot of the store.
#pragma once

#include <functional>
#include <string>

#include "core/zip_stream.h"
#include "usecase/context.h"

namespace tandem::usecase {

// An export checked (who may take it, that the organisation is a customer) and named, not yet
// written: `write` reads the organisation in one snapshot and writes the zip into `out` as it
// goes — memory stays flat and the first bytes leave at once — then records the export in the
// audit log. How many records it wrote.
struct Export {
  std::string file_name;  // for Content-Disposition
  std::function<Result<std::int64_t>(const ByteSink& out)> write;
};

Result<Export> prepare_export(const Services& s, const identity::Actor& actor, std::string_view organization_id);

}  // namespace tandem::usecase
