// fuzz-deps: formica_zk
// Round-trip oracle for the point decoders of both groups: whatever decodes must re-encode to
// the input byte for byte (canonical encodings only), for ristretto255 and P-256.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "formica/zk/p256.h"
#include "formica/zk/ristretto255.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const formica::ByteView in(data, size);
  if (auto p = formica::zk::RistrettoPoint::decode(in); p.ok()) {
    const auto e = p->encode();
    if (size != e.size() || std::memcmp(e.data(), data, size) != 0) std::abort();
  }
  if (auto p = formica::zk::P256Point::decode(in); p.ok()) {
    const auto e = p->encode();
    if (size != e.size() || std::memcmp(e.data(), data, size) != 0) std::abort();
  }
  if (size == 64) {  // the one-way map always yields a point that round-trips
    const auto p = formica::zk::RistrettoPoint::from_uniform_bytes(in);
    auto back = formica::zk::RistrettoPoint::decode(p.encode());
    if (!back.ok() || !(*back == p)) std::abort();
  }
  return 0;
}
