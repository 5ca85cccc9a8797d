// OFF-1: erasing what a store holds of a person who left — irreversibly, in one transaction. The
// person's row stays (tickets and the audit chain refer to it by id) as "Former user N" with
// nothing else personal; their identities, sessions, tokens, memberships, notifications,
// uploads waiting for a ticket, and the notes and files of their evidence go; and every stored
// text that named them — their tickets and those tickets' timelines, request answers and
// webhook payloads, and the few other texts that quote people (access reviews, plans, recovery
// notes, overrides, approvals' comments, attachment names, assets, offboarding records) — has
// each occurrence of their name, e-mail addresses and phone numbers replaced by the new name,
// in their organisation's records only. Their training attempts go (OFF-4 keeps what they passed
// under a pseudonym). The audit chain is untouched: its entries hold ids and digests only.
#pragma once

#include <string>
#include <vector>

#include "storage/database.h"

namespace tandem::storage {

struct PersonErasure {
  std::string user_id;
  std::string organization_id;  // texts are redacted in this organisation's records only
  std::string former_name;           // "Former user N"
  std::vector<std::string> needles;  // the texts to redact: names, addresses, numbers as written
  std::vector<std::string> ticket_ids;  // tickets that were theirs before being handed over
  std::int64_t at = 0;
};

struct ErasureCount {
  std::int64_t tickets = 0;  // tickets whose texts named the person
  std::int64_t texts = 0;    // other rows rewritten or removed
};

namespace erasure {
// The next N of "Former user N", counting every erasure so far.
Result<std::int64_t> next_former_number(Connection& c);
Result<ErasureCount> erase_person(Connection& c, const PersonErasure& what);
}  // namespace erasure

}  // namespace tandem::storage
