#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <array>
#include <atomic>
#include <deque>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/log.h"

namespace tandem::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

// A body made on a worker thread while a connection sends it (Response::produce). The producer
// waits while a few pieces are queued, so memory stays flat whatever the body's size and however
// slow the client; the connection takes pieces as its writes finish.
struct BodyPipe {
  static constexpr std::size_t kPiece = 256 * 1024;
  static constexpr std::size_t kQueued = 4 * kPiece;

  std::mutex mutex;
  std::condition_variable space;
  std::deque<std::string> pieces;
  std::size_t queued = 0;
  bool done = false;    // the producer has finished
  bool failed = false;  // … and failed
  bool gone = false;    // the connection will take no more
  std::function<void()> wake;  // set by the connection while it waits for a piece
  const std::atomic<bool>* halted = nullptr;  // the server is stopping: nobody will take more

  // Producer side: false once nobody takes pieces any more.
  bool put(std::string piece) {
    std::function<void()> woken;
    {
      std::unique_lock lock(mutex);
      while (!gone && queued >= kQueued && !halted->load()) space.wait_for(lock, std::chrono::milliseconds(200));
      if (gone || halted->load()) return false;
      queued += piece.size();
      pieces.push_back(std::move(piece));
      woken = std::exchange(wake, nullptr);
    }
    if (woken) woken();
    return true;
  }
  void finish(bool ok) {
    std::function<void()> woken;
    {
      std::lock_guard lock(mutex);
      done = true;
      failed = !ok;
      woken = std::exchange(wake, nullptr);
    }
    if (woken) woken();
  }
  // Connection side.
  void abandon() {
    {
      std::lock_guard lock(mutex);
      gone = true;
      pieces.clear();
      wake = nullptr;
    }
    space.notify_all();
  }
};

std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(in[i] == '+' ? ' ' : in[i]);
    }
  }
  return out;
}

void parse_query(std::string_view query, std::multimap<std::string, std::string>& out) {
  std::size_t pos = 0;
  while (pos < query.size()) {
    auto end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    auto pair = query.substr(pos, end - pos);
    auto eq = pair.find('=');
    if (!pair.empty())
      out.emplace(percent_decode(pair.substr(0, eq)), eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1)));
    pos = end + 1;
  }
}

bool safe_method(bhttp::verb v) { return v == bhttp::verb::get || v == bhttp::verb::head || v == bhttp::verb::options; }

namespace websocket = beast::websocket;

// The live objects of one kind (connections, streams), so that a shutdown can reach each one.
// Each registers itself when it starts and unregisters from its destructor.
template <class T>
class LiveSet {
 public:
  void add(T* item, std::weak_ptr<T> weak) {
    std::lock_guard lock(mutex_);
    items_.emplace(item, std::move(weak));
  }
  void remove(T* item) {
    std::lock_guard lock(mutex_);
    items_.erase(item);
    if (items_.empty()) none_left_.notify_all();
  }
  // The ones still alive, held for the caller.
  std::vector<std::shared_ptr<T>> alive() {
    std::vector<std::shared_ptr<T>> out;
    std::lock_guard lock(mutex_);
    for (auto& [_, weak] : items_)
      if (auto item = weak.lock()) out.push_back(std::move(item));
    return out;
  }
  // Waits at most `wait` for the last one to go.
  void wait_until_empty(std::chrono::steady_clock::duration wait) {
    std::unique_lock lock(mutex_);
    none_left_.wait_for(lock, wait, [&] { return items_.empty(); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable none_left_;
  std::unordered_map<T*, std::weak_ptr<T>> items_;
};

class StreamSession;
using StreamRegistry = LiveSet<StreamSession>;

// One live-update subscriber (REL-5): ticket changes it may see, as JSON text messages, in order.
// What the client sends is read and ignored; pings keep idle connections alive.
class StreamSession : public std::enable_shared_from_this<StreamSession> {
 public:
  StreamSession(beast::tcp_stream stream, usecase::EventBus& bus, StreamAccess access, StreamRegistry& registry)
      : ws_(std::move(stream)), bus_(bus), subscriber_(std::move(access.subscriber)),
        still_allowed_(std::move(access.still_allowed)), registry_(registry) {}
  ~StreamSession() {
    unsubscribe();
    registry_.remove(this);
  }

  void start(bhttp::request<bhttp::string_body> request) {
    registry_.add(this, weak_from_this());
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(64 * 1024);
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->open();
    });
  }

  // On shutdown: from any thread.
  void going_away() {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      if (self->ws_.is_open()) self->end(websocket::close_code::going_away, "the server is shutting down; reconnect");
    });
  }

 private:
  // A subscriber that does not read its messages is cut off rather than buffered without end.
  static constexpr std::size_t kQueueLimit = 1000;

  void open() {
    std::weak_ptr<StreamSession> weak = weak_from_this();
    auto executor = ws_.get_executor();
    subscription_ = bus_.subscribe([weak, executor, subscriber = subscriber_](const usecase::TicketChange& change) {
      if (!usecase::may_receive(subscriber, change)) return;
      net::post(executor, [weak, text = change.to_json(subscriber.staff())]() mutable {
        if (auto self = weak.lock()) self->send(std::move(text));
      });
    });
    read();
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->unsubscribe();
      self->buffer_.clear();
      self->read();
    });
  }

  void send(std::string text) {
    if (closing_) return;
    // Logged out, expired, deactivated or given other rights since the stream opened: nothing
    // more is delivered on the old rights.
    if (!still_allowed_()) return end(websocket::close_code::policy_error, "credentials changed; reconnect");
    if (queue_.size() >= kQueueLimit) return end(websocket::close_code::policy_error, "too far behind");
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) write_next();
  }

  void end(websocket::close_code code, const char* reason) {
    if (closing_) return;
    closing_ = true;
    unsubscribe();
    ws_.async_close(websocket::close_reason(code, reason), [self = shared_from_this()](beast::error_code) {});
  }

  void write_next() {
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->unsubscribe();
      self->queue_.pop_front();
      if (!self->queue_.empty() && !self->closing_) self->write_next();
    });
  }

  void unsubscribe() {
    if (subscription_) bus_.unsubscribe(std::exchange(subscription_, 0));
  }

  websocket::stream<beast::tcp_stream> ws_;
  usecase::EventBus& bus_;
  identity::Actor subscriber_;
  std::function<bool()> still_allowed_;
  StreamRegistry& registry_;
  std::uint64_t subscription_ = 0;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool closing_ = false;
};

}  // namespace

