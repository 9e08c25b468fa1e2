// fuzz-deps: formica_codec
// The JSON mapping is strict and stable: whatever JSON text decodes maps back to compact JSON
// text that decodes to the same value and prints identically, and to the same canonical binary
// encoding; refused text gets a typed failure, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "../src/codec/test_types.h"
#include "formica/codec/binary.h"
#include "formica/codec/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace formica;
  using codec::testing::Sample;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  codec::Failure failure;
  auto decoded = codec::from_json_text<Sample>(text, {}, &failure);
  if (!decoded.ok()) {
    if (decoded.code() != codec::codec_error_code(failure.kind)) std::abort();
    return 0;
  }
  auto printed = codec::to_json_text(*decoded);
  if (!printed.ok()) std::abort();
  auto reparsed = codec::from_json_text<Sample>(*printed);
  if (!reparsed.ok() || !(*reparsed == *decoded)) std::abort();
  auto reprinted = codec::to_json_text(*reparsed);
  if (!reprinted.ok() || *reprinted != *printed) std::abort();
  auto wire = codec::encode(*decoded);
  if (!wire.ok()) std::abort();
  auto from_wire = codec::decode<Sample>(*wire);
  if (!from_wire.ok() || !(*from_wire == *decoded)) std::abort();
  return 0;
}
