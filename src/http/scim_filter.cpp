#include "http/scim_filter.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace tandem::http::scim {
namespace {

std::string lower(std::string_view s) { return lower_case(s); }

bool same_name(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

Error bad_filter(std::string what) {
  return Error(Code::invalid_argument, "The filter is not valid: " + what + ".", "invalidFilter");
}

// Attributes whose text compares exactly (RFC 7643 "caseExact"): ids.
bool case_exact(const AttributePath& p) {
  auto a = lower(p.attribute);
  return a == "id" || a == "externalid" || (a == "members" && lower(p.sub) == "value") || lower(p.sub) == "$ref";
}

struct Token {
  enum class Kind { word, text, open, close, open_bracket, close_bracket, end };
  Kind kind = Kind::end;
  std::string text;
};

class Lexer {
 public:
  explicit Lexer(std::string_view in) : in_(in) {}

  Result<Token> next() {
    while (pos_ < in_.size() && std::isspace(static_cast<unsigned char>(in_[pos_]))) ++pos_;
    if (pos_ >= in_.size()) return Token{Token::Kind::end, ""};
    char c = in_[pos_];
    if (c == '(' || c == ')' || c == '[' || c == ']') {
      ++pos_;
      auto kind = c == '(' ? Token::Kind::open : c == ')' ? Token::Kind::close : c == '[' ? Token::Kind::open_bracket
                                                                                          : Token::Kind::close_bracket;
      return Token{kind, std::string(1, c)};
    }
    if (c == '"') {
      // A JSON string, escapes and all.
      std::size_t end = pos_ + 1;
      while (end < in_.size() && in_[end] != '"') end += in_[end] == '\\' ? 2 : 1;
      if (end >= in_.size()) return fail(bad_filter("a string is not closed"));
      auto parsed = Json::parse(in_.substr(pos_, end + 1 - pos_), nullptr, false);
      if (parsed.is_discarded() || !parsed.is_string()) return fail(bad_filter("a string is malformed"));
      pos_ = end + 1;
      return Token{Token::Kind::text, parsed.get<std::string>()};
    }
    std::size_t start = pos_;
    while (pos_ < in_.size() && !std::isspace(static_cast<unsigned char>(in_[pos_])) && in_[pos_] != '(' &&
           in_[pos_] != ')' && in_[pos_] != '[' && in_[pos_] != ']' && in_[pos_] != '"')
      ++pos_;
    return Token{Token::Kind::word, std::string(in_.substr(start, pos_ - start))};
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

constexpr std::string_view kOperators[] = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"};

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) {}

  Result<Filter> whole() {
    TRY(advance());
    ASSIGN_OR_RETURN(auto f, any_of());
    if (current_.kind != Token::Kind::end) return fail(bad_filter("unexpected '" + current_.text + "'"));
    return f;
  }

 private:
  Result<void> advance() {
    ASSIGN_OR_RETURN(current_, lexer_.next());
    return {};
  }
  bool at_word(std::string_view w) const { return current_.kind == Token::Kind::word && same_name(current_.text, w); }

  Result<Filter> any_of() {
    ASSIGN_OR_RETURN(auto left, all_of());
    while (at_word("or")) {
      TRY(advance());
      ASSIGN_OR_RETURN(auto right, all_of());
      Filter f;
      f.kind = Filter::Kind::any_of;
      f.children = {std::move(left), std::move(right)};
      left = std::move(f);
    }
    return left;
  }

  Result<Filter> all_of() {
    ASSIGN_OR_RETURN(auto left, unary());
    while (at_word("and")) {
      TRY(advance());
      ASSIGN_OR_RETURN(auto right, unary());
      Filter f;
      f.kind = Filter::Kind::all_of;
      f.children = {std::move(left), std::move(right)};
      left = std::move(f);
    }
    return left;
  }

  Result<Filter> unary() {
    if (at_word("not")) {
      TRY(advance());
      if (current_.kind != Token::Kind::open) return fail(bad_filter("'not' takes a filter in parentheses"));
      ASSIGN_OR_RETURN(auto inner, grouped());
      Filter f;
      f.kind = Filter::Kind::negation;
      f.children = {std::move(inner)};
      return f;
    }
    if (current_.kind == Token::Kind::open) return grouped();
    return attribute_expression();
  }

  Result<Filter> grouped() {
    TRY(deeper());
    TRY(advance());
    ASSIGN_OR_RETURN(auto inner, any_of());
    if (current_.kind != Token::Kind::close) return fail(bad_filter("a '(' is not closed"));
    --depth_;
    TRY(advance());
    return inner;
  }

  Result<Filter> attribute_expression() {
    if (current_.kind != Token::Kind::word) return fail(bad_filter("an attribute name is missing"));
    ASSIGN_OR_RETURN(auto path, parse_attribute_path(current_.text));
    TRY(advance());
    Filter f;
    f.path = std::move(path);
    if (current_.kind == Token::Kind::open_bracket) {
      if (!f.path.sub.empty()) return fail(bad_filter("a value filter follows an attribute, not a sub-attribute"));
      TRY(deeper());
      TRY(advance());
      ASSIGN_OR_RETURN(auto inner, any_of());
      if (current_.kind != Token::Kind::close_bracket) return fail(bad_filter("a '[' is not closed"));
      --depth_;
      TRY(advance());
      f.kind = Filter::Kind::value_path;
      f.children = {std::move(inner)};
      return f;
    }
    if (current_.kind != Token::Kind::word) return fail(bad_filter("an operator is missing after " + f.path.attribute));
    auto op = lower(current_.text);
    TRY(advance());
    if (op == "pr") {
      f.kind = Filter::Kind::present;
      return f;
    }
    if (std::find(std::begin(kOperators), std::end(kOperators), op) == std::end(kOperators))
      return fail(bad_filter("unknown operator '" + op + "'"));
    f.op = op;
    ASSIGN_OR_RETURN(f.value, comparison_value());
    if (f.value.is_boolean() || f.value.is_null()) {
      if (op != "eq" && op != "ne") return fail(bad_filter("'" + op + "' does not compare with true, false or null"));
    } else if (f.value.is_number() && (op == "co" || op == "sw" || op == "ew")) {
      return fail(bad_filter("'" + op + "' compares text"));
    }
    return f;
  }

  Result<Json> comparison_value() {
    Json v;
    if (current_.kind == Token::Kind::text) {
      v = current_.text;
    } else if (current_.kind == Token::Kind::word) {
      auto w = lower(current_.text);
      if (w == "true") v = true;
      else if (w == "false") v = false;
      else if (w == "null") v = nullptr;
      else {
        auto number = Json::parse(current_.text, nullptr, false);
        if (number.is_discarded() || !number.is_number()) return fail(bad_filter("'" + current_.text + "' is not a value"));
        v = number;
      }
    } else {
      return fail(bad_filter("a value is missing"));
    }
    TRY(advance());
    return v;
  }

  // Nesting is bounded: a filter is a request's text, and each level is a frame of recursion.
  Result<void> deeper() {
    if (++depth_ > kMaxDepth) return fail(bad_filter("it nests deeper than 32 levels"));
    return {};
  }

  static constexpr int kMaxDepth = 32;
  Lexer lexer_;
  Token current_;
  int depth_ = 0;
};

// The values at `path` in `resource`: every element's sub-attribute for a multi-valued one.
std::vector<const Json*> values_at(const Json& resource, const AttributePath& path) {
  std::vector<const Json*> out;
  const Json* base = &resource;
  if (!path.schema.empty()) {
    base = member(resource, path.schema);
    if (!base) return out;
  }
  const Json* attr = member(*base, path.attribute);
  if (!attr || attr->is_null()) return out;
  auto take = [&](const Json& v) {
    if (path.sub.empty()) {
      out.push_back(&v);
    } else if (const Json* sub = member(v, path.sub); sub && !sub->is_null()) {
      out.push_back(sub);
    }
  };
  if (attr->is_array()) {
    for (const auto& element : *attr) take(element);
  } else {
    take(*attr);
  }
  return out;
}

bool compare(const Json& have, const std::string& op, const Json& want, bool exact) {
  if (want.is_null()) return have.is_null() == (op == "eq");
  if (want.is_boolean()) {
    bool b;
    if (have.is_boolean()) b = have.get<bool>();
    else if (have.is_string() && (same_name(have.get<std::string>(), "true") || same_name(have.get<std::string>(), "false")))
      b = same_name(have.get<std::string>(), "true");
    else return op == "ne";
    return (b == want.get<bool>()) == (op == "eq");
  }
  int order;
  if (want.is_number()) {
    if (!have.is_number()) return op == "ne";
    double a = have.get<double>(), b = want.get<double>();
    order = a < b ? -1 : a > b ? 1 : 0;
  } else {
    if (!have.is_string()) return op == "ne";
    auto a = have.get<std::string>(), b = want.get<std::string>();
    if (!exact) {
      a = lower(a);
      b = lower(b);
    }
    if (op == "co") return a.find(b) != std::string::npos;
    if (op == "sw") return a.starts_with(b);
    if (op == "ew") return a.ends_with(b);
    order = a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0;
  }
  if (op == "eq") return order == 0;
  if (op == "ne") return order != 0;
  if (op == "gt") return order > 0;
  if (op == "ge") return order >= 0;
  if (op == "lt") return order < 0;
  return order <= 0;  // le
}

bool present(const Json& v) {
  if (v.is_null()) return false;
  if (v.is_string()) return !v.get<std::string>().empty();
  if (v.is_array() || v.is_object()) return !v.empty();
  return true;
}

void collect_equalities(const Filter& f, std::vector<std::pair<std::string, std::string>>& out) {
  if (f.kind == Filter::Kind::all_of) {
    for (const auto& c : f.children) collect_equalities(c, out);
  } else if (f.kind == Filter::Kind::compare && f.op == "eq" && f.value.is_string() && f.path.schema.empty()) {
    out.emplace_back(f.path.sub.empty() ? f.path.attribute : f.path.attribute + "." + f.path.sub, f.value.get<std::string>());
  }
}

}  // namespace

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const Json* member(const Json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  if (auto it = object.find(std::string(name)); it != object.end()) return &*it;
  for (auto it = object.begin(); it != object.end(); ++it)
    if (same_name(it.key(), name)) return &*it;
  return nullptr;
}

Json* member(Json& object, std::string_view name) {
  return const_cast<Json*>(member(static_cast<const Json&>(object), name));
}

Result<AttributePath> parse_attribute_path(std::string_view text) {
  AttributePath p;
  auto rest = text;
  if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
    auto schema = text.substr(0, colon);
    if (!same_name(schema, kUserSchema) && !same_name(schema, kGroupSchema)) p.schema = std::string(schema);
    rest = text.substr(colon + 1);
  }
  auto dot = rest.find('.');
  p.attribute = std::string(rest.substr(0, dot));
  if (dot != std::string_view::npos) p.sub = std::string(rest.substr(dot + 1));
  auto valid = [](std::string_view name) {
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '$')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$';
    });
  };
  if (!valid(p.attribute) || (dot != std::string_view::npos && !valid(p.sub)))
    return fail(bad_filter("'" + std::string(text) + "' is not an attribute name"));
  return p;
}

