// The request and response as handlers see them: no Beast types, so handlers and their tests
// stay independent of the transport.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "usecase/auth.h"

namespace tandem::http {

struct Request {
  std::string method;   // upper case
  std::string path;     // without the query
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string client_address;
  std::string request_id;
  bool secure = false;  // came over TLS or from a trusted proxy that says so
  std::map<std::string, std::string> params;  // path parameters
  std::optional<usecase::Authenticated> auth;
  std::string language = "en";  // of the caller, or from Accept-Language

  std::string header(const std::string& lower_name) const;
  std::optional<std::string> query_value(const std::string& name) const;
  const std::string& param(const std::string& name) const { return params.at(name); }
  const identity::Actor& actor() const { return auth->actor; }
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
  // Sent instead of `body` as it is made (an export): run once, off the network threads, writing
  // the body in pieces that leave as HTTP chunks while it goes on. A failure after the headers
  // ends the connection without the last chunk, so the client sees an incomplete answer, never
  // a short one taken for whole.
  std::function<Result<void>(const std::function<Result<void>(std::string_view)>& write)> produce;

  // Out of line: GCC 12 warns falsely of the strings' inlined construction (its bug 105329).
  void set_header(std::string_view name, std::string_view value);
};

// A URL's query, or a form's application/x-www-form-urlencoded body: `+` is a space, %XX a byte.
std::string percent_decode(std::string_view in);
void parse_query(std::string_view query, std::multimap<std::string, std::string>& out);

// Maps an Error to its HTTP status (the one table, STYLE.md §3) and the API.md body shape.
int status_of(Code code);
Response error_response(const Error& error, std::string_view language);

}  // namespace tandem::http
