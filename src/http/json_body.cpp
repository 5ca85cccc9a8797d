#include "http/json_body.h"

#include <algorithm>
#include <charconv>
#include <sodium.h>

#include "core/clock.h"

namespace tandem::http {
namespace {

std::string base64url(std::string_view raw) {
  std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);
  return out;
}

std::optional<std::string> unbase64url(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

std::string_view type_name(const Json& j) {
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "a number";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  return "null";
}

}  // namespace

Result<Json> parse_json_object(const Request& request, BodyKind kind) {
  auto type = request.header("content-type");
  auto media = type.substr(0, type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // RFC 9110 §8.3.1
  bool accepted = media == "application/json" || (kind == BodyKind::merge_patch && media == "application/merge-patch+json");
  if (!accepted)
    return fail(Code::unsupported_media,
                kind == BodyKind::merge_patch ? "Send application/merge-patch+json or application/json."
                                              : "Send application/json.");
  Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return fail(Code::malformed, "The body is not valid JSON (or not valid UTF-8).", "malformed_json");
  if (!body.is_object()) return fail(Code::malformed, "The body must be a JSON object.", "malformed_json");
  return body;
}

Fields::Fields(const Json& object, std::span<const std::string_view> allowed) : object_(object) {
  for (const auto& [key, _] : object.items()) {
    bool known = false;
    for (auto a : allowed) known = known || a == key;
    if (!known) problem(key, "is not a known field");
  }
}

const Json* Fields::find(const std::string& name, bool required) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    if (required) problem(name, "is required");
    else if (it != object_.end()) problem(name, "cannot be null");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> Fields::text(const std::string& name, bool required) {
  auto* v = find(name, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    problem(name, "must be a string, not " + std::string(type_name(*v)));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::optional<std::string>> Fields::nullable_text(const std::string& name) {
  auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) {
    problem(name, "must be a string or null, not " + std::string(type_name(*it)));
    return std::nullopt;
  }
  return std::optional<std::string>{it->get<std::string>()};
}

std::optional<std::int64_t> Fields::integer(const std::string& name, bool required) {
  auto* v = find(name, required);
  if (!v) return std::nullopt;
  if (!v->is_number_integer() || (v->is_number_unsigned() && v->get<std::uint64_t>() > std::uint64_t(INT64_MAX))) {
    problem(name, "must be a whole number, not " + std::string(type_name(*v)));
    return std::nullopt;
  }
  return v->get<std::int64_t>();
}

std::optional<bool> Fields::boolean(const std::string& name) {
  auto* v = find(name, false);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    problem(name, "must be a boolean, not " + std::string(type_name(*v)));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::vector<std::string>> Fields::texts(const std::string& name) {
  auto* v = find(name, false);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    problem(name, "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *v) {
    if (!item.is_string()) {
      problem(name, "must be an array of strings");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::int64_t> Fields::time_ms(const std::string& name) {
  auto t = text(name);
  if (!t) return std::nullopt;
  Time parsed;
  if (!parse_rfc3339(*t, parsed)) {
    problem(name, "must be an RFC 3339 time such as 2026-12-31T23:59:59Z");
    return std::nullopt;
  }
  return to_millis(parsed);
}

Result<void> Fields::finish(const std::vector<FieldProblem>& more) const {
  if (problems_.empty() && more.empty()) return {};
  Error e(Code::invalid_argument, "Some fields are invalid.");
  e.details = problems_;
  for (const auto& m : more) {
    bool reported = false;
    for (const auto& p : problems_) reported = reported || p.field == m.field;
    if (!reported) e.details.push_back(m);
  }
  return fail(std::move(e));
}

Response json_response(int status, const Json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response page_response(Json items, const std::optional<std::string>& next_after) {
  return page_response(items.dump(-1, ' ', false, Json::error_handler_t::replace), next_after);
}

Response page_response(std::string items_array, const std::optional<std::string>& next_after) {
  Response r;
  r.body = "{\"items\":" + items_array + ",\"next_cursor\":" + (next_after ? "\"" + base64url(*next_after) + "\"" : "null") + "}";
  return r;
}

Json next_cursor(const std::optional<std::string>& next_after) {
  return next_after ? Json(base64url(*next_after)) : Json(nullptr);
}

Result<std::pair<int, std::string>> page_params(const Request& request) {
  int limit = 50;
  std::string after;
  Error e(Code::invalid_argument, "Some query parameters are invalid.");
  if (auto l = request.query_value("limit")) {
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (ec != std::errc() || p != l->data() + l->size() || limit < 1 || limit > 500)
      e.details.push_back({"limit", "must be a whole number from 1 to 500"});
  }
  if (auto c = request.query_value("cursor"); c && !c->empty()) {
    auto decoded = unbase64url(*c);
    if (!decoded) e.details.push_back({"cursor", "is not a cursor this server gave out"});
    else after = *decoded;
  }
  if (!e.details.empty()) return fail(std::move(e));
  return std::pair{limit, after};
}

std::string etag_of(std::int64_t version) { return "\"v" + std::to_string(version) + "\""; }

Result<std::int64_t> required_if_match(const Request& request) {
  auto value = request.header("if-match");
  if (value.empty()) return fail(Code::precondition_required, "Send If-Match with the ETag of the version you changed.");
  std::string_view v = value;
  if (v.starts_with("W/")) v.remove_prefix(2);
  std::int64_t version = 0;
  if (v.size() < 4 || !v.starts_with("\"v") || !v.ends_with('"')) return fail(Code::failed_precondition, "The ETag does not match.");
  auto digits = v.substr(2, v.size() - 3);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (ec != std::errc() || p != digits.data() + digits.size() || version < 1)
    return fail(Code::failed_precondition, "The ETag does not match.");
  return version;
}

Result<void> known_query_parameters(const Request& r, std::initializer_list<std::string_view> known) {
  Error e(Code::invalid_argument, "Some query parameters are invalid.");
  std::string list;
  for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
  for (const auto& [key, _] : r.query)
    if (std::find(known.begin(), known.end(), key) == known.end())
      e.details.push_back({key, "is not a parameter of this list; parameters: " + list});
  if (!e.details.empty()) return fail(std::move(e));
  return {};
}

std::pair<Time, Time> report_period(Error& e, const Request& r, Time now) {
  std::pair<Time, Time> period{now - std::chrono::days(30), now};
  for (auto [name, into] : {std::pair{"from", &period.first}, std::pair{"to", &period.second}})
    if (auto text = r.query_value(name); text && !parse_rfc3339(*text, *into))
      e.details.push_back({name, "must be an RFC 3339 time such as 2026-11-01T00:00:00Z"});
  return period;
}

Result<std::pair<Time, Time>> report_window(const Request& r, Time now) {
  Error e(Code::invalid_argument, "Some query parameters are invalid.");
  for (const auto& [key, value] : r.query) {
    if (key == "format" && value != "json" && value != "csv" && value != "xlsx") e.details.push_back({key, "allowed: json, csv, xlsx"});
    else if (key != "from" && key != "to" && key != "format") e.details.push_back({key, "is not a report parameter"});
  }
  auto period = report_period(e, r, now);
  if (!e.details.empty()) return fail(std::move(e));
  return period;
}

}  // namespace tandem::http
