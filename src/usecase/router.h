// REL-4: the router. `tandem train-router` teaches a text classifier (fastText) from resolved
// tickets and agents' labels — one model for the team, one for the category — and prints its
// accuracy on the held-out fifth. A ticket's suggestion names the team and category with the
// classifier's confidence and the words that drove it; below routing::kTrustedConfidence (or
// before any training) the classification rules (DESK-2) suggest instead, and say which fired.
// Agents accept or correct a suggestion: the ticket takes the team and category, and the choice
// becomes a label the next training reads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/routing/routing.h"
#include "storage/tickets.h"
#include "usecase/context.h"

namespace fasttext {
class FastText;
}

namespace tandem::usecase {

struct RouteGuess;

// The text classifier (fastText, supervised, softmax over the labels), for the trainer, the
// suggestions and the benchmark. Copies share one model, which is only read.
class TextClassifier {
 public:
  // A saved model's bytes.
  static Result<TextClassifier> load(const std::string& bytes);
  // Learns from fastText lines (routing::example_line): the model's bytes.
  static Result<std::string> train(const std::vector<std::string>& lines);
  // The likeliest label with its probability and the terms that drove it; nullopt for no text.
  std::optional<RouteGuess> classify(const std::string& text) const;
  // Only the likeliest label, as fastText writes it ("__label__…"); empty for no text.
  std::string likeliest(const std::string& text) const;

 private:
  std::shared_ptr<const fasttext::FastText> model_;
};

struct TrainedKind {
  std::string kind;  // team, category
  std::int64_t examples = 0, held_out = 0, held_out_right = 0;
  std::optional<std::string> model_id;  // none when there was too little to learn from
  std::string why_not;
};
// Trains from the newest `limit` examples; `progress` hears a line per step.
Result<std::vector<TrainedKind>> train_router(const Services& s, const std::function<void(const std::string&)>& progress,
                                              int limit = 200'000);

struct RouteGuess {
  std::string value;
  double confidence = 0;  // the classifier's probability; 1 for a rule
  std::string source;     // classifier, rules
  std::vector<routing::Driver> words;  // what drove the classifier
  std::vector<std::string> rules;      // the rules that set it
};
struct RoutingSuggestion {
  std::optional<RouteGuess> team, category;
};
// GET /api/v1/tickets/{id}/routing-suggestion (staff).
Result<RoutingSuggestion> suggest_routing(const Services& s, const identity::Actor& actor, std::string_view ticket_id);

// POST /api/v1/tickets/{id}/routing-suggestion: the team and category chosen (null clears the
// team), as suggested or corrected.
struct RoutingChoice {
  std::optional<std::optional<std::string>> team_id;
  std::optional<std::string> category;
  std::optional<std::int64_t> expected_version;
};
Result<storage::Ticket> choose_routing(const Services& s, const identity::Actor& actor, std::string_view ticket_id, const RoutingChoice& choice);

}  // namespace tandem::usecase
