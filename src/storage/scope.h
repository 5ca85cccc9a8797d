// Tenancy in storage (ARCHITECTURE.md): every read of consumer data takes a Scope, built from
// the caller, and the repositories turn it into the WHERE clause. There is no unscoped read of
// consumer data; `Scope::system()` exists for the command line and start-up, and on a request
// only where the use case has established a narrower right first (the approvers named on a
// request read that request; a rule reads the user it is checked for) and says so.
#pragma once

#include <string>
#include <vector>

#include "domain/identity/access.h"
#include "storage/database.h"

namespace tandem::storage {

class Scope {
 public:
  static Scope for_actor(const identity::Actor& actor);
  static Scope system();

  bool sees_everything() const { return reach_ == identity::Reach::everything; }
  // Sees only tickets they raised, were raised for, watch or (representatives) their
  // represented users': few enough to enumerate. Not staff, not a customer's organisation.
  bool sees_whole_organization() const { return reach_ == identity::Reach::organization; }
  bool sees_own_tickets_only() const { return reach_ == identity::Reach::self || reach_ == identity::Reach::represented; }
  const std::string& organization_id() const { return organization_id_; }
  const std::string& user_id() const { return user_id_; }

  // A condition on a users table aliased `alias`, with its parameters appended to `params`.
  std::string users_condition(std::string_view alias, std::vector<Value>& params) const;
  // A condition on a column holding an organisation id.
  std::string organization_condition(std::string_view column, std::vector<Value>& params) const;
  // A condition on a tickets table aliased `alias`: staff see every ticket; a customer those of
  // their organisation; a representative their own, those of the users they represent and those
  // they watch; anyone else their own and those they watch — always inside their organisation.
  std::string tickets_condition(std::string_view alias, std::vector<Value>& params) const;
  // Internal notes and internal events are for provider staff only; every timeline and search
  // read filters on this.
  bool sees_internal() const { return sees_everything(); }

 private:
  identity::Reach reach_ = identity::Reach::self;
  std::string user_id_;
  std::string organization_id_;
};

// `for_update` holds the rows read until the transaction ends (PostgreSQL; SQLite writes are
// serial anyway).
enum class Lock { none, for_update };

struct PageRequest {
  int limit = 50;
  std::string after;  // the last id of the previous page, or empty
};

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_after;  // id to continue after, when more remain
};

// Repositories fetch `limit + 1` rows: the extra row only tells that more remain.
template <class T, class Key>
Page<T> make_page(std::vector<T> items, int limit, Key cursor_of) {
  Page<T> page{std::move(items), std::nullopt};
  if (page.items.size() > std::size_t(limit)) {
    page.items.pop_back();
    page.next_after = cursor_of(page.items.back());
  }
  return page;
}

}  // namespace tandem::storage
