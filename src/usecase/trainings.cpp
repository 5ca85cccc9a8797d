#include "usecase/trainings.h"

#include <fmt/format.h>

#include "core/crypto.h"
#include "core/id.h"
#include "usecase/catalog_definitions.h"
#include "usecase/definition_access.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using namespace catalog_definitions;
namespace ob = ::tandem::onboarding;

const TranslatableKind kTraining{Kind::training, "training", "trn", kTrainingFields, "a training", "No such training.", "training.manage"};

struct CheckedTraining {
  Json definition;
  TrainingView view;
};

// A list field's objects, each read by `read(object, "<key>[i]")`.
template <class Read>
void each(const Json& def, const char* key, std::size_t most, Problems& p, Read read) {
  auto it = def.find(key);
  if (it == def.end() || it->is_null()) return;
  if (!it->is_array() || it->size() > most) {
    p.add(key, fmt::format("must be a list of at most {}", most));
    return;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    auto at = fmt::format("{}[{}]", key, i);
    if (!(*it)[i].is_object()) p.add(at, "must be an object");
    else read((*it)[i], at);
  }
}

Json definition_of(const ob::Training& t) {
  Json content = Json::array(), questions = Json::array();
  for (const auto& c : t.content) content.push_back({{"kind", ob::to_string(c.kind)}, {"url", c.url}, {"title", text_json(c.title)}});
  for (const auto& q : t.questions) {
    Json choices = Json::array();
    for (const auto& choice : q.choices) choices.push_back(text_json(choice));
    questions.push_back({{"text", text_json(q.text)}, {"choices", choices}, {"answer", q.answer}});
  }
  // "name" too: the title is what a definition's list and audit name it by.
  return {{"name", text_json(t.title)}, {"title", text_json(t.title)}, {"content", content}, {"questions", questions}, {"pass_mark", t.pass_mark}};
}

Result<std::optional<CheckedTraining>> check_body(const Json& def, std::string_view language, Problems& p) {
  TrainingView v;
  auto& t = v.training;
  if (auto title = def.find("title"); title == def.end() || title->is_null()) p.add("title", "is required");
  else t.title = text_of(*title, "title", language, 200, p).value_or(LocalizedText());
  each(def, "content", 50, p, [&](const Json& o, const std::string& at) {
    ob::ContentItem item;
    auto kind = o.value("kind", Json()).is_string() ? ob::parse_content_kind(o["kind"].get<std::string>()) : std::nullopt;
    if (!kind) p.add(at + ".kind", "allowed: video, document");
    else item.kind = *kind;
    if (!o.value("url", Json()).is_string()) p.add(at + ".url", "is required");
    else item.url = o["url"].get<std::string>();
    item.title = optional_text(o, "title", language, 200, p);
    t.content.push_back(std::move(item));
  });
  each(def, "questions", ob::kMaxQuestions, p, [&](const Json& o, const std::string& at) {
    ob::Question q;
    if (auto text = o.find("text"); text == o.end() || text->is_null()) p.add(at + ".text", "is required");
    else q.text = text_of(*text, at + ".text", language, 1000, p).value_or(LocalizedText());
    if (auto choices = o.find("choices"); choices == o.end() || !choices->is_array() || choices->size() > ob::kMaxChoices)
      p.add(at + ".choices", fmt::format("must be a list of 2 to {} choices", ob::kMaxChoices));
    else
      for (std::size_t j = 0; j < choices->size(); ++j)
        q.choices.push_back(text_of((*choices)[j], fmt::format("{}.choices[{}]", at, j), language, 500, p).value_or(LocalizedText()));
    auto answer = o.find("answer");
    if (answer == o.end() || !answer->is_number_integer() || answer->get<std::int64_t>() < 0 || answer->get<std::int64_t>() > 100)
      p.add(at + ".answer", "must be the index of the right choice, from 0");
    else q.answer = int(answer->get<std::int64_t>());
    t.questions.push_back(std::move(q));
  });
  if (auto mark = def.find("pass_mark"); mark != def.end() && !mark->is_null()) {
    if (!mark->is_number()) p.add("pass_mark", "must be a number from 0 to 1");
    else t.pass_mark = mark->get<double>();
  }
  // The training as a whole, but not again for a place already named while reading.
  if (auto whole = ob::check_training(t); !whole)
    for (auto& d : whole.error().details) {
      bool named = std::ranges::any_of(p.details(), [&](const FieldProblem& f) { return d.field.starts_with(f.field) || f.field.starts_with(d.field); });
      if (!named) p.add(std::move(d.field), std::move(d.problem));
    }
  if (p.any()) return std::optional<CheckedTraining>();
  auto definition = definition_of(t);
  v.digest = training_digest(definition.dump());
  return std::optional<CheckedTraining>(CheckedTraining{std::move(definition), std::move(v)});
}

