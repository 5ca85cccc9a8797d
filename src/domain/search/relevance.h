// How well one document matches a query, for both search indexes (tickets, knowledge).
//
// BM25's term-frequency saturation and length normalisation, every query term weighed alike.
// Full BM25 also weighs each term by how rare it is across the store; to know that, SQLite's
// bm25() counts every document holding the term, in every query — 10 ms for a word in 300,000
// documents, more than the rest of the search. Every candidate holds every term (a query's terms
// are all required), so the weights only decide whose repetitions count more; they are left out
// (docs/adr/0003).
#pragma once

#include <span>

namespace tandem::search {

struct Bm25 {
  double k1 = 1.2;   // how soon repetitions of a term stop counting
  double b = 0.75;   // how much a long document is penalised
};

// The relevance of a document of `length` terms (the store's documents average `average`) in
// which each query term occurs `occurrences[i]` times. 0 when no term occurs; higher is better.
double relevance(std::span<const int> occurrences, double length, double average, Bm25 p = {});

}  // namespace tandem::search
