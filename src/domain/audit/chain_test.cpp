// Unit tests for the audit hash chain (OPS-2): every edit, deletion or reordering is detected.
#include "domain/audit/chain.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/crypto.h"

namespace tandem::audit {
namespace {

Entry sample_entry(int i) {
  Entry e;
  e.id = "aud_" + std::to_string(1000 + i);
  e.at_ms = 1795440120000 + i * 1000;
  e.actor_id = i % 3 == 0 ? "system" : "usr_" + std::to_string(i % 5);
  e.organization_id = i % 2 == 0 ? "org_a" : "org_b";
  e.action = i % 2 == 0 ? "user.create" : "user.update";
  e.target_type = "user";
  e.target_id = "usr_t" + std::to_string(i);
  e.before_digest = i % 2 == 0 ? "" : sha256_hex("before " + std::to_string(i));
  e.after_digest = sha256_hex("after " + std::to_string(i));
  return e;
}

struct Log {
  std::vector<Entry> entries;
  Head head;
};

Log make_log(int n) {
  init_crypto();
  Log log;
  for (int i = 0; i < n; ++i) {
    Entry e = sample_entry(i);
    log.head = link(e, log.head);
    log.entries.push_back(std::move(e));
  }
  return log;
}

TEST(Chain, GenesisHead) {
  Head h;
  EXPECT_EQ(h.seq, 0);
  EXPECT_EQ(h.hash, std::string(64, '0'));
  EXPECT_EQ(h.hash, kGenesisHash);
}

TEST(Chain, LinkFillsSequencePreviousHashAndHash) {
  init_crypto();
  Entry first = sample_entry(0);
  Head h1 = link(first, Head{});
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, kGenesisHash);
  EXPECT_EQ(first.hash, compute_hash(first));
  EXPECT_EQ(first.hash.size(), 64u);
  EXPECT_EQ(h1.seq, 1);
  EXPECT_EQ(h1.hash, first.hash);

  Entry second = sample_entry(1);
  Head h2 = link(second, h1);
  EXPECT_EQ(second.seq, 2);
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_EQ(h2.seq, 2);
  EXPECT_EQ(h2.hash, second.hash);
  EXPECT_NE(first.hash, second.hash);
}

TEST(Chain, HashDependsOnThePreviousHash) {
  init_crypto();
  Entry a = sample_entry(0), b = sample_entry(0);
  link(a, Head{});
  link(b, Head{0, std::string(64, '1')});
  EXPECT_NE(a.hash, b.hash);
}

TEST(Chain, FieldBoundariesAreUnambiguous) {
  init_crypto();
  // Moving text from one field into the next must change the hash (length-prefixed fields).
  Entry a = sample_entry(0), b = sample_entry(0);
  a.actor_id = "usr_ab";
  a.organization_id = "c";
  b.actor_id = "usr_a";
  b.organization_id = "bc";
  EXPECT_NE(compute_hash(a), compute_hash(b));
  a = sample_entry(0);
  b = sample_entry(0);
  a.target_type = "user|5:x";
  b.target_type = "user";
  b.target_id = "x|" + b.target_id;
  EXPECT_NE(compute_hash(a), compute_hash(b));
}

TEST(Chain, IntactChainsVerify) {
  for (int n : {0, 1, 2, 100}) {
    auto log = make_log(n);
    auto v = verify(log.entries, log.head);
    EXPECT_TRUE(v.intact) << n << " entries: " << v.problem;
    EXPECT_EQ(v.entries, n);
    EXPECT_FALSE(v.first_bad_seq) << n;
    EXPECT_EQ(log.head.seq, n);
  }
}

TEST(Chain, EmptyLogWithNonGenesisHeadIsNotIntact) {
  auto log = make_log(3);
  auto v = verify(std::span<const Entry>(), log.head);
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.first_bad_seq);
  EXPECT_EQ(*v.first_bad_seq, 1);
}

struct Alteration {
  const char* field;
  std::function<void(Entry&)> change;
};

