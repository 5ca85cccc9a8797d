#include "domain/markup/sanitizer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <utility>

namespace tandem::markup {
namespace {

bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f'; }
bool is_alpha(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
char lower(char ch) { return (ch >= 'A' && ch <= 'Z') ? char(ch - 'A' + 'a') : ch; }
std::string lowered(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = lower(ch);
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

// The named character references that matter for reading mail and for the schemes a browser
// would decode inside a URL (&colon;, &tab;, &newline;); others stay as written, shown as text.
constexpr std::array<std::pair<std::string_view, std::uint32_t>, 36> kNamed{{
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},    {"colon", ':'},     {"tab", '\t'},      {"newline", '\n'},  {"lpar", '('},
    {"rpar", ')'},     {"sol", '/'},       {"bsol", '\\'},     {"semi", ';'},      {"comma", ','},
    {"period", '.'},   {"excl", '!'},      {"num", '#'},       {"percnt", '%'},    {"equals", '='},
    {"copy", 0xA9},    {"reg", 0xAE},      {"trade", 0x2122},  {"hellip", 0x2026}, {"mdash", 0x2014},
    {"ndash", 0x2013}, {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"ldquo", 0x201C},  {"rdquo", 0x201D},
    {"middot", 0xB7},  {"bull", 0x2022},   {"yen", 0xA5},      {"euro", 0x20AC},   {"laquo", 0xAB},
    {"raquo", 0xBB},
}};

// Character references decoded as a browser decodes them in text and attribute values:
// numeric ones with or without their semicolon, the named ones above only with it.
std::string decode_entities(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    if (in[i] != '&') {
      out += in[i++];
      continue;
    }
    std::size_t j = i + 1;
    if (j < in.size() && in[j] == '#') {
      ++j;
      bool hex = j < in.size() && (in[j] == 'x' || in[j] == 'X');
      if (hex) ++j;
      std::uint64_t cp = 0;
      std::size_t start = j;
      while (j < in.size() && (hex ? std::isxdigit(static_cast<unsigned char>(in[j])) != 0 : is_digit(in[j]))) {
        int d = is_digit(in[j]) ? in[j] - '0' : lower(in[j]) - 'a' + 10;
        if (cp <= 0x10FFFF) cp = cp * (hex ? 16 : 10) + std::uint64_t(d);
        ++j;
      }
      if (j == start) {
        out += in[i++];
        continue;
      }
      if (j < in.size() && in[j] == ';') ++j;
      append_utf8(out, cp > 0x10FFFF ? 0xFFFD : std::uint32_t(cp));
      i = j;
      continue;
    }
    while (j < in.size() && (is_alpha(in[j]) || is_digit(in[j]))) ++j;
    if (j < in.size() && in[j] == ';') {
      auto name = in.substr(i + 1, j - i - 1);
      auto found = std::ranges::find_if(kNamed, [&](const auto& e) { return e.first == name; });
      if (found != kNamed.end()) {
        append_utf8(out, found->second);
        i = j + 1;
        continue;
      }
    }
    out += in[i++];
  }
  return out;
}

void append_escaped(std::string& out, std::string_view text) {
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\0': out += "\xEF\xBF\xBD"; break;
      default: out += ch;
    }
  }
}

