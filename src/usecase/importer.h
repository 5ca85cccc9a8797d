// OFF-3: provider switching. An administrator loads organisations, their people and their tickets
// with the whole timeline and the files from
//   tandem  our own organisation export (organization_export.h): ids are kept where they are
//           free, so an export imported into a new installation exports again the same;
//   csv     the documented layout of docs/import-csv.md: one row per ticket or timeline entry;
//   rt      a zip of Request Tracker 5's REST2 answers (tickets, their history, transactions,
//           attachments, users, queues; docs/import-rt.md), its requesters going to one
//           organisation named for the import.
// Every run is a dry run first: it answers what would be created, merged with what is here
// (an organisation of the same name, a person with the same e-mail, a record imported before)
// or rejected, and the file's digest; the real run must name that digest. A run that fails
// changes nothing, and running an import again creates nothing new (storage/import_keys.h).
// References to what the new provider does not have (teams, services, agents) are left out and
// counted. Tickets take the new provider's numbers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "usecase/context.h"

namespace tandem::usecase {

struct ImportRequest {
  std::string format;  // tandem, csv, rt
  bool dry_run = true;
  std::optional<std::string> confirm;  // the digest a dry run of the same file (format, organisation) answered
  std::optional<std::string> organization;  // rt: the organisation (by name) its requesters belong to
};

struct ImportCount {
  std::int64_t created = 0, merged = 0, rejected = 0;
};

struct ImportProblem {
  std::string kind;       // organizations, users, tickets, attachments, links
  std::string source_id;  // as the file names it
  std::string reason;
};

struct ImportReport {
  std::string format;
  std::string digest;  // of the run: the file, its format and organisation
  bool dry_run = true;
  // By kind: organizations, users, tickets, events, attachments, links.
  std::map<std::string, ImportCount> counts;
  std::vector<ImportProblem> rejected;  // the first kMaxListedProblems
  std::int64_t dropped_references = 0;  // teams, services, agents… not here, left out
};
inline constexpr std::size_t kMaxListedProblems = 200;

Result<ImportReport> import_file(const Services& s, const identity::Actor& actor, const std::filesystem::path& file,
                                 const ImportRequest& in);

}  // namespace tandem::usecase
