// OFF-2, OFF-3: every record of a customer organisation, kind by kind, as stored — what its
// export writes out. Each kind is read a chunk at a time in the order of a unique key, from an
// index, so that memory stays flat and no read sorts the whole organisation; the rows of its
// tickets (their events, links, watchers, files, approvals) are read for a chunk of tickets at a
// time. No password hash, no secret, nothing of another organisation.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace tandem::storage {

struct RecordKind {
  std::string name;                  // "tickets", "ticket_events", …
  std::vector<std::string> columns;  // as the rows give them
  bool staff_only = false;           // the provider's own working records
};

namespace organization_records {
// Every kind, in the order an export lists them.
const std::vector<RecordKind>& kinds();
// Calls `chunk` with every chunk of rows of the kind (`kinds()[index]`); each row's first cells
// are its columns (a key may follow). Internal notes and their files only `with_internal`.
Result<void> each(Connection& c, std::size_t index, const std::string& organization_id, bool with_internal,
                  const std::function<Result<void>(const Rows&)>& chunk);
struct FileRef {
  std::string attachment_id;
  std::string sha256;
  std::string name;
};
// The files of the organisation's tickets, in attachment id order.
Result<std::vector<FileRef>> files(Connection& c, const std::string& organization_id, bool with_internal);
}  // namespace organization_records

}  // namespace tandem::storage
