// The listener and the HTTP/1.1 sessions of rpc::Server (WebSocket sessions: ws_session.cpp).
// One coroutine per connection, each on its own strand; handlers run on the WorkerPool and
// hand their results back through await_completion().

#include <algorithm>
#include <exception>
#include <limits>
#include <utility>

#include <boost/beast/websocket/rfc6455.hpp>

#include "formica/base/log.h"
#include "server_impl.h"
#include "static_files.h"

namespace formica::rpc {
namespace {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr std::size_t kMaxGetBodyBytes = 64u << 10;   // a GET/OPTIONS body is read and ignored
constexpr std::size_t kMaxDrainBytes = 64u << 20;     // after a 413, discard at most this much
constexpr auto kDrainTime = std::chrono::seconds(2);  // ... for at most this long

void log_exception(const char* what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    base::log::error("rpc: {}: {}", what, ex.what());
  } catch (...) {
    base::log::error("rpc: {}: unknown exception", what);
  }
}

void add_cors(Response& res) { res.set(http::field::access_control_allow_origin, "*"); }

Response make_response(unsigned status, unsigned version, std::string content_type, std::string body) {
  Response res{static_cast<http::status>(status), version};
  res.set(http::field::server, "formica");
  if (!content_type.empty()) res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response text_response(http::status status, unsigned version, const std::string& text) {
  return make_response(static_cast<unsigned>(status), version, "text/plain; charset=utf-8",
                       std::string(text) + "\n");
}

Response json_rpc_error_response(http::status status, unsigned version, const Json& error) {
  Response res = make_response(static_cast<unsigned>(status), version, "application/json",
                               Dispatcher::error_response_text(error));
  add_cors(res);
  return res;
}

// A parse failure of the request itself (answered 400), as opposed to a timeout or disconnect.
bool is_malformed_http(const ErrorCodeSys& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

// The status for a static file failure.
http::status static_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return http::status::bad_request;
    case ErrorCode::kPermissionDenied: return http::status::forbidden;
    case ErrorCode::kNotFound: return http::status::not_found;
    default: return http::status::internal_server_error;
  }
}

class HttpSession {
 public:
  HttpSession(Server::Impl& impl, tcp::socket socket) : impl_(impl), stream_(std::move(socket)) {}

  asio::awaitable<void> run();

 private:
  // Reads bytes until one is there, or the keep-alive idle timeout passes.
  asio::awaitable<bool> wait_for_request();
  asio::awaitable<Response> handle(Request& req);
  asio::awaitable<Response> handle_rpc(Request& req);
  asio::awaitable<Response> handle_get(Request& req);
  asio::awaitable<bool> write(Response& res);
  // Answers 413 and discards what the client still sends, so it can read the answer.
  asio::awaitable<void> refuse_too_large(unsigned version);
  // Answers `res` and closes the connection gracefully.
  asio::awaitable<void> refuse(Response res);

