// fuzz-deps: formica_base
// Round-trip oracle for the strict text decoders: whatever decodes must re-encode to a string
// that decodes to the same bytes, and canonical base64 must re-encode to the input exactly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formica/base/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto h = formica::base::from_hex(text); h.ok()) {
    if (*formica::base::from_hex(formica::base::to_hex(*h)) != *h) std::abort();
  }
  if (auto b = formica::base::from_base64(text); b.ok()) {
    if (formica::base::to_base64(*b) != text) std::abort();
  }
  if (auto b = formica::base::from_base64url(text); b.ok()) {
    if (formica::base::to_base64url(*b) != text) std::abort();
  }
  return 0;
}
