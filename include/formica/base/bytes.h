#pragma once
// Byte containers and views used across every layer.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace formica::base {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
template <std::size_t N>
using ByteArray = std::array<std::uint8_t, N>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline Bytes to_bytes(ByteView b) { return Bytes(b.begin(), b.end()); }

inline void append(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }
inline Bytes concat(ByteView a, ByteView b) {
  Bytes out;
  out.reserve(a.size() + b.size());
  append(out, a);
  append(out, b);
  return out;
}

// Overwrites memory in a way the optimiser may not remove (secrets, key material).
void secure_zero(void* data, std::size_t size);
inline void secure_zero(Bytes& b) { secure_zero(b.data(), b.size()); }

}  // namespace formica::base

namespace formica {
using base::as_bytes;
using base::as_chars;
using base::ByteArray;
using base::Bytes;
using base::ByteView;
using base::secure_zero;
using base::to_bytes;
}  // namespace formica
