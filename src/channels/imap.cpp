#include "channels/imap.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "channels/mail.h"
#include "core/log.h"
#include "storage/settings.h"
#include "usecase/channels.h"

namespace tandem::channels {
namespace {

// Where a mailbox's poll stands, kept as the setting "imap:<channel id>".
struct Cursor {
  std::int64_t uidvalidity = 0;
  std::int64_t last_uid = 0;
  std::int64_t stuck_uid = 0, stuck_tries = 0;  // the message that had to wait, and how often
  std::string error;  // why the mailbox could not be read, since a failure was told in the delivery log
  std::int64_t version = 0;
};

std::string key_of(const storage::Channel& ch) { return "imap:" + ch.id; }

// How many rounds a message that must wait is read again before it is passed over.
constexpr std::int64_t kTriesPerMessage = 10;

Result<Cursor> read_cursor(const usecase::Services& s, const storage::Channel& ch) {
  ASSIGN_OR_RETURN(auto setting, s.db.read([&](storage::Connection& c) { return storage::settings::get(c, key_of(ch)); }));
  Cursor cursor;
  cursor.version = setting.version;
  auto json = nlohmann::json::parse(setting.value, nullptr, false);
  if (json.is_object()) {
    cursor.uidvalidity = json.value("uidvalidity", std::int64_t(0));
    cursor.last_uid = json.value("last_uid", std::int64_t(0));
    cursor.stuck_uid = json.value("stuck_uid", std::int64_t(0));
    cursor.stuck_tries = json.value("stuck_tries", std::int64_t(0));
    cursor.error = json.value("error", "");
  }
  return cursor;
}

// Another node that polled meanwhile moved the cursor too: the furthest of the two stands (and
// Message-IDs keep what both read from being filed twice).
Result<void> write_cursor(const usecase::Services& s, const storage::Channel& ch, Cursor& cursor) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    nlohmann::json value{{"uidvalidity", cursor.uidvalidity}, {"last_uid", cursor.last_uid}, {"stuck_uid", cursor.stuck_uid},
                         {"stuck_tries", cursor.stuck_tries}, {"error", cursor.error}};
    auto written = s.db.write([&](storage::Connection& c) {
      return storage::settings::put(c, {key_of(ch), value.dump(), cursor.version + 1, to_millis(s.clock.now())}, cursor.version);
    });
    if (written) {
      cursor.version += 1;
      return {};
    }
    if (written.error().code != Code::failed_precondition) return std::unexpected(written.error());
    ASSIGN_OR_RETURN(auto theirs, read_cursor(s, ch));
    cursor.version = theirs.version;
    if (theirs.uidvalidity == cursor.uidvalidity) cursor.last_uid = std::max(cursor.last_uid, theirs.last_uid);
  }
  return fail(Code::unavailable, "The mailbox's cursor keeps changing under this poll.");
}

std::size_t append(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::vector<std::int64_t> numbers_after(std::string_view text, std::string_view word) {
  std::vector<std::int64_t> out;
  auto at = text.find(word);
  if (at == std::string_view::npos) return out;
  auto p = text.data() + at + word.size();
  auto end = text.data() + text.size();
  while (p < end && *p != '\r' && *p != '\n') {
    if (*p < '0' || *p > '9') {
      ++p;
      continue;
    }
    std::int64_t n = 0;
    auto [next, ec] = std::from_chars(p, end, n);
    if (ec == std::errc()) out.push_back(n);
    p = next;
  }
  return out;
}

// One connection for a round: libcurl keeps it open between the handle's transfers.
class Mailbox {
 public:
  explicit Mailbox(const storage::Channel& ch) : easy_(curl_easy_init(), curl_easy_cleanup) {
    const std::string& url = *ch.address;
    auto scheme_end = url.find("://") + 3;
    auto path = url.find('/', scheme_end);
    server_ = url.substr(0, path);
    mailbox_ = url.substr(path + 1);
    password_ = ch.secret;
    auto host = server_.substr(server_.rfind('@') + 1);
    loopback_ = host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]");
  }

  bool ready() const { return easy_ != nullptr; }

  // An IMAP command's untagged answer (`mailbox`: selected first).
  Result<std::string> command(const std::string& command, bool select) { return transfer(server_ + "/" + (select ? mailbox_ : ""), command); }
  Result<std::string> fetch(std::int64_t uid) { return transfer(server_ + "/" + mailbox_ + ";UID=" + std::to_string(uid), ""); }

  // The mailbox's name as IMAP quotes it.
  std::string quoted_mailbox() const {
    int length = 0;
    std::unique_ptr<char, decltype(&curl_free)> decoded(curl_easy_unescape(easy_.get(), mailbox_.c_str(), int(mailbox_.size()), &length),
                                                         curl_free);
    std::string out = "\"";
    for (int i = 0; decoded && i < length; ++i) {
      char ch = decoded.get()[i];
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    return out + "\"";
  }

 private:
  Result<std::string> transfer(const std::string& url, const std::string& custom) {
    auto* h = easy_.get();
    std::string out;
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(h, CURLOPT_PASSWORD, password_.c_str());
    // The password never goes in clear to a server off this machine.
    curl_easy_setopt(h, CURLOPT_USE_SSL, long(loopback_ ? CURLUSESSL_TRY : CURLUSESSL_ALL));
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, custom.empty() ? nullptr : custom.c_str());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 120'000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    auto code = curl_easy_perform(h);
    if (code != CURLE_OK)
      return fail(Code::unavailable, "the mailbox could not be read: " + (error[0] ? std::string(error) : std::string(curl_easy_strerror(code))));
    return out;
  }

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy_;
  std::string server_, mailbox_, password_;
  bool loopback_ = false;
};