TrainingView training_view(storage::StoredDefinition stored) {
  auto def = Json::parse(stored.definition);
  TrainingView v;
  auto& t = v.training;
  t.title = stored_text(def["title"]);
  for (const auto& c : def["content"])
    t.content.push_back({ob::parse_content_kind(c.value("kind", "")).value_or(ob::ContentKind::document), c.value("url", ""),
                         stored_text(c["title"])});
  for (const auto& q : def["questions"]) {
    ob::Question question{stored_text(q["text"]), {}, q.value("answer", 0)};
    for (const auto& choice : q["choices"]) question.choices.push_back(stored_text(choice));
    t.questions.push_back(std::move(question));
  }
  t.pass_mark = def.value("pass_mark", 1.0);
  v.digest = training_digest(stored.definition);
  v.stored = std::move(stored);
  return v;
}

}  // namespace

bool sees_training_answers(const Actor& actor) { return identity::Permissions::builtin().allows(actor, kTraining.manage); }

std::string training_digest(const std::string& definition) {
  auto def = Json::parse(definition);
  return sha256_hex(Json{{"content", def["content"]}, {"questions", def["questions"]}, {"pass_mark", def["pass_mark"]}}.dump());
}

Result<TrainingView> create_training(const Services& s, const Actor& actor, const CatalogInput& in) {
  return create_translatable<TrainingView>(s, actor, kTraining, in.fields_json, [&](storage::Connection&, const Json& def, Problems& p) {
    return check_body(def, actor.language, p);
  });
}

Result<std::vector<TrainingView>> list_trainings(const Services& s, const Actor& actor) {
  return list_definitions(s, actor, "training.read", Kind::training, training_view);
}

Result<TrainingView> get_training(const Services& s, const Actor& actor, std::string_view id) {
  return get_definition(s, actor, "training.read", Kind::training, id, kTraining.missing, training_view);
}

Result<TrainingView> update_training(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                     const CatalogInput& patch) {
  return patch_translatable<TrainingView>(s, actor, kTraining, id, expected_version, patch.fields_json,
                                          [&](storage::Connection&, const Json& def, Problems& p) {
                                            return check_body(def, actor.language, p);
                                          });
}

Result<void> delete_training(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, kTraining.manage));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, Kind::training, id, kTraining.missing));
    ASSIGN_OR_RETURN(auto requirement, first_naming(c, Kind::requirement, stored.id, {"training_id"}));
    if (requirement)
      return fail(Code::conflict, "A requirement is met by this training: " + requirement->id + ". Change the requirement first.",
                  "training_in_use");
    return remove_definition(c, s, actor, Kind::training, kTraining.type, stored);
  });
}

Result<AttemptResult> attempt_training(const Services& s, const Actor& actor, std::string_view id, const std::vector<int>& answers) {
  TRY(authorize(actor, "training.read"));
  return s.db.write([&](storage::Connection& c) -> Result<AttemptResult> {
    ASSIGN_OR_RETURN(auto stored, storage::definitions::find(c, Kind::training, id));
    if (!stored || !stored->active) return fail(Code::not_found, kTraining.missing);
    auto v = training_view(std::move(*stored));
    ASSIGN_OR_RETURN(auto score, ob::score_attempt(v.training, answers));
    storage::TrainingAttempt a;
    a.id = new_id("tra", s.clock.now());
    a.training_id = v.stored.id;
    a.user_id = actor.user_id;
    a.organization_id = actor.organization_id;
    a.content_digest = v.digest;
    a.answers = Json(answers).dump();
    a.correct = score.correct;
    a.questions = score.questions;
    a.passed = score.passed;
    a.created_at = to_millis(s.clock.now());
    TRY(storage::training_attempts::insert(c, a));
    TRY(record(c, s, actor, {"training.attempt", "training_attempt", a.id, a.organization_id, std::nullopt, canonical(a)}));
    return AttemptResult{std::move(a), v.training.pass_mark};
  });
}

Result<TrainingRecord> my_attempts(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, "training.read"));
  return s.db.read([&](storage::Connection& c) -> Result<TrainingRecord> {
    ASSIGN_OR_RETURN(auto stored, storage::definitions::find(c, Kind::training, id));
    if (!stored) return fail(Code::not_found, kTraining.missing);
    auto digest = training_digest(stored->definition);
    TrainingRecord out;
    ASSIGN_OR_RETURN(out.attempts, storage::training_attempts::of(c, actor.user_id, id, 50));
    ASSIGN_OR_RETURN(auto passes, storage::training_attempts::passes_of(c, actor.user_id));
    out.passed = passes.contains(std::string(id) + "\n" + digest);
    return out;
  });
}

}  // namespace tandem::usecase
