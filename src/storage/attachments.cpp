#include "storage/attachments.h"

#include <algorithm>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/crypto.h"

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "a.id, a.ticket_id, a.event_id, a.sha256, a.name, a.size, a.content_type, a.internal, a.uploaded_by, a.created_at, "
    "t.organization_id";

std::filesystem::path blob_path(const std::filesystem::path& dir, std::string_view sha) {
  return dir / std::string(sha.substr(0, 2)) / std::string(sha);
}

Attachment attachment_from(const Row& r) {
  return Attachment{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5), r.text(6), r.integer(7) != 0, r.text(8),
                    r.integer(9), r.text(10)};
}

Error io_error(const std::string& what) {
  return Error(Code::unavailable, "The attachment store cannot be written: " + what + ".");
}

}  // namespace

namespace attachments {

Result<void> insert(Connection& c, const Attachment& a) {
  TRY(c.execute("INSERT INTO attachments (id, ticket_id, event_id, sha256, name, size, content_type, internal, uploaded_by, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {a.id, a.ticket_id, a.event_id, a.sha256, a.name, a.size, a.content_type, std::int64_t(a.internal), a.uploaded_by,
                 a.created_at}));
  return {};
}

Result<std::optional<Attachment>> find(Connection& c, const Scope& scope, std::string_view id) {
  std::vector<Value> params{std::string(id)};
  auto where = scope.tickets_condition("t", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM attachments a JOIN tickets t ON t.id = a.ticket_id "
                                                  "WHERE a.id = ? AND {}{}",
                                                  kColumns, where, scope.sees_internal() ? "" : " AND a.internal = 0"),
                                      params));
  if (rows.empty()) return std::nullopt;
  return attachment_from(rows[0]);
}

Result<std::vector<Attachment>> uploaded_by(Connection& c, std::string_view user_id, std::string_view organization_id) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM attachments a JOIN tickets t ON t.id = a.ticket_id "
                                                  "WHERE a.uploaded_by = ? AND t.organization_id = ? ORDER BY a.id",
                                                  kColumns),
                                      {std::string(user_id), std::string(organization_id)}));
  std::vector<Attachment> out;
  for (const auto& r : rows) out.push_back(attachment_from(r));
  return out;
}

Result<void> remove(Connection& c, std::string_view id) {
  TRY(c.execute("DELETE FROM attachments WHERE id = ?", {std::string(id)}));
  return {};
}

Result<bool> content_in_use(Connection& c, std::string_view organization_id, std::string_view sha256) {
  Rows rows;
  if (organization_id.empty()) {
    ASSIGN_OR_RETURN(rows, c.query("SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1", {std::string(sha256)}));
  } else {
    ASSIGN_OR_RETURN(rows, c.query("SELECT 1 FROM attachments a JOIN tickets t ON t.id = a.ticket_id "
                                   "WHERE a.sha256 = ? AND t.organization_id = ? LIMIT 1",
                                   {std::string(sha256), std::string(organization_id)}));
    if (rows.empty()) {
      ASSIGN_OR_RETURN(rows, c.query("SELECT 1 FROM staged_uploads WHERE organization_id = ? AND sha256 = ? LIMIT 1",
                                     {std::string(organization_id), std::string(sha256)}));
    }
  }
  return !rows.empty();
}

}  // namespace attachments

namespace staged_uploads {

Result<void> insert(Connection& c, const StagedUpload& u) {
  TRY(c.execute("INSERT INTO staged_uploads (id, organization_id, uploaded_by, sha256, name, size, content_type, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {u.id, u.organization_id, u.uploaded_by, u.sha256, u.name, u.size, u.content_type, u.created_at}));
  return {};
}

Result<std::optional<StagedUpload>> find_own(Connection& c, std::string_view uploaded_by, std::string_view id,
                                             std::int64_t since) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT id, organization_id, uploaded_by, sha256, name, size, content_type, created_at "
                                      "FROM staged_uploads WHERE id = ? AND uploaded_by = ? AND created_at >= ?",
                                      {std::string(id), std::string(uploaded_by), since}));
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return StagedUpload{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5), r.text(6), r.integer(7)};
}

