// ONB-11: how the catalog's translatable texts are written for one request — in the caller's
// language, or `?lang=en|zh-CN`, or every translation with `?lang=all` (what an editor needs).
#pragma once

#include <string>

#include "domain/catalog/localized_text.h"
#include "http/dto.h"
#include "http/message.h"

namespace tandem::http {

// How texts are written for one request.
struct Texts {
  bool all = false;
  std::string language;

  Json operator()(const catalog::LocalizedText& t) const {
    if (all) {
      Json out = Json::object();
      for (const auto& [lang, text] : t.translations()) out[lang] = text;
      return out;
    }
    return t.empty() ? Json(nullptr) : Json(std::string(t.in(language)));
  }
};

inline Result<Texts> texts_of(const Request& r) {
  auto lang = r.query_value("lang");
  if (!lang) return Texts{false, r.actor().language};
  if (*lang == "all") return Texts{true, ""};
  if (*lang == "en" || *lang == "zh-CN") return Texts{false, *lang};
  Error e(Code::invalid_argument, "Some query parameters are invalid.");
  e.details.push_back({"lang", "must be en, zh-CN or all"});
  return fail(std::move(e));
}

// Renderers run after the use case answered; an invalid ?lang= falls back to the caller's
// language there (the catalog's own list checks it first; the definition routes do not).
inline Texts texts_for(const Request& r) { return texts_of(r).value_or(Texts{false, r.actor().language}); }

}  // namespace tandem::http
