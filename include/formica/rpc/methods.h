#pragma once
// The registry of JSON-RPC methods a Server answers (over HTTP and WebSocket alike).
//
//   auto methods = std::make_shared<rpc::Methods>();
//   methods->add("echo", [](const Json& params) -> Result<Json> { return params; });
//   methods->add_async("submit_and_wait", [&](const Json& params, rpc::Reply reply) {
//     pool.submit(params, [reply](Result<Json> receipt) { reply(std::move(receipt)); });
//   });
//
// Handlers receive "params" exactly as the request gave it: an object, an array, or null when
// the request had no "params". A handler's Error is sent as the JSON-RPC error
// json_rpc_code(error.code) (errors.h); an exception escaping a handler is caught and sent as
// -32603 internal error (its text is logged, not sent).

#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "formica/base/status.h"
#include "formica/codec/json.h"

namespace formica::rpc {

using codec::Json;

// The completion of one asynchronous method call. Copyable (all copies share one state); it
// may be invoked from ANY thread, at any later time, exactly once: the first invocation
// delivers the result, later ones are ignored. If every copy is destroyed without being
// invoked, the caller receives -32603 internal error ("method dropped its reply"), so a request
// never waits forever on a lost Reply. If the client has disconnected or the server has been
// stopped by then, the result is dropped safely. Invoking a Reply never blocks on network I/O.
class Reply {
 public:
  using Sink = std::function<void(Result<Json>)>;
  // A Reply that hands its result to `sink` (which runs on the invoking thread). Used by the
  // server; tests use it to drive handlers directly.
  explicit Reply(Sink sink);

  void operator()(Result<Json> result) const;
  // True once some copy has been invoked.
  bool done() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

class Methods {
 public:
  using SyncHandler = std::function<Result<Json>(const Json& params)>;
  using AsyncHandler = std::function<void(const Json& params, Reply reply)>;

  // Registers a method. Synchronous handlers run on the server's handler threads (never on an
  // I/O thread), so a slow handler delays only its own caller. An asynchronous handler is
  // started on a handler thread and must return promptly; it completes through `reply`.
  // Handlers may run concurrently with each other and with themselves: they must be
  // thread-safe. Fails with kInvalidArgument for an empty name, a name starting with "rpc."
  // (reserved by JSON-RPC), "subscribe" or "unsubscribe" (built in over WebSocket), or an
  // empty handler; with kAlreadyExists when the name is taken.
  Status add(std::string name, SyncHandler handler);
  Status add_async(std::string name, AsyncHandler handler);

  bool contains(std::string_view name) const;
  std::vector<std::string> names() const;  // sorted

  // The handler registered under `name`; both empty when none. Used by the dispatcher.
  struct Entry {
    SyncHandler sync;
    AsyncHandler async;
  };
  Entry find(std::string_view name) const;

  // Thread-safety: every member may be called from any thread at any time, also while a
  // server is using the registry (methods can be added after Server::start()).

 private:
  Status add_entry(std::string name, Entry entry);

  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace formica::rpc
