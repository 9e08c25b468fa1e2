#include "formica/base/encoding.h"

#include <array>

namespace formica::base {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::array<int, 256> make_reverse(const char* alphabet) {
  std::array<int, 256> r{};
  r.fill(-1);
  for (int i = 0; i < 64; ++i) r[static_cast<unsigned char>(alphabet[i])] = i;
  return r;
}

std::string encode64(ByteView data, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  std::size_t rest = data.size() - i;
  if (rest == 1) {
    std::uint32_t v = std::uint32_t{data[i]} << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

Result<Bytes> decode64(std::string_view text, const std::array<int, 256>& rev, bool padded) {
  std::size_t len = text.size();
  std::size_t pad_count = 0;
  if (padded) {
    if (len % 4 != 0) return make_error(ErrorCode::kMalformed, "base64 length is not a multiple of 4");
    while (pad_count < 2 && len > 0 && text[len - 1] == '=') {
      --len;
      ++pad_count;
    }
  } else if (len % 4 == 1) {
    return make_error(ErrorCode::kMalformed, "base64url length is impossible");
  }
  Bytes out;
  out.reserve(len * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < len; ++i) {
    int v = rev[static_cast<unsigned char>(text[i])];
    if (v < 0)
      return make_error(ErrorCode::kMalformed, "invalid base64 character at offset " + std::to_string(i));
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  // Canonical form: the unused low bits of the last character are zero.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
    return make_error(ErrorCode::kMalformed, "non-canonical base64 (trailing bits set)");
  if (padded && pad_count > 0 && (len % 4) + pad_count != 4)
    return make_error(ErrorCode::kMalformed, "bad base64 padding");
  return out;
}

}  // namespace

std::string to_hex(ByteView data) {
  std::string out(data.size() * 2, '0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    out[2 * i] = kHexDigits[data[i] >> 4];
    out[2 * i + 1] = kHexDigits[data[i] & 15];
  }
  return out;
}

Result<Bytes> from_hex(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  if (text.size() % 2 != 0) return make_error(ErrorCode::kMalformed, "hex string has odd length");
  Bytes out(text.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(text[2 * i]);
    int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return make_error(ErrorCode::kMalformed,
                        "invalid hex digit at offset " + std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return out;
}

std::string to_base64(ByteView data) { return encode64(data, kB64, true); }
std::string to_base64url(ByteView data) { return encode64(data, kB64Url, false); }

Result<Bytes> from_base64(std::string_view text) {
  static const auto rev = make_reverse(kB64);
  return decode64(text, rev, true);
}
Result<Bytes> from_base64url(std::string_view text) {
  static const auto rev = make_reverse(kB64Url);
  return decode64(text, rev, false);
}

}  // namespace formica::base
