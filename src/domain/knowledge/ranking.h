// KB-1: how knowledge search orders its hits — text relevance (BM25 on SQLite, ts_rank on
// PostgreSQL) weighed by how helpful readers found the document and how recent it is.
#pragma once

#include <cstdint>

namespace tandem::knowledge {

// Relevance × helpfulness × recency. Helpfulness runs from 0.75 (every reader said no) to 1.25
// (every reader said yes), 1.0 with no answers, and counts more as answers grow; recency from
// 1.0 for a document changed today to 0.5 for a very old one (half the way after a year).
double hit_score(double relevance, std::int64_t helpful, std::int64_t unhelpful, double age_days);

}  // namespace tandem::knowledge
