#include "storage/postgres/postgres.h"

#include <libpq-fe.h>

#include <fmt/format.h>

#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "core/log.h"

namespace tandem::storage {
namespace {

// Type OIDs from pg_type.h.
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23;

Error engine_error(PGconn* conn, const PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  if (sqlstate == "23505") return Error(Code::conflict, "A record with the same unique value exists.", "conflict");
  if (sqlstate.starts_with("23")) return Error(Code::conflict, "The change conflicts with related records.", "conflict");
  if (sqlstate == "40001" || sqlstate == "40P01") return Error(Code::unavailable, "The store is busy; try again.");
  log_message(LogLevel::error, std::string("postgresql: ") + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn)));
  if (PQstatus(conn) != CONNECTION_OK) return Error(Code::unavailable, "The store is unreachable.");
  return Error(Code::internal, "The store failed.");
}

// Rewrites `?` placeholders as $1, $2, … outside quoted text.
std::string to_positional(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out.push_back('$');
      out += std::to_string(++n);
    }
    else out.push_back(c);
  }
  return out;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(std::string url) : url_(std::move(url)) {}
  ~PostgresConnection() override {
    if (conn_) PQfinish(conn_);
  }

  Dialect dialect() const override { return Dialect::postgresql; }

  Result<void> ensure_connected() {
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return {};
    // A new connection would run the rest of a write outside its transaction: half a write.
    if (in_transaction_) return fail(Code::unavailable, "The connection to the store was lost during the write.");
    if (conn_) PQfinish(conn_);
    statements_.clear();
    unawaited_.clear();
    conn_ = PQconnectdb(url_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      log_message(LogLevel::error, std::string("postgresql connect: ") + PQerrorMessage(conn_));
      return fail(Code::unavailable, "The store is unreachable.");
    }
    PgResult r(PQexec(conn_, "SET client_min_messages = warning"));
    return {};
  }

  Result<Rows> query(std::string_view sql, std::span<const Value> params) override {
    ASSIGN_OR_RETURN(PgResult res, run(sql, params));
    Rows rows;
    int nrows = PQntuples(res.get()), ncols = PQnfields(res.get());
    rows.reserve(nrows);
    for (int r = 0; r < nrows; ++r) {
      Row row;
      row.cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          row.cells.emplace_back(std::monostate{});
          continue;
        }
        const char* v = PQgetvalue(res.get(), r, c);
        Oid type = PQftype(res.get(), c);
        if (type == kInt8 || type == kInt4 || type == kInt2) row.cells.emplace_back(std::int64_t(std::stoll(v)));
        else if (type == kBool) row.cells.emplace_back(std::int64_t(v[0] == 't'));
        else row.cells.emplace_back(std::string(v, PQgetlength(res.get(), r, c)));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override {
    ASSIGN_OR_RETURN(PgResult res, run(sql, params));
    const char* n = PQcmdTuples(res.get());
    return (n && *n) ? std::stoll(n) : 0;
  }

  Result<void> execute_unawaited(std::string_view sql, std::vector<Value> params) override {
    TRY(ensure_connected());
    return send(sql, params);
  }

  Result<void> execute_script(std::string_view sql) override {
    TRY(ensure_connected());
    if (!unawaited_.empty()) TRY(finish_pipeline());
    PgResult res(PQexec(conn_, std::string(sql).c_str()));
    auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return std::unexpected(engine_error(conn_, res.get()));
    return {};
  }

  // A transaction's BEGIN travels with its first statement that waits.
  Result<void> begin() {
    TRY(ensure_connected());
    TRY(send_control("BEGIN"));
    in_transaction_ = true;
    return {};
  }
  Result<void> commit() {
    auto committed = [&]() -> Result<void> {
      if (unawaited_.empty()) return execute_script("COMMIT");
      TRY(send_control("COMMIT"));
      TRY(finish_pipeline());
      return {};
    }();
    if (committed) in_transaction_ = false;  // else rollback() ends it
    return committed;
  }
  void rollback() {
    if (conn_ && !unawaited_.empty() && send_control("ROLLBACK")) (void)finish_pipeline();
    if (conn_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)execute_script("ROLLBACK");
    in_transaction_ = false;
  }

  bool healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

 private:
  // The parameters as libpq takes them: text, or a null pointer for NULL.
  struct Texts {
    std::vector<std::string> numbers;
    std::vector<const char*> values;
    explicit Texts(std::span<const Value> params) : numbers(params.size()), values(params.size()) {
      for (std::size_t i = 0; i < params.size(); ++i) {
        if (auto* n = std::get_if<std::int64_t>(&params[i])) {
          numbers[i] = std::to_string(*n);
          values[i] = numbers[i].c_str();
        } else if (auto* s = std::get_if<std::string>(&params[i])) {
          values[i] = s->c_str();
        }
      }
    }
  };

  Result<PgResult> run(std::string_view sql, std::span<const Value> params) {
    TRY(ensure_connected());
    if (!unawaited_.empty()) {  // the statements sent before go with this one, one round trip
      TRY(send(sql, params));
      return finish_pipeline();
    }
    auto it = statements_.find(std::string(sql));
    if (it == statements_.end()) {
      std::string name = fmt::format("s{}", next_statement_++);
      PgResult prepared(PQprepare(conn_, name.c_str(), to_positional(sql).c_str(), 0, nullptr));
      if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) return std::unexpected(engine_error(conn_, prepared.get()));
      it = statements_.emplace(std::string(sql), name).first;
    }
    Texts texts(params);
    PgResult res(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()), texts.values.data(), nullptr,
                                nullptr, 0));
    auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return std::unexpected(engine_error(conn_, res.get()));
    return res;
  }

  // Pipeline mode (libpq ≥ 14): statements are sent without reading their results, which
  // finish_pipeline() reads all at once after a Sync.
  Result<void> enter_pipeline() {
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1)
      return std::unexpected(engine_error(conn_, nullptr));
    return {};
  }

  Result<void> send(std::string_view sql, std::span<const Value> params) {
    TRY(enter_pipeline());
    auto it = statements_.find(std::string(sql));
    if (it == statements_.end()) {
      std::string name = fmt::format("s{}", next_statement_++);
      if (PQsendPrepare(conn_, name.c_str(), to_positional(sql).c_str(), 0, nullptr) != 1) return lost_in_pipeline();
      it = statements_.emplace(std::string(sql), name).first;
      unawaited_.push_back({std::string(sql), /*prepare=*/true});
    }
    Texts texts(params);
    if (PQsendQueryPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()), texts.values.data(), nullptr,
                            nullptr, 0) != 1)
      return lost_in_pipeline();
    unawaited_.push_back({std::string(sql), false});
    return {};
  }

  Result<void> send_control(const char* command) {
    TRY(enter_pipeline());
    if (PQsendQueryParams(conn_, command, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) return lost_in_pipeline();
    unawaited_.push_back({command, false});
    return {};
  }

  // Sends a Sync and reads every result sent for; answers the last one, or the first failure
  // (the server skips what follows a failure up to the Sync).
  Result<PgResult> finish_pipeline() {
    auto sent = std::move(unawaited_);
    unawaited_.clear();
    if (PQpipelineSync(conn_) != 1) return lost_in_pipeline();
    std::optional<Error> failure;
    PgResult last;
    for (const auto& statement : sent) {
      PgResult res(PQgetResult(conn_));
      if (!res) return lost_in_pipeline();
      while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);  // up to the NULL that ends this statement
      auto status = PQresultStatus(res.get());
      bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
      if (!ok && !failure && status != PGRES_PIPELINE_ABORTED) {
        failure = engine_error(conn_, res.get());
        if (statement.prepare) statements_.erase(statement.sql);
      } else if (!ok && statement.prepare) {
        statements_.erase(statement.sql);
      }
      last = std::move(res);
    }
    PgResult sync(PQgetResult(conn_));
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC || PQexitPipelineMode(conn_) != 1) return lost_in_pipeline();
    if (failure) return std::unexpected(*failure);
    return last;
  }

  // The connection cannot be trusted after a broken pipeline: drop it; the next use reconnects.
  std::unexpected<Error> lost_in_pipeline() {
    log_message(LogLevel::error, std::string("postgresql pipeline: ") + PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    statements_.clear();
    unawaited_.clear();
    return std::unexpected(Error(Code::unavailable, "The store is unreachable."));
  }

  struct Unawaited {
    std::string sql;
    bool prepare;  // the statement's preparation, sent ahead of its first use
  };

  std::string url_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> statements_;
  std::uint64_t next_statement_ = 0;
  std::vector<Unawaited> unawaited_;
  bool in_transaction_ = false;  // between begin() and commit() or rollback()
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(std::vector<std::unique_ptr<PostgresConnection>> pool) : pool_(std::move(pool)) {
    for (auto& c : pool_) free_.push_back(c.get());
  }

  Dialect dialect() const override { return Dialect::postgresql; }

  std::size_t queue_depth() const override {
    std::lock_guard lock(mutex_);
    return waiting_;
  }

  Result<void> ping() override {
    return run_read([](Connection& c) -> Result<void> {
      TRY(c.query("SELECT 1"));
      return {};
    });
  }

  void close() override {
    std::unique_lock lock(mutex_);
    closed_ = true;
    // In-flight work finishes on its own connection; wait for all to come back.
    released_.wait(lock, [&] { return free_.size() == pool_.size(); });
  }

 protected:
  Result<void> run_read(const Job& job) override {
    // A read inside a read on the same thread joins it, on the same connection.
    if (pinned_.database == this) return job(*pinned_.connection);
    return with_connection(job, false);
  }
  Result<void> run_write(const Job& job) override { return with_connection(job, true); }

 private:
  Result<void> with_connection(const Job& job, bool transaction) {
    PostgresConnection* conn;
    {
      std::unique_lock lock(mutex_);
      if (closed_) return fail(Code::unavailable, "The server is shutting down.");
      ++waiting_;
      released_.wait(lock, [&] { return !free_.empty(); });
      --waiting_;
      conn = free_.back();
      free_.pop_back();
    }
    Result<void> result;
    if (transaction) {
      result = conn->begin();
      if (result) {
        try {
          result = job(*conn);
        } catch (const std::exception& e) {
          log_message(LogLevel::error, std::string("write job threw: ") + e.what());
          result = fail(Code::internal, "The store failed.");
        }
        if (result) result = conn->commit();
        if (!result) conn->rollback();
      }
    } else {
      pinned_ = {this, conn};
      try {
        result = job(*conn);
      } catch (const std::exception& e) {
        log_message(LogLevel::error, std::string("read job threw: ") + e.what());
        result = fail(Code::internal, "The store failed.");
      }
      pinned_ = {};
      if (!conn->healthy()) (void)conn->execute_script("ROLLBACK");
    }
    bool closing;
    {
      std::lock_guard lock(mutex_);
      free_.push_back(conn);
      closing = closed_;
    }
    // One connection came back, so one waiter can go on: waking every waiter (up to a
    // request handler each) cost more than the queries under load (bench/RESULTS.md). When
    // closing, close() waits on the same condition for all of them.
    if (closing) released_.notify_all();
    else released_.notify_one();
    return result;
  }

  struct Pinned {
    const PostgresDatabase* database = nullptr;
    PostgresConnection* connection = nullptr;
  };
  static thread_local Pinned pinned_;

  std::vector<std::unique_ptr<PostgresConnection>> pool_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::vector<PostgresConnection*> free_;
  std::size_t waiting_ = 0;
  bool closed_ = false;
};

thread_local PostgresDatabase::Pinned PostgresDatabase::pinned_;

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const DatabaseOptions& options) {
  std::vector<std::unique_ptr<PostgresConnection>> pool;
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    auto conn = std::make_unique<PostgresConnection>(options.url);
    if (i == 0) TRY(conn->ensure_connected());  // fail at start, not at the first request
    pool.push_back(std::move(conn));
  }
  return std::make_unique<PostgresDatabase>(std::move(pool));
}

}  // namespace tandem::storage
