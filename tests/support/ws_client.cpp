#include "support/ws_client.h"

#include <cstdlib>

#include <utility>  // before Boost 1.74 Asio, whose awaitable.hpp forgets it

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "support/http_client.h"

namespace tandem::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

struct WsClient::State {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  bool open = false;
  int refused = 0;
  int close_code = 0;
};

WsClient::WsClient(std::uint16_t port, const std::string& session_cookie, const std::string& origin, const std::string& path,
                   const std::string& bearer)
    : state_(std::make_unique<State>()) {
  auto& s = *state_;
  beast::error_code ec;
  beast::get_lowest_layer(s.ws).expires_after(std::chrono::seconds(5));
  beast::get_lowest_layer(s.ws).connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return;
  s.ws.set_option(websocket::stream_base::decorator([&](websocket::request_type& req) {
    if (!session_cookie.empty()) req.set(beast::http::field::cookie, "tandem_session=" + session_cookie);
    if (!bearer.empty()) req.set(beast::http::field::authorization, "Bearer " + bearer);
    if (!origin.empty()) req.set(beast::http::field::origin, origin);
  }));
  websocket::response_type response;
  s.ws.handshake(response, "127.0.0.1:" + std::to_string(port), path, ec);
  if (ec) {
    // Beast does not hand over a declined answer's status: ask again in plain HTTP to learn it.
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    if (!session_cookie.empty()) request += "Cookie: tandem_session=" + session_cookie + "\r\n";
    if (!bearer.empty()) request += "Authorization: Bearer " + bearer + "\r\n";
    if (!origin.empty()) request += "Origin: " + origin + "\r\n";
    auto answer = raw_exchange(port, request + "Connection: close\r\n\r\n");
    if (answer.size() > 12) s.refused = std::atoi(answer.substr(9, 3).c_str());
    return;
  }
  beast::get_lowest_layer(s.ws).expires_never();
  s.open = true;
}

WsClient::~WsClient() {
  if (state_ && state_->open) {
    beast::error_code ec;
    beast::get_lowest_layer(state_->ws).socket().close(ec);
  }
}

bool WsClient::send(const std::string& text) {
  auto& s = *state_;
  if (!s.open) return false;
  beast::error_code ec;
  s.ws.text(true);
  s.ws.write(net::buffer(text), ec);
  if (ec) s.open = false;
  return !ec;
}

void WsClient::drop() {
  if (!state_->open) return;
  beast::error_code ec;
  beast::get_lowest_layer(state_->ws).socket().close(ec);
  state_->open = false;
}

WsClient::WsClient(WsClient&&) noexcept = default;
WsClient& WsClient::operator=(WsClient&&) noexcept = default;

bool WsClient::open() const { return state_->open; }
int WsClient::refused_status() const { return state_->refused; }
int WsClient::close_code() const { return state_->close_code; }

std::optional<std::string> WsClient::next(std::chrono::milliseconds wait) {
  auto& s = *state_;
  if (!s.open) return std::nullopt;
  std::optional<std::string> out;
  bool done = false;
  s.ws.async_read(s.buffer, [&](beast::error_code ec, std::size_t) {
    done = true;
    if (ec) {
      s.open = false;
      // The server's close frame, even when answering it failed because the server had gone.
      if (ec == websocket::error::closed || s.ws.reason().code != websocket::close_code::none) s.close_code = s.ws.reason().code;
      return;
    }
    out = beast::buffers_to_string(s.buffer.data());
    s.buffer.consume(s.buffer.size());
  });
  s.ioc.restart();
  s.ioc.run_for(wait);
  if (!done) {
    // No message in time: give up on this stream (a pending read cannot be resumed safely).
    beast::error_code ec;
    beast::get_lowest_layer(s.ws).socket().cancel(ec);
    s.ioc.restart();
    s.ioc.run();
    s.open = false;
  }
  return out;
}

}  // namespace tandem::testing
