// The claim the store's work queues share (fulfilment webhooks, outbound webhooks, mail out):
// a worker takes due rows for a while, sends them outside any transaction, and records what
// happened only while its claim still holds — so several workers, on several nodes, share one
// queue, and a row whose worker died is taken up again once its claim lapses.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "storage/database.h"

namespace tandem::storage {

// The rows of `table` in `waiting_state`, due at `now` (`next_at`) and not claimed by another
// worker, soonest first, each claimed until `claim_until` in the caller's transaction (on
// PostgreSQL rows another worker holds are skipped, not waited for). `columns` are what
// `from_row` reads into a T with `id` and `claimed_until`.
template <class T, class FromRow>
Result<std::vector<T>> claim_due(Connection& c, std::string_view table, std::string_view columns, std::string_view waiting_state,
                                 std::int64_t now, std::int64_t claim_until, int limit, FromRow from_row) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM {} WHERE state = ? AND next_at <= ? AND claimed_until <= ? "
                                                  "ORDER BY next_at LIMIT ?{}",
                                                  columns, table, c.dialect() == Dialect::postgresql ? " FOR UPDATE SKIP LOCKED" : ""),
                                      {std::string(waiting_state), now, now, std::int64_t(limit)}));
  std::vector<T> out;
  out.reserve(rows.size());
  const auto claim = fmt::format("UPDATE {} SET claimed_until = ? WHERE id = ?", table);
  for (const auto& r : rows) {
    T item = from_row(r);
    item.claimed_until = claim_until;
    TRY(c.execute(claim, {claim_until, item.id}));
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace tandem::storage
