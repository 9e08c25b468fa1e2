#include "formica/ledger/state.h"

namespace formica::ledger {

Result<std::optional<Bytes>> MapState::get(ByteView key) const {
  auto it = data_.find(Bytes(key.begin(), key.end()));
  if (it == data_.end()) return std::optional<Bytes>{};
  return std::optional<Bytes>(it->second);
}

Result<std::optional<Bytes>> Overlay::get(ByteView key) const {
  auto it = writes_.find(Bytes(key.begin(), key.end()));
  if (it != writes_.end()) return it->second;
  return parent_.get(key);
}

void Overlay::merge_into(Overlay& into) {
  for (auto& [k, v] : writes_) into.writes_[k] = std::move(v);
  writes_.clear();
}

}  // namespace formica::ledger
