// fuzz-deps: formica_codec
// The binary decoder accepts only canonical encodings: whatever decodes re-encodes to exactly
// the input bytes; whatever is refused is refused with a typed failure (kMalformed/kTooLarge),
// never a crash, a hang or an unbounded allocation. The first input byte picks the type: a
// struct using every kind the codec supports (nested structs, maps, sets, optionals, U128,
// enums) or a recursive tree (depth limits).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "../src/codec/test_types.h"
#include "formica/codec/binary.h"

namespace {

using namespace formica;

template <class T>
void check(ByteView in) {
  codec::Limits limits;
  limits.max_length = 1u << 16;
  codec::Failure failure;
  auto decoded = codec::decode<T>(in, limits, &failure);
  if (!decoded.ok()) {
    if (decoded.code() != codec::codec_error_code(failure.kind)) std::abort();
    return;
  }
  auto again = codec::encode(*decoded, limits);
  if (!again.ok()) std::abort();
  if (*again != Bytes(in.begin(), in.end())) std::abort();  // a second encoding was accepted
  auto back = codec::decode<T>(*again, limits);
  if (!back.ok() || !(*back == *decoded)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView in(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    check<codec::testing::Sample>(in);
  } else {
    check<codec::testing::Tree>(in);
  }
  return 0;
}
