#pragma once
// The state a transaction executes against: an ordered key-value view with a write overlay,
// so a transaction's writes can be kept or dropped as a unit and a block's writes handed to
// the authenticated state tree in one batch. Keys are namespaced "<module>/<key>".
//
// Determinism: every container is ordered (std::map); no iteration order depends on
// addresses, hashing or time.

#include <functional>
#include <map>
#include <optional>
#include <string_view>

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::ledger {

// prefix || a || b, built with one allocation. (Also sidesteps a GCC 12 -Warray-bounds false
// positive on inserting into a vector brace-initialised with a short prefix.)
inline Bytes make_key(std::string_view prefix, ByteView a = {}, std::string_view b = {}) {
  Bytes k;
  k.reserve(prefix.size() + a.size() + b.size());
  k.insert(k.end(), prefix.begin(), prefix.end());
  k.insert(k.end(), a.begin(), a.end());
  k.insert(k.end(), b.begin(), b.end());
  return k;
}

class StateReader {
 public:
  virtual ~StateReader() = default;
  virtual Result<std::optional<Bytes>> get(ByteView key) const = 0;
};

// An empty state (genesis starts from it) — and a map-backed one for tests and genesis.
class MapState final : public StateReader {
 public:
  Result<std::optional<Bytes>> get(ByteView key) const override;
  std::map<Bytes, Bytes>& data() { return data_; }
  const std::map<Bytes, Bytes>& data() const { return data_; }

 private:
  std::map<Bytes, Bytes> data_;
};

// Writes buffered over a parent view. Not thread-safe.
class Overlay final : public StateReader {
 public:
  explicit Overlay(const StateReader& parent) : parent_(parent) {}

  Result<std::optional<Bytes>> get(ByteView key) const override;
  void put(ByteView key, ByteView value) {
    writes_[Bytes(key.begin(), key.end())] = Bytes(value.begin(), value.end());
  }
  void erase(ByteView key) { writes_[Bytes(key.begin(), key.end())] = std::nullopt; }

  // Moves this overlay's writes into `into` (a parent-level overlay) and clears them.
  void merge_into(Overlay& into);
  void clear() { writes_.clear(); }
  // key -> new value, or nullopt for a delete; ordered by key.
  const std::map<Bytes, std::optional<Bytes>>& writes() const { return writes_; }

 private:
  const StateReader& parent_;
  std::map<Bytes, std::optional<Bytes>> writes_;
};

}  // namespace formica::ledger
