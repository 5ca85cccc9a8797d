// KB-1, REL-2: knowledge articles, their versions, translations, audiences, feedback and related
// services; the knowledge search index (articles now, community posts with COM-1); deflections.
// Audiences are enforced here, in the WHERE clause of every read a consumer makes: staff (a
// Scope that sees everything) read every article in every state; anyone else reads published
// articles whose audience holds them (domain/knowledge/article.h gives the same answer in C++).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/knowledge/article.h"
#include "domain/search/terms.h"
#include "storage/database.h"
#include "storage/scope.h"

namespace tandem::storage {

struct Article {
  std::string id;
  std::string language;  // the one it was written in
  knowledge::ArticleState state = knowledge::ArticleState::draft;
  std::string author_id;
  std::optional<std::string> source_post_id;  // COM-2: the answer it was promoted from
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> published_at;
  knowledge::Audience audience;
  std::vector<std::string> service_ids;
};

// One saved text of one language of an article.
struct ArticleText {
  std::string article_id;
  std::string language;
  std::int64_t number = 1;  // counted per language
  std::string title;
  std::string body;  // Markdown
  std::string author_id;
  std::int64_t created_at = 0;
};

struct VersionFeedback {
  std::string language;
  std::int64_t number = 0;
  std::int64_t helpful = 0;
  std::int64_t unhelpful = 0;
};

// Who reads knowledge: the storage scope, and for consumers what an audience asks about.
struct KnowledgeReader {
  Scope scope;
  knowledge::Reader reader;
};

struct ArticleFilter {
  std::optional<knowledge::ArticleState> state;  // staff only; consumers read published ones
  std::optional<std::string> service_id;
  std::optional<std::string> language;  // articles having a text in it
};

namespace articles {
Result<void> insert(Connection& c, const Article& a);
// State, version, times; audience and services replaced.
Result<void> update(Connection& c, const Article& a);
// The article when the reader may see it.
Result<std::optional<Article>> find(Connection& c, const KnowledgeReader& who, std::string_view id, Lock lock = Lock::none);
Result<Page<Article>> list(Connection& c, const KnowledgeReader& who, const ArticleFilter& filter, const PageRequest& page);
Result<void> add_text(Connection& c, const ArticleText& text);
// The newest text of each language, the article's own language first.
Result<std::vector<ArticleText>> current_texts(Connection& c, std::string_view article_id);
// Every saved text, by language then number.
Result<std::vector<ArticleText>> versions(Connection& c, std::string_view article_id);
// The reader's answer to "was this helpful" for one version, replacing an earlier one.
Result<void> put_feedback(Connection& c, std::string_view article_id, std::string_view language, std::int64_t number,
                          std::string_view user_id, bool helpful, const std::optional<std::string>& comment, std::int64_t at);
Result<std::vector<VersionFeedback>> feedback(Connection& c, std::string_view article_id);
}  // namespace articles

// The audience of an article or a space, replaced.
namespace audiences {
Result<void> put(Connection& c, std::string_view owner_id, const knowledge::Audience& audience);
Result<knowledge::Audience> get(Connection& c, std::string_view owner_id);
// A condition holding when the reader is in the audience of the owner in `owner_column`.
std::string condition(std::string_view owner_column, const KnowledgeReader& who, std::vector<Value>& params);
}  // namespace audiences

// The offerings whose tiers a consumer holds now (through their organisation or themselves).
Result<std::vector<std::string>> offerings_held(Connection& c, std::string_view organization_id, std::string_view user_id,
                                                std::int64_t at);

struct KnowledgeDoc {
  std::string kind;  // "article"; COM-1: "topic", "post", and "answer" for an accepted one
  std::string target_id;
  std::string owner_id;  // whose audience applies
  std::string language;
  std::vector<std::string> service_ids;
  std::string title;
  std::string content;  // plain text, for highlighting
  std::int64_t helpful = 0, unhelpful = 0;
  std::int64_t updated_at = 0;
};

struct KnowledgeQuery {
  std::vector<search::QueryTerm> terms;
  std::vector<std::string> kinds;  // any when empty
  std::optional<std::string> language;
  std::optional<std::string> service_id;
  int candidates = 1000;  // the newest matches ranked (knowledge_index::kCandidates)
};

struct KnowledgeCandidate {
  std::int64_t doc = 0;
  std::string kind, target_id, language;
  std::vector<std::string> service_ids;
  double relevance = 0;  // BM25 (SQLite) or ts_rank (PostgreSQL); larger is better
  std::int64_t helpful = 0, unhelpful = 0;
  std::int64_t updated_at = 0;
};

namespace knowledge_index {
// How many of the newest matching documents a search ranks (as for tickets, docs/adr/0003).
inline constexpr int kCandidates = 1000;
// Replaces the document of (kind, target, language); the new one is the newest.
Result<void> put(Connection& c, const KnowledgeDoc& doc);
// Removes every language's document of the target.
Result<void> remove(Connection& c, std::string_view kind, std::string_view target_id);
Result<void> set_feedback(Connection& c, std::string_view kind, std::string_view target_id, std::int64_t helpful,
                          std::int64_t unhelpful);
// An owner's audience or language changed: its documents follow (their number stays).
Result<void> owner_changed(Connection& c, std::string_view owner_id, std::string_view language);
// OFF-1: a document's title and text rewritten in place (a person's data redacted), its terms
// with them; its number, and so its age, stay.
Result<void> retext(Connection& c, std::int64_t doc, const std::string& title, const std::string& content);
// The newest `q.candidates` documents the reader may see holding every term, newest first.
Result<std::vector<KnowledgeCandidate>> candidates(Connection& c, const KnowledgeReader& who, const KnowledgeQuery& q);
// The documents' titles and contents, by doc number.
Result<std::vector<std::pair<std::int64_t, std::pair<std::string, std::string>>>> texts(Connection& c,
                                                                                        const std::vector<std::int64_t>& docs);
}  // namespace knowledge_index

struct Deflection {
  std::string id;
  std::string user_id;
  std::optional<std::string> organization_id;
  std::optional<std::string> service_id;
  std::string kind, target_id, query;
  std::int64_t created_at = 0;
};

struct DeflectionCount {
  std::optional<std::string> service_id;
  std::int64_t deflections = 0;
  std::int64_t tickets = 0;  // raised by consumers in the period
};

namespace deflections {
Result<void> insert(Connection& c, const Deflection& d);
// Per service (none: no service named), deflections and consumers' tickets in [from, to),
// within the scope (a customer: their organisation).
Result<std::vector<DeflectionCount>> per_service(Connection& c, const Scope& scope, std::int64_t from, std::int64_t to);
}  // namespace deflections

}  // namespace tandem::storage

namespace tandem::storage {
// Of `ids`, those with no row in `table` (organizations, services or offerings).
Result<std::vector<std::string>> missing_ids(Connection& c, std::string_view table, const std::vector<std::string>& ids);
}  // namespace tandem::storage
