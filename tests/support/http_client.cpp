#include "support/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace tandem::testing {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

nlohmann::json HttpResponse::json() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

std::string HttpResponse::header(const std::string& lower) const {
  auto it = headers.find(lower);
  return it == headers.end() ? "" : it->second;
}

std::string HttpResponse::error_code() const {
  auto j = json();
  if (j.is_object() && j.contains("error") && j["error"].contains("code")) return j["error"]["code"].get<std::string>();
  return "";
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                                 std::map<std::string, std::string> headers) {
  HttpResponse out;
  try {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
    req.set(bhttp::field::host, "127.0.0.1");
    if (!session_.empty()) req.set(bhttp::field::cookie, "tandem_session=" + session_);
    if (!csrf_.empty()) req.set("X-CSRF-Token", csrf_);
    if (!bearer_.empty()) req.set(bhttp::field::authorization, "Bearer " + bearer_);
    if (!body.empty() && !headers.contains("Content-Type")) req.set(bhttp::field::content_type, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (method == "HEAD") parser.skip(true);
    bhttp::read(stream, buffer, parser);
    auto res = parser.release();
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    out.body = res.body();
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  } catch (const std::exception&) {
    out.status = 0;
  }
  return out;
}

HttpResponse HttpClient::post(const std::string& target, const nlohmann::json& body, std::map<std::string, std::string> headers) {
  return request("POST", target, body.dump(), std::move(headers));
}

HttpResponse HttpClient::patch(const std::string& target, const nlohmann::json& body, const std::string& etag) {
  std::map<std::string, std::string> headers{{"Content-Type", "application/merge-patch+json"}};
  if (!etag.empty()) headers["If-Match"] = etag;
  return request("PATCH", target, body.dump(), headers);
}

HttpResponse HttpClient::login(const std::string& email, const std::string& password) {
  session_.clear();
  csrf_.clear();
  auto r = post("/api/v1/auth/login", {{"email", email}, {"password", password}});
  if (r.status == 200) {
    auto cookie = r.header("set-cookie");
    auto start = cookie.find("tandem_session=");
    if (start != std::string::npos) {
      start += std::string("tandem_session=").size();
      session_ = cookie.substr(start, cookie.find(';', start) - start);
    }
    csrf_ = r.json().value("csrf_token", "");
  }
  return r;
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes, int timeout_ms, bool* closed_by_peer,
                         std::size_t leave_after) {
  if (closed_by_peer) *closed_by_peer = false;
  // Plain sockets and poll(): Asio's blocking reads wait on, whatever receive timeout is set.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (leave_after > 0) {
    int window = 4096;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &window, sizeof window);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string received;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server may refuse early (413) and close
      sent += std::size_t(n);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    char chunk[4096];
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, int(left)) <= 0) break;
      auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) {
        if (closed_by_peer) *closed_by_peer = true;
        break;
      }
      received.append(chunk, std::size_t(n));
      if (leave_after > 0 && received.size() >= leave_after) break;
    }
  }
  ::close(fd);
  return received;
}

}  // namespace tandem::testing
