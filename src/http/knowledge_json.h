// The JSON of a knowledge search hit: shared by the search and the suggestions.
#pragma once

#include <nlohmann/json.hpp>

#include "http/dto.h"
#include "usecase/knowledge.h"

namespace tandem::http {

// `highlight` is plain text in pieces, `mark` on the query's terms: the page escapes it.
inline nlohmann::json knowledge_hit_json(const usecase::KnowledgeHit& h) {
  auto pieces = [](const std::vector<search::Snippet>& snippets) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& piece : snippets) out.push_back({{"text", piece.text}, {"mark", piece.marked}});
    return out;
  };
  return {{"kind", h.kind},
          {"id", h.id},
          {"title", h.title},
          {"topic_id", h.topic_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.topic_id)},
          {"language", h.language},
          {"service_ids", h.service_ids},
          {"title_highlight", pieces(h.title_highlight)},
          {"highlight", pieces(h.highlight)},
          {"score", h.score},
          {"updated_at", time_text(h.updated_at)}};
}

}  // namespace tandem::http
