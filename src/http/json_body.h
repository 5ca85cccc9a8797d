// Reading JSON request bodies at the boundary: media type (415), syntax and UTF-8 (400), then
// every field's presence and type collected at once (422), unknown fields included.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/message.h"

namespace tandem::http {

using Json = nlohmann::json;

enum class BodyKind { create, merge_patch };
Result<Json> parse_json_object(const Request& request, BodyKind kind = BodyKind::create);

class Fields {
 public:
  Fields(const Json& object, std::span<const std::string_view> allowed);
  Fields(const Json& object, std::initializer_list<std::string_view> allowed)
      : Fields(object, std::span<const std::string_view>(allowed.begin(), allowed.size())) {}

  std::optional<std::string> text(const std::string& name, bool required = false);
  // A merge patch's null clears a field: nullopt = absent, optional(nullopt) = null.
  std::optional<std::optional<std::string>> nullable_text(const std::string& name);
  std::optional<bool> boolean(const std::string& name);
  std::optional<std::int64_t> integer(const std::string& name, bool required = false);
  std::optional<std::vector<std::string>> texts(const std::string& name);
  std::optional<std::int64_t> time_ms(const std::string& name);  // an RFC 3339 string
  void problem(std::string field, std::string text) { problems_.push_back({std::move(field), std::move(text)}); }
  // invalid_argument listing every problem, or success. `more` adds the problems the domain finds
  // in the same request, for fields not already reported, so one answer lists all of them.
  Result<void> finish(const std::vector<FieldProblem>& more = {}) const;

 private:
  const Json* find(const std::string& name, bool required);
  const Json& object_;
  std::vector<FieldProblem> problems_;
};

// `{"items":[…],"next_cursor":…}`; the cursor is opaque to clients.
Response page_response(Json items, const std::optional<std::string>& next_after);
// The same from items already serialised as a JSON array.
Response page_response(std::string items_array, const std::optional<std::string>& next_after);
// The opaque `next_cursor` of a page: null at the end.
Json next_cursor(const std::optional<std::string>& next_after);
// ?limit= (default 50, max 500) and ?cursor= of list routes.
Result<std::pair<int, std::string>> page_params(const Request& request);
// invalid_argument naming every query parameter of the request that is not `known`.
Result<void> known_query_parameters(const Request& request, std::initializer_list<std::string_view> known);
// A report's window, [from, to), from ?from=&to= (RFC 3339; by default the 30 days up to `now`);
// a time that does not read is added to `e`.
std::pair<Time, Time> report_period(Error& e, const Request& request, Time now);
// The same for a report that takes no other parameter but ?format= (json, csv, xlsx;
// http/report_formats.h): every problem at once.
Result<std::pair<Time, Time>> report_window(const Request& request, Time now);

Response json_response(int status, const Json& body);
// 204 with no body.
Response no_content();
// `ETag: "v<version>"` and the parsed If-Match of a PATCH: 428 when missing.
std::string etag_of(std::int64_t version);
Result<std::int64_t> required_if_match(const Request& request);

}  // namespace tandem::http
