// ONB-13: SCIM filters (RFC 7644 §3.4.2.2) and attribute paths, over SCIM resources as JSON.
// The whole grammar is read — and, or, not, parentheses, value paths such as
// `emails[type eq "work"]`, the nine comparisons and `pr` — so an identity provider's filter is
// either answered or refused with `invalidFilter`, never half understood.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace tandem::http::scim {

using Json = nlohmann::json;

inline constexpr std::string_view kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr std::string_view kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";

// `[schema:]attribute[.sub]`; the core schemas' URNs are dropped, an extension's is kept.
// Names compare without regard to case, as SCIM's do.
struct AttributePath {
  std::string schema;  // an extension's URN, or empty
  std::string attribute;
  std::string sub;  // empty when none
};

struct Filter {
  enum class Kind { compare, present, all_of, any_of, negation, value_path };
  Kind kind = Kind::compare;
  AttributePath path;
  std::string op;  // eq ne co sw ew gt ge lt le, lower case
  Json value;      // a string, number, boolean or null
  std::vector<Filter> children;  // all_of/any_of: two; negation: one; value_path: the element filter
};

// invalid_argument with the slug `invalidFilter` on anything that is not a filter.
Result<Filter> parse_filter(std::string_view text);
Result<AttributePath> parse_attribute_path(std::string_view text);
bool matches(const Filter& filter, const Json& resource);

// The `attribute eq "text"` terms every match must satisfy (those joined by `and` at the top),
// as ("userName", value) or ("emails.value", value): they let a lookup use an index.
std::vector<std::pair<std::string, std::string>> required_equalities(const Filter& filter);

// ASCII letters in lower case: SCIM's names and keywords compare without regard to case.
std::string lower_case(std::string_view text);

// The member of `object` named `name` without regard to case, or nullptr.
const Json* member(const Json& object, std::string_view name);
Json* member(Json& object, std::string_view name);

}  // namespace tandem::http::scim
