// The car-share demo (PRODUCT.md running example): the provider, a university and a car-share
// club as consumer organisations, staff and users in both languages, teams, and a service
// catalog for each consumer. Loading twice changes nothing.
#pragma once

#include <functional>

#include "usecase/context.h"

namespace tandem::usecase {

inline constexpr std::string_view kDemoPassword = "demo-Passw0rd!";

struct DemoSummary {
  int organizations = 0;
  int users = 0;
  int teams = 0;
  int tickets = 0;
  bool already_loaded = false;
};
Result<DemoSummary> load_demo(const Services& s);

// Synthetic load for benchmarks (`tandem demo --tickets N`): N tickets raised by the demo's
// consumers, of every type and several statuses, with `comments_per_ticket` public replies
// each, in Chinese and English, deterministic for a seed. Written in batches straight through
// the repositories (timeline, search index and counters as the use cases write them) with one
// audit entry for the whole run. Needs the demo loaded. `progress` hears the running total.
struct Generated {
  std::int64_t tickets = 0;
  std::int64_t comments = 0;
};
Result<Generated> generate_tickets(const Services& s, std::int64_t tickets, int comments_per_ticket, std::uint32_t seed,
                                   const std::function<void(std::int64_t)>& progress);

// Synthetic knowledge for benchmarks (`tandem demo --knowledge N`): N items — half published
// articles (one in ten for the demo organisation only), half community questions with an
// accepted answer in a generated space (two documents of the index each) — in Chinese and
// English, deterministic for a seed, written in batches straight through the repositories.
// Needs the demo loaded.
struct GeneratedKnowledge {
  std::int64_t articles = 0;
  std::int64_t posts = 0;  // questions, each with its accepted answer
};
Result<GeneratedKnowledge> generate_knowledge(const Services& s, std::int64_t items, std::uint32_t seed,
                                              const std::function<void(std::int64_t)>& progress);

}  // namespace tandem::usecase
