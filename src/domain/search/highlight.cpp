#include "domain/search/highlight.h"

#include <algorithm>
#include <cctype>

namespace tandem::search {
namespace {

char ascii_lower(char ch) { return (ch >= 'A' && ch <= 'Z') ? char(ch - 'A' + 'a') : ch; }
bool continuation(char ch) { return (static_cast<unsigned char>(ch) & 0xC0) == 0x80; }

std::size_t back_to_boundary(std::string_view s, std::size_t at) {
  while (at > 0 && at < s.size() && continuation(s[at])) --at;
  return at;
}

}  // namespace

std::vector<Snippet> highlight(std::string_view text, const std::vector<QueryTerm>& terms, std::size_t max_bytes) {
  std::string folded(text);
  for (auto& ch : folded) ch = ascii_lower(ch);
  std::vector<std::pair<std::size_t, std::size_t>> found;  // [start, end) of each occurrence
  for (const auto& term : terms) {
    if (term.text.empty()) continue;
    for (auto at = folded.find(term.text); at != std::string::npos; at = folded.find(term.text, at + 1)) {
      // A word matches at the start of a word; CJK pairs anywhere.
      bool ascii = static_cast<unsigned char>(term.text[0]) < 0x80;
      if (ascii && at > 0 && std::isalnum(static_cast<unsigned char>(folded[at - 1]))) continue;
      found.emplace_back(at, at + term.text.size());
    }
  }
  std::ranges::sort(found);
  std::size_t first = found.empty() ? 0 : found.front().first;
  std::size_t start = first > max_bytes / 3 ? back_to_boundary(text, first - max_bytes / 3) : 0;
  std::size_t end = std::min(text.size(), start + max_bytes);
  end = back_to_boundary(text, end);
  std::vector<Snippet> out;
  auto add = [&](std::size_t from, std::size_t to, bool marked) {
    if (to <= from) return;
    if (!out.empty() && out.back().marked == marked) out.back().text += text.substr(from, to - from);
    else out.push_back({std::string(text.substr(from, to - from)), marked});
  };
  std::size_t at = start;
  for (auto [from, to] : found) {
    if (to <= at || from >= end) continue;
    from = std::max(from, at);
    to = std::min(to, end);
    add(at, from, false);
    add(from, to, true);
    at = to;
  }
  add(at, end, false);
  if (start > 0) out.insert(out.begin(), Snippet{"…", false});
  if (end < text.size()) out.push_back({"…", false});
  return out;
}

}  // namespace tandem::search
