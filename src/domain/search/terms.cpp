#include "domain/search/terms.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace tandem::search {
namespace {

// Words longer than this are cut: nobody types them, and the stores limit term length.
constexpr std::size_t kMaxWordBytes = 64;

bool is_cjk(utf8proc_int32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF)      // Hiragana, Katakana
         || (cp >= 0x3400 && cp <= 0x4DBF)   // CJK Extension A
         || (cp >= 0x4E00 && cp <= 0x9FFF)   // CJK Unified Ideographs
         || (cp >= 0xAC00 && cp <= 0xD7AF)   // Hangul syllables
         || (cp >= 0xF900 && cp <= 0xFAFF)   // CJK Compatibility Ideographs
         || (cp >= 0x20000 && cp <= 0x3FFFF);  // Extensions B and later
}

// Letters, digits and private-use characters: exactly what SQLite's unicode61 tokenizer keeps
// together, so a term we write is one token there as well.
bool is_word_char(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_CO:
      return true;
    default:
      return false;
  }
}

std::string normalized(std::string_view text) {
  utf8proc_uint8_t* out = nullptr;
  auto options = utf8proc_option_t(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), utf8proc_ssize_t(text.size()), &out, options);
  if (n < 0) {
    // Invalid UTF-8: keep the valid prefix rather than lose the whole text.
    std::size_t valid = 0;
    auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    while (valid < text.size()) {
      utf8proc_int32_t cp;
      auto step = utf8proc_iterate(p + valid, utf8proc_ssize_t(text.size() - valid), &cp);
      if (step <= 0) break;
      valid += std::size_t(step);
    }
    if (valid == 0 || valid == text.size()) return {};
    return normalized(text.substr(0, valid));
  }
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), std::size_t(n));
}

enum class Kind { separator, word, cjk };

// Calls `on_word(word)` and `on_cjk(chars)` for each run of the normalised text.
template <class OnWord, class OnCjk>
void runs(const std::string& text, OnWord on_word, OnCjk on_cjk) {
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  std::size_t i = 0;
  std::string word;
  std::vector<std::string> chars;
  auto flush = [&] {
    if (!word.empty()) on_word(word), word.clear();
    if (!chars.empty()) on_cjk(chars), chars.clear();
  };
  while (i < text.size()) {
    utf8proc_int32_t cp;
    auto step = utf8proc_iterate(p + i, utf8proc_ssize_t(text.size() - i), &cp);
    if (step <= 0) break;
    std::string_view ch(text.data() + i, std::size_t(step));
    i += std::size_t(step);
    Kind kind = is_cjk(cp) ? Kind::cjk : is_word_char(cp) ? Kind::word : Kind::separator;
    if (kind == Kind::cjk) {
      if (!word.empty()) on_word(word), word.clear();
      chars.emplace_back(ch);
    } else if (kind == Kind::word) {
      if (!chars.empty()) on_cjk(chars), chars.clear();
      if (word.size() + ch.size() <= kMaxWordBytes) word += ch;
    } else {
      flush();
    }
  }
  flush();
}

void append(std::string& out, std::string_view term) {
  if (!out.empty()) out += ' ';
  out += term;
}

}  // namespace

std::string normalized_text(std::string_view text) { return normalized(text); }

std::string index_terms(std::string_view text) {
  std::string out;
  runs(
      normalized(text), [&](const std::string& word) { append(out, word); },
      [&](const std::vector<std::string>& chars) {
        for (std::size_t i = 0; i + 1 < chars.size(); ++i) append(out, chars[i] + chars[i + 1]);
        append(out, chars.back());
      });
  return out;
}

Result<std::vector<QueryTerm>> parse_query(std::string_view query) {
  std::vector<QueryTerm> terms;
  auto add = [&](QueryTerm t) {
    if (terms.size() >= kMaxQueryTerms) return;
    for (const auto& have : terms)
      if (have == t) return;
    terms.push_back(std::move(t));
  };
  runs(
      normalized(query), [&](const std::string& word) { add({word, true}); },
      [&](const std::vector<std::string>& chars) {
        if (chars.size() == 1) return add({chars[0], true});
        for (std::size_t i = 0; i + 1 < chars.size(); ++i) add({chars[i] + chars[i + 1], false});
      });
  if (terms.empty()) {
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    e.details.push_back({"q", "give at least one letter, digit or Chinese character"});
    return fail(std::move(e));
  }
  return terms;
}

std::vector<QueryTerm> content_terms(std::vector<QueryTerm> terms) {
  static constexpr std::string_view kFunctionWords[] = {
      "a",  "an", "and", "are", "at", "be",   "can", "could", "did", "do",  "does", "for", "how", "i",    "in", "is",
      "it", "me", "my",  "of",  "on", "or",   "the", "to",    "we",  "what", "when", "where", "why", "with", "you", "your"};
  auto function_word = [](const QueryTerm& t) {
    return std::ranges::find(kFunctionWords, std::string_view(t.text)) != std::end(kFunctionWords);
  };
  if (std::ranges::all_of(terms, function_word)) return terms;
  std::erase_if(terms, function_word);
  return terms;
}

}  // namespace tandem::search
