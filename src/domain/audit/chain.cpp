#include "domain/audit/chain.h"

#include <fmt/format.h>

#include "core/crypto.h"

namespace tandem::audit {

std::string compute_hash(const Entry& e) {
  // Length-prefixed fields, so no two different entries share a serialisation.
  std::string canonical;
  auto add = [&](std::string_view field) { canonical += fmt::format("{}:{}|", field.size(), field); };
  add(std::to_string(e.seq));
  add(e.id);
  add(std::to_string(e.at_ms));
  add(e.actor_id);
  add(e.organization_id);
  add(e.action);
  add(e.target_type);
  add(e.target_id);
  add(e.before_digest);
  add(e.after_digest);
  add(e.prev_hash);
  return sha256_hex(canonical);
}

Head link(Entry& entry, const Head& head) {
  entry.seq = head.seq + 1;
  entry.prev_hash = head.hash;
  entry.hash = compute_hash(entry);
  return Head{entry.seq, entry.hash};
}

bool Verifier::add(const Entry& e) {
  if (!verdict_.intact) return false;
  auto bad = [&](std::int64_t seq, std::string problem) {
    verdict_.intact = false;
    verdict_.first_bad_seq = seq;
    verdict_.problem = std::move(problem);
    return false;
  };
  ++verdict_.entries;
  if (e.seq != running_.seq + 1) return bad(running_.seq + 1, fmt::format("entry {} is missing", running_.seq + 1));
  if (e.prev_hash != running_.hash) return bad(e.seq, fmt::format("entry {} does not follow entry {}", e.seq, running_.seq));
  if (compute_hash(e) != e.hash) return bad(e.seq, fmt::format("entry {} was altered", e.seq));
  running_ = Head{e.seq, e.hash};
  return true;
}

Verdict Verifier::finish(const Head& stored_head) {
  if (verdict_.intact && (running_.seq != stored_head.seq || running_.hash != stored_head.hash)) {
    verdict_.intact = false;
    // Cut short: the first missing entry. Too long: the first entry past the head. Same length
    // but another hash: the last entry was rewritten (and re-hashed).
    if (running_.seq < stored_head.seq) verdict_.first_bad_seq = running_.seq + 1;
    else if (running_.seq > stored_head.seq) verdict_.first_bad_seq = stored_head.seq + 1;
    else verdict_.first_bad_seq = running_.seq;
    verdict_.problem = fmt::format("the log ends at entry {} but its head records entry {}", running_.seq, stored_head.seq);
  }
  return verdict_;
}

Verdict verify(std::span<const Entry> entries, const Head& stored_head) {
  Verifier v;
  for (const auto& e : entries)
    if (!v.add(e)) break;
  return v.finish(stored_head);
}

}  // namespace tandem::audit
