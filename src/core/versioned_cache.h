// A bounded, thread-safe map whose entries hold while the version they were filled under is
// current. The owner names the version (a counter that moves whenever the cached facts may have
// changed); a lookup under another version misses, so invalidation is one counter increment
// and needs no list of what to forget.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tandem {

template <class Value>
class VersionedCache {
 public:
  explicit VersionedCache(std::size_t capacity) : shard_capacity_(std::max<std::size_t>(1, capacity / kShards)) {}

  std::shared_ptr<const Value> find(std::string_view key, std::uint64_t version) const {
    auto& shard = shard_of(key);
    std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end() || it->second.version != version) return nullptr;
    return it->second.value;
  }

  void put(std::string_view key, std::uint64_t version, Value value) {
    auto stored = std::make_shared<const Value>(std::move(value));
    auto& shard = shard_of(key);
    std::lock_guard lock(shard.mutex);
    // Full: start the shard again. Entries of older versions are dead weight anyway, and a
    // working set larger than the cache costs one lookup per miss, as without a cache.
    if (shard.entries.size() >= shard_capacity_ && !shard.entries.contains(key)) shard.entries.clear();
    shard.entries.insert_or_assign(std::string(key), Entry{version, std::move(stored)});
  }

  std::size_t size() const {
    std::size_t n = 0;
    for (const auto& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      n += shard.entries.size();
    }
    return n;
  }

 private:
  static constexpr std::size_t kShards = 16;  // I/O threads rarely meet on one lock
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Entry {
    std::uint64_t version;
    std::shared_ptr<const Value> value;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries;
  };
  Shard& shard_of(std::string_view key) const { return shards_[Hash{}(key) % kShards]; }

  std::size_t shard_capacity_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace tandem