Result<Filter> parse_filter(std::string_view text) {
  if (text.size() > 4096) return fail(bad_filter("it is longer than 4096 bytes"));
  Parser parser(text);
  return parser.whole();
}

bool matches(const Filter& f, const Json& resource) {
  switch (f.kind) {
    case Filter::Kind::all_of:
      return matches(f.children[0], resource) && matches(f.children[1], resource);
    case Filter::Kind::any_of:
      return matches(f.children[0], resource) || matches(f.children[1], resource);
    case Filter::Kind::negation:
      return !matches(f.children[0], resource);
    case Filter::Kind::present: {
      auto values = values_at(resource, f.path);
      return std::any_of(values.begin(), values.end(), [](const Json* v) { return present(*v); });
    }
    case Filter::Kind::value_path: {
      auto elements = values_at(resource, f.path);
      for (const Json* e : elements) {
        if (e->is_array()) {
          for (const auto& inner : *e)
            if (matches(f.children[0], inner)) return true;
        } else if (matches(f.children[0], *e)) {
          return true;
        }
      }
      return false;
    }
    case Filter::Kind::compare: {
      auto values = values_at(resource, f.path);
      bool exact = case_exact(f.path);
      if (values.empty()) return f.op == "ne" || (f.op == "eq" && f.value.is_null());
      if (f.op == "ne")
        return std::all_of(values.begin(), values.end(), [&](const Json* v) { return compare(*v, f.op, f.value, exact); });
      return std::any_of(values.begin(), values.end(), [&](const Json* v) { return compare(*v, f.op, f.value, exact); });
    }
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> required_equalities(const Filter& filter) {
  std::vector<std::pair<std::string, std::string>> out;
  collect_equalities(filter, out);
  return out;
}

}  // namespace tandem::http::scim
