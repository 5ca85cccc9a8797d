#include "support/webhook_receiver.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace tandem::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct WebhookReceiver::Impl {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io};
};

WebhookReceiver::WebhookReceiver() : impl_(std::make_unique<Impl>()) {
  asio::ip::tcp::endpoint at(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(at.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(at);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  // A blocking accept is not woken by closing its socket: a connection of our own wakes it.
  stopping_ = true;
  boost::system::error_code ignored;
  asio::io_context io;
  asio::ip::tcp::socket wake(io);
  wake.connect({asio::ip::make_address("127.0.0.1"), port_}, ignored);
  thread_.join();
  impl_->acceptor.close(ignored);
}

std::string WebhookReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::answer_with(std::vector<int> statuses) {
  std::lock_guard lock(mutex_);
  statuses_.assign(statuses.begin(), statuses.end());
}

std::vector<ReceivedRequest> WebhookReceiver::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

void WebhookReceiver::serve() {
  for (;;) {
    asio::ip::tcp::socket socket(impl_->io);
    boost::system::error_code ec;
    impl_->acceptor.accept(socket, ec);
    if (ec || stopping_) return;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec) continue;
    ReceivedRequest got{std::string(req.target()), {}, req.body()};
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (auto& ch : name) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      got.headers[name] = std::string(field.value());
    }
    int status = 200;
    {
      std::lock_guard lock(mutex_);
      received_.push_back(std::move(got));
      if (!statuses_.empty()) status = statuses_.front(), statuses_.pop_front();
    }
    http::response<http::string_body> res{http::int_to_status(unsigned(status)), req.version()};
    res.set(http::field::content_type, "application/json");
    res.body() = "{}";
    res.keep_alive(false);
    res.prepare_payload();
    http::write(socket, res, ec);
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  }
}

}  // namespace tandem::testing
