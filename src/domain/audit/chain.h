// OPS-2: the audit log is a hash chain. Each entry's hash covers its fields and the hash of the
// entry before, so editing or deleting any entry breaks every hash after it; the chain head
// (last sequence number and hash) is stored apart so removing the newest entries is caught too.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace tandem::audit {

struct Entry {
  std::int64_t seq = 0;  // 1, 2, 3, … without gaps
  std::string id;
  std::int64_t at_ms = 0;
  std::string actor_id;         // "system" for the CLI and start-up
  std::string organization_id;  // the tenant the target belongs to, or empty
  std::string action;           // e.g. "user.create"
  std::string target_type;
  std::string target_id;
  std::string before_digest;  // SHA-256 of the target's canonical form before; empty if none
  std::string after_digest;   // … and after; empty when deleted
  std::string prev_hash;
  std::string hash;
};

inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

std::string compute_hash(const Entry& entry);

struct Head {
  std::int64_t seq = 0;
  std::string hash = std::string(kGenesisHash);
};

// Fills seq, prev_hash and hash of `entry` to follow `head`; returns the new head.
Head link(Entry& entry, const Head& head);

struct Verdict {
  bool intact = true;
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;
};

// Checks entries fed in sequence order, one at a time, so a long log needs no memory.
class Verifier {
 public:
  // False once the chain is broken; later entries are ignored.
  bool add(const Entry& entry);
  // `stored_head` is the head recorded with the log.
  Verdict finish(const Head& stored_head);

 private:
  Head running_;
  Verdict verdict_;
};

Verdict verify(std::span<const Entry> entries, const Head& stored_head);

}  // namespace tandem::audit
