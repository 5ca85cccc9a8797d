// The one interface between repositories and a SQL engine (STYLE.md §4). Repositories write
// portable SQL with `?` placeholders; each adapter translates it and maps engine errors to
// tandem::Error (a unique violation becomes Code::conflict). sqlite3.h and libpq-fe.h appear
// only in the adapters' .cpp files.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"

namespace tandem::storage {

using Value = std::variant<std::monostate, std::int64_t, std::string>;
inline Value null_value() { return std::monostate{}; }
inline Value optional_text(const std::optional<std::string>& s) { return s ? Value(*s) : null_value(); }
// "?, ?, ?": the markers of an IN list of `n` values.
inline std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}
inline Value optional_integer(const std::optional<std::int64_t>& v) { return v ? Value(*v) : null_value(); }

struct Row {
  std::vector<Value> cells;
  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(cells.at(i)); }
  std::int64_t integer(std::size_t i) const;  // 0 for NULL
  std::string text(std::size_t i) const;      // "" for NULL
  std::optional<std::string> maybe_text(std::size_t i) const;
  std::optional<std::int64_t> maybe_integer(std::size_t i) const;
};
using Rows = std::vector<Row>;

enum class Dialect { sqlite, postgresql };

// One connection, used by one thread at a time. Not thread-safe.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  virtual Result<Rows> query(std::string_view sql, std::span<const Value> params) = 0;
  // Returns the number of rows changed.
  virtual Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) = 0;
  // Several statements without parameters (migrations).
  virtual Result<void> execute_script(std::string_view sql) = 0;

  Result<Rows> query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Result<std::int64_t> execute(std::string_view sql, std::initializer_list<Value> params = {}) {
    return execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
  // " FOR UPDATE" where the engine locks rows read in a transaction, "" where writes are serial.
  std::string_view lock_clause() const { return dialect() == Dialect::postgresql ? " FOR UPDATE" : ""; }
  // Runs `sql` in order with this connection's other statements without waiting for its
  // outcome: a failure fails the next statement that waits, or the commit, and so the write.
  // For writes whose result nothing reads (inserts, updates by key): on PostgreSQL they travel
  // with the next statement that waits, one round trip for all. Elsewhere it runs at once.
  virtual Result<void> execute_unawaited(std::string_view sql, std::vector<Value> params) {
    TRY(execute(sql, std::span<const Value>(params)));
    return {};
  }
  // Runs `sql` later in this write's transaction, after every other write of its group commit,
  // or at once where writes are not grouped. Dropped if this write fails. For full-text index
  // changes that nothing reads before the commit: SQLite's FTS5 writes its pending changes out
  // at every savepoint, and each write of a group is one, so deferring them writes the index
  // once per commit instead of once per write.
  virtual Result<void> execute_at_commit(std::string_view sql, std::vector<Value> params) {
    TRY(execute(sql, std::span<const Value>(params)));
    return {};
  }
  // Inside a read: true while the next statement will take the read's snapshot, so that what
  // the caller noted before it (Database::directory_version) is no newer than what it reads.
  virtual bool snapshot_pending() const { return false; }
};

struct DatabaseOptions {
  std::string url = "sqlite";  // "sqlite" or postgresql://…
  std::string data_dir = "./data";
  int readers = 8;
  bool synchronous_full = true;  // SQLite: acknowledged means on disk
};

// Thread-safe. read() runs on a pooled connection; a read() called inside another read() on the
// same thread joins it (same connection, and on SQLite the same snapshot), so a request can hold
// one read for all its lookups. write() runs in a transaction that has committed (durably, with
// synchronous_full) when it returns success. A write function that fails changes nothing.
// A write() inside a read() takes a connection of its own: on PostgreSQL, where both come from
// one pool, code holding a read must not wait for a write.
class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // Writes waiting to be committed (SQLite) or callers waiting for a connection (PostgreSQL).
  virtual std::size_t queue_depth() const = 0;
  virtual Result<void> ping() = 0;
  // A number that moves after every committed change to the directory — organisations, users,
  // their identities and representations, teams, and the end of a session or access token (a
  // new one changes nothing known) — so facts read from it stay true while the number holds.
  // Read it before the snapshot the facts come from (Connection::snapshot_pending). nullopt
  // where this process cannot see every such change: other nodes write to PostgreSQL too.
  virtual std::optional<std::uint64_t> directory_version() const { return std::nullopt; }
  // Finishes every queued write, then refuses new work. Idempotent.
  virtual void close() = 0;

  template <class F>
  auto read(F&& fn) -> std::invoke_result_t<F, Connection&> {
    return run<std::invoke_result_t<F, Connection&>>(std::forward<F>(fn), /*write=*/false);
  }
  template <class F>
  auto write(F&& fn) -> std::invoke_result_t<F, Connection&> {
    return run<std::invoke_result_t<F, Connection&>>(std::forward<F>(fn), /*write=*/true);
  }

 protected:
  using Job = std::function<Result<void>(Connection&)>;
  virtual Result<void> run_read(const Job& job) = 0;
  virtual Result<void> run_write(const Job& job) = 0;

 private:
  template <class R, class F>
  R run(F&& fn, bool write) {
    using T = typename R::value_type;
    if constexpr (std::is_void_v<T>) {
      Job job = [&](Connection& c) -> Result<void> { return fn(c); };
      return write ? run_write(job) : run_read(job);
    } else {
      std::optional<T> out;
      Job job = [&](Connection& c) -> Result<void> {
        auto r = fn(c);
        if (!r) return std::unexpected(std::move(r).error());
        out.emplace(std::move(*r));
        return {};
      };
      auto done = write ? run_write(job) : run_read(job);
      if (!done) return std::unexpected(std::move(done).error());
      return std::move(*out);
    }
  }
};

Result<std::unique_ptr<Database>> open_database(const DatabaseOptions& options);

// Applies the embedded migrations of the database's dialect that are not yet applied.
// Safe to run from several processes at once. Returns the number applied.
Result<int> migrate(Database& db);

}  // namespace tandem::storage
