#include "formica/storage/state_proof.h"

#include <algorithm>

namespace formica::storage {
namespace {

Hash32 hash_pair(HashAlg alg, std::uint8_t domain, const Hash32& a, const Hash32& b) {
  std::array<std::uint8_t, 1 + 2 * crypto::kHashBytes> buf{};
  buf[0] = domain;
  std::copy(a.begin(), a.end(), buf.begin() + 1);
  std::copy(b.begin(), b.end(), buf.begin() + 1 + crypto::kHashBytes);
  return crypto::hash(alg, buf);
}

bool is_empty(const Hash32& h) { return h == kEmptySubtreeHash; }

// True when the first `bits` bits of a and b are equal.
bool common_prefix(const Hash32& a, const Hash32& b, std::size_t bits) {
  for (std::size_t i = 0; i < bits; ++i) {
    if (key_bit(a, i) != key_bit(b, i)) return false;
  }
  return true;
}

}  // namespace

Hash32 state_key_hash(HashAlg alg, ByteView key) { return crypto::hash(alg, key); }
Hash32 state_value_hash(HashAlg alg, ByteView value) { return crypto::hash(alg, value); }
Hash32 state_leaf_hash(HashAlg alg, const Hash32& key_hash, const Hash32& value_hash) {
  return hash_pair(alg, kLeafDomain, key_hash, value_hash);
}
Hash32 state_internal_hash(HashAlg alg, const Hash32& left, const Hash32& right) {
  return hash_pair(alg, kInternalDomain, left, right);
}

Bytes encode_state_proof(const StateProof& proof) {
  const std::size_t n = proof.siblings.size();
  Bytes out;
  out.reserve(1 + 64 + 2 + (n + 7) / 8 + 32 * n);
  out.push_back(proof.leaf ? 0x01 : 0x00);
  if (proof.leaf) {
    base::append(out, proof.leaf->key_hash);
    base::append(out, proof.leaf->value_hash);
  }
  out.push_back(static_cast<std::uint8_t>(n >> 8));
  out.push_back(static_cast<std::uint8_t>(n & 0xff));
  const std::size_t bitmap_at = out.size();
  out.resize(out.size() + (n + 7) / 8, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_empty(proof.siblings[i])) out[bitmap_at + i / 8] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
  }
  for (const auto& s : proof.siblings) {
    if (!is_empty(s)) base::append(out, s);
  }
  return out;
}

Result<StateProof> decode_state_proof(ByteView in) {
  auto malformed = [](const char* what) {
    return make_error(ErrorCode::kMalformed, std::string("state proof: ") + what);
  };
  std::size_t pos = 0;
  auto take = [&](std::size_t len) -> std::optional<ByteView> {
    if (in.size() - pos < len) return std::nullopt;
    ByteView v = in.subspan(pos, len);
    pos += len;
    return v;
  };
  StateProof proof;
  auto kind = take(1);
  if (!kind) return malformed("truncated kind");
  if ((*kind)[0] > 0x01) return malformed("unknown kind byte");
  if ((*kind)[0] == 0x01) {
    auto leaf = take(64);
    if (!leaf) return malformed("truncated leaf");
    StateProof::Leaf l{};
    std::copy_n(leaf->begin(), 32, l.key_hash.begin());
    std::copy_n(leaf->begin() + 32, 32, l.value_hash.begin());
    proof.leaf = l;
  }
  auto depth = take(2);
  if (!depth) return malformed("truncated depth");
  const std::size_t n = (static_cast<std::size_t>((*depth)[0]) << 8) | (*depth)[1];
  if (n > kMaxProofDepth) return malformed("depth over 256");
  auto bitmap = take((n + 7) / 8);
  if (!bitmap) return malformed("truncated bitmap");
  if (n % 8 != 0 && ((*bitmap)[n / 8] & (0xff >> (n % 8))) != 0) return malformed("non-zero bitmap padding");
  proof.siblings.resize(n, kEmptySubtreeHash);
  for (std::size_t i = 0; i < n; ++i) {
    if (((*bitmap)[i / 8] & (0x80 >> (i % 8))) == 0) continue;
    auto s = take(32);
    if (!s) return malformed("truncated sibling");
    std::copy(s->begin(), s->end(), proof.siblings[i].begin());
    if (is_empty(proof.siblings[i])) return malformed("explicit empty sibling");
  }
  if (pos != in.size()) return malformed("trailing bytes");
  if (n > 0 && is_empty(proof.siblings[n - 1])) return malformed("empty deepest sibling");
  return proof;
}

Hash32 state_proof_root(HashAlg alg, const Hash32& key_hash, const StateProof& proof) {
  Hash32 cur =
      proof.leaf ? state_leaf_hash(alg, proof.leaf->key_hash, proof.leaf->value_hash) : kEmptySubtreeHash;
  for (std::size_t i = proof.siblings.size(); i-- > 0;) {
    cur = key_bit(key_hash, i) ? state_internal_hash(alg, proof.siblings[i], cur)
                               : state_internal_hash(alg, cur, proof.siblings[i]);
  }
  return cur;
}

bool verify_state_proof(HashAlg alg, const Hash32& root, ByteView key, const std::optional<ByteView>& value,
                        const StateProof& proof) {
  const std::size_t n = proof.siblings.size();
  if (n > kMaxProofDepth) return false;
  if (n > 0 && is_empty(proof.siblings[n - 1])) return false;
  const Hash32 kh = state_key_hash(alg, key);
  if (value) {
    if (!proof.leaf || proof.leaf->key_hash != kh) return false;
    if (proof.leaf->value_hash != state_value_hash(alg, *value)) return false;
  } else if (proof.leaf) {
    // The path ends at another key's leaf, which must lie on this key's path.
    if (proof.leaf->key_hash == kh) return false;
    if (!common_prefix(proof.leaf->key_hash, kh, n)) return false;
  }
  return state_proof_root(alg, kh, proof) == root;
}

}  // namespace formica::storage
