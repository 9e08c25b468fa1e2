// WebSocket sessions of rpc::Server: JSON-RPC over text frames plus subscriptions. Per
// connection, a reader coroutine (reads frames, dispatches calls) and a writer coroutine
// (drains the Outbox) run on the connection's strand.

#include <exception>
#include <set>
#include <utility>

#include <boost/beast/websocket.hpp>

#include "formica/base/log.h"
#include "server_impl.h"

namespace formica::rpc {
namespace {

namespace websocket = beast::websocket;

struct WsState {
  WsState(beast::tcp_stream&& stream, const asio::any_io_executor& ex)
      : ws(std::move(stream)), wake_timer(ex), slot_timer(ex) {
    wake_timer.expires_at(asio::steady_timer::time_point::max());
    slot_timer.expires_at(asio::steady_timer::time_point::max());
  }

  websocket::stream<beast::tcp_stream> ws;
  asio::steady_timer wake_timer;  // the writer waits here for messages
  asio::steady_timer slot_timer;  // the reader waits here for a free in-flight slot
  std::shared_ptr<Outbox> outbox;
  std::set<std::string> subscriptions;  // ids owned by this connection
  std::size_t inflight = 0;
  bool closed = false;
  bool writer_done = false;
  asio::steady_timer* writer_exit = nullptr;  // signalled when the writer has finished
};

// Runs on the strand: wakes the writer, or drops the connection of a slow subscriber.
void kick(WsState& s) {
  if (s.outbox->overflowed() && !s.closed) {
    base::log::debug("rpc: dropping a slow WebSocket subscriber");
    s.closed = true;
    ErrorCodeSys ec;
    beast::get_lowest_layer(s.ws).socket().close(ec);  // aborts the pending read and write
  }
  s.wake_timer.cancel();
}

Result<Json> do_subscribe(Server::Impl& impl, WsState& s, const Json& params) {
  const Json* topic = nullptr;
  if (params.is_object()) {
    auto it = params.find("topic");
    if (it != params.end()) topic = &*it;
  } else if (params.is_array() && params.size() == 1) {
    topic = &params[0];
  }
  if (topic == nullptr || !topic->is_string()) {
    return make_error(ErrorCode::kInvalidArgument, "subscribe takes {\"topic\": <string>}");
  }
  const std::string& name = topic->get_ref<const std::string&>();
  if (name.empty() || name.size() > impl.options.max_topic_bytes) {
    return make_error(ErrorCode::kInvalidArgument,
                      "topic must be 1 to " + std::to_string(impl.options.max_topic_bytes) + " bytes");
  }
  if (s.subscriptions.size() >= impl.options.ws_max_subscriptions) {
    return make_error(ErrorCode::kTooLarge, "too many subscriptions on this connection");
  }
  std::string id = impl.subscriptions.subscribe(name, s.outbox);
  s.subscriptions.insert(id);
  return Json(std::move(id));
}

Result<Json> do_unsubscribe(Server::Impl& impl, WsState& s, const Json& params) {
  const Json* id = nullptr;
  if (params.is_object()) {
    auto it = params.find("subscription");
    if (it != params.end()) id = &*it;
  } else if (params.is_array() && params.size() == 1) {
    id = &params[0];
  }
  if (id == nullptr || !id->is_string()) {
    return make_error(ErrorCode::kInvalidArgument, "unsubscribe takes {\"subscription\": <string>}");
  }
  const std::string& sub = id->get_ref<const std::string&>();
  if (s.subscriptions.erase(sub) == 0 || !impl.subscriptions.unsubscribe(sub, s.outbox.get())) {
    return make_error(ErrorCode::kNotFound, "no subscription " + sub + " on this connection");
  }
  return Json(true);
}

asio::awaitable<void> writer(std::shared_ptr<WsState> s) {
  std::string message;
  while (!s->closed) {
    if (s->outbox->overflowed()) {
      kick(*s);
      break;
    }
    if (!s->outbox->pop(message)) {
      ErrorCodeSys ec;
      s->wake_timer.expires_at(asio::steady_timer::time_point::max());
      co_await s->wake_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    ErrorCodeSys ec;
    s->ws.text(true);
    co_await s->ws.async_write(asio::buffer(message), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
  // Make the reader stop too (it may be blocked reading a peer that went silent).
  if (!s->closed) {
    s->closed = true;
    ErrorCodeSys ec;
    beast::get_lowest_layer(s->ws).socket().close(ec);
  }
  s->slot_timer.cancel();
  s->writer_done = true;
  if (s->writer_exit != nullptr) s->writer_exit->cancel();
}

}  // namespace

asio::awaitable<void> run_ws_session(Server::Impl& impl, beast::tcp_stream stream,
                                     http::request<http::string_body> request) {
  const auto ex = co_await asio::this_coro::executor;
  auto s = std::make_shared<WsState>(std::move(stream), ex);
  std::shared_ptr<Lifeline> life = impl.lifeline;
  std::weak_ptr<WsState> weak = s;
  // Like the reply completion below: no executor captured, all of it under the lifeline.
  s->outbox = std::make_shared<Outbox>(impl.options.ws_max_queued, [life, weak] {
    life->run_if_alive([&] {
      auto strong = weak.lock();
      if (!strong) return;
      asio::post(strong->wake_timer.get_executor(), [weak] {
        if (auto conn = weak.lock()) kick(*conn);
      });
    });
  });

  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = impl.options.read_timeout;
  timeouts.idle_timeout = impl.options.ws_idle_timeout;
  timeouts.keep_alive_pings = true;
  s->ws.set_option(timeouts);
  s->ws.read_message_max(impl.options.max_body_bytes);
  s->ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "formica"); }));
  ErrorCodeSys ec;
  co_await s->ws.async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;

