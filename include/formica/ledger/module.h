#pragma once
// A module owns a state namespace ("<name>/…"), its transaction kinds, queries and events.
// Modules are registered with the executor in a fixed order; execution is deterministic and
// single-threaded per block.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/status.h"
#include "formica/codec/binary.h"
#include "formica/codec/json.h"
#include "formica/ledger/event.h"
#include "formica/ledger/state.h"
#include "formica/ledger/types.h"

namespace formica::ledger {

class Accounts;

// A module's window on the state: keys are prefixed with "<module>/".
class ModuleStore {
 public:
  ModuleStore(Overlay& state, std::string_view module) : state_(state), prefix_(std::string(module) + "/") {}

  Result<std::optional<Bytes>> get(ByteView key) const { return state_.get(full(key)); }
  void put(ByteView key, ByteView value) { state_.put(full(key), value); }
  void erase(ByteView key) { state_.erase(full(key)); }

  template <class T>
  Result<std::optional<T>> get_value(ByteView key) const {
    FORMICA_ASSIGN_OR_RETURN(auto raw, get(key));
    if (!raw) return std::optional<T>{};
    FORMICA_ASSIGN_OR_RETURN(T v, codec::decode<T>(*raw));
    return std::optional<T>(std::move(v));
  }
  template <class T>
  Status put_value(ByteView key, const T& v) {
    FORMICA_ASSIGN_OR_RETURN(Bytes raw, codec::encode(v));
    put(key, raw);
    return ok_status();
  }

 private:
  Bytes full(ByteView key) const { return make_key(prefix_, key); }
  Overlay& state_;
  std::string prefix_;
};

// Read-only window for queries.
class ModuleReader {
 public:
  ModuleReader(const StateReader& state, std::string_view module)
      : state_(state), prefix_(std::string(module) + "/") {}
  Result<std::optional<Bytes>> get(ByteView key) const { return state_.get(make_key(prefix_, key)); }
  template <class T>
  Result<std::optional<T>> get_value(ByteView key) const {
    FORMICA_ASSIGN_OR_RETURN(auto raw, get(key));
    if (!raw) return std::optional<T>{};
    FORMICA_ASSIGN_OR_RETURN(T v, codec::decode<T>(*raw));
    return std::optional<T>(std::move(v));
  }

 private:
  const StateReader& state_;
  std::string prefix_;
};

struct TxContext {
  Overlay& state;
  std::uint64_t height;
  AddressBytes sender;
  const Hash& tx_id;
  std::vector<Event>& events;

  ModuleStore store(std::string_view module) { return ModuleStore(state, module); }
  void emit(std::string module, std::string kind, std::map<std::string, std::string> attributes) {
    events.push_back(Event{std::move(module), std::move(kind), std::move(attributes)});
  }
};

class Module {
 public:
  virtual ~Module() = default;
  virtual std::string_view name() const = 0;
  // Executes one transaction of `kind`. An error (typed, with a message for the receipt)
  // means the transaction is rejected and its writes are discarded.
  virtual Status execute(TxContext& ctx, std::string_view kind, ByteView payload) = 0;
  // Answers a read-only query ("balance", "asset", …) with JSON parameters.
  virtual Result<codec::Json> query(const StateReader& state, std::string_view path,
                                    const codec::Json& params) const = 0;
};

// Decodes a payload struct, turning codec failures into a message naming the kind.
template <class T>
Result<T> decode_payload(std::string_view kind, ByteView payload) {
  auto r = codec::decode<T>(payload);
  if (!r.ok()) return make_error(ErrorCode::kMalformed, std::string(kind) + " payload: " + r.error().message);
  return r;
}

}  // namespace formica::ledger
