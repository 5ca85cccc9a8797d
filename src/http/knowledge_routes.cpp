// KB-1, REL-2: knowledge articles, suggestions while a ticket is written, deflections and their
// report. Knowledge search is part of GET /api/v1/search (tickets_routes.cpp).
#include <charconv>

#include "http/definition_routes.h"
#include "http/dto.h"
#include "http/audience_json.h"
#include "http/json_body.h"
#include "http/knowledge_json.h"
#include "http/report_formats.h"
#include "http/routes.h"
#include "usecase/knowledge.h"

namespace tandem::http {
namespace {

using knowledge::ArticleState;

// Who else an article is for is the provider's business: consumers are not shown its audience.
Json article_json(const usecase::ArticleView& v, bool staff) {
  const auto& a = v.article;
  Json out = {{"id", a.id},
          {"state", knowledge::to_string(a.state)},
          {"language", v.text.language},
          {"original_language", a.language},
          {"languages", v.languages},
          {"title", v.text.title},
          {"body", v.text.body},
          {"body_html", v.body_html},
          {"text_version", v.text.number},
          {"author_id", a.author_id},
          {"text_author_id", v.text.author_id},
          {"audience", audience_json(a.audience)},
          {"service_ids", a.service_ids},
          {"source_post_id", a.source_post_id ? Json(*a.source_post_id) : Json(nullptr)},
          {"feedback", {{"helpful", v.helpful}, {"unhelpful", v.unhelpful}}},
          {"version", a.version},
          {"created_at", time_text(a.created_at)},
          {"updated_at", time_text(a.updated_at)},
          {"text_updated_at", time_text(v.text.created_at)},
          {"published_at", nullable_time(a.published_at)}};
  if (!staff) out.erase("audience");
  return out;
}

Response article_response(int status, const usecase::ArticleView& v, bool staff) {
  Response out = json_response(status, article_json(v, staff));
  out.set_header("ETag", etag_of(v.article.version));
  if (status == 201) out.set_header("Location", "/api/v1/articles/" + v.article.id);
  return out;
}


Result<std::int64_t> positive_number(const Request& r, const std::string& name, bool required) {
  auto text = r.query_value(name);
  std::int64_t out = 0;
  if (!text && !required) return out;
  if (text) {
    auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), out);
    if (ec == std::errc() && p == text->data() + text->size() && out >= 0) return out;
  }
  Error e(Code::invalid_argument, "Some query parameters are invalid.");
  e.details.push_back({name, "must be a version number"});
  return fail(std::move(e));
}

}  // namespace

