#include "formica/ledger/block.h"

#include "formica/codec/hash.h"

namespace formica::ledger {

Result<Hash> header_hash(const BlockHeader& h, crypto::HashAlg alg) {
  return codec::hash_of(alg, "formica/header/v1", h);
}

Result<Hash> receipt_hash(const Receipt& r, crypto::HashAlg alg) {
  return codec::hash_of(alg, "formica/receipt/v1", r);
}

Hash merkle_root(crypto::HashAlg alg, const std::vector<Hash>& items) {
  if (items.empty()) return Hash{};
  std::vector<Hash> level;
  level.reserve(items.size());
  Bytes buf;
  for (const auto& it : items) {
    buf.assign(1, 0x00);
    buf.insert(buf.end(), it.begin(), it.end());
    level.push_back(crypto::hash(alg, buf));
  }
  while (level.size() > 1) {
    std::vector<Hash> next;
    next.reserve((level.size() + 1) / 2);
    for (std::size_t i = 0; i + 1 < level.size(); i += 2) {
      buf.assign(1, 0x01);
      buf.insert(buf.end(), level[i].begin(), level[i].end());
      buf.insert(buf.end(), level[i + 1].begin(), level[i + 1].end());
      next.push_back(crypto::hash(alg, buf));
    }
    if (level.size() % 2 == 1) next.push_back(level.back());
    level = std::move(next);
  }
  return level[0];
}

}  // namespace formica::ledger
