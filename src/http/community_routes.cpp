// COM-1…COM-4, FDB-3: the community — spaces, topics, replies, votes, accepted answers, topic →
// ticket, answer → article, flags, moderation and its log, reputation, leaderboards, super
// users, subscriptions, and members' public profiles.
#include "http/dto.h"
#include "http/audience_json.h"
#include "http/json_body.h"
#include "http/routes.h"
#include "usecase/community.h"

namespace tandem::http {
namespace {

Json member_json(const usecase::MemberView& m) {
  return {{"id", m.id}, {"name", m.name}, {"points", m.points}, {"level", m.level}, {"badges", m.badges}};
}

Json space_fields(const usecase::SpaceView& v) {
  Json supers = Json::array();
  for (const auto& su : v.super_users) supers.push_back({{"user_id", su.user_id}, {"backup_user_id", su.backup_user_id}});
  const auto& s = v.space;
  return {{"id", s.id},
          {"name", s.name},
          {"service_id", s.service_id ? Json(*s.service_id) : Json(nullptr)},
          {"language", s.language},
          {"audience", audience_json(s.audience)},
          {"super_users", supers},
          {"subscribed", v.subscribed},
          {"version", s.version},
          {"created_at", time_text(s.created_at)}};
}

// Who else a space is for is the provider's business.
Json space_json(const usecase::SpaceView& v, const identity::Actor& actor) {
  auto out = space_fields(v);
  if (!actor.staff()) out.erase("audience");
  return out;
}

Json post_json(const usecase::PostView& v) {
  const auto& p = v.post;
  return {{"id", p.id},
          {"topic_id", p.topic_id},
          {"author", member_json(v.author)},
          {"body", p.body},
          {"body_html", v.body_html},
          {"staff", p.by_staff},
          {"hidden", p.hidden},
          {"score", p.score},
          {"accepted", v.accepted},
          {"my_vote", v.my_vote},
          {"version", p.version},
          {"created_at", time_text(p.created_at)},
          {"edited_at", nullable_time(p.edited_at)}};
}

// The ticket a topic became is named to the desk, the space's moderators and its author.
Json topic_json(const usecase::TopicView& v, const identity::Actor& actor) {
  const auto& t = v.topic;
  return {{"id", t.id},
          {"space_id", t.space_id},
          {"space_name", v.space_name},
          {"kind", community::to_string(t.kind)},
          {"title", t.title},
          {"author", v.opening.author.id.empty() ? Json(nullptr) : member_json(v.opening.author)},
          {"body", v.opening.post.body},
          {"body_html", v.opening.body_html},
          {"first_post_id", t.first_post_id},
          {"opening", post_json(v.opening)},
          {"accepted_post_id", t.accepted_post_id ? Json(*t.accepted_post_id) : Json(nullptr)},
          {"ticket_id", t.ticket_id && (v.moderator || t.author_id == actor.user_id) ? Json(*t.ticket_id) : Json(nullptr)},
          {"locked", t.locked},
          {"hidden", t.hidden},
          {"replies", t.replies},
          {"subscribed", v.subscribed},
          {"moderator", v.moderator},
          {"last_activity_at", time_text(t.last_activity_at)},
          {"created_at", time_text(t.created_at)}};
}

Json entry_json(const storage::ModerationEntry& e) {
  return {{"id", e.id},
          {"action", e.action},
          {"target_kind", e.target_kind},
          {"target_id", e.target_id},
          {"space_id", e.space_id},
          {"actor_id", e.actor_id},
          {"reason", e.reason},
          {"before", Json::parse(e.before, nullptr, false)},
          {"after", Json::parse(e.after, nullptr, false)},
          {"created_at", time_text(e.created_at)}};
}


}  // namespace

void register_community_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};

  router.add("POST", "/api/v1/spaces", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"name", "service_id", "language", "audience"});
    usecase::NewSpace in;
    in.name = f.text("name", true).value_or("");
    in.service_id = f.text("service_id");
    in.language = f.text("language", true).value_or("");
    in.audience = audience_of(f, body);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto made, usecase::create_space(s, r.actor(), in));
    Response out = json_response(201, space_json(made, r.actor()));
    out.set_header("Location", "/api/v1/spaces/" + made.space.id);
    return out;
  });
  router.add("GET", "/api/v1/spaces", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::list_spaces(s, r.actor(), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& v : page.items) items.push_back(space_json(v, r.actor()));
    return page_response(std::move(items), page.next_after);
  });
  router.add("GET", "/api/v1/spaces/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto found, usecase::get_space(s, r.actor(), r.param("id")));
    Response out = json_response(200, space_json(found, r.actor()));
    out.set_header("ETag", etag_of(found.space.version));
    return out;
  });
  router.add("PATCH", "/api/v1/spaces/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"name", "language", "audience"});
    usecase::SpacePatch patch;
    patch.name = f.text("name");
    patch.language = f.text("language");
    if (body.contains("audience")) patch.audience = audience_of(f, body).value_or(usecase::AudienceInput{});
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto updated, usecase::update_space(s, r.actor(), r.param("id"), version, patch));
    Response out = json_response(200, space_json(updated, r.actor()));
    out.set_header("ETag", etag_of(updated.space.version));
    return out;
  });
  router.add("GET", "/api/v1/spaces/{id}/topics", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::list_topics(s, r.actor(), r.param("id"), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& v : page.items) items.push_back(topic_json(v, r.actor()));
    return page_response(std::move(items), page.next_after);
  });
  router.add("POST", "/api/v1/spaces/{id}/super-users", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"user_id", "backup_user_id"});
    auto user = f.text("user_id", true);
    auto backup = f.text("backup_user_id", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto space, usecase::appoint_super_user(s, r.actor(), r.param("id"), *user, *backup));
    return json_response(201, space_json(space, r.actor()));
  });
  for (std::string kind : {"spaces", "topics"}) {
    auto path = "/api/v1/" + kind + "/{id}/subscription";
    router.add("PUT", path, signed_in, [&s](Request& r) -> Result<Response> {
      ASSIGN_OR_RETURN(auto on, usecase::subscribe(s, r.actor(), r.param("id"), true));
      return json_response(200, {{"subscribed", on}});
    });
    router.add("DELETE", path, signed_in, [&s](Request& r) -> Result<Response> {
      TRY(usecase::subscribe(s, r.actor(), r.param("id"), false));
      return no_content();
    });
  }

  router.add("POST", "/api/v1/topics", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"space_id", "title", "body", "kind"});
    usecase::NewTopic in;
    in.space_id = f.text("space_id", true).value_or("");
    in.title = f.text("title", true).value_or("");
    in.body = f.text("body", true).value_or("");
    if (auto kind = f.text("kind")) {
      auto parsed = community::parse_topic_kind(*kind);
      if (!parsed) f.problem("kind", "allowed: question, discussion");
      in.kind = parsed.value_or(community::TopicKind::question);
    }
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto made, usecase::create_topic(s, r.actor(), in));
    Response out = json_response(201, topic_json(made, r.actor()));
    out.set_header("Location", "/api/v1/topics/" + made.topic.id);
    return out;
  });
  router.add("GET", "/api/v1/topics/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto found, usecase::get_topic(s, r.actor(), r.param("id")));
    auto body = topic_json(found, r.actor());
    // The first page of replies comes with the topic: one read shows the thread.
    ASSIGN_OR_RETURN(auto replies, usecase::topic_replies(s, r.actor(), r.param("id"), {50, ""}));
    Json items = Json::array();
    for (const auto& v : replies.items) items.push_back(post_json(v));
    body["replies_page"] = {{"items", items}, {"next_cursor", next_cursor(replies.next_after)}};
    return json_response(200, body);
  });
  router.add("GET", "/api/v1/topics/{id}/replies", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::topic_replies(s, r.actor(), r.param("id"), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& v : page.items) items.push_back(post_json(v));
    return page_response(std::move(items), page.next_after);
  });
  router.add("POST", "/api/v1/topics/{id}/replies", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"body"});
    auto text = f.text("body", true).value_or("");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto made, usecase::reply_to_topic(s, r.actor(), r.param("id"), text));
    return json_response(201, post_json(made));
  });
  router.add("POST", "/api/v1/topics/{id}/accepted-answer", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"post_id"});
    auto post = f.text("post_id", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto topic, usecase::accept_answer(s, r.actor(), r.param("id"), *post));
    return json_response(200, topic_json(topic, r.actor()));
  });
  router.add("POST", "/api/v1/topics/{id}/ticket", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto ticket, usecase::topic_to_ticket(s, r.actor(), r.param("id")));
    // A super user raised it for a member: the ticket is theirs to read, its id is all they get.
    Response out = json_response(201, r.actor().staff() ? to_json(usecase::as_seen_by(r.actor(), ticket))
                                                        : Json{{"id", ticket.id}, {"number", ticket.number}});
    out.set_header("Location", "/api/v1/tickets/" + ticket.id);
    return out;
  });

  router.add("POST", "/api/v1/posts/{id}/votes", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"value"});
    auto value = f.integer("value", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto post, usecase::vote_on_post(s, r.actor(), r.param("id"), *value));
    return json_response(200, post_json(post));
  });
  router.add("PATCH", "/api/v1/posts/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, {"body", "title"});
    auto text = f.text("body");
    auto title = f.text("title");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto post, usecase::edit_post(s, r.actor(), r.param("id"), version, text, title));
    Response out = json_response(200, post_json(post));
    out.set_header("ETag", etag_of(post.post.version));
    return out;
  });
  router.add("POST", "/api/v1/posts/{id}/flags", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"reason"});
    auto reason = f.text("reason", true).value_or("");
    TRY(f.finish());
    TRY(usecase::flag_post(s, r.actor(), r.param("id"), reason));
    return json_response(201, {{"post_id", r.param("id")}, {"reason", reason}});
  });
  router.add("POST", "/api/v1/posts/{id}/promote", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto article, usecase::promote_post(s, r.actor(), r.param("id")));
    Response out = json_response(201, {{"id", article.article.id},
                                       {"state", knowledge::to_string(article.article.state)},
                                       {"title", article.text.title},
                                       {"author_id", article.article.author_id},
                                       {"source_post_id", r.param("id")}});
    out.set_header("Location", "/api/v1/articles/" + article.article.id);
    return out;
  });

  router.add("POST", "/api/v1/moderation", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"action", "target_id", "reason", "space_id", "into_id"});
    usecase::ModerationInput in;
    in.action = f.text("action", true).value_or("");
    in.target_id = f.text("target_id", true).value_or("");
    in.reason = f.text("reason", true).value_or("");
    in.space_id = f.text("space_id");
    in.into_id = f.text("into_id");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto entry, usecase::moderate(s, r.actor(), in));
    return json_response(201, entry_json(entry));
  });
  router.add("GET", "/api/v1/moderation-log", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto paging, page_params(r));
    ASSIGN_OR_RETURN(auto page, usecase::moderation_log(s, r.actor(), {paging.first, paging.second}));
    Json items = Json::array();
    for (const auto& e : page.items) items.push_back(entry_json(e));
    return page_response(std::move(items), page.next_after);
  });

  router.add("GET", "/api/v1/users/{id}/reputation", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto rep, usecase::reputation_of(s, r.actor(), r.param("id")));
    Json history = Json::array();
    for (const auto& e : rep.history)
      history.push_back({{"points", e.points},
                         {"earned", e.earned},
                         {"reason", e.reason},
                         {"source_id", e.source_id},
                         {"space_id", e.space_id ? Json(*e.space_id) : Json(nullptr)},
                         {"created_at", time_text(e.created_at)}});
    return json_response(200, {{"user_id", rep.member.id},
                               {"name", rep.member.name},
                               {"points", rep.member.points},
                               {"level", rep.member.level},
                               {"badges", rep.member.badges},
                               {"next_level_at", rep.next_level_at ? Json(*rep.next_level_at) : Json(nullptr)},
                               {"history", history}});
  });
  router.add("GET", "/api/v1/leaderboard", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(known_query_parameters(r, {"space_id", "period", "organization_id"}));
    auto period = usecase::parse_period(r.query_value("period").value_or("all"));
    if (!period) {
      Error e(Code::invalid_argument, "Some query parameters are invalid.");
      e.details.push_back({"period", "allowed: week, month, all"});
      return fail(std::move(e));
    }
    ASSIGN_OR_RETURN(auto rows, usecase::leaderboard(s, r.actor(), r.query_value("space_id"), *period, r.query_value("organization_id")));
    Json items = Json::array();
    for (const auto& row : rows) items.push_back({{"member", member_json(row.member)}, {"points", row.points}});
    return json_response(200, {{"items", items}, {"next_cursor", nullptr}});
  });
  router.add("GET", "/api/v1/community/reputation-rules", signed_in, [&s](Request& r) -> Result<Response> {
    std::int64_t version = 1;
    ASSIGN_OR_RETURN(auto rules, usecase::reputation_rules(s, r.actor(), &version));
    Response out = json_response(200, usecase::reputation_rules_json(rules));
    out.set_header("ETag", etag_of(version));
    return out;
  });
  router.add("PUT", "/api/v1/community/reputation-rules", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    ASSIGN_OR_RETURN(auto rules, usecase::set_reputation_rules(s, r.actor(), body.dump(), version));
    Response out = json_response(200, usecase::reputation_rules_json(rules));
    out.set_header("ETag", etag_of(version + 1));
    return out;
  });
}

}  // namespace tandem::http
