#include "domain/knowledge/ranking.h"

#include <algorithm>
#include <cmath>

namespace tandem::knowledge {

double hit_score(double relevance, std::int64_t helpful, std::int64_t unhelpful, double age_days) {
  // Laplace's rule: two imagined answers, one of each, so that one vote moves a little.
  double share = (double(std::max<std::int64_t>(helpful, 0)) + 1) / (double(std::max<std::int64_t>(helpful + unhelpful, 0)) + 2);
  double helpfulness = 0.75 + 0.5 * share;
  double recency = 0.5 + 0.5 * std::exp(-std::max(age_days, 0.0) / 365.0 * std::log(2.0));
  return relevance * helpfulness * recency;
}

}  // namespace tandem::knowledge
