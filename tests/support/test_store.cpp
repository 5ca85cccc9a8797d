#include "support/test_store.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "core/crypto.h"
#include "core/log.h"

namespace tandem::testing {

std::vector<std::string> store_kinds() {
  std::vector<std::string> kinds{"sqlite"};
  if (std::getenv("TANDEM_TEST_POSTGRES")) kinds.push_back("postgresql");
  return kinds;
}

std::string make_temp_dir(const std::string& prefix) {
  auto base = std::filesystem::temp_directory_path() / (prefix + "XXXXXX");
  std::string path = base.string();
  if (!mkdtemp(path.data())) throw std::runtime_error("mkdtemp failed");
  return path;
}

namespace {
std::string admin_url() { return std::getenv("TANDEM_TEST_POSTGRES"); }

std::string with_database(const std::string& url, const std::string& db) {
  auto slash = url.rfind('/');
  return url.substr(0, slash + 1) + db;
}

void admin_execute(const std::string& sql) {
  storage::DatabaseOptions options;
  options.url = admin_url();
  options.readers = 1;
  auto admin = storage::open_database(options);
  if (!admin) throw std::runtime_error("cannot reach the test PostgreSQL: " + admin.error().message);
  auto done = (*admin)->read([&](storage::Connection& c) -> Result<void> {
    TRY(c.execute(sql));
    return {};
  });
  if (!done) throw std::runtime_error("admin statement failed: " + sql);
}
}  // namespace

TestStore::TestStore(const std::string& kind) : kind_(kind), data_dir_(make_temp_dir("tandem-test-")) {
  init_crypto();
  init_logging("warn");  // the access log of every request would bury the failures
  if (kind == "sqlite") {
    url_ = "sqlite";
    return;
  }
  std::string token = random_token(9);
  for (auto& c : token) c = std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : 'x';
  pg_database_ = "t_" + token;
  admin_execute("CREATE DATABASE " + pg_database_);
  url_ = with_database(admin_url(), pg_database_);
}

TestStore::~TestStore() {
  if (!pg_database_.empty()) {
    try {
      admin_execute("DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)");
    } catch (const std::exception&) {
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
}

std::unique_ptr<storage::Database> TestStore::open(int readers) const {
  storage::DatabaseOptions options;
  options.url = url_;
  options.data_dir = data_dir_;
  options.readers = readers;
  auto db = storage::open_database(options);
  if (!db) throw std::runtime_error("cannot open the test store: " + db.error().message);
  auto migrated = storage::migrate(**db);
  if (!migrated) throw std::runtime_error("migration failed: " + migrated.error().message);
  return std::move(*db);
}

}  // namespace tandem::testing