// Reads the new messages, filing each; the cursor moves past each one taken.
Result<void> read_new(const usecase::Services& s, const storage::Channel& ch, std::size_t attachment_limit, int limit, Cursor& cursor,
                      MailboxPoll& poll) {
  Mailbox box(ch);
  if (!box.ready()) return fail(Code::unavailable, "the IMAP client could not start");
  ASSIGN_OR_RETURN(auto status, box.command("STATUS " + box.quoted_mailbox() + " (UIDVALIDITY)", false));
  auto validity = numbers_after(status, "UIDVALIDITY");
  if (validity.empty()) return fail(Code::unavailable, "the mailbox did not tell its UIDVALIDITY");
  if (validity.front() != cursor.uidvalidity) {  // a new mailbox by that name: its UIDs start again
    cursor.uidvalidity = validity.front();
    cursor.last_uid = 0;
  }
  ASSIGN_OR_RETURN(auto found, box.command("UID SEARCH UID " + std::to_string(cursor.last_uid + 1) + ":*", true));
  auto uids = numbers_after(found, "SEARCH");
  std::erase_if(uids, [&](std::int64_t uid) { return uid <= cursor.last_uid; });  // n:* holds the last UID even below n
  std::ranges::sort(uids);
  if (uids.size() > std::size_t(limit)) uids.resize(std::size_t(limit));
  for (auto uid : uids) {
    ASSIGN_OR_RETURN(auto raw, box.fetch(uid));
    auto filed = mailgate(s, raw, ch.id, attachment_limit);
    if (filed.exit_code != kMailTaken) {
      // A message that cannot be filed after many rounds would hold every later one back: it is
      // told in the delivery log, with what it said, and passed.
      cursor.stuck_tries = cursor.stuck_uid == uid ? cursor.stuck_tries + 1 : 1;
      cursor.stuck_uid = uid;
      if (cursor.stuck_tries < kTriesPerMessage) {
        poll.waiting = true;
        log_message(LogLevel::warn, "imap " + ch.id + " UID " + std::to_string(uid) + ": " + filed.line);
        TRY(write_cursor(s, ch, cursor));
        break;
      }
      TRY(usecase::log_refused_delivery(s, ch, 503, "invalid",
                                        "UID " + std::to_string(uid) + " passed over after " + std::to_string(kTriesPerMessage) +
                                            " rounds: " + filed.line));
    }
    ++poll.taken;
    cursor.last_uid = uid;
    TRY(write_cursor(s, ch, cursor));
  }
  return {};
}

}  // namespace

MailboxPoll poll_mailbox(const usecase::Services& s, const storage::Channel& ch, std::size_t attachment_limit, int limit) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  MailboxPoll poll{ch.id};
  if (ch.kind != Kind::imap || !ch.address || !is_mailbox_url(*ch.address)) {
    poll.error = "not an IMAP channel with a mailbox";
    return poll;
  }
  auto cursor = read_cursor(s, ch);
  if (!cursor) {
    poll.error = cursor.error().message;
    return poll;
  }
  auto read = read_new(s, ch, attachment_limit, limit, *cursor, poll);
  std::string error = read ? "" : read.error().message;
  poll.error = error;
  // A failure is told in the channel's log once, not at every poll while it lasts (its words may
  // change: a server that refuses a login may also be slow to answer).
  if (error != cursor->error) {
    if (!error.empty() && cursor->error.empty()) {
      if (auto logged = usecase::log_refused_delivery(s, ch, 503, "invalid", error); !logged)
        log_message(LogLevel::error, "imap " + ch.id + ": " + logged.error().message);
    }
    cursor->error = error;
    if (auto written = write_cursor(s, ch, *cursor); !written) log_message(LogLevel::error, "imap " + ch.id + ": " + written.error().message);
  }
  return poll;
}

Result<std::vector<MailboxPoll>> poll_mailboxes(const usecase::Services& s, std::size_t attachment_limit) {
  std::vector<storage::Channel> mailboxes;
  storage::PageRequest page{200, ""};
  while (true) {
    ASSIGN_OR_RETURN(auto channels, s.db.read([&](storage::Connection& c) { return storage::channel_store::list(c, page); }));
    for (auto& ch : channels.items)
      if (ch.kind == Kind::imap && ch.active) mailboxes.push_back(std::move(ch));
    if (!channels.next_after) break;
    page.after = *channels.next_after;
  }
  std::vector<MailboxPoll> out;
  for (const auto& ch : mailboxes) out.push_back(poll_mailbox(s, ch, attachment_limit));
  return out;
}

}  // namespace tandem::channels
