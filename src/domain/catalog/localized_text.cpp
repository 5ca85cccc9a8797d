#include "domain/catalog/localized_text.h"

#include <algorithm>

#include "domain/identity/identity.h"

namespace tandem::catalog {
namespace {

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

}  // namespace

Result<LocalizedText> LocalizedText::make(std::string_view field, std::vector<std::pair<std::string, std::string>> translations,
                                          std::size_t max_bytes) {
  Error e(Code::invalid_argument, "Some texts are invalid.");
  auto problem = [&](const std::string& language, std::string text) {
    e.details.push_back({std::string(field) + (language.empty() ? "" : "." + language), std::move(text)});
  };
  Translations kept;
  if (translations.empty()) problem("", "give a text in at least one language (en, zh-CN)");
  for (auto& [language, text] : translations) {
    if (!identity::is_supported_language(language)) {
      problem(language, "is not a supported language; use en or zh-CN");
      continue;
    }
    if (blank(text)) problem(language, "must not be blank");
    else if (text.size() > max_bytes) problem(language, "must be at most " + std::to_string(max_bytes) + " bytes");
    if (!kept.emplace(language, std::move(text)).second) problem(language, "is given twice");
  }
  if (!e.details.empty()) return std::unexpected(std::move(e));
  return LocalizedText(std::move(kept));
}

std::string_view LocalizedText::in(std::string_view language) const {
  if (auto it = translations_.find(language); it != translations_.end()) return it->second;
  if (auto it = translations_.find(std::string_view("en")); it != translations_.end()) return it->second;
  return translations_.empty() ? std::string_view() : std::string_view(translations_.begin()->second);
}

LocalizedText LocalizedText::with(const LocalizedText& update) const {
  auto merged = translations_;
  for (const auto& [language, text] : update.translations_) merged.insert_or_assign(language, text);
  return LocalizedText(std::move(merged));
}

}  // namespace tandem::catalog
