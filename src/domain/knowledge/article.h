// KB-1: a knowledge article's life and who may read it. Pure: the use cases load the article and
// the reader and ask here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/identity/identity.h"

namespace tandem::knowledge {

// draft → review → published → archived. Staff write drafts; a draft goes to review or is
// published directly by one allowed to publish; review goes back to draft or is published; a
// published article is archived, an archived one reopened as a draft.
enum class ArticleState { draft, review, published, archived };
std::optional<ArticleState> parse_article_state(std::string_view text);
std::string_view to_string(ArticleState state);

// Whether `to` may follow `from` by a change of state (publishing is its own step: publish()).
bool can_move(ArticleState from, ArticleState to);
// Whether an article in `state` may be published.
bool can_publish(ArticleState state);

// Who reads an article or a community space (COM-1): members of the named organisations, with
// one of the named roles, holding a tier of one of the named offerings. A list left empty does
// not narrow; an audience of three empty lists is every signed-in user.
struct Audience {
  std::vector<std::string> organization_ids;
  std::vector<identity::Role> roles;
  std::vector<std::string> offering_ids;
  bool empty() const { return organization_ids.empty() && roles.empty() && offering_ids.empty(); }
  bool operator==(const Audience&) const = default;
};

// A consumer reading knowledge (provider staff read all of it and are never asked).
struct Reader {
  std::string organization_id;
  std::vector<identity::Role> roles;
  std::vector<std::string> offering_ids;  // the offerings whose tiers they hold
};

bool in_audience(const Audience& audience, const Reader& reader);

// The language of the text a reader gets: theirs when the article has it, else the article's
// own (the one it was written in).
std::string_view served_language(std::string_view wanted, std::string_view original, const std::vector<std::string>& available);

}  // namespace tandem::knowledge