  impl.ws_open.fetch_add(1);
  struct WsGuard {
    Server::Impl& impl;
    std::shared_ptr<WsState> s;
    ~WsGuard() {
      impl.ws_open.fetch_sub(1);
      for (const auto& id : s->subscriptions) impl.subscriptions.unsubscribe(id, s->outbox.get());
      s->subscriptions.clear();
      s->outbox->close();
    }
  } guard{impl, s};

  asio::co_spawn(ex, writer(s), [](std::exception_ptr e) {
    if (e) base::log::error("rpc: WebSocket writer failed");
  });

  Dispatcher& dispatcher = *impl.dispatcher;
  Dispatcher::Builtin builtin = [&impl, raw = s.get()](const std::string& method, const Json& params,
                                                       Result<Json>& out) {
    if (method == "subscribe") {
      out = do_subscribe(impl, *raw, params);
      return true;
    }
    if (method == "unsubscribe") {
      out = do_unsubscribe(impl, *raw, params);
      return true;
    }
    return false;
  };

  beast::flat_buffer buffer;
  while (!s->closed) {
    while (s->inflight >= impl.options.ws_max_inflight && !s->closed) {
      s->slot_timer.expires_at(asio::steady_timer::time_point::max());
      co_await s->slot_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (s->closed) break;
    buffer.clear();
    co_await s->ws.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    const std::string text = beast::buffers_to_string(buffer.data());
    ++s->inflight;
    // The response comes back on any thread; it is queued on the strand, in completion order.
    // The completion holds no executor of its own (only a weak reference to the connection),
    // and does everything under the lifeline: a reply kept by a method handler and invoked or
    // destroyed after Server::stop() can then never be the last owner of this strand.
    dispatcher.dispatch(text, &builtin, [life, weak](std::string response) {
      life->run_if_alive([&] {
        auto strong = weak.lock();
        if (!strong) return;
        asio::post(strong->slot_timer.get_executor(), [weak, response = std::move(response)]() mutable {
          auto conn = weak.lock();
          if (!conn) return;
          --conn->inflight;
          conn->slot_timer.cancel();
          if (!response.empty() && !conn->closed) conn->outbox->push_response(std::move(response));
        });
      });
    });
  }

  // Stop the writer and wait for it, so the stream outlives its last operation on this strand.
  if (!s->closed) {
    s->closed = true;
    beast::get_lowest_layer(s->ws).socket().close(ec);
  }
  s->wake_timer.cancel();
  if (!s->writer_done) {
    asio::steady_timer exit(ex);
    exit.expires_at(asio::steady_timer::time_point::max());
    s->writer_exit = &exit;
    while (!s->writer_done) co_await exit.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    s->writer_exit = nullptr;
  }
}

}  // namespace formica::rpc
