#include "storage/database.h"

#include <charconv>

#include "storage/postgres/postgres.h"
#include "storage/sqlite/sqlite.h"

namespace tandem::storage {

std::int64_t Row::integer(std::size_t i) const {
  const auto& v = cells.at(i);
  if (auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (auto* s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

std::string Row::text(std::size_t i) const {
  const auto& v = cells.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  return {};
}

std::optional<std::string> Row::maybe_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

std::optional<std::int64_t> Row::maybe_integer(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return integer(i);
}

Result<std::unique_ptr<Database>> open_database(const DatabaseOptions& options) {
  if (options.url == "sqlite") return open_sqlite(options);
  if (options.url.starts_with("postgresql://") || options.url.starts_with("postgres://"))
    return open_postgres(options);
  return fail(Code::invalid_argument, "TANDEM_DATABASE must be 'sqlite' or a postgresql:// URL");
}

}  // namespace tandem::storage
