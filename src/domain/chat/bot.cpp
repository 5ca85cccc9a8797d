#include "domain/chat/bot.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include "core/clock.h"
#include "core/table.h"
#include "domain/search/terms.h"

namespace tandem::domain_data {
const std::map<std::string, std::string_view>& embedded_files();
}

namespace tandem::chat {
namespace {

constexpr std::pair<Intent, std::string_view> kIntents[] = {
    {Intent::question, "question"},     {Intent::greeting, "greeting"}, {Intent::helped, "helped"},
    {Intent::not_helped, "not_helped"}, {Intent::person, "person"},     {Intent::ticket, "ticket"},
};

// Feedback and greetings are short: "no", "谢谢，解决了". A longer message is a question even when
// it holds such a word.
constexpr std::size_t kShortMessage = 40;  // bytes of its phrase form, about eight words or twelve Chinese characters

const std::vector<Phrase>& builtin_phrases() {
  static const std::vector<Phrase> table = [] {
    auto parsed = parse_phrases(tandem::domain_data::embedded_files().at("chat/phrases.txt"));
    if (!parsed) std::abort();  // a build that ships a broken table must not start; tests catch it first
    return *parsed;
  }();
  return table;
}

// Chinese particles and pronouns a question holds without their being what it asks about.
constexpr std::string_view kParticles[] = {"了", "吗", "呢", "吧", "啊", "呀", "的", "地", "得", "我", "你", "您", "请", "是", "在"};

bool ascii(std::string_view s) {
  return std::ranges::all_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

std::string_view to_string(Intent v) {
  for (auto [intent, name] : kIntents)
    if (intent == v) return name;
  return "question";
}

std::string_view to_string(HandOffReason v) {
  switch (v) {
    case HandOffReason::low_confidence: return "low_confidence";
    case HandOffReason::asked_for_person: return "asked_for_person";
    case HandOffReason::failed_answers: return "failed_answers";
  }
  return "low_confidence";
}

std::string_view to_string(Move v) {
  switch (v) {
    case Move::answer: return "answer";
    case Move::greet: return "greet";
    case Move::ask_again: return "ask_again";
    case Move::hand_off: return "hand_off";
    case Move::open_ticket: return "open_ticket";
    case Move::close_resolved: return "close_resolved";
  }
  return "greet";
}

std::string phrase_form(std::string_view text) {
  std::string normalized = search::normalized_text(text);
  // The typographic apostrophe (U+2019) people's keyboards put in "didn’t".
  for (std::size_t at; (at = normalized.find("\xE2\x80\x99")) != std::string::npos;) normalized.replace(at, 3, "'");
  std::string out = " ";
  for (char ch : normalized) {
    auto u = static_cast<unsigned char>(ch);
    bool separator = u < 0x80 && !std::isalnum(u) && ch != '\'';
    if (separator) {
      if (out.back() != ' ') out += ' ';
    } else {
      out += ch;
    }
  }
  if (out.back() != ' ') out += ' ';
  return out;
}

Result<std::vector<Phrase>> parse_phrases(std::string_view table) {
  std::vector<Phrase> out;
  TRY(for_each_table_line(table, [&](int number, const std::vector<std::string>& words) -> Result<void> {
    auto bad = [&](const std::string& why) { return fail(Code::invalid_argument, "phrases line " + std::to_string(number) + ": " + why); };
    if (words.size() < 2) return bad("needs an intent and a phrase");
    auto known = std::ranges::find(kIntents, words[0], &std::pair<Intent, std::string_view>::second);
    if (known == std::end(kIntents) || known->first == Intent::question) return bad("unknown intent " + words[0]);
    std::string phrase;
    for (std::size_t i = 1; i < words.size(); ++i) phrase += (i > 1 ? " " : "") + words[i];
    auto form = phrase_form(phrase);
    if (form == " ") return bad("the phrase has no letters");
    out.push_back({known->first, ascii(phrase) ? form : form.substr(1, form.size() - 2)});
    return {};
  }));
  return out;
}

Intent intent_of(std::string_view text) {
  auto form = phrase_form(text);
  bool is_short = form.size() <= kShortMessage;
  auto said = [&](Intent intent) {
    return std::ranges::any_of(builtin_phrases(), [&](const Phrase& p) {
      return p.intent == intent && form.find(p.text) != std::string::npos;
    });
  };
  // The strongest wish first: "no, I want a person" asks for a person.
  if (said(Intent::person)) return Intent::person;
  if (said(Intent::ticket)) return Intent::ticket;
  if (is_short) {
    if (said(Intent::not_helped)) return Intent::not_helped;  // "thanks, but that did not help"
    if (said(Intent::helped)) return Intent::helped;
    if (said(Intent::greeting)) return Intent::greeting;
  }
  return Intent::question;
}

std::vector<std::string> question_terms(std::string_view question) {
  std::vector<std::string> out;
  auto parsed = search::parse_query(question);
  if (!parsed) return out;
  for (auto& term : search::content_terms(std::move(*parsed)))
    if (std::ranges::find(out, term.text) == out.end()) out.push_back(std::move(term.text));
  return out;
}

double coverage(std::span<const std::string> question_terms, std::span<const std::string> matched_terms) {
  std::vector<std::string> units, covered;
  auto add_units = [](const std::string& term, std::vector<std::string>& into) {
    if (ascii(term)) {
      if (std::ranges::find(into, term) == into.end()) into.push_back(term);
      return;
    }
    for (std::size_t i = 0; i < term.size();) {
      std::size_t n = 1;
      while (i + n < term.size() && (static_cast<unsigned char>(term[i + n]) & 0xC0) == 0x80) ++n;
      std::string ch = term.substr(i, n);
      i += n;
      if (std::ranges::find(kParticles, ch) != std::end(kParticles)) continue;
      if (std::ranges::find(into, ch) == into.end()) into.push_back(ch);
    }
  };
  for (const auto& term : question_terms) add_units(term, units);
  for (const auto& term : matched_terms) add_units(term, covered);
  if (units.empty()) return 0;
  auto held = std::ranges::count_if(covered, [&](const std::string& u) { return std::ranges::find(units, u) != units.end(); });
  return double(held) / double(units.size());
}

std::optional<Answer> best_answer(std::span<const Candidate> candidates, std::span<const std::string> question_terms) {
  std::optional<Answer> best;
  double best_score = 0;
  for (const auto& c : candidates) {
    double share = coverage(question_terms, c.matched_terms);
    if (share <= 0) continue;
    if (!best || share > best->confidence || (share == best->confidence && c.score > best_score)) {
      best = Answer{c.article_id, share};
      best_score = c.score;
    }
  }
  return best;
}

Turn next_turn(const Memory& memory, Intent intent, const std::optional<Answer>& best) {
  Turn t;
  t.memory = memory;
  t.memory.answered = false;
  bool sure = best && best->confidence >= kConfidenceNeeded;
  auto answer = [&] {
    t.move = Move::answer;
    t.answer = best;
    t.memory.answered = true;
    return t;
  };
  switch (intent) {
    case Intent::person:
      t.move = Move::hand_off;
      t.reason = HandOffReason::asked_for_person;
      return t;
    case Intent::ticket:
      t.move = Move::open_ticket;
      return t;
    case Intent::helped:
      if (memory.answered) {
        t.move = Move::close_resolved;
        return t;
      }
      break;  // "yes" to nothing: read as words
    case Intent::not_helped:
      if (memory.answered) {
        ++t.memory.failures;
        t.move = t.memory.failures >= kFailuresBeforeHandOff ? Move::hand_off : Move::ask_again;
        if (t.move == Move::hand_off) t.reason = HandOffReason::failed_answers;
        return t;
      }
      break;  // "no wifi" is a question when nothing was answered
    case Intent::greeting:
    case Intent::question:
      break;
  }
  if (sure) return answer();
  // A greeting or a bare "thanks" is not a question the bot failed: it asks for one.
  if (intent != Intent::question) {
    t.move = Move::greet;
    return t;
  }
  t.move = Move::hand_off;
  t.reason = HandOffReason::low_confidence;
  return t;
}

std::string quote_of(std::string_view text, std::size_t max_bytes) {
  auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  text.remove_prefix(start);
  auto paragraph_end = text.find("\n\n");
  if (paragraph_end != std::string_view::npos) text = text.substr(0, paragraph_end);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // back to a character's first byte
  return std::string(text.substr(0, cut)) + "…";
}

std::string transcript_text(std::span<const TranscriptLine> lines) {
  std::string out;
  for (const auto& line : lines) {
    auto at = to_rfc3339(from_millis(line.at_ms));  // 2026-12-07T18:00:00.000Z
    out += "[" + at.substr(0, 10) + " " + at.substr(11, 8) + " UTC] " + line.who + ":";
    std::string_view text = line.text;
    bool first = true;
    while (true) {
      auto end = text.find('\n');
      out += (first ? " " : "    ");
      out += text.substr(0, end);
      out += '\n';
      first = false;
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
  }
  return out;
}

}  // namespace tandem::chat
