#include "channels/smtp.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include "channels/gmime.h"

namespace tandem::channels {
namespace {

using gmime::Ref;

void set_header(GMimeObject* object, const char* name, const std::string& value) {
  if (!value.empty()) g_mime_object_set_header(object, name, value.c_str(), "utf-8");
}

std::string bracketed(const std::string& id) { return "<" + id + ">"; }

// Whether the URL's host is this machine (a relay on loopback is trusted with a clear login).
bool to_loopback(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return false;
  auto host = url.substr(start + 3);
  host = host.substr(0, host.find('/'));
  if (auto at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
  if (host.starts_with('[')) host = host.substr(1, host.find(']') - 1);
  else host = host.substr(0, host.find(':'));
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

struct Reader {
  std::string_view bytes;
  std::size_t at = 0;
};

std::size_t read_bytes(char* buffer, std::size_t size, std::size_t count, void* userp) {
  auto* r = static_cast<Reader*>(userp);
  auto n = std::min(size * count, r->bytes.size() - r->at);
  std::memcpy(buffer, r->bytes.data() + r->at, n);
  r->at += n;
  return n;
}

}  // namespace

std::string compose_mail(const usecase::OutgoingMessage& m, std::int64_t date_unix_seconds) {
  gmime::init();
  Ref<GMimeMessage> message(g_mime_message_new(TRUE));
  auto* object = GMIME_OBJECT(message.get());
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM, m.from_name.c_str(), m.from_address.c_str());
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, m.to_name.c_str(), m.to_address.c_str());
  if (!m.reply_to.empty()) g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_REPLY_TO, m.from_name.c_str(), m.reply_to.c_str());
  g_mime_message_set_subject(message.get(), m.subject.c_str(), "utf-8");
  g_mime_message_set_message_id(message.get(), m.message_id.c_str());
  std::unique_ptr<GDateTime, decltype(&g_date_time_unref)> date(g_date_time_new_from_unix_utc(date_unix_seconds), g_date_time_unref);
  g_mime_message_set_date(message.get(), date.get());
  if (!m.references.empty()) {
    std::string references;
    for (const auto& id : m.references) references += (references.empty() ? "" : " ") + bracketed(id);
    set_header(object, "In-Reply-To", bracketed(m.references.back()));
    set_header(object, "References", references);
  }
  // RFC 3834, and Exchange's own switch: no auto-responder should answer us.
  set_header(object, "Auto-Submitted", m.auto_submitted);
  set_header(object, "X-Auto-Response-Suppress", "All");
  set_header(object, "Content-Language", m.language);

  Ref<GMimeTextPart> body(g_mime_text_part_new_with_subtype("plain"));
  g_mime_text_part_set_text(body.get(), m.text.c_str());
  g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(body.get()));
  g_mime_object_encode(object, GMIME_ENCODING_CONSTRAINT_7BIT);

  std::unique_ptr<GMimeFormatOptions, decltype(&g_mime_format_options_free)> format(g_mime_format_options_new(),
                                                                                    g_mime_format_options_free);
  g_mime_format_options_set_newline_format(format.get(), GMIME_NEWLINE_FORMAT_DOS);
  gmime::Text text(g_mime_object_to_string(object, format.get()));
  return text ? std::string(text.get()) : std::string();
}

SmtpMailSender::SmtpMailSender(SmtpOptions options, const Clock& clock) : options_(std::move(options)), clock_(clock) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

usecase::SendOutcome SmtpMailSender::send(const usecase::OutgoingMessage& message) {
  using Kind = usecase::SendOutcome::Kind;
  auto bytes = compose_mail(message, to_millis(clock_.now()) / 1000);
  if (bytes.empty()) return {Kind::permanent, "the mail could not be composed"};
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), curl_easy_cleanup);
  if (!easy) return {Kind::temporary, "the SMTP client could not start"};
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(
      curl_slist_append(nullptr, bracketed(message.to_address).c_str()), curl_slist_free_all);
  Reader reader{bytes};
  char error[CURL_ERROR_SIZE] = {};
  auto* h = easy.get();
  auto from = bracketed(message.from_address);
  curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  // A login is never sent in clear to a relay off this machine, whatever the setting says.
  bool tls = options_.require_tls || (!options_.user.empty() && !to_loopback(options_.url));
  curl_easy_setopt(h, CURLOPT_USE_SSL, long(tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (!options_.user.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_bytes);
  curl_easy_setopt(h, CURLOPT_READDATA, &reader);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, curl_off_t(bytes.size()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(options_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(std::min<std::int64_t>(options_.timeout.count(), 10'000)));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  auto code = curl_easy_perform(h);
  if (code == CURLE_OK) return {Kind::sent, ""};
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  std::string why = error[0] ? std::string(error) : std::string(curl_easy_strerror(code));
  if (reply > 0) why = "the relay answered " + std::to_string(reply) + ": " + why;
  // Only the recipient refused for good is the mail's fault; a refused login, sender or TLS is
  // the configuration's, which someone will mend: those mails wait and are tried again.
  bool recipient_refused = reply >= 500 && reply < 600 && why.find("RCPT") != std::string::npos;
  return {recipient_refused ? Kind::permanent : Kind::temporary, why};
}

}  // namespace tandem::channels
