// KB-1, REL-2: knowledge articles — written by staff in Markdown, rendered and sanitised on the
// server, versioned per language with their authors, translated with fallback to the original,
// read by their audience only, published from draft or review, rated per version — and search
// and suggestions over them, and deflections counted per service.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/markup/diff.h"
#include "domain/markup/sanitizer.h"
#include "domain/search/highlight.h"
#include "storage/knowledge.h"
#include "usecase/context.h"
#include "usecase/validation.h"

namespace tandem::usecase {

inline constexpr std::size_t kMaxArticleBody = 200'000;  // bytes of Markdown

// Who reads knowledge and the community (their audience's facts read now): for use cases that
// read articles or spaces inside their own transaction.
Result<storage::KnowledgeReader> knowledge_reader(storage::Connection& c, const Services& s, const identity::Actor& actor);

// KB-1: the hosts whose images articles and posts may embed (besides our attachments), a
// setting administrators change; read with the texts they render.
Result<markup::SanitizePolicy> image_policy(storage::Connection& c);
struct ImageHosts {
  std::vector<std::string> hosts;
  std::int64_t version = 1;
};
Result<ImageHosts> image_hosts(const Services& s, const identity::Actor& actor);
Result<ImageHosts> set_image_hosts(const Services& s, const identity::Actor& actor, const std::vector<std::string>& hosts,
                                   std::int64_t version);

struct ArticleView {
  storage::Article article;
  storage::ArticleText text;           // in the language served
  std::vector<std::string> languages;  // every language it has, its own first
  std::string body_html;               // sanitised
  std::int64_t helpful = 0, unhelpful = 0;  // of the served version
};

// An audience as given: roles by name, checked with the rest of the request.
struct AudienceInput {
  std::vector<std::string> organization_ids, roles, offering_ids;
};

// The audience given (roles named), with a problem under "audience.roles" for each unknown role.
knowledge::Audience audience_of(const AudienceInput& in, Problems& p);
// Problems for the organisations and offerings an audience names that do not exist, and for
// unknown services (under `services_field`).
Result<void> check_references(storage::Connection& c, Problems& p, const knowledge::Audience* audience,
                              const std::vector<std::string>* service_ids, const std::string& services_field = "service_ids");

struct NewArticle {
  std::string title, body, language;
  AudienceInput audience;
  std::vector<std::string> service_ids;
  std::optional<std::string> source_post_id;  // COM-2
  std::optional<std::string> author_id;       // COM-2: the post's author; the actor otherwise
};
Result<ArticleView> create_article(const Services& s, const identity::Actor& actor, const NewArticle& in);

// `language`: the reader's choice; their own language when empty.
Result<ArticleView> get_article(const Services& s, const identity::Actor& actor, std::string_view id, std::string_view language = {});
Result<storage::Page<ArticleView>> list_articles(const Services& s, const identity::Actor& actor, const storage::ArticleFilter& filter,
                                                 const storage::PageRequest& page, std::string_view language = {});

struct ArticlePatch {
  std::optional<std::string> title, body;
  std::optional<std::string> language;  // the text changed: a new translation when the article lacks it
  std::optional<knowledge::ArticleState> state;
  std::optional<AudienceInput> audience;
  std::optional<std::vector<std::string>> service_ids;
};
Result<ArticleView> update_article(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t version,
                                   const ArticlePatch& patch);
Result<ArticleView> publish_article(const Services& s, const identity::Actor& actor, std::string_view id);

struct ArticleVersionView {
  storage::ArticleText text;
  std::string body_html;
  std::int64_t helpful = 0, unhelpful = 0;
};
Result<std::vector<ArticleVersionView>> article_versions(const Services& s, const identity::Actor& actor, std::string_view id);
// Lines of version `to` against `from` of one language (`from` 0: against nothing).
Result<std::vector<markup::DiffLine>> article_diff(const Services& s, const identity::Actor& actor, std::string_view id,
                                                   std::string_view language, std::int64_t from, std::int64_t to);

struct ArticleFeedback {
  bool helpful = false;
  std::optional<std::string> comment;
  std::optional<std::string> language;  // the served one when absent
};
Result<ArticleView> give_article_feedback(const Services& s, const identity::Actor& actor, std::string_view id, const ArticleFeedback& in);

struct KnowledgeSearch {
  std::string q;
  std::vector<std::string> kinds;  // any when empty
  std::optional<std::string> language, service_id;
  int limit = 20;
  int offset = 0;
  bool question = false;  // REL-2: a question as typed into a ticket: its function words are dropped
  int candidates = storage::knowledge_index::kCandidates;  // the newest matches ranked
};
struct KnowledgeHit {
  std::string kind, id, language, title;
  std::string topic_id;  // of a post or an answer (COM-1)
  std::vector<std::string> service_ids;
  std::vector<search::Snippet> title_highlight, highlight;
  double score = 0;
  std::int64_t updated_at = 0;
};
struct Facet {
  std::string value;
  std::int64_t count = 0;
};
struct KnowledgeResults {
  std::vector<KnowledgeHit> hits;
  std::optional<int> next_offset;
  std::vector<Facet> kinds, languages, services;
};
Result<KnowledgeResults> search_knowledge(const Services& s, const identity::Actor& actor, const KnowledgeSearch& in);

// REL-2: the best few articles and accepted answers for what a user is typing; those related to
// `service_id` first. Asked at every pause in typing, they rank fewer of the newest matches than
// a search does.
inline constexpr int kSuggestions = 5;
inline constexpr int kSuggestionCandidates = 200;
Result<std::vector<KnowledgeHit>> suggest(const Services& s, const identity::Actor& actor, std::string_view q,
                                          const std::optional<std::string>& service_id);

struct NewDeflection {
  std::string kind, target_id, query;
  std::optional<std::string> service_id;
};
Result<storage::Deflection> record_deflection(const Services& s, const identity::Actor& actor, const NewDeflection& in);

struct DeflectionRate {
  std::optional<std::string> service_id;
  std::int64_t deflections = 0, tickets = 0;
  double rate = 0;  // deflections / (deflections + tickets)
};
Result<std::vector<DeflectionRate>> deflection_report(const Services& s, const identity::Actor& actor, std::int64_t from, std::int64_t to);

}  // namespace tandem::usecase
