// rpc::WsClient: synchronous JSON-RPC over a WebSocket. A reader coroutine stays pending on the
// client's io_context; every call runs that context until what it waits for has arrived or its
// deadline has passed (the context only runs inside calls).

#include <deque>
#include <exception>
#include <optional>
#include <utility>

#include <boost/beast/websocket.hpp>

#include "client_support.h"
#include "formica/rpc/client.h"
#include "formica/rpc/errors.h"

namespace formica::rpc {

using namespace client_support;  // NOLINT(build/namespaces): .cpp only
namespace websocket = beast::websocket;

struct WsClient::Impl {
  asio::io_context ioc{1};
  std::optional<websocket::stream<beast::tcp_stream>> ws;
  Endpoint endpoint;
  bool open = false;
  bool reader_running = false;
  std::string close_reason;
  std::deque<Json> notifications;
  std::deque<Json> responses;
  std::uint64_t next_id = 1;

  // Runs the context until pred() holds (true) or the deadline passes / nothing can happen (false).
  template <class Pred>
  bool run_until(Pred pred, Clock::time_point deadline) {
    while (!pred()) {
      if (ioc.stopped()) ioc.restart();
      if (Clock::now() >= deadline) return false;
      if (ioc.run_one_until(deadline) == 0 && ioc.stopped()) return pred();
    }
    return true;
  }

  asio::awaitable<void> reader() {
    reader_running = true;
    beast::flat_buffer buffer;
    for (;;) {
      ErrorCodeSys ec;
      co_await ws->async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        open = false;
        close_reason = ec.message();
        break;
      }
      Result<Json> parsed = codec::parse_json(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
      if (!parsed.ok()) continue;  // not JSON: nothing a caller could match it to
      Json& j = parsed.value();
      const auto method = j.is_object() ? j.find("method") : j.end();
      if (j.is_object() && method != j.end() && method->is_string() && *method == "subscription" &&
          !j.contains("id")) {
        auto params = j.find("params");
        notifications.push_back(params == j.end() ? Json() : std::move(*params));
      } else {
        responses.push_back(std::move(j));
      }
    }
    reader_running = false;
  }

  Status write(std::string text, Clock::time_point deadline) {
    if (!open) return make_error(ErrorCode::kUnavailable, "WebSocket not connected: " + close_reason);
    bool done = false;
    ErrorCodeSys result;
    auto op = [](Impl& m, std::string t, bool& d, ErrorCodeSys& r) -> asio::awaitable<void> {
      m.ws->text(true);
      co_await m.ws->async_write(asio::buffer(t), asio::redirect_error(asio::use_awaitable, r));
      d = true;
    };
    asio::co_spawn(ioc, op(*this, std::move(text), done, result), [&done, &result](std::exception_ptr e) {
      if (e) {
        result = asio::error::fault;
        done = true;
      }
    });
    if (!run_until([&] { return done; }, deadline)) {
      drop();  // a write that cannot finish leaves the stream unusable
      return make_error(ErrorCode::kUnavailable, "WebSocket send timed out");
    }
    if (result) {
      drop();
      return unavailable(endpoint, "WebSocket send to", result);
    }
    return ok_status();
  }

  // Closes the socket and lets every pending operation finish.
  void drop() {
    if (!ws) return;
    ErrorCodeSys ec;
    beast::get_lowest_layer(*ws).socket().close(ec);
    open = false;
    if (close_reason.empty()) close_reason = "closed";
    ioc.restart();
    ioc.run_for(std::chrono::seconds(1));
    ws.reset();
  }

