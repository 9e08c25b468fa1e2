#pragma once
// Test-only: an independent, naive recomputation of the state tree's root and proofs from
// the full key set, straight from the rules in docs/storage.md (no code shared with the
// implementation except the hash function itself).

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "formica/crypto/hash.h"
#include "formica/storage/state_proof.h"

namespace formica::storage::testing {

using Model = std::map<Bytes, Bytes>;

class ReferenceTree {
 public:
  ReferenceTree(crypto::HashAlg alg, const Model& model) : alg_(alg) {
    for (const auto& [k, v] : model) leaves_.emplace_back(crypto::hash(alg, k), crypto::hash(alg, v));
    std::sort(leaves_.begin(), leaves_.end());
  }

  crypto::Hash32 root() const { return subtree(0, leaves_.size(), 0); }

  // The proof the tree must produce for key hash `kh`.
  StateProof proof(const crypto::Hash32& kh) const {
    StateProof p;
    std::size_t lo = 0, hi = leaves_.size(), depth = 0;
    while (hi - lo >= 2) {
      const std::size_t mid = split(lo, hi, depth);
      if (bit(kh, depth)) {
        p.siblings.push_back(subtree(lo, mid, depth + 1));
        lo = mid;
      } else {
        p.siblings.push_back(subtree(mid, hi, depth + 1));
        hi = mid;
      }
      ++depth;
    }
    if (hi - lo == 1) p.leaf = StateProof::Leaf{leaves_[lo].first, leaves_[lo].second};
    return p;
  }

 private:
  static bool bit(const crypto::Hash32& h, std::size_t i) { return (h[i / 8] >> (7 - i % 8)) & 1; }
  // First index in [lo, hi) whose bit `depth` is 1.
  std::size_t split(std::size_t lo, std::size_t hi, std::size_t depth) const {
    std::size_t mid = lo;
    while (mid < hi && !bit(leaves_[mid].first, depth)) ++mid;
    return mid;
  }
  crypto::Hash32 node(std::uint8_t domain, const crypto::Hash32& a, const crypto::Hash32& b) const {
    Bytes buf{domain};
    buf.insert(buf.end(), a.begin(), a.end());
    buf.insert(buf.end(), b.begin(), b.end());
    return crypto::hash(alg_, buf);
  }
  crypto::Hash32 subtree(std::size_t lo, std::size_t hi, std::size_t depth) const {
    if (hi == lo) return crypto::Hash32{};
    if (hi - lo == 1) return node(0x00, leaves_[lo].first, leaves_[lo].second);
    const std::size_t mid = split(lo, hi, depth);
    return node(0x01, subtree(lo, mid, depth + 1), subtree(mid, hi, depth + 1));
  }

  crypto::HashAlg alg_;
  std::vector<std::pair<crypto::Hash32, crypto::Hash32>> leaves_;
};

}  // namespace formica::storage::testing
