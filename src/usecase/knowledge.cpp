#include "usecase/knowledge.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/id.h"
#include "domain/knowledge/ranking.h"
#include "domain/markup/markdown.h"
#include "storage/community.h"
#include "usecase/community.h"
#include "usecase/json_setting.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using knowledge::ArticleState;
using storage::Scope;

Error not_found_article() { return Error(Code::not_found, "No such article."); }


// A reader who is not staff asks in their own language; staff see the original unless they ask.
std::string wanted_language(const identity::Actor& actor, std::string_view asked) {
  return std::string(asked.empty() ? std::string_view(actor.language) : asked);
}

Result<ArticleView> view_of(storage::Connection& c, storage::Article article, std::string_view language) {
  ArticleView v;
  ASSIGN_OR_RETURN(auto texts, storage::articles::current_texts(c, article.id));
  for (const auto& t : texts) v.languages.push_back(t.language);
  auto served = knowledge::served_language(language, article.language, v.languages);
  for (auto& t : texts)
    if (t.language == served) v.text = std::move(t);
  if (v.text.article_id.empty() && !texts.empty()) v.text = texts.front();
  ASSIGN_OR_RETURN(auto policy, image_policy(c));
  v.body_html = markup::markdown_to_html(v.text.body, policy);
  ASSIGN_OR_RETURN(auto feedback, storage::articles::feedback(c, article.id));
  for (const auto& f : feedback)
    if (f.language == v.text.language && f.number == v.text.number) v.helpful = f.helpful, v.unhelpful = f.unhelpful;
  v.article = std::move(article);
  return v;
}

void check_article_text(Problems& p, const std::optional<std::string>& title, const std::optional<std::string>& body) {
  if (title) check_text(p, "title", trimmed(*title), 200);
  if (body) {
    if (trimmed(*body).empty()) p.add("body", "must not be blank");
    else if (body->size() > kMaxArticleBody) p.add("body", fmt::format("must be at most {} bytes", kMaxArticleBody));
  }
}

// The index holds a published article's current texts, and nothing of any other.
Result<void> reindex(storage::Connection& c, const storage::Article& a) {
  TRY(storage::knowledge_index::remove(c, "article", a.id));
  if (a.state != ArticleState::published) return {};
  ASSIGN_OR_RETURN(auto texts, storage::articles::current_texts(c, a.id));
  ASSIGN_OR_RETURN(auto feedback, storage::articles::feedback(c, a.id));
  std::int64_t helpful = 0, unhelpful = 0;
  for (const auto& f : feedback) helpful += f.helpful, unhelpful += f.unhelpful;
  for (const auto& t : texts)
    TRY(storage::knowledge_index::put(c, {"article", a.id, a.id, t.language, a.service_ids, t.title, markup::markdown_to_text(t.body),
                                          helpful, unhelpful, a.updated_at}));
  return {};
}

// What an audit entry's digest covers: the state, who may read it and what it is about (the
// texts are versioned with their authors apart).
std::string canonical(const storage::Article& a) {
  std::string roles;
  for (auto role : a.audience.roles) roles += std::string(identity::to_string(role)) + ",";
  return fmt::format("state={} version={} language={} organizations={} roles={} offerings={} services={}", knowledge::to_string(a.state),
                     a.version, a.language, fmt::join(a.audience.organization_ids, ","), roles, fmt::join(a.audience.offering_ids, ","),
                     fmt::join(a.service_ids, ","));
}

Result<storage::Article> load_for_change(storage::Connection& c, const identity::Actor& actor, std::string_view id) {
  storage::KnowledgeReader staff{Scope::for_actor(actor), {}};
  ASSIGN_OR_RETURN(auto found, storage::articles::find(c, staff, id, storage::Lock::for_update));
  if (!found) return fail(not_found_article());
  return std::move(*found);
}

Result<void> check_offset(int offset) {
  if (offset >= 0 && offset <= storage::knowledge_index::kCandidates) return {};
  Error e(Code::invalid_argument, "Some query parameters are invalid.");
  e.details.push_back({"cursor", "is not a cursor this server gave out"});
  return fail(std::move(e));
}

}  // namespace

