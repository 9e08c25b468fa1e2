// fuzz-deps: formica_codec
// The XML reader never crashes, hangs or leaks on hostile input; a parsed tree respects the
// depth limit it was given.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formica/codec/xml.h"

namespace {
std::size_t depth(const formica::codec::xml::Element& e) {
  std::size_t d = 0;
  for (const auto& c : e.children) d = std::max(d, depth(c));
  return d + 1;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  formica::codec::xml::Limits limits;
  limits.max_depth = 16;
  auto r = formica::codec::xml::parse(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (r.ok() && depth(*r) > limits.max_depth) std::abort();
  return 0;
}
