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
#include "http/chat_json.h"
#include "usecase/chat.h"

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

// What the live sockets (the stream, the chat) share: the accepted WebSocket and its outgoing
// text frames, written one at a time in order, each only while the credential it was opened with
// still holds. A peer that does not read its frames is cut off rather than buffered without end.
// `Derived` provides open() (after the handshake) and stop() (let go of what feeds it: on closing,
// or when a write fails). Used on the socket's strand, but for going_away().
template <class Derived>
class LiveSocket : public std::enable_shared_from_this<Derived> {
 public:
  // On shutdown: from any thread.
  void going_away() {
    net::post(ws_.get_executor(), [self = this->shared_from_this()] {
      if (self->ws_.is_open()) self->end(websocket::close_code::going_away, "the server is shutting down; reconnect");
    });
  }

 protected:
  LiveSocket(beast::tcp_stream stream, std::function<bool()> still_allowed)
      : ws_(std::move(stream)), still_allowed_(std::move(still_allowed)) {}

  void accept(bhttp::request<bhttp::string_body> request, std::size_t largest_message) {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(largest_message);
    ws_.async_accept(request, [self = this->shared_from_this()](beast::error_code ec) {
      if (!ec) self->open();
    });
  }

  void send(std::string text) {
    if (closing_) return;
    // Logged out, expired, deactivated or given other rights since the socket opened: nothing
    // more is delivered on the old rights.
    if (!still_allowed_()) return end(websocket::close_code::policy_error, "credentials changed; reconnect");
    if (queue_.size() >= kQueueLimit) return end(websocket::close_code::policy_error, "too far behind");
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) write_next();
  }

  void end(websocket::close_code code, const char* reason) {
    if (closing_) return;
    closing_ = true;
    static_cast<Derived&>(*this).stop();
    ws_.async_close(websocket::close_reason(code, reason), [self = this->shared_from_this()](beast::error_code) {});
  }

  websocket::stream<beast::tcp_stream> ws_;
  std::function<bool()> still_allowed_;
  beast::flat_buffer buffer_;

 private:
  static constexpr std::size_t kQueueLimit = 1000;

  void write_next() {
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->stop();
      self->queue_.pop_front();
      if (!self->queue_.empty() && !self->closing_) self->write_next();
    });
  }

  std::deque<std::string> queue_;
  bool closing_ = false;
};

class StreamSession;
using StreamRegistry = LiveSet<StreamSession>;

// One live-update subscriber (REL-5): ticket changes it may see, as JSON text messages, in order.
// What the client sends is read and ignored; pings keep idle connections alive.
class StreamSession : public LiveSocket<StreamSession> {
 public:
  StreamSession(beast::tcp_stream stream, usecase::EventBus& bus, StreamAccess access, StreamRegistry& registry)
      : LiveSocket(std::move(stream), std::move(access.still_allowed)), bus_(bus), subscriber_(std::move(access.subscriber)),
        registry_(registry) {}
  ~StreamSession() {
    unsubscribe();
    registry_.remove(this);
  }

  void start(bhttp::request<bhttp::string_body> request) {
    registry_.add(this, weak_from_this());
    accept(std::move(request), 64 * 1024);
  }

 private:
  friend class LiveSocket<StreamSession>;

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
      if (ec) return self->stop();
      self->buffer_.clear();
      self->read();
    });
  }

  void stop() { unsubscribe(); }
  void unsubscribe() {
    if (subscription_) bus_.unsubscribe(std::exchange(subscription_, 0));
  }

  usecase::EventBus& bus_;
  identity::Actor subscriber_;
  StreamRegistry& registry_;
  std::uint64_t subscription_ = 0;
};

class ChatSession;
using ChatRegistry = LiveSet<ChatSession>;