namespace {
constexpr std::string_view kImageSetting = "knowledge:images";

bool is_host_name(const std::string& host) {
  return !host.empty() && host.size() <= 253 && host.front() != '.' && host.back() != '.' && host.find("..") == std::string::npos &&
         std::ranges::all_of(host, [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-'; });
}
}  // namespace

Result<markup::SanitizePolicy> image_policy(storage::Connection& c) {
  ASSIGN_OR_RETURN(auto setting, read_json_setting(c, std::string(kImageSetting)));
  markup::SanitizePolicy policy;
  if (auto hosts = setting.value.find("hosts"); hosts != setting.value.end() && hosts->is_array())
    for (const auto& h : *hosts)
      if (h.is_string()) policy.image_hosts.push_back(h.get<std::string>());
  return policy;
}

Result<ImageHosts> image_hosts(const Services& s, const identity::Actor& actor) {
  TRY(authorize(actor, "knowledge.write"));
  return s.db.read([&](storage::Connection& c) -> Result<ImageHosts> {
    ASSIGN_OR_RETURN(auto setting, read_json_setting(c, std::string(kImageSetting)));
    ASSIGN_OR_RETURN(auto policy, image_policy(c));
    return ImageHosts{policy.image_hosts, setting.version};
  });
}

Result<ImageHosts> set_image_hosts(const Services& s, const identity::Actor& actor, const std::vector<std::string>& hosts,
                                   std::int64_t version) {
  TRY(authorize(actor, "knowledge.settings"));
  Problems p;
  std::vector<std::string> clean;
  for (const auto& h : hosts) {
    std::string host = h;
    std::ranges::transform(host, host.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    if (!is_host_name(host)) p.add("hosts", fmt::format("is not a host name: {}", h));
    else if (std::ranges::find(clean, host) == clean.end()) clean.push_back(host);
  }
  if (clean.size() > 50) p.add("hosts", "at most 50 hosts");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<ImageHosts> {
    nlohmann::json value{{"hosts", clean}};
    TRY(write_json_setting(c, std::string(kImageSetting), value, version, to_millis(s.clock.now()),
                           "The image hosts changed since you read them."));
    TRY(record(c, s, actor, {"knowledge.image_hosts", "setting", std::string(kImageSetting), "", std::nullopt, value.dump()}));
    return ImageHosts{clean, version + 1};
  });
}

knowledge::Audience audience_of(const AudienceInput& in, Problems& p) {
  knowledge::Audience out{in.organization_ids, {}, in.offering_ids};
  for (const auto& name : in.roles) {
    if (auto role = identity::parse_role(name)) out.roles.push_back(*role);
    else p.add("audience.roles", fmt::format("names no role: {}", name));
  }
  return out;
}

Result<void> check_references(storage::Connection& c, Problems& p, const knowledge::Audience* audience,
                              const std::vector<std::string>* service_ids, const std::string& services_field) {
  auto missing = [&](std::string_view table, const std::vector<std::string>& ids, const std::string& field) -> Result<void> {
    ASSIGN_OR_RETURN(auto gone, storage::missing_ids(c, table, ids));
    for (const auto& id : gone) p.add(field, fmt::format("names no such record: {}", id));
    return {};
  };
  if (audience) {
    TRY(missing("organizations", audience->organization_ids, "audience.organization_ids"));
    TRY(missing("offerings", audience->offering_ids, "audience.offering_ids"));
  }
  if (service_ids) TRY(missing("services", *service_ids, services_field));
  return {};
}

Result<storage::KnowledgeReader> knowledge_reader(storage::Connection& c, const Services& s, const identity::Actor& actor) {
  storage::KnowledgeReader who{Scope::for_actor(actor), {actor.organization_id, actor.roles, {}}};
  if (!actor.staff() && !actor.organization_id.empty()) {
    ASSIGN_OR_RETURN(who.reader.offering_ids,
                     storage::offerings_held(c, actor.organization_id, actor.user_id, to_millis(s.clock.now())));
  }
  return who;
}

Result<ArticleView> create_article(const Services& s, const identity::Actor& actor, const NewArticle& in) {
  TRY(authorize(actor, "knowledge.write"));
  Problems p;
  check_article_text(p, in.title, in.body);
  if (!identity::is_supported_language(in.language)) p.add("language", "must be one of: en, zh-CN");
  auto audience = audience_of(in.audience, p);
  return s.db.write([&](storage::Connection& c) -> Result<ArticleView> {
    TRY(check_references(c, p, &audience, &in.service_ids));
    if (p.any()) return fail(p.error());
    auto now = to_millis(s.clock.now());
    storage::Article a;
    a.id = new_id("art", s.clock.now());
    a.language = in.language;
    a.author_id = in.author_id.value_or(actor.user_id);
    a.source_post_id = in.source_post_id;
    a.created_at = a.updated_at = now;
    a.audience = audience;
    a.service_ids = in.service_ids;
    TRY(storage::articles::insert(c, a));
    TRY(storage::articles::add_text(c, {a.id, a.language, 1, trimmed(in.title), in.body, a.author_id, now}));
    TRY(record(c, s, actor, {"article.create", "article", a.id, "", std::nullopt, canonical(a)}));
    auto language = a.language;
    return view_of(c, std::move(a), language);
  });
}

Result<ArticleView> get_article(const Services& s, const identity::Actor& actor, std::string_view id, std::string_view language) {
  return s.db.read([&](storage::Connection& c) -> Result<ArticleView> {
    ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
    ASSIGN_OR_RETURN(auto found, storage::articles::find(c, who, id));
    if (!found) return fail(not_found_article());
    return view_of(c, std::move(*found), wanted_language(actor, language));
  });
}

Result<storage::Page<ArticleView>> list_articles(const Services& s, const identity::Actor& actor, const storage::ArticleFilter& filter,
                                                 const storage::PageRequest& page, std::string_view language) {
  return s.db.read([&](storage::Connection& c) -> Result<storage::Page<ArticleView>> {
    ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
    ASSIGN_OR_RETURN(auto found, storage::articles::list(c, who, filter, page));
    storage::Page<ArticleView> out{{}, found.next_after};
    for (auto& a : found.items) {
      ASSIGN_OR_RETURN(auto v, view_of(c, std::move(a), wanted_language(actor, language)));
      out.items.push_back(std::move(v));
    }
    return out;
  });
}

Result<ArticleView> update_article(const Services& s, const identity::Actor& actor, std::string_view id, std::int64_t version,
                                   const ArticlePatch& patch) {
  TRY(authorize(actor, "knowledge.write"));
  Problems p;
  check_article_text(p, patch.title, patch.body);
  if (patch.language && !identity::is_supported_language(*patch.language)) p.add("language", "must be one of: en, zh-CN");
  std::optional<knowledge::Audience> audience;
  if (patch.audience) audience = audience_of(*patch.audience, p);
  return s.db.write([&](storage::Connection& c) -> Result<ArticleView> {
    TRY(check_references(c, p, audience ? &*audience : nullptr, patch.service_ids ? &*patch.service_ids : nullptr));
    ASSIGN_OR_RETURN(auto a, load_for_change(c, actor, id));
    auto language = patch.language.value_or(a.language);
    ASSIGN_OR_RETURN(auto texts, storage::articles::current_texts(c, a.id));
    auto current = std::ranges::find_if(texts, [&](const storage::ArticleText& t) { return t.language == language; });
    if (current == texts.end() && (patch.title || patch.body) && !(patch.title && patch.body))
      p.add(patch.title ? "body" : "title", "is needed for a new translation");
    if (patch.language && !patch.title && !patch.body) p.add("language", "names the text changed; give title or body with it");
    if (p.any()) return fail(p.error());
    if (a.version != version) return fail(Code::failed_precondition, "The article changed since you read it.", "version_mismatch");
    auto before = canonical(a);
    if (patch.state && *patch.state != a.state) {
      if (!knowledge::can_move(a.state, *patch.state))
        return fail(Code::conflict,
                    fmt::format("An article in {} cannot move to {}{}.", knowledge::to_string(a.state), knowledge::to_string(*patch.state),
                                *patch.state == ArticleState::published ? " (publish it instead)" : ""),
                    "invalid_transition");
      if (*patch.state == ArticleState::archived) TRY(authorize(actor, "knowledge.publish"));
      a.state = *patch.state;
    }
    auto now = to_millis(s.clock.now());
    if (patch.title || patch.body) {
      storage::ArticleText t;
      if (current != texts.end()) t = *current;
      t.article_id = a.id;
      t.language = language;
      t.number = current != texts.end() ? current->number + 1 : 1;
      if (patch.title) t.title = trimmed(*patch.title);
      if (patch.body) t.body = *patch.body;
      t.author_id = actor.user_id;
      t.created_at = now;
      TRY(storage::articles::add_text(c, t));
    }
    if (audience) a.audience = *audience;
    if (patch.service_ids) a.service_ids = *patch.service_ids;
    a.version += 1;
    a.updated_at = now;
    TRY(storage::articles::update(c, a));
    TRY(reindex(c, a));
    TRY(record(c, s, actor, {"article.update", "article", a.id, "", before, canonical(a)}));
    return view_of(c, std::move(a), language);
  });
}

Result<ArticleView> publish_article(const Services& s, const identity::Actor& actor, std::string_view id) {
  TRY(authorize(actor, "knowledge.publish"));
  return s.db.write([&](storage::Connection& c) -> Result<ArticleView> {
    ASSIGN_OR_RETURN(auto a, load_for_change(c, actor, id));
    if (!knowledge::can_publish(a.state))
      return fail(Code::conflict, fmt::format("An article in {} cannot be published.", knowledge::to_string(a.state)), "invalid_transition");
    auto before = canonical(a);
    auto now = to_millis(s.clock.now());
    a.state = ArticleState::published;
    a.published_at = now;
    a.updated_at = now;
    a.version += 1;
    TRY(storage::articles::update(c, a));
    TRY(reindex(c, a));
    TRY(record(c, s, actor, {"article.publish", "article", a.id, "", before, canonical(a)}));
    auto language = a.language;
    return view_of(c, std::move(a), language);
  });
}

Result<std::vector<ArticleVersionView>> article_versions(const Services& s, const identity::Actor& actor, std::string_view id) {
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<ArticleVersionView>> {
    ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
    ASSIGN_OR_RETURN(auto found, storage::articles::find(c, who, id));
    if (!found) return fail(not_found_article());
    ASSIGN_OR_RETURN(auto texts, storage::articles::versions(c, id));
    ASSIGN_OR_RETURN(auto feedback, storage::articles::feedback(c, id));
    ASSIGN_OR_RETURN(auto policy, image_policy(c));
    std::vector<ArticleVersionView> out;
    for (auto& t : texts) {
      ArticleVersionView v{std::move(t), {}, 0, 0};
      v.body_html = markup::markdown_to_html(v.text.body, policy);
      for (const auto& f : feedback)
        if (f.language == v.text.language && f.number == v.text.number) v.helpful = f.helpful, v.unhelpful = f.unhelpful;
      out.push_back(std::move(v));
    }
    return out;
  });
}

Result<std::vector<markup::DiffLine>> article_diff(const Services& s, const identity::Actor& actor, std::string_view id,
                                                   std::string_view language, std::int64_t from, std::int64_t to) {
  ASSIGN_OR_RETURN(auto all, article_versions(s, actor, id));
  const storage::ArticleText* before = nullptr;
  const storage::ArticleText* after = nullptr;
  for (const auto& v : all) {
    if (v.text.language != language) continue;
    if (v.text.number == from) before = &v.text;
    if (v.text.number == to) after = &v.text;
  }
  Problems p;
  if (from != 0 && !before) p.add("from", "names no version of this language");
  if (!after) p.add("to", "names no version of this language");
  if (p.any()) return fail(p.error());
  auto text_of = [](const storage::ArticleText* t) { return t ? "# " + t->title + "\n\n" + t->body : std::string(); };
  return markup::diff_lines(text_of(before), text_of(after));
}

Result<ArticleView> give_article_feedback(const Services& s, const identity::Actor& actor, std::string_view id, const ArticleFeedback& in) {
  Problems p;
  if (in.comment && in.comment->size() > 2000) p.add("comment", "must be at most 2000 bytes");
  if (in.language && !identity::is_supported_language(*in.language)) p.add("language", "must be one of: en, zh-CN");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<ArticleView> {
    ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
    ASSIGN_OR_RETURN(auto found, storage::articles::find(c, who, id));
    if (!found || found->state != ArticleState::published) return fail(not_found_article());
    ASSIGN_OR_RETURN(auto v, view_of(c, *found, wanted_language(actor, in.language.value_or(""))));
    std::optional<std::string> comment;
    if (in.comment && !trimmed(*in.comment).empty()) comment = trimmed(*in.comment);
    TRY(storage::articles::put_feedback(c, id, v.text.language, v.text.number, actor.user_id, in.helpful, comment,
                                        to_millis(s.clock.now())));
    ASSIGN_OR_RETURN(auto feedback, storage::articles::feedback(c, id));
    std::int64_t helpful = 0, unhelpful = 0;
    for (const auto& f : feedback) helpful += f.helpful, unhelpful += f.unhelpful;
    TRY(storage::knowledge_index::set_feedback(c, "article", id, helpful, unhelpful));
    if (in.helpful) TRY(credit_helpful_article(c, s, actor, *found));
    return view_of(c, std::move(*found), v.text.language);
  });
}

