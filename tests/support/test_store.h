// A store per test: SQLite in a fresh temporary directory, or a fresh database in the throwaway
// PostgreSQL cluster that scripts/with-postgres.sh starts (TANDEM_TEST_POSTGRES).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/database.h"

namespace tandem::testing {

// "sqlite" always; "postgresql" when TANDEM_TEST_POSTGRES is set.
std::vector<std::string> store_kinds();

class TestStore {
 public:
  explicit TestStore(const std::string& kind);
  ~TestStore();
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  const std::string& kind() const { return kind_; }
  const std::string& data_dir() const { return data_dir_; }
  // "sqlite" or the postgresql:// URL of this test's own database.
  const std::string& url() const { return url_; }
  // Opens (and migrates) a connection pool on the store.
  std::unique_ptr<storage::Database> open(int readers = 4) const;

 private:
  std::string kind_;
  std::string data_dir_;
  std::string url_;
  std::string pg_database_;
};

std::string make_temp_dir(const std::string& prefix);

}  // namespace tandem::testing
