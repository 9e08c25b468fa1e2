#pragma once
// The node's JSON-RPC 2.0 server (docs/rpc.md): HTTP/1.1 keep-alive and WebSocket on one port,
// built on Boost.Beast/Asio with C++20 coroutines (none of which shows in this header).
//
//   POST /  and  POST /rpc   JSON-RPC 2.0: single requests, batches, notifications
//   GET  /ws                 WebSocket upgrade: JSON-RPC over text frames, plus the built-in
//                            methods subscribe {"topic"} / unsubscribe {"subscription"}
//   GET  <route prefix>...   a route added with add_get_route (e.g. /metrics)
//   GET  anything else       a static file under ServerOptions::static_dir (index.html for /)
//   OPTIONS *                CORS preflight (Access-Control-Allow-Origin: *)
//
// The server is generic: it knows nothing of ledgers. The node registers methods in methods()
// and routes with add_get_route(), and pushes subscription messages with publish().

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formica/base/status.h"
#include "formica/codec/json.h"
#include "formica/rpc/methods.h"

namespace formica::rpc {

using codec::Json;

struct ServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal to bind
  std::uint16_t port = 0;             // 0: an ephemeral port (see Server::port())
  std::size_t io_threads = 2;         // threads running socket I/O
  std::size_t handler_threads = 4;    // threads running method handlers and GET routes

  std::size_t max_connections = 1024;        // further connections are closed at once
  std::size_t max_body_bytes = 4u << 20;     // larger request bodies: HTTP 413 (also per WS message)
  std::size_t max_header_bytes = 16u << 10;  // larger request heads: HTTP 431
  std::size_t max_batch = 4096;              // requests in one batch; more: -32600 too_large
  // A request (head and body) must arrive within read_timeout once its first byte has; an idle
  // keep-alive connection is closed after idle_timeout; a response must be written within
  // write_timeout.
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};

  // WebSocket: a connection with more than ws_max_queued notifications not yet written is a
  // slow subscriber and is disconnected. Calls in flight on one connection are bounded by
  // ws_max_inflight (the server stops reading that connection until one completes).
  std::size_t ws_max_queued = 1024;
  std::size_t ws_max_inflight = 64;
  std::size_t ws_max_subscriptions = 256;  // per connection
  std::size_t max_topic_bytes = 256;
  std::chrono::milliseconds ws_idle_timeout{300'000};  // no frame from a peer that ignores pings

  // Static files (the web console). Empty: no static files (GET of an unknown path is 404).
  std::filesystem::path static_dir;
  std::size_t max_static_file_bytes = 64u << 20;
};

// A GET (or HEAD) request as a route sees it. The views are valid during the route call only.
struct HttpRequestView {
  std::string_view method;  // "GET" or "HEAD"
  std::string_view target;  // as sent, e.g. "/01/09506000134352?linkType=all"
  std::string_view path;    // target before '?', not percent-decoded
  std::string_view query;   // after '?', without it ("" when none)
  std::string_view accept;  // the Accept header ("" when absent)
  std::string_view host;    // the Host header ("" when absent)
};

struct HttpReply {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Location
};

struct ServerStats {
  std::uint64_t connections_open = 0;  // HTTP and WebSocket
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused = 0;  // over max_connections
  std::uint64_t ws_sessions_open = 0;
  std::uint64_t subscriptions = 0;
  std::uint64_t slow_subscribers_dropped = 0;
  std::uint64_t requests = 0;      // JSON-RPC calls answered or notified (batch elements count one each)
  std::uint64_t bad_requests = 0;  // parse errors, invalid requests, HTTP-level refusals
};

// Thread-safety: all members may be called from any thread. start() and stop() must not run
// concurrently with each other. Handlers, routes and Reply invocations never run with a
// server lock held, so they may call publish() and stats().
class Server {
 public:
  explicit Server(ServerOptions options, std::shared_ptr<Methods> methods = nullptr);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The registry this server dispatches to (shared; methods may be added at any time).
  Methods& methods();

  // A GET/HEAD route for paths starting with `prefix` (e.g. "/metrics", "/01/"); the longest
  // matching prefix wins, routes win over static files. The handler runs on a handler thread;
  // an exception from it becomes HTTP 500. May be called before or after start().
  using GetRoute = std::function<HttpReply(const HttpRequestView&)>;
  void add_get_route(std::string prefix, GetRoute handler);

  // Binds, listens and starts the I/O and handler threads. kIo when the address cannot be
  // bound (port taken), kInvalidArgument for a bad address, kFailedPrecondition when running.
  // A stopped server may be started again (with port 0 it may get a different port).
  Status start();
  // Closes the listener and every connection, drops pending async replies (a Reply invoked
  // later is a no-op), waits for handlers that are running to return (queued ones are dropped),
  // and joins all threads. Must not be called from a handler, route or I/O thread of this
  // server. Idempotent.
  void stop();
  bool running() const;

  // The bound port while running (the ephemeral one when options.port was 0), else 0.
  std::uint16_t port() const;

  // Sends {"jsonrpc":"2.0","method":"subscription","params":{"subscription": id, "topic":
  // topic, "result": result}} to every WebSocket subscription of `topic` (topics are opaque
  // strings, compared exactly). Never blocks on a socket: messages are queued per connection,
  // and a connection whose queue exceeds ws_max_queued is disconnected. Returns the number of
  // subscriptions the message was queued for. A no-op when not running.
  std::size_t publish(std::string_view topic, const Json& result);

  ServerStats stats() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace formica::rpc