class Server::Impl {
 public:
  class Connection;

  Impl(ServerOptions options, Pipeline& pipeline)
      : options_(std::move(options)), pipeline_(pipeline), ioc_(options_.io_threads), acceptor_(ioc_),
        write_pool_(std::max(1, options_.write_threads)), guard_(net::make_work_guard(ioc_)) {}

  Result<std::uint16_t> start() {
    beast::error_code ec;
    auto address = net::ip::make_address(options_.host, ec);
    if (ec) return fail(Code::invalid_argument, "TANDEM_LISTEN has an invalid address: " + options_.host);
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail(Code::unavailable, "Cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + ec.message());
    accept();
    for (int i = 0; i < std::max(1, options_.io_threads); ++i)
      threads_.emplace_back([this] {
        // An exception that escapes one connection's handler must not take the server down.
        for (;;) {
          try {
            ioc_.run();
            return;
          } catch (const std::exception& e) {
            log_message(LogLevel::error, std::string("I/O thread caught: ") + e.what());
          }
        }
      });
    return acceptor_.local_endpoint().port();
  }

  void shutdown(std::chrono::seconds grace) {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return;
      stopped_ = true;
      draining_ = true;
    }
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    drain_connections();
    auto deadline = std::chrono::steady_clock::now() + grace;
    connections_.wait_until_empty(grace);
    // Streams never finish on their own: each is asked to close (1001, going away); a client
    // that does not answer within the grace left (at most a few seconds) is cut.
    for (auto& stream : streams_.alive()) stream->going_away();
    streams_.wait_until_empty(std::min<std::chrono::steady_clock::duration>(deadline - std::chrono::steady_clock::now(),
                                                                             kStreamCloseWait));
    guard_.reset();
    halted_ = true;  // producers of streamed bodies stop waiting for their connections
    ioc_.stop();
    for (auto& t : threads_) t.join();
    write_pool_.join();
  }

  bool draining() const { return draining_.load(); }
  StreamRegistry& streams() { return streams_; }
  const ServerOptions& options() const { return options_; }
  Pipeline& pipeline() { return pipeline_; }
  net::thread_pool& write_pool() { return write_pool_; }
  const std::atomic<bool>& halted() const { return halted_; }

  LiveSet<Connection>& connections() { return connections_; }

 private:
  void accept();
  void drain_connections();  // after Connection's definition

  // Connections unregister from their destructors, which may run while ioc_ is destroyed:
  // the registry is declared first so that it outlives ioc_.
  std::mutex mutex_;  // guards stopped_
  LiveSet<Connection> connections_;
  StreamRegistry streams_;
  static constexpr std::chrono::seconds kStreamCloseWait{3};
  bool stopped_ = false;
  std::atomic<bool> draining_{false};
  std::atomic<bool> halted_{false};

