#pragma once
// The Server's insides, shared by server.cpp (listener, HTTP sessions) and ws_session.cpp.
// The only header of rpc that includes Boost.Asio/Beast; include it from .cpp files only.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "dispatcher.h"
#include "formica/rpc/server.h"
#include "subscriptions.h"
#include "worker_pool.h"

namespace formica::rpc {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using ErrorCodeSys = boost::system::error_code;

// Guards every post from a foreign thread (handler, publisher) into the I/O context: stop()
// kills it before stopping the context, so nothing is posted into a context being destroyed.
struct Lifeline {
  std::mutex mu;
  bool alive = true;

  template <class Executor, class F>
  bool post(const Executor& ex, F&& f) {
    std::lock_guard lock(mu);
    if (!alive) return false;
    asio::post(ex, std::forward<F>(f));
    return true;
  }
  // Runs f under the lifeline's lock, only while alive: whatever f touches (and releases) is
  // done before kill() returns.
  template <class F>
  void run_if_alive(F&& f) {
    std::lock_guard lock(mu);
    if (alive) f();
  }
  void kill() {
    std::lock_guard lock(mu);
    alive = false;
  }
};

// A value delivered from any thread to a coroutine waiting on its strand.
template <class T>
struct Waiter {
  explicit Waiter(const asio::any_io_executor& ex) : timer(ex) {
    timer.expires_at(asio::steady_timer::time_point::max());
  }
  asio::steady_timer timer;
  std::optional<T> value;
};

// A completion for a Waiter: posts the value to the waiter's strand, or drops it when the
// waiter is gone (client disconnected) or the server is stopping. Copyable, any thread.
template <class T>
std::function<void(T)> waiter_completion(const std::shared_ptr<Lifeline>& life,
                                         const std::shared_ptr<Waiter<T>>& w) {
  return [life, weak = std::weak_ptr<Waiter<T>>(w)](T value) {
    // All of it under the lifeline: a completion racing stop() must not keep the last
    // reference to a waiter (and so to its strand) past the io_context's destruction.
    life->run_if_alive([&] {
      auto strong = weak.lock();
      if (!strong) return;
      const auto ex = strong->timer.get_executor();
      asio::post(ex, [w = std::move(strong), v = std::move(value)]() mutable {
        w->value = std::move(v);
        w->timer.cancel();
      });
    });
  };
}

// Runs `start(completion)` and suspends until the completion has been invoked.
template <class T, class Start>
asio::awaitable<T> await_completion(const std::shared_ptr<Lifeline>& life, Start start) {
  auto ex = co_await asio::this_coro::executor;
  auto w = std::make_shared<Waiter<T>>(ex);
  start(waiter_completion<T>(life, w));
  while (!w->value) {
    ErrorCodeSys ec;
    co_await w->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return std::move(*w->value);
}

// Counts an open connection for as long as it lives.
class ConnectionGuard {
 public:
  explicit ConnectionGuard(std::atomic<std::uint64_t>& open) : open_(&open) {}
  ~ConnectionGuard() { open_->fetch_sub(1); }
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

 private:
  std::atomic<std::uint64_t>* open_;
};

struct Server::Impl {
  Impl(ServerOptions o, std::shared_ptr<Methods> m) : options(std::move(o)), methods(std::move(m)) {}

  ServerOptions options;
  std::shared_ptr<Methods> methods;

  std::mutex routes_mu;
  std::vector<std::pair<std::string, GetRoute>> routes;  // longest prefix first

  // Running state (start() creates, stop() destroys).
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<Dispatcher> dispatcher;
  std::shared_ptr<Lifeline> lifeline;
  SubscriptionRegistry subscriptions;

  std::atomic<bool> running{false};
  // publish() holds this shared while it touches subscriptions; stop() takes it exclusively to
  // end running, so no publish is still holding a subscription (and its strand) when the
  // io_context that owns the strands is destroyed.
  std::shared_mutex publish_mu;
  std::atomic<std::uint16_t> bound_port{0};
  std::atomic<std::uint64_t> open{0};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> refused{0};
  std::atomic<std::uint64_t> ws_open{0};
  std::atomic<std::uint64_t> slow_dropped{0};
  std::atomic<std::uint64_t> http_bad{0};
  mutable std::mutex state_mu;      // guards dispatcher (its replacement) and the past_* counters
  std::uint64_t past_requests = 0;  // from earlier runs (start/stop cycles)
  std::uint64_t past_bad = 0;

  // Finds the route for `path`; empty when none.
  GetRoute find_route(std::string_view path);
};

// ws_session.cpp: serves one upgraded connection until it closes.
asio::awaitable<void> run_ws_session(Server::Impl& impl, beast::tcp_stream stream,
                                     http::request<http::string_body> request);

}  // namespace formica::rpc
