#include "storage/attachments.h"

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
  const auto& r = rows[0];
  return Attachment{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5), r.text(6), r.integer(7) != 0, r.text(8),
                    r.integer(9), r.text(10)};
}

}  // namespace attachments

namespace blobs {

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