  ServerOptions options_;
  Pipeline& pipeline_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::thread_pool write_pool_;
  net::executor_work_guard<net::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

class Server::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Impl& server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) client_address_ = remote.address().to_string();
  }
  ~Connection() { server_.connections().remove(this); }

  void start() {
    server_.connections().add(this, weak_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  // Called on shutdown: a connection between requests closes now; one that is busy closes
  // after its response.
  void drain() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  void read_header() {
    busy_ = false;
    if (server_.draining()) return close();
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // checked against Content-Length before any body is read
    // The first request must arrive within the read timeout; later ones within the idle timeout.
    stream_.expires_after(first_ ? server_.options().read_timeout : server_.options().idle_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return close();
    busy_ = true;
    first_ = false;
    // Only a body larger than the default, or of unknown length, asks its route for a larger
    // limit (uploads): the common request pays no route lookup here.
    limit_ = server_.options().body_limit;
    auto length = parser_->content_length();
    if ((length && *length > limit_) || parser_->chunked()) {
      // Only a signed-in caller may make the server read more than the default.
      auto head = to_request(parser_->get());
      auto limit = server_.pipeline().body_limit(head, limit_);
      if (!limit) {
        keep_alive_ = false;  // the unread body makes the connection unusable
        return write(error_response(limit.error(), head.language), false);
      }
      limit_ = *limit;
    }
    auto limit = limit_;
    if (length && *length > limit) return refuse_too_large();
    parser_->body_limit(limit);
    stream_.expires_after(server_.options().read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit) return refuse_too_large();
    if (ec) return close();
    auto message = parser_->release();
    keep_alive_ = message.keep_alive();
    auto request = std::make_shared<Request>(to_request(message));
    request->body = std::move(message.body());
    if (websocket::is_upgrade(message) && request->path == "/api/v1/stream") return upgrade(std::move(message), *request);
    if (safe_method(message.method())) {
      auto response = server_.pipeline().handle(*request);
      return write(std::move(response), request->method == "HEAD");
    }
    net::post(server_.write_pool(), [self = shared_from_this(), request] {
      auto response = std::make_shared<Response>(self->server_.pipeline().handle(*request));
      net::post(self->stream_.get_executor(), [self, response] { self->write(std::move(*response), false); });
    });
  }

  // Everything of a request but its body.
  Request to_request(const bhttp::request<bhttp::string_body>& message) {
    Request r;
    r.method = std::string(message.method_string());
    std::string_view target = message.target();
    auto q = target.find('?');
    r.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) parse_query(target.substr(q + 1), r.query);
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      auto [it, inserted] = r.headers.emplace(name, std::string(field.value()));
      if (!inserted) it->second += ", " + std::string(field.value());
    }
    r.client_address = client_address_;
    if (server_.options().trust_proxy) {
      if (auto forwarded = r.header("x-forwarded-for"); !forwarded.empty())
        r.client_address = forwarded.substr(0, forwarded.find(','));
      r.secure = r.header("x-forwarded-proto") == "https";
    }
    return r;
  }

  // GET /api/v1/stream as a WebSocket: authenticated like any request, then the socket moves to
  // a StreamSession and this connection ends. Refusals are ordinary HTTP errors.
  void upgrade(bhttp::request<bhttp::string_body> message, Request& request) {
    auto access = server_.pipeline().open_stream(request);
    if (!access) {
      keep_alive_ = false;
      return write(error_response(access.error(), request.language), false);
    }
    std::make_shared<StreamSession>(std::move(stream_), *server_.pipeline().events(), std::move(*access), server_.streams())
        ->start(std::move(message));
  }

  void refuse_too_large() {
    keep_alive_ = false;  // the unread body makes the connection unusable
    Response r = error_response(Error(Code::too_large, "The body is larger than " +
                                                           std::to_string(limit_) + " bytes."),
                                "en");
    write(std::move(r), false);
  }

  void write(Response response, bool head) {
    if (response.produce) return write_produced(std::move(response), head);
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    res->set(bhttp::field::content_type, response.content_type);
    bool has_cache_control = false;
    for (auto& [name, value] : response.headers) {
      has_cache_control = has_cache_control || name == "Cache-Control";
      res->insert(name, value);
    }
    if (!has_cache_control) res->set(bhttp::field::cache_control, "no-store");
    bool keep = keep_alive_ && !server_.draining();
    res->keep_alive(keep);
    auto size = response.body.size();
    if (!head) res->body() = std::move(response.body);
    res->content_length(size);
    stream_.expires_after(server_.options().read_timeout);
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res, keep](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      if (!keep) return self->linger();
      self->read_header();
    });
  }

  // A body made while it is sent, as HTTP chunks (Response::produce). The producer runs on the
  // worker pool (it reads the store); each piece is sent when the one before has gone.
  void write_produced(Response response, bool head) {
    auto res = std::make_shared<bhttp::response<bhttp::empty_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    res->set(bhttp::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) res->insert(name, value);
    res->set(bhttp::field::cache_control, "no-store");
    bool keep = keep_alive_ && !server_.draining();
    res->keep_alive(keep);
    if (head) {  // the headers alone: nothing is made
      auto r = std::make_shared<bhttp::response<bhttp::string_body>>(std::move(*res));
      stream_.expires_after(server_.options().read_timeout);
      return bhttp::async_write(stream_, *r, [self = shared_from_this(), r, keep](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        if (!keep) return self->linger();
        self->read_header();
      });
    }
    res->chunked(true);
    auto pipe = std::make_shared<BodyPipe>();
    pipe->halted = &server_.halted();
    net::post(server_.write_pool(), [pipe, produce = std::move(response.produce)] {
      static constexpr std::string_view kGone = "client_gone";
      std::string piece;
      Result<void> made;
      try {
        made = produce([&](std::string_view bytes) -> Result<void> {
          piece.append(bytes);
          if (piece.size() >= BodyPipe::kPiece && !pipe->put(std::exchange(piece, {})))
            return fail(Code::unavailable, "The client went away.", std::string(kGone));
          return {};
        });
        if (made && !piece.empty() && !pipe->put(std::move(piece)))
          made = fail(Code::unavailable, "The client went away.", std::string(kGone));
      } catch (const std::exception& e) {  // the pool would end the process
        made = fail(Code::internal, e.what());
      }
      if (!made && made.error().slug != kGone) log_message(LogLevel::error, "a streamed answer failed: " + made.error().message);
      pipe->finish(bool(made));
    });
    auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*res);
    stream_.expires_after(std::chrono::minutes(1));
    bhttp::async_write_header(stream_, *serializer, [self = shared_from_this(), res, serializer, pipe, keep](beast::error_code ec, std::size_t) {
      if (ec) {
        pipe->abandon();
        return self->close();
      }
      self->send_piece(pipe, keep);
    });
  }

  void send_piece(const std::shared_ptr<BodyPipe>& pipe, bool keep) {
    std::shared_ptr<std::string> piece;
    bool ok = true;
    {
      std::lock_guard lock(pipe->mutex);
      if (!pipe->pieces.empty()) {
        piece = std::make_shared<std::string>(std::move(pipe->pieces.front()));
        pipe->pieces.pop_front();
        pipe->queued -= piece->size();
      } else if (!pipe->done) {
        pipe->wake = [self = shared_from_this(), pipe, keep] {
          net::post(self->stream_.get_executor(), [self, pipe, keep] { self->send_piece(pipe, keep); });
        };
        return;
      } else {
        ok = !pipe->failed;
      }
    }
    if (piece) {
      pipe->space.notify_one();
      // A slow reader gets a minute for each piece, not for the whole answer.
      stream_.expires_after(std::chrono::minutes(1));
      net::async_write(stream_, bhttp::make_chunk(net::buffer(*piece)),
                       [self = shared_from_this(), pipe, piece, keep](beast::error_code ec, std::size_t) {
                         if (ec) {
                           pipe->abandon();
                           return self->close();
                         }
                         self->send_piece(pipe, keep);
                       });
      return;
    }
    if (!ok) return close();  // no last chunk: the client knows the answer is incomplete
    stream_.expires_after(std::chrono::minutes(1));
    net::async_write(stream_, bhttp::make_chunk_last(), [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      if (!keep) return self->linger();
      self->read_header();
    });
  }

  // Closing with unread input makes the kernel send a reset, which can destroy a response the
  // client has not read yet (an early 413 while its body is still coming). So: stop sending,
  // read and discard for a moment, then close (RFC 9112 §9.6).
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    discard();
  }

  void discard() {
    stream_.async_read_some(net::buffer(discard_buffer_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->discard();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string client_address_;
  bool first_ = true;
  bool busy_ = false;
  std::size_t limit_ = 0;  // the body limit of the request being read
  bool keep_alive_ = true;
  std::array<char, 8192> discard_buffer_;
};

void Server::Impl::accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Connection>(std::move(socket), *this)->start();
    }
    accept();
  });
}

void Server::Impl::drain_connections() {
  for (auto& c : connections_.alive()) c->drain();
}

Server::Server(ServerOptions options, Pipeline& pipeline) : impl_(std::make_unique<Impl>(std::move(options), pipeline)) {}
Server::~Server() { impl_->shutdown(std::chrono::seconds(0)); }
Result<std::uint16_t> Server::start() { return impl_->start(); }
void Server::shutdown(std::chrono::seconds grace) { impl_->shutdown(grace); }

}  // namespace tandem::http
