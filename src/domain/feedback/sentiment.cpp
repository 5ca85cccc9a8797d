#include "domain/feedback/sentiment.h"

#include <algorithm>
#include <cstdlib>

#include <map>

#include "core/table.h"
#include "domain/chat/bot.h"

namespace tandem::domain_data {
const std::map<std::string, std::string_view>& embedded_files();
}

namespace tandem::feedback {
namespace {

bool ascii(std::string_view s) {
  return std::ranges::all_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

const std::vector<SentimentPhrase>& builtin() {
  static const std::vector<SentimentPhrase> table = [] {
    auto parsed = parse_negative_phrases(tandem::domain_data::embedded_files().at("feedback/negative_phrases.txt"));
    if (!parsed) std::abort();  // a build that ships a broken list must not start; tests catch it first
    return *parsed;
  }();
  return table;
}

}  // namespace

Result<std::vector<SentimentPhrase>> parse_negative_phrases(std::string_view table) {
  std::vector<SentimentPhrase> out;
  TRY(for_each_table_line(table, [&](int number, const std::vector<std::string>& words) -> Result<void> {
    std::string phrase;
    for (std::size_t i = 0; i < words.size(); ++i) phrase += (i ? " " : "") + words[i];
    auto form = chat::phrase_form(phrase);
    if (form == " ") return fail(Code::invalid_argument, "negative phrases line " + std::to_string(number) + ": no letters");
    out.push_back({phrase, ascii(phrase) ? form : form.substr(1, form.size() - 2)});
    return {};
  }));
  return out;
}

std::optional<std::string> negative_phrase(std::string_view text) {
  auto form = chat::phrase_form(text);
  for (const auto& p : builtin())
    if (form.find(p.form) != std::string::npos) return p.listed;
  return std::nullopt;
}

}  // namespace tandem::feedback
