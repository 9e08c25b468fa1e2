// fuzz-deps: formica_storage
// State proof decoder. Oracles: (1) round trip: whatever decodes re-encodes to the input
// exactly (the encoding is canonical); (2) a decoded proof is consistent with the root it
// implies: a non-inclusion proof verifies against that root exactly when its leaf (if any)
// is another key's leaf on this key's path, and an altered root never verifies.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "formica/storage/state_proof.h"

namespace {

bool shares_prefix(const formica::storage::Hash32& a, const formica::storage::Hash32& b, std::size_t bits) {
  for (std::size_t i = 0; i < bits; ++i) {
    if (formica::storage::key_bit(a, i) != formica::storage::key_bit(b, i)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace formica::storage;  // NOLINT(build/namespaces)
  const formica::ByteView in(data, size);
  auto proof = decode_state_proof(in);
  if (!proof.ok()) return 0;
  const formica::Bytes again = encode_state_proof(*proof);
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();

  const formica::Bytes key{'f', 'u', 'z', 'z'};
  for (HashAlg alg : {HashAlg::kSha256, HashAlg::kSm3}) {
    const Hash32 kh = state_key_hash(alg, key);
    const Hash32 root = state_proof_root(alg, kh, *proof);
    const bool expect = !proof->leaf || (proof->leaf->key_hash != kh &&
                                         shares_prefix(proof->leaf->key_hash, kh, proof->siblings.size()));
    if (verify_state_proof(alg, root, key, std::nullopt, *proof) != expect) std::abort();
    Hash32 wrong = root;
    wrong[31] ^= 0x01;
    if (verify_state_proof(alg, wrong, key, std::nullopt, *proof)) std::abort();
  }
  return 0;
}