Result<KnowledgeResults> search_knowledge(const Services& s, const identity::Actor& actor, const KnowledgeSearch& in) {
  ASSIGN_OR_RETURN(auto terms, search::parse_query(in.q));
  if (in.question) terms = search::content_terms(std::move(terms));
  TRY(check_offset(in.offset));
  return s.db.read([&](storage::Connection& c) -> Result<KnowledgeResults> {
    ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
    ASSIGN_OR_RETURN(auto found, storage::knowledge_index::candidates(c, who, {terms, in.kinds, in.language, in.service_id, in.candidates}));
    auto now = to_millis(s.clock.now());
    struct Scored {
      storage::KnowledgeCandidate candidate;
      double score;
    };
    // One hit per article or post: its best-scoring language.
    std::map<std::pair<std::string, std::string>, Scored> best;
    for (auto& candidate : found) {
      double age_days = double(now - candidate.updated_at) / 86'400'000.0;
      double score = knowledge::hit_score(candidate.relevance, candidate.helpful, candidate.unhelpful, age_days);
      auto key = std::pair{candidate.kind, candidate.target_id};
      auto it = best.find(key);
      if (it == best.end() || score > it->second.score) best.insert_or_assign(key, Scored{std::move(candidate), score});
    }
    std::vector<Scored> order;
    for (auto& [_, scored] : best) order.push_back(std::move(scored));
    std::ranges::sort(order, [](const Scored& a, const Scored& b) {
      return a.score != b.score ? a.score > b.score : a.candidate.doc > b.candidate.doc;
    });
    KnowledgeResults out;
    std::map<std::string, std::int64_t> kinds, languages, services;
    for (const auto& o : order) {
      ++kinds[o.candidate.kind];
      ++languages[o.candidate.language];
      for (const auto& svc : o.candidate.service_ids) ++services[svc];
    }
    for (auto [into, from] : {std::pair{&out.kinds, &kinds}, {&out.languages, &languages}, {&out.services, &services}})
      for (const auto& [value, count] : *from) into->push_back({value, count});
    std::vector<std::int64_t> docs;
    for (std::size_t i = std::size_t(in.offset); i < order.size() && i < std::size_t(in.offset + in.limit); ++i)
      docs.push_back(order[i].candidate.doc);
    if (order.size() > std::size_t(in.offset + in.limit)) out.next_offset = in.offset + in.limit;
    ASSIGN_OR_RETURN(auto texts, storage::knowledge_index::texts(c, docs));
    std::map<std::int64_t, std::pair<std::string, std::string>> by_doc(texts.begin(), texts.end());
    for (std::size_t i = std::size_t(in.offset); i < order.size() && i < std::size_t(in.offset + in.limit); ++i) {
      auto& o = order[i].candidate;
      const auto& [title, content] = by_doc[o.doc];
      std::string topic_id;
      if (o.kind == "post" || o.kind == "answer") {
        ASSIGN_OR_RETURN(auto post, storage::posts::find(c, o.target_id));
        if (post) topic_id = post->topic_id;
      } else if (o.kind == "topic") {
        topic_id = o.target_id;
      }
      out.hits.push_back({o.kind, o.target_id, o.language, title, std::move(topic_id), o.service_ids,
                          search::highlight(title, terms, title.size() + 1), search::highlight(content, terms), order[i].score,
                          o.updated_at});
    }
    return out;
  });
}

