#include "core/log.h"
#include "http/dto.h"
#include "http/pipeline.h"
#include "http/routes.h"
#include "usecase/auth.h"
#include "usecase/directory.h"

namespace tandem::http {
namespace {

std::string session_cookie(const Request& r, const std::string& value, std::int64_t max_age_seconds) {
  std::string cookie = std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                       std::to_string(max_age_seconds);
  if (r.secure) cookie += "; Secure";
  return cookie;
}

}  // namespace

void register_auth_routes(Router& router, const RouteContext& ctx) {
  const auto& s = ctx.services;
  const RouteOptions signed_in{};
  const RouteOptions login_options{Auth::none, Csrf::exempt, ctx.login_rate_per_minute};

  router.add("POST", "/api/v1/auth/login", login_options, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"email", "password"});
    auto email = f.text("email", true);
    auto password = f.text("password", true);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto result, usecase::login(s, *email, *password));
    Response response;
    response.body = "{\"user\":" + to_json_text(result.user) + ",\"csrf_token\":" + json_quote(result.csrf_token) + "}";
    response.set_header("Set-Cookie", session_cookie(r, result.session_token,
                                                     std::chrono::duration_cast<std::chrono::seconds>(s.session_lifetime).count()));
    return response;
  });

  router.add("POST", "/api/v1/auth/logout", signed_in, [&s](Request& r) -> Result<Response> {
    if (auto session = cookie_value(r.header("cookie"), kSessionCookie); !session.empty()) TRY(usecase::logout(s, session));
    Response response = no_content();
    response.set_header("Set-Cookie", session_cookie(r, "", 0));
    return response;
  });

  // The session a browser holds, for a page loaded anew: who is signed in and the CSRF token its
  // unsafe requests must carry (null for a bearer token, which needs none). Other origins cannot
  // read the answer (no CORS), so the token stays with the pages of ours that hold the cookie.
  router.add("GET", "/api/v1/auth/session", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto user, usecase::get_user(s, r.actor(), r.actor().user_id));
    Response response;
    response.body = "{\"user\":" + to_json_text(user) + ",\"csrf_token\":" +
                    (r.auth->csrf_token.empty() ? std::string("null") : json_quote(r.auth->csrf_token)) + "}";
    response.set_header("Cache-Control", "no-store");
    return response;
  });

  router.add("GET", "/api/v1/me", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto user, usecase::get_user(s, r.actor(), r.actor().user_id));
    auto response = resource_response(200, user, "/api/v1/users");
    return response;
  });

  router.add("POST", "/api/v1/me/password", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"current_password", "new_password"});
    auto current = f.text("current_password", true);
    auto replacement = f.text("new_password", true);
    TRY(f.finish());
    TRY(usecase::change_password(s, *r.auth, *current, *replacement));
    Response response = no_content();
    return response;
  });

  router.add("GET", "/api/v1/tokens", signed_in, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto tokens, usecase::list_tokens(s, r.actor()));
    return list_response(tokens);
  });

  RouteOptions shows_token;
  shows_token.secret_field = "token";
  router.add("POST", "/api/v1/tokens", shows_token, [&s](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, {"name", "expires_at"});
    auto name = f.text("name", true);
    auto expires = f.time_ms("expires_at");
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto created, usecase::create_token(s, r.actor(), *name, expires));
    auto j = to_json(created.token);
    j["token"] = created.secret;
    auto response = json_response(201, j);
    response.set_header("Location", "/api/v1/tokens/" + created.token.id);
    return response;
  });

  router.add("DELETE", "/api/v1/tokens/{id}", signed_in, [&s](Request& r) -> Result<Response> {
    TRY(usecase::delete_token(s, r.actor(), r.param("id")));
    Response response = no_content();
    return response;
  });
}

}  // namespace tandem::http
