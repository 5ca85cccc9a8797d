// FDB-1: ratings (the portal's, and the one-click link of the resolution mail, a page of its own
// read without signing in); FDB-4: the public status page of each service and its Atom feed.
#include <algorithm>
#include <array>
#include <charconv>
#include <tuple>

#include <fmt/format.h>

#include "http/dto.h"
#include "http/html_page.h"
#include "http/json_body.h"
#include "http/report_formats.h"
#include "http/routes.h"
#include "storage/users.h"
#include "usecase/ratings.h"
#include "usecase/satisfaction_report.h"
#include "usecase/status_page.h"

namespace tandem::http {
namespace {

bool chinese(std::string_view language) { return language.starts_with("zh"); }
std::string_view lang_tag(std::string_view language) { return chinese(language) ? "zh-CN" : "en"; }

Json rating_json(const storage::Rating& r) {
  return {{"id", r.id},
          {"ticket_id", r.ticket_id},
          {"touchpoint", r.touchpoint},
          {"user_id", r.user_id},
          {"organization_id", r.organization_id},
          {"score", r.score},
          {"comment", r.comment},
          {"via", r.via},
          {"version", r.version},
          {"created_at", time_text(r.created_at)},
          {"updated_at", time_text(r.updated_at)}};
}

// ---- the satisfaction report -----------------------------------------------------------------

Json nullable_fraction(const feedback::Csat& c, double value) { return c.responses ? Json(feedback::rounded(value)) : Json(nullptr); }

Json satisfaction_json(const usecase::SatisfactionGroup& g) {
  auto c = g.csat();
  Json by_score = Json::object();
  for (std::size_t i = 0; i < g.by_score.size(); ++i) by_score[std::to_string(i + 1)] = g.by_score[i];
  return {{"key", g.key},
          {"name", g.name},
          {"responses", c.responses},
          {"satisfied", c.satisfied},
          {"csat", nullable_fraction(c, c.percent / 100.0)},
          {"mean", nullable_fraction(c, c.mean)},
          {"by_score", by_score}};
}

void append_scores(std::vector<feedback::Cell>& row, const std::array<std::int64_t, 5>& by_score) {
  auto c = feedback::csat(by_score);
  row.emplace_back(c.responses);
  for (auto n : by_score) row.emplace_back(n);
  row.emplace_back(c.satisfied);
  if (c.responses) {
    row.emplace_back(feedback::rounded(c.percent / 100.0));
    row.emplace_back(feedback::rounded(c.mean));
  } else {
    row.emplace_back(std::monostate{});
    row.emplace_back(std::monostate{});
  }
}

std::vector<std::string> score_columns(std::vector<std::string> leading) {
  for (auto name : {"responses", "score_1", "score_2", "score_3", "score_4", "score_5", "satisfied", "csat", "mean"})
    leading.emplace_back(name);
  return leading;
}

std::string day_of(std::chrono::sys_days day) { return to_rfc3339(Time(day)).substr(0, 10); }

// ---- the one-click rating page --------------------------------------------------------------

struct LinkTexts {
  std::string_view title, heading, scale_legend, comment_label, send, thanks, thanks_more, changed_mind, error_title;
  std::array<std::string_view, 5> scores;
};
constexpr LinkTexts kLinkEn{"Rate our help",
                            "How did we do with ticket #{} “{}”?",
                            "Your rating",
                            "Anything to add? (optional)",
                            "Send rating",
                            "Thank you, {}.",
                            "Your rating of {} out of 5 is recorded; the team reads every comment.",
                            "You rated it {} out of 5 before; sending again replaces that.",
                            "This rating link cannot be used",
                            {"1 — very dissatisfied", "2 — dissatisfied", "3 — neither", "4 — satisfied", "5 — very satisfied"}};
constexpr LinkTexts kLinkZh{"评价我们的服务",
                            "工单 #{}「{}」的处理，您满意吗？",
                            "您的评分",
                            "还有什么想说的？（可不填）",
                            "提交评价",
                            "谢谢您，{}。",
                            "已记录您的评分：{} 分（满分 5 分）。团队会阅读每一条意见。",
                            "您之前评了 {} 分；再次提交会替换之前的评分。",
                            "此评价链接无法使用",
                            {"1 分 — 非常不满意", "2 分 — 不满意", "3 分 — 一般", "4 分 — 满意", "5 分 — 非常满意"}};

const LinkTexts& link_texts(std::string_view language) { return chinese(language) ? kLinkZh : kLinkEn; }

// Why a link cannot be used, in words a person acts on; 410 when it once worked, 404 otherwise.
Response link_error(const Error& e, std::string_view language) {
  bool zh = chinese(language);
  std::string_view why;
  int status = 404;
  if (e.slug == "link_expired") {
    why = zh ? "链接已过期。请登录门户，在工单页面评价。" : "The link has expired. Sign in to the portal to rate the ticket on its page.";
    status = 410;
  } else if (e.slug == "link_used") {
    why = zh ? "此链接已经用过。如需修改评分，请登录门户，在工单页面重新评价。"
             : "This link has been used. To change your rating, sign in to the portal and rate the ticket again on its page.";
    status = 410;
  } else if (e.slug == "not_resolved") {
    why = zh ? "工单尚未解决，解决后即可评价。" : "The ticket is not resolved yet; you can rate it once it is.";
    status = 409;
  } else if (e.code == Code::unavailable || e.code == Code::internal) {
    why = zh ? "暂时无法处理，请稍后再试。" : "This cannot be done right now; please try again later.";
    status = 503;
  } else {
    why = zh ? "链接不完整或已损坏。请从邮件中完整复制链接。" : "The link is incomplete or damaged. Copy the whole link from the mail.";
  }
  const auto& t = link_texts(language);
  return html_page(status, lang_tag(language), t.error_title,
                   fmt::format("<h1>{}</h1><p role=\"alert\">{}</p>", escape_html(t.error_title), escape_html(why)));
}

std::optional<std::int64_t> score_in(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// The form: the score chosen in the mail preselected, a comment, one button. The rating is
// recorded by the POST alone, so a mail scanner that follows links rates nothing.
Response link_form(std::string_view token, const usecase::RatingLinkPage& page, std::optional<std::int64_t> chosen,
                   std::string_view problem, std::string_view comment) {
  const auto& t = link_texts(page.language);
  std::string body = fmt::format("<h1>{}</h1>", escape_html(fmt::format(fmt::runtime(t.heading), page.number, page.subject)));
  if (page.score) body += fmt::format("<p>{}</p>", escape_html(fmt::format(fmt::runtime(t.changed_mind), *page.score)));
  if (!problem.empty()) body += fmt::format("<p class=\"error\" role=\"alert\" id=\"problem\">{}</p>", escape_html(problem));
  body += fmt::format("<form method=\"post\" action=\"/r/{}\"><fieldset><legend>{}</legend>", escape_html(token),
                      escape_html(t.scale_legend));
  auto selected = chosen ? chosen : page.score;
  for (int score = 5; score >= 1; --score)
    body += fmt::format("<label><input type=\"radio\" name=\"score\" value=\"{}\"{}{}> {}</label>", score,
                        selected == score ? " checked" : "", score == 5 ? " required" : "", escape_html(t.scores[std::size_t(score - 1)]));
  body += fmt::format("</fieldset><p><label for=\"comment\">{}</label><textarea id=\"comment\" name=\"comment\" maxlength=\"2000\">{}"
                      "</textarea></p><button type=\"submit\">{}</button></form>",
                      escape_html(t.comment_label), escape_html(comment), escape_html(t.send));
  return html_page(problem.empty() ? 200 : 422, lang_tag(page.language), t.title, body);
}

// ---- the status page ------------------------------------------------------------------------

struct StatusTexts {
  std::string_view operational, maintenance, major_outage, availability, incidents, no_incidents, maintenance_heading,
      no_maintenance, notices, from, until, ongoing, as_of, feed, title_suffix;
};
constexpr StatusTexts kStatusEn{"Operational", "Under maintenance", "Major outage", "Availability over the last 90 days: {}",
                                "Incidents", "No incidents in the last 90 days.", "Maintenance", "No maintenance planned.",
                                "Notices", "from", "until", "ongoing", "As of", "Subscribe to the Atom feed", "status"};
constexpr StatusTexts kStatusZh{"运行正常", "维护中", "严重故障", "近 90 天可用率：{}", "故障", "近 90 天没有故障。", "维护",
                                "暂无计划维护。", "通知", "开始", "结束", "进行中", "更新于", "订阅 Atom 源", "服务状态"};

std::string percent_text(double share) {
  auto text = fmt::format("{:.3f}", share * 100.0);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "%";
}

std::string when_html(const std::optional<Time>& t) {
  if (!t) return {};
  auto text = to_rfc3339(*t);
  return fmt::format("<time datetime=\"{}\">{}</time>", text, escape_html(text.substr(0, 16).replace(10, 1, " ") + " UTC"));
}

std::string entry_html(const usecase::StatusEntry& e, std::string_view language, const StatusTexts& t) {
  std::string out = fmt::format("<li class=\"entry\" id=\"{}\"><strong>{}</strong> <time datetime=\"{}\">{}</time>",
                                escape_html(e.id), escape_html(e.title.in(language)), to_rfc3339(e.published_at),
                                escape_html(to_rfc3339(e.published_at).substr(0, 16).replace(10, 1, " ") + " UTC"));
  if (e.starts_at || e.ends_at)
    out += fmt::format("<br>{} {} — {}", escape_html(t.from), e.starts_at ? when_html(e.starts_at) : when_html(e.published_at),
                       e.ends_at ? when_html(e.ends_at) : escape_html(t.ongoing));
  if (!e.body.in(language).empty()) out += fmt::format("<p>{}</p>", escape_html(e.body.in(language)));
  return out + "</li>";
}

Response status_html(const usecase::StatusPage& page, std::string_view language) {
  const auto& t = chinese(language) ? kStatusZh : kStatusEn;
  auto name = page.service.name.in(language);
  std::string_view state = page.state == "major_outage" ? t.major_outage : page.state == "maintenance" ? t.maintenance : t.operational;
  std::string body = fmt::format("<h1>{}</h1>", escape_html(name));
  if (!page.service.description.in(language).empty())
    body += fmt::format("<p>{}</p>", escape_html(page.service.description.in(language)));
  body += fmt::format("<p class=\"state {}\" role=\"status\">{}</p><p>{}</p>", page.state, escape_html(state),
                      escape_html(fmt::format(fmt::runtime(t.availability), percent_text(page.availability))));
  auto section = [&](std::string_view kind, std::string_view heading, std::string_view none) {
    std::string items;
    for (const auto& e : page.entries)
      if (e.kind == kind) items += entry_html(e, language, t);
    body += fmt::format("<h2>{}</h2>", escape_html(heading));
    body += items.empty() ? fmt::format("<p>{}</p>", escape_html(none)) : "<ol>" + items + "</ol>";
  };
  section("major_incident", t.incidents, t.no_incidents);
  section("maintenance", t.maintenance_heading, t.no_maintenance);
  bool notices = std::ranges::any_of(page.entries, [](const auto& e) { return e.kind == "notice"; });
  if (notices) section("notice", t.notices, "");
  body += fmt::format("<footer>{} {} · <a href=\"/status/{}.atom\">{}</a></footer>", escape_html(t.as_of), when_html(page.as_of),
                      escape_html(page.service.slug), escape_html(t.feed));
  auto head = fmt::format("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/status/{}.atom\">", escape_html(page.service.slug));
  auto response = html_page(200, lang_tag(language), std::string(name) + " — " + std::string(t.title_suffix), body, head);
  response.set_header("Cache-Control", "public, max-age=30");
  response.set_header("Vary", "Accept-Language");  // the language comes from it
  return response;
}

// RFC 4287. Links are relative to the feed's own address (xml:base is the page's path).
Response status_atom(const usecase::StatusPage& page, std::string_view language) {
  const auto& t = chinese(language) ? kStatusZh : kStatusEn;
  auto name = escape_html(page.service.name.in(language));
  auto slug = escape_html(page.service.slug);
  auto updated = page.entries.empty() ? page.as_of : page.entries.front().published_at;
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"";
  out += lang_tag(language);
  out += fmt::format("\"><title>{} — {}</title><id>urn:tandem:status:{}</id><updated>{}</updated>"
                     "<author><name>{}</name></author><link rel=\"self\" href=\"/status/{}.atom\"/><link rel=\"alternate\" "
                     "type=\"text/html\" href=\"/status/{}\"/>",
                     name, escape_html(t.title_suffix), escape_html(page.service.stored.id), to_rfc3339(updated), name, slug, slug);
  for (const auto& e : page.entries) {
    out += fmt::format("<entry><id>urn:tandem:broadcast:{}</id><title>{}</title><updated>{}</updated><category term=\"{}\"/>"
                       "<link rel=\"alternate\" type=\"text/html\" href=\"/status/{}#{}\"/><content type=\"text\">{}</content></entry>",
                       escape_html(e.id), escape_html(e.title.in(language)), to_rfc3339(e.published_at), escape_html(e.kind), slug,
                       escape_html(e.id), escape_html(e.body.in(language)));
  }
  out += "</feed>\n";
  Response r;
  r.content_type = "application/atom+xml; charset=utf-8";
  r.body = std::move(out);
  r.set_header("Cache-Control", "public, max-age=30");
  r.set_header("Vary", "Accept-Language");
  return r;
}

Response status_missing(std::string_view language) {
  bool zh = chinese(language);
  auto title = zh ? "没有这个服务" : "No such service";
  return html_page(404, lang_tag(language), title,
                   fmt::format("<h1>{}</h1><p>{}</p>", title,
                               zh ? "请检查地址；服务可能已更名或停用。" : "Check the address; the service may have been renamed or retired."));
}

}  // namespace

void register_feedback_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};
  // Public pages: no session, no CSRF token (the link's signature is the credential), bounded per address.
  const RouteOptions by_link{Auth::none, Csrf::exempt, 120};
  const RouteOptions open_page{Auth::none, Csrf::exempt, 0};