Result<std::vector<KnowledgeHit>> suggest(const Services& s, const identity::Actor& actor, std::string_view q,
                                          const std::optional<std::string>& service_id) {
  // Suggestions follow typing: a query with no word yet has none, rather than an error; nor
  // has a single character, which matches half of everything.
  auto terms = search::parse_query(q);
  if (!terms || search::normalized_text(q).find_first_not_of(" ") == std::string::npos) return std::vector<KnowledgeHit>{};
  std::size_t characters = 0;
  for (unsigned char ch : search::normalized_text(q))
    if ((ch & 0xC0) != 0x80 && ch != ' ') ++characters;
  if (characters < 2) return std::vector<KnowledgeHit>{};
  // The best twenty by text, helpfulness and age, reordered for the service.
  KnowledgeSearch in{std::string(q), {"article", "answer"}, std::nullopt, std::nullopt, 20, 0, true, kSuggestionCandidates};
  ASSIGN_OR_RETURN(auto all, search_knowledge(s, actor, in));
  std::vector<KnowledgeHit> hits;
  for (auto& h : all.hits) hits.push_back(std::move(h));
  // Related to the service the user is asking about: first among equals (a far better match
  // elsewhere still leads).
  if (service_id)
    for (auto& h : hits)
      if (std::ranges::find(h.service_ids, *service_id) != h.service_ids.end()) h.score *= 1.5;
  std::ranges::stable_sort(hits, [](const KnowledgeHit& a, const KnowledgeHit& b) { return a.score > b.score; });
  if (hits.size() > std::size_t(kSuggestions)) hits.resize(kSuggestions);
  return hits;
}

