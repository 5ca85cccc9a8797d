// REL-3: the chat bot's decisions. A user's message is read for what it asks (an answer, a
// person, a ticket, or feedback on the last answer); a question is answered from published
// knowledge when the bot is sure enough of an article; otherwise, when the user asks for a
// person, or after two answers that did not help, the conversation is handed over. Pure: the
// knowledge search and the hand-over itself are the use case's (usecase/chat.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem::chat {

// What a message asks for, by the phrases of phrases.txt (zh and en, as data).
enum class Intent { question, greeting, helped, not_helped, person, ticket };
std::string_view to_string(Intent v);
Intent intent_of(std::string_view text);

// The phrase table; a malformed line is an error naming it.
struct Phrase {
  Intent intent = Intent::question;
  std::string text;  // in the form messages are compared in (phrase_form)
};
Result<std::vector<Phrase>> parse_phrases(std::string_view table);
// NFKC, case folded, ASCII punctuation (but the apostrophe) as spaces, single spaces, padded
// with one space at each end so that whole English words are found as " word ".
std::string phrase_form(std::string_view text);

// The terms a question is searched by, one search each: its content words (knowledge search
// terms, English function words dropped) and, for Chinese, its character pairs.
std::vector<std::string> question_terms(std::string_view question);

// An article the knowledge search found for a question: which of the question's terms led to it
// and its best search score.
struct Candidate {
  std::string article_id;
  std::vector<std::string> matched_terms;
  double score = 0;
};
struct Answer {
  std::string article_id;
  double confidence = 0;  // 0…1
};
// How much of a question an article holds: the share of the question's units — its words, and
// its Chinese characters but particles (了 吗 呢 …) — inside the terms that matched. Counting
// characters, not pairs, keeps the pairs that straddle two words ("空调坏了" → 调坏) from
// counting against a good article.
double coverage(std::span<const std::string> question_terms, std::span<const std::string> matched_terms);
// The candidate covering most of the question, the better score among equals; nullopt without
// candidates or terms.
std::optional<Answer> best_answer(std::span<const Candidate> candidates, std::span<const std::string> question_terms);

// Below this the bot does not answer but hands over (an article holding fewer than three of
// five words of a question is more often wrong than right).
inline constexpr double kConfidenceNeeded = 0.6;
// Answers that did not help before the bot hands over.
inline constexpr int kFailuresBeforeHandOff = 2;

enum class HandOffReason { low_confidence, asked_for_person, failed_answers };
std::string_view to_string(HandOffReason v);

// What the bot does next.
enum class Move {
  answer,          // quote the article
  greet,           // say hello and ask for the question
  ask_again,       // the answer did not help: ask to rephrase, offering a person or a ticket
  hand_off,        // to an agent with the transcript (a ticket when none is online)
  open_ticket,     // the user asked for one
  close_resolved,  // the answer helped: the bot resolved the chat
};
std::string_view to_string(Move v);

// What the bot remembers of the conversation.
struct Memory {
  int failures = 0;       // answers that did not help so far
  bool answered = false;  // its last message was an answer awaiting the user's verdict
};
struct Turn {
  Move move = Move::greet;
  std::optional<HandOffReason> reason;  // with hand_off
  std::optional<Answer> answer;         // with answer
  Memory memory;                        // after the turn
};
// `best`: the best answer to the message read as a question (nullopt when nothing matched or
// it has no words to search).
Turn next_turn(const Memory& memory, Intent intent, const std::optional<Answer>& best);

// What the bot quotes of an article's plain text: its first paragraph, cut at a character (never
// inside one) to at most `max_bytes`, with "…" when cut.
std::string quote_of(std::string_view text, std::size_t max_bytes = 400);

// One line of a chat, for the transcript a ticket or an agent receives.
struct TranscriptLine {
  std::int64_t at_ms = 0;
  std::string who;  // the user's name, "Bot", the agent's name
  std::string text;
};
// "[2026-12-07 18:00:00 UTC] <who>: <text>" a line, multi-line texts indented under their speaker.
std::string transcript_text(std::span<const TranscriptLine> lines);

}  // namespace tandem::chat
