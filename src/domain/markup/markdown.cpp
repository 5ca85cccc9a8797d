#include "domain/markup/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace tandem::markup {
namespace {

constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tasklist"};

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

struct Parsed {
  std::unique_ptr<cmark_parser, ParserDeleter> parser;
  std::unique_ptr<cmark_node, NodeDeleter> document;
};

// CMARK_OPT_DEFAULT is cmark-gfm's safe mode: raw HTML is not passed through and links with
// javascript:, vbscript:, file: or data: (other than images) lose their target.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;

Parsed parse(std::string_view markdown) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  Parsed p{std::unique_ptr<cmark_parser, ParserDeleter>(cmark_parser_new(kOptions)), nullptr};
  for (const char* name : kExtensions)
    if (auto* ext = cmark_find_syntax_extension(name)) cmark_parser_attach_syntax_extension(p.parser.get(), ext);
  cmark_parser_feed(p.parser.get(), markdown.data(), markdown.size());
  p.document.reset(cmark_parser_finish(p.parser.get()));
  return p;
}

std::string take(char* rendered) {
  std::string out = rendered ? rendered : "";
  cmark_get_default_mem_allocator()->free(rendered);
  return out;
}

}  // namespace

std::string markdown_to_html(std::string_view markdown, const SanitizePolicy& policy) {
  auto p = parse(markdown);
  auto html = take(cmark_render_html(p.document.get(), kOptions, cmark_parser_get_syntax_extensions(p.parser.get())));
  return sanitize_html(html, policy);
}

std::string markdown_to_text(std::string_view markdown) {
  // From the sanitised HTML, so that what is searched and quoted is what readers see (a table as
  // its cells, not its pipes), on one line. Inline elements sit inside words; any other tag
  // (a block's end, a cell, a break) parts words.
  static constexpr std::string_view kInline[] = {"a",   "abbr", "b",  "code", "del",  "em",  "i",   "ins", "kbd",
                                                 "mark", "q",   "s",  "samp", "small", "span", "strong", "sub", "sup", "u", "var"};
  auto html = markdown_to_html(markdown);
  std::string out;
  bool blank = true;  // at the start or after white space
  auto space = [&] {
    if (!blank) out += ' ';
    blank = true;
  };
  for (std::size_t i = 0; i < html.size();) {
    char ch = html[i];
    if (ch == '<') {
      auto end = std::min(html.find('>', i), html.size());
      auto name = std::string_view(html).substr(i + 1, end - i - 1);
      if (name.starts_with('/')) name.remove_prefix(1);
      name = name.substr(0, name.find_first_of(" /"));
      if (std::ranges::find(kInline, name) == std::end(kInline)) space();
      i = end + 1;
      continue;
    }
    if (ch == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
      auto found = std::ranges::find_if(kEntities, [&](const auto& e) { return std::string_view(html).substr(i).starts_with(e.first); });
      if (found != std::end(kEntities)) {
        out += found->second;
        blank = false;
        i += found->first.size();
        continue;
      }
    }
    if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
      space();
    } else {
      out += ch;
      blank = false;
    }
    ++i;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace tandem::markup