// Elements kept, with the attributes each may carry besides the global ones.
struct Allowed {
  std::string_view tag;
  std::array<std::string_view, 5> attributes;
  bool is_void = false;
};
constexpr std::array<Allowed, 52> kAllowed{{
    {"p", {"align"}},       {"br", {}, true},        {"hr", {}, true},       {"h1", {}},         {"h2", {}},
    {"h3", {}},             {"h4", {}},              {"h5", {}},             {"h6", {}},         {"strong", {}},
    {"b", {}},              {"em", {}},              {"i", {}},              {"u", {}},          {"s", {}},
    {"del", {}},            {"ins", {}},             {"code", {"class"}},    {"pre", {}},        {"kbd", {}},
    {"samp", {}},           {"var", {}},             {"blockquote", {}},     {"ul", {}},         {"ol", {"start"}},
    {"li", {}},             {"dl", {}},              {"dt", {}},             {"dd", {}},         {"a", {"href"}},
    {"img", {"src", "alt", "width", "height"}, true},                       {"table", {}},      {"thead", {}},
    {"tbody", {}},          {"tfoot", {}},           {"tr", {}},             {"th", {"align", "colspan", "rowspan"}},
    {"td", {"align", "colspan", "rowspan"}},         {"caption", {}},        {"sup", {}},        {"sub", {}},
    {"span", {}},           {"div", {}},             {"mark", {}},           {"abbr", {}},       {"q", {}},
    {"small", {}},          {"figure", {}},          {"figcaption", {}},     {"center", {}},     {"font", {}},
    {"input", {"type", "checked", "disabled"}, true},
}};
constexpr std::array<std::string_view, 3> kGlobalAttributes{"title", "lang", "dir"};

// Elements whose content is not for reading: dropped with everything inside them.
constexpr std::array<std::string_view, 16> kDroppedWithContent{
    "script", "style",    "iframe", "object",  "embed", "noscript", "template", "title",
    "xmp",    "noembed", "noframes", "textarea", "select", "applet", "frameset", "head"};

const Allowed* allowed(std::string_view tag) {
  auto it = std::ranges::find_if(kAllowed, [&](const Allowed& a) { return a.tag == tag; });
  return it == kAllowed.end() ? nullptr : &*it;
}

bool dropped_with_content(std::string_view tag) { return std::ranges::find(kDroppedWithContent, tag) != kDroppedWithContent.end(); }

struct Attribute {
  std::string name;   // lower case
  std::string value;  // character references decoded
};

struct Tag {
  std::string name;  // lower case
  bool end = false;
  std::vector<Attribute> attributes;
};

// Parses the tag starting at in[i] == '<' (tokenizer rules of HTML, simplified where the result
// is dropped anyway). Returns nullopt when '<' does not start a tag: it is text then.
std::optional<Tag> parse_tag(std::string_view in, std::size_t& i) {
  std::size_t j = i + 1;
  Tag tag;
  if (j < in.size() && in[j] == '/') {
    tag.end = true;
    ++j;
  }
  if (j >= in.size() || !is_alpha(in[j])) return std::nullopt;
  std::size_t start = j;
  while (j < in.size() && !is_space(in[j]) && in[j] != '/' && in[j] != '>') ++j;
  tag.name = lowered(in.substr(start, j - start));
  while (j < in.size() && in[j] != '>') {
    if (is_space(in[j]) || in[j] == '/') {
      ++j;
      continue;
    }
    std::size_t name_start = j;
    ++j;  // an attribute name may start with '='
    while (j < in.size() && !is_space(in[j]) && in[j] != '/' && in[j] != '>' && in[j] != '=') ++j;
    Attribute a{lowered(in.substr(name_start, j - name_start)), {}};
    while (j < in.size() && is_space(in[j])) ++j;
    if (j < in.size() && in[j] == '=') {
      ++j;
      while (j < in.size() && is_space(in[j])) ++j;
      if (j < in.size() && (in[j] == '"' || in[j] == '\'')) {
        char quote = in[j++];
        std::size_t value_start = j;
        while (j < in.size() && in[j] != quote) ++j;
        a.value = decode_entities(in.substr(value_start, j - value_start));
        if (j < in.size()) ++j;
      } else {
        std::size_t value_start = j;
        while (j < in.size() && !is_space(in[j]) && in[j] != '>') ++j;
        a.value = decode_entities(in.substr(value_start, j - value_start));
      }
    }
    tag.attributes.push_back(std::move(a));
  }
  // A tag the input never closes is dropped with the rest of the input, as a browser does.
  if (j >= in.size()) {
    i = in.size();
    return Tag{};
  }
  i = j + 1;
  return tag;
}

