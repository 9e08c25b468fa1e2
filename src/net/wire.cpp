#include "wire.h"

#include <cstring>

namespace formica::net::wire {
namespace {

class Reader {
 public:
  explicit Reader(ByteView in) : in_(in) {}
  bool u8(std::uint8_t& v) {
    if (in_.size() - pos_ < 1) return false;
    v = in_[pos_++];
    return true;
  }
  bool u16(std::uint16_t& v) {
    if (in_.size() - pos_ < 2) return false;
    v = static_cast<std::uint16_t>((in_[pos_] << 8) | in_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u32(std::uint32_t& v) {
    if (in_.size() - pos_ < 4) return false;
    v = (std::uint32_t{in_[pos_]} << 24) | (std::uint32_t{in_[pos_ + 1]} << 16) |
        (std::uint32_t{in_[pos_ + 2]} << 8) | std::uint32_t{in_[pos_ + 3]};
    pos_ += 4;
    return true;
  }
  bool bytes(std::size_t n, ByteView& v) {
    if (in_.size() - pos_ < n) return false;
    v = in_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  ByteView in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::array<std::uint8_t, kFrameHeaderBytes> frame_header(std::uint8_t channel, std::size_t payload_bytes) {
  const auto len = static_cast<std::uint32_t>(payload_bytes + 1);
  return {static_cast<std::uint8_t>(len >> 24), static_cast<std::uint8_t>(len >> 16),
          static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len), channel};
}

Bytes encode_frame(std::uint8_t channel, ByteView payload) {
  const auto header = frame_header(channel, payload.size());
  Bytes out(header.size() + payload.size());
  std::memcpy(out.data(), header.data(), header.size());
  if (!payload.empty()) std::memcpy(out.data() + header.size(), payload.data(), payload.size());
  return out;
}

HeaderCheck check_header(const std::array<std::uint8_t, kFrameHeaderBytes>& raw, std::size_t max_payload,
                         Header& out) {
  const std::uint32_t len = (std::uint32_t{raw[0]} << 24) | (std::uint32_t{raw[1]} << 16) |
                            (std::uint32_t{raw[2]} << 8) | std::uint32_t{raw[3]};
  if (len == 0) return HeaderCheck::kMalformed;  // no room for the channel byte
  if (std::size_t{len} - 1 > max_payload) return HeaderCheck::kOversized;
  out.channel = raw[4];
  out.payload_bytes = std::size_t{len} - 1;
  return HeaderCheck::kOk;
}

Bytes encode_hello(const Hello& hello) {
  // Sized up front and filled in place (GCC 12 misreads a chain of push_backs as an overflow).
  Bytes out(1 + 2 + 2 + hello.network_tag.size() + 4 + 2 + hello.name.size());
  std::size_t pos = 0;
  auto put = [&](std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out[pos++] = static_cast<std::uint8_t>(v >> (8 * i));
  };
  auto put_bytes = [&](const void* data, std::size_t n) {
    if (n > 0) std::memcpy(out.data() + pos, data, n);
    pos += n;
  };
  put(kHello, 1);
  put(hello.version, 2);
  put(hello.network_tag.size(), 2);
  put_bytes(hello.network_tag.data(), hello.network_tag.size());
  put(hello.index, 4);
  put(hello.name.size(), 2);
  put_bytes(hello.name.data(), hello.name.size());
  return out;
}

Result<Hello> decode_hello(ByteView payload) {
  Reader r(payload);
  Hello hello;
  std::uint8_t type = 0;
  std::uint16_t tag_len = 0;
  std::uint16_t name_len = 0;
  ByteView tag;
  ByteView name;
  if (!r.u8(type) || type != kHello) return make_error(ErrorCode::kMalformed, "not a hello");
  if (!r.u16(hello.version) || !r.u16(tag_len) || !r.bytes(tag_len, tag) || !r.u32(hello.index) ||
      !r.u16(name_len) || !r.bytes(name_len, name)) {
    return make_error(ErrorCode::kMalformed, "truncated hello");
  }
  if (!r.done()) return make_error(ErrorCode::kMalformed, "trailing bytes after hello");
  hello.network_tag = to_bytes(tag);
  hello.name = std::string(as_chars(name));
  return hello;
}

Bytes encode_ping() { return Bytes{kPing}; }

}  // namespace formica::net::wire
