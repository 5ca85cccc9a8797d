// Paths and query strings from the network against the route table and pagination parameters.
#include <cstdint>
#include <string>

#include "http/json_body.h"
#include "http/pipeline.h"
#include "http/router.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static tandem::http::Router router = [] {
    tandem::http::Router r;
    for (auto p : {"/api/v1/users", "/api/v1/users/{id}", "/api/v1/tokens/{id}", "/healthz", "/a/{x}/b/{y}"})
      r.add("GET", p, {}, [](tandem::http::Request&) -> tandem::Result<tandem::http::Response> { return tandem::http::Response{}; });
    return r;
  }();
  std::string text(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> params;
  (void)router.match("GET", text, params);
  (void)tandem::http::cookie_value(text, "tandem_session");
  tandem::http::Request r;
  r.query.emplace("limit", text);
  r.query.emplace("cursor", text);
  (void)tandem::http::page_params(r);
  r.headers["if-match"] = text;
  (void)tandem::http::required_if_match(r);
  return 0;
}
