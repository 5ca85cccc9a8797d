#include "domain/knowledge/article.h"

#include <algorithm>
#include <array>

namespace tandem::knowledge {
namespace {
constexpr std::array<std::pair<ArticleState, std::string_view>, 4> kStates{{
    {ArticleState::draft, "draft"},
    {ArticleState::review, "review"},
    {ArticleState::published, "published"},
    {ArticleState::archived, "archived"},
}};

template <class T>
bool meets(const std::vector<T>& wanted, const std::vector<T>& held) {
  return wanted.empty() || std::ranges::any_of(wanted, [&](const T& w) { return std::ranges::find(held, w) != held.end(); });
}
}  // namespace

std::optional<ArticleState> parse_article_state(std::string_view text) {
  for (auto [state, name] : kStates)
    if (name == text) return state;
  return std::nullopt;
}

std::string_view to_string(ArticleState state) {
  for (auto [s, name] : kStates)
    if (s == state) return name;
  return "draft";
}

bool can_move(ArticleState from, ArticleState to) {
  using enum ArticleState;
  return (from == draft && to == review) || (from == review && to == draft) || (from == published && to == archived) ||
         (from == archived && to == draft);
}

bool can_publish(ArticleState state) { return state == ArticleState::draft || state == ArticleState::review; }

bool in_audience(const Audience& audience, const Reader& reader) {
  return meets(audience.organization_ids, std::vector<std::string>{reader.organization_id}) && meets(audience.roles, reader.roles) &&
         meets(audience.offering_ids, reader.offering_ids);
}

std::string_view served_language(std::string_view wanted, std::string_view original, const std::vector<std::string>& available) {
  for (const auto& language : available)
    if (language == wanted) return language;
  // "zh" asks for any Chinese we have; "zh-CN" takes "zh" too.
  auto base = wanted.substr(0, wanted.find('-'));
  for (const auto& language : available)
    if (std::string_view(language).substr(0, language.find('-')) == base) return language;
  return original;
}

}  // namespace tandem::knowledge