Result<std::int64_t> count_own(Connection& c, std::string_view uploaded_by, std::int64_t since) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT COUNT(*) FROM staged_uploads WHERE uploaded_by = ? AND created_at >= ?",
                                      {std::string(uploaded_by), since}));
  return rows[0].integer(0);
}

Result<bool> take(Connection& c, std::string_view uploaded_by, std::string_view id) {
  ASSIGN_OR_RETURN(auto n, c.execute("DELETE FROM staged_uploads WHERE id = ? AND uploaded_by = ?",
                                     {std::string(id), std::string(uploaded_by)}));
  return n > 0;
}

Result<std::int64_t> remove_older_than(Connection& c, std::int64_t before) {
  return c.execute("DELETE FROM staged_uploads WHERE created_at < ?", {before});
}

}  // namespace staged_uploads

namespace blobs {
namespace {

bool is_sha256_hex(std::string_view name) {
  return name.size() == 64 && std::all_of(name.begin(), name.end(), [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); });
}

}  // namespace

Result<std::vector<StoredFile>> list(const std::filesystem::path& root) {
  std::vector<StoredFile> out;
  std::error_code ec;
  if (!std::filesystem::exists(root, ec)) return out;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec); !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::vector<std::string> parts;
    for (const auto& part : std::filesystem::relative(it->path(), root, ec)) parts.push_back(part.string());
    if (ec || (parts.size() != 2 && parts.size() != 3)) continue;
    const auto& name = parts.back();
    // put() writes <sha256>.XXXXXX, then renames it; a crash in between leaves it behind.
    bool unfinished = name.size() == 64 + 7 && name[64] == '.' && is_sha256_hex(name.substr(0, 64));
    if ((!unfinished && !is_sha256_hex(name)) || parts[parts.size() - 2] != name.substr(0, 2)) continue;
    StoredFile f;
    f.path = it->path();
    if (parts.size() == 3) f.organization_id = parts[0];
    if (!unfinished) f.sha256 = name;
    f.size = it->file_size(ec);
    if (ec) {  // gone meanwhile
      ec.clear();
      continue;
    }
    out.push_back(std::move(f));
  }
  if (ec) return fail(Code::unavailable, "The attachment store cannot be read: " + ec.message() + ".");
  return out;
}

Result<void> remove(const StoredFile& file) {
  std::error_code ec;
  std::filesystem::remove(file.path, ec);
  if (ec) return fail(io_error(ec.message()));
  return {};
}


Result<std::string> put(const std::filesystem::path& dir, std::string_view bytes) {
  auto sha = sha256_hex(bytes);
  auto target = blob_path(dir, sha);
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) return sha;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return fail(io_error(ec.message()));
  // A temporary file of its own: two uploads of the same bytes may be written at once.
  std::string temp_name = target.string() + ".XXXXXX";
  int fd = ::mkstemp(temp_name.data());
  if (fd < 0) return fail(io_error(std::strerror(errno)));
  std::filesystem::path temp(temp_name);
  std::size_t written = 0;
  while (written < bytes.size()) {
    auto n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      std::filesystem::remove(temp, ec);
      return fail(io_error(std::strerror(errno)));
    }
    written += std::size_t(n);
  }
  // Acknowledged means on disk, as for the database (synchronous=FULL).
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    std::filesystem::remove(temp, ec);
    return fail(io_error(std::strerror(errno)));
  }
  std::filesystem::rename(temp, target, ec);
  if (ec) return fail(io_error(ec.message()));
  // The rename is durable only once its directory is on disk too.
  if (int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return sha;
}

Result<std::string> get(const std::filesystem::path& dir, std::string_view sha256) {
  std::ifstream in(blob_path(dir, sha256), std::ios::binary);
  if (!in) return fail(Code::not_found, "The attachment's content is missing.");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace blobs
}  // namespace tandem::storage