const std::vector<Alteration>& alterations() {
  static const std::vector<Alteration> all = {
      {"id", [](Entry& e) { e.id += "x"; }},
      {"at_ms", [](Entry& e) { e.at_ms += 1; }},
      {"actor_id", [](Entry& e) { e.actor_id = "usr_attacker"; }},
      {"organization_id", [](Entry& e) { e.organization_id = "org_other"; }},
      {"action", [](Entry& e) { e.action = "user.read"; }},
      {"target_type", [](Entry& e) { e.target_type = "team"; }},
      {"target_id", [](Entry& e) { e.target_id = "usr_someone_else"; }},
      {"before_digest", [](Entry& e) { e.before_digest = sha256_hex("forged"); }},
      {"before_digest set or emptied", [](Entry& e) { e.before_digest = e.before_digest.empty() ? sha256_hex("x") : ""; }},
      {"after_digest", [](Entry& e) { e.after_digest = sha256_hex("forged"); }},
      {"after_digest emptied", [](Entry& e) { e.after_digest.clear(); }},
      {"prev_hash", [](Entry& e) { e.prev_hash[0] = e.prev_hash[0] == 'a' ? 'b' : 'a'; }},
      {"hash", [](Entry& e) { e.hash[5] = e.hash[5] == 'a' ? 'b' : 'a'; }},
  };
  return all;
}

TEST(Chain, AlteringAnyFieldOfAnyEntryIsDetectedAtThatEntry) {
  const int n = 6;
  auto log = make_log(n);
  for (const auto& alteration : alterations()) {
    for (int i = 0; i < n; ++i) {
      SCOPED_TRACE(std::string(alteration.field) + " of entry " + std::to_string(i + 1));
      auto entries = log.entries;
      alteration.change(entries[i]);
      auto v = verify(entries, log.head);
      EXPECT_FALSE(v.intact);
      ASSERT_TRUE(v.first_bad_seq);
      EXPECT_EQ(*v.first_bad_seq, i + 1);
      EXPECT_FALSE(v.problem.empty());
    }
  }
}

TEST(Chain, RemovedMiddleEntryIsDetected) {
  auto log = make_log(10);
  auto entries = log.entries;
  entries.erase(entries.begin() + 4);  // seq 5
  auto v = verify(entries, log.head);
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.first_bad_seq);
  EXPECT_EQ(*v.first_bad_seq, 5);
}

TEST(Chain, RemovedFirstEntryIsDetected) {
  auto log = make_log(5);
  auto entries = log.entries;
  entries.erase(entries.begin());
  auto v = verify(entries, log.head);
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.first_bad_seq);
  EXPECT_EQ(*v.first_bad_seq, 1);
}

TEST(Chain, RemovedMiddleEntryWithRenumberingIsDetected) {
  // The attacker also renumbers the later entries to close the gap.
  auto log = make_log(6);
  auto entries = log.entries;
  entries.erase(entries.begin() + 2);  // seq 3
  for (std::size_t i = 2; i < entries.size(); ++i) entries[i].seq -= 1;
  auto v = verify(entries, log.head);
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.first_bad_seq);
  EXPECT_EQ(*v.first_bad_seq, 3);
}

TEST(Chain, RemovedLastEntriesAreCaughtByTheHead) {
  auto log = make_log(10);
  for (int removed : {1, 3, 10}) {
    SCOPED_TRACE(std::to_string(removed) + " removed");
    std::vector<Entry> entries(log.entries.begin(), log.entries.end() - removed);
    auto v = verify(entries, log.head);
    EXPECT_FALSE(v.intact);
    ASSERT_TRUE(v.first_bad_seq);
    EXPECT_EQ(*v.first_bad_seq, 10 - removed + 1);
    EXPECT_EQ(v.entries, 10 - removed);
  }
}

TEST(Chain, HeadWithWrongHashIsDetected) {
  auto log = make_log(4);
  Head forged = log.head;
  forged.hash = sha256_hex("forged");
  auto v = verify(log.entries, forged);
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.first_bad_seq);
}

TEST(Chain, ExtraEntryBeyondTheHeadIsDetected) {
  auto log = make_log(4);
  Head old_head{3, log.entries[2].hash};
  auto v = verify(log.entries, old_head);
  EXPECT_FALSE(v.intact);
}

// BUG (domain/audit/chain.cpp Verifier::finish): on any head mismatch first_bad_seq is set to
// "last seq + 1", which is right only when entries were cut off the end. When the log has entries
// beyond the head, the first of them (head.seq + 1) is the first bad one, not last + 1.
TEST(Chain, ExtraEntryBeyondTheHeadIsTheFirstBadOne) {
  auto log = make_log(4);
  Head old_head{2, log.entries[1].hash};
  auto v = verify(log.entries, old_head);
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.first_bad_seq);
  EXPECT_EQ(*v.first_bad_seq, 3);
}

