// TcpProxy: one io_context on one thread; per connection two pipes (client -> target and
// target -> client), each a reader coroutine that timestamps chunks and a writer coroutine
// that forwards them once their delay has passed (FIFO, so order is preserved).

#include "formica/net/tcp_proxy.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio.hpp>

#include "formica/base/bytes.h"
#include "formica/base/log.h"

namespace formica::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SysError = boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kChunkBytes = 16u << 10;
constexpr auto kStopGrace = std::chrono::seconds(5);

struct Pipe {
  explicit Pipe(const asio::any_io_executor& ex) : data_ready(ex), space_ready(ex) {}
  std::deque<std::pair<Clock::time_point, Bytes>> chunks;
  std::size_t bytes = 0;
  bool eof = false;
  asio::steady_timer data_ready;   // the writer waits here for a chunk
  asio::steady_timer space_ready;  // the reader waits here while the pipe is full
};

struct Connection {
  Connection(tcp::socket c, std::uint64_t conn_id, std::function<void(std::uint64_t)> gone)
      : client(std::move(c)),
        target(client.get_executor()),
        up(client.get_executor()),
        down(client.get_executor()),
        id(conn_id),
        on_gone(std::move(gone)) {}
  // Runs on the I/O thread, or while stop() destroys the io_context (the proxy is still alive).
  ~Connection() {
    if (on_gone) on_gone(id);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // Idempotent; closes the sockets every time (a connect in flight may have reopened one).
  void close() {
    closed = true;
    SysError ec;
    client.close(ec);
    target.close(ec);
    for (Pipe* p : {&up, &down}) {
      p->data_ready.cancel();
      p->space_ready.cancel();
    }
  }
  tcp::socket client;
  tcp::socket target;
  Pipe up;    // client -> target
  Pipe down;  // target -> client
  std::uint64_t id;
  std::function<void(std::uint64_t)> on_gone;
  bool closed = false;
  int pipes_done = 0;
};

}  // namespace

struct TcpProxy::Impl {
  TcpProxyOptions opt;
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread thread;
  std::promise<void> run_done;
  std::uint16_t bound_port = 0;
  std::mutex life_mu;
  bool alive = false;
  bool stopped = false;
  std::atomic<std::uint32_t> delay_ms{0};
  std::atomic<bool> partitioned{false};
  std::atomic<std::uint64_t> accepted{0}, refused{0}, cut{0}, active{0}, to_target{0}, to_client{0};

  // I/O thread only.
  bool stopping = false;
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> conns;

  template <class F>
  void post_from_any(F&& f) {
    std::lock_guard lock(life_mu);
    if (alive) asio::post(*ioc, std::forward<F>(f));
  }

