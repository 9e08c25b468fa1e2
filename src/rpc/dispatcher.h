#pragma once
// JSON-RPC 2.0 processing independent of the transport: parses a request body (one request or
// a batch), validates each request, runs built-in or registered methods on the worker pool,
// and assembles the response text. Internal to rpc; the HTTP and WebSocket sessions use it.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "formica/codec/json.h"
#include "formica/rpc/errors.h"
#include "formica/rpc/methods.h"
#include "worker_pool.h"

namespace formica::rpc {

class Dispatcher {
 public:
  // Methods served by the transport itself (subscribe/unsubscribe over WebSocket). Called
  // synchronously inside dispatch(), on the thread that called dispatch(). Returns false when
  // `method` is not a built-in.
  using Builtin = std::function<bool(const std::string& method, const Json& params, Result<Json>& out)>;
  // Receives the response text exactly once, on any thread (possibly inside dispatch()):
  // "" when nothing is to be sent (only notifications).
  using Done = std::function<void(std::string response)>;

  Dispatcher(std::shared_ptr<Methods> methods, WorkerPool& pool, std::size_t max_batch,
             std::size_t max_body_bytes);

  void dispatch(std::string_view body, const Builtin* builtin, Done done);

  // {"jsonrpc":"2.0","id":null,"error":...} as text.
  static std::string error_response_text(const Json& error);

  std::uint64_t requests() const { return requests_.load(); }
  std::uint64_t bad_requests() const { return bad_requests_.load(); }
  void count_bad_request() { bad_requests_.fetch_add(1); }

  Methods& methods() { return *methods_; }

 private:
  using ElementDone = std::function<void(std::optional<Json> response)>;
  void dispatch_one(const Json& request, const Builtin* builtin, ElementDone done);

  std::shared_ptr<Methods> methods_;
  WorkerPool& pool_;
  std::size_t max_batch_;
  std::size_t max_body_bytes_;
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> bad_requests_{0};
};

}  // namespace formica::rpc
