#pragma once
// Resource limits shared by the encoder and the decoders. The encoder enforces the same limits
// as the decoders, so anything Formica encodes (and signs) can be decoded again.

#include <cstddef>

namespace formica::codec {

struct Limits {
  std::size_t max_input = 16u << 20;  // bytes of binary input or JSON text
  std::size_t max_length = 4u << 20;  // bytes in one byte string or string
  std::size_t max_count = 1u << 20;   // elements in one list, set or map
  std::size_t max_depth = 32;         // nesting of structs, lists, sets and maps
};

}  // namespace formica::codec
