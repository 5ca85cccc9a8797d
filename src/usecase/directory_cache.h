// Who a session or access token belongs to, and a user's own record, kept between requests
// while the store's directory version holds (storage::Database::directory_version): the
// commonest authenticated requests, GET /me among them, then read nothing from the store. A
// logout, deactivation, password or role change moves the version, so it ends access at once.
// Where the store cannot promise to see every change (PostgreSQL with other nodes), every
// lookup goes to the store.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/versioned_cache.h"
#include "domain/identity/access.h"
#include "domain/sla/calendar.h"
#include "storage/database.h"
#include "storage/users.h"

namespace tandem::usecase {

struct Timeframes;  // usecase/sla_policies.h
struct Catalog;     // usecase/catalog.h

struct Authenticated {
  identity::Actor actor;
  std::string csrf_token;    // empty for bearer tokens
  std::string session_hash;  // empty for bearer tokens
};

struct DirectoryCache {
  struct Session {
    Authenticated who;
    std::int64_t expires_at;
  };
  struct Token {
    identity::Actor actor;
    std::optional<std::int64_t> expires_at;
  };
  static constexpr std::size_t kCapacity = 20'000;  // per kind; a few hundred bytes an entry
  VersionedCache<Session> sessions{kCapacity};  // by session token hash
  VersionedCache<Token> tokens{kCapacity};      // by access token hash
  VersionedCache<storage::User> users{kCapacity};  // by user id; a user's own record
  // The agreed timeframes in force, by the fingerprint of their definitions (not the directory
  // version: the command line writes them too).
  VersionedCache<std::shared_ptr<const Timeframes>> timeframes{16};
  // By calendar id under the calendar's own version: reading a zone's offsets is the dear part
  // of loading one, and a version the store gives is right on every node.
  VersionedCache<sla::Calendar> calendars{256};
  // The service catalog, by the fingerprint of its definitions (as the timeframes).
  VersionedCache<std::shared_ptr<const Catalog>> catalogs{4};
};

// `load(Connection&) -> Result<std::optional<V>>` through `cache`: a kept value that is still
// `usable` answers without the store; otherwise the store answers, and the answer is kept when
// its snapshot was taken after the version was noted (so it is no older than that version).
template <class V, class Usable, class Load>
Result<std::optional<V>> read_through(storage::Database& db, VersionedCache<V>& cache, std::string_view key,
                                      Usable usable, Load load) {
  auto version = db.directory_version();
  if (version)
    if (auto kept = cache.find(key, *version); kept && usable(*kept)) return *kept;
  return db.read([&](storage::Connection& c) -> Result<std::optional<V>> {
    bool keep = version && c.snapshot_pending();
    ASSIGN_OR_RETURN(std::optional<V> found, load(c));
    if (found && keep && usable(*found)) cache.put(key, *version, *found);
    return found;
  });
}

}  // namespace tandem::usecase
