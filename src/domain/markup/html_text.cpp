#include <string>

#include "domain/markup/sanitizer.h"

namespace tandem::markup {
namespace {

bool is_block_end(std::string_view tag) {
  for (std::string_view t : {"/p", "/div", "/li", "/tr", "/h1", "/h2", "/h3", "/h4", "/h5", "/h6", "/blockquote", "/pre", "/table", "/ul",
                             "/ol", "br", "br/", "hr", "hr/"})
    if (tag == t) return true;
  return false;
}

std::string tag_name(std::string_view inside) {
  std::string name;
  for (char ch : inside) {
    if (ch == ' ' || ch == '>' || ch == '\t' || ch == '\n') break;
    name += char(std::tolower(static_cast<unsigned char>(ch)));
  }
  return name;
}

// The href of an <a …> the sanitiser wrote: always double-quoted.
std::string href_of(std::string_view inside) {
  auto at = inside.find("href=\"");
  if (at == std::string_view::npos) return "";
  auto start = at + 6, end = inside.find('"', start);
  return end == std::string_view::npos ? "" : std::string(inside.substr(start, end - start));
}

void append_decoded(std::string& out, std::string_view text) {
  // The sanitiser escapes exactly these.
  static constexpr std::pair<std::string_view, char> kEntities[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
  for (std::size_t i = 0; i < text.size();) {
    bool decoded = false;
    if (text[i] == '&')
      for (auto [entity, ch] : kEntities)
        if (text.substr(i).starts_with(entity)) {
          out += ch;
          i += entity.size();
          decoded = true;
          break;
        }
    if (!decoded) out += text[i++];
  }
}

}  // namespace

std::string html_to_text(std::string_view html) {
  SanitizePolicy policy;
  policy.images_as_links = false;  // a picture in a mail's text is its alt text, not a link to it
  auto safe = sanitize_html(html, policy);
  std::string out, link;
  std::size_t i = 0;
  while (i < safe.size()) {
    auto lt = safe.find('<', i);
    append_decoded(out, std::string_view(safe).substr(i, lt == std::string::npos ? std::string::npos : lt - i));
    if (lt == std::string::npos) break;
    auto gt = safe.find('>', lt);
    if (gt == std::string::npos) break;
    auto inside = std::string_view(safe).substr(lt + 1, gt - lt - 1);
    auto name = tag_name(inside);
    if (name == "a") link = href_of(inside);
    if (name == "/a" && !link.empty() && !link.starts_with('#')) {
      out += " (" + link + ")";
      link.clear();
    }
    if (is_block_end(name)) out += '\n';
    i = gt + 1;
  }
  // Runs of blank lines and the spaces around lines, as HTML would have collapsed them.
  std::string tidy;
  int newlines = 0;
  for (char ch : out) {
    if (ch == '\n') {
      while (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
      if (++newlines <= 2) tidy += ch;
    } else if (ch == ' ' && (tidy.empty() || tidy.back() == ' ' || tidy.back() == '\n')) {
      continue;
    } else {
      newlines = 0;
      tidy += ch;
    }
  }
  while (!tidy.empty() && (tidy.back() == '\n' || tidy.back() == ' ')) tidy.pop_back();
  auto start = tidy.find_first_not_of('\n');
  return start == std::string::npos ? "" : tidy.substr(start);
}

}  // namespace tandem::markup