// REL-3: one chat window (a user's) or agent console over GET /api/v1/chat. The client's frames
// are JSON — {"type":"say","text"}, a user's {"type":"helped"|"not_helped"|"person"|"ticket"|"end"},
// an agent's {"type":"say"|"end","chat_id",…} — taken one at a time on the write pool; what each
// party must be told goes out through the hub to every window of theirs. On opening, a user is
// sent their open chat (or null) and an agent the chats they hold, then {"type":"ready"}.
class ChatSession : public LiveSocket<ChatSession> {
 public:
  ChatSession(beast::tcp_stream stream, const usecase::Services& services, usecase::ChatHub& hub, StreamAccess access, bool agent,
              net::thread_pool& pool, ChatRegistry& registry, const std::atomic<bool>& server_stopping)
      : LiveSocket(std::move(stream), std::move(access.still_allowed)), services_(services), hub_(hub),
        actor_(std::move(access.subscriber)), agent_(agent), pool_(pool), registry_(registry), server_stopping_(server_stopping) {}
  ~ChatSession() {
    registry_.remove(this);
    if (!member_) return;
    // An agent whose last console closed is no longer available: their chats move on — unless
    // the server is stopping, when they find them again on reconnecting.
    if (hub_.leave(member_) && !server_stopping_) {
      net::post(pool_, [&services = services_, &hub = hub_, agent = actor_.user_id] {
        auto moved = usecase::agent_left(services, hub, agent);
        if (!moved) return log_message(LogLevel::error, "chat: handing on the chats of an agent who left: " + moved.error().message);
        for (const auto& d : *moved) hub.send(d.to, d.to_agent, chat_frame(d));
      });
    }
  }

  void start(bhttp::request<bhttp::string_body> request) {
    registry_.add(this, weak_from_this());
    accept(std::move(request), 16 * 1024);
  }

 private:
  friend class LiveSocket<ChatSession>;

