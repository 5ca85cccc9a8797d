#include "support/mail_servers.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <thread>

namespace tandem::testing {
namespace {

std::size_t append(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct Upload {
  std::string bytes;
  std::size_t at = 0;
};
std::size_t upload(char* buffer, std::size_t size, std::size_t count, void* in) {
  auto* u = static_cast<Upload*>(in);
  auto n = std::min(size * count, u->bytes.size() - u->at);
  std::memcpy(buffer, u->bytes.data() + u->at, n);
  u->at += n;
  return n;
}

}  // namespace

std::optional<MailServers> mail_servers() {
  const char* ports = std::getenv("TANDEM_TEST_MTA");
  const char* dir = std::getenv("TANDEM_TEST_MTA_DIR");
  if (!ports || !dir) return std::nullopt;
  MailServers m;
  std::istringstream in(ports);
  in >> m.smtp >> m.imap >> m.user;
  m.dir = dir;
  return m;
}

bool smtp_send(int port, const std::string& from, const std::string& to, const std::string& raw) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(curl_slist_append(nullptr, ("<" + to + ">").c_str()),
                                                                    curl_slist_free_all);
  auto url = "smtp://127.0.0.1:" + std::to_string(port);
  auto sender = "<" + from + ">";
  Upload u{raw};
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_MAIL_FROM, sender.c_str());
  curl_easy_setopt(h.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(h.get(), CURLOPT_READFUNCTION, upload);
  curl_easy_setopt(h.get(), CURLOPT_READDATA, &u);
  curl_easy_setopt(h.get(), CURLOPT_UPLOAD, 1L);
  auto code = curl_easy_perform(h.get());
  EXPECT_EQ(code, CURLE_OK) << curl_easy_strerror(code);
  return code == CURLE_OK;
}

std::optional<std::string> imap_fetch(int port, const std::string& user, int uid) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
  auto url = "imap://127.0.0.1:" + std::to_string(port) + "/INBOX;UID=" + std::to_string(uid);
  auto login = user + ":secret";
  std::string out;
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_USERPWD, login.c_str());
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &out);
  if (curl_easy_perform(h.get()) != CURLE_OK || out.empty()) return std::nullopt;
  return out;
}

bool eventually(const std::function<bool()>& ready) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return ready();
}

}  // namespace tandem::testing