  router.add("POST", "/api/v1/ratings", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"ticket_id", "touchpoint", "score", "comment"});
    usecase::RatingInput in;
    in.ticket_id = f.text("ticket_id", true).value_or("");
    in.touchpoint = f.text("touchpoint").value_or("resolution");
    in.score = f.integer("score", true);
    in.comment = f.text("comment").value_or("");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto rated, usecase::rate_ticket(s, r.actor(), in));
    return json_response(rated.created ? 201 : 200, rating_json(rated.rating));
  });
  router.add("GET", "/api/v1/ratings", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    storage::RatingFilter filter;
    if (auto ticket = r.query_value("ticket_id"); ticket && !ticket->empty()) filter.ticket_id = *ticket;
    ASSIGN_OR_RETURN(auto page, usecase::list_ratings(s, r.actor(), filter, {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& rating : page.items) items.push_back(rating_json(rating));
    return page_response(std::move(items), page.next_after);
  });

  // OPS-1: CSAT by service, team, agent, channel, organisation or touchpoint, and day by day.
  router.add("GET", "/api/v1/reports/satisfaction", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::authorize(r.actor(), "report.sla"));
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    for (const auto& [key, _] : r.query)
      if (key != "from" && key != "to" && key != "group_by" && key != "format") e.details.push_back({key, "is not a report parameter"});
    auto format = report_format(e, r);
    usecase::SatisfactionQuery q;
    std::tie(q.from, q.to) = report_period(e, r, s.clock.now());
    if (auto by = r.query_value("group_by")) {
      auto parsed = usecase::parse_rating_grouping(*by);
      if (!parsed) e.details.push_back({"group_by", "allowed: service, team, agent, channel, organization, touchpoint"});
      else q.group_by = *parsed;
    }
    if (!e.details.empty()) return fail(std::move(e));
    ASSIGN_OR_RETURN(auto report, usecase::satisfaction_report(s, r.actor(), q));
    std::string group_by(usecase::to_string(q.group_by));
    Json groups = Json::array(), days = Json::array();
    feedback::Table by_org{"Satisfaction by organization", score_columns({group_by, "name", "organization_id", "organization"}), {}};
    feedback::Table by_group{"Satisfaction", score_columns({group_by, "name"}), {}};
    feedback::Table by_day{"Days", score_columns({"day"}), {}};
    for (const auto& g : report.groups) {
      auto group = satisfaction_json(g);
      Json organizations = Json::array();
      for (const auto& row : report.by_organization) {
        if (row.group_key != g.key) continue;
        auto org = satisfaction_json(row.counts);
        org.erase("key");
        org["id"] = row.counts.key;
        organizations.push_back(std::move(org));
        std::vector<feedback::Cell> cells{g.key, g.name, row.counts.key, row.counts.name};
        append_scores(cells, row.counts.by_score);
        by_org.rows.push_back(std::move(cells));
      }
      group["organizations"] = std::move(organizations);
      groups.push_back(std::move(group));
      std::vector<feedback::Cell> cells{g.key, g.name};
      append_scores(cells, g.by_score);
      by_group.rows.push_back(std::move(cells));
    }
    std::vector<feedback::Cell> total{std::string("total"), std::string("total")};
    append_scores(total, report.total.by_score);
    by_group.rows.push_back(std::move(total));
    for (const auto& d : report.days) {
      auto c = feedback::csat(d.by_score);
      days.push_back({{"day", day_of(d.day)},
                      {"responses", c.responses},
                      {"csat", nullable_fraction(c, c.percent / 100.0)},
                      {"mean", nullable_fraction(c, c.mean)}});
      std::vector<feedback::Cell> cells{day_of(d.day)};
      append_scores(cells, d.by_score);
      by_day.rows.push_back(std::move(cells));
    }
    // FDB-1: the relationship surveys' NPS, overall and (by service or organisation) per group.
    feedback::Table by_nps{"NPS", {group_by, "name", "responses", "promoters", "passives", "detractors", "nps"}, {}};
    Json nps_groups = Json::array();
    auto nps_row = [&](const usecase::NpsGroup& g) {
      auto n = g.nps();
      std::vector<feedback::Cell> cells{g.key, g.name, n.responses, n.promoters, n.passives, n.detractors};
      if (n.responses) cells.emplace_back(feedback::rounded(n.score));
      else cells.emplace_back(std::monostate{});
      by_nps.rows.push_back(std::move(cells));
      return Json{{"key", g.key}, {"name", g.name}, {"responses", n.responses}, {"promoters", n.promoters},
                  {"passives", n.passives}, {"detractors", n.detractors},
                  {"nps", n.responses ? Json(feedback::rounded(n.score)) : Json(nullptr)}};
    };
    for (const auto& g : report.nps_groups) nps_groups.push_back(nps_row(g));
    auto nps = nps_row(report.nps_total);
    nps["groups"] = std::move(nps_groups);
    Json body{{"from", to_rfc3339(q.from)}, {"to", to_rfc3339(q.to)}, {"group_by", group_by},
              {"groups", groups},           {"total", satisfaction_json(report.total)}, {"days", days},
              {"nps", nps}};
    std::array tables{std::move(by_org), std::move(by_group), std::move(by_day), std::move(by_nps)};
    return report_response(format, "satisfaction", to_rfc3339(q.to).substr(0, 10), std::move(body), tables);
  });

  // DESK-8: the touchpoints that make or break the experience, ranked.
  router.add("GET", "/api/v1/reports/touchpoints", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto window, report_window(r, s.clock.now()));
    auto [from, to] = window;
    ASSIGN_OR_RETURN(auto rows, usecase::touchpoint_report(s, r.actor(), from, to));
    feedback::Table table{"Touchpoints",
                          score_columns({"touchpoint"}),
                          {}};
    for (auto name : {"paired", "resolution_after_good", "resolution_after_poor", "swing"}) table.columns.emplace_back(name);
    auto maybe = [](const std::optional<double>& v) { return v ? Json(feedback::rounded(*v)) : Json(nullptr); };
    auto cell = [](const std::optional<double>& v) { return v ? feedback::Cell(feedback::rounded(*v)) : feedback::Cell(std::monostate{}); };
    Json items = Json::array();
    for (const auto& row : rows) {
      auto c = feedback::csat(row.by_score);
      items.push_back({{"touchpoint", row.touchpoint},
                       {"ratings", c.responses},
                       {"csat", nullable_fraction(c, c.percent / 100.0)},
                       {"mean", nullable_fraction(c, c.mean)},
                       {"paired", row.effect.pairs},
                       {"resolution_after_good", maybe(row.effect.after_good)},
                       {"resolution_after_poor", maybe(row.effect.after_poor)},
                       {"swing", maybe(row.effect.swing)}});
      std::vector<feedback::Cell> cells{row.touchpoint};
      append_scores(cells, row.by_score);
      cells.insert(cells.end(), {row.effect.pairs, cell(row.effect.after_good), cell(row.effect.after_poor), cell(row.effect.swing)});
      table.rows.push_back(std::move(cells));
    }
    Json body{{"from", to_rfc3339(from)}, {"to", to_rfc3339(to)}, {"touchpoints", items}};
    return report_response(report_format_of(r), "touchpoints", to_rfc3339(to).substr(0, 10), std::move(body), {&table, 1});
  });

  router.add("GET", "/r/{token}", by_link, [&s](Request& r) -> Result<Response> {
    const auto& token = r.param("token");
    auto page = usecase::open_rating_link(s, token);
    if (!page) return link_error(page.error(), r.language);
    std::optional<std::int64_t> chosen;
    if (auto score = r.query_value("score")) chosen = score_in(*score);
    if (chosen && (*chosen < 1 || *chosen > 5)) chosen.reset();
    return link_form(token, *page, chosen, "", "");
  });
  router.add("POST", "/r/{token}", by_link, [&s](Request& r) -> Result<Response> {
    const auto& token = r.param("token");
    std::multimap<std::string, std::string> form;
    parse_query(r.body, form);
    auto field = [&](const std::string& name) {
      auto it = form.find(name);
      return it == form.end() ? std::string() : it->second;
    };
    auto score = score_in(field("score"));
    auto comment = field("comment");
    auto rated = usecase::rate_by_link(s, token, score, comment);
    if (!rated) {
      if (rated.error().code != Code::invalid_argument) return link_error(rated.error(), r.language);
      auto page = usecase::open_rating_link(s, token);
      if (!page) return link_error(page.error(), r.language);
      bool zh = chinese(page->language);
      bool score_wrong = std::ranges::any_of(rated.error().details, [](const auto& d) { return d.field == "score"; });
      auto problem = score_wrong ? (zh ? "请选择 1 到 5 分。" : "Choose a score from 1 to 5.")
                                 : (zh ? "意见最多 2000 个字符。" : "The comment is at most 2,000 characters.");
      return link_form(token, *page, score, problem, comment);
    }
    auto who = s.db.read([&](storage::Connection& c) { return storage::users::find(c, storage::Scope::system(), rated->rating.user_id); });
    std::string language = who && *who ? (*who)->language : r.language;
    std::string name = who && *who ? (*who)->name : "";
    const auto& t = link_texts(language);
    return html_page(200, lang_tag(language), t.title,
                     fmt::format("<h1>{}</h1><p role=\"status\">{}</p>", escape_html(fmt::format(fmt::runtime(t.thanks), name)),
                                 escape_html(fmt::format(fmt::runtime(t.thanks_more), rated->rating.score))));
  });

  // FDB-4: /status/{slug or id}, and the same with ".atom" for the feed.
  router.add("GET", "/status/{key}", open_page, [&s](Request& r) -> Result<Response> {
    std::string key = r.param("key");
    bool atom = key.ends_with(".atom");
    if (atom) key.resize(key.size() - 5);
    auto page = usecase::status_page(s, key);
    if (!page) {
      if (page.error().code == Code::not_found) return status_missing(r.language);
      return std::unexpected(page.error());
    }
    return atom ? status_atom(*page, r.language) : status_html(*page, r.language);
  });
}

}  // namespace tandem::http