  Server::Impl& impl_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

asio::awaitable<bool> HttpSession::wait_for_request() {
  if (buffer_.size() > 0) co_return true;
  stream_.expires_after(impl_.options.idle_timeout);
  ErrorCodeSys ec;
  const std::size_t n =
      co_await stream_.async_read_some(buffer_.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;
  buffer_.commit(n);
  co_return true;
}

asio::awaitable<bool> HttpSession::write(Response& res) {
  stream_.expires_after(impl_.options.write_timeout);
  ErrorCodeSys ec;
  co_await http::async_write(stream_, res, asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

asio::awaitable<void> HttpSession::refuse(Response res) {
  impl_.http_bad.fetch_add(1);
  res.keep_alive(false);
  if (!co_await write(res)) co_return;
  // Closing now would reset the connection while the client is still sending, and a reset can
  // destroy the answer before the client reads it: half-close and discard for a while instead.
  ErrorCodeSys ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(kDrainTime);
  std::size_t drained = 0;
  std::vector<char> scratch(16384);
  while (drained < kMaxDrainBytes) {
    const std::size_t n = co_await stream_.async_read_some(asio::buffer(scratch),
                                                           asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    drained += n;
  }
}

asio::awaitable<void> HttpSession::refuse_too_large(unsigned version) {
  co_await refuse(json_rpc_error_response(
      http::status::payload_too_large, version,
      make_error_object(kTooLargeError,
                        "request body exceeds " + std::to_string(impl_.options.max_body_bytes) + " bytes",
                        ErrorCode::kTooLarge)));
}

asio::awaitable<void> HttpSession::run() {
  for (;;) {
    if (!co_await wait_for_request()) break;

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(impl_.options.max_header_bytes));
    // Decided once the head is known. (Not boost::none: Beast 1.74 compares the Content-Length
    // against an empty optional and reports body_limit.)
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(impl_.options.read_timeout);
    ErrorCodeSys ec;
    co_await http::async_read_header(stream_, buffer_, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == http::error::body_limit) {
        co_await refuse_too_large(11);
      } else if (ec == http::error::header_limit) {
        co_await refuse(
            text_response(http::status::request_header_fields_too_large, 11, "request head too large"));
      } else if (is_malformed_http(ec)) {
        co_await refuse(
            text_response(http::status::bad_request, 11, "malformed HTTP request: " + ec.message()));
      }
      break;  // timeouts and disconnects just close
    }
    const unsigned version = parser.get().version();
    const bool is_post = parser.get().method() == http::verb::post;
    const std::size_t limit = is_post ? impl_.options.max_body_bytes : kMaxGetBodyBytes;
    if (parser.content_length() && *parser.content_length() > limit) {
      co_await refuse_too_large(version);
      break;
    }
    parser.body_limit(limit);
    co_await http::async_read(stream_, buffer_, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::body_limit) {
      co_await refuse_too_large(version);
      break;
    }
    if (ec) {
      if (is_malformed_http(ec)) {
        co_await refuse(
            text_response(http::status::bad_request, version, "malformed HTTP request: " + ec.message()));
      }
      break;
    }
    Request req = parser.release();

    if (beast::websocket::is_upgrade(req)) {
      if (path_of(sv(req.target())) != "/ws") {
        Response res = text_response(http::status::not_found, version, "WebSocket endpoint is /ws");
        res.keep_alive(false);
        co_await write(res);
        break;
      }
      stream_.expires_never();
      co_await run_ws_session(impl_, std::move(stream_), std::move(req));
      co_return;
    }

    const bool keep_alive = req.keep_alive();
    Response res = co_await handle(req);
    res.keep_alive(keep_alive && res.keep_alive());
    if (!co_await write(res)) break;
    if (!res.keep_alive()) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      break;
    }
  }
}

asio::awaitable<Response> HttpSession::handle(Request& req) {
  const std::string_view path = path_of(sv(req.target()));
  switch (req.method()) {
    case http::verb::options: {
      Response res = make_response(204, req.version(), "", "");
      add_cors(res);
      res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
      res.set(http::field::access_control_allow_headers, "Content-Type");
      res.set(http::field::access_control_max_age, "600");
      co_return res;
    }
    case http::verb::post:
      if (path == "/" || path == "/rpc") co_return co_await handle_rpc(req);
      {
        impl_.http_bad.fetch_add(1);
        Response res = json_rpc_error_response(
            http::status::not_found, req.version(),
            make_error_object(kMethodNotFound, "JSON-RPC is served at POST / and POST /rpc",
                              ErrorCode::kNotFound));
        co_return res;
      }
    case http::verb::get:
    case http::verb::head: {
      Response res = co_await handle_get(req);
      if (req.method() == http::verb::head) {
        const std::size_t size = res.body().size();
        res.body().clear();
        res.content_length(size);
      }
      co_return res;
    }
    default: {
      impl_.http_bad.fetch_add(1);
      Response res = text_response(http::status::method_not_allowed, req.version(), "method not allowed");
      res.set(http::field::allow, "GET, HEAD, POST, OPTIONS");
      co_return res;
    }
  }
}

asio::awaitable<Response> HttpSession::handle_rpc(Request& req) {
  Dispatcher& dispatcher = *impl_.dispatcher;
  const std::string& body = req.body();
  std::string text = co_await await_completion<std::string>(
      impl_.lifeline,
      [&](std::function<void(std::string)> done) { dispatcher.dispatch(body, nullptr, std::move(done)); });
  Response res;
  if (text.empty()) {
    res = make_response(204, req.version(), "", "");  // only notifications
  } else {
    res = make_response(200, req.version(), "application/json", std::move(text));
  }
  add_cors(res);
  co_return res;
}

asio::awaitable<Response> HttpSession::handle_get(Request& req) {
  const std::string_view target = sv(req.target());
  const std::string_view path = path_of(target);
  if (path == "/ws") {
    Response res = text_response(http::status::upgrade_required, req.version(), "use a WebSocket upgrade");
    res.set(http::field::upgrade, "websocket");
    co_return res;
  }
  if (Server::GetRoute route = impl_.find_route(path)) {
    auto field = [&](http::field f) -> std::string_view {
      auto it = req.find(f);
      return it == req.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
    };
    HttpRequestView view;
    view.method = req.method() == http::verb::head ? "HEAD" : "GET";
    view.target = target;
    view.path = path;
    view.query = path.size() < target.size() ? target.substr(path.size() + 1) : std::string_view();
    view.accept = field(http::field::accept);
    view.host = field(http::field::host);
    WorkerPool& pool = *impl_.pool;
    HttpReply reply =
        co_await await_completion<HttpReply>(impl_.lifeline, [&](std::function<void(HttpReply)> done) {
          // `view` and `route` live in this coroutine frame, which waits for `done`.
          (void)pool.submit([&view, &route, done = std::move(done)] {
            HttpReply out;
            try {
              out = route(view);
            } catch (const std::exception& e) {
              base::log::error("rpc: GET route {} threw: {}", view.path, e.what());
              out = HttpReply{500, "text/plain; charset=utf-8", "internal error\n", {}};
            } catch (...) {
              out = HttpReply{500, "text/plain; charset=utf-8", "internal error\n", {}};
            }
            done(std::move(out));
          });
        });
    if (reply.status < 100 || reply.status > 599) reply.status = 500;
    Response res =
        make_response(reply.status, req.version(), std::move(reply.content_type), std::move(reply.body));
    bool has_cors = false;
    for (auto& [name, value] : reply.headers) {
      if (beast::iequals(name, "access-control-allow-origin")) has_cors = true;
      // Header injection: Beast refuses CR/LF in values by throwing; skip such headers.
      if (name.find_first_of("\r\n:") != std::string::npos ||
          value.find_first_of("\r\n") != std::string::npos) {
        continue;
      }
      res.set(name, value);
    }
    if (!has_cors) add_cors(res);
    co_return res;
  }
  Result<StaticFile> file =
      load_static_file(impl_.options.static_dir, path, impl_.options.max_static_file_bytes);
  if (!file.ok()) {
    co_return text_response(static_status(file.code()), req.version(), file.error().message);
  }
  Response res = make_response(200, req.version(), std::move(file->content_type), std::move(file->body));
  res.set("X-Content-Type-Options", "nosniff");
  co_return res;
}

asio::awaitable<void> serve_connection(Server::Impl& impl, tcp::socket socket) {
  ConnectionGuard guard(impl.open);
  HttpSession session(impl, std::move(socket));
  co_await session.run();
}

asio::awaitable<void> accept_loop(Server::Impl& impl) {
  for (;;) {
    ErrorCodeSys ec;
    tcp::socket socket = co_await impl.acceptor->async_accept(
        asio::any_io_executor(asio::make_strand(*impl.ioc)), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !impl.acceptor->is_open()) co_return;
      // E.g. out of file descriptors: back off instead of spinning.
      base::log::warn("rpc: accept failed: {}", ec.message());
      const auto ex = co_await asio::this_coro::executor;
      asio::steady_timer pause(ex, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (impl.open.load() >= impl.options.max_connections) {
      impl.refused.fetch_add(1);
      socket.close(ec);
      continue;
    }
    impl.open.fetch_add(1);
    impl.accepted.fetch_add(1);
    auto ex = socket.get_executor();
    asio::co_spawn(ex, serve_connection(impl, std::move(socket)),
                   [](std::exception_ptr e) { log_exception("connection", e); });
  }
}

}  // namespace

Server::GetRoute Server::Impl::find_route(std::string_view path) {
  std::lock_guard lock(routes_mu);
  for (const auto& [prefix, route] : routes) {  // sorted longest first
    if (path.substr(0, prefix.size()) == prefix) return route;
  }
  return {};
}

Server::Server(ServerOptions options, std::shared_ptr<Methods> methods)
    : impl_(std::make_unique<Impl>(std::move(options),
                                   methods ? std::move(methods) : std::make_shared<Methods>())) {}

Server::~Server() { stop(); }

Methods& Server::methods() { return *impl_->methods; }

void Server::add_get_route(std::string prefix, GetRoute handler) {
  std::lock_guard lock(impl_->routes_mu);
  auto& routes = impl_->routes;
  routes.erase(std::remove_if(routes.begin(), routes.end(), [&](const auto& r) { return r.first == prefix; }),
               routes.end());
  routes.emplace_back(std::move(prefix), std::move(handler));
  std::stable_sort(routes.begin(), routes.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

Status Server::start() {
  Impl& m = *impl_;
  if (m.running.load()) return make_error(ErrorCode::kFailedPrecondition, "server already running");
  ErrorCodeSys ec;
  const auto address = asio::ip::make_address(m.options.address, ec);
  if (ec) return make_error(ErrorCode::kInvalidArgument, "bad listen address " + m.options.address);

  auto ioc =
      std::make_unique<asio::io_context>(static_cast<int>(std::max<std::size_t>(m.options.io_threads, 1)));
  auto acceptor = std::make_unique<tcp::acceptor>(*ioc);
  const tcp::endpoint endpoint(address, m.options.port);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error(ErrorCode::kIo, "cannot listen on " + m.options.address + ":" +
                                          std::to_string(m.options.port) + ": " + ec.message());
  }
  m.bound_port = acceptor->local_endpoint(ec).port();

  m.ioc = std::move(ioc);
  m.acceptor = std::move(acceptor);
  m.lifeline = std::make_shared<Lifeline>();
  m.pool = std::make_unique<WorkerPool>(m.options.handler_threads);
  {
    std::lock_guard lock(m.state_mu);
    m.dispatcher =
        std::make_unique<Dispatcher>(m.methods, *m.pool, m.options.max_batch, m.options.max_body_bytes);
  }
  asio::co_spawn(*m.ioc, accept_loop(m), [](std::exception_ptr e) { log_exception("accept loop", e); });
  const std::size_t n = std::max<std::size_t>(m.options.io_threads, 1);
  for (std::size_t i = 0; i < n; ++i) {
    m.threads.emplace_back([ioc = m.ioc.get()] {
      for (;;) {
        try {
          ioc->run();
          return;
        } catch (const std::exception& e) {
          base::log::error("rpc: I/O thread caught: {}", e.what());  // keep serving
        }
      }
    });
  }
  m.running = true;
  base::log::info("rpc: listening on {}:{}", m.options.address, m.bound_port.load());
  return ok_status();
}

void Server::stop() {
  Impl& m = *impl_;
  if (!m.ioc) return;
  {
    std::unique_lock lock(m.publish_mu);
    m.running = false;
  }
  m.lifeline->kill();  // from here on nothing is posted into the context
  m.ioc->stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
  m.pool->stop();  // running handlers finish; their answers are dropped
  m.subscriptions.clear();
  m.acceptor.reset();
  // Queued handler tasks may hold replies bound to connection strands: drop them while the
  // io_context (which owns the strand service) is still alive.
  m.pool.reset();
  m.ioc.reset();  // destroys every connection's coroutine, closing its socket
  {
    std::lock_guard lock(m.state_mu);
    m.past_requests += m.dispatcher->requests();
    m.past_bad += m.dispatcher->bad_requests();
    m.dispatcher.reset();
  }
  m.bound_port = 0;
}

bool Server::running() const { return impl_->running.load(); }

std::uint16_t Server::port() const { return impl_->bound_port.load(); }

std::size_t Server::publish(std::string_view topic, const Json& result) {
  std::shared_lock lock(impl_->publish_mu);
  if (!impl_->running.load()) return 0;
  std::size_t overflowed = 0;
  const std::size_t queued = impl_->subscriptions.publish(topic, result, overflowed);
  if (overflowed > 0) impl_->slow_dropped.fetch_add(overflowed);
  return queued;
}

ServerStats Server::stats() const {
  const Impl& m = *impl_;
  ServerStats s;
  s.connections_open = m.open.load();
  s.connections_accepted = m.accepted.load();
  s.connections_refused = m.refused.load();
  s.ws_sessions_open = m.ws_open.load();
  s.subscriptions = m.subscriptions.size();
  s.slow_subscribers_dropped = m.slow_dropped.load();
  std::lock_guard lock(m.state_mu);
  s.requests = m.past_requests;
  s.bad_requests = m.past_bad + m.http_bad.load();
  if (m.dispatcher) {
    s.requests += m.dispatcher->requests();
    s.bad_requests += m.dispatcher->bad_requests();
  }
  return s;
}

}  // namespace formica::rpc
