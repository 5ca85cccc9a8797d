#include "storage/sqlite/sqlite.h"

#include <pthread.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/log.h"
#include "storage/sqlite/fts_rank.h"

namespace tandem::storage {
namespace {

constexpr std::size_t kMaxBatch = 512;
// The WAL is copied back into the database by a thread of its own once it holds this many pages
// (SQLite's own threshold), so a commit does not wait for the copy — least of all for the copy of
// everything committed while a long read (a large organisation's plan objectives) held its
// snapshot, which stopped the writer for seconds. The WAL starts again from its beginning only
// when a write begins with all of it copied, which a checkpointer running beside a busy writer
// never sees; so past the second figure the writer checkpoints itself, but only when the thread
// is idle and its last pass copied everything, leaving the writer the last few commits to copy.
constexpr int kCheckpointPages = 1000;
constexpr int kWriterCheckpointPages = 4000;

Error engine_error(sqlite3* db, int rc) {
  int ext = sqlite3_extended_errcode(db);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Error(Code::conflict, "A record with the same unique value exists.", "conflict");
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return Error(Code::conflict, "The change conflicts with related records.", "conflict");
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return Error(Code::unavailable, "The store is busy; try again.");
  // The engine's text goes to the log, never to the caller.
  log_message(LogLevel::error, std::string("sqlite: ") + sqlite3_errmsg(db));
  return Error(Code::internal, "The store failed.");
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [_, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::sqlite; }
  bool snapshot_pending() const override { return sqlite3_txn_state(db_, "main") == SQLITE_TXN_NONE; }

  Result<void> execute_at_commit(std::string_view sql, std::vector<Value> params) override {
    if (!grouping_) return Connection::execute_at_commit(sql, std::move(params));
    deferred_.push_back({std::string(sql), std::move(params)});
    return {};
  }

  // Between begin_group and end_group, execute_at_commit queues its statements. A write's
  // queued statements are dropped back to its mark when it fails; end_group runs the rest.
  void begin_group() {
    grouping_ = true;
    deferred_.clear();
  }
  std::size_t deferred_mark() const { return deferred_.size(); }
  void drop_deferred_after(std::size_t mark) { deferred_.resize(mark); }
  Result<void> end_group() {
    grouping_ = false;
    auto queued = std::move(deferred_);
    deferred_.clear();
    for (const auto& d : queued) TRY(execute(d.sql, std::span<const Value>(d.params)));
    return {};
  }

  // Reports each row this connection inserts, updates or deletes to `changed`, with its table.
  void watch_rows(void (*changed)(void* context, int operation, char const* database, char const* table, sqlite3_int64 rowid),
                  void* context) {
    sqlite3_update_hook(db_, changed, context);
  }

  // Replaces SQLite's automatic checkpoint: `committed` is told after every commit how many
  // pages the WAL holds.
  void watch_commits(int (*committed)(void* context, sqlite3*, const char* database, int wal_pages), void* context) {
    sqlite3_wal_hook(db_, committed, context);
  }

  // Copies what it can of the WAL into the database without waiting for, or blocking, the
  // writer or readers. True when it copied all the WAL held when it began: no read's snapshot
  // kept older pages, and no other checkpoint was running.
  bool checkpoint() {
    int wal_pages = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) log_message(LogLevel::warn, std::string("sqlite checkpoint: ") + sqlite3_errmsg(db_));
    return rc == SQLITE_OK && copied == wal_pages;
  }

  Result<Rows> query(std::string_view sql, std::span<const Value> params) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, prepare(sql, params));
    Rows rows;
    int rc;
    int columns = sqlite3_column_count(stmt);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      Row row;
      row.cells.reserve(columns);
      for (int i = 0; i < columns; ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_NULL: row.cells.emplace_back(std::monostate{}); break;
          case SQLITE_INTEGER: row.cells.emplace_back(std::int64_t(sqlite3_column_int64(stmt, i))); break;
          default: {
            auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
            row.cells.emplace_back(std::string(text, sqlite3_column_bytes(stmt, i)));
          }
        }
      }
      rows.push_back(std::move(row));
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return std::unexpected(engine_error(db_, rc));
    return rows;
  }

  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return std::unexpected(engine_error(db_, rc));
    return sqlite3_changes64(db_);
  }

  Result<void> execute_script(std::string_view sql) override {
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      log_message(LogLevel::error, std::string("sqlite script: ") + (message ? message : "?"));
      sqlite3_free(message);
      return std::unexpected(engine_error(db_, rc));
    }
    return {};
  }

 private:
  Result<sqlite3_stmt*> prepare(std::string_view sql, std::span<const Value> params) {
    auto it = statements_.find(sql);
    sqlite3_stmt* stmt;
    if (it == statements_.end()) {
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return std::unexpected(engine_error(db_, rc));
      statements_.emplace(std::string(sql), stmt);
    } else {
      stmt = it->second;
    }
    sqlite3_clear_bindings(stmt);
    for (std::size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      std::visit(
          [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::monostate>) sqlite3_bind_null(stmt, index);
            else if constexpr (std::is_same_v<V, std::int64_t>) sqlite3_bind_int64(stmt, index, v);
            else sqlite3_bind_text(stmt, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
          },
          params[i]);
    }
    return stmt;
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Deferred {
    std::string sql;
    std::vector<Value> params;
  };
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> statements_;
  bool grouping_ = false;
  std::vector<Deferred> deferred_;
};

