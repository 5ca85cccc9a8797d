#include "usecase/router.h"

#include <fasttext/fasttext.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "core/crypto.h"
#include "core/id.h"
#include "core/log.h"
#include "storage/routing.h"
#include "storage/users.h"
#include "usecase/classification.h"
#include "usecase/tickets.h"

namespace tandem::usecase {
namespace {

using identity::Actor;

constexpr std::array<std::string_view, 2> kKinds = {"team", "category"};
// Fewer than this, or one label alone, teaches nothing worth suggesting.
constexpr std::size_t kMinExamples = 10;
// Leaving out each term to see what drove a prediction costs a prediction per term: the first
// this many distinct terms are weighed.
constexpr std::size_t kWeighedTerms = 32;

constexpr std::int32_t kFastTextMagic = 793712314;

// Models in memory by id, kept while they are used (a few at most: one per kind, and the one
// being replaced while a suggestion still reads it).
std::mutex cache_mutex;
std::map<std::string, TextClassifier> cache;

Result<TextClassifier> loaded(const Services& s, const storage::RouterModel& figures) {
  {
    std::lock_guard lock(cache_mutex);
    if (auto it = cache.find(figures.id); it != cache.end()) return it->second;
  }
  ASSIGN_OR_RETURN(auto stored, s.db.read([&](storage::Connection& c) { return storage::router_models::find(c, figures.id); }));
  if (!stored) return fail(Code::not_found, "The router model is gone.");
  auto fresh = TextClassifier::load(stored->model);
  if (!fresh) return fail(Code::internal, "The router model " + stored->id + ": " + fresh.error().message);
  std::lock_guard lock(cache_mutex);
  if (cache.size() >= 8) cache.clear();
  cache.emplace(stored->id, *fresh);
  return *fresh;
}

// The probability of every label for `text`.
std::map<std::string, double> probabilities(const fasttext::FastText& model, const std::string& text) {
  std::istringstream in(text + "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  model.predictLine(in, predictions, -1, 0.0);
  std::map<std::string, double> out;
  for (const auto& [p, label] : predictions) out[label] = p;
  return out;
}

Result<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return fail(Code::internal, "Cannot read " + p.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A directory of the trainer's own, removed with everything in it.
struct Scratch {
  std::filesystem::path dir;
  Scratch() : dir(std::filesystem::temp_directory_path() / ("tandem-router-" + random_token(8))) { std::filesystem::create_directories(dir); }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

std::vector<std::string> split_terms(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string term; in >> term;) out.push_back(term);
  return out;
}

}  // namespace

Result<TextClassifier> TextClassifier::load(const std::string& bytes) {
  auto model = std::make_shared<fasttext::FastText>();
  try {
    std::istringstream in(bytes);
    // A saved model begins with fastText's magic number and version, which only loading from a
    // file reads: past them, the stream holds what loadModel(istream) expects.
    std::int32_t magic = 0, version = 0;
    in.read(reinterpret_cast<char*>(&magic), sizeof magic);
    in.read(reinterpret_cast<char*>(&version), sizeof version);
    if (!in || magic != kFastTextMagic) return fail(Code::invalid_argument, "not a fastText model");
    model->loadModel(in);
  } catch (const std::exception& e) {
    return fail(Code::invalid_argument, std::string("the model cannot be read: ") + e.what());
  }
  TextClassifier out;
  out.model_ = std::move(model);
  return out;
}

Result<std::string> TextClassifier::train(const std::vector<std::string>& lines) {
  Scratch scratch;
  {
    std::ofstream f(scratch.dir / "train.txt", std::ios::binary);
    for (const auto& l : lines) f << l << '\n';
    if (!f) return fail(Code::internal, "Cannot write the training examples.");
  }
  fasttext::FastText model;
  fasttext::Args args;
  args.input = (scratch.dir / "train.txt").string();
  args.output = (scratch.dir / "model").string();
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::softmax;
  args.dim = 32;
  args.epoch = 30;
  args.lr = 0.5;
  args.wordNgrams = 2;
  args.bucket = 50'000;  // word pairs share this many rows: the model stays a few megabytes
  args.minn = 0;
  args.maxn = 0;  // Chinese arrives as character pairs already (routing::ticket_text)
  args.minCount = 1;
  args.thread = 1;  // the same examples make the same model
  args.seed = 1;
  args.verbose = 0;
  try {
    model.train(args);
    model.saveModel((scratch.dir / "model.bin").string());
  } catch (const std::exception& e) {
    return fail(Code::internal, std::string("Training failed: ") + e.what());
  }
  return read_file(scratch.dir / "model.bin");
}

std::string TextClassifier::likeliest(const std::string& text) const {
  auto all = probabilities(*model_, text);
  if (all.empty()) return "";
  return std::ranges::max_element(all, {}, [](const auto& kv) { return kv.second; })->first;
}

std::optional<RouteGuess> TextClassifier::classify(const std::string& text) const {
  const auto& model = *model_;
  auto all = probabilities(model, text);
  if (all.empty()) return std::nullopt;
  auto best = std::ranges::max_element(all, {}, [](const auto& kv) { return kv.second; });
  RouteGuess g{routing::label_of(best->first), best->second, "classifier", {}, {}};
  auto terms = split_terms(text);
  std::vector<std::string> weighed;
  for (const auto& t : terms)
    if (weighed.size() < kWeighedTerms && std::ranges::find(weighed, t) == weighed.end()) weighed.push_back(t);
  std::vector<double> without;
  for (const auto& gone : weighed) {
    std::string rest;
    for (const auto& t : terms)
      if (t != gone) rest += (rest.empty() ? "" : " ") + t;
    auto p = probabilities(model, rest);
    auto it = p.find(best->first);
    without.push_back(it == p.end() ? 0.0 : it->second);
  }
  g.words = routing::drivers(weighed, best->second, without, 5);
  return g;
}

namespace {

struct Split {
  std::vector<std::string> training, held_out;
};

Result<TrainedKind> train_kind(const Services& s, std::string_view kind, const std::vector<storage::RoutingExample>& examples,
                               const std::function<void(const std::string&)>& progress) {
  TrainedKind out;
  out.kind = std::string(kind);
  Split split;
  std::set<std::string> labels;
  for (const auto& e : examples) {
    std::string label = kind == "team" ? e.team_id.value_or("") : e.category;
    if (label.empty()) continue;
    auto text = routing::ticket_text(e.subject, e.description);
    if (text.empty()) continue;
    labels.insert(label);
    (routing::held_out(e.ticket_id) ? split.held_out : split.training).push_back(routing::example_line(label, text));
  }
  out.examples = std::int64_t(split.training.size() + split.held_out.size());
  out.held_out = std::int64_t(split.held_out.size());
  if (split.training.size() < kMinExamples || labels.size() < 2) {
    out.why_not = "too little to learn from: " + std::to_string(out.examples) + " examples with " + std::to_string(labels.size()) +
                  " different " + std::string(kind) + (labels.size() == 1 ? "" : "s") + " (at least " + std::to_string(kMinExamples) +
                  " and 2 are needed)";
    progress(std::string(kind) + ": " + out.why_not);
    return out;
  }
  progress(std::string(kind) + ": training on " + std::to_string(split.training.size()) + " examples, " + std::to_string(labels.size()) +
           " labels");
  ASSIGN_OR_RETURN(auto bytes, TextClassifier::train(split.training));
  ASSIGN_OR_RETURN(auto model, TextClassifier::load(bytes));
  for (const auto& line : split.held_out) {
    auto space = line.find(' ');
    out.held_out_right += model.likeliest(line.substr(space + 1)) == line.substr(0, space);
  }
  storage::RouterModel stored{new_id("rtm", s.clock.now()), std::string(kind), std::move(bytes), out.examples, out.held_out,
                              out.held_out_right, "system", to_millis(s.clock.now())};
  TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
    TRY(storage::router_models::insert(c, stored));
    return record(c, s, system_actor(), {"router.train", "router_model", stored.id, "", std::nullopt,
                                         "router_model\nkind=" + stored.kind + "\nexamples=" + std::to_string(stored.examples) + "\n"});
  }));
  out.model_id = stored.id;
  routing::Accuracy accuracy{out.held_out_right, out.held_out};
  progress(std::string(kind) + ": accuracy on " + std::to_string(out.held_out) + " held-out examples " +
           std::to_string(int(accuracy.ratio() * 1000 + 0.5) / 10.0).substr(0, 5) + "%");
  return out;
}

}  // namespace