void register_knowledge_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add("POST", "/api/v1/articles", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"title", "body", "language", "audience", "service_ids"});
    usecase::NewArticle in;
    in.title = f.text("title", true).value_or("");
    in.body = f.text("body", true).value_or("");
    in.language = f.text("language", true).value_or("");
    if (auto a = audience_of(f, body)) in.audience = std::move(*a);
    in.service_ids = f.texts("service_ids").value_or(std::vector<std::string>{});
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto created, usecase::create_article(s, r.actor(), in));
    return article_response(201, created, r.actor().staff());
  });

  router.add("GET", "/api/v1/articles", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"limit", "cursor", "state", "service_id", "language", "lang"}));
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    storage::ArticleFilter filter;
    if (auto state = r.query_value("state")) {
      filter.state = knowledge::parse_article_state(*state);
      if (!filter.state) {
        Error e(Code::invalid_argument, "Some query parameters are invalid.");
        e.details.push_back({"state", "allowed: draft, review, published, archived"});
        return fail(std::move(e));
      }
    }
    filter.service_id = r.query_value("service_id");
    filter.language = r.query_value("language");
    ASSIGN_OR_RETURN(auto page, usecase::list_articles(s, r.actor(), filter, {paging.first, paging.second}, r.query_value("lang").value_or("")));
    Json items = Json::array();
    for (const auto& v : page.items) {
      auto item = article_json(v, r.actor().staff());
      item.erase("body");  // a list is for finding; the article's read has the text
      item.erase("body_html");
      items.push_back(std::move(item));
    }
    return page_response(std::move(items), page.next_after);
  });

  router.add("GET", "/api/v1/articles/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"lang"}));
    ASSIGN_OR_RETURN(auto found, usecase::get_article(s, r.actor(), r.param("id"), r.query_value("lang").value_or("")));
    return article_response(200, found, r.actor().staff());
  });

  router.add("PATCH", "/api/v1/articles/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"title", "body", "language", "state", "audience", "service_ids"});
    usecase::ArticlePatch patch;
    patch.title = f.text("title");
    patch.body = f.text("body");
    patch.language = f.text("language");
    if (auto state = f.text("state")) {
      patch.state = knowledge::parse_article_state(*state);
      if (patch.state == ArticleState::published) patch.state.reset();
      if (!patch.state) f.problem("state", "allowed: draft, review, archived (publish with POST …/publish)");
    }
    if (body.contains("audience")) patch.audience = audience_of(f, body).value_or(usecase::AudienceInput{});
    if (body.contains("service_ids")) patch.service_ids = body["service_ids"].is_null() ? std::vector<std::string>{} : f.texts("service_ids").value_or(std::vector<std::string>{});
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto updated, usecase::update_article(s, r.actor(), r.param("id"), version, patch));
    return article_response(200, updated, r.actor().staff());
  });

  router.add("POST", "/api/v1/articles/{id}/publish", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto published, usecase::publish_article(s, r.actor(), r.param("id")));
    return article_response(200, published, r.actor().staff());
  });

  router.add("GET", "/api/v1/articles/{id}/versions", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto versions, usecase::article_versions(s, r.actor(), r.param("id")));
    Json items = Json::array();
    for (const auto& v : versions)
      items.push_back({{"language", v.text.language},
                       {"number", v.text.number},
                       {"title", v.text.title},
                       {"body", v.text.body},
                       {"body_html", v.body_html},
                       {"author_id", v.text.author_id},
                       {"created_at", time_text(v.text.created_at)},
                       {"feedback", {{"helpful", v.helpful}, {"unhelpful", v.unhelpful}}}});
    return page_response(std::move(items), std::nullopt);
  });

  router.add("GET", "/api/v1/articles/{id}/diff", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"language", "from", "to"}));
    ASSIGN_OR_RETURN(auto from, positive_number(r, "from", false));
    ASSIGN_OR_RETURN(auto to, positive_number(r, "to", true));
    auto language = r.query_value("language").value_or("");
    if (language.empty()) {
      ASSIGN_OR_RETURN(auto found, usecase::get_article(s, r.actor(), r.param("id")));
      language = found.article.language;
    }
    ASSIGN_OR_RETURN(auto lines, usecase::article_diff(s, r.actor(), r.param("id"), language, from, to));
    Json out = Json::array();
    for (const auto& line : lines)
      out.push_back({{"op", line.op == markup::DiffLine::Op::same ? "same" : line.op == markup::DiffLine::Op::added ? "added" : "removed"},
                     {"text", line.text}});
    return json_response(200, {{"language", language}, {"from", from}, {"to", to}, {"lines", out}});
  });

  router.add("POST", "/api/v1/articles/{id}/feedback", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"helpful", "comment", "language"});
    usecase::ArticleFeedback in;
    auto helpful = f.boolean("helpful");
    if (!helpful && !body.contains("helpful")) f.problem("helpful", "is required");
    in.helpful = helpful.value_or(false);
    in.comment = f.text("comment");
    if (in.comment && in.comment->size() > 2000) f.problem("comment", "must be at most 2000 bytes");
    in.language = f.text("language");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto v, usecase::give_article_feedback(s, r.actor(), r.param("id"), in));
    return json_response(201, {{"article_id", v.article.id},
                               {"language", v.text.language},
                               {"text_version", v.text.number},
                               {"helpful", in.helpful},
                               {"feedback", {{"helpful", v.helpful}, {"unhelpful", v.unhelpful}}}});
  });

  router.add("GET", "/api/v1/knowledge/image-hosts", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto hosts, usecase::image_hosts(s, r.actor()));
    Response out = json_response(200, {{"hosts", hosts.hosts}});
    out.set_header("ETag", etag_of(hosts.version));
    return out;
  });
  router.add("PUT", "/api/v1/knowledge/image-hosts", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"hosts"});
    auto hosts = f.texts("hosts");
    if (!hosts && !body.contains("hosts")) f.problem("hosts", "is required");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto saved, usecase::set_image_hosts(s, r.actor(), hosts.value_or(std::vector<std::string>{}), version));
    Response out = json_response(200, {{"hosts", saved.hosts}});
    out.set_header("ETag", etag_of(saved.version));
    return out;
  });

  router.add("GET", "/api/v1/suggestions", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"q", "service_id"}));
    ASSIGN_OR_RETURN(auto hits, usecase::suggest(s, r.actor(), r.query_value("q").value_or(""), r.query_value("service_id")));
    Json items = Json::array();
    for (const auto& h : hits) items.push_back(knowledge_hit_json(h));
    return page_response(std::move(items), std::nullopt);
  });

  router.add("POST", "/api/v1/deflections", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"kind", "id", "service_id", "query"});
    usecase::NewDeflection in;
    in.kind = f.text("kind").value_or("article");
    in.target_id = f.text("id", true).value_or("");
    in.service_id = f.text("service_id");
    in.query = f.text("query").value_or("");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto d, usecase::record_deflection(s, r.actor(), in));
    return json_response(201, {{"id", d.id},
                               {"kind", d.kind},
                               {"target_id", d.target_id},
                               {"service_id", d.service_id ? Json(*d.service_id) : Json(nullptr)},
                               {"query", d.query},
                               {"created_at", time_text(d.created_at)}});
  });

  router.add("GET", "/api/v1/reports/deflection", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto window, report_window(r, s.clock.now()));
    auto format = report_format_of(r);
    auto [from, to] = window;
    ASSIGN_OR_RETURN(auto rows, usecase::deflection_report(s, r.actor(), to_millis(from), to_millis(to)));
    Json items = Json::array();
    feedback::Table table{"Deflection", {"service_id", "deflections", "tickets", "rate"}, {}};
    std::int64_t deflections = 0, tickets = 0;
    for (const auto& row : rows) {
      deflections += row.deflections;
      tickets += row.tickets;
      items.push_back({{"service_id", row.service_id ? Json(*row.service_id) : Json(nullptr)},
                       {"deflections", row.deflections},
                       {"tickets", row.tickets},
                       {"rate", row.rate}});
      table.rows.push_back({row.service_id.value_or("none"), std::int64_t(row.deflections), std::int64_t(row.tickets), feedback::rounded(row.rate)});
    }
    auto total = deflections + tickets;
    double rate = total ? double(deflections) / double(total) : 0.0;
    table.rows.push_back({std::string("total"), deflections, tickets, feedback::rounded(rate)});
    Json body{{"from", to_rfc3339(from)},
              {"to", to_rfc3339(to)},
              {"services", items},
              {"total", {{"deflections", deflections}, {"tickets", tickets}, {"rate", rate}}}};
    return report_response(format, "deflection", to_rfc3339(to).substr(0, 10), std::move(body), {&table, 1});
  });
}

}  // namespace tandem::http