enum class Role { writer, reader, checkpointer };

Result<std::unique_ptr<SqliteConnection>> connect(const std::string& path, Role role, bool synchronous_full) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return fail(Code::unavailable, "Cannot open the SQLite store: " + message);
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, 5000);
  TRY(add_rank_function(db));
  // temp_store: statement journals of a multi-statement write stay in memory instead of a
  // temporary file opened and unlinked per statement.
  std::string pragmas = "PRAGMA foreign_keys=ON;PRAGMA temp_store=MEMORY;";
  if (role == Role::writer) {
    // A batch of writes keeps its dirty pages in memory until COMMIT: with the 2 MiB default
    // cache a large batch spills pages to the WAL mid-transaction and writes many twice
    // (×1.4 tickets created per second, bench/RESULTS.md).
    pragmas += "PRAGMA cache_size=-65536;PRAGMA journal_mode=WAL;";
    pragmas += synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  } else if (role == Role::checkpointer) {
    // The checkpoint's syncs follow the writer's: FULL syncs the database before the WAL restarts.
    pragmas += synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  } else {
    pragmas += "PRAGMA query_only=ON;";
  }
  TRY(conn->execute_script(pragmas));
  return conn;
}

// Whether a row change can make a cached directory fact untrue (Database::directory_version).
// Every directory table is a rowid table: SQLite reports no changes to WITHOUT ROWID tables.
bool changes_directory(int operation, std::string_view table) {
  static constexpr std::string_view kTables[] = {"organizations", "users",    "identities",    "representations",
                                                 "teams",         "team_members", "sessions", "access_tokens"};
  if (operation == SQLITE_INSERT && (table == "sessions" || table == "access_tokens")) return false;
  return std::ranges::find(kTables, table) != std::end(kTables);
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::unique_ptr<SqliteConnection> writer, std::unique_ptr<SqliteConnection> checkpointer,
                 std::vector<std::unique_ptr<SqliteConnection>> readers)
      : writer_conn_(std::move(writer)), checkpoint_conn_(std::move(checkpointer)), readers_(std::move(readers)) {
    for (auto& r : readers_) free_readers_.push_back(r.get());
    // All writes of this process go through the writer, so it sees every directory change
    // but those of other processes (the command line adds users and organisations only).
    writer_conn_->watch_rows(
        [](void* self, int operation, const char*, const char* table, sqlite3_int64) {
          if (changes_directory(operation, table)) static_cast<SqliteDatabase*>(self)->directory_touched_ = true;
        },
        this);
    writer_conn_->watch_commits(
        [](void* context, sqlite3* db, const char*, int wal_pages) {
          auto* self = static_cast<SqliteDatabase*>(context);
          // The WAL started again from its beginning: count from there.
          if (wal_pages < self->requested_at_pages_) self->requested_at_pages_ = 0;
          if (wal_pages >= kWriterCheckpointPages && self->caught_up_.load(std::memory_order_acquire)) {
            int in_wal = 0, copied = 0;
            sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &in_wal, &copied);
            // A read holds older pages: the rest is the thread's to copy once it lets go, so
            // that the writer never copies a backlog.
            if (copied < in_wal) {
              self->caught_up_.store(false, std::memory_order_release);
              self->requested_at_pages_ = wal_pages;
              self->request_checkpoint();
            }
          } else if (wal_pages - self->requested_at_pages_ >= kCheckpointPages) {
            // Once per thousand new pages, as SQLite's own checkpoint: each pass syncs the
            // database file, and a pass after every commit competed with the commits' syncs.
            self->requested_at_pages_ = wal_pages;
            self->request_checkpoint();
          }
          return SQLITE_OK;
        },
        this);
    // Named (at most 15 bytes) so that a profile or `top -H` tells the store's threads from the
    // request workers.
    checkpoint_thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "store-ckpt");
      checkpoint_loop();
    });
    writer_thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "store-writer");
      write_loop();
    });
  }
  ~SqliteDatabase() override { close(); }

  Dialect dialect() const override { return Dialect::sqlite; }

  std::size_t queue_depth() const override {
    std::lock_guard lock(queue_mutex_);
    return queue_.size();
  }

  std::optional<std::uint64_t> directory_version() const override {
    return directory_version_.load(std::memory_order_acquire);
  }

  Result<void> ping() override {
    return run_read([](Connection& c) -> Result<void> {
      TRY(c.query("SELECT 1"));
      return {};
    });
  }

  void close() override {
    {
      std::lock_guard lock(queue_mutex_);
      if (closed_) return;
      closed_ = true;
    }
    queue_ready_.notify_all();
    if (writer_thread_.joinable()) writer_thread_.join();
    {
      std::lock_guard lock(checkpoint_mutex_);
      checkpoint_closed_ = true;
    }
    checkpoint_wanted_.notify_all();
    if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  }

 protected:
  Result<void> run_read(const Job& job) override {
    // A read inside a read on the same thread joins it: one snapshot, one lock round trip.
    if (pinned_.database == this) return job(*pinned_.connection);
    LazyRead read(*this);
    pinned_ = {this, &read};
    Result<void> result;
    try {
      result = job(read);
    } catch (...) {
      pinned_ = {};
      read.finish();
      throw;
    }
    pinned_ = {};
    read.finish();
    return result;
  }

  Result<void> run_write(const Job& job) override {
    Pending pending{&job, {}};
    auto done = pending.promise.get_future();
    {
      std::lock_guard lock(queue_mutex_);
      if (closed_) return fail(Code::unavailable, "The server is shutting down.");
      queue_.push_back(&pending);
    }
    queue_ready_.notify_one();
    return done.get();
  }

 private:
  struct Pending {
    const Job* job;
    std::promise<Result<void>> promise;
  };

  // What a read's job is handed. It takes a pooled connection and begins the snapshot at the
  // first statement, so a read answered from memory (a cached session) costs no lock at all.
  class LazyRead final : public Connection {
   public:
    explicit LazyRead(SqliteDatabase& db) : db_(db) {}
    Dialect dialect() const override { return Dialect::sqlite; }
    bool snapshot_pending() const override { return !conn_ || conn_->snapshot_pending(); }
    Result<Rows> query(std::string_view sql, std::span<const Value> params) override {
      TRY(begin());
      return conn_->query(sql, params);
    }
    Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override {
      TRY(begin());
      return conn_->execute(sql, params);
    }
    Result<void> execute_script(std::string_view sql) override {
      TRY(begin());
      return conn_->execute_script(sql);
    }
    void finish() {
      if (!conn_) return;
      (void)conn_->execute("COMMIT", {});
      db_.release(conn_);
      conn_ = nullptr;
    }

   private:
    Result<void> begin() {
      if (conn_) return {};
      auto* conn = db_.acquire();
      // A read is one snapshot: several statements see the same state.
      auto begun = conn->execute("BEGIN", {});
      if (!begun) {
        db_.release(conn);
        return std::unexpected(begun.error());
      }
      conn_ = conn;
      return {};
    }
    SqliteDatabase& db_;
    SqliteConnection* conn_ = nullptr;
  };

  SqliteConnection* acquire() {
    std::unique_lock lock(reader_mutex_);
    reader_free_.wait(lock, [&] { return !free_readers_.empty(); });
    auto* conn = free_readers_.back();
    free_readers_.pop_back();
    return conn;
  }

  void release(SqliteConnection* conn) {
    {
      std::lock_guard lock(reader_mutex_);
      free_readers_.push_back(conn);
    }
    reader_free_.notify_one();
  }

  void write_loop() {
    std::vector<Pending*> batch;
    for (;;) {
      {
        std::unique_lock lock(queue_mutex_);
        queue_ready_.wait(lock, [&] { return closed_ || !queue_.empty(); });
        if (queue_.empty()) return;  // closed and drained
        while (!queue_.empty() && batch.size() < kMaxBatch) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      commit_batch(batch);
      batch.clear();
    }
  }

  void request_checkpoint() {
    {
      std::lock_guard lock(checkpoint_mutex_);
      checkpoint_requested_ = true;
    }
    checkpoint_wanted_.notify_one();
  }

  void checkpoint_loop() {
    for (;;) {
      {
        std::unique_lock lock(checkpoint_mutex_);
        checkpoint_wanted_.wait(lock, [&] { return checkpoint_closed_ || checkpoint_requested_; });
        if (checkpoint_closed_) return;
        checkpoint_requested_ = false;
        caught_up_.store(false, std::memory_order_release);
      }
      caught_up_.store(checkpoint_conn_->checkpoint(), std::memory_order_release);
    }
  }

  void commit_batch(std::vector<Pending*>& batch) {
    std::vector<Result<void>> results;
    results.reserve(batch.size());
    directory_touched_ = false;
    auto begun = writer_conn_->execute("BEGIN IMMEDIATE", {});
    if (!begun) {
      for (auto* p : batch) p->promise.set_value(std::unexpected(begun.error()));
      return;
    }
    writer_conn_->begin_group();
    for (auto* p : batch) {
      (void)writer_conn_->execute("SAVEPOINT job", {});
      auto mark = writer_conn_->deferred_mark();
      Result<void> r;
      try {
        r = (*p->job)(*writer_conn_);
      } catch (const std::exception& e) {
        log_message(LogLevel::error, std::string("write job threw: ") + e.what());
        r = fail(Code::internal, "The store failed.");
      }
      if (!r) {
        (void)writer_conn_->execute("ROLLBACK TO job", {});
        writer_conn_->drop_deferred_after(mark);
      }
      (void)writer_conn_->execute("RELEASE job", {});
      results.push_back(std::move(r));
    }
    // The deferred statements belong to writes that succeeded; if one fails, the whole batch is
    // undone and every writer told, so no write is acknowledged without its index entries.
    if (auto flushed = writer_conn_->end_group(); !flushed) {
      (void)writer_conn_->execute_script("ROLLBACK");
      for (auto* p : batch) p->promise.set_value(std::unexpected(flushed.error()));
      return;
    }
    auto committed = writer_conn_->execute("COMMIT", {});
    if (!committed) (void)writer_conn_->execute_script("ROLLBACK");
    // After the commit, never before: a reader that saw the old number reads the old rows or
    // the new ones, and either way files them under a number that is now out of date.
    if (directory_touched_) directory_version_.fetch_add(1, std::memory_order_release);
    for (std::size_t i = 0; i < batch.size(); ++i)
      batch[i]->promise.set_value(committed ? std::move(results[i]) : std::unexpected(committed.error()));
  }

  struct Pinned {
    const SqliteDatabase* database = nullptr;
    Connection* connection = nullptr;
  };
  static thread_local Pinned pinned_;

  std::unique_ptr<SqliteConnection> writer_conn_;
  std::unique_ptr<SqliteConnection> checkpoint_conn_;
  bool directory_touched_ = false;  // writer thread only
  std::atomic<std::uint64_t> directory_version_{0};
  std::vector<std::unique_ptr<SqliteConnection>> readers_;

  std::mutex reader_mutex_;
  std::condition_variable reader_free_;
  std::vector<SqliteConnection*> free_readers_;

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<Pending*> queue_;
  bool closed_ = false;
  std::thread writer_thread_;

  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wanted_;
  bool checkpoint_requested_ = false;
  bool checkpoint_closed_ = false;
  int requested_at_pages_ = 0;  // the WAL's size when the writer last asked for a pass (writer thread only)
  // Whether the checkpointer is idle after a pass that copied all it found (writer reads it).
  std::atomic<bool> caught_up_{true};
  std::thread checkpoint_thread_;
};

thread_local SqliteDatabase::Pinned SqliteDatabase::pinned_;

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const DatabaseOptions& options) {
  // Memory statistics take one process-wide mutex on every allocation of every connection; we
  // never read them. Only possible before the library initialises, i.e. before the first open.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return fail(Code::unavailable, "Cannot create the data directory " + options.data_dir + ": " + ec.message());
  auto path = (std::filesystem::path(options.data_dir) / "tandem.sqlite3").string();
  ASSIGN_OR_RETURN(auto writer, connect(path, Role::writer, options.synchronous_full));
  ASSIGN_OR_RETURN(auto checkpointer, connect(path, Role::checkpointer, options.synchronous_full));
  std::vector<std::unique_ptr<SqliteConnection>> readers;
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    ASSIGN_OR_RETURN(auto reader, connect(path, Role::reader, options.synchronous_full));
    readers.push_back(std::move(reader));
  }
  return std::make_unique<SqliteDatabase>(std::move(writer), std::move(checkpointer), std::move(readers));
}

}  // namespace tandem::storage
