// FDB-3: a prize draw is reproducible from its seed, checked against its commitment, fair in
// the long run, and never picks one entrant twice.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/crypto.h"
#include "domain/feedback/draw.h"

namespace tandem::feedback {
namespace {

std::vector<Entrant> people(int n) {
  std::vector<Entrant> out;
  for (int i = 0; i < n; ++i) out.push_back({"usr_" + std::to_string(100 + i), 1});
  return out;
}

TEST(Draw, TheSameSeedAndEntrantsGiveTheSameWinnersInAnyOrder) {
  auto entrants = people(30);
  auto first = draw_winners("seed-1", entrants, 3);
  ASSERT_EQ(first.size(), 3u);
  std::ranges::reverse(entrants);
  EXPECT_EQ(draw_winners("seed-1", entrants, 3), first) << "the order entrants come in does not matter";
  EXPECT_NE(draw_winners("seed-2", entrants, 3), first) << "another seed, another draw";
  EXPECT_EQ(std::set<std::string>(first.begin(), first.end()).size(), 3u) << "nobody wins twice";
}

TEST(Draw, TheCommitmentIsTheSeedsSha256) {
  EXPECT_EQ(seed_commitment("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(seed_commitment("abc"), sha256_hex("abc"));
}

TEST(Draw, MoreWinnersThanEntrantsTakesEveryoneAndNoTicketsNeverWins) {
  std::vector<Entrant> entrants{{"usr_a", 1}, {"usr_b", 0}, {"usr_c", 2}};
  auto all = draw_winners("s", entrants, 5);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), (std::set<std::string>{"usr_a", "usr_c"}));
  EXPECT_TRUE(draw_winners("s", {}, 2).empty());
  EXPECT_TRUE(draw_winners("s", entrants, 0).empty());
}

TEST(Draw, ChancesFollowTheTickets) {
  // usr_b holds three of four tickets: over many seeds it wins the single prize about 3/4 of
  // the time (bounds far wider than the binomial spread of 4,000 draws: 3σ ≈ 0.02).
  std::map<std::string, int> wins;
  for (int i = 0; i < 4000; ++i) ++wins[draw_winners("seed" + std::to_string(i), {{"usr_a", 1}, {"usr_b", 3}}, 1).front()];
  EXPECT_NEAR(wins["usr_b"] / 4000.0, 0.75, 0.04);
  std::map<std::string, int> even;
  for (int i = 0; i < 4000; ++i) ++even[draw_winners("seed" + std::to_string(i), people(4), 1).front()];
  for (const auto& [who, n] : even) EXPECT_NEAR(n / 4000.0, 0.25, 0.04) << who;
}

}  // namespace
}  // namespace tandem::feedback
