// ONB-11: the catalog speaks the user's language. A text of the catalog — a service's name, a
// request type's description, a form field's validation message — is kept in every language it
// was written in and read in the reader's, falling back to English, then to any it has.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace tandem::catalog {

class LocalizedText {
 public:
  using Translations = std::map<std::string, std::string, std::less<>>;  // language tag → text

  LocalizedText() = default;

  // Checks every translation: a supported language (identity::is_supported_language), a text
  // that is not blank and at most `max_bytes` long. Each problem is a detail named
  // "<field>.<language>" (or "<field>" when there is no translation at all).
  static Result<LocalizedText> make(std::string_view field, std::vector<std::pair<std::string, std::string>> translations,
                                    std::size_t max_bytes);

  // The text in `language`; else in English; else in the first language it has; "" if none.
  std::string_view in(std::string_view language) const;
  // Whether `language` has its own translation (not a fallback).
  bool has(std::string_view language) const { return translations_.contains(language); }
  const Translations& translations() const { return translations_; }
  bool empty() const { return translations_.empty(); }

  // This text with `update`'s translations added or replacing its own (a merge patch per
  // language, as a translator sends only the language they worked on).
  LocalizedText with(const LocalizedText& update) const;

  friend bool operator==(const LocalizedText&, const LocalizedText&) = default;

 private:
  explicit LocalizedText(Translations t) : translations_(std::move(t)) {}
  Translations translations_;
};

}  // namespace tandem::catalog
