#include "domain/search/relevance.h"

namespace tandem::search {

double relevance(std::span<const int> occurrences, double length, double average, Bm25 p) {
  double norm = p.k1 * (1 - p.b + p.b * (average > 0 && length > 0 ? length / average : 1.0));
  double score = 0;
  for (int n : occurrences)
    if (n > 0) score += n * (p.k1 + 1) / (n + norm);
  return score;
}

}  // namespace tandem::search