Result<storage::Deflection> record_deflection(const Services& s, const identity::Actor& actor, const NewDeflection& in) {
  Problems p;
  if (in.kind != "article" && in.kind != "answer") p.add("kind", "must be article or answer");
  if (in.query.size() > 500) p.add("query", "must be at most 500 bytes");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::Deflection> {
    std::vector<std::string> services;
    if (in.service_id) services.push_back(*in.service_id);
    TRY(check_references(c, p, nullptr, &services));
    if (p.any()) return fail(p.error());
    ASSIGN_OR_RETURN(auto who, knowledge_reader(c, s, actor));
    if (in.kind == "answer") {
      TRY(check_post_readable(c, s, actor, in.target_id));
    } else {
      ASSIGN_OR_RETURN(auto found, storage::articles::find(c, who, in.target_id));
      if (!found || found->state != ArticleState::published) return fail(not_found_article());
    }
    storage::Deflection d;
    d.id = new_id("dfl", s.clock.now());
    d.user_id = actor.user_id;
    if (!actor.organization_id.empty()) d.organization_id = actor.organization_id;
    d.service_id = in.service_id;
    d.kind = in.kind;
    d.target_id = in.target_id;
    d.query = trimmed(in.query);
    d.created_at = to_millis(s.clock.now());
    TRY(storage::deflections::insert(c, d));
    return d;
  });
}

Result<std::vector<DeflectionRate>> deflection_report(const Services& s, const identity::Actor& actor, std::int64_t from, std::int64_t to) {
  TRY(authorize(actor, "knowledge.report"));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<DeflectionRate>> {
    ASSIGN_OR_RETURN(auto counts, storage::deflections::per_service(c, Scope::for_actor(actor), from, to));
    std::vector<DeflectionRate> out;
    for (const auto& n : counts) {
      auto total = n.deflections + n.tickets;
      out.push_back({n.service_id, n.deflections, n.tickets, total ? double(n.deflections) / double(total) : 0.0});
    }
    return out;
  });
}

}  // namespace tandem::usecase
