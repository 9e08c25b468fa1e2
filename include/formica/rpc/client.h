#pragma once
// Small synchronous clients for the CLI and tests: JSON-RPC over HTTP (Client) and over
// WebSocket (WsClient). Every call takes a timeout; a node that cannot be reached, refuses the
// connection, or does not answer in time is ErrorCode::kUnavailable (the CLI's exit code 3).
// A JSON-RPC error from the node comes back as the Error it was made from: data.code names the
// ErrorCode and the message is the node's (errors.h).
//
// Thread-safety: a Client or WsClient is used by one thread at a time (it owns one connection
// and an event loop that runs only inside its calls). Use one per thread.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formica/base/status.h"
#include "formica/codec/json.h"

namespace formica::rpc {

using codec::Json;

struct Endpoint {
  std::string host;  // "127.0.0.1", "localhost", "::1" (brackets removed)
  std::uint16_t port = 0;
  std::string path;  // "/" when the URL had none
};

// "http://host:port[/path]" (or "ws://", "https"/"wss" are kUnsupported). kInvalidArgument
// for anything else: no scheme, no port, port out of range, user info, fragments.
Result<Endpoint> parse_url(std::string_view url, std::string_view scheme = "http");

struct HttpResult {
  unsigned status = 0;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // as received, names as sent

  // The first header with this name (case-insensitive), "" when absent.
  std::string_view header(std::string_view name) const;
};

struct BatchCall {
  std::string method;
  Json params;  // null: no "params" member
};

class Client {
 public:
  // Does not connect; a bad URL makes every call fail with kInvalidArgument.
  explicit Client(std::string_view url);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;

  // One JSON-RPC call; its "result", or the Error (see the header comment). `params` null sends
  // no "params". The timeout covers connecting, sending and receiving.
  Result<Json> call(std::string_view method, const Json& params = Json(), int timeout_ms = 10'000);

  // Many calls in one POST. The outer Result fails when the transport does (kUnavailable) or the
  // reply is not a batch response; otherwise one Result per call, in the order of `calls`.
  Result<std::vector<Result<Json>>> call_batch(const std::vector<BatchCall>& calls, int timeout_ms = 30'000);

  // One raw HTTP request to this endpoint's host (target e.g. "/", "/metrics"); any status is a
  // success here. For tests and for GET endpoints.
  Result<HttpResult> request(std::string_view method, std::string_view target, std::string_view body = {},
                             std::vector<std::pair<std::string, std::string>> headers = {},
                             int timeout_ms = 10'000);

  // The keep-alive connection is reused across calls; close() drops it.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class WsClient {
 public:
  WsClient();
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // "ws://host:port/ws". kUnavailable when it cannot connect or upgrade in time.
  Status connect(std::string_view url, int timeout_ms = 10'000);
  bool connected() const;

  // A JSON-RPC call over the socket. Notifications that arrive meanwhile are kept, in order,
  // for next_notification(). kUnavailable on timeout or when the connection is gone.
  Result<Json> call(std::string_view method, const Json& params = Json(), int timeout_ms = 10'000);
  // subscribe {"topic": topic} → the subscription id; unsubscribe {"subscription": id}.
  Result<std::string> subscribe(std::string_view topic, int timeout_ms = 10'000);
  Status unsubscribe(std::string_view subscription, int timeout_ms = 10'000);

  // The "params" of the next {"method": "subscription"} message: {"subscription", "topic",
  // "result"}. kUnavailable when none arrives in time or the connection is closed (queued
  // notifications are still returned first).
  Result<Json> next_notification(int timeout_ms);

  // Raw access for tests: send one text frame; receive the next message that is not a
  // notification (notifications are queued as above).
  Status send_text(std::string_view text, int timeout_ms = 10'000);
  Result<Json> next_response(int timeout_ms);

  // Sends a close frame (best effort) and drops the connection.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace formica::rpc