  Result<Json> take_response(std::uint64_t id, Clock::time_point deadline) {
    std::optional<Json> found;
    auto match = [&] {
      for (auto it = responses.begin(); it != responses.end(); ++it) {
        auto rid = it->is_object() ? it->find("id") : it->end();
        if (it->is_object() && rid != it->end() && rid->is_number_unsigned() &&
            rid->get<std::uint64_t>() == id) {
          found = std::move(*it);
          responses.erase(it);
          return true;
        }
      }
      return !open;
    };
    if (!run_until(match, deadline) || !found) {
      return make_error(ErrorCode::kUnavailable,
                        open ? "no response in time" : "WebSocket closed: " + close_reason);
    }
    if (auto e = found->find("error"); e != found->end()) return error_from_object(*e);
    auto r = found->find("result");
    if (r == found->end()) return make_error(ErrorCode::kMalformed, "response has neither result nor error");
    return std::move(*r);
  }
};

WsClient::WsClient() : impl_(std::make_unique<Impl>()) {}

WsClient::~WsClient() {
  try {
    impl_->drop();
  } catch (...) {
  }
}

Status WsClient::connect(std::string_view url, int timeout_ms) {
  try {
    impl_->drop();
    FORMICA_ASSIGN_OR_RETURN(impl_->endpoint, parse_url(url, "ws"));
    impl_->close_reason.clear();
    impl_->notifications.clear();
    impl_->responses.clear();
    const auto deadline = deadline_after(timeout_ms);
    Impl& m = *impl_;
    m.ws.emplace(m.ioc);
    bool done = false;
    ErrorCodeSys result;
    auto op = [](Impl& mm, Clock::time_point dl, bool& d, ErrorCodeSys& r) -> asio::awaitable<void> {
      r = co_await client_support::connect(beast::get_lowest_layer(*mm.ws), mm.endpoint, dl);
      if (!r) {
        beast::get_lowest_layer(*mm.ws).expires_at(dl);
        const std::string host = mm.endpoint.host + ":" + std::to_string(mm.endpoint.port);
        co_await mm.ws->async_handshake(host, mm.endpoint.path, asio::redirect_error(asio::use_awaitable, r));
      }
      d = true;
    };
    asio::co_spawn(m.ioc, op(m, deadline, done, result), [&done, &result](std::exception_ptr e) {
      if (e) {
        result = asio::error::fault;
        done = true;
      }
    });
    if (!m.run_until([&] { return done; }, deadline)) result = beast::error::timeout;
    if (result) {
      m.drop();
      return unavailable(m.endpoint, "cannot open a WebSocket to", result);
    }
    beast::get_lowest_layer(*m.ws).expires_never();
    m.ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    m.open = true;
    asio::co_spawn(m.ioc, m.reader(), [](std::exception_ptr) {});
    return ok_status();
  } catch (const std::exception& e) {
    impl_->drop();
    return make_error(ErrorCode::kInternal, std::string("rpc ws client: ") + e.what());
  }
}

bool WsClient::connected() const { return impl_->open; }

Result<Json> WsClient::call(std::string_view method, const Json& params, int timeout_ms) {
  try {
    const auto deadline = deadline_after(timeout_ms);
    const std::uint64_t id = impl_->next_id++;
    Json req = Json::object();
    req["jsonrpc"] = "2.0";
    req["id"] = id;
    req["method"] = std::string(method);
    if (!params.is_null()) req["params"] = params;
    FORMICA_TRY(impl_->write(req.dump(), deadline));
    return impl_->take_response(id, deadline);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("rpc ws client: ") + e.what());
  }
}

Result<std::string> WsClient::subscribe(std::string_view topic, int timeout_ms) {
  FORMICA_ASSIGN_OR_RETURN(Json id, call("subscribe", Json{{"topic", std::string(topic)}}, timeout_ms));
  if (!id.is_string()) return make_error(ErrorCode::kMalformed, "subscription id is not a string");
  return id.get<std::string>();
}

Status WsClient::unsubscribe(std::string_view subscription, int timeout_ms) {
  FORMICA_ASSIGN_OR_RETURN(
      Json ok, call("unsubscribe", Json{{"subscription", std::string(subscription)}}, timeout_ms));
  (void)ok;
  return ok_status();
}

Result<Json> WsClient::next_notification(int timeout_ms) {
  Impl& m = *impl_;
  m.run_until([&] { return !m.notifications.empty() || !m.open; }, deadline_after(timeout_ms));
  if (m.notifications.empty()) {
    return make_error(ErrorCode::kUnavailable,
                      m.open ? "no notification in time" : "WebSocket closed: " + m.close_reason);
  }
  Json out = std::move(m.notifications.front());
  m.notifications.pop_front();
  return out;
}

Status WsClient::send_text(std::string_view text, int timeout_ms) {
  try {
    return impl_->write(std::string(text), deadline_after(timeout_ms));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("rpc ws client: ") + e.what());
  }
}

Result<Json> WsClient::next_response(int timeout_ms) {
  Impl& m = *impl_;
  m.run_until([&] { return !m.responses.empty() || !m.open; }, deadline_after(timeout_ms));
  if (m.responses.empty()) {
    return make_error(ErrorCode::kUnavailable,
                      m.open ? "no response in time" : "WebSocket closed: " + m.close_reason);
  }
  Json out = std::move(m.responses.front());
  m.responses.pop_front();
  return out;
}

void WsClient::close() {
  Impl& m = *impl_;
  if (m.ws && m.open) {
    bool done = false;
    auto op = [](Impl& mm, bool& d) -> asio::awaitable<void> {
      ErrorCodeSys ec;
      co_await mm.ws->async_close(websocket::close_code::normal,
                                  asio::redirect_error(asio::use_awaitable, ec));
      d = true;
    };
    asio::co_spawn(m.ioc, op(m, done), [](std::exception_ptr) {});
    m.run_until([&] { return done; }, deadline_after(1000));
  }
  m.drop();
}

}  // namespace formica::rpc
