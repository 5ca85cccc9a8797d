// REL-1: the readers of what strangers send — mail (GMime and our own rules on top), hook bodies
// (Tandem's JSON, Telegram updates, Alertmanager groups) and signature headers — fed thousands of
// mutations of the mail corpus and of real payloads. Mutation fuzzing with a fixed seed, so a
// failure repeats; no coverage guidance (GCC has no libFuzzer). Each reader must answer — a
// value or an error — never crash or throw, and what it answers must hold its promises (valid
// UTF-8 text, a Message-ID, problems named by field).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "channels/hooks.h"
#include "channels/mail.h"
#include "core/crypto.h"
#include "domain/channels/channel.h"
#include "domain/channels/mail.h"
#include "domain/markup/sanitizer.h"
#include "domain/tickets/attachment.h"

namespace tandem::testing {
namespace {

using Json = nlohmann::json;

constexpr int kRounds = 3000;  // per target: a few seconds in all


class Mutator {
 public:
  explicit Mutator(std::vector<std::string> seeds) : seeds_(std::move(seeds)) {}

  std::string next() {
    auto s = seeds_[pick(seeds_.size())];
    int edits = 1 + int(pick(8));
    for (int e = 0; e < edits && s.size() < 64 * 1024; ++e) {
      switch (pick(8)) {
        case 0:  // flip a byte
          if (!s.empty()) s[pick(s.size())] = char(pick(256));
          break;
        case 1:  // insert a token that means something to a parser
          s.insert(pick(s.size() + 1), kTokens[pick(std::size(kTokens))]);
          break;
        case 2:  // delete a run
          if (!s.empty()) {
            auto at = pick(s.size());
            s.erase(at, pick(std::min<std::size_t>(s.size() - at, 200) + 1));
          }
          break;
        case 3:  // repeat a run
          if (!s.empty()) {
            auto at = pick(s.size());
            auto len = pick(std::min<std::size_t>(s.size() - at, 300) + 1);
            s.insert(at, s.substr(at, len));
          }
          break;
        case 4:  // cut the end
          s.resize(pick(s.size() + 1));
          break;
        case 5:  // splice another seed in
          {
            const auto& other = seeds_[pick(seeds_.size())];
            auto from = pick(other.size() + 1);
            s.insert(pick(s.size() + 1), other.substr(from, pick(other.size() - from + 1)));
          }
          break;
        case 6:  // random bytes
          for (std::size_t k = pick(16); k > 0; --k) s.insert(s.begin() + std::ptrdiff_t(pick(s.size() + 1)), char(pick(256)));
          break;
        default:  // one very long line
          s.insert(pick(s.size() + 1), std::string(pick(5000), "a=\r\n:;\"<"[pick(9)]));
      }
    }
    return s;
  }

