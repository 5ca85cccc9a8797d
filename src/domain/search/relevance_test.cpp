#include "domain/search/relevance.h"

#include <gtest/gtest.h>

#include <vector>

namespace tandem::search {
namespace {

double of(std::vector<int> n, double length, double average = 10) { return relevance(n, length, average); }

TEST(Relevance, NoOccurrenceScoresNothing) {
  EXPECT_EQ(of({0}, 10), 0);
  EXPECT_EQ(of({}, 10), 0);
}

TEST(Relevance, RepetitionsCountLessAndLess) {
  EXPECT_GT(of({2}, 10), of({1}, 10));
  EXPECT_GT(of({2}, 10) - of({1}, 10), of({3}, 10) - of({2}, 10));
  EXPECT_LT(of({1000}, 10), 1.2 + 1) << "saturates at k1 + 1";
}

TEST(Relevance, AShortDocumentBeatsALongOneWithAsManyOccurrences) {
  EXPECT_GT(of({1}, 5), of({1}, 10));
  EXPECT_GT(of({1}, 10), of({1}, 50));
  // Of average length: BM25's textbook value, tf·(k1+1)/(tf+k1).
  EXPECT_DOUBLE_EQ(of({1}, 10), 1.0);
  EXPECT_DOUBLE_EQ(of({2}, 10), 2 * 2.2 / 3.2);
}

TEST(Relevance, EveryTermCountsAlike) {
  EXPECT_DOUBLE_EQ(of({1, 1}, 10), 2 * of({1}, 10));
  EXPECT_DOUBLE_EQ(of({3, 1}, 10), of({1, 3}, 10));
}

TEST(Relevance, AnEmptyStoreOrDocumentIsOfAverageLength) {
  EXPECT_DOUBLE_EQ(of({1}, 0), 1.0);
  EXPECT_DOUBLE_EQ(of({1}, 7, 0), 1.0);
}

}  // namespace
}  // namespace tandem::search