// Skips a comment, doctype, processing instruction or CDATA section starting at in[i] == '<'.
bool skip_markup_declaration(std::string_view in, std::size_t& i) {
  auto rest = in.substr(i);
  std::string_view end;
  if (rest.starts_with("<!--")) end = "-->";
  else if (rest.starts_with("<![CDATA[")) end = "]]>";
  else if (rest.starts_with("<!") || rest.starts_with("<?")) end = ">";
  else return false;
  auto found = in.find(end, i + 2);
  i = found == std::string_view::npos ? in.size() : found + end.size();
  return true;
}

// Where the raw content of `name` (a dropped element) ends: past its end tag, or at the end.
std::size_t end_of_raw_content(std::string_view in, std::size_t from, std::string_view name) {
  for (std::size_t at = in.find("</", from); at != std::string_view::npos; at = in.find("</", at + 2)) {
    if (at + 2 + name.size() <= in.size() && lowered(in.substr(at + 2, name.size())) == name) {
      std::size_t after = at + 2 + name.size();
      if (after == in.size() || is_space(in[after]) || in[after] == '>' || in[after] == '/') {
        auto close = in.find('>', after);
        return close == std::string_view::npos ? in.size() : close + 1;
      }
    }
  }
  return in.size();
}

std::string without_blanks(std::string_view url) {
  std::string out;
  for (char ch : url)
    if (static_cast<unsigned char>(ch) > 0x20 && ch != 0x7F) out += ch;
  return out;
}

// The host of an absolute http(s) URL, lower case; empty otherwise.
std::string http_host(std::string_view url) {
  auto u = lowered(without_blanks(url));
  std::string_view rest = u;
  if (rest.starts_with("https://")) rest.remove_prefix(8);
  else if (rest.starts_with("http://")) rest.remove_prefix(7);
  else return {};
  if (rest.find('\\') != std::string_view::npos) return {};  // browsers read \ as /: the host is not what it seems
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos) authority = authority.substr(0, colon);
  return std::string(authority);
}

// An attachment of ours, by a path a browser keeps as written: no dot segments, encoded or not,
// and no backslash (browsers read it as a slash).
bool is_own_image(std::string_view src) {
  auto u = lowered(without_blanks(src));
  return u.starts_with(kOwnImagePrefix) && u.find("..") == std::string::npos && u.find("%2e") == std::string::npos &&
         u.find('\\') == std::string::npos && u.find("%5c") == std::string::npos;
}

class Writer {
 public:
  explicit Writer(const SanitizePolicy& policy) : policy_(policy) {}

  void text(std::string_view raw) { append_escaped(out_, decode_entities(raw)); }

  void start(const Tag& tag) {
    if (tag.name == "img") return image(tag);
    const Allowed* a = allowed(tag.name);
    if (!a) return;
    if (tag.name == "input" && !is_checkbox(tag)) return;
    out_ += '<';
    out_ += a->tag;
    bool has_href = false;
    for (const auto& attr : tag.attributes) {
      bool global = std::ranges::find(kGlobalAttributes, attr.name) != kGlobalAttributes.end();
      bool own = std::ranges::find(a->attributes, attr.name) != a->attributes.end();
      if (!global && !own) continue;
      if (attr.name == "href") {
        if (!is_safe_url(attr.value) || has_href) continue;
        has_href = true;
      }
      if (attr.name == "class" && !is_language_class(attr.value)) continue;
      write_attribute(attr.name, attr.value);
    }
    if (tag.name == "a" && has_href) write_attribute("rel", "nofollow noopener noreferrer");
    if (tag.name == "input") write_attribute("disabled", "");
    out_ += '>';
    if (!a->is_void) open_.push_back(std::string(a->tag));
  }