Result<std::vector<TrainedKind>> train_router(const Services& s, const std::function<void(const std::string&)>& progress, int limit) {
  progress("reading up to " + std::to_string(limit) + " resolved or labelled tickets");
  ASSIGN_OR_RETURN(auto examples, s.db.read([&](storage::Connection& c) { return storage::routing_examples(c, limit); }));
  std::vector<TrainedKind> out;
  for (auto kind : kKinds) {
    ASSIGN_OR_RETURN(auto trained, train_kind(s, kind, examples, progress));
    out.push_back(std::move(trained));
  }
  return out;
}

Result<RoutingSuggestion> suggest_routing(const Services& s, const Actor& actor, std::string_view ticket_id) {
  TRY(authorize(actor, "ticket.route"));
  ASSIGN_OR_RETURN(auto t, get_ticket(s, actor, ticket_id));
  struct Read {
    std::vector<tickets::ClassificationRule> rules;
    std::vector<tickets::TeamSkills> teams;
    std::vector<identity::UserFlag> flags;
    std::string language, time_zone;
    std::optional<storage::RouterModel> team_model, category_model;
  };
  ASSIGN_OR_RETURN(auto read, s.db.read([&](storage::Connection& c) -> Result<Read> {
    Read r;
    ASSIGN_OR_RETURN(r.rules, active_classification_rules(c));
    ASSIGN_OR_RETURN(r.teams, team_skills(c));
    ASSIGN_OR_RETURN(auto affected, storage::users::find(c, storage::Scope::system(), t.affected_user_id()));
    if (affected) r.flags = affected->flags, r.language = affected->language, r.time_zone = affected->time_zone;
    ASSIGN_OR_RETURN(r.team_model, storage::router_models::newest(c, "team"));
    ASSIGN_OR_RETURN(r.category_model, storage::router_models::newest(c, "category"));
    return r;
  }));
  auto text = routing::ticket_text(t.subject, t.description);
  auto by_classifier = [&](const std::optional<storage::RouterModel>& figures) -> Result<std::optional<RouteGuess>> {
    if (!figures || text.empty()) return std::optional<RouteGuess>();
    ASSIGN_OR_RETURN(auto model, loaded(s, *figures));
    auto guess = model.classify(text);
    if (!guess || guess->confidence < routing::kTrustedConfidence) return std::optional<RouteGuess>();
    return guess;
  };
  auto decided = tickets::classify(read.rules, {t.type, t.channel, t.organization_id, t.subject, t.description, read.flags, read.language,
                                                read.time_zone, t.service_id},
                                   &read.teams);
  std::vector<std::string> fired;
  for (const auto& f : decided.fired) fired.push_back(f.name.starts_with("rule:") ? f.name.substr(5) : f.name);
  auto by_rules = [&](const std::optional<std::string>& value) -> std::optional<RouteGuess> {
    if (!value) return std::nullopt;
    return RouteGuess{*value, 1.0, "rules", {}, fired};
  };
  RoutingSuggestion out;
  ASSIGN_OR_RETURN(out.team, by_classifier(read.team_model));
  if (!out.team && decided.set.skill) {
    out.team = by_rules(tickets::team_with_skill(read.teams, *decided.set.skill, read.language));
  }
  if (!out.team) out.team = by_rules(decided.set.team_id);
  ASSIGN_OR_RETURN(out.category, by_classifier(read.category_model));
  if (!out.category) out.category = by_rules(decided.set.category);
  return out;
}

