// fuzz-deps: formica_zk
// Round-trip oracle for the scalar decoders: a decoded scalar re-encodes to the input, and
// every 32-byte input either decodes or is >= the group order (then its reduction differs).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "formica/zk/p256.h"
#include "formica/zk/ristretto255.h"

namespace {
template <typename S>
void check(const std::uint8_t* data, std::size_t size) {
  const formica::ByteView in(data, size);
  auto s = S::decode(in);
  if (s.ok()) {
    const auto e = s->encode();
    if (size != e.size() || std::memcmp(e.data(), data, size) != 0) std::abort();
    if (!(s->invert().invert() == *s)) std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check<formica::zk::RistrettoScalar>(data, size);
  check<formica::zk::P256Scalar>(data, size);
  if (size == 32) {
    // Ristretto scalars are little-endian: reduction of a canonical input is the identity.
    const auto r = formica::zk::RistrettoScalar::from_uniform_bytes(formica::ByteView(data, size));
    const bool canonical = formica::zk::RistrettoScalar::decode(formica::ByteView(data, size)).ok();
    const auto e = r.encode();
    if (canonical != (std::memcmp(e.data(), data, 32) == 0)) std::abort();
  }
  return 0;
}
