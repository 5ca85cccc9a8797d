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
// OFF-1: what a person attached to the tickets of an organisation (a person moved between
// organisations keeps what they attached to the other's tickets out of its reach).
Result<std::vector<Attachment>> uploaded_by(Connection& c, std::string_view user_id, std::string_view organization_id);
Result<void> remove(Connection& c, std::string_view id);
// Whether an attachment or a staged upload of the organisation (empty: of any) has this content.
Result<bool> content_in_use(Connection& c, std::string_view organization_id, std::string_view sha256);
}  // namespace attachments

// REL-2: a file uploaded for a catalog request's form before the request exists; its uploader's
// alone until a request takes it (and it becomes an attachment of that request's ticket).
struct StagedUpload {
  std::string id;
  std::string organization_id;  // the uploader's: where its content is
  std::string uploaded_by;
  std::string sha256;
  std::string name;
  std::int64_t size = 0;
  std::string content_type;
  std::int64_t created_at = 0;
};

namespace staged_uploads {
Result<void> insert(Connection& c, const StagedUpload& u);
// The user's own upload made at or after `since`; nullopt for anyone else's or an older one.
Result<std::optional<StagedUpload>> find_own(Connection& c, std::string_view uploaded_by, std::string_view id,
                                             std::int64_t since);
Result<std::int64_t> count_own(Connection& c, std::string_view uploaded_by, std::int64_t since);
// Removes the user's upload as a request takes it: false when it is gone (taken by another
// request meanwhile, or expired and removed).
Result<bool> take(Connection& c, std::string_view uploaded_by, std::string_view id);
// Removes uploads made before `before`: their content is then unreferenced, and swept.
Result<std::int64_t> remove_older_than(Connection& c, std::int64_t before);
}  // namespace staged_uploads

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
