#pragma once
// Proofs of the authenticated state tree (state_tree.h), and everything a light client needs
// to check one: the hashing rules and a standalone verifier. docs/storage.md specifies the
// same rules byte by byte, for reimplementation (e.g. in TypeScript).
//
// The tree is a binary sparse Merkle tree over 256-bit key hashes kh = H(key), where H is the
// network's hash function (SHA-256 by default, SM3 on national-cryptography networks). A
// subtree holding no leaf hashes to kEmptySubtreeHash (32 zero bytes); one holding exactly
// one leaf is that leaf: leaf_hash = H(0x00 || kh || H(value)); one holding two or more is an
// internal node: internal_hash = H(0x01 || left || right). Bit i of kh (most significant bit
// of byte 0 first) chooses the child at depth i: 0 left, 1 right. The root hash is therefore
// a function of the set of (key, value) pairs only.
//
// A proof for a key is the list of sibling hashes met on the path from the root to where the
// key's path ends (a leaf or an empty subtree), and that leaf if there is one. It proves
// inclusion when the leaf is the key's, and non-inclusion otherwise.
//
// All functions are pure, thread-safe and never abort on any input.

#include <cstdint>
#include <optional>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/crypto/hash.h"

namespace formica::storage {

using crypto::Hash32;
using crypto::HashAlg;

inline constexpr Hash32 kEmptySubtreeHash{};  // 32 zero bytes
inline constexpr std::size_t kMaxProofDepth = 256;
inline constexpr std::uint8_t kLeafDomain = 0x00;
inline constexpr std::uint8_t kInternalDomain = 0x01;

Hash32 state_key_hash(HashAlg alg, ByteView key);      // H(key)
Hash32 state_value_hash(HashAlg alg, ByteView value);  // H(value)
Hash32 state_leaf_hash(HashAlg alg, const Hash32& key_hash, const Hash32& value_hash);
Hash32 state_internal_hash(HashAlg alg, const Hash32& left, const Hash32& right);
// Bit `depth` (0..255) of a key hash, most significant bit of byte 0 first.
inline bool key_bit(const Hash32& key_hash, std::size_t depth) {
  return ((key_hash[depth / 8] >> (7 - depth % 8)) & 1) != 0;
}

struct StateProof {
  struct Leaf {
    Hash32 key_hash;
    Hash32 value_hash;
    friend bool operator==(const Leaf&, const Leaf&) = default;
  };
  // The leaf where the key's path ends; nullopt when it ends at an empty subtree.
  std::optional<Leaf> leaf;
  // siblings[i]: the hash of the sibling of the depth-(i+1) node on the key's path, root
  // side first; siblings.size() is the depth where the path ends (at most 256).
  std::vector<Hash32> siblings;
  friend bool operator==(const StateProof&, const StateProof&) = default;
};

// Compact canonical encoding (docs/storage.md "Proof format"): empty siblings are a zero bit
// in a bitmap instead of 32 bytes.
Bytes encode_state_proof(const StateProof& proof);
// Strict: rejects (kMalformed) truncated or trailing bytes, an unknown kind byte, a depth over
// 256, non-zero bitmap padding, an explicit all-zero sibling, and an empty deepest sibling
// (never produced by a canonical tree). For every accepted input, encode(decode(x)) == x.
Result<StateProof> decode_state_proof(ByteView bytes);

// True iff `proof` shows that, in the tree with root hash `root`, `key` maps to `*value`
// (value given: inclusion) or is absent (value nullopt: non-inclusion).
[[nodiscard]] bool verify_state_proof(HashAlg alg, const Hash32& root, ByteView key,
                                      const std::optional<ByteView>& value, const StateProof& proof);

// The root hash implied by a proof for a given key hash and terminal (leaf or empty), for
// callers that check several things at once. Requires proof.siblings.size() <= 256.
Hash32 state_proof_root(HashAlg alg, const Hash32& key_hash, const StateProof& proof);

}  // namespace formica::storage
