#include "formica/codec/utf8.h"

#include <cstdint>

namespace formica::codec {

// Hand-written: neither the standard library nor the Debian packages we link (OpenSSL,
// libsodium, nlohmann_json) expose a plain "is this well-formed UTF-8" check. This follows
// the table of well-formed byte sequences in Unicode 15 §3.9 (Table 3-7).
std::size_t utf8_error_offset(std::string_view text) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t b0 = s[i];
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;  // range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
    } else if (b0 == 0xE0) {
      len = 3, lo = 0xA0;
    } else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
      len = 3;
    } else if (b0 == 0xED) {
      len = 3, hi = 0x9F;  // excludes surrogates
    } else if (b0 == 0xF0) {
      len = 4, lo = 0x90;
    } else if (b0 >= 0xF1 && b0 <= 0xF3) {
      len = 4;
    } else if (b0 == 0xF4) {
      len = 4, hi = 0x8F;  // at most U+10FFFF
    } else {
      return i;  // 0x80..0xC1 and 0xF5..0xFF never start a sequence
    }
    if (n - i < len) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return n;
}

bool is_valid_utf8(std::string_view text) { return utf8_error_offset(text) == text.size(); }

}  // namespace formica::codec
