#include "formica/codec/u128.h"

namespace formica::codec {

std::string u128_to_decimal(U128 value) {
  char buf[40];
  std::size_t pos = sizeof(buf);
  do {
    buf[--pos] = static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  } while (value != 0);
  return std::string(buf + pos, sizeof(buf) - pos);
}

std::optional<U128> u128_from_decimal(std::string_view text) {
  if (text.empty() || text.size() > 39) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  U128 value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<unsigned>(c - '0');
    if (value > (kU128Max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace formica::codec