TEST(Chain, ReorderedEntriesAreDetected) {
  auto log = make_log(8);
  auto entries = log.entries;
  std::swap(entries[3], entries[4]);  // seq 4 and 5
  auto v = verify(entries, log.head);
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.first_bad_seq);
  EXPECT_EQ(*v.first_bad_seq, 4);
}

TEST(Chain, ReorderedEntriesWithSwappedSequenceNumbersAreDetected) {
  auto log = make_log(8);
  auto entries = log.entries;
  std::swap(entries[3], entries[4]);
  std::swap(entries[3].seq, entries[4].seq);
  auto v = verify(entries, log.head);
  EXPECT_FALSE(v.intact);
  ASSERT_TRUE(v.first_bad_seq);
  EXPECT_EQ(*v.first_bad_seq, 4);
}

TEST(Chain, RehashedAlteredEntryBreaksTheNextLink) {
  auto log = make_log(6);
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE("entry " + std::to_string(i + 1));
    auto entries = log.entries;
    entries[i].actor_id = "usr_attacker";
    entries[i].hash = compute_hash(entries[i]);  // the attacker recomputes this entry's hash
    auto v = verify(entries, log.head);
    EXPECT_FALSE(v.intact);
    ASSERT_TRUE(v.first_bad_seq);
    EXPECT_EQ(*v.first_bad_seq, i + 2);
  }
}

TEST(Chain, RehashedAlteredLastEntryIsCaughtByTheHead) {
  auto log = make_log(6);
  auto entries = log.entries;
  entries.back().action = "user.read";
  entries.back().hash = compute_hash(entries.back());
  auto v = verify(entries, log.head);
  EXPECT_FALSE(v.intact);
  EXPECT_TRUE(v.first_bad_seq);
}

// BUG (domain/audit/chain.cpp Verifier::finish): the last entry was rewritten and re-hashed, so
// its hash disagrees with the head that records the same seq; the bad entry is seq 6, but
// finish() reports seq 7, an entry that does not exist.
TEST(Chain, RehashedAlteredLastEntryIsTheFirstBadOne) {
  auto log = make_log(6);
  auto entries = log.entries;
  entries.back().action = "user.read";
  entries.back().hash = compute_hash(entries.back());
  auto v = verify(entries, log.head);
  ASSERT_TRUE(v.first_bad_seq);
  EXPECT_EQ(*v.first_bad_seq, 6);
}

TEST(Chain, FullyRelinkedForgeryIsCaughtOnlyByTheStoredHead) {
  // Rewriting every later entry yields an internally consistent chain; only the head stored
  // apart reveals it.
  auto log = make_log(5);
  auto entries = log.entries;
  entries[1].target_id = "usr_forged";
  Head h{entries[0].seq, entries[0].hash};
  for (std::size_t i = 1; i < entries.size(); ++i) h = link(entries[i], h);
  EXPECT_TRUE(verify(entries, h).intact);
  EXPECT_FALSE(verify(entries, log.head).intact);
}

void expect_same(const Verdict& a, const Verdict& b) {
  EXPECT_EQ(a.intact, b.intact);
  EXPECT_EQ(a.entries, b.entries);
  EXPECT_EQ(a.first_bad_seq, b.first_bad_seq);
  EXPECT_EQ(a.problem, b.problem);
}

TEST(Chain, IncrementalVerifierMatchesVerify) {
  auto log = make_log(20);
  std::vector<std::pair<std::string, std::vector<Entry>>> cases;
  cases.emplace_back("intact", log.entries);
  auto altered = log.entries;
  altered[7].action = "team.delete";
  cases.emplace_back("altered", altered);
  auto removed = log.entries;
  removed.erase(removed.begin() + 11);
  cases.emplace_back("removed", removed);
  cases.emplace_back("truncated", std::vector<Entry>(log.entries.begin(), log.entries.begin() + 15));
  for (const auto& [name, entries] : cases) {
    SCOPED_TRACE(name);
    Verifier v;
    bool ok = true;
    int accepted = 0;
    for (const auto& e : entries) {
      bool added = v.add(e);
      if (!ok) {
        EXPECT_FALSE(added) << "later entries are ignored once broken";
      }
      ok = ok && added;
      accepted += added;
    }
    auto incremental = v.finish(log.head);
    expect_same(incremental, verify(entries, log.head));
    if (name == "intact") {
      EXPECT_TRUE(incremental.intact);
      EXPECT_EQ(accepted, 20);
    } else {
      EXPECT_FALSE(incremental.intact);
    }
  }
}

}  // namespace
}  // namespace tandem::audit