  // Joins the hub before the snapshot is read, so that nothing said meanwhile is missed: a message
  // may then come twice (before or inside the snapshot); clients keep one per message id.
  void open() {
    std::weak_ptr<ChatSession> weak = weak_from_this();
    auto executor = ws_.get_executor();
    member_ = hub_.join(actor_.user_id, agent_, [weak, executor](const std::string& json) {
      net::post(executor, [weak, json] {
        if (auto self = weak.lock()) self->send(json);
      });
    });
    net::post(pool_, [self = shared_from_this()] {
      std::vector<std::string> frames;
      if (self->agent_) {
        auto held = usecase::agent_chats(self->services_, self->actor_);
        if (!held) frames.push_back(chat_error_frame(held.error(), self->actor_.language));
        else
          for (const auto& v : *held) frames.push_back(chat_frame({self->actor_.user_id, true, v, std::nullopt, true}));
      } else {
        auto open = usecase::open_chat(self->services_, self->actor_);
        if (!open) frames.push_back(chat_error_frame(open.error(), self->actor_.language));
        else if (*open) frames.push_back(chat_frame({self->actor_.user_id, false, **open, std::nullopt, true}));
        else frames.push_back(R"({"type":"chat","chat":null})");
      }
      frames.push_back(R"({"type":"ready"})");
      net::post(self->ws_.get_executor(), [self, frames = std::move(frames)] {
        for (const auto& f : frames) self->send(f);
        self->read();
      });
    });
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      auto text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.clear();
      if (!self->still_allowed_()) return self->end(websocket::close_code::policy_error, "credentials changed; reconnect");
      // One frame at a time, in order: the next is read once this one is answered.
      net::post(self->pool_, [self, text = std::move(text)] {
        auto handled = self->handle(text);
        if (!handled) {
          auto frame = chat_error_frame(handled.error(), self->actor_.language);
          net::post(self->ws_.get_executor(), [self, frame = std::move(frame)] {
            self->send(frame);
            self->read();
          });
          return;
        }
        for (const auto& d : *handled) self->hub_.send(d.to, d.to_agent, chat_frame(d));
        net::post(self->ws_.get_executor(), [self] { self->read(); });
      });
    });
  }

  Result<usecase::ChatDeliveries> handle(const std::string& text) {
    auto frame = Json::parse(text, nullptr, false);
    if (!frame.is_object()) return fail(Code::malformed, "A chat frame is a JSON object such as {\"type\":\"say\",\"text\":\"…\"}.");
    Error e(Code::invalid_argument, "Some fields are invalid.");
    auto string_field = [&](const char* name, bool required) -> std::string {
      auto it = frame.find(name);
      if (it == frame.end() || it->is_null()) {
        if (required) e.details.push_back({name, "is required"});
        return {};
      }
      if (!it->is_string()) {
        e.details.push_back({name, "must be a string"});
        return {};
      }
      return it->get<std::string>();
    };
    auto type = string_field("type", true);
    auto said = string_field("text", false);
    auto action = usecase::chat_action_named(type);
    bool typed = frame.contains("type") && frame["type"].is_string();
    if (typed && (!action || (agent_ && *action != usecase::ChatAction::say && *action != usecase::ChatAction::end)))
      e.details.push_back({"type", agent_ ? "must be say or end" : "must be say, helped, not_helped, person, ticket or end"});
    std::string chat_id = agent_ ? string_field("chat_id", true) : std::string();
    for (const auto& [key, _] : frame.items())
      if (key != "type" && key != "text" && !(agent_ && key == "chat_id")) e.details.push_back({key, "is not a field of a chat frame"});
    if (!e.details.empty()) return fail(std::move(e));
    if (agent_)
      return *action == usecase::ChatAction::say ? usecase::agent_say(services_, actor_, chat_id, said)
                                                 : usecase::agent_end(services_, actor_, chat_id);
    auto turn = usecase::chat_turn(services_, hub_, actor_, *action, said);
    // A message that crossed a change of the chat (an agent took it over meanwhile) is tried
    // once more on the chat as it now is.
    if (!turn && turn.error().slug == "chat_changed") turn = usecase::chat_turn(services_, hub_, actor_, *action, said);
    return turn;
  }

  void stop() {}  // the hub lets go of it when it is destroyed

  const usecase::Services& services_;
  usecase::ChatHub& hub_;
  identity::Actor actor_;
  bool agent_;
  net::thread_pool& pool_;
  ChatRegistry& registry_;
  const std::atomic<bool>& server_stopping_;
  std::uint64_t member_ = 0;
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
    for (auto& chat : chats_.alive()) chat->going_away();
    streams_.wait_until_empty(std::min<std::chrono::steady_clock::duration>(deadline - std::chrono::steady_clock::now(),
                                                                             kStreamCloseWait));
    chats_.wait_until_empty(std::max<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(100),
        std::min<std::chrono::steady_clock::duration>(deadline - std::chrono::steady_clock::now(), kStreamCloseWait)));
    guard_.reset();
    halted_ = true;  // producers of streamed bodies stop waiting for their connections
    ioc_.stop();
    for (auto& t : threads_) t.join();
    write_pool_.join();
  }

  bool draining() const { return draining_.load(); }
  const std::atomic<bool>& draining_flag() const { return draining_; }
  StreamRegistry& streams() { return streams_; }
  ChatRegistry& chats() { return chats_; }
  usecase::ChatHub& chat_hub() { return chat_hub_; }
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
  ChatRegistry chats_;
  usecase::ChatHub chat_hub_;
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
    if (websocket::is_upgrade(message) && request->path == "/api/v1/chat") return upgrade_chat(std::move(message), *request);
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

  // GET /api/v1/chat as a WebSocket (REL-3); ?as=agent opens an agent's console.
  void upgrade_chat(bhttp::request<bhttp::string_body> message, Request& request) {
    auto as = request.query_value("as");
    bool as_agent = as == "agent";
    auto access = server_.pipeline().open_chat(request, as_agent);
    if (access && as && !as_agent) {  // told after the login is checked, as every refusal
      Error e(Code::invalid_argument, "Some query parameters are invalid.");
      e.details.push_back({"as", "may only be agent"});
      access = std::unexpected(std::move(e));
    }
    if (!access) {
      keep_alive_ = false;
      return write(error_response(access.error(), request.language), false);
    }
    std::make_shared<ChatSession>(std::move(stream_), server_.pipeline().services(), server_.chat_hub(), std::move(*access), as_agent,
                                  server_.write_pool(), server_.chats(), server_.draining_flag())
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
usecase::ChatHub& Server::chat_hub() { return impl_->chat_hub(); }

}  // namespace tandem::http