  void end(const Tag& tag) {
    auto it = std::find(open_.rbegin(), open_.rend(), tag.name);
    if (it == open_.rend()) return;
    auto keep = std::size_t(open_.rend() - it) - 1;
    while (open_.size() > keep) close_last();
  }

  std::string finish() && {
    while (!open_.empty()) close_last();
    return std::move(out_);
  }

 private:
  static bool is_checkbox(const Tag& tag) {
    return std::ranges::any_of(tag.attributes, [](const Attribute& a) { return a.name == "type" && lowered(a.value) == "checkbox"; });
  }
  // Code blocks name their language for highlighting; nothing else needs a class.
  static bool is_language_class(std::string_view value) {
    if (!value.starts_with("language-") || value.size() > 40) return false;
    return std::ranges::all_of(value, [](char ch) { return is_alpha(ch) || is_digit(ch) || ch == '-' || ch == '+' || ch == '_'; });
  }

  void write_attribute(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    append_escaped(out_, value);
    out_ += '"';
  }

  void close_last() {
    out_ += "</" + open_.back() + ">";
    open_.pop_back();
  }

  // Our attachments and the allowed hosts are embedded; any other image becomes a link to it
  // (or its description alone), so that reading a page never tells an outside host who read it.
  void image(const Tag& tag) {
    std::string src, alt;
    for (const auto& a : tag.attributes) {
      if (a.name == "src" && src.empty()) src = a.value;
      if (a.name == "alt" && alt.empty()) alt = a.value;
    }
    auto host = http_host(src);
    bool embedded = is_own_image(src) || (!host.empty() && std::ranges::find(policy_.image_hosts, host) != policy_.image_hosts.end());
    if (embedded) {
      out_ += "<img";
      write_attribute("src", without_blanks(src));
      for (const auto& a : tag.attributes)
        if (a.name == "alt" || a.name == "title" || a.name == "width" || a.name == "height") write_attribute(a.name, a.value);
      out_ += '>';
      return;
    }
    if (policy_.images_as_links && !src.empty() && is_safe_url(src) && std::ranges::find(open_, "a") == open_.end()) {
      out_ += "<a";
      write_attribute("href", src);
      write_attribute("rel", "nofollow noopener noreferrer");
      out_ += '>';
      append_escaped(out_, alt.empty() ? src : alt);
      out_ += "</a>";
    } else {
      append_escaped(out_, alt);
    }
  }

  const SanitizePolicy& policy_;
  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace

bool is_safe_url(std::string_view url) {
  auto u = lowered(without_blanks(url));
  auto colon = u.find(':');
  if (colon == std::string::npos) return true;
  auto first_delimiter = u.find_first_of("/?#");
  if (first_delimiter != std::string::npos && first_delimiter < colon) return true;  // a relative path with a colon later
  auto scheme = std::string_view(u).substr(0, colon);
  return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

std::string sanitize_html(std::string_view in, const SanitizePolicy& policy) {
  Writer w(policy);
  std::size_t i = 0, text_start = 0;
  auto flush_text = [&](std::size_t upto) {
    if (upto > text_start) w.text(in.substr(text_start, upto - text_start));
  };
  while (i < in.size()) {
    auto lt = in.find('<', i);
    if (lt == std::string_view::npos) break;
    std::size_t at = lt;
    if (skip_markup_declaration(in, at)) {
      flush_text(lt);
      i = text_start = at;
      continue;
    }
    auto tag = parse_tag(in, at);
    if (!tag) {
      i = lt + 1;  // a '<' that starts no tag is text, escaped with the rest
      continue;
    }
    flush_text(lt);
    if (tag->name.empty()) {
      // unclosed at the end of the input: nothing of it is shown
    } else if (tag->end) {
      w.end(*tag);
    } else if (dropped_with_content(tag->name)) {
      at = end_of_raw_content(in, at, tag->name);
    } else {
      w.start(*tag);
    }
    i = text_start = at;
  }
  flush_text(in.size());
  return std::move(w).finish();
}

}  // namespace tandem::markup