Result<storage::Ticket> choose_routing(const Services& s, const Actor& actor, std::string_view ticket_id, const RoutingChoice& choice) {
  TRY(authorize(actor, "ticket.route"));
  if (!choice.team_id && !choice.category) {
    Error e(Code::invalid_argument, "Some fields are invalid.");
    e.details.push_back({"team_id", "give the team, the category or both"});
    return fail(e);
  }
  // What was suggested only marks the label a correction or not: without a readable model or
  // rules, the agent still routes the ticket.
  auto suggested = suggest_routing(s, actor, ticket_id);
  auto suggestion = suggested ? *suggested : RoutingSuggestion{};
  TicketPatch patch;
  patch.team_id = choice.team_id;
  patch.category = choice.category;
  ASSIGN_OR_RETURN(auto t, update_ticket(s, actor, ticket_id, choice.expected_version, patch));
  storage::RoutingLabel label;
  label.ticket_id = t.id;
  label.team_id = t.team_id;
  label.category = t.category;
  if (suggestion.team) label.suggested_team_id = suggestion.team->value;
  if (suggestion.category) label.suggested_category = suggestion.category->value;
  label.corrected = (choice.team_id && label.suggested_team_id != t.team_id) ||
                    (choice.category && label.suggested_category != std::optional<std::string>(t.category));
  label.labelled_by = actor.user_id;
  label.labelled_at = to_millis(s.clock.now());
  // The ticket changed already; the label follows in its own transaction (a retry of the choice
  // writes the same one). A label lost is a lesson missed, not a reason to report the move failed.
  if (auto kept = s.db.write([&](storage::Connection& c) { return storage::routing_labels::put(c, label); }); !kept)
    log_message(LogLevel::error, "routing label of " + t.id + ": " + kept.error().message);
  return t;
}

}  // namespace tandem::usecase
