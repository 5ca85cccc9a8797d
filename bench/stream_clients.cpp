// REL-5, REL-3, issue "Omnichannel": how many live connections one node holds, at what memory,
// and how long one change takes to reach all of them. Opens N WebSocket connections to
// GET /api/v1/stream (or PATH: /api/v1/chat) signed in with a session cookie, reads the server's
// resident memory, then makes one change and times its arrival on every connection: a ticket
// opened over HTTP for the stream; for the chat, a question asked in the first window, which
// every window of the same person hears (their own line, then the bot's answer).
//
// usage: tandem_stream_clients HOST PORT COOKIE CSRF SERVER_PID CONNECTIONS [PATH]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Shared {
  std::string host, port, cookie, path = "/api/v1/stream";
  int opened = 0, failed = 0, heard = 0;
  Clock::time_point sent{};
  std::vector<double> latencies_ms;
};

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(net::io_context& io, Shared& shared) : ws_(io), shared_(shared) {}

  void start(const tcp::endpoint& at) {
    beast::get_lowest_layer(ws_).async_connect(at, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->fail();
      self->ws_.set_option(websocket::stream_base::decorator([&shared = self->shared_](websocket::request_type& req) {
        req.set(http::field::cookie, shared.cookie);
        req.set(http::field::origin, "http://" + shared.host + ":" + shared.port);
      }));
      self->ws_.async_handshake(self->shared_.host + ":" + self->shared_.port, self->shared_.path, [self](beast::error_code ec2) {
        if (ec2) return self->fail();
        ++self->shared_.opened;
        self->read();
      });
    });
  }

  void say(std::string frame) {
    outgoing_ = std::move(frame);
    ws_.text(true);
    ws_.async_write(net::buffer(outgoing_), [self = shared_from_this()](beast::error_code, std::size_t) {});
  }

  void close() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

 private:
  void fail() { ++shared_.failed; }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      // A chat window's opening frames (its chat, "ready") are not the change.
      bool change = self->shared_.path == "/api/v1/stream" ||
                    beast::buffers_to_string(self->buffer_.data()).find(R"("type":"message")") != std::string::npos;
      self->buffer_.clear();
      if (change && !self->heard_ && self->shared_.sent != Clock::time_point{}) {
        self->heard_ = true;
        ++self->shared_.heard;
        self->shared_.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - self->shared_.sent).count());
      }
      self->read();
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::string outgoing_;
  bool heard_ = false;
};

long resident_kib(const std::string& pid) {
  std::ifstream status("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// One ticket opened over HTTP on its own connection: the change every subscriber hears.
bool open_ticket(const Shared& s, const std::string& csrf) {
  net::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  stream.connect(resolver.resolve(s.host, s.port));
  http::request<http::string_body> req{http::verb::post, "/api/v1/tickets", 11};
  req.set(http::field::host, s.host + ":" + s.port);
  req.set(http::field::cookie, s.cookie);
  req.set(http::field::content_type, "application/json");
  req.set("X-CSRF-Token", csrf);
  req.body() = R"({"type":"incident","subject":"Stream fan-out","description":"One change for every subscriber."})";
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  return res.result_int() == 201;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7 && argc != 8) {
    std::fprintf(stderr, "usage: %s HOST PORT COOKIE CSRF SERVER_PID CONNECTIONS [PATH]\n", argv[0]);
    return 2;
  }
  Shared shared{argv[1], argv[2], argv[3]};
  if (argc == 8) shared.path = argv[7];
  bool chat = shared.path.starts_with("/api/v1/chat");
  std::string csrf = argv[4], pid = argv[5];
  int n = std::stoi(argv[6]);
  long before = resident_kib(pid);
  net::io_context io;
  auto at = *tcp::resolver(io).resolve(shared.host, shared.port).begin();
  std::vector<std::shared_ptr<Client>> clients;
  clients.reserve(std::size_t(n));
  auto started = Clock::now();
  // A few hundred handshakes in flight at a time: the listen backlog is finite.
  int next = 0;
  auto more = [&] {
    while (next < n && next - shared.opened - shared.failed < 256) {
      clients.push_back(std::make_shared<Client>(io, shared));
      clients.back()->start(at.endpoint());
      ++next;
    }
  };
  while (shared.opened + shared.failed < n) {
    more();
    io.run_for(std::chrono::milliseconds(5));
  }
  double open_s = std::chrono::duration<double>(Clock::now() - started).count();
  io.run_for(std::chrono::milliseconds(500));  // let the server settle before reading its memory
  long held = resident_kib(pid);
  std::printf("connections %d open, %d refused, in %.1f s\n", shared.opened, shared.failed, open_s);
  std::printf("server resident memory: %.1f MiB before, %.1f MiB holding them (%.1f KiB a connection)\n", before / 1024.0, held / 1024.0,
              shared.opened ? double(held - before) / shared.opened : 0.0);
  std::printf("this client's resident memory: %.1f MiB\n", resident_kib("self") / 1024.0);

  shared.sent = Clock::now();
  if (chat) {
    if (clients.empty()) return 1;
    clients.front()->say(R"({"type":"say","text":"How do I charge the car?"})");
  } else if (!open_ticket(shared, csrf)) {
    std::fprintf(stderr, "the ticket was not opened\n");
    return 1;
  }
  auto deadline = Clock::now() + std::chrono::seconds(60);
  while (shared.heard < shared.opened && Clock::now() < deadline) io.run_for(std::chrono::milliseconds(5));
  std::printf("one change reached %d of %d connections: p50 %.1f ms, p99 %.1f ms, last %.1f ms\n", shared.heard, shared.opened,
              percentile(shared.latencies_ms, 0.50), percentile(shared.latencies_ms, 0.99), percentile(shared.latencies_ms, 1.0));
  for (auto& c : clients) c->close();
  return shared.heard == shared.opened ? 0 : 1;
}
