// A WebSocket client for tests of the live stream and the chat: opens /api/v1/stream (or
// another path) with a session cookie (and an Origin, as browsers send), sends text frames, and
// reads one message at a time with a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace tandem::testing {

class WsClient {
 public:
  // The HTTP status of a refused handshake is in `refused_status` (0 when it was accepted).
  // With `bearer`, a personal access token in the Authorization header instead of a cookie.
  WsClient(std::uint16_t port, const std::string& session_cookie, const std::string& origin = "",
           const std::string& path = "/api/v1/stream", const std::string& bearer = "");
  ~WsClient();
  WsClient(WsClient&&) noexcept;
  WsClient& operator=(WsClient&&) noexcept;
  bool open() const;
  int refused_status() const;
  // The next text message, or nullopt when none came within `wait` or the stream closed.
  std::optional<std::string> next(std::chrono::milliseconds wait = std::chrono::seconds(5));
  // Sends one text frame; false when the connection is gone.
  bool send(const std::string& text);
  // Drops the connection, as a closed browser tab does.
  void drop();
  // The code of the server's close frame once next() has met it (1008: policy), else 0.
  int close_code() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tandem::testing
