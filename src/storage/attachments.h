// Attachments: metadata rows, read through the caller's Scope like the ticket they belong to,
// and their content on disk, content-addressed by SHA-256 within each organisation (identical
// files of one organisation are stored once; never shared across organisations, so how long an
// upload takes cannot tell anyone what another organisation stored).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "storage/scope.h"

namespace tandem::storage {

struct Attachment {
  std::string id;
  std::string ticket_id;
  std::string event_id;
  std::string sha256;
  std::string name;
  std::int64_t size = 0;
  std::string content_type;
  bool internal = false;
  std::string uploaded_by;
  std::int64_t created_at = 0;
  std::string organization_id;  // its ticket's; read, not written
};

namespace attachments {
Result<void> insert(Connection& c, const Attachment& a);
// Only when the scope sees its ticket, and internal ones only for staff scopes.
Result<std::optional<Attachment>> find(Connection& c, const Scope& scope, std::string_view id);
// Whether an attachment of the organisation (empty: of any) has this content.
Result<bool> content_in_use(Connection& c, std::string_view organization_id, std::string_view sha256);
}  // namespace attachments

// Content on disk under `dir`: <dir>/<first two hex digits>/<sha256>.
namespace blobs {
// Writes `bytes` durably (temporary file, fsync, rename) unless already there; returns the digest.
Result<std::string> put(const std::filesystem::path& dir, std::string_view bytes);
Result<std::string> get(const std::filesystem::path& dir, std::string_view sha256);

// A file under the content root: content (<organisation>/<xx>/<sha256>, or <xx>/<sha256> from
// before organisations had directories) or the temporary file of an upload that never finished.
struct StoredFile {
  std::filesystem::path path;
  std::string organization_id;  // empty in the older, shared layout
  std::string sha256;           // empty for a temporary file
  std::uintmax_t size = 0;
};
// Every such file under `root`. Files of any other name are not listed, so never removed.
Result<std::vector<StoredFile>> list(const std::filesystem::path& root);
Result<void> remove(const StoredFile& file);
}  // namespace blobs

}  // namespace tandem::storage
