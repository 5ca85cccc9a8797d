// The HTTP/1.1 transport on Boost.Beast. Reads are asynchronous with deadlines, so a slow client
// holds no thread; requests with safe methods are handled on the I/O threads, unsafe ones on a
// pool (their writes wait for the store's group commit). Bodies over the limit are refused with
// 413 from the Content-Length header alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.h"
#include "http/pipeline.h"

namespace tandem::usecase {
class ChatHub;
}

namespace tandem::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  int io_threads = 2;
  int write_threads = 64;
  std::size_t body_limit = 1 << 20;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{75};
  bool trust_proxy = false;
};

class Server {
 public:
  Server(ServerOptions options, Pipeline& pipeline);
  ~Server();
  // Binds and starts serving on background threads; returns the bound port.
  Result<std::uint16_t> start();
  // Stops accepting, closes idle connections, lets in-flight requests finish (up to `grace`),
  // then stops the threads. Idempotent.
  void shutdown(std::chrono::seconds grace);
  // REL-3: the chat windows and agents' consoles open on this server, for what is said to them
  // from outside a request (the timers' end of idle chats).
  usecase::ChatHub& chat_hub();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::http
