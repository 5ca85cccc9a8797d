// DESK-8: negative sentiment as a moment of truth — whether what a person wrote holds one of the
// phrases of negative_phrases.txt (zh and en, data). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem::feedback {

// The first phrase of the built-in list that `text` holds, as listed; none when it holds none.
std::optional<std::string> negative_phrase(std::string_view text);

// A list in the file's shape: each line's phrase, in the form texts are compared in.
struct SentimentPhrase {
  std::string listed;  // as written in the list
  std::string form;    // chat::phrase_form: " word " for English, the characters for Chinese
};
Result<std::vector<SentimentPhrase>> parse_negative_phrases(std::string_view table);

}  // namespace tandem::feedback