  static auto log_exception(const char* what) {
    return [what](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        base::log::error("tcp_proxy: {}: {}", what, ex.what());
      } catch (...) {
        base::log::error("tcp_proxy: {}: unknown exception", what);
      }
    };
  }

  asio::awaitable<void> read_side(std::shared_ptr<Connection> c, tcp::socket& from, Pipe& pipe) {
    Bytes buf(kChunkBytes);
    while (!c->closed) {
      SysError ec;
      if (pipe.bytes >= opt.max_buffered_bytes) {
        pipe.space_ready.expires_at(asio::steady_timer::time_point::max());
        co_await pipe.space_ready.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      const std::size_t n =
          co_await from.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
      if (c->closed) break;
      if (ec) {
        if (ec == asio::error::eof) {
          pipe.eof = true;
          pipe.data_ready.cancel();
        } else {
          c->close();
        }
        break;
      }
      const auto at = Clock::now() + std::chrono::milliseconds(delay_ms.load(std::memory_order_relaxed));
      pipe.chunks.emplace_back(at, Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)));
      pipe.bytes += n;
      pipe.data_ready.cancel();
    }
  }

  asio::awaitable<void> write_side(std::shared_ptr<Connection> c, tcp::socket& to, Pipe& pipe,
                                   std::atomic<std::uint64_t>& counter) {
    while (!c->closed) {
      SysError ec;
      if (pipe.chunks.empty()) {
        if (pipe.eof) {
          to.shutdown(tcp::socket::shutdown_send, ec);
          if (++c->pipes_done == 2) c->close();
          break;
        }
        pipe.data_ready.expires_at(asio::steady_timer::time_point::max());
        co_await pipe.data_ready.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      const auto at = pipe.chunks.front().first;
      if (Clock::now() < at) {
        pipe.data_ready.expires_at(at);
        co_await pipe.data_ready.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;  // woken early by a new chunk: re-check the front
      }
      Bytes chunk = std::move(pipe.chunks.front().second);
      pipe.chunks.pop_front();
      co_await asio::async_write(to, asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        c->close();
        break;
      }
      pipe.bytes -= chunk.size();
      counter.fetch_add(chunk.size(), std::memory_order_relaxed);
      pipe.space_ready.cancel();
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<Connection> c) {
    SysError ec;
    asio::steady_timer deadline(*ioc);
    deadline.expires_after(std::chrono::seconds(5));
    deadline.async_wait([c](SysError e) {
      if (!e && !c->target.is_open()) c->close();
    });
    tcp::resolver resolver(*ioc);
    auto results = co_await resolver.async_resolve(opt.target_host, std::to_string(opt.target_port),
                                                   asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !c->closed) {
      co_await asio::async_connect(c->target, results, asio::redirect_error(asio::use_awaitable, ec));
    }
    deadline.cancel();
    if (ec || c->closed || partitioned.load()) {
      if (!c->closed) refused.fetch_add(1);
      c->close();
      co_return;
    }
    c->client.set_option(tcp::no_delay(true), ec);
    c->target.set_option(tcp::no_delay(true), ec);
    accepted.fetch_add(1);
    asio::co_spawn(*ioc, read_side(c, c->client, c->up), log_exception("pipe"));
    asio::co_spawn(*ioc, write_side(c, c->target, c->up, to_target), log_exception("pipe"));
    asio::co_spawn(*ioc, read_side(c, c->target, c->down), log_exception("pipe"));
    asio::co_spawn(*ioc, write_side(c, c->client, c->down, to_client), log_exception("pipe"));
  }

  asio::awaitable<void> accept_loop() {
    asio::steady_timer pause(*ioc);
    while (!stopping) {
      tcp::socket socket(*ioc);
      SysError ec;
      co_await acceptor->async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
      if (stopping) break;
      if (ec) {
        if (!acceptor->is_open()) break;
        pause.expires_after(std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      if (partitioned.load()) {
        refused.fetch_add(1);
        socket.close(ec);
        continue;
      }
      auto c = std::make_shared<Connection>(std::move(socket), next_id++, [this](std::uint64_t id) {
        conns.erase(id);
        active.fetch_sub(1);
      });
      conns.emplace(c->id, c);
      active.fetch_add(1);
      asio::co_spawn(*ioc, serve(c), log_exception("connection"));
    }
  }

  std::vector<std::shared_ptr<Connection>> open_connections() {
    std::vector<std::shared_ptr<Connection>> out;
    for (auto& [id, weak] : conns) {
      if (auto c = weak.lock()) out.push_back(std::move(c));
    }
    return out;
  }

  void cut_all() {
    for (auto& c : open_connections()) {
      if (!c->closed) cut.fetch_add(1);
      c->close();
    }
  }

  void begin_stop() {
    stopping = true;
    SysError ec;
    if (acceptor) acceptor->close(ec);
    for (auto& c : open_connections()) c->close();
  }
};

TcpProxy::TcpProxy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TcpProxy::~TcpProxy() { stop(); }

Result<std::unique_ptr<TcpProxy>> TcpProxy::start(TcpProxyOptions options) {
  try {
    return start_impl(std::move(options));
  } catch (const std::exception& e) {  // before the thread exists: the Impl simply unwinds
    return make_error(ErrorCode::kInternal, std::string("tcp_proxy: start: ") + e.what());
  }
}

Result<std::unique_ptr<TcpProxy>> TcpProxy::start_impl(TcpProxyOptions options) {
  if (options.target_port == 0) return make_error(ErrorCode::kInvalidArgument, "tcp_proxy: target_port is 0");
  if (options.max_buffered_bytes < kChunkBytes) options.max_buffered_bytes = kChunkBytes;
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.opt = std::move(options);
  m.delay_ms = m.opt.delay_ms;
  m.ioc = std::make_unique<asio::io_context>(1);
  SysError ec;
  const auto address = asio::ip::make_address(m.opt.listen_address, ec);
  if (ec) return make_error(ErrorCode::kInvalidArgument, "tcp_proxy: listen_address: " + ec.message());
  m.acceptor = std::make_unique<tcp::acceptor>(*m.ioc);
  const tcp::endpoint endpoint(address, m.opt.listen_port);
  m.acceptor->open(endpoint.protocol(), ec);
  if (!ec) m.acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) m.acceptor->bind(endpoint, ec);
  if (!ec) m.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    m.acceptor.reset();
    return make_error(ErrorCode::kIo, "tcp_proxy: listen on " + m.opt.listen_address + ":" +
                                          std::to_string(m.opt.listen_port) + ": " + ec.message());
  }
  m.bound_port = m.acceptor->local_endpoint().port();
  asio::co_spawn(*m.ioc, m.accept_loop(), Impl::log_exception("accept loop"));
  // The proxy owns the Impl before the thread exists, so that any failure from here on is
  // undone by its destructor.
  auto proxy = std::unique_ptr<TcpProxy>(new TcpProxy(std::move(impl)));
  {
    std::lock_guard lock(m.life_mu);
    m.alive = true;
  }
  m.thread = std::thread([&m] {
    for (;;) {
      try {
        m.ioc->run();
        break;
      } catch (const std::exception& e) {
        base::log::error("tcp_proxy: I/O thread: {}", e.what());
      } catch (...) {
        base::log::error("tcp_proxy: I/O thread: unknown exception");
      }
    }
    m.run_done.set_value();
  });
  return proxy;
}

void TcpProxy::stop() {
  Impl& m = *impl_;
  {
    std::lock_guard lock(m.life_mu);
    if (m.stopped) return;
    m.stopped = true;
    m.alive = false;
    if (m.thread.joinable()) asio::post(*m.ioc, [&m] { m.begin_stop(); });
  }
  if (m.thread.joinable()) {
    auto done = m.run_done.get_future();
    if (done.wait_for(kStopGrace) != std::future_status::ready) m.ioc->stop();
    m.thread.join();
  }
  m.conns.clear();
  m.acceptor.reset();
  m.ioc.reset();
}

std::uint16_t TcpProxy::port() const { return impl_->bound_port; }

void TcpProxy::set_delay_ms(std::uint32_t ms) { impl_->delay_ms.store(ms); }

void TcpProxy::partition(bool on) {
  Impl& m = *impl_;
  const bool was = m.partitioned.exchange(on);
  if (on && !was) m.post_from_any([&m] { m.cut_all(); });
}

bool TcpProxy::partitioned() const { return impl_->partitioned.load(); }

TcpProxyStats TcpProxy::stats() const {
  const Impl& m = *impl_;
  TcpProxyStats s;
  s.accepted = m.accepted.load();
  s.refused = m.refused.load();
  s.cut = m.cut.load();
  s.active = m.active.load();
  s.bytes_to_target = m.to_target.load();
  s.bytes_to_client = m.to_client.load();
  return s;
}

}  // namespace formica::net
