#include "domain/markup/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

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
  auto p = parse(markdown);
  return take(cmark_render_plaintext(p.document.get(), kOptions, 0));
}

}  // namespace tandem::markup
