// A blocking HTTP/1.1 client for tests: one connection per request, keeps the session cookie and
// CSRF token of its login like a browser would.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace tandem::testing {

struct HttpResponse {
  int status = 0;  // 0 when no answer came
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  nlohmann::json json() const;
  std::string header(const std::string& lower) const;
  // The API.md error code, or "".
  std::string error_code() const;
};

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : port_(port) {}

  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = "",
                       std::map<std::string, std::string> headers = {});
  HttpResponse get(const std::string& target) { return request("GET", target); }
  HttpResponse post(const std::string& target, const nlohmann::json& body, std::map<std::string, std::string> headers = {});
  HttpResponse patch(const std::string& target, const nlohmann::json& body, const std::string& etag);
  HttpResponse put(const std::string& target, const nlohmann::json& body, std::map<std::string, std::string> headers = {}) {
    return request("PUT", target, body.dump(), std::move(headers));
  }
  HttpResponse del(const std::string& target) { return request("DELETE", target); }

  // Logs in; returns the response. On success the cookie and CSRF token are kept.
  HttpResponse login(const std::string& email, const std::string& password);
  void use_token(std::string token) { bearer_ = std::move(token); }
  void forget_csrf() { csrf_.clear(); }
  const std::string& session() const { return session_; }
  const std::string& csrf() const { return csrf_; }

 private:
  std::uint16_t port_;
  std::string session_;
  std::string csrf_;
  std::string bearer_;
};

// Sends raw bytes and returns what came back until the peer closed or `timeout_ms` passed;
// `closed_by_peer` tells which. With `leave_after`, a client with a small receive window that
// hangs up once it has that many bytes, in the middle of a long answer.
std::string raw_exchange(std::uint16_t port, const std::string& bytes, int timeout_ms = 5000,
                         bool* closed_by_peer = nullptr, std::size_t leave_after = 0);

}  // namespace tandem::testing
