// In-process benchmarks: the domain's hot functions and the stores' write paths. The HTTP
// benchmarks are in run.sh (wrk against a running server).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "core/crypto.h"
#include "core/id.h"
#include "domain/audit/chain.h"
#include "domain/identity/identity.h"
#include "storage/audit_log.h"
#include "storage/organizations.h"

namespace tandem {
namespace {

void BM_NormalizeEmail(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(identity::normalize_email("Zhang.Wei@University.Example"));
}
BENCHMARK(BM_NormalizeEmail);

void BM_AuditHash(benchmark::State& state) {
  audit::Entry e{42, "aud_x", 1700000000000, "usr_1", "org_1", "user.update", "user", "usr_2",
                 std::string(64, 'a'), std::string(64, 'b'), std::string(64, 'c'), ""};
  for (auto _ : state) benchmark::DoNotOptimize(audit::compute_hash(e));
}
BENCHMARK(BM_AuditHash);

// One organisation insert plus its audit entry per write, from `threads` writers at once: on
// SQLite the writers share transactions (group commit), so throughput grows with writers.
struct Store {
  std::string dir;
  std::unique_ptr<storage::Database> db;
  Store() {
    init_crypto();
    dir = (std::filesystem::temp_directory_path() / ("tandem-bench-" + random_token(6))).string();
    storage::DatabaseOptions o;
    if (const char* url = std::getenv("TANDEM_BENCH_DATABASE")) o.url = url;
    o.data_dir = dir;
    db = std::move(*storage::open_database(o));
    (void)storage::migrate(*db);
  }
  ~Store() {
    db->close();
    std::filesystem::remove_all(dir);
  }
};

Store& store() {
  static Store s;
  return s;
}

void BM_AuditedWrite(benchmark::State& state) {
  auto& db = *store().db;
  SystemClock clock;
  for (auto _ : state) {
    auto now = clock.now();
    storage::Organization org{new_id("org", now), "bench", identity::OrganizationKind::consumer, 1, 0, 0};
    auto r = db.write([&](storage::Connection& c) -> Result<void> {
      TRY(storage::organizations::insert(c, org));
      audit::Entry e;
      e.id = new_id("aud", now);
      e.action = "organization.create";
      e.target_id = org.id;
      return storage::audit_log::append(c, e);
    });
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditedWrite)->ThreadRange(1, 32)->UseRealTime();

}  // namespace
}  // namespace tandem