 private:
  std::size_t pick(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  static constexpr std::string_view kTokens[] = {
      "\r\n",   "\n\n",       "--",          "--B--\n",   "boundary=\"B\"",   "=?UTF-8?B?5oqk?=", "=?GBK?Q?=B4=F2?=", "=?",   "?=",
      "=\r\n",  "=3D",        "charset=",    "GB18030",   "Content-Type: multipart/mixed; boundary=B\n", "Content-Transfer-Encoding: base64\n",
      "Content-Transfer-Encoding: quoted-printable\n", "filename*=UTF-8''%E5", "In-Reply-To: <", "Message-ID: <>", ">", "\0",
      "\xFF\xFE", "<script>", "<a href=\"javascript:", "[T#1-", "+t1-", "On x wrote:", "-- \n", "{", "}", "[", "]", "\"", ":", ",",
      "null", "1e999", "-1", "\"\\u0000\"", "{\"alerts\":[", "\"status\":\"firing\"", "\"message\":{"};
  std::vector<std::string> seeds_;
  std::mt19937_64 rng_{20261207};
};

// A JSON value changed where it stands — a node's type or value replaced, a key dropped or
// added — so the readers see bodies that parse but do not say what they should.
void mutate_json(Json& v, std::mt19937_64& rng, int depth = 0) {
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  auto random_value = [&]() -> Json {
    switch (pick(8)) {
      case 0: return nullptr;
      case 1: return std::int64_t(pick(1u << 20)) - 1000;
      case 2: return 1e308;
      case 3: {
        static const std::string_view kPieces[] = {"x", "王", "\n", " ", "\"", "\\"};
        std::string text;
        for (auto n = pick(300); n > 0; --n) text += kPieces[pick(std::size(kPieces))];
        return text;
      }
      case 4: return Json::array({1, "two", nullptr});
      case 5: return Json::object({{"id", "x"}});
      case 6: return true;
      default: return "";
    }
  };
  if (depth > 6) return;
  if (v.is_object() && !v.empty()) {
    auto it = v.begin();
    std::advance(it, std::ptrdiff_t(pick(v.size())));
    switch (pick(4)) {
      case 0: v.erase(it.key()); break;
      case 1: *it = random_value(); break;
      case 2: v["extra" + std::to_string(pick(3))] = random_value(); break;
      default: mutate_json(*it, rng, depth + 1);
    }
  } else if (v.is_array() && !v.empty()) {
    auto& item = v[pick(v.size())];
    if (pick(3) == 0) item = random_value();
    else mutate_json(item, rng, depth + 1);
    if (pick(4) == 0) v.push_back(v[0]);
  } else {
    v = random_value();
  }
}

std::vector<std::string> mail_corpus() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(TANDEM_FIXTURES) / "mail"))
    if (e.path().extension() == ".eml") {
      std::ifstream in(e.path(), std::ios::binary);
      out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  return out;
}

TEST(Fuzz, TheMailReaderAnswersEveryMutationWithValidText) {
  auto corpus = mail_corpus();
  ASSERT_GE(corpus.size(), 30u);
  Mutator m(corpus);
  int read = 0;
  for (int i = 0; i < kRounds; ++i) {
    auto raw = m.next();
    auto mail = channels::read_mail(raw);
    if (!mail) continue;
    ++read;
    ASSERT_FALSE(mail->message_id.empty()) << "round " << i;
    ASSERT_TRUE(tickets::valid_utf8(mail->text)) << "round " << i;
    ASSERT_TRUE(tickets::valid_utf8(mail->from_name)) << "round " << i;
    // Our rules on top of what GMime read.
    channels::automatic_reason(mail->headers, mail->from_address, mail->content_type);
    auto folded = channels::fold_quoted(mail->text);
    ASSERT_LE(folded.text.size(), mail->text.size() + 1) << "round " << i;
    channels::reference_in_subject(mail->subject);
    for (const auto& r : mail->recipients) channels::reference_in_address(r);
    channels::clean_subject(mail->subject);
  }
  EXPECT_GT(read, kRounds / 4) << "most mutations still read as mail: the fuzzing reaches past the parser's front door";
}

TEST(Fuzz, TheHookReadersAnswerEveryMutationWithAValueOrProblems) {
  std::vector<std::string> seeds = {
      R"({"message_id":"m-1","from":"+8613800138000","name":"陈静","text":"空调坏了","ticket_id":"tkt_1"})",
      R"({"update_id":1000,"message":{"message_id":77,"from":{"id":424242,"first_name":"Wang","username":"w"},"chat":{"id":424242,"type":"private"},"date":1765000000,"text":"WiFi down"}})",
      R"({"version":"4","groupKey":"{}:{alertname=\"X\"}","status":"firing","receiver":"t","groupLabels":{"alertname":"X"},"commonLabels":{"severity":"critical","service":"s"},"commonAnnotations":{"summary":"disk"},"externalURL":"http://am","alerts":[{"status":"firing","labels":{"alertname":"X"},"annotations":{"summary":"disk"},"startsAt":"2026-12-07T08:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"f","generatorURL":"http://p"}]})"};
  Mutator m(seeds);
  std::mt19937_64 rng(7);
  int parsed = 0;
  for (int i = 0; i < kRounds; ++i) {
    // Half the rounds change bytes (most no longer parse), half change the parsed tree.
    Json body;
    std::string raw;
    if (i % 2 == 0) {
      raw = m.next();
      body = Json::parse(raw, nullptr, false);
      if (body.is_discarded()) continue;
    } else {
      body = Json::parse(seeds[std::size_t(i / 2) % seeds.size()]);
      for (int edits = 1 + i % 4; edits > 0; --edits) mutate_json(body, rng);
      raw = body.dump();
    }
    ++parsed;
    for (int reader = 0; reader < 3; ++reader) {
      try {
        if (reader == 0) {
          auto r = channels::read_generic_message(body);
          if (!r) {
            ASSERT_FALSE(r.error().details.empty()) << "round " << i << ": " << raw;
          }
        } else if (reader == 1) {
          auto r = channels::read_telegram_update(body);
          if (!r) {
            ASSERT_FALSE(r.error().details.empty()) << "round " << i;
          } else if (*r) {
            ASSERT_TRUE(tickets::valid_utf8((*r)->text)) << "round " << i;
          }
        } else {
          auto r = channels::read_alertmanager(body);
          if (r) {
            ASSERT_FALSE(channels::incident_subject(*r).empty());
            channels::incident_text(*r);
          } else {
            ASSERT_FALSE(r.error().details.empty()) << "round " << i;
          }
        }
      } catch (const std::exception& e) {
        FAIL() << "reader " << reader << " threw at round " << i << ": " << e.what() << "\n" << raw;
      }
    }
  }
  EXPECT_GT(parsed, kRounds / 2) << "every tree mutation reaches the readers";
}

TEST(Fuzz, SignaturesSendersAndHtmlAnswerEveryMutation) {
  std::string body = R"({"text":"x"})";
  std::vector<std::string> seeds = {channels::signature_header("secret", body, 1'000'000), "t=1,v1=ab,v1=cd", "+86 138 0013 8000",
                                    "wang@east.test", "@handle", "<p>VPN <a href=\"https://x\">guide</a><img src=x onerror=y></p>"};
  auto expected = hmac_sha256_hex("secret", "1000000." + body);
  Mutator m(seeds);
  for (int i = 0; i < kRounds; ++i) {
    auto s = m.next();
    auto verdict = channels::check_signature("secret", s, body, 1'000'000);
    if (verdict == channels::Verdict::valid) {
      std::string lower = s;
      for (auto& ch : lower) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      ASSERT_NE(lower.find("v1=" + expected), std::string::npos) << "round " << i << ": valid only with the real signature: " << s;
    }
    if (auto sender = channels::sender_of(s)) {
      ASSERT_FALSE(sender->normalized.empty());
    }
    auto text = markup::html_to_text(s);
    ASSERT_EQ(text.find("<script"), std::string::npos);
  }
}

}  // namespace
}  // namespace tandem::testing
